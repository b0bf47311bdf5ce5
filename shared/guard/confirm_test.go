package guard

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// fakeConfirmer keeps deferred messages and answers lookups from a map of
// event ID to CloudTrail's record.
type fakeConfirmer struct {
	deferred  [][]byte
	delays    []time.Duration
	trail     map[string][]byte
	deferErr  error
	lookupErr error
	lookups   []string // region/eventID
}

func (c *fakeConfirmer) Defer(_ context.Context, queueURL string, body []byte, delay time.Duration) error {
	if c.deferErr != nil {
		return c.deferErr
	}
	if queueURL == "" {
		return errors.New("no queue")
	}
	c.deferred = append(c.deferred, body)
	c.delays = append(c.delays, delay)
	return nil
}

func (c *fakeConfirmer) Lookup(_ context.Context, region, eventID string) ([]byte, bool, error) {
	c.lookups = append(c.lookups, region+"/"+eventID)
	if c.lookupErr != nil {
		return nil, false, c.lookupErr
	}
	raw, ok := c.trail[eventID]
	return raw, ok, nil
}

// sqsBatch wraps queue message bodies as Lambda's SQS event source delivers them.
func sqsBatch(t *testing.T, bodies ...[]byte) []byte {
	t.Helper()
	var recs []map[string]string
	for i, b := range bodies {
		recs = append(recs, map[string]string{"messageId": "m" + string(rune('0'+i)), "eventSource": "aws:sqs", "body": string(b)})
	}
	out, err := json.Marshal(map[string]any{"Records": recs})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type confirmRig struct {
	h    *Handler
	pub  *fakePublisher
	conf *fakeConfirmer
	fake *fakeaws.Server
	now  time.Time
}

const stratusAdminUser = "malicious-iam-user"

func newConfirmRig(t *testing.T) *confirmRig {
	t.Helper()
	fake := fakeaws.New()
	fake.Start(t)
	awsCfg, err := fake.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fake.AttachPolicy(fakeaws.KindUser, stratusAdminUser, "arn:aws:iam::aws:policy/AdministratorAccess")
	env := map[string]string{
		config.EnvTopicARN:        "arn:aws:sns:us-east-1:229654561268:iamguard",
		config.EnvDefaultMode:     "remediate",
		config.EnvConfirmQueueURL: "https://sqs.us-east-1.amazonaws.com/229654561268/iamguard-confirm",
	}
	c, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	pub := &fakePublisher{}
	h, err := New(rules.PolicyGuard, c, nil, remediate.New(c, iamaction.Executors(iam.NewFromConfig(awsCfg))), pub)
	if err != nil {
		t.Fatal(err)
	}
	r := &confirmRig{h: h, pub: pub, conf: &fakeConfirmer{trail: map[string][]byte{}}, fake: fake, now: time.Date(2024, 8, 1, 13, 40, 0, 0, time.UTC)}
	h.now = func() time.Time { return r.now }
	h.SetConfirmer(r.conf)
	return r
}

func (r *confirmRig) attached(t *testing.T) bool {
	t.Helper()
	return slices.Contains(r.fake.Attached(fakeaws.KindUser, stratusAdminUser), "arn:aws:iam::aws:policy/AdministratorAccess")
}

// TestRollbackWaitsForCloudTrail: in remediate mode with a confirmation queue,
// the delivered event changes nothing; it is queued, announced as pending,
// and rolled back only once CloudTrail's LookupEvents returns the same call.
func TestRollbackWaitsForCloudTrail(t *testing.T) {
	r := newConfirmRig(t)
	ev := event(t, "AttachUserPolicy-stratus-1-eventbridge.json")
	if err := r.h.Handle(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	if len(r.pub.alerts) != 1 || r.pub.alerts[0].Outcome.Status != finding.StatusPending || !r.attached(t) {
		t.Fatalf("first delivery: alerts %+v, policy attached %v; want one pending alert and nothing changed", r.pub.alerts, r.attached(t))
	}
	if len(r.conf.deferred) != 1 || r.conf.delays[0] != 5*time.Minute {
		t.Fatalf("deferred %d messages after %v; want one after 5m", len(r.conf.deferred), r.conf.delays)
	}
	msg := r.conf.deferred[0]

	// Five minutes on, CloudTrail does not have it yet: looked for again.
	r.now = r.now.Add(5 * time.Minute)
	if err := r.h.Handle(t.Context(), sqsBatch(t, msg)); err != nil {
		t.Fatal(err)
	}
	if len(r.conf.deferred) != 2 || r.conf.delays[1] != 15*time.Minute || len(r.pub.alerts) != 1 || !r.attached(t) {
		t.Fatalf("not yet in CloudTrail: deferred %d (%v), alerts %d, attached %v; want a second deferral after 15m, no alert, nothing changed",
			len(r.conf.deferred), r.conf.delays, len(r.pub.alerts), r.attached(t))
	}
	var d deferred
	if err := json.Unmarshal(r.conf.deferred[1], &d); err != nil || d.Attempt != 2 {
		t.Fatalf("second deferral %s: attempt %d, err %v; want attempt 2", r.conf.deferred[1], d.Attempt, err)
	}
	if want := "ap-isob-central-3r/083dc4ad-e264-46bc-a407-d0dd31b58bdc"; len(r.conf.lookups) != 1 || r.conf.lookups[0] != want {
		t.Errorf("lookups %v, want %s (the event's own Region and ID)", r.conf.lookups, want)
	}

	// CloudTrail records it: the rollback happens, from CloudTrail's record.
	rec, err := cloudtrail.DecodeRecord(ev)
	if err != nil {
		t.Fatal(err)
	}
	r.conf.trail[rec.EventID] = rec.Raw
	r.now = r.now.Add(15 * time.Minute)
	if err := r.h.Handle(t.Context(), sqsBatch(t, r.conf.deferred[1])); err != nil {
		t.Fatal(err)
	}
	if len(r.pub.alerts) != 2 || r.pub.alerts[1].Outcome.Status != finding.StatusDone || r.attached(t) {
		t.Fatalf("confirmed: alerts %+v, attached %v; want a second alert, done, and the policy detached", r.pub.alerts, r.attached(t))
	}
	if r.pub.alerts[1].Outcome.Undo == "" {
		t.Error("the rollback's alert carries no undo command")
	}
}

// TestUnconfirmedEventsAreNeverActedOn: what CloudTrail does not confirm is
// reported and changes nothing.
func TestUnconfirmedEventsAreNeverActedOn(t *testing.T) {
	ev := event(t, "AttachUserPolicy-stratus-1-eventbridge.json")
	rec, err := cloudtrail.DecodeRecord(ev)
	if err != nil {
		t.Fatal(err)
	}
	message := func(event []byte, attempt int, firstSeen time.Time) []byte {
		b, err := json.Marshal(deferred{Event: event, Attempt: attempt, FirstSeen: firstSeen})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	start := time.Date(2024, 8, 1, 13, 40, 0, 0, time.UTC)
	differs := strings.Replace(string(rec.Raw), `"userName": "malicious-iam-user"`, `"userName": "someone-else"`, 1)
	if differs == string(rec.Raw) {
		t.Fatal("the test's edit changed nothing")
	}
	tests := []struct {
		name      string
		body      []byte
		trail     string // CloudTrail's record, "" for none
		now       time.Time
		want      string // in the finding's Unproven
		wantError bool
	}{
		{name: "still not in CloudTrail after an hour", body: message(ev, 5, start), now: start.Add(61 * time.Minute),
			want: "CloudTrail had no record of event 083dc4ad-e264-46bc-a407-d0dd31b58bdc after 5 lookups over 1h1m0s"},
		{name: "CloudTrail's record names another user", body: message(ev, 1, start), trail: differs, now: start.Add(5 * time.Minute),
			want: "differs from the event delivered: requestParameters differ"},
		{name: "a forged queue message carrying a bare record", body: message(rec.Raw, 1, start), trail: string(rec.Raw), now: start.Add(5 * time.Minute),
			want: "a bare record was handed to the function"},
		{name: "a replayed message of an old, real event", body: message(ev, 1, start.Add(48*time.Hour)), trail: string(rec.Raw), now: start.Add(48*time.Hour + 5*time.Minute),
			want: "too old to act on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newConfirmRig(t)
			r.now = tc.now
			if tc.trail != "" {
				r.conf.trail[rec.EventID] = []byte(tc.trail)
			}
			if err := r.h.Handle(t.Context(), sqsBatch(t, tc.body)); err != nil {
				t.Fatal(err)
			}
			if len(r.pub.alerts) != 1 || !strings.Contains(r.pub.alerts[0].Finding.Unproven, tc.want) ||
				r.pub.alerts[0].Outcome.Status != finding.StatusSkipped || !r.attached(t) || len(r.conf.deferred) != 0 {
				t.Errorf("alerts %+v, attached %v, deferred %d; want one skipped alert whose unproven says %q, nothing changed",
					r.pub.alerts, r.attached(t), len(r.conf.deferred), tc.want)
			}
		})
	}
}

// TestConfirmationQueueDown: an event that cannot be queued is reported as a
// failed rollback and fails the invocation, so that Lambda delivers it again.
func TestConfirmationQueueDown(t *testing.T) {
	r := newConfirmRig(t)
	r.conf.deferErr = errors.New("sqs: ServiceUnavailable")
	err := r.h.Handle(t.Context(), event(t, "AttachUserPolicy-stratus-1-eventbridge.json"))
	if err == nil || !strings.Contains(err.Error(), "ServiceUnavailable") {
		t.Errorf("Handle = %v, want the queue's error", err)
	}
	if len(r.pub.alerts) != 1 || r.pub.alerts[0].Outcome.Status != finding.StatusFailed || !r.attached(t) {
		t.Errorf("alerts %+v, attached %v; want one failed alert and nothing changed", r.pub.alerts, r.attached(t))
	}
}

// TestCloudTrailLookupFails: a failing LookupEvents fails the invocation, so
// that the message comes back after its visibility timeout.
func TestCloudTrailLookupFails(t *testing.T) {
	r := newConfirmRig(t)
	r.conf.lookupErr = errors.New("cloudtrail: ThrottlingException")
	b, _ := json.Marshal(deferred{Event: event(t, "AttachUserPolicy-stratus-1-eventbridge.json"), Attempt: 1, FirstSeen: r.now})
	if err := r.h.Handle(t.Context(), sqsBatch(t, b)); err == nil || !strings.Contains(err.Error(), "ThrottlingException") {
		t.Errorf("Handle = %v, want the lookup's error", err)
	}
	if len(r.pub.alerts) != 0 || !r.attached(t) {
		t.Errorf("alerts %+v, attached %v; want none and nothing changed", r.pub.alerts, r.attached(t))
	}
}

// TestHealthEventsAreNotDeferred: AWS Health events are not in CloudTrail,
// so there is nothing to confirm them with: exposed-key acts on one as
// delivered, and the alert says it was not confirmed.
func TestHealthEventsAreNotDeferred(t *testing.T) {
	ev := event(t, "AWS_RISK_CREDENTIALS_EXPOSED-awssamples-1.json")
	rec, err := cloudtrail.DecodeRecord(ev)
	if err != nil {
		t.Fatal(err)
	}
	pub := &fakePublisher{}
	h := handler(t, rules.AccessKeys, map[string]string{
		config.EnvTopicARN:        "arn:aws:sns:us-east-1:" + rec.Envelope.Account + ":iamguard",
		config.EnvDefaultMode:     "remediate",
		config.EnvConfirmQueueURL: "https://sqs.us-east-1.amazonaws.com/" + rec.Envelope.Account + "/iamguard-confirm",
	}, pub)
	conf := &fakeConfirmer{}
	h.SetConfirmer(conf)
	if err := h.Handle(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	if len(conf.deferred) != 0 || len(pub.alerts) != 1 || pub.alerts[0].Outcome.Status == finding.StatusPending ||
		!slices.ContainsFunc(pub.alerts[0].Finding.Reasons, func(r string) bool { return strings.HasPrefix(r, "not confirmed by CloudTrail: AWS Health events") }) {
		t.Errorf("deferred %d, alerts %+v; want no deferral and one alert that says the Health event was not confirmed", len(conf.deferred), pub.alerts)
	}
}
