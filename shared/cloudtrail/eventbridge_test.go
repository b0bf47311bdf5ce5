package cloudtrail

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreEnvelope compares the record's own fields.
var ignoreEnvelope = cmpopts.IgnoreFields(Record{}, "Envelope")

// TestEventBridgeRoundTrip: the event a Lambda would receive decodes back to
// the same record (aws-lambda-go's round-trip tests, for our type).
func TestEventBridgeRoundTrip(t *testing.T) {
	for _, file := range sampleFiles(t) {
		t.Run(file, func(t *testing.T) {
			r, err := DecodeRecord(readSample(t, file))
			if err != nil {
				t.Fatal(err)
			}
			ev, err := r.EventBridgeEvent()
			if err != nil {
				t.Fatalf("EventBridgeEvent() error: %v", err)
			}
			if !json.Valid(ev) {
				t.Fatalf("EventBridgeEvent() is not valid JSON: %s", ev)
			}
			got, err := DecodeRecord(ev)
			if err != nil {
				t.Fatalf("DecodeRecord(EventBridgeEvent()) error: %v", err)
			}
			if got.Envelope == nil {
				t.Fatalf("DecodeRecord(EventBridgeEvent()).Envelope = nil, want one")
			}
			if diff := cmp.Diff(r, got, ignoreEnvelope); diff != "" {
				t.Errorf("DecodeRecord(EventBridgeEvent()) mismatch (-want +got):\n%s", diff)
			}
			if r.Envelope != nil {
				if diff := cmp.Diff(r.Envelope, got.Envelope); diff != "" {
					t.Errorf("DecodeRecord(EventBridgeEvent()).Envelope mismatch (-want +got):\n%s", diff)
				}
			}
			for name, f := range map[string]func(*Record) string{
				"DetailType": (*Record).DetailType, "Source": (*Record).Source, "Account": (*Record).Account,
			} {
				if g, w := f(got), f(r); g != w {
					t.Errorf("DecodeRecord(EventBridgeEvent()).%s() = %q, want %q", name, g, w)
				}
			}
			again, err := got.EventBridgeEvent()
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(ev) {
				t.Errorf("EventBridgeEvent() is not stable:\n got %s\nwant %s", again, ev)
			}
		})
	}
}

// TestEventBridgeEventSynthesized checks the envelope made for a bare record
// against the one EventBridge itself delivered for the same call.
func TestEventBridgeEventSynthesized(t *testing.T) {
	delivered, err := DecodeRecord([]byte(envC))
	if err != nil {
		t.Fatal(err)
	}
	bare, err := DecodeRecord(delivered.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if bare.Envelope != nil {
		t.Fatalf("DecodeRecord(detail).Envelope = %+v, want nil", bare.Envelope)
	}
	ev, err := bare.EventBridgeEvent()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRecord(ev)
	if err != nil {
		t.Fatalf("DecodeRecord(%s) error: %v", ev, err)
	}
	want := &Envelope{
		Version:    "0",
		ID:         "e8b1cc4d-32a6-4291-ba2e-dc27fa475f3b", // the eventID: the delivered envelope's id is EventBridge's own
		DetailType: "AWS API Call via CloudTrail",
		Source:     "aws.iam",
		Account:    "873370528721",
		Region:     "us-east-1",
		Time:       time.Date(2025, 10, 6, 6, 33, 34, 0, time.UTC),
	}
	if diff := cmp.Diff(want, got.Envelope); diff != "" {
		t.Errorf("synthesized envelope mismatch (-want +got):\n%s", diff)
	}
	delivered.Envelope.ID = want.ID
	if diff := cmp.Diff(delivered.Envelope, got.Envelope); diff != "" {
		t.Errorf("synthesized envelope differs from the delivered one beyond its id (-delivered +synthesized):\n%s", diff)
	}

	var shape map[string]json.RawMessage
	if err := json.Unmarshal(ev, &shape); err != nil {
		t.Fatal(err)
	}
	if got, want := string(shape["resources"]), "[]"; got != want {
		t.Errorf("synthesized resources = %s, want %s", got, want)
	}
	if got, want := string(shape["time"]), `"2025-10-06T06:33:34Z"`; got != want {
		t.Errorf("synthesized time = %s, want %s", got, want)
	}
	if got := string(shape["detail"]); got != string(bare.Raw) {
		t.Errorf("synthesized detail = %.60s, want Raw byte for byte", got)
	}
}

func TestEventBridgeEventDerivedNames(t *testing.T) {
	tests := []struct {
		file, detailType, source string
	}{
		{"ConsoleLogin-awsdocs-ct-5.json", "AWS Console Sign In via CloudTrail", "aws.signin"},
		{"ConsoleLogin-awsdocs-iam-2.json", "AWS Console Sign In via CloudTrail", "aws.signin"}, // eventType "AwsConsoleSignin"
		{"ConsoleLogin-awsdocs-iam-1.json", "AWS Console Sign In via CloudTrail", "aws.signin"}, // no eventType
		{"AddUserToGroup-awsdocs-ct-1.json", "AWS API Call via CloudTrail", "aws.iam"},          // no eventType
		{"CreateAccessKey-stratus-1.json", "AWS API Call via CloudTrail", "aws.iam"},
		{"AssumeRole-sekoia-1.json", "AWS API Call via CloudTrail", "aws.sts"},
	}
	for _, tc := range tests {
		r, err := DecodeRecord(readSample(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := r.EventBridgeEvent()
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			DetailType string `json:"detail-type"`
			Source     string `json:"source"`
		}
		if err := json.Unmarshal(ev, &got); err != nil {
			t.Fatal(err)
		}
		if got.DetailType != tc.detailType || got.Source != tc.source {
			t.Errorf("EventBridgeEvent(%s) detail-type, source = %q, %q; want %q, %q",
				tc.file, got.DetailType, got.Source, tc.detailType, tc.source)
		}
	}
}
