package rules

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// TestEveryPatternPinsAnAWSSource: every deployed pattern names the AWS
// sources it takes ("aws." is kept by AWS for its services; anyone allowed
// PutEvents can send any other source) and CloudTrail's or AWS Health's
// detail-types, so that no custom event reaches a function through its rules.
func TestEveryPatternPinsAnAWSSource(t *testing.T) {
	detailTypes := map[string]bool{
		DetailTypeAPICall: true, DetailTypeSignIn: true, DetailTypeSignInDoc: true, DetailTypeConsoleCall: true,
		"AWS Service Event via CloudTrail": true, "AWS Health Event": true,
	}
	for _, r := range Table() {
		for i, p := range r.Patterns {
			src, ok := p["source"].([]any)
			if !ok || len(src) == 0 {
				t.Errorf("%s pattern %d: no source list", r.ID, i)
			}
			for _, v := range src {
				switch x := v.(type) {
				case string:
					if !strings.HasPrefix(x, "aws.") {
						t.Errorf("%s pattern %d: source %q is not an AWS service's", r.ID, i, x)
					}
				case map[string]any:
					if x["prefix"] != "aws." {
						t.Errorf("%s pattern %d: source %v is not the aws. prefix", r.ID, i, x)
					}
				default:
					t.Errorf("%s pattern %d: source %v", r.ID, i, v)
				}
			}
			dt, ok := p["detail-type"].([]any)
			if !ok || len(dt) == 0 {
				t.Errorf("%s pattern %d: no detail-type list", r.ID, i)
			}
			for _, v := range dt {
				if s, _ := v.(string); !detailTypes[s] {
					t.Errorf("%s pattern %d: detail-type %v is not CloudTrail's or AWS Health's", r.ID, i, v)
				}
			}
		}
	}
}

// TestExemptTagAtCreation: a user, role or policy created already carrying
// an iamguard: tag is reported as the same tag set later would be.
func TestExemptTagAtCreation(t *testing.T) {
	create := func(name, params, response string) string {
		return withResponse(apiEvent("iam", name, userIdentity, params, ""), response)
	}
	tests := []struct {
		name, event string
		want        severity.Severity // None: no finding
	}{
		{"role born exempt", create("CreateRole", `{"roleName":"r1","assumeRolePolicyDocument":"{}","tags":[{"key":"iamguard:exempt","value":"true"}]}`, "null"), severity.High},
		{"user born exempt, key in another case", create("CreateUser", `{"userName":"u1","tags":[{"key":"IAMGuard:Exempt","value":"TRUE"}]}`, "null"), severity.High},
		{"policy with another iamguard tag", create("CreatePolicy", `{"policyName":"p1","policyDocument":"{}","tags":[{"key":"iamguard:owner","value":"sec"}]}`,
			`{"policy":{"arn":"arn:aws:iam::111122223333:policy/p1"}}`), severity.Medium},
		{"the canary's tag on a new policy (rule canary's business)", create("CreatePolicy", `{"policyName":"c","policyDocument":"{}","tags":[{"key":"iamguard:canary","value":"x"}]}`, "null"), severity.None},
		{"other tags only", create("CreateRole", `{"roleName":"r2","assumeRolePolicyDocument":"{}","tags":[{"key":"team","value":"a"}]}`, "null"), severity.None},
		{"no tags", create("CreateUser", `{"userName":"u2"}`, "null"), severity.None},
	}
	for _, tc := range tests {
		fs := exemptTagChanged.Evaluate(t.Context(), record(t, tc.event), nil)
		switch {
		case tc.want == severity.None && len(fs) != 0:
			t.Errorf("%s: findings %+v, want none", tc.name, fs)
		case tc.want != severity.None && (len(fs) != 1 || fs[0].Severity != tc.want):
			t.Errorf("%s: findings %+v, want one at %v", tc.name, fs, tc.want)
		}
	}
}
