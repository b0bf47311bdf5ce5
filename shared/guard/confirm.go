package guard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// Confirmer defers an event through a queue and looks events up in
// CloudTrail; *confirm.Confirmer is the production one.
type Confirmer interface {
	// Defer queues body, to come back to the function after delay.
	Defer(ctx context.Context, queueURL string, body []byte, delay time.Duration) error
	// Lookup returns CloudTrail's own record of an event, and whether
	// CloudTrail has it yet.
	Lookup(ctx context.Context, region, eventID string) ([]byte, bool, error)
}

// SetConfirmer makes rollbacks in remediate mode wait for CloudTrail to
// confirm their event, through the queue the configuration names.
func (h *Handler) SetConfirmer(c Confirmer) { h.confirmer = c }

func (h *Handler) confirming() bool { return h.confirmer != nil && h.cfg.ConfirmQueueURL != "" }

// The waits: CloudTrail delivers an event within about 5 minutes on average
// (not guaranteed), so the first lookup comes after 5 minutes and each later
// one after at most 15 (SQS's longest delay), until ConfirmMaxWait.
const (
	firstLookup = 5 * time.Minute
	nextLookup  = 15 * time.Minute
	// maxEventAge bounds how old a confirmed event may be, past
	// ConfirmMaxWait, to be acted on: a replayed message of an old, real
	// change is reported, not rolled back.
	maxEventAge = time.Hour
)

// deferred is the queue message that carries an event to its confirmation.
type deferred struct {
	Event     json.RawMessage `json:"event"`
	Attempt   int             `json:"attempt"`   // 1 for the first lookup
	FirstSeen time.Time       `json:"firstSeen"` // when the function first received the event
}

func (h *Handler) deferEvent(ctx context.Context, event json.RawMessage, attempt int, firstSeen time.Time, delay time.Duration) error {
	body, err := json.Marshal(deferred{Event: event, Attempt: attempt, FirstSeen: firstSeen.UTC()})
	if err != nil {
		return fmt.Errorf("encode the event for confirmation: %w", err)
	}
	return h.confirmer.Defer(ctx, h.cfg.ConfirmQueueURL, body, delay)
}

// queueMessage is one SQS message of a Lambda event-source-mapping batch.
type queueMessage struct {
	MessageID   string `json:"messageId"`
	EventSource string `json:"eventSource"`
	Body        string `json:"body"`
}

// queueMessages recognises an SQS batch: {"Records":[{"eventSource":
// "aws:sqs", ...}]}. A CloudTrail log file also has Records, but never
// eventSource aws:sqs.
func queueMessages(event json.RawMessage) ([]queueMessage, bool) {
	if !bytes.Contains(event, []byte(`"aws:sqs"`)) {
		return nil, false
	}
	var b struct {
		Records []queueMessage `json:"Records"`
	}
	if json.Unmarshal(event, &b) != nil || len(b.Records) == 0 {
		return nil, false
	}
	for _, m := range b.Records {
		if m.EventSource != "aws:sqs" {
			return nil, false
		}
	}
	return b.Records, true
}

// confirmAll confirms each deferred event of a batch.
func (h *Handler) confirmAll(ctx context.Context, msgs []queueMessage) error {
	var errs []error
	for _, m := range msgs {
		if err := h.confirm(ctx, m); err != nil {
			errs = append(errs, fmt.Errorf("message %s: %w", m.MessageID, err))
		}
	}
	return errors.Join(errs...)
}

// confirm looks a deferred event up in CloudTrail: not there yet, it waits
// again until ConfirmMaxWait; there and the same call, iamguard acts on
// CloudTrail's own record; otherwise the change is reported, never acted on.
// Anyone allowed to invoke the function can hand it a forged queue message
// too: only CloudTrail's answer decides.
func (h *Handler) confirm(ctx context.Context, m queueMessage) error {
	var d deferred
	if err := json.Unmarshal([]byte(m.Body), &d); err != nil || len(d.Event) == 0 {
		if err == nil {
			err = errors.New("no event")
		}
		return h.unevaluated(ctx, []byte(m.Body), fmt.Errorf("queue message for confirmation: %w", err))
	}
	rec, err := cloudtrail.DecodeRecord(d.Event)
	if err != nil {
		return h.unevaluated(ctx, d.Event, err)
	}
	if u := provenance(rec, h.cfg); u != "" {
		return h.process(ctx, rec, d.Event, stage{unproven: u})
	}
	// CloudTrail is asked in the event's own account: a member account's
	// event through its responder role.
	sc, err := h.scopeFor(ctx, rec, true)
	if err != nil {
		return err // the message comes back after its visibility timeout
	}
	if sc.unproven != "" || sc.lookup == nil {
		u := sc.unproven
		if u == "" {
			u = "iamguard has no CloudTrail client in account " + sc.account
		}
		return h.process(ctx, rec, d.Event, stage{unproven: u})
	}
	raw, found, err := sc.lookup(ctx, rec.AWSRegion, rec.EventID)
	if err != nil {
		return err // the message comes back after its visibility timeout
	}
	waited := h.now().Sub(d.FirstSeen)
	if !found {
		if waited < h.cfg.ConfirmMaxWait {
			delay := min(nextLookup, h.cfg.ConfirmMaxWait-waited)
			slog.InfoContext(ctx, "event not in CloudTrail yet; looking again later", "eventID", rec.EventID, "attempt", d.Attempt,
				"wait", delay.String(), "action", "deferred")
			return h.deferEvent(ctx, d.Event, d.Attempt+1, d.FirstSeen, delay)
		}
		return h.process(ctx, rec, d.Event, stage{unproven: fmt.Sprintf("CloudTrail had no record of event %s after %d lookups over %s",
			rec.EventID, d.Attempt, waited.Round(time.Minute))})
	}
	real, err := cloudtrail.DecodeRecord(raw)
	if err != nil {
		return h.process(ctx, rec, d.Event, stage{unproven: "CloudTrail's record of event " + rec.EventID + " could not be read: " + err.Error()})
	}
	if diff := sameCall(rec, real); diff != "" {
		return h.process(ctx, rec, d.Event, stage{unproven: "CloudTrail's record of event " + rec.EventID + " differs from the event delivered: " + diff})
	}
	if real.RecipientAccountID != "" && real.RecipientAccountID != sc.account {
		return h.process(ctx, rec, d.Event, stage{unproven: fmt.Sprintf("CloudTrail's record is for account %q, not the event's (%s)", real.RecipientAccountID, sc.account)})
	}
	if age := h.now().Sub(real.EventTime); !real.EventTime.IsZero() && age > h.cfg.ConfirmMaxWait+maxEventAge {
		return h.process(ctx, rec, d.Event, stage{unproven: fmt.Sprintf("the event happened %s ago: too old to act on (a replayed message?)", age.Round(time.Minute))})
	}
	slog.InfoContext(ctx, "event confirmed by CloudTrail", "eventID", rec.EventID, "attempt", d.Attempt, "action", "confirmed")
	return h.process(ctx, real, raw, stage{})
}

// sameCall says how CloudTrail's record differs from the delivered one in
// what decides a rollback: the call, who made it, where, and its
// parameters; "" when it does not.
func sameCall(delivered, real *cloudtrail.Record) string {
	switch {
	case delivered.EventID != real.EventID:
		return fmt.Sprintf("eventID %q, CloudTrail %q", delivered.EventID, real.EventID)
	case delivered.EventName != real.EventName:
		return fmt.Sprintf("eventName %q, CloudTrail %q", delivered.EventName, real.EventName)
	case delivered.EventSource != real.EventSource:
		return fmt.Sprintf("eventSource %q, CloudTrail %q", delivered.EventSource, real.EventSource)
	case delivered.UserIdentity.ARN != real.UserIdentity.ARN:
		return fmt.Sprintf("actor %q, CloudTrail %q", delivered.UserIdentity.ARN, real.UserIdentity.ARN)
	case delivered.RecipientAccountID != real.RecipientAccountID:
		return fmt.Sprintf("account %q, CloudTrail %q", delivered.RecipientAccountID, real.RecipientAccountID)
	case delivered.ErrorCode != real.ErrorCode:
		return fmt.Sprintf("errorCode %q, CloudTrail %q", delivered.ErrorCode, real.ErrorCode)
	case !sameJSON(delivered.RequestParameters, real.RequestParameters):
		return "requestParameters differ"
	case !sameJSON(delivered.ResponseElements, real.ResponseElements):
		return "responseElements differ"
	}
	return ""
}

// sameJSON compares two JSON values by meaning: key order and spacing aside.
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
