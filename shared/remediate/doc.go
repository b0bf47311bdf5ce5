// Package remediate decides whether a finding's planned rollback may run and
// carries it out through its own small IAM interface.
//
// It decides the finding.Outcome of every finding: notify only, dry-run, skipped (an
// exemption, the root user, a service-linked role, no plan) or done, already
// undone, or failed. A rollback never makes things worse: it never deletes an
// access key (it deactivates it), never acts on root credentials, never
// touches a service-linked role or an exempt target, and every step is
// idempotent, so the same event delivered twice does no harm. It must never
// log or return secrets, and never act on an event caused by iamguard's own
// roles (loop protection).
package remediate
