package outcome_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
	"github.com/iamguard/iamguard/shared/outcome/outcometest"
)

func TestBegin(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	key := outcome.Key{EventID: "e-1", Rule: "wildcard-policy", Target: "arn:aws:iam::111122223333:user/bob"}
	recorded := &finding.Alert{Outcome: finding.Outcome{Status: finding.StatusDone, Undo: "aws iam attach-user-policy"}}
	for _, tc := range []struct {
		name        string
		held        *outcome.Entry // nil: the key is free
		wantReplay  bool
		wantResumed bool
		wantBusy    bool
		wantToken   string // who holds the key afterwards
	}{
		{name: "free: claimed", wantToken: "mine"},
		{name: "recorded: replayed", held: &outcome.Entry{Token: "first", Until: now.Add(-time.Hour), Alert: recorded}, wantReplay: true, wantToken: "first"},
		{name: "our own claim (a retried write)", held: &outcome.Entry{Token: "mine", Until: now.Add(time.Minute)}, wantToken: "mine"},
		{name: "live claim: busy", held: &outcome.Entry{Token: "other", Until: now.Add(time.Second)}, wantBusy: true, wantToken: "other"},
		{name: "lapsed claim: taken over", held: &outcome.Entry{Token: "dead", Until: now.Add(-time.Second)}, wantResumed: true, wantToken: "mine"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &outcometest.Memory{}
			if tc.held != nil {
				store.Put(key, *tc.held)
			}
			start, err := outcome.Begin(t.Context(), store, key, "mine", now.Add(time.Minute), now)
			if errors.Is(err, outcome.ErrBusy) != tc.wantBusy || (err != nil && !tc.wantBusy) {
				t.Fatalf("Begin = %+v, %v; want busy %v", start, err, tc.wantBusy)
			}
			if (start.Replay != nil) != tc.wantReplay || start.Resumed != tc.wantResumed {
				t.Errorf("Begin = %+v; want replay %v, resumed %v", start, tc.wantReplay, tc.wantResumed)
			}
			if e, _ := store.Entry(key); e.Token != tc.wantToken {
				t.Errorf("held by %q, want %q", e.Token, tc.wantToken)
			}
		})
	}
	t.Run("store error", func(t *testing.T) {
		_, err := outcome.Begin(t.Context(), &outcometest.Memory{Err: errors.New("unavailable")}, key, "mine", now, now)
		if err == nil || errors.Is(err, outcome.ErrBusy) {
			t.Errorf("Begin = %v, want the store's error", err)
		}
	})
}

func TestResume(t *testing.T) {
	undo := finding.NewStep("iam:AttachUserPolicy", "UserName", "bob")
	plan := &finding.Remediation{Description: "detach AdministratorAccess from user bob", Undo: &undo}
	since := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	o := outcome.Resume(finding.Outcome{Status: finding.StatusAlreadyUndone, Reason: "nothing to undo: IAM says it no longer exists", Plan: plan}, since)
	if o.Status != finding.StatusDone || o.Undo != undo.Command || !strings.Contains(o.Reason, "2026-12-02T10:00:00Z") {
		t.Errorf("Resume(already undone) = %+v, want done with the undo, naming when the claim lapsed", o)
	}
	for _, other := range []finding.Outcome{
		{Status: finding.StatusDone, Plan: plan, Undo: undo.Command},
		{Status: finding.StatusSkipped, Plan: plan},
		{Status: finding.StatusFailed, Plan: plan},
		{Status: finding.StatusAlreadyUndone}, // no plan, no undo to offer
	} {
		if got := outcome.Resume(other, since); got.Status != other.Status || got.Undo != other.Undo {
			t.Errorf("Resume(%s) = %+v, want it unchanged", other.Status, got)
		}
	}
}
