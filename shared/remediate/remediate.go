package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
)

// Executor carries out one registered response action (package action
// declares it; a service package such as iamaction implements it through a
// small interface of exactly the calls the action declares).
type Executor interface {
	// Tags returns the tags of the plan's target, for the exemption check;
	// nil when the target cannot carry tags or no longer exists.
	Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error)
	// Check reads the current state before anything changes: a non-empty
	// answer says there is nothing left to do, and why. It may fill the
	// plan's deferred parameters (and then its step and description).
	Check(ctx context.Context, plan *finding.Remediation) (done string, err error)
	// Do makes the change.
	Do(ctx context.Context, plan *finding.Remediation) error
}

// Executors maps action IDs (action.Action.ID, Step.Action) to their
// executors: what a function's main wires, exactly its family's actions.
type Executors map[string]Executor

// Only returns the executors of the given action IDs: a function carries
// out its own family's actions and no other, whatever a plan names.
func (e Executors) Only(ids ...string) Executors {
	out := Executors{}
	for _, id := range ids {
		if x, ok := e[id]; ok {
			out[id] = x
		}
	}
	return out
}

// GoneError says that the target of a rollback no longer exists, or no longer
// holds what the rollback would remove: nothing is left to undo.
type GoneError struct{ Reason string }

func (e *GoneError) Error() string { return e.Reason }

// AppliedError says that the change was made although the service's last
// answer said there was nothing to change: the SDK retried a call whose
// earlier attempt's answer was lost (a connection reset, a timeout, a 5xx),
// and the retry found the change already made, by that attempt. The
// rollback is done, and its undo applies.
type AppliedError struct{ Reason string }

func (e *AppliedError) Error() string { return e.Reason }

// RefusedError says that the service refuses the change for a reason no
// retry can mend (a service-linked role, no safe version to restore):
// iamguard skips the rollback and says why.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

// Remediator decides each finding's outcome and carries out rollbacks
// through its executors.
type Remediator struct {
	cfg       config.Config
	executors Executors
}

// New returns a Remediator with the executors of the function's actions (nil
// for a function whose rules never remediate, such as root-activity).
func New(cfg config.Config, executors Executors) *Remediator {
	return &Remediator{cfg: cfg, executors: executors}
}

// With returns a remediator with the same executors and another
// configuration: one account's (config.Config.For).
func (r *Remediator) With(cfg config.Config) *Remediator {
	return &Remediator{cfg: cfg, executors: r.executors}
}

// Has reports whether the remediator can carry out the action.
func (r *Remediator) Has(actionID string) bool {
	_, ok := r.executors[actionID]
	return ok
}

// IsSelf reports whether a finding's actor is one of iamguard's own roles: the
// event is iamguard's own rollback and must be ignored, not judged again.
func (r *Remediator) IsSelf(f finding.Finding) bool {
	return r.IsSelfActor(f.Actor, f.ActorIssuer)
}

// IsSelfActor reports whether an actor ARN, or the role or user that issued
// its session (issuer, "" if none), is one of iamguard's own roles. The
// guard asks before evaluating an event, so that iamguard's own rollbacks
// cost no lookup either.
//
// With SelfSessions configured (the stack does), only those exact sessions
// count: a role's other sessions, such as another Lambda function given
// iamguard's role, are not iamguard.
func (r *Remediator) IsSelfActor(actor, issuer string) bool {
	// In an organisation, iamguard acts in a member account through that
	// account's responder role, in a session it names after the event.
	if r.cfg.IsResponderSession(actor) {
		return true
	}
	if len(r.cfg.SelfSessions) > 0 {
		return actor != "" && slices.Contains(r.cfg.SelfSessions, actor)
	}
	for _, p := range r.cfg.SelfRoleARNs {
		if (issuer != "" && matchARN(p, issuer)) || (actor != "" && matchARN(p, actor)) {
			return true
		}
	}
	return false
}

// Decide is the pure part of the decision: from the configuration and the
// finding alone, the outcome when iamguard must not act (proceed false), or
// proceed true when the rollback may go ahead, subject to the target's
// exempt tag and its current state. It reads no clock and calls nothing.
// The overrides of the finding's account (config.Config.For) apply; those
// of its organisational units only when cfg already carries them (the guard
// applies them, knowing the account's parents).
func Decide(cfg config.Config, f finding.Finding) (o finding.Outcome, proceed bool) {
	cfg = cfg.For(f.Account)
	mode := cfg.ModeFor(f.Rule)
	o = finding.Outcome{Mode: string(mode), Plan: f.Remediation}
	switch {
	case mode == finding.ModeNotify || mode == finding.ModeOff:
		o.Status, o.Reason = finding.StatusNotified, "rule "+f.Rule+" is in "+string(mode)+" mode: nothing was changed"
		return o, false
	case f.Unproven != "":
		o.Status, o.Reason = finding.StatusSkipped, "not acted on: the event is not proven to be CloudTrail's ("+f.Unproven+")"
		return o, false
	case f.Remediation == nil:
		o.Status = finding.StatusSkipped
		o.Reason = "no rollback exists for this change"
		if f.RemediationNote != "" {
			o.Reason += ": " + f.RemediationNote
		}
		return o, false
	case f.Severity < cfg.RemediateMinSeverity:
		o.Status = finding.StatusNotified
		o.Reason = fmt.Sprintf("severity %s is below the remediation threshold (%s): nothing was changed", f.Severity, cfg.RemediateMinSeverity)
		return o, false
	case f.Unresolved != "":
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: iamguard could not judge the change ("+f.Unresolved+")"
		return o, false
	case f.ActorType == "Root" && strings.HasSuffix(f.Target, ":root"):
		o.Status, o.Reason = finding.StatusSkipped, "iamguard never acts on root credentials"
		return o, false
	}
	if ex := exemptByPattern(cfg, f); ex != "" {
		o.Status, o.Exemption = finding.StatusSkipped, ex
		o.Reason = "exempt (" + ex + "): notified, never touched"
		return o, false
	}
	return o, true
}

func exemptByPattern(cfg config.Config, f finding.Finding) string {
	for _, p := range cfg.ExemptPrincipals {
		if matchARN(p, f.Actor) || (f.ActorIssuer != "" && matchARN(p, f.ActorIssuer)) {
			return "exempt principal " + p
		}
	}
	for _, p := range cfg.ExemptTargets {
		for _, t := range append([]string{f.Target}, f.OtherTargets...) {
			if matchARN(p, t) {
				return "exempt target " + p
			}
		}
	}
	return ""
}

// exemptByTag reports the exemption the target's tags grant, if any.
func exemptByTag(tagKey string, tags map[string]string) string {
	for k, v := range tags {
		if k == tagKey && strings.EqualFold(strings.TrimSpace(v), "true") {
			return "target tag " + tagKey + "=true"
		}
	}
	return ""
}

// WillAct reports whether Handle may change something for the finding: the
// rule is in remediate mode (not dry-run) and Decide lets the rollback go
// ahead. Only such findings are claimed in the outcome store.
func WillAct(cfg config.Config, f finding.Finding) bool {
	_, proceed := Decide(cfg, f)
	return proceed && cfg.For(f.Account).ModeFor(f.Rule) == finding.ModeRemediate
}

// Handle decides and, where allowed, carries out the rollback of one finding.
// It never returns an error: a failure is an Outcome that the alert reports.
func (r *Remediator) Handle(ctx context.Context, f finding.Finding) finding.Outcome {
	o, proceed := Decide(r.cfg, f)
	if !proceed {
		return o
	}
	plan := *f.Remediation
	o.Plan = &plan
	exec, ok := r.executors[plan.Action]
	if !ok {
		o.Status, o.Reason = finding.StatusFailed, "this function cannot carry out "+plan.Action
		o.Error = "no executor for action " + plan.Action + " (rule " + f.Rule + ")"
		return o
	}
	tags, err := exec.Tags(ctx, &plan)
	if err != nil {
		// Unsure whether the target is a break-glass path: do not act.
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: the exemption tag could not be checked, and iamguard never acts when unsure"
		o.Error = err.Error()
		return o
	}
	if ex := exemptByTag(r.cfg.ExemptTag, tags); ex != "" {
		o.Status, o.Exemption = finding.StatusSkipped, ex
		o.Reason = "exempt (" + ex + "): notified, never touched"
		return o
	}
	dryRun := r.cfg.For(f.Account).ModeFor(f.Rule) == finding.ModeDryRun
	state, err := exec.Check(ctx, &plan)
	if err == nil && state == "" && !dryRun {
		err = exec.Do(ctx, &plan)
	}
	return finish(o, plan, state, err, dryRun)
}

// finish turns what the executor found or did into the outcome.
func finish(o finding.Outcome, plan finding.Remediation, state string, err error, dryRun bool) finding.Outcome {
	var gone *GoneError
	var refused *RefusedError
	var applied *AppliedError
	switch {
	case errors.As(err, &refused):
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: "+refused.Reason
	case errors.As(err, &applied):
		o.Status, o.Reason = finding.StatusDone, "rolled back: "+plan.Description+" ("+applied.Reason+")"
		if plan.Undo != nil {
			o.Undo = plan.Undo.Command
		}
	case errors.As(err, &gone):
		o.Status, o.Reason = finding.StatusAlreadyUndone, "nothing to undo: "+gone.Reason
		if plan.Undo != nil && !dryRun {
			// As below: an earlier delivery of the event may have made
			// the change (the outcome store, when there is one, tells).
			o.Undo = plan.Undo.Command
			o.Reason += "; if iamguard did this on an earlier delivery of the event, the undo command below reverses it"
		}
	case err != nil:
		o.Status, o.Reason, o.Error = finding.StatusFailed, "the rollback failed: "+plan.Description, err.Error()
	case state != "":
		o.Status, o.Reason = finding.StatusAlreadyUndone, state
		if plan.Undo != nil && !dryRun {
			// The state may be iamguard's own doing: an earlier delivery
			// of this event rolled it back and then failed to publish.
			o.Undo = plan.Undo.Command
			o.Reason += "; if iamguard did this on an earlier delivery of the event, the undo command below reverses it"
		}
	case dryRun:
		o.Status, o.Reason = finding.StatusDryRun, "dry-run: would "+plan.Description+" ("+plan.Command+")"
	default:
		o.Status, o.Reason = finding.StatusDone, "rolled back: "+plan.Description
		if plan.Undo != nil {
			o.Undo = plan.Undo.Command
		}
	}
	return o
}

// matchARN matches an ARN against an exemption or self-role pattern with
// IAM's documented semantics for ARNs in a policy's Resource element (the
// one ARN matcher, shared/policy): segment by segment, '*' any run of
// characters and '?' one character, neither crossing a ':' except a final
// '*'; case-sensitive, as ARNs are.
func matchARN(pattern, arn string) bool { return policy.MatchResource(pattern, arn) }
