package rules

import (
	"context"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
)

// Family is one Lambda function: the rules it evaluates, and so the actions
// and lookups its role is granted and the clients its main builds. Its ID is
// also its folder, functions/<ID>.
type Family struct {
	ID string
	// Summary says what the function watches, for the docs.
	Summary string
}

// The function families, each one Lambda function whose role holds only what
// its rules' actions and lookups need.
var (
	RootActivity = &Family{ID: "root-activity", Summary: "the root user's sign-ins and API calls; notify only"}
	AccessKeys   = &Family{ID: "access-keys", Summary: "new access keys; notify, optionally deactivate the key"}
	PolicyGuard  = &Family{ID: "policy-guard", Summary: "policy changes and iamguard's own tags; notify, optionally detach, delete or restore"}
)

// Rules returns the family's rules, in table order.
func (f *Family) Rules() []*Rule {
	var out []*Rule
	for _, r := range table {
		if r.Family == f {
			out = append(out, r)
		}
	}
	return out
}

// Actions returns the response actions the family's rules may plan, each
// once, in table order.
func (f *Family) Actions() []*action.Action {
	var out []*action.Action
	for _, r := range f.Rules() {
		for _, a := range r.Actions {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Calls returns every call the family's function may make to act or to look
// up what an event names: its actions' calls and its rules' lookups, each
// operation once, with the union of the resources it is made on.
func (f *Family) Calls() []action.Call {
	var all []action.Call
	for _, a := range f.Actions() {
		all = append(all, a.Calls...)
	}
	for _, r := range f.Rules() {
		all = append(all, r.Lookups...)
	}
	return action.MergeCalls(all)
}

// Services returns the services whose clients the family's function needs
// besides SNS, such as "iam", in first-use order.
func (f *Family) Services() []string {
	var out []string
	for _, c := range f.Calls() {
		if s := c.Service(); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

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
	// FiresOn says which events the rule fires on, and Severities which
	// severity each kind of finding gets: short markdown-safe text for the
	// README's rules table (iamguard rules --format markdown).
	FiresOn, Severities string
	// NoRollback says which of the rule's findings get no rollback and why,
	// for the docs; required when the rule has no Actions.
	NoRollback string
	// Family is the Lambda function that handles the rule.
	Family *Family
	// Patterns are the EventBridge event patterns that route the rule's
	// events. The stack deploys each as one EventBridge rule; the offline
	// command matches records against them. An event routes to the rule when
	// any pattern matches.
	Patterns []eventpattern.Pattern
	// Actions are the response actions the rule's plans may name: the only
	// ones its function can carry out and its role is granted.
	Actions []*action.Action
	// Lookups are the calls the rule's evaluation may make, through the
	// Resolver, to find what an event names but does not carry (a managed
	// policy's document) in the Lambda; offline the stream answers instead.
	Lookups []action.Call

	evaluate func(ctx context.Context, ev *evaluation) []finding.Finding
}

// evaluation is what a rule's evaluate sees: the record and the engine's
// resolver and history.
type evaluation struct {
	rec      *cloudtrail.Record
	resolver Resolver
	history  *History
	settings Settings
}

// Settings are the operator's facts that some rules judge by: whom a role's
// trust policy may let in (trust-policy). The zero value trusts only the
// event's own account.
type Settings struct {
	// TrustedAccounts are other AWS accounts a trust policy may name.
	TrustedAccounts []string
	// TrustedOrgID (o-...) is the organisation a principal may be limited
	// to by aws:PrincipalOrgID.
	TrustedOrgID string
	// CanaryPolicyARN and CanaryRoleARN are the stack's canary: the policy
	// its schedule tags and the role that tags it (rule canary).
	CanaryPolicyARN, CanaryRoleARN string
	// Guardrail names the stack's own resources (rule guardrail-tampering).
	Guardrail Guardrail
}

var table = []*Rule{
	rootConsoleLogin,
	rootActivity,
	accessKeyCreated,
	exposedKey,
	wildcardPolicy,
	exemptTagChanged,
	permissionsBoundaryRemoved,
	adminGroupMembership,
	identityProvider,
	trailTampering,
	detectionDisabled,
	orgGuardrails,
	canary,
	guardrailTampering,
	consoleLoginNoMFA,
	mfaRemoved,
	loginProfile,
	trustPolicy,
	federationToken,
	passwordPolicy,
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

// Families returns the function families in table order, each once.
func Families() []*Family {
	var out []*Family
	for _, r := range table {
		if !slices.Contains(out, r.Family) {
			out = append(out, r.Family)
		}
	}
	return out
}

// FamilyByID returns the family with the ID.
func FamilyByID(id string) (*Family, bool) {
	for _, f := range Families() {
		if f.ID == id {
			return f, true
		}
	}
	return nil, false
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
	{"detail", "eventTypeCode"},
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
	put(detail, "eventTypeCode", s.EventTypeCode)
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
		// Only an AWS Health event has one: the scan is skipped for the
		// CloudTrail records that are nearly all of the traffic.
		EventTypeCode: healthTypeCode(rec),
	}
}

// healthTypeCode is the detail.eventTypeCode of an EventBridge event (AWS
// Health's), as Peek reads it; a bare CloudTrail record has none.
func healthTypeCode(rec *cloudtrail.Record) string {
	if rec.Envelope == nil {
		return ""
	}
	return rec.Field("eventTypeCode")
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

// apiCalls is the pattern of successful calls (no errorCode) of the named
// API operations of one service, as CloudTrail delivers them to EventBridge:
// source aws.<service>, detail-type "AWS API Call via CloudTrail".
func apiCalls(source, eventSource string, names ...string) eventpattern.Pattern {
	return eventpattern.Pattern{
		"source":      strs(source),
		"detail-type": strs(DetailTypeAPICall),
		"detail": map[string]any{
			"eventSource": strs(eventSource),
			"eventName":   strs(names...),
			"errorCode":   successOnly,
		},
	}
}

// consoleLogins is the pattern of console sign-ins by one identity type, in
// either spelling of the sign-in detail-type, failed or not.
func consoleLogins(identityType string) eventpattern.Pattern {
	return eventpattern.Pattern{
		"source":      strs("aws.signin"),
		"detail-type": strs(DetailTypeSignIn, DetailTypeSignInDoc),
		"detail": map[string]any{
			"eventSource":  strs("signin.amazonaws.com"),
			"eventName":    strs("ConsoleLogin"),
			"userIdentity": map[string]any{"type": strs(identityType)},
		},
	}
}

// partition returns the ARN partition of the actor, "aws" when unknown.
func partition(rec *cloudtrail.Record) string {
	arns := []string{rec.UserIdentity.ARN}
	if sc := rec.UserIdentity.SessionContext; sc != nil {
		arns = append(arns, sc.SessionIssuer.ARN)
	}
	for _, arn := range arns {
		if a, ok := awsarn.Parse(arn); ok && strings.HasPrefix(a.Partition, "aws") {
			return a.Partition
		}
	}
	return "aws"
}
