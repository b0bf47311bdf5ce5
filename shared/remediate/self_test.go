package remediate

import (
	"testing"

	"github.com/iamguard/iamguard/shared/config"
)

func TestIsSelfActor(t *testing.T) {
	r := New(conf(t, map[string]string{config.EnvSelfRoleARNs: "arn:aws:iam::" + acct + ":role/iamguard-*"}), nil)
	for _, tc := range []struct {
		actor, issuer string
		want          bool
	}{
		{"arn:aws:sts::" + acct + ":assumed-role/iamguard-policy-guard/fn", "arn:aws:iam::" + acct + ":role/iamguard-policy-guard", true},
		{"arn:aws:iam::" + acct + ":role/iamguard-policy-guard", "", true},
		{"arn:aws:sts::" + acct + ":assumed-role/admin/iamguard-fake", "arn:aws:iam::" + acct + ":role/admin", false},
		{"", "", false},
	} {
		if got := r.IsSelfActor(tc.actor, tc.issuer); got != tc.want {
			t.Errorf("IsSelfActor(%q, %q) = %v, want %v", tc.actor, tc.issuer, got, tc.want)
		}
	}
}
