package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

const topic = "arn:aws:sns:us-east-1:111122223333:iamguard"

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultsAreSafe(t *testing.T) {
	c, err := FromEnv(env(map[string]string{EnvTopicARN: topic}))
	if err != nil {
		t.Fatal(err)
	}
	for id, m := range c.Modes {
		if m != finding.ModeNotify {
			t.Errorf("default mode of %s = %s, want notify", id, m)
		}
	}
	if len(c.Modes) != len(rules.Table()) {
		t.Errorf("Modes has %d rules, want every rule of the table", len(c.Modes))
	}
	if c.RemediateMinSeverity != severity.Critical || c.ExemptTag != DefaultExemptTag {
		t.Errorf("defaults = %s, %q; want critical and %q", c.RemediateMinSeverity, c.ExemptTag, DefaultExemptTag)
	}
	if c.ModeFor("no-such-rule") != finding.ModeNotify {
		t.Error("unknown rule should default to notify")
	}
}

func TestFromEnv(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		EnvTopicARN:             topic,
		EnvDefaultMode:          "dry-run",
		EnvModes:                "access-key-created=remediate, wildcard-policy=OFF",
		EnvRemediateMinSeverity: "high",
		EnvExemptPrincipals:     "arn:aws:iam::111122223333:role/deploy-*,\narn:aws:sts::111122223333:assumed-role/deploy-*",
		EnvExemptTargets:        "arn:aws:iam::111122223333:role/breakglass",
		EnvExemptTag:            "team:exempt",
		EnvSelfRoleARNs:         "arn:aws:iam::111122223333:role/iamguard-*",
		EnvCanaryPolicyARN:      "arn:aws:iam::111122223333:policy/iamguard/canary/Iamguard-canary",
		EnvCanaryRoleARN:        "arn:aws:iam::111122223333:role/Iamguard-CanaryRole",
		EnvStackName:            "Iamguard",
		EnvKeyARN:               "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		EnvDeployRoles:          "arn:aws:iam::111122223333:role/cdk-*-deploy-role-*",
		EnvOutcomeTable:         " Iamguard-OutcomeTable-1A2B3C ",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.OutcomeTable != "Iamguard-OutcomeTable-1A2B3C" {
		t.Errorf("OutcomeTable = %q, want Iamguard-OutcomeTable-1A2B3C", c.OutcomeTable)
	}
	if g := c.Rules.Guardrail; g.StackName != "Iamguard" || !strings.HasSuffix(g.KeyARN, ":key/1234abcd-12ab-34cd-56ef-1234567890ab") || len(g.DeployRoles) != 1 {
		t.Errorf("guardrail = %+v", g)
	}
	if c.Rules.CanaryPolicyARN != "arn:aws:iam::111122223333:policy/iamguard/canary/Iamguard-canary" || c.Rules.CanaryRoleARN != "arn:aws:iam::111122223333:role/Iamguard-CanaryRole" {
		t.Errorf("canary = %q %q", c.Rules.CanaryPolicyARN, c.Rules.CanaryRoleARN)
	}
	// Every rule of the table takes the default mode but the two named.
	want := map[string]finding.Mode{}
	for _, r := range rules.Table() {
		want[r.ID] = finding.ModeDryRun
	}
	want["access-key-created"], want["wildcard-policy"] = finding.ModeRemediate, finding.ModeOff
	if diff := cmp.Diff(want, c.Modes); diff != "" {
		t.Errorf("Modes (-want +got):\n%s", diff)
	}
	if c.RemediateMinSeverity != severity.High || c.ExemptTag != "team:exempt" {
		t.Errorf("got %s %q", c.RemediateMinSeverity, c.ExemptTag)
	}
	if len(c.ExemptPrincipals) != 2 || len(c.ExemptTargets) != 1 || len(c.SelfRoleARNs) != 1 {
		t.Errorf("lists = %q %q %q", c.ExemptPrincipals, c.ExemptTargets, c.SelfRoleARNs)
	}
}

// TestEveryProblemAtOnce: one run names every bad variable.
func TestEveryProblemAtOnce(t *testing.T) {
	_, err := FromEnv(env(map[string]string{
		EnvTopicARN:             "my-topic",
		EnvDefaultMode:          "loud",
		EnvModes:                "access-key-created=fix,unknown-rule=notify,garbage",
		EnvRemediateMinSeverity: "info",
		EnvExemptPrincipals:     "deploy-role",
		EnvExemptTag:            "aws:reserved",
		EnvCanaryPolicyARN:      "arn:aws:iam::111122223333:policy/other",
		EnvStackName:            "1stack",
		EnvKeyARN:               "alias/iamguard",
		EnvOutcomeTable:         "arn:aws:dynamodb:us-east-1:111122223333:table/outcomes",
	}))
	if err == nil {
		t.Fatal("FromEnv accepted a bad environment")
	}
	for _, want := range []string{
		`IAMGUARD_TOPIC_ARN "my-topic" is not an SNS topic ARN`,
		`IAMGUARD_DEFAULT_MODE: mode "loud"`,
		`IAMGUARD_MODES item 1 (access-key-created): mode "fix"`,
		`IAMGUARD_MODES item 2: unknown rule "unknown-rule"`,
		`IAMGUARD_MODES item 3 "garbage": want RULE=MODE`,
		`IAMGUARD_REMEDIATE_MIN_SEVERITY "info"`,
		`IAMGUARD_EXEMPT_PRINCIPALS: "deploy-role"`,
		`IAMGUARD_EXEMPT_TAG "aws:reserved"`,
		`IAMGUARD_CANARY_POLICY_ARN "arn:aws:iam::111122223333:policy/other": want the ARN of an IAM policy under path /iamguard/canary/`,
		`IAMGUARD_STACK_NAME "1stack": want a CloudFormation stack name`,
		`IAMGUARD_KEY_ARN "alias/iamguard": want a KMS key ARN`,
		`IAMGUARD_OUTCOME_TABLE "arn:aws:dynamodb:us-east-1:111122223333:table/outcomes": want a DynamoDB table name`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := FromEnv(env(nil)); err == nil || !strings.Contains(err.Error(), "IAMGUARD_TOPIC_ARN is required") {
		t.Errorf("missing topic: %v", err)
	}
}

func TestTargetPatternsWithAPathAreRefused(t *testing.T) {
	_, err := FromEnv(env(map[string]string{EnvTopicARN: topic, EnvExemptTargets: "arn:aws:iam::111122223333:role/emergency/BreakGlass"}))
	if err == nil || !strings.Contains(err.Error(), "arn:aws:iam::111122223333:role/BreakGlass") {
		t.Errorf("FromEnv = %v, want an error suggesting the ARN without its path", err)
	}
	for _, ok := range []string{"arn:aws:iam::111122223333:role/BreakGlass", "arn:aws:iam::*:user/breakglass-*", "arn:aws:iam::111122223333:policy/team/ops"} {
		if err := CheckTargetPattern(ok); err != nil {
			t.Errorf("CheckTargetPattern(%q) = %v, want nil", ok, err)
		}
	}
}

// TestModesWithABadDefaultMode: a valid IAMGUARD_MODES item still parses
// when IAMGUARD_DEFAULT_MODE is bad, so that both problems are reported.
func TestModesWithABadDefaultMode(t *testing.T) {
	_, err := FromEnv(env(map[string]string{EnvTopicARN: topic, EnvDefaultMode: "loud", EnvModes: "wildcard-policy=off"}))
	if err == nil || !strings.Contains(err.Error(), `IAMGUARD_DEFAULT_MODE: mode "loud"`) {
		t.Errorf("FromEnv = %v, want the bad default mode named", err)
	}
}

// TestPatternsThatMatchNothingAreRefused: with IAM's ARN matching, '*' does
// not cross a ':', so a short pattern that does not end in '*' exempts
// nothing; it is refused rather than silently useless.
func TestPatternsThatMatchNothingAreRefused(t *testing.T) {
	for _, tc := range []struct {
		p   string
		bad bool
	}{
		{"arn:aws:*BreakGlass", true},
		{"arn:aws:iam::111122223333:role/breakglass-*", false},
		{"arn:aws:iam::*:role/iamguard-*", false},
		{"arn:aws:iam::111122223333:user/bob", false},
		{"arn:aws:*", false},
	} {
		if err := CheckPattern(tc.p); (err != nil) != tc.bad {
			t.Errorf("CheckPattern(%q) = %v, want refused %v", tc.p, err, tc.bad)
		}
	}
	_, err := FromEnv(env(map[string]string{EnvTopicARN: topic, EnvExemptPrincipals: "arn:aws:*BreakGlass"}))
	if err == nil || !strings.Contains(err.Error(), "IAMGUARD_EXEMPT_PRINCIPALS") || !strings.Contains(err.Error(), "can match no ARN") {
		t.Errorf("FromEnv(short pattern) = %v, want an error naming the variable", err)
	}
}

func TestCanaryRoleWithoutPolicyIsRefused(t *testing.T) {
	_, err := FromEnv(env(map[string]string{EnvTopicARN: topic, EnvCanaryRoleARN: "arn:aws:iam::111122223333:role/Iamguard-CanaryRole"}))
	if err == nil || !strings.Contains(err.Error(), "IAMGUARD_CANARY_POLICY_ARN and IAMGUARD_CANARY_ROLE_ARN are set together") {
		t.Errorf("FromEnv = %v", err)
	}
}
