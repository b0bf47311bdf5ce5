// Package remediate decides whether a finding's planned rollback may run and
// carries it out through the executor of the plan's registered action.
//
// It decides the Outcome of every finding: notify only, dry-run, skipped (an
// exemption, the root user, a target the service refuses to change, no plan)
// or done, already undone, or failed. The decision from configuration and
// finding alone (Decide) is a pure function; the executors (package
// iamaction, trailaction...) do the I/O: read the exempt tag, read the current
// state, make the change. A rollback never makes things worse: it never acts
// on root credentials, never touches an exempt target, never acts when unsure
// whether the target is exempt, and every action reads the current state
// first or, as a detach does, lets the service's answer (NoSuchEntity) say it
// is already undone, so the same event delivered twice does no harm. It imports no AWS
// SDK; it must never log or return secrets. Loop protection (IsSelfActor) is
// asked by the guard before a rule runs: iamguard never judges its own changes.
package remediate
