package functions_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/rules"
)

// deps lists the packages a function's binary links.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestEachFunctionLinksExactlyItsClients: each family's main builds exactly
// the clients its rules' actions and lookups declare, so its bootstrap links
// the SDK of those services (and SNS, which every guard publishes to; in each
// family that can roll back, SQS and CloudTrail for the confirmation of a
// rollback and DynamoDB for the outcome table) and no other; slack-notify
// links neither the IAM SDK, the policy analysis nor the
// managed-policy snapshot.
// sdkPackage maps an IAM service prefix to its aws-sdk-go-v2 package, where
// they differ.
var sdkPackage = map[string]string{"events": "eventbridge", "config": "configservice"}

func TestEachFunctionLinksExactlyItsClients(t *testing.T) {
	const sdk = "github.com/aws/aws-sdk-go-v2/service/"
	for _, f := range rules.Families() {
		t.Run(f.ID, func(t *testing.T) {
			want := []string{"sns"}
			if len(f.Actions()) > 0 {
				// A family that rolls back waits for CloudTrail to
				// confirm the event (the queue and LookupEvents) and
				// records each outcome.
				// and, in an organisation, opens sessions of the member
				// accounts' responder roles (STS).
				// and the overrides by OU look the account's OUs up
				// (Organizations).
				want = append(want, "sqs", "dynamodb", "sts", "organizations")
				if !slices.Contains(f.Services(), "cloudtrail") {
					want = append(want, "cloudtrail")
				}
			}
			for _, svc := range f.Services() {
				// IAM's service prefix, which calls are declared by, and
				// the SDK's package name differ for a few services.
				if pkg, ok := sdkPackage[svc]; ok {
					svc = pkg
				}
				want = append(want, svc)
			}
			var got []string
			for _, p := range deps(t, modulePath+"/functions/"+f.ID) {
				if s, ok := strings.CutPrefix(p, sdk); ok && !strings.Contains(s, "/") {
					got = append(got, s)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("functions/%s links the SDK clients %v, want exactly %v (its declared services and SNS)", f.ID, got, want)
			}
		})
	}
	t.Run("slack-notify", func(t *testing.T) {
		for _, p := range deps(t, modulePath+"/functions/slack-notify") {
			for _, banned := range []string{sdk + "iam", modulePath + "/shared/policy", modulePath + "/shared/awspolicies", modulePath + "/shared/rules"} {
				if p == banned {
					t.Errorf("slack-notify links %s", p)
				}
			}
		}
	})
}
