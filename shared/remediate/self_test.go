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

// TestIsSelfActorExactSessions: with the functions' exact sessions
// configured, only they are iamguard; another session of iamguard's own
// role (another function given the role, in this Region or another, or a
// person who assumed it) is judged like anyone's.
func TestIsSelfActorExactSessions(t *testing.T) {
	own := "arn:aws:sts::" + acct + ":assumed-role/Iamguard-PolicyGuardRole-AbC123/Iamguard-policy-guard"
	r := New(conf(t, map[string]string{
		config.EnvSelfSessions: own,
		config.EnvSelfRoleARNs: "arn:aws:iam::" + acct + ":role/Iamguard-*",
	}), nil)
	issuer := "arn:aws:iam::" + acct + ":role/Iamguard-PolicyGuardRole-AbC123"
	for _, tc := range []struct {
		actor string
		want  bool
	}{
		{own, true},
		{"arn:aws:sts::" + acct + ":assumed-role/Iamguard-PolicyGuardRole-AbC123/attacker-function", false},
		{"arn:aws:sts::" + acct + ":assumed-role/Iamguard-PolicyGuardRole-AbC123/Iamguard-policy-guard-x", false},
		{"arn:aws:sts::" + acct + ":assumed-role/iamguard-fake/Iamguard-policy-guard", false},
		{issuer, false},
		// A responder session is iamguard's only with the organisation shape.
		{"arn:aws:sts::444455556666:assumed-role/Iamguard-responder/iamguard-0e2e0000-0000-4000-8000-000000000001", false},
	} {
		if got := r.IsSelfActor(tc.actor, issuer); got != tc.want {
			t.Errorf("IsSelfActor(%q) = %v, want %v", tc.actor, got, tc.want)
		}
	}
	if _, err := config.FromEnv(func(k string) string {
		return map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:" + acct + ":t", config.EnvSelfSessions: "arn:aws:sts::" + acct + ":assumed-role/Iamguard-*/x"}[k]
	}); err == nil {
		t.Error("a session pattern was accepted; want exact ARNs only")
	}
}

// TestIsSelfActorResponder: in an organisation, iamguard's sessions of the
// responder role in any account are its own; other sessions of it are not.
func TestIsSelfActorResponder(t *testing.T) {
	r := New(conf(t, map[string]string{
		config.EnvSelfSessions:   "arn:aws:sts::" + acct + ":assumed-role/Iamguard-PolicyGuardRole-AbC123/Iamguard-policy-guard",
		config.EnvOrganizationID: "o-a1b2c3d4e5",
		config.EnvResponderRole:  "Iamguard-responder",
	}), nil)
	for _, tc := range []struct {
		actor string
		want  bool
	}{
		{"arn:aws:sts::444455556666:assumed-role/Iamguard-responder/" + config.ResponderSession("0e2e0000-0000-4000-8000-000000000001"), true},
		{"arn:aws:sts::777788889999:assumed-role/Iamguard-responder/iamguard-x", true},
		{"arn:aws:sts::444455556666:assumed-role/Iamguard-responder/mallory", false},
		{"arn:aws:sts::444455556666:assumed-role/Other/iamguard-x", false},
	} {
		if got := r.IsSelfActor(tc.actor, ""); got != tc.want {
			t.Errorf("IsSelfActor(%q) = %v, want %v", tc.actor, got, tc.want)
		}
	}
}
