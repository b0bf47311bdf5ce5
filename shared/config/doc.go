// Package config reads a function's configuration from its environment once,
// at start, into a typed and validated Config.
//
// It decides how each rule is handled (off, dry-run, notify, remediate), the
// severity at which remediation starts, which changes are exempt, and which
// principals are iamguard's own. Every behaviour defaults to the safe side:
// notify only, remediate only critical findings. It reports every problem in
// the environment at once, naming the variable. It must never read the
// environment after start and never log a value that may be secret.
package config
