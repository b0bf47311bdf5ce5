// Package action is the registry of iamguard's response actions: each one a
// value that declares everything the rest of the system derives from it.
//
// An Action names the API operation that carries out a rollback (its ID, such
// as "iam:DetachUserPolicy" or "cloudtrail:StartLogging"), every call it makes
// to read the current state, check the exempt tag and make the change, the
// resources each call is authorised on (ARN templates), whether a change
// carries the exempt-tag condition, how "already done" is recognised, and the
// operation that undoes it. Rules reference actions as values and build their
// plans through them; the CDK app derives each function's role from the union
// of its rules' actions; the docs list them; and the Lambda functions link the
// executor of each action (package iamaction, trailaction...) and nothing
// more.
//
// The package decides nothing at run time and must stay free of the AWS SDK,
// so that the rules table can reference actions without linking a client.
package action
