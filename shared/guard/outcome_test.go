package guard

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
	"github.com/iamguard/iamguard/shared/outcome/outcometest"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"

// rollbackWorld is policy-guard in remediate mode against the fake IAM,
// with AdministratorAccess attached to the user of
// AttachUserPolicy-stratus-1, and a store (nil: none).
func rollbackWorld(t *testing.T, store outcome.Store, pub *fakePublisher) (*Handler, *fakeaws.Server) {
	t.Helper()
	fake := fakeaws.New()
	fake.Start(t)
	cfg, err := fake.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fake.AttachPolicy(fakeaws.KindUser, "malicious-iam-user", adminPolicy)
	full := map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:229654561268:iamguard", config.EnvDefaultMode: "remediate"}
	c, err := config.FromEnv(func(k string) string { return full[k] })
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(rules.PolicyGuard, c, nil, remediate.New(c, iamaction.Executors(iam.NewFromConfig(cfg))), pub)
	if err != nil {
		t.Fatal(err)
	}
	h.republishDelays = []time.Duration{time.Millisecond, time.Millisecond}
	h.busyWaits = []time.Duration{time.Millisecond, time.Millisecond}
	return h.WithOutcomes(store), fake
}

func detaches(fake *fakeaws.Server) (ok, failed int) {
	for _, c := range fake.CallsTo("DetachUserPolicy") {
		if c.Error == "" {
			ok++
		} else {
			failed++
		}
	}
	return ok, failed
}

const attachEvent = "AttachUserPolicy-stratus-1-eventbridge.json"

// TestPublishLostThenRetried: the first delivery detaches the policy and
// cannot publish (every attempt fails), so Lambda retries the event. The
// retry must not act again, and its alert must say done, with the undo.
// Without a store, the retry's detach answers NoSuchEntity: the alert says
// already undone, and still carries the undo (before this change it did
// not).
func TestPublishLostThenRetried(t *testing.T) {
	for _, tc := range []struct {
		name       string
		store      *outcometest.Memory
		wantStatus finding.Status
		wantCalls  int // DetachUserPolicy calls in all
	}{
		{"with an outcome store", &outcometest.Memory{}, finding.StatusDone, 1},
		{"without a store", nil, finding.StatusAlreadyUndone, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub := &fakePublisher{err: errors.New("sns: InternalError")}
			var store outcome.Store
			if tc.store != nil {
				store = tc.store
			}
			h, fake := rollbackWorld(t, store, pub)
			if err := h.Handle(t.Context(), event(t, attachEvent)); err == nil {
				t.Fatal("first delivery: Handle = nil, want the publish error (Lambda retries)")
			}
			pub.err = nil
			if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
				t.Fatalf("retry: Handle = %v", err)
			}
			if ok, failed := detaches(fake); ok+failed != tc.wantCalls || ok != 1 {
				t.Errorf("DetachUserPolicy calls: %d succeeded, %d failed; want %d in all, one that detached", ok, failed, tc.wantCalls)
			}
			if len(pub.alerts) != 1 {
				t.Fatalf("published %d alerts, want 1", len(pub.alerts))
			}
			o := pub.alerts[0].Outcome
			if o.Status != tc.wantStatus || !strings.HasPrefix(o.Undo, "aws iam attach-user-policy") {
				t.Errorf("retry's alert: status %s, undo %q; want %s with the attach-user-policy undo", o.Status, o.Undo, tc.wantStatus)
			}
		})
	}
}

// TestSameEventTwice: two deliveries, one action, two alerts, the same
// outcome (with the undo) in both.
func TestSameEventTwice(t *testing.T) {
	store := &outcometest.Memory{}
	pub := &fakePublisher{}
	h, fake := rollbackWorld(t, store, pub)
	for i := range 2 {
		if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
			t.Fatalf("delivery %d: Handle = %v", i+1, err)
		}
	}
	if ok, failed := detaches(fake); ok != 1 || failed != 0 {
		t.Errorf("DetachUserPolicy calls: %d succeeded, %d failed; want exactly one", ok, failed)
	}
	if len(pub.alerts) != 2 {
		t.Fatalf("published %d alerts, want 2", len(pub.alerts))
	}
	for i, a := range pub.alerts {
		if a.Outcome.Status != finding.StatusDone || a.Outcome.Undo == "" {
			t.Errorf("alert %d: status %s undo %q, want done with the undo", i+1, a.Outcome.Status, a.Outcome.Undo)
		}
	}
	if pub.alerts[0].Outcome.Reason != pub.alerts[1].Outcome.Reason {
		t.Errorf("the repeated alert differs: %q, then %q", pub.alerts[0].Outcome.Reason, pub.alerts[1].Outcome.Reason)
	}
	if keys := store.Keys(); len(keys) != 1 || keys[0].Rule != "wildcard-policy" || !strings.HasSuffix(keys[0].Target, ":user/malicious-iam-user") {
		t.Errorf("store keys = %+v, want one, wildcard-policy on the user", keys)
	}
}

// claimedKey runs one delivery against a scratch store to learn the key
// the event's finding is claimed under.
func claimedKey(t *testing.T) outcome.Key {
	t.Helper()
	scratch := &outcometest.Memory{}
	h, _ := rollbackWorld(t, scratch, &fakePublisher{})
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	keys := scratch.Keys()
	if len(keys) != 1 {
		t.Fatalf("keys = %+v, want one", keys)
	}
	return keys[0]
}

// TestClaimLeftByADeadDelivery: a claim whose lease has lapsed and no
// outcome (the delivery died between its detach and its record) is taken
// over: the detach answers NoSuchEntity, and the one outcome says done, with
// the undo. A live claim defers the event to Lambda's retry, acting on
// nothing.
func TestClaimLeftByADeadDelivery(t *testing.T) {
	key := claimedKey(t)

	store := &outcometest.Memory{}
	pub := &fakePublisher{}
	h, fake := rollbackWorld(t, store, pub)
	fake.DetachPolicy(fakeaws.KindUser, "malicious-iam-user", adminPolicy) // the dead delivery's detach
	store.Put(key, outcome.Entry{Token: "dead-request", Until: time.Now().Add(-time.Minute)})
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 1 {
		t.Fatalf("published %d alerts, want 1", len(pub.alerts))
	}
	o := pub.alerts[0].Outcome
	if o.Status != finding.StatusDone || o.Undo == "" || !strings.Contains(o.Reason, "an earlier delivery of this event claimed the rollback") {
		t.Errorf("outcome = %+v, want done with the undo, naming the earlier delivery", o)
	}
	if e, _ := store.Entry(key); e.Alert == nil || e.Token == "dead-request" {
		t.Errorf("store entry = %+v, want the outcome recorded under the new claim", e)
	}

	live := &outcometest.Memory{}
	pub = &fakePublisher{}
	h, fake = rollbackWorld(t, live, pub)
	live.Put(key, outcome.Entry{Token: "running-request", Until: time.Now().Add(time.Minute)})
	err := h.Handle(t.Context(), event(t, attachEvent))
	if !errors.Is(err, outcome.ErrBusy) {
		t.Errorf("Handle with a live claim = %v, want ErrBusy", err)
	}
	if ok, failed := detaches(fake); ok+failed != 0 || len(pub.alerts) != 0 {
		t.Errorf("with a live claim: %d detaches, %d alerts; want none", ok+failed, len(pub.alerts))
	}
}

// TestStoreUnavailableStillActs: iamguard would rather act without a claim
// than leave the change in place.
func TestStoreUnavailableStillActs(t *testing.T) {
	pub := &fakePublisher{}
	h, fake := rollbackWorld(t, &outcometest.Memory{Err: errors.New("dynamodb: ServiceUnavailable")}, pub)
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := detaches(fake); ok != 1 || len(pub.alerts) != 1 || pub.alerts[0].Outcome.Status != finding.StatusDone {
		t.Errorf("%d detaches, alerts %+v; want one detach and a done alert", ok, pub.alerts)
	}
}

// TestNotifyOnlyFindingsAreNotClaimed: only a finding iamguard may act on
// costs a write.
func TestNotifyOnlyFindingsAreNotClaimed(t *testing.T) {
	store := &outcometest.Memory{}
	h := handler(t, rules.PolicyGuard, nil, &fakePublisher{}).WithOutcomes(store)
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	if store.Len() != 0 {
		t.Errorf("store holds %d keys for a notify-only finding, want none", store.Len())
	}
}

// TestFailedRollbackIsTriedAgain: a rollback that failed records nothing, so
// a delivery after its claim lapsed tries again instead of replaying the
// failure.
func TestFailedRollbackIsTriedAgain(t *testing.T) {
	store := &outcometest.Memory{}
	pub := &fakePublisher{}
	h, fake := rollbackWorld(t, store, pub)
	fake.FailNext("DetachUserPolicy", "ServiceFailure", 3) // every attempt of the SDK's three
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 1 || pub.alerts[0].Outcome.Status != finding.StatusFailed {
		t.Fatalf("alerts %+v, want one failed", pub.alerts)
	}
	keys := store.Keys()
	if len(keys) != 1 {
		t.Fatalf("keys %+v, want the claim", keys)
	}
	e, _ := store.Entry(keys[0])
	if e.Alert != nil {
		t.Errorf("a failed outcome was recorded: %+v", e.Alert.Outcome)
	}
	e.Until = time.Now().Add(-time.Second) // the failed delivery's deadline passed
	store.Put(keys[0], e)
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := detaches(fake); ok != 1 || len(pub.alerts) != 2 || pub.alerts[1].Outcome.Status != finding.StatusDone {
		t.Errorf("second delivery: %d detaches made, alerts %+v; want the detach made and a done alert", ok, pub.alerts[1:])
	}
}

// TestBusyClaimIsAwaited: a delivery that finds another delivery's live
// claim waits for its outcome and republishes it, without an error.
func TestBusyClaimIsAwaited(t *testing.T) {
	key := claimedKey(t)
	store := &outcometest.Memory{}
	pub := &fakePublisher{}
	h, fake := rollbackWorld(t, store, pub)
	h.busyWaits = []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	store.Put(key, outcome.Entry{Token: "running-request", Until: time.Now().Add(time.Minute)})
	recorded := finding.Alert{Finding: finding.Finding{Rule: key.Rule, EventID: key.EventID, Target: key.Target},
		Outcome: finding.Outcome{Status: finding.StatusDone, Undo: "aws iam attach-user-policy --user-name malicious-iam-user"}}
	go func() {
		time.Sleep(30 * time.Millisecond) // the other delivery records its outcome
		_ = store.Record(t.Context(), key, "running-request", recorded)
	}()
	if err := h.Handle(t.Context(), event(t, attachEvent)); err != nil {
		t.Fatalf("Handle = %v, want the other delivery's outcome republished", err)
	}
	if ok, failed := detaches(fake); ok+failed != 0 || len(pub.alerts) != 1 || pub.alerts[0].Outcome.Undo != recorded.Outcome.Undo {
		t.Errorf("%d detaches, alerts %+v; want none and the recorded alert", ok+failed, pub.alerts)
	}
}
