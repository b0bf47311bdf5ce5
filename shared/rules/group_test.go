package rules

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// TestAdminGroupMembershipOverTheStream: offline, a group's policies are
// what the stream showed, per account, case-blind; a group the stream shows
// as harmless may hold more: reported unresolved, never dropped.
func TestAdminGroupMembershipOverTheStream(t *testing.T) {
	put := apiEvent("iam", "PutGroupPolicy", userIdentity,
		`{"groupName":"Developers","policyName":"iam-admin","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}"}`, "")
	attachReadOnly := apiEvent("iam", "AttachGroupPolicy", userIdentity, `{"groupName":"readers","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`, "")
	add := func(group string) string {
		return apiEvent("iam", "AddUserToGroup", userIdentity, `{"groupName":"`+group+`","userName":"bob"}`, "")
	}
	e := NewEngine(Options{Rules: []*Rule{adminGroupMembership}})
	for _, r := range []string{put, attachReadOnly} {
		e.Evaluate(t.Context(), record(t, r))
	}
	for _, tc := range []struct {
		group          string
		want           severity.Severity
		wantPlan       bool
		wantUnresolved string
	}{
		{"developers", severity.High, true, ""},                           // the same group, told in another case
		{"readers", severity.Medium, false, "only the policies attached"}, // harmless as far as the stream shows
		{"strangers", severity.Medium, false, "the stream shows no policy of group strangers"},
	} {
		fs := e.Evaluate(t.Context(), record(t, add(tc.group)))
		if len(fs) != 1 || fs[0].Severity != tc.want || (fs[0].Remediation != nil) != tc.wantPlan || !strings.Contains(fs[0].Unresolved, tc.wantUnresolved) {
			t.Errorf("AddUserToGroup %s = %+v; want %s, plan %v, unresolved containing %q", tc.group, fs, tc.want, tc.wantPlan, tc.wantUnresolved)
			continue
		}
		if tc.wantPlan && (fs[0].Remediation.Command != "aws iam remove-user-from-group --group-name developers --user-name bob" ||
			len(fs[0].OtherTargets) != 1 || fs[0].OtherTargets[0] != "arn:aws:iam::111122223333:group/developers") {
			t.Errorf("plan %+v, other targets %v", fs[0].Remediation, fs[0].OtherTargets)
		}
	}
	// Another account's group of the same name is another group.
	other := strings.Replace(add("developers"), `"recipientAccountId":"111122223333"`, `"recipientAccountId":"444455556666"`, 1)
	if fs := e.Evaluate(t.Context(), record(t, other)); len(fs) != 1 || fs[0].Severity != severity.Medium {
		t.Errorf("another account's developers = %+v, want unresolved (medium)", fs)
	}
}
