// Package guard is the pipeline every iamguard Lambda function runs for one
// EventBridge event: decode the CloudTrail record, ignore iamguard's own
// rollbacks, evaluate the function family's rules, decide and carry out each
// rollback, and publish one alert per finding.
//
// It decides what happens when something goes wrong: an event that cannot be
// decoded or evaluated is still notified (nothing is lost), and a failed
// publish is returned as an error so that Lambda retries the event and, after
// that, sends it to the on-failure destination. With an outcome store, a
// finding it may act on is claimed first (package outcome), so that however
// often the event is delivered there is one outcome, and every alert about it
// carries the same undo command. It logs one summary line per finding and
// never logs a whole event above debug level.
//
// In an organisation (config.Config.Organization) it acts in the event's own
// account: through that account's responder role, in a session named after
// the event, with that account's clients (accounts.go). It never decides
// itself whether an account may be entered: IAM's refusal makes the event
// unproven, reported and never acted on.
package guard
