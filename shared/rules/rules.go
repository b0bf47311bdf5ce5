package rules

import (
	"context"
	"strings"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
)

// The function families. Each is one Lambda function whose role holds only
// what its rules' remediations need.
const (
	FamilyRootActivity = "root-activity"
	FamilyAccessKeys   = "access-keys"
	FamilyPolicyGuard  = "policy-guard"
)

// Detail-type strings of CloudTrail events on EventBridge. Sign-in events are
// documented as "AWS Console Signin via CloudTrail" but delivered as "AWS
// Console Sign In via CloudTrail"; sign-in patterns match both.
const (
	DetailTypeAPICall     = "AWS API Call via CloudTrail"
	DetailTypeSignIn      = "AWS Console Sign In via CloudTrail"
	DetailTypeSignInDoc   = "AWS Console Signin via CloudTrail"
	DetailTypeConsoleCall = "AWS Console Action via CloudTrail"
)

// Rule is one row of the rules table.
type Rule struct {
	// ID is stable: configuration, alerts and exemptions name rules by it.
	ID          string
	Title       string
	Description string
	// Family names the Lambda function that handles the rule.
	Family string
	// Patterns are the EventBridge event patterns that route the rule's
	// events. The stack deploys each as one EventBridge rule; the offline
	// command matches records against them. An event routes to the rule when
	// any pattern matches.
	Patterns []eventpattern.Pattern
	// Remediates lists the IAM actions the rule's planned remediations (and
	// their undo steps) may call, for documentation and role scoping.
	Remediates []string

	evaluate func(ctx context.Context, ev *evaluation) []finding.Finding
}

// evaluation is what a rule's evaluate sees: the record and the engine's
// resolver and history.
type evaluation struct {
	rec      *cloudtrail.Record
	resolver Resolver
	history  *History
}

var table = []*Rule{
	rootConsoleLogin,
	rootActivity,
	accessKeyCreated,
	wildcardPolicy,
	exemptTagChanged,
}

// Table returns every rule, in a stable order.
func Table() []*Rule {
	out := make([]*Rule, len(table))
	copy(out, table)
	return out
}

// ByID returns the rule with the given ID.
func ByID(id string) (*Rule, bool) {
	for _, r := range table {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// ForFamily returns the rules handled by one function family.
func ForFamily(family string) []*Rule {
	var out []*Rule
	for _, r := range table {
		if r.Family == family {
			out = append(out, r)
		}
	}
	return out
}

// Families returns the function families in table order, each once.
func Families() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range table {
		if !seen[r.Family] {
			seen[r.Family] = true
			out = append(out, r.Family)
		}
	}
	return out
}

// Matches reports whether the rule's patterns route the summarised event.
func (r *Rule) Matches(s cloudtrail.Summary) bool {
	return r.matchesEvent(routingEvent(s))
}

func (r *Rule) matchesEvent(ev map[string]any) bool {
	for _, p := range r.Patterns {
		if p.Match(ev) {
			return true
		}
	}
	return false
}

// RoutingPaths lists the event fields that routing reads. Every path a rule
// pattern tests must be among them (a test checks), since Summary carries no
// other field.
var RoutingPaths = [][]string{
	{"source"},
	{"detail-type"},
	{"detail", "eventSource"},
	{"detail", "eventName"},
	{"detail", "eventType"},
	{"detail", "errorCode"},
	{"detail", "userIdentity", "type"},
	{"detail", "userIdentity", "invokedBy"},
}

// routingEvent builds the part of the EventBridge event that patterns test.
// Absent values stay absent so that {"exists": false} behaves as on AWS.
func routingEvent(s cloudtrail.Summary) map[string]any {
	detail := map[string]any{}
	put := func(m map[string]any, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put(detail, "eventSource", s.EventSource)
	put(detail, "eventName", s.EventName)
	put(detail, "eventType", s.EventType)
	put(detail, "errorCode", s.ErrorCode)
	if s.IdentityType != "" || s.InvokedBy != "" {
		id := map[string]any{}
		put(id, "type", s.IdentityType)
		put(id, "invokedBy", s.InvokedBy)
		detail["userIdentity"] = id
	}
	ev := map[string]any{"detail": detail}
	put(ev, "source", s.Source)
	put(ev, "detail-type", s.DetailType)
	return ev
}

// SummaryOf gives the routing summary of a decoded record, the same one
// cloudtrail.Peek gives of its raw bytes.
func SummaryOf(rec *cloudtrail.Record) cloudtrail.Summary {
	return cloudtrail.Summary{
		Source:       rec.Source(),
		DetailType:   rec.DetailType(),
		EventSource:  rec.EventSource,
		EventName:    rec.EventName,
		EventType:    rec.EventType,
		ErrorCode:    rec.ErrorCode,
		IdentityType: rec.UserIdentity.Type,
		InvokedBy:    rec.UserIdentity.InvokedBy,
	}
}

// strs converts strings to the []any form that patterns and CDK expect.
func strs(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

var successOnly = []any{map[string]any{"exists": false}}

// partition returns the ARN partition of the actor, "aws" when unknown.
func partition(rec *cloudtrail.Record) string {
	arns := []string{rec.UserIdentity.ARN}
	if sc := rec.UserIdentity.SessionContext; sc != nil {
		arns = append(arns, sc.SessionIssuer.ARN)
	}
	for _, arn := range arns {
		if p := strings.Split(arn, ":"); len(p) > 2 && p[0] == "arn" && strings.HasPrefix(p[1], "aws") {
			return p[1]
		}
	}
	return "aws"
}
