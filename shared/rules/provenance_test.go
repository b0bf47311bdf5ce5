package rules

import (
	"strings"
	"testing"
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
