// Package finding holds iamguard's plain data: a rule's Finding, the planned
// Remediation and its Steps, the Mode a rule runs in, the Outcome of a
// rollback and its Status, and the Alert that carries a finding and its
// outcome to people.
//
// It sits in the middle: the rules produce findings, remediate decides and
// records outcomes, notify renders alerts, and none of them needs another's
// code to share this data. It decides nothing beyond how a Step's AWS CLI
// command is written (every value quoted for a POSIX shell). It must never
// import the AWS SDK, perform I/O or depend on another iamguard package but
// severity.
package finding
