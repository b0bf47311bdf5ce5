// Package fakeaws is an in-process, stateful fake of the parts of IAM, SNS
// and Secrets Manager that iamguard calls. It speaks the real wire protocols,
// so tests drive it with the real aws-sdk-go-v2 clients: IAM and SNS through
// the Query protocol (form-encoded POST, XML answers and
// <ErrorResponse><Error><Type/><Code/><Message/></Error> errors with the
// HTTP status the SDK models), Secrets Manager through JSON 1.1
// (X-Amz-Target, {"__type": …, "Message": …} errors).
//
// One URL serves all three services: Handler routes by X-Amz-Target, then by
// the Query Version (2010-05-08 is IAM, 2010-03-31 is SNS), then by Action,
// never by path. Point an SDK at it with AWSConfig, or a Lambda bootstrap
// with AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_SNS and
// AWS_ENDPOINT_URL_SECRETS_MANAGER set to URL.
//
// What it decides: how IAM would answer each call given the seeded state
// (NoSuchEntity for a missing user, role, group, key, policy, version or
// attachment; UnmodifiableEntity for any change to a service-linked role;
// DeleteConflict for deleting a default version; quotas), whether SNS would
// accept a message (subject, size, structure and attribute rules), and
// which secret a SecretId names. Every call is recorded for exact
// assertions (Calls, CallsTo), and faults and delays can be injected per
// action (FailNext, Delay). Policy documents are returned URL-encoded, as
// IAM does; the SDK does not decode them.
//
// What it must never do: listen on anything but a loopback address, reach
// the network, read credentials or the environment (AWSConfig builds a
// configuration from constants), or check signatures. It is a test double:
// it models the calls iamguard makes, not all of IAM. An action it does not
// know answers InvalidAction (Query) or UnknownOperationException (JSON).
// It answers:
//
//   - IAM: UpdateAccessKey, ListAccessKeys; Attach/Detach{User,Role,Group}Policy,
//     ListAttached{User,Role,Group}Policies; Put/Get/Delete{User,Role,Group}Policy,
//     List{User,Role,Group}Policies; GetPolicy, GetPolicyVersion,
//     ListPolicyVersions, SetDefaultPolicyVersion, CreatePolicyVersion,
//     DeletePolicyVersion; ListUserTags, ListRoleTags, ListPolicyTags;
//     GetUser, GetRole.
//   - SNS: Publish.
//   - Secrets Manager: GetSecretValue.
//
// Calls that may name the caller's own user (GetUser, ListAccessKeys,
// UpdateAccessKey) need UserName, as they do for a Lambda's role
// credentials; without it they answer ValidationError.
//
// Command cmd/fakeaws runs the same server as a process, seeded from a
// JSON file (see Seed), for end-to-end tests of real bootstraps.
package fakeaws
