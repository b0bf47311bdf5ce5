package outcome

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iamguard/iamguard/shared/finding"
)

// Key names one finding: the event, the rule that found it, and its target
// (one event may give a rule several findings, one per access key).
type Key struct {
	EventID, Rule, Target string
}

// SortKey is the key's part below the event ID: rule and target.
func (k Key) SortKey() string { return k.Rule + "#" + k.Target }

// Entry is what a store holds for a key.
type Entry struct {
	// Token names the delivery holding the claim: its Lambda request ID.
	Token string
	// Until is when the claim lapses: the claiming invocation's deadline.
	Until time.Time
	// Alert is the recorded alert, outcome and undo command included; nil
	// while the key is only claimed.
	Alert *finding.Alert
}

// Store holds the claims and outcomes; *dynamostore.Store is the production
// one, outcometest.Memory the tests'.
type Store interface {
	// Claim claims key for token until the given time unless the key is
	// held: then it returns the entry that holds it, and claims nothing.
	Claim(ctx context.Context, key Key, token string, until time.Time) (held *Entry, err error)
	// TakeOver moves a lapsed claim from the token seen to token, unless
	// another delivery took it or recorded an outcome first: then it
	// returns the entry that holds the key now.
	TakeOver(ctx context.Context, key Key, seen, token string, until time.Time) (held *Entry, err error)
	// Record stores the alert under the claim token holds.
	Record(ctx context.Context, key Key, token string, a finding.Alert) error
}

// ErrBusy says that another delivery of the event holds a live claim on
// the finding: the caller returns an error, and Lambda retries the event
// once that claim has ended or lapsed.
var ErrBusy = errors.New("another delivery of this event is acting on it")

// ErrNotHeld says that Record found the key no longer held by the
// delivery's claim: another delivery took it over after the claim lapsed.
var ErrNotHeld = errors.New("the claim is no longer this delivery's")

// Start is what a delivery must do about one finding it is about to act on.
type Start struct {
	// Replay is the alert recorded by an earlier delivery: republish it,
	// act on nothing.
	Replay *finding.Alert
	// Resumed says that an earlier delivery claimed the finding and ended
	// without recording an outcome: it may have acted already.
	Resumed bool
	// Since is when the earlier claim lapsed, for the alert; zero unless
	// Resumed.
	Since time.Time
}

// Begin claims key for the delivery token until its deadline. A recorded
// outcome comes back as Replay; a live claim of another delivery as
// ErrBusy; a lapsed claim is taken over (Resumed). now is the clock.
func Begin(ctx context.Context, s Store, key Key, token string, until, now time.Time) (Start, error) {
	held, err := s.Claim(ctx, key, token, until)
	if err != nil {
		return Start{}, fmt.Errorf("claim event %s rule %s target %s: %w", key.EventID, key.Rule, key.Target, err)
	}
	switch {
	case held == nil:
		return Start{}, nil
	case held.Alert != nil:
		return Start{Replay: held.Alert}, nil
	case held.Token == token:
		// This invocation's own claim: a retried write whose first
		// attempt had succeeded.
		return Start{}, nil
	case now.Before(held.Until):
		return Start{}, fmt.Errorf("event %s rule %s target %s: %w (claimed by request %s until %s)", key.EventID, key.Rule, key.Target, ErrBusy, held.Token, held.Until.UTC().Format(time.RFC3339))
	}
	lapsed := held.Until
	now2, err := s.TakeOver(ctx, key, held.Token, token, until)
	switch {
	case err != nil:
		return Start{}, fmt.Errorf("take over the lapsed claim on event %s rule %s target %s: %w", key.EventID, key.Rule, key.Target, err)
	case now2 == nil || (now2.Token == token && now2.Alert == nil):
		// Ours now (the second case: a retried write whose first attempt
		// had succeeded).
		return Start{Resumed: true, Since: lapsed}, nil
	case now2.Alert != nil:
		return Start{Replay: now2.Alert}, nil
	}
	return Start{}, fmt.Errorf("event %s rule %s target %s: %w (the lapsed claim was taken over by request %s)", key.EventID, key.Rule, key.Target, ErrBusy, now2.Token)
}

// Resume turns the outcome of a delivery that took over a lapsed claim into
// the one outcome of the finding: when the action found its change already
// made, the earlier delivery, which claimed the finding to make it, is taken
// to have made it, so the alert says done and carries the undo. Any other
// outcome is the delivery's own.
func Resume(o finding.Outcome, since time.Time) finding.Outcome {
	if o.Status != finding.StatusAlreadyUndone || o.Plan == nil || o.Plan.Undo == nil {
		return o
	}
	o.Status = finding.StatusDone
	o.Reason = "rolled back: " + o.Plan.Description + " (an earlier delivery of this event claimed the rollback and stopped before " +
		"recording it, its claim lapsing at " + since.UTC().Format(time.RFC3339) + "; this delivery found the change already made: " + o.Reason + ")"
	o.Undo = o.Plan.Undo.Command
	return o
}
