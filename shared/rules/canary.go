package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// The canary: on a schedule, a role of the stack's own tags a
// customer-managed policy that grants nothing (path CanaryPolicyPath), with
// the key CanaryTagKey. The write travels as every IAM change does
// (CloudTrail, EventBridge in us-east-1, the rule, audit-guard), and
// audit-guard turns it into a heartbeat metric; an alarm fires when the
// heartbeats stop, so that silence never passes for calm.
const (
	// CanaryTagKey is the tag key of the canary's write.
	CanaryTagKey = "iamguard:canary"
	// CanaryPolicyPath is the IAM path of the canary's policy.
	CanaryPolicyPath = "/iamguard/canary/"
)

// Beat is one canary write as CloudTrail recorded it.
type Beat struct {
	// Time is when the write was made.
	Time time.Time
	// PolicyARN is the policy tagged; RoleARN the role whose session made
	// the write (its session issuer), empty when the actor was no role.
	PolicyARN, RoleARN string
}

// CanaryBeat reports whether rec has the shape of a canary write: a
// successful iam:TagPolicy of a policy under CanaryPolicyPath with the key
// CanaryTagKey. The shape alone proves nothing; Settings.IsCanary says
// whether the write came from this stack's canary.
func CanaryBeat(rec *cloudtrail.Record) (Beat, bool) {
	if rec == nil || rec.EventSource != "iam.amazonaws.com" || rec.EventName != "TagPolicy" || rec.Failed() {
		return Beat{}, false
	}
	arn := rec.RequestParam("policyArn")
	if !strings.Contains(arn, ":policy"+CanaryPolicyPath) {
		return Beat{}, false
	}
	var tags []tagParam
	if err := json.Unmarshal(rec.RequestParamRaw("tags"), &tags); err != nil {
		return Beat{}, false
	}
	for _, t := range tags {
		if t.Key == CanaryTagKey {
			b := Beat{Time: rec.EventTime, PolicyARN: arn}
			if sc := rec.UserIdentity.SessionContext; sc != nil && sc.SessionIssuer.Type == "Role" {
				b.RoleARN = sc.SessionIssuer.ARN
			}
			return b, true
		}
	}
	return Beat{}, false
}

// IsCanary reports whether b is this stack's canary: its policy and its
// role, as the stack configured them. Without a configured canary nothing
// is.
func (s Settings) IsCanary(b Beat) bool {
	return s.CanaryPolicyARN != "" && s.CanaryRoleARN != "" && b.PolicyARN == s.CanaryPolicyARN && b.RoleARN == s.CanaryRoleARN
}

var canary = &Rule{
	ID:    "canary",
	Title: "Forged canary heartbeat",
	Description: "The canary's write proves every hour that CloudTrail, EventBridge and audit-guard still work, and becomes a heartbeat " +
		"metric, never an alert. A write of the same shape that is not the stack's own (another role, another policy) could fake that " +
		"proof while the real path is broken: medium, notify.",
	FiresOn: "a successful `TagPolicy` with the tag key `" + CanaryTagKey + "` on a policy under `" + CanaryPolicyPath + "`, made by a role " +
		"other than the stack's canary role or on a policy other than its canary policy (the stack's own write is the heartbeat)",
	Severities: "medium for a forged write; high for a gap between heartbeats longer than the period and a quarter of an hour (`iamguard check`)",
	NoRollback: "a tag grants nothing: find who made the write and why",
	Family:     AuditGuard,
	// Every successful TagPolicy reaches audit-guard (they are rare): the
	// routing summary does not carry the policy's ARN, so the function
	// tells the canary's policy apart.
	Patterns: []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "TagPolicy")},
	evaluate: evaluateCanary,
}

func evaluateCanary(_ context.Context, ev *evaluation) []finding.Finding {
	b, ok := CanaryBeat(ev.rec)
	if !ok || ev.settings.IsCanary(b) {
		return nil
	}
	if ev.settings.CanaryPolicyARN == "" {
		// Offline, without the stack's settings, a canary-shaped write
		// cannot be judged: iamguard check counts it as a heartbeat.
		return nil
	}
	f := newFinding("canary", ev.rec)
	f.Severity = severity.Medium
	f.Target = b.PolicyARN
	f.Summary = fmt.Sprintf("%s made a canary-shaped write (TagPolicy %s on %s) that is not this stack's canary", actorName(ev.rec), CanaryTagKey, b.PolicyARN)
	switch {
	case b.PolicyARN != ev.settings.CanaryPolicyARN:
		f.Reasons = append(f.Reasons, fmt.Sprintf("the policy is not the stack's canary policy %s", ev.settings.CanaryPolicyARN))
	default:
		f.Reasons = append(f.Reasons, fmt.Sprintf("the write was made by %s, not by the stack's canary role %s",
			orName(b.RoleARN, ev.rec.UserIdentity.ARN), ev.settings.CanaryRoleARN))
	}
	f.Reasons = append(f.Reasons, "it was not counted as a heartbeat: a forged heartbeat could hide that the real path (trail, rule, function) is broken")
	f.RemediationNote = "find who made the write and why; only the stack's canary role may tag its canary policy (the policy's tags carry no permissions)"
	return []finding.Finding{f}
}

// CanaryMargin is how late a heartbeat may be before it counts as missed:
// CloudTrail "typically delivers logs within an average of about 5
// minutes of an API call. This time is not guaranteed" (AWS CloudTrail
// User Guide, get-and-view-cloudtrail-log-files), and EventBridge delivery
// of CloudTrail events is best effort; three times the average covers a slow
// delivery without paging anyone, and a stopped pipeline still shows within
// one period and a quarter of an hour.
const CanaryMargin = 15 * time.Minute

// Gap is a stretch with no heartbeat: From is the last beat before it
// (Index its position in the records given), To the next one.
type Gap struct {
	Index    int
	From, To time.Time
	Finding  finding.Finding
}

// CanaryGaps finds the stretches longer than every plus CanaryMargin
// between consecutive canary writes of each canary policy among recs (in
// event-time order), and after the last one up to end (the newest record
// read; zero to skip that check). With a canary configured in s only its
// writes count; without one, every canary-shaped write does, each policy
// (each account's stack) on its own. Each gap is a high finding of rule
// canary, on the write that ended it, or for a silence that lasts to the
// end, on the last write: for that long, the path from CloudTrail to
// audit-guard was broken or the schedule stopped.
func CanaryGaps(recs []*cloudtrail.Record, s Settings, every time.Duration, end time.Time) []Gap {
	if every <= 0 {
		return nil
	}
	type last struct {
		beat  Beat
		index int
	}
	var out []Gap
	lasts := map[string]*last{}
	var order []string
	gap := func(i int, rec *cloudtrail.Record, b Beat, from, to time.Time, ongoing bool) Gap {
		f := newFinding("canary", rec)
		f.Severity = severity.High
		f.Target = b.PolicyARN
		missed := to.Sub(from).Round(time.Minute)
		if ongoing {
			f.Summary = fmt.Sprintf("no canary after %s up to %s, the newest record read (%s, expected every %s)", from.UTC().Format(time.RFC3339),
				to.UTC().Format(time.RFC3339), missed, every)
		} else {
			f.Summary = fmt.Sprintf("no canary between %s and %s (%s, expected every %s)", from.UTC().Format(time.RFC3339),
				to.UTC().Format(time.RFC3339), missed, every)
		}
		f.Reasons = append(f.Reasons,
			"for that long the schedule did not write, CloudTrail did not record, or the trail did not deliver: the changes it would have carried were not watched")
		if ongoing {
			f.Reasons = append(f.Reasons, "this finding is on the last write before the silence, which lasts to the end of what was read")
		} else {
			f.Reasons = append(f.Reasons, "this finding is on the write that ended the gap")
		}
		f.RemediationNote = "check the trail's status (aws cloudtrail get-trail-status) and event selectors for that window, the canary schedule, " +
			"and the EventBridge rules' FailedInvocations; then look through CloudTrail's event history for the gap"
		return Gap{Index: i, From: from, To: to, Finding: f}
	}
	for i, rec := range recs {
		b, ok := CanaryBeat(rec)
		if !ok || (s.CanaryPolicyARN != "" && !s.IsCanary(b)) || b.Time.IsZero() {
			continue
		}
		l := lasts[b.PolicyARN]
		if l == nil {
			l = &last{}
			lasts[b.PolicyARN] = l
			order = append(order, b.PolicyARN)
		} else if b.Time.Sub(l.beat.Time) > every+CanaryMargin {
			out = append(out, gap(i, rec, b, l.beat.Time, b.Time, false))
		}
		l.beat, l.index = b, i
	}
	if !end.IsZero() {
		for _, p := range order {
			l := lasts[p]
			if end.Sub(l.beat.Time) > every+CanaryMargin {
				out = append(out, gap(l.index, recs[l.index], l.beat, l.beat.Time, end, true))
			}
		}
	}
	return out
}
