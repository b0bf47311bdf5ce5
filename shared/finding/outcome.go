package finding

// Mode says what a function does with a rule's findings.
type Mode string

// The modes, from least to most action.
const (
	ModeOff       Mode = "off"       // evaluate nothing, say nothing
	ModeDryRun    Mode = "dry-run"   // notify, and say what the rollback would have done
	ModeNotify    Mode = "notify"    // notify only (the default)
	ModeRemediate Mode = "remediate" // notify, and roll back at or above the remediation threshold
)

// Status is what became of a finding's planned rollback.
type Status string

// The statuses. Every finding gets exactly one, and the alert says it.
const (
	// StatusDone: the rollback was carried out.
	StatusDone Status = "done"
	// StatusAlreadyUndone: the current state already is what the rollback
	// would make it (the entity is gone, the key inactive, the trail
	// logging), or it changed since the event and iamguard leaves it alone;
	// a repeated delivery ends here too.
	StatusAlreadyUndone Status = "already-undone"
	// StatusDryRun: the rule is in dry-run; the plan was not carried out.
	StatusDryRun Status = "dry-run"
	// StatusNotified: the rule is in notify mode, or the finding is below
	// the remediation threshold; nothing was changed.
	StatusNotified Status = "notify-only"
	// StatusSkipped: remediation was on but iamguard chose not to act, for
	// the Reason given (an exemption, root, a service-linked role, no plan).
	StatusSkipped Status = "skipped"
	// StatusFailed: the rollback was attempted and failed with Error.
	StatusFailed Status = "failed"
	// StatusPending: the rollback waits for CloudTrail to confirm the event;
	// a second alert says what became of it.
	StatusPending Status = "pending-confirmation"
)

// Outcome is what iamguard did about one finding, for the alert and the log.
type Outcome struct {
	Status Status `json:"status"`
	// Mode is the rule's configured mode (off, dry-run, notify, remediate).
	Mode string `json:"mode"`
	// Reason says, in words, why this status: what was done, what would
	// have been done, or why nothing was.
	Reason string `json:"reason"`
	// Exemption names the exemption that applied, if one did, such as
	// `target tag iamguard:exempt=true` or `exempt principal arn:...:role/deploy-*`.
	Exemption string `json:"exemption,omitempty"`
	// Plan is the remediation as carried out (or as it would have been), with
	// deferred parameters filled in where the service supplied them.
	Plan *Remediation `json:"plan,omitempty"`
	// Error is the error of a failed rollback.
	Error string `json:"error,omitempty"`
	// Undo is the AWS CLI command that undoes what iamguard did; empty when
	// iamguard changed nothing.
	Undo string `json:"undo,omitempty"`
}

// Alert is one finding and what iamguard did about it: everything a message
// says.
type Alert struct {
	Finding Finding
	Outcome Outcome
	// Function is the function family that handled it, such as
	// "policy-guard"; empty means the family of the finding's rule.
	Function string
	// ExemptTag is the tag key that exempts a target; empty means the
	// default, iamguard:exempt.
	ExemptTag string
}
