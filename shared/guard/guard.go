package guard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

// RuleUnevaluated is the rule named in the alert for an event that iamguard
// could not decode: it is reported, never dropped.
const RuleUnevaluated = "iamguard-unevaluated"

// Publisher sends one alert; *notify.Publisher is the production one.
type Publisher interface {
	Publish(ctx context.Context, a finding.Alert) (string, error)
}

// Handler handles the events of one function family.
type Handler struct {
	family     *rules.Family
	cfg        config.Config
	rules      []*rules.Rule
	resolver   rules.Resolver
	remediator *remediate.Remediator
	publisher  Publisher
	// outcomes holds each rollback's claim and outcome, so that a
	// redelivered event republishes the outcome instead of acting again;
	// nil means none.
	outcomes outcome.Store
	// republishDelays are the waits between extra attempts to publish the
	// alert of a rollback iamguard carried out (the SDK has already retried
	// each); tests shorten them.
	republishDelays []time.Duration
	// busyWaits are the waits before asking the outcome store again when
	// another delivery of the event holds a live claim (EventBridge may
	// deliver an event twice at once): most such claims are recorded
	// within a second, and a wait spares an invocation error (and the
	// errors alarm) and Lambda's retry a minute later. Tests shorten them.
	busyWaits []time.Duration
	// metrics receives the canary's heartbeat in CloudWatch's embedded
	// metric format: the function's standard output, which Lambda sends to
	// CloudWatch Logs, where the metric is extracted without an API call.
	metrics io.Writer
	now     func() time.Time
	// confirmer, with a queue configured, holds rollbacks in remediate
	// mode until CloudTrail confirms their event (confirm.go).
	confirmer Confirmer
	// accounts, with the organisation shape, reach the member accounts
	// through their responder roles (accounts.go); nil otherwise.
	accounts *Accounts
}

// New returns the handler of a function family. The remediator must carry
// out every action the family's rules may plan: a function wired without one
// fails at start-up, not on the first dangerous change.
func New(family *rules.Family, cfg config.Config, resolver rules.Resolver, rem *remediate.Remediator, pub Publisher) (*Handler, error) {
	if family == nil || len(family.Rules()) == 0 {
		return nil, errors.New("guard: a function family with rules is required")
	}
	if pub == nil || rem == nil {
		return nil, errors.New("guard: a publisher and a remediator are required")
	}
	var missing []string
	for _, a := range family.Actions() {
		if !rem.Has(a.ID) {
			missing = append(missing, a.ID)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("guard: function %s cannot carry out %s: its main must wire the %s executors", family.ID, strings.Join(missing, ", "), strings.Join(family.Services(), ", "))
	}
	if resolver == nil {
		resolver = rules.AWSManaged{}
	}
	return &Handler{family: family, cfg: cfg, rules: family.Rules(), resolver: resolver, remediator: rem, publisher: pub,
		republishDelays: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		busyWaits:       []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second},
		metrics:         os.Stdout, now: time.Now}, nil
}

// WithOutcomes makes the handler claim and record each rollback's outcome in
// store (nil: none) and returns it.
func (h *Handler) WithOutcomes(store outcome.Store) *Handler {
	h.outcomes = store
	return h
}

// Handle handles one event, as delivered. The Lambda runtime reaches it
// through Invoke, which hands over the payload even when it is not JSON.
func (h *Handler) Handle(ctx context.Context, event json.RawMessage) error {
	slog.DebugContext(ctx, "event received", "event", string(event))
	if msgs, ok := queueMessages(event); ok && h.confirmer != nil {
		return h.confirmAll(ctx, msgs)
	}
	rec, err := cloudtrail.DecodeRecord(event)
	if err != nil {
		return h.unevaluated(ctx, event, err)
	}
	unproven := provenance(rec, h.cfg)
	// The canary's write is a heartbeat, recognised before the loop
	// protection below: it must count even if the canary role is one of
	// iamguard's own. A write of its shape by anyone else is judged by
	// rule canary like any other change. A heartbeat counts only when the
	// event is proven real: a forged one would hide a blind stack from its
	// alarm.
	if b, ok := rules.CanaryBeat(rec); ok && h.cfg.Rules.IsCanary(b) && unproven == "" {
		return h.heartbeat(ctx, rec, b)
	}
	return h.process(ctx, rec, event, stage{unproven: unproven, live: true})
}

// stage is how far an event has been proven real when it is processed.
type stage struct {
	// unproven says what is not proven; "" when nothing is missing.
	unproven string
	// live: the event as EventBridge delivered it, not yet confirmed by
	// CloudTrail; a rollback waits for the confirmation when one is
	// configured.
	live bool
}

// process evaluates a record against the family's rules, decides and carries
// out each rollback (or defers it to CloudTrail's confirmation) and publishes
// one alert per finding.
func (h *Handler) process(ctx context.Context, rec *cloudtrail.Record, event json.RawMessage, st stage) error {
	// iamguard's own rollbacks (SetDefaultPolicyVersion back to the safe
	// version routes to policy-guard again) are ignored before any rule
	// runs: evaluating them would cost IAM lookups for nothing.
	if issuer := sessionIssuer(rec); h.remediator.IsSelfActor(rec.UserIdentity.ARN, issuer) {
		slog.InfoContext(ctx, "iam change ignored: made by iamguard itself", "eventID", rec.EventID, "eventName", rec.EventName,
			"principalARN", rec.UserIdentity.ARN, "action", "ignored")
		return nil
	}
	unproven := st.unproven
	sc, err := h.scopeFor(ctx, rec, unproven == "")
	if err != nil {
		slog.ErrorContext(ctx, "iam change not evaluated: the event's account could not be entered", "eventID", rec.EventID,
			"eventName", rec.EventName, "account", eventAccount(rec), "err", err)
		return err // Lambda delivers the event again
	}
	if unproven == "" {
		unproven = sc.unproven
	}
	sum := rules.SummaryOf(rec)
	if unproven != "" || rec.Envelope == nil {
		// Judge what the record says it is, whatever its envelope claims:
		// a forged event that would be dangerous if real is reported, and
		// CloudTrail's own record has no envelope.
		bare := *rec
		bare.Envelope = nil
		sum = rules.SummaryOf(&bare)
	}
	var findings []finding.Finding
	for _, r := range h.rules {
		if sc.cfg.ModeFor(r.ID) == finding.ModeOff || !r.Matches(sum) {
			continue
		}
		findings = append(findings, r.EvaluateWith(ctx, rec, sc.resolver, h.cfg.Rules)...)
	}
	if len(findings) == 0 {
		if unproven != "" {
			slog.WarnContext(ctx, "event not proven to be CloudTrail's; no rule fires on it", "eventID", rec.EventID, "eventName", rec.EventName,
				"principalARN", rec.UserIdentity.ARN, "unproven", unproven, "action", "none")
			return nil
		}
		slog.InfoContext(ctx, "iam change evaluated", "eventID", rec.EventID, "eventName", rec.EventName,
			"principalARN", rec.UserIdentity.ARN, "severity", severity.None.String(), "action", "none")
		return nil
	}
	// settled is one finding's alert, as acted on or recorded earlier.
	type settled struct {
		alert    finding.Alert
		replayed bool // republished from the outcome store
	}
	items := make([]settled, 0, len(findings))
	pending := false
	var errs []error
	for _, f := range findings {
		if h.remediator.IsSelf(f) {
			slog.InfoContext(ctx, "iam change ignored: made by iamguard itself", "eventID", f.EventID, "eventName", f.EventName,
				"rule", f.Rule, "principalARN", f.Actor, "action", "ignored")
			continue
		}
		if h.cfg.Organization() && f.Account != "" && !strings.Contains(f.Summary, f.Account) {
			// One topic hears every account: each alert says whose.
			f.Summary += " in account " + f.Account
		}
		if unproven != "" {
			f.Unproven = unproven
			f.Reasons = append(f.Reasons, "iamguard did not act on this change: the event is not proven to be CloudTrail's ("+unproven+")")
		}
		var o finding.Outcome
		if st.live && h.confirming() && isHealthEvent(rec) {
			// AWS Health events are not in CloudTrail, and the Health API
			// needs a Business support plan: there is nothing to confirm
			// one with. Acted on as delivered (a key deactivated, never
			// deleted), and the alert says so.
			f.Reasons = append(f.Reasons, "not confirmed by CloudTrail: AWS Health events are not recorded there, so iamguard acts on this one as EventBridge delivered it")
		} else if st.live && h.confirming() {
			if d, proceed := remediate.Decide(sc.cfg, f); proceed && d.Mode == string(finding.ModeRemediate) {
				d.Status = finding.StatusPending
				d.Reason = fmt.Sprintf("the rollback waits for CloudTrail to confirm the event: iamguard looks it up with LookupEvents in about %d minutes "+
					"(CloudTrail delivers events within about 5 minutes on average, not guaranteed) and rolls back only if CloudTrail recorded the same call; "+
					"a second alert says what became of it", int(firstLookup/time.Minute))
				o, pending = d, true
			}
		}
		if o.Status != "" {
			items = append(items, settled{alert: finding.Alert{Finding: f, Outcome: o, Function: h.family.ID, ExemptTag: h.cfg.ExemptTag}})
			continue
		}
		alert, replayed, err := h.settle(ctx, sc, f)
		if err != nil {
			// Another delivery of the event is acting on this finding:
			// Lambda's retry finds its outcome recorded, or its claim
			// lapsed.
			slog.WarnContext(ctx, "iam change evaluated; another delivery holds it", "eventID", f.EventID, "eventName", f.EventName,
				"rule", f.Rule, "target", f.Target, "action", "deferred", "err", err)
			errs = append(errs, err)
			continue
		}
		items = append(items, settled{alert: alert, replayed: replayed})
	}
	if pending {
		// Queue the event once, before any alert says it is queued.
		if err := h.deferEvent(ctx, event, 1, h.now(), firstLookup); err != nil {
			errs = append(errs, err)
			for i := range items {
				if o := &items[i].alert.Outcome; o.Status == finding.StatusPending {
					o.Status, o.Error = finding.StatusFailed, err.Error()
					o.Reason = "the event could not be queued for CloudTrail's confirmation, so nothing was changed; the function fails so that Lambda delivers the event again"
				}
			}
		}
	}
	for _, it := range items {
		alert, replayed := it.alert, it.replayed
		f, o := alert.Finding, alert.Outcome
		id, err := h.publisher.Publish(ctx, alert)
		if err != nil && o.Status == finding.StatusDone {
			// iamguard changed IAM: the alert that says so, with its undo
			// command, must not be lost to a passing SNS fault. (A retried
			// event republishes the recorded outcome, when there is an
			// outcome store.)
			id, err = h.republish(ctx, alert, err)
		}
		attrs := []any{"eventID", f.EventID, "eventName", f.EventName, "rule", f.Rule, "severity", f.Severity.String(),
			"principalARN", f.Actor, "target", f.Target, "action", string(o.Status)}
		if replayed {
			attrs = append(attrs, "replayed", true)
		}
		if o.Exemption != "" {
			attrs = append(attrs, "exemption", o.Exemption)
		}
		if o.Error != "" {
			attrs = append(attrs, "rollbackError", o.Error)
		}
		if err != nil {
			slog.ErrorContext(ctx, "iam change evaluated; alert not published", append(attrs, "err", err)...)
			errs = append(errs, err)
			continue
		}
		slog.InfoContext(ctx, "iam change evaluated", append(attrs, "messageID", id)...)
	}
	return errors.Join(errs...)
}

// settle decides one finding's outcome, once per event, rule and target when
// there is an outcome store: a finding iamguard may act on is claimed
// first; a recorded outcome is returned as it was (replayed), and a claim
// of a delivery that died is taken over (outcome.Resume). It returns an
// error only when another delivery holds a live claim. When the store
// cannot be reached, it acts without a claim (iamguard's actions are
// idempotent and state-checked) rather than leave a dangerous change in
// place, and says so in the log.
func (h *Handler) settle(ctx context.Context, sc scope, f finding.Finding) (a finding.Alert, replayed bool, err error) {
	alert := func(o finding.Outcome) finding.Alert {
		return finding.Alert{Finding: f, Outcome: o, Function: h.family.ID, ExemptTag: h.cfg.ExemptTag}
	}
	if h.outcomes == nil || !remediate.WillAct(sc.cfg, f) {
		return alert(sc.remediator.Handle(ctx, f)), false, nil
	}
	key := outcome.Key{EventID: f.EventID, Rule: f.Rule, Target: f.Target}
	now := h.now()
	token, until := claimant(ctx, now)
	start, err := outcome.Begin(ctx, h.outcomes, key, token, until, now)
	for _, wait := range h.busyWaits {
		if !errors.Is(err, outcome.ErrBusy) {
			break
		}
		if d, ok := ctx.Deadline(); ok && time.Until(d) < wait+10*time.Second {
			break // leave time to act and publish once the claim is ours
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		start, err = outcome.Begin(ctx, h.outcomes, key, token, until, h.now())
	}
	switch {
	case errors.Is(err, outcome.ErrBusy):
		return finding.Alert{}, false, err
	case err != nil:
		slog.WarnContext(ctx, "outcome store unavailable: acting without a claim", "eventID", f.EventID, "rule", f.Rule, "target", f.Target, "err", err)
		return alert(sc.remediator.Handle(ctx, f)), false, nil
	case start.Replay != nil:
		return *start.Replay, true, nil
	}
	o := sc.remediator.Handle(ctx, f)
	if start.Resumed {
		o = outcome.Resume(o, start.Since)
	}
	a = alert(o)
	if o.Status == finding.StatusFailed || o.Error != "" {
		// A failed rollback, or one skipped because the exempt tag could
		// not be read, is not the finding's last word: its claim is left
		// to lapse, so that a later delivery of the event tries again.
		return a, false, nil
	}
	if err := h.outcomes.Record(ctx, key, token, a); err != nil {
		// The alert still goes out. Should its publish fail too, the
		// retry finds the claim lapsed and resumes it (with the undo).
		slog.WarnContext(ctx, "outcome not recorded", "eventID", f.EventID, "rule", f.Rule, "target", f.Target, "err", err)
	}
	return a, false, nil
}

// claimant names this delivery in the outcome store, and says until when
// its claim holds: the invocation's Lambda request ID and deadline (Lambda
// stops the invocation then, so a claim older than that is of a delivery
// that died). Outside Lambda, a random token and 15 minutes, Lambda's
// longest timeout.
func claimant(ctx context.Context, now time.Time) (token string, until time.Time) {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		token = lc.AwsRequestID
	} else {
		var b [16]byte
		_, _ = rand.Read(b[:])
		token = hex.EncodeToString(b[:])
	}
	until, ok := ctx.Deadline()
	if !ok {
		until = now.Add(15 * time.Minute)
	}
	return token, until
}

// Heartbeat metrics: namespace, names and dimension, which the stack's
// blind alarm watches.
const (
	MetricNamespace   = "iamguard"
	MetricHeartbeat   = "CanaryHeartbeat"
	MetricCanaryDelay = "CanaryDelaySeconds"
	MetricDimension   = "Function"
	// MetricStackDimension names the stack, when the function knows it
	// (IAMGUARD_STACK_NAME): two stacks in one account keep two heartbeats.
	MetricStackDimension = "Stack"
)

// heartbeat writes one line in CloudWatch's embedded metric format: a
// heartbeat, and how long the canary's write took to arrive (CloudTrail and
// EventBridge's delay, which the alarm's margin must cover).
func (h *Handler) heartbeat(ctx context.Context, rec *cloudtrail.Record, b rules.Beat) error {
	now := h.now().UTC()
	delay := 0.0
	if !b.Time.IsZero() {
		delay = max(0, now.Sub(b.Time).Seconds())
	}
	dims := []string{MetricDimension}
	if h.cfg.Rules.Guardrail.StackName != "" {
		dims = append(dims, MetricStackDimension)
	}
	fields := map[string]any{
		"_aws": map[string]any{
			"Timestamp": now.UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  MetricNamespace,
				"Dimensions": [][]string{dims},
				"Metrics": []any{
					map[string]string{"Name": MetricHeartbeat, "Unit": "Count"},
					map[string]string{"Name": MetricCanaryDelay, "Unit": "Seconds"},
				},
			}},
		},
		MetricDimension:   h.family.ID,
		MetricHeartbeat:   1,
		MetricCanaryDelay: delay,
		"eventID":         rec.EventID,
		"canaryWrittenAt": b.Time.UTC().Format(time.RFC3339),
	}
	if len(dims) > 1 {
		fields[MetricStackDimension] = h.cfg.Rules.Guardrail.StackName
	}
	line, err := json.Marshal(fields)
	if err == nil {
		_, err = fmt.Fprintln(h.metrics, string(line))
	}
	if err != nil {
		// Returning the error makes Lambda retry: a lost heartbeat would
		// page someone about a blindness that is not there.
		return fmt.Errorf("canary heartbeat for event %s not written: %w", rec.EventID, err)
	}
	slog.InfoContext(ctx, "canary heartbeat", "eventID", rec.EventID, "policyARN", b.PolicyARN, "delaySeconds", delay, "action", "heartbeat")
	return nil
}

// unevaluated notifies that an event could not be decoded, with enough of it
// to find it again, and returns only a publish error: retrying a malformed
// event would not make it readable.
func (h *Handler) unevaluated(ctx context.Context, event json.RawMessage, cause error) error {
	f := finding.Finding{
		Rule:     RuleUnevaluated,
		Severity: severity.Medium,
		Summary:  "iamguard could not evaluate an event delivered to " + h.family.ID,
		Reasons: []string{
			"the event could not be decoded: " + cause.Error(),
			"first bytes of the event: " + excerpt(event, 600),
		},
		Unresolved:      cause.Error(),
		RemediationNote: "nothing was evaluated or changed; look the event up in CloudTrail and check it by hand",
	}
	var env struct {
		ID      string `json:"id"`
		Account string `json:"account"`
		Region  string `json:"region"`
	}
	if json.Unmarshal(event, &env) == nil {
		f.EventID, f.Account, f.Region = env.ID, env.Account, env.Region
	}
	o := finding.Outcome{Status: finding.StatusSkipped, Reason: "the event could not be evaluated, so nothing was changed"}
	id, err := h.publisher.Publish(ctx, finding.Alert{Finding: f, Outcome: o, Function: h.family.ID, ExemptTag: h.cfg.ExemptTag})
	if err != nil {
		slog.ErrorContext(ctx, "event not evaluated; alert not published", "decodeErr", cause, "err", err)
		return fmt.Errorf("publish alert for an undecodable event: %w", err)
	}
	slog.WarnContext(ctx, "event not evaluated", "decodeErr", cause, "messageID", id, "action", string(o.Status))
	return nil
}

// eventDetailTypes are the detail-types of the events iamguard's rules
// receive: CloudTrail's, and AWS Health's.
var eventDetailTypes = map[string]bool{
	cloudtrail.DetailTypeAPICall:        true,
	cloudtrail.DetailTypeConsoleSignIn:  true,
	"AWS Console Signin via CloudTrail": true, // the spelling some AWS pages use
	cloudtrail.DetailTypeServiceEvent:   true,
	cloudtrail.DetailTypeConsoleAction:  true,
	"AWS Health Event":                  true,
}

// provenance says why an event is not proven to come from AWS through
// EventBridge for this account, or "" when it is. Anyone allowed to invoke
// the function can hand it any payload, and anyone allowed PutEvents on the
// bus can put events of any source but the "aws." namespace, which AWS
// keeps for its services; neither can make EventBridge deliver an event of
// another account to this one's rules. Only the real thing is acted on.
//
// With the organisation shape (cfg.Organization), an event of any account
// is accepted here: the central bus admits only the organisation's
// accounts, and whether iamguard may act in the account is IAM's to say
// when the function assumes its responder role (scopeFor). The envelope
// and the record must still name the same account.
func provenance(rec *cloudtrail.Record, cfg config.Config) string {
	env := rec.Envelope
	account := cfg.Account()
	if cfg.Organization() && env != nil && config.IsAccountID(env.Account) {
		account = env.Account
	}
	switch {
	case env == nil:
		return "it did not arrive as an EventBridge event: a bare record was handed to the function"
	case !strings.HasPrefix(env.Source, "aws."):
		return fmt.Sprintf("its source %q is not an AWS service's (AWS keeps the aws. prefix for its own)", env.Source)
	case !eventDetailTypes[env.DetailType]:
		return fmt.Sprintf("its detail-type %q is not one CloudTrail or AWS Health sends", env.DetailType)
	case account == "":
		return "the function does not know its own account"
	case env.Account != account:
		return fmt.Sprintf("it is for account %q, not this one (%s)", env.Account, account)
	case cfg.Organization() && rec.RecipientAccountID != "" && rec.RecipientAccountID != account:
		return fmt.Sprintf("its record is for account %q, its envelope for account %q", rec.RecipientAccountID, account)
	case rec.RecipientAccountID != "" && rec.RecipientAccountID != account:
		return fmt.Sprintf("its record is for account %q, not this one (%s)", rec.RecipientAccountID, account)
	}
	return ""
}

// isHealthEvent reports whether the record is an AWS Health event, which
// CloudTrail does not record.
func isHealthEvent(rec *cloudtrail.Record) bool {
	return rec.Envelope != nil && rec.Envelope.Source == "aws.health"
}

// sessionIssuer is the role or user that issued the actor's session, or "".
func sessionIssuer(rec *cloudtrail.Record) string {
	if sc := rec.UserIdentity.SessionContext; sc != nil {
		return sc.SessionIssuer.ARN
	}
	return ""
}

func excerpt(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	for n > 0 && !utf8.Valid(b[:n]) {
		n--
	}
	return string(b[:n]) + "…"
}

func (h *Handler) republish(ctx context.Context, a finding.Alert, err error) (string, error) {
	for _, d := range h.republishDelays {
		slog.WarnContext(ctx, "alert of a rollback not published; trying again", "eventID", a.Finding.EventID, "rule", a.Finding.Rule, "err", err, "wait", d.String())
		select {
		case <-ctx.Done():
			return "", errors.Join(err, ctx.Err())
		case <-time.After(d):
		}
		var id string
		if id, err = h.publisher.Publish(ctx, a); err == nil {
			return id, nil
		}
	}
	return "", err
}
