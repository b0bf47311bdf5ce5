package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

func TestSettingsFromContext(t *testing.T) {
	defaults := DefaultSettings()
	for _, tc := range []struct {
		name string
		ctx  map[string]any
		want func(s *Settings)
	}{
		{"empty", map[string]any{}, func(*Settings) {}},
		{"CDK's own keys are not ours", map[string]any{"aws:cdk:bundling-stacks": []any{}, "@aws-cdk/core:newStyleStackSynthesis": true}, func(*Settings) {}},
		{"null is the default", map[string]any{KeyLogRetentionDays: nil, KeyNotifyEmails: nil}, func(*Settings) {}},
		{"cdk.json types", map[string]any{
			KeyNotifyEmails:        []any{"a@example.com", "b@example.com", "a@example.com"},
			KeyRemediate:           []any{"wildcard-policy"},
			KeyDryRun:              true,
			KeyCreateTrail:         true,
			KeyForwardRegions:      []any{"eu-west-1", "ap-southeast-2"},
			KeyLogRetentionDays:    float64(731),
			KeyReservedConcurrency: float64(10),
			KeyCanaryMinutes:       float64(30),
		}, func(s *Settings) {
			s.CanaryMinutes = 30
			s.NotifyEmails = []string{"a@example.com", "b@example.com"}
			s.Remediate = []string{"wildcard-policy"}
			s.DryRun, s.CreateTrail = true, true
			s.ForwardRegions = []string{"eu-west-1", "ap-southeast-2"}
			s.LogRetentionDays, s.ReservedConcurrency = 731, 10
		}},
		{"-c strings", map[string]any{
			KeyNotifyEmails:         " a@example.com ,b@example.com,",
			KeyRemediate:            "access-key-created,wildcard-policy",
			KeyRemediateMinSeverity: "Medium",
			KeyDryRun:               "TRUE",
			KeyCreateTrail:          "false",
			KeyForwardRegions:       `["eu-north-1"]`,
			KeyLogRetentionDays:     "30",
			KeyReservedConcurrency:  "off",
			KeyCanaryMinutes:        "0",
			KeyExemptPrincipals:     "arn:aws:iam::111122223333:role/deploy-*",
			KeyExemptTag:            "team:breakglass",
			KeySlackWorkspaceID:     "T0123ABCDE",
			KeySlackChannelID:       "C0123ABCDE",
		}, func(s *Settings) {
			s.NotifyEmails = []string{"a@example.com", "b@example.com"}
			s.Remediate = []string{"access-key-created", "wildcard-policy"}
			s.RemediateMinSeverity = severity.Medium
			s.DryRun = true
			s.ForwardRegions = []string{"eu-north-1"}
			s.LogRetentionDays = 30
			s.ExemptPrincipals = []string{"arn:aws:iam::111122223333:role/deploy-*"}
			s.ExemptTag = "team:breakglass"
			s.SlackWorkspaceID, s.SlackChannelID = "T0123ABCDE", "C0123ABCDE"
			s.CanaryMinutes = 0
		}},
		{"reservedConcurrency 0 and false are off", map[string]any{KeyReservedConcurrency: false}, func(*Settings) {}},
		{"region us-east-1", map[string]any{KeyRegion: "us-east-1"}, func(*Settings) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SettingsFromContext(tc.ctx)
			if err != nil {
				t.Fatalf("SettingsFromContext(%v): %v", tc.ctx, err)
			}
			want := defaults
			tc.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SettingsFromContext(%v) (-want +got):\n%s", tc.ctx, diff)
			}
		})
	}
}

func TestSettingsFromContextErrors(t *testing.T) {
	for _, tc := range []struct {
		key   string
		value any
		want  string
	}{
		{KeyRegion, "eu-west-1", "IAM is a global service"},
		{KeyRegion, float64(1), "want a string"},
		{KeyNotifyEmails, "alice", `"alice" is not an email address`},
		{KeyNotifyEmails, map[string]any{}, "want a list"},
		{KeyNotifyEmails, `["unterminated"`, "not a JSON array"},
		{KeySlackWorkspaceID, "T1", "required when slackWorkspaceId is set"},
		{KeySlackChannelID, "#alerts", "not a Slack channel ID"},
		{KeySlackWebhookSecretName, "has space", "not a Secrets Manager secret name"},
		{KeyRemediate, "root-console-login", "has no rollback"},
		{KeyRemediate, "wildcard", `unknown rule "wildcard"`},
		{KeyRemediateMinSeverity, "info", "rollbacks start at low"},
		{KeyRemediateMinSeverity, "severe", "want low, medium, high or critical"},
		{KeyDryRun, "yes", "want true or false"},
		{KeyDryRun, float64(1), "want true or false"},
		{KeyExemptTargets, "role/breakglass", "not an ARN pattern"},
		{KeyExemptTag, "aws:foo", "not a tag key"},
		{KeyExemptTag, "", "not a tag key"},
		{KeyCreateTrail, "1", "want true or false"},
		{KeyForwardRegions, "us-east-1", "list only the other Regions"},
		{KeyForwardRegions, "mars-1", "not a Region name"},
		{KeyLogRetentionDays, "400", ""},
		{KeyLogRetentionDays, float64(42), "CloudWatch Logs accepts 1, 3, 5"},
		{KeyLogRetentionDays, float64(1.5), "whole number"},
		{KeyLogRetentionDays, "a year", "whole number"},
		{KeyReservedConcurrency, float64(-3), "want 0 (off) or a positive number"},
		{KeyCanaryMinutes, float64(2), "want 0 (off) or 5 to 1425 minutes"},
		{KeyCanaryMinutes, "1440", "want 0 (off) or 5 to 1425 minutes"},
		{KeyCanaryMinutes, "hourly", "whole number"},
		{"remediateMode", "x", "unknown key"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			_, err := SettingsFromContext(map[string]any{tc.key: tc.value})
			if tc.want == "" {
				if err != nil {
					t.Errorf("SettingsFromContext(%s=%v): %v, want no error", tc.key, tc.value, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("SettingsFromContext(%s=%v) succeeded, want an error with %q", tc.key, tc.value, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("SettingsFromContext(%s=%v) = %v, want it to say %q", tc.key, tc.value, err, tc.want)
			}
			if !strings.Contains(err.Error(), "context "+tc.key+":") && tc.key != KeySlackWorkspaceID {
				t.Errorf("SettingsFromContext(%s=%v) = %v, want it to name the key", tc.key, tc.value, err)
			}
		})
	}
}

func TestModeFor(t *testing.T) {
	s := DefaultSettings()
	s.Remediate = []string{"access-key-created"}
	if got := s.ModeFor("access-key-created"); got != finding.ModeRemediate {
		t.Errorf("ModeFor(access-key-created) = %s, want remediate", got)
	}
	if got := s.ModeFor("wildcard-policy"); got != finding.ModeNotify {
		t.Errorf("ModeFor(wildcard-policy) = %s, want notify", got)
	}
	s.DryRun = true
	if got := s.ModeFor("access-key-created"); got != finding.ModeDryRun {
		t.Errorf("with dryRun, ModeFor(access-key-created) = %s, want dry-run", got)
	}
}
