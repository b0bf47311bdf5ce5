package notify

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/finding"
)

// TestExemptHintKnowsWhatIsExempt: an alert about an exempt change used to
// tell the reader how to exempt it (tag the user that already carries the
// tag); an alert about an event iamguard could not read offered to exempt
// "unknown".
func TestExemptHintKnowsWhatIsExempt(t *testing.T) {
	f := finding.Finding{Rule: "access-key-created", Actor: "arn:aws:iam::123456789012:user/deploy-bot", ActorType: "IAMUser",
		Target: "arn:aws:iam::123456789012:user/build-agent"}
	for _, tc := range []struct {
		name     string
		a        finding.Alert
		want     string
		wantNot  string
		wantLink string
	}{
		{
			name: "exempt by tag", want: "Already exempt (target tag iamguard:exempt=true)", wantNot: "tag-user",
			a: finding.Alert{Finding: f, Outcome: finding.Outcome{Status: finding.StatusSkipped, Exemption: "target tag iamguard:exempt=true"}},
		},
		{
			name: "exempt principal", want: "Already exempt (exempt principal arn:aws:iam::123456789012:user/deploy-*)", wantNot: "exemptPrincipals",
			a: finding.Alert{Finding: f, Outcome: finding.Outcome{Status: finding.StatusSkipped, Exemption: "exempt principal arn:aws:iam::123456789012:user/deploy-*"}},
		},
		{
			name: "not exempt", want: "Tag the user iamguard:exempt=true", wantNot: "Already exempt",
			a: finding.Alert{Finding: f, Outcome: finding.Outcome{Status: finding.StatusDone}},
		},
		{
			name: "unreadable event", want: "Nothing to exempt", wantNot: "unknown",
			a: finding.Alert{Finding: finding.Finding{Rule: "iamguard-unevaluated"}, Outcome: finding.Outcome{Status: finding.StatusSkipped}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ExemptHint(tc.a)
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.wantNot) {
				t.Errorf("ExemptHint = %q, want it to contain %q and not %q", got, tc.want, tc.wantNot)
			}
			if email := EmailText(tc.a); !strings.Contains(email, tc.want) {
				t.Errorf("EmailText lacks %q:\n%s", tc.want, email)
			}
		})
	}
}

func TestConsoleURLWithoutEventID(t *testing.T) {
	got := ConsoleURL(finding.Finding{})
	if want := "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events"; got != want {
		t.Errorf("ConsoleURL(no event ID) = %q, want %q", got, want)
	}
	got = ConsoleURL(finding.Finding{EventID: "abc", Region: "eu-west-1"})
	if want := "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/abc"; got != want {
		t.Errorf("ConsoleURL = %q, want %q", got, want)
	}
}
