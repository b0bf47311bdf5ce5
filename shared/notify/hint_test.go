package notify

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// TestExemptHintKnowsWhatIsExempt: an alert about an exempt change used to
// tell the reader how to exempt it (tag the user that already carries the
// tag); an alert about an event iamguard could not read offered to exempt
// "unknown".
func TestExemptHintKnowsWhatIsExempt(t *testing.T) {
	f := rules.Finding{Rule: "access-key-created", Actor: "arn:aws:iam::123456789012:user/deploy-bot", ActorType: "IAMUser",
		Target: "arn:aws:iam::123456789012:user/build-agent"}
	for _, tc := range []struct {
		name     string
		a        Alert
		want     string
		wantNot  string
		wantLink string
	}{
		{
			name: "exempt by tag", want: "Already exempt (target tag iamguard:exempt=true)", wantNot: "tag-user",
			a: Alert{Finding: f, Outcome: remediate.Outcome{Status: remediate.StatusSkipped, Exemption: "target tag iamguard:exempt=true"}},
		},
		{
			name: "exempt principal", want: "Already exempt (exempt principal arn:aws:iam::123456789012:user/deploy-*)", wantNot: "exemptPrincipals",
			a: Alert{Finding: f, Outcome: remediate.Outcome{Status: remediate.StatusSkipped, Exemption: "exempt principal arn:aws:iam::123456789012:user/deploy-*"}},
		},
		{
			name: "not exempt", want: "Tag the user iamguard:exempt=true", wantNot: "Already exempt",
			a: Alert{Finding: f, Outcome: remediate.Outcome{Status: remediate.StatusDone}},
		},
		{
			name: "unreadable event", want: "Nothing to exempt", wantNot: "unknown",
			a: Alert{Finding: rules.Finding{Rule: "iamguard-unevaluated"}, Outcome: remediate.Outcome{Status: remediate.StatusSkipped}},
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
	got := ConsoleURL(rules.Finding{})
	if want := "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events"; got != want {
		t.Errorf("ConsoleURL(no event ID) = %q, want %q", got, want)
	}
	got = ConsoleURL(rules.Finding{EventID: "abc", Region: "eu-west-1"})
	if want := "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/abc"; got != want {
		t.Errorf("ConsoleURL = %q, want %q", got, want)
	}
}
