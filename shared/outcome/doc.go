// Package outcome makes each rollback's outcome happen once per event, rule
// and target, however many times EventBridge and Lambda deliver the event.
//
// A delivery that is about to act claims the finding's Key in a Store (a
// conditional write that only the first claimant wins), acts, then records
// the alert it publishes (the guard records no failed rollback: its claim
// lapses, and a later delivery tries again). A later delivery that finds a recorded alert
// republishes it, undo command included, and acts on nothing. A delivery that
// finds only a claim decides by the claim's lease, the claimant's deadline:
// while it runs, the delivery waits for Lambda's retry (Busy); once it has
// lapsed, the claimant died mid-way, and the delivery takes the claim over
// and acts again (the actions are idempotent and state-checked), and an
// action that finds its change already made is reported as done by iamguard,
// with its undo (Resumed), since the claim shows that iamguard was about to
// make it.
//
// It decides only from what the store answers and the clock it is given; it
// calls no AWS service itself (package dynamostore is the DynamoDB store) and
// must never act, publish or log.
package outcome
