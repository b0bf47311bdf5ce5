package config

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/finding"
)

func TestOrganizationFromEnv(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		EnvTopicARN:       topic,
		EnvModes:          "wildcard-policy=remediate,access-key-created=remediate",
		EnvOrganizationID: "o-a1b2c3d4e5",
		EnvResponderRole:  "Iamguard-responder",
		EnvAccountOverrides: `{"444455556666": {"modes": {"wildcard-policy": "dry-run"}, "exemptTargets": ["arn:aws:iam::444455556666:role/ops"]},
			"ou-ab12-34cd56ef": {"modes": {"access-key-created": "notify"}, "exemptPrincipals": ["arn:aws:iam::*:role/pipeline"]}}`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Organization() || c.ResponderRoleARN("444455556666") != "arn:aws:iam::444455556666:role/Iamguard-responder" {
		t.Errorf("Organization() = %v, ResponderRoleARN = %s", c.Organization(), c.ResponderRoleARN("444455556666"))
	}
	if !c.HasOUOverrides() {
		t.Error("HasOUOverrides() = false with an ou- key")
	}
	b := c.For("444455556666")
	if b.ModeFor("wildcard-policy") != finding.ModeDryRun || b.ModeFor("access-key-created") != finding.ModeRemediate ||
		len(b.ExemptTargets) != 1 || b.AccountOverrides != nil {
		t.Errorf("For(B) = modes %v, targets %v, overrides %v", b.Modes, b.ExemptTargets, b.AccountOverrides)
	}
	u := c.For("777788889999", "r-ab12", "ou-ab12-34cd56ef")
	if u.ModeFor("access-key-created") != finding.ModeNotify || u.ModeFor("wildcard-policy") != finding.ModeRemediate || len(u.ExemptPrincipals) != 1 {
		t.Errorf("For(account in the OU) = modes %v, principals %v", u.Modes, u.ExemptPrincipals)
	}
	if o := c.For("111122223333"); o.ModeFor("wildcard-policy") != finding.ModeRemediate || c.Modes["wildcard-policy"] != finding.ModeRemediate {
		t.Error("For of an account without overrides changed the modes, or For changed the stack's configuration")
	}
}

func TestOrganizationFromEnvErrors(t *testing.T) {
	_, err := FromEnv(env(map[string]string{
		EnvTopicARN:         topic,
		EnvOrganizationID:   "o-short",
		EnvAccountOverrides: `{"12345": {}, "444455556666": {"modes": {"no-such-rule": "remediate", "wildcard-policy": "sometimes"}, "typo": 1}}`,
	}))
	if err == nil {
		t.Fatal("FromEnv accepted a bad organisation ID and overrides")
	}
	for _, want := range []string{EnvOrganizationID, "unknown field"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	_, err = FromEnv(env(map[string]string{EnvTopicARN: topic, EnvAccountOverrides: `{"12345": {}, "444455556666": {"modes": {"no-such-rule": "remediate", "wildcard-policy": "sometimes"}}}`}))
	for _, want := range []string{`"12345"`, "no-such-rule", "sometimes"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
	_, err = FromEnv(env(map[string]string{EnvTopicARN: topic, EnvOrganizationID: "o-a1b2c3d4e5"}))
	if err == nil || !strings.Contains(err.Error(), EnvResponderRole) {
		t.Errorf("organisation without a responder role: err = %v", err)
	}
}

func TestResponderSession(t *testing.T) {
	c := Config{ResponderRole: "Iamguard-responder"}
	for _, tc := range []struct {
		actor string
		want  bool
	}{
		{"arn:aws:sts::444455556666:assumed-role/Iamguard-responder/iamguard-0e2e0000-0000-4000-8000-000000000001", true},
		{"arn:aws:sts::111122223333:assumed-role/Iamguard-responder/" + ResponderSession("x"), true},
		{"arn:aws:sts::444455556666:assumed-role/Iamguard-responder/alice", false},
		{"arn:aws:sts::444455556666:assumed-role/Other-responder/iamguard-1", false},
		{"arn:aws:iam::444455556666:role/Iamguard-responder", false},
		{"arn:aws:sts::44445555:assumed-role/Iamguard-responder/iamguard-1", false},
	} {
		if got := c.IsResponderSession(tc.actor); got != tc.want {
			t.Errorf("IsResponderSession(%s) = %v, want %v", tc.actor, got, tc.want)
		}
	}
	long := ResponderSession(strings.Repeat("é/", 40))
	if len(long) != 64 || strings.ContainsAny(long, "é/") {
		t.Errorf("ResponderSession of a long, odd event ID = %q (%d characters)", long, len(long))
	}
	if (Config{}).IsResponderSession("arn:aws:sts::444455556666:assumed-role/x/iamguard-1") {
		t.Error("a session counts as the responder's with no responder role configured")
	}
}
