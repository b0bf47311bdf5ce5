package rules

import (
	"context"
	"fmt"
	"sync"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/finding"
)

// Engine evaluates records against a set of rules. It remembers the policy
// versions the stream shows (see History), so feed it records in the order
// CloudTrail wrote them. An Engine is safe for concurrent use, but History
// only helps when related events go through the same Engine in order.
type Engine struct {
	rules    []*Rule
	resolver Resolver
	history  *History
	settings Settings

	// routes caches Route's answer per distinct summary: a trail repeats a
	// few hundred combinations of the routed fields, and matching every
	// rule's patterns again for each decoded record cost more than decoding.
	routesMu sync.Mutex
	routes   map[cloudtrail.Summary][]*Rule
}

// maxCachedRoutes bounds the routing cache; past it, Route matches afresh.
const maxCachedRoutes = 4096

// Options configure an Engine. The zero value evaluates every rule and
// resolves documents from the stream and the AWS managed-policy snapshot.
type Options struct {
	// Rules to evaluate; nil means the whole table.
	Rules []*Rule
	// Resolver is asked for documents the stream has not shown, after the
	// stream's own history; nil means the AWS managed-policy snapshot.
	Resolver Resolver
	// Settings are the operator's trusted accounts and organisation.
	Settings Settings
}

// NewEngine returns an Engine with the given options.
func NewEngine(opts Options) *Engine {
	e := &Engine{rules: opts.Rules, history: NewHistory(), settings: opts.Settings}
	if e.rules == nil {
		e.rules = Table()
	}
	r := opts.Resolver
	if r == nil {
		r = AWSManaged{}
	}
	e.resolver = Resolvers{e.history, r}
	return e
}

// Rules returns the rules the engine evaluates.
func (e *Engine) Rules() []*Rule { return e.rules }

// History returns what the engine has learnt of policy versions so far.
func (e *Engine) History() *History { return e.history }

// Route returns the engine's rules whose patterns match the summary. The
// slice is shared: callers must not change it.
func (e *Engine) Route(s cloudtrail.Summary) []*Rule {
	e.routesMu.Lock()
	rs, ok := e.routes[s]
	e.routesMu.Unlock()
	if ok {
		return rs
	}
	rs = e.route(s)
	e.routesMu.Lock()
	if e.routes == nil {
		e.routes = map[cloudtrail.Summary][]*Rule{}
	}
	if len(e.routes) < maxCachedRoutes {
		e.routes[s] = rs
	}
	e.routesMu.Unlock()
	return rs
}

func (e *Engine) route(s cloudtrail.Summary) []*Rule {
	ev := routingEvent(s)
	var out []*Rule
	for _, r := range e.rules {
		if r.matchesEvent(ev) {
			out = append(out, r)
		}
	}
	return out
}

// Interesting reports whether the record must be decoded at all: it routes to
// a rule, or it is an event that History learns from.
func (e *Engine) Interesting(s cloudtrail.Summary) bool {
	if s.EventSource == "iam.amazonaws.com" && s.ErrorCode == "" {
		switch s.EventName {
		case "CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion", "DeletePolicy",
			"AttachGroupPolicy", "DetachGroupPolicy", "PutGroupPolicy", "DeleteGroupPolicy":
			return true
		}
	}
	return len(e.Route(s)) > 0
}

// Evaluate returns the findings of every rule the record routes to, then
// records what the event shows of policy versions. It never fails: what it
// cannot resolve is reported in the finding.
func (e *Engine) Evaluate(ctx context.Context, rec *cloudtrail.Record) []finding.Finding {
	var out []finding.Finding
	if rec == nil {
		return nil
	}
	for _, r := range e.Route(SummaryOf(rec)) {
		out = append(out, r.evaluate(ctx, &evaluation{rec: rec, resolver: e.resolver, history: e.history, settings: e.settings})...)
	}
	e.history.Observe(rec)
	return out
}

// Evaluate runs one rule on a record, whether or not its patterns route the
// record there, with no stream history. Tests and the Lambda functions (whose
// events EventBridge has already routed) use it.
func (r *Rule) Evaluate(ctx context.Context, rec *cloudtrail.Record, resolver Resolver) []finding.Finding {
	return r.EvaluateWith(ctx, rec, resolver, Settings{})
}

// EvaluateWith is Evaluate with the operator's settings, as the Lambda
// functions call it.
func (r *Rule) EvaluateWith(ctx context.Context, rec *cloudtrail.Record, resolver Resolver, s Settings) []finding.Finding {
	if resolver == nil {
		resolver = AWSManaged{}
	}
	return r.evaluate(ctx, &evaluation{rec: rec, resolver: resolver, history: NewHistory(), settings: s})
}

// newFinding fills what every finding says about the event and its actor.
func newFinding(rule string, rec *cloudtrail.Record) finding.Finding {
	f := finding.Finding{
		Rule:      rule,
		EventID:   rec.EventID,
		EventName: rec.EventName,
		EventTime: rec.EventTime,
		Account:   rec.Account(),
		Region:    rec.AWSRegion,
		Actor:     actorARN(rec),
		ActorType: rec.UserIdentity.Type,
		SourceIP:  rec.SourceIPAddress,
		UserAgent: rec.UserAgent,
		MFA:       rec.MFAUsed() || (rec.UserIdentity.SessionContext != nil && rec.UserIdentity.SessionContext.MFAAuthenticated),
		Reasons:   []string{},
	}
	if sc := rec.UserIdentity.SessionContext; sc != nil {
		f.ActorIssuer = sc.SessionIssuer.ARN
	}
	if env := rec.Envelope; env != nil {
		// An event that is not a CloudTrail record (AWS Health) has only
		// its envelope's ID, time and Region.
		if f.Region == "" {
			f.Region = env.Region
		}
		if f.EventID == "" {
			f.EventID = env.ID
		}
		if f.EventTime.IsZero() {
			f.EventTime = env.Time
		}
	}
	return f
}

// actorARN names the principal; root records carry arn:aws:iam::ACCOUNT:root
// but fall back to building it when redacted away.
func actorARN(rec *cloudtrail.Record) string {
	id := rec.UserIdentity
	if id.ARN != "" {
		return id.ARN
	}
	if id.Type == "Root" && id.AccountID != "" {
		return fmt.Sprintf("arn:%s:iam::%s:root", partition(rec), id.AccountID)
	}
	if id.InvokedBy != "" {
		return id.InvokedBy
	}
	return id.PrincipalID
}

// actorName is a short name for subjects and summaries.
func actorName(rec *cloudtrail.Record) string {
	id := rec.UserIdentity
	switch {
	case id.Type == "Root":
		return "root"
	case id.UserName != "":
		return id.UserName
	case id.ARN != "":
		return id.ARN
	}
	return "unknown principal"
}
