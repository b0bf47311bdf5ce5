package notify

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/finding"
)

// TestEveryRollbackCarriesItsUndo: whatever the delivery that sends it (the
// first, a republished outcome, a retry that found its change already made),
// an alert about a rollback iamguard made carries the undo command in every
// protocol's body: email, Chatbot and the finding JSON.
func TestEveryRollbackCarriesItsUndo(t *testing.T) {
	undo := finding.NewStep("iam:AttachUserPolicy", "UserName", "bob", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
	plan := &finding.Remediation{Step: finding.NewStep("iam:DetachUserPolicy", "UserName", "bob", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
		Description: "detach AdministratorAccess from user bob", Undo: &undo}
	f := finding.Finding{Rule: "wildcard-policy", EventID: "e-1", EventName: "AttachUserPolicy", Account: "111122223333", Region: "us-east-1",
		Target: "arn:aws:iam::111122223333:user/bob", Summary: "AdministratorAccess attached to user bob", Remediation: plan}
	for _, tc := range []struct {
		name string
		o    finding.Outcome
	}{
		{"done", finding.Outcome{Status: finding.StatusDone, Mode: "remediate", Reason: "rolled back", Plan: plan, Undo: undo.Command}},
		{"done, undo only in the plan", finding.Outcome{Status: finding.StatusDone, Mode: "remediate", Reason: "rolled back", Plan: plan}},
		{"done by an attempt whose answer was lost", finding.Outcome{Status: finding.StatusDone, Mode: "remediate",
			Reason: "rolled back: detach (IAM answered the SDK's retry no longer exists, after an earlier attempt whose answer was lost)", Plan: plan, Undo: undo.Command}},
		{"already undone on a redelivery", finding.Outcome{Status: finding.StatusAlreadyUndone, Mode: "remediate",
			Reason: "nothing to undo: IAM says it no longer exists; if iamguard did this on an earlier delivery of the event, the undo command below reverses it", Plan: plan, Undo: undo.Command}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Build(finding.Alert{Finding: f, Outcome: tc.o, Function: "policy-guard"})
			if err != nil {
				t.Fatal(err)
			}
			var bodies map[string]string
			if err := json.Unmarshal([]byte(m.Body), &bodies); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"email", "https", "default"} {
				// JSON bodies escape nothing in this command but may
				// be indented; look for its distinctive part.
				if !strings.Contains(bodies[k], "aws iam attach-user-policy --user-name bob") {
					t.Errorf("%s body lacks the undo command:\n%s", k, bodies[k])
				}
			}
		})
	}
}
