package guard

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
)

// TestForgedEventsAreReportedNeverActedOn: in remediate mode, an event that is
// not proven to be CloudTrail's, delivered by EventBridge for this account, is
// reported with what was not proven, and no executor is asked to act (they
// all fail the test if they are).
func TestForgedEventsAreReportedNeverActedOn(t *testing.T) {
	real := string(event(t, "AttachUserPolicy-stratus-1-eventbridge.json"))
	bare := string(event(t, "AttachUserPolicy-stratus-1.json"))
	tests := []struct {
		name, event, want string
	}{
		{"a bare record handed to the function", bare, "a bare record was handed to the function"},
		{"a custom source", strings.Replace(real, `"source": "aws.iam"`, `"source": "custom.iam"`, 1), `its source "custom.iam" is not an AWS service's`},
		{"a custom detail-type", strings.Replace(real, `"detail-type": "AWS API Call via CloudTrail"`, `"detail-type": "Totally CloudTrail"`, 1), `its detail-type "Totally CloudTrail"`},
		{"another account's event", strings.Replace(real, `"account": "229654561268"`, `"account": "999988887777"`, 1), `it is for account "999988887777", not this one (229654561268)`},
		{"a record that names another account", strings.Replace(real, `"recipientAccountId": "229654561268"`, `"recipientAccountId": "999988887777"`, 1), `its record is for account "999988887777"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.event == real {
				t.Fatal("the forgery left the event unchanged: fix the test's replacement")
			}
			pub := &fakePublisher{}
			h := handler(t, rules.PolicyGuard, map[string]string{
				config.EnvTopicARN:    "arn:aws:sns:us-east-1:229654561268:iamguard",
				config.EnvDefaultMode: "remediate",
			}, pub)
			if err := h.Handle(t.Context(), []byte(tc.event)); err != nil {
				t.Fatalf("Handle = %v", err)
			}
			if len(pub.alerts) != 1 {
				t.Fatalf("published %d alerts, want 1 (a forged event is reported)", len(pub.alerts))
			}
			a := pub.alerts[0]
			if !strings.Contains(a.Finding.Unproven, tc.want) || a.Outcome.Status != finding.StatusSkipped ||
				!strings.Contains(a.Outcome.Reason, "not proven to be CloudTrail's") {
				t.Errorf("unproven %q, outcome %s (%s); want unproven containing %q and a skipped outcome that says why",
					a.Finding.Unproven, a.Outcome.Status, a.Outcome.Reason, tc.want)
			}
		})
	}
}

func TestProvenanceOfARealEvent(t *testing.T) {
	rec, err := cloudtrail.DecodeRecord(event(t, "AttachUserPolicy-stratus-1-eventbridge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := provenance(rec, config.Config{TopicARN: "arn:aws:sns:us-east-1:229654561268:iamguard"}); got != "" {
		t.Errorf("provenance(real event) = %q, want proven", got)
	}
	if got := provenance(rec, config.Config{}); got == "" {
		t.Error("provenance without the function's own account = proven, want unproven")
	}
}
