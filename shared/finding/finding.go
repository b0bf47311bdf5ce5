package finding

import (
	"time"

	"github.com/iamguard/iamguard/shared/severity"
)

// Finding is one rule's verdict on one event: who did what, from where, why it
// is dangerous and what would undo it.
type Finding struct {
	Rule      string            `json:"rule"`
	Severity  severity.Severity `json:"severity"`
	EventID   string            `json:"eventID"`
	EventName string            `json:"eventName"`
	EventTime time.Time         `json:"eventTime"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Actor     string            `json:"actor"`     // ARN of the principal that made the call
	ActorType string            `json:"actorType"` // userIdentity.type: Root, IAMUser, AssumedRole...
	// ActorIssuer is the role or user that issued the actor's session
	// (sessionContext.sessionIssuer.arn), when the actor is a session.
	ActorIssuer string `json:"actorIssuer,omitempty"`
	SourceIP    string `json:"sourceIP,omitempty"`
	UserAgent   string `json:"userAgent,omitempty"`
	MFA         bool   `json:"mfa"` // the actor signed in (or its session was issued) with MFA
	Target      string `json:"target"`
	// OtherTargets are further resources the change touches, which
	// exemptTargets patterns match too: the group a user was added to.
	OtherTargets []string `json:"otherTargets,omitempty"`
	Summary      string   `json:"summary"`
	Reasons      []string `json:"reasons"`
	// Unresolved says why the rule could not fully evaluate the change (a policy
	// document it could not find); such a finding is reported, never dropped.
	Unresolved string `json:"unresolved,omitempty"`
	// Unproven says why the event that carried the change is not proven to
	// be CloudTrail's own (a bare record handed to the function, a source
	// outside AWS's "aws." namespace, another account): iamguard reports
	// such a change and never acts on it.
	Unproven string `json:"unproven,omitempty"`
	// Policy is the policy the change concerns, for wildcard-policy findings.
	Policy *PolicyRef `json:"policy,omitempty"`
	// Change is what a change to a document in effect added and removed,
	// against the document in effect before it, or why that is not known.
	Change *Change `json:"change,omitempty"`
	// Remediation is the planned rollback, or nil when none exists; then
	// RemediationNote says why and what a person should do instead.
	Remediation     *Remediation `json:"remediation"`
	RemediationNote string       `json:"remediationNote,omitempty"`
}

// Change is what a policy, trust policy or boundary change added and removed,
// grant by grant ("iam:PassRole on *"), against the document in effect
// before it.
type Change struct {
	// Before says what the change was compared with ("version v2, the
	// default before this change, as this stream showed it"), or, when
	// Known is false, why nothing could be.
	Before string `json:"before"`
	Known  bool   `json:"known"`
	// Assumed: Before is the likeliest previous document, not one shown to
	// have been in effect; NoNewAccess then lowers nothing.
	Assumed bool     `json:"assumed,omitempty"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// NoNewAccess: the new document allows nothing the old one did not.
	NoNewAccess bool `json:"noNewAccess"`
}

// PolicyRef identifies the policy a finding is about and keeps its document,
// so that an inline policy deleted by a rollback can be put back exactly.
type PolicyRef struct {
	ARN       string `json:"arn,omitempty"`  // managed policies
	Name      string `json:"name,omitempty"` // inline policies and CreatePolicy
	VersionID string `json:"versionID,omitempty"`
	Document  string `json:"document,omitempty"`
	Source    string `json:"source,omitempty"` // where the document came from: event, aws-managed-snapshot, cloudtrail-stream, iam
}

// Remediation is a planned rollback: the registered response action that
// undoes the dangerous change (Step.Action is its ID, such as
// "iam:DetachUserPolicy") and the call that undoes the rollback itself.
type Remediation struct {
	Step
	Description string `json:"description"`
	// Deferred names a parameter that only the service can supply at
	// remediation time (the previous default version, when the stream did not
	// show it) and how it is found. Such a plan's Parameters lack that key.
	Deferred string `json:"deferred,omitempty"`
	Undo     *Step  `json:"undo"`
}
