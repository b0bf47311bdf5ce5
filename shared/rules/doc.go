// Package rules is iamguard's rules table: the one place that says which
// CloudTrail events are dangerous, how dangerous, and what would undo them.
//
// Each Rule carries a stable ID, the EventBridge patterns that route its events
// (the CDK stack deploys exactly these patterns and the offline command routes
// with them), the Lambda function family that handles it, an Evaluate function,
// the response actions it may plan (values of package action, which declare
// the calls each makes) and, inside each finding.Finding, the planned
// remediation as data: the action's ID with its parameters, the AWS CLI
// command, and the step that undoes it.
//
// The package decides; it never acts. It must stay free of AWS SDK and Lambda
// imports and never perform I/O itself: documents that an event names but does
// not carry come through the Resolver the caller injects (the embedded AWS
// managed-policy snapshot, the stream's own earlier events, or IAM in the
// Lambda). A failed call (errorCode present) changed nothing, so no rule fires
// on it, except failed root sign-ins, which are attempts on the root user.
package rules
