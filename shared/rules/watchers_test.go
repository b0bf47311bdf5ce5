package rules

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// TestWatchersAndOrganisation: detection-disabled and org-guardrails on the
// case that decides each severity, and their look-alikes.
func TestWatchersAndOrganisation(t *testing.T) {
	failed := func(js string) string {
		return strings.Replace(js, `"eventType"`, `"errorCode":"AccessDenied","errorMessage":"no","eventType"`, 1)
	}
	for _, tc := range []struct {
		name string
		rule *Rule
		rec  string
		want severity.Severity
	}{
		{"GuardDuty detector deleted", detectionDisabled, apiEvent("guardduty", "DeleteDetector", userIdentity, `{"detectorId":"d1"}`, ""), severity.High},
		{"GuardDuty detector disabled", detectionDisabled, apiEvent("guardduty", "UpdateDetector", userIdentity, `{"detectorId":"d1","enable":false}`, ""), severity.High},
		{"GuardDuty detector's frequency changed", detectionDisabled, apiEvent("guardduty", "UpdateDetector", userIdentity, `{"detectorId":"d1","findingPublishingFrequency":"SIX_HOURS"}`, ""), severity.None},
		{"GuardDuty detector enabled", detectionDisabled, apiEvent("guardduty", "UpdateDetector", userIdentity, `{"detectorId":"d1","enable":true}`, ""), severity.None},
		{"Config recorder stopped", detectionDisabled, apiEvent("config", "StopConfigurationRecorder", userIdentity, `{"configurationRecorderName":"default"}`, ""), severity.High},
		{"Config recorder started", detectionDisabled, apiEvent("config", "StartConfigurationRecorder", userIdentity, `{"configurationRecorderName":"default"}`, ""), severity.None},
		{"Security Hub disabled", detectionDisabled, apiEvent("securityhub", "DisableSecurityHub", userIdentity, `{}`, ""), severity.High},
		{"Access Analyzer deleted", detectionDisabled, apiEvent("access-analyzer", "DeleteAnalyzer", userIdentity, `{"analyzerName":"org"}`, ""), severity.High},
		{"flow logs deleted", detectionDisabled, apiEvent("ec2", "DeleteFlowLogs", userIdentity, `{"DeleteFlowLogsRequest":{"FlowLogId":{"item":"fl-1"}}}`, ""), severity.High},
		{"DNS query logging deleted", detectionDisabled, apiEvent("route53resolver", "DeleteResolverQueryLogConfig", userIdentity, `{"resolverQueryLogConfigId":"rqlc-1"}`, ""), severity.High},
		{"the trail's log group deleted", detectionDisabled, apiEvent("logs", "DeleteLogGroup", userIdentity, `{"logGroupName":"aws-cloudtrail-logs-111122223333-abc"}`, ""), severity.High},
		{"an application's log group deleted", detectionDisabled, apiEvent("logs", "DeleteLogGroup", userIdentity, `{"logGroupName":"/aws/lambda/app"}`, ""), severity.None},
		{"failed detector deletion", detectionDisabled, failed(apiEvent("guardduty", "DeleteDetector", userIdentity, `{"detectorId":"d1"}`, "")), severity.None},

		{"left the organisation", orgGuardrails, apiEvent("organizations", "LeaveOrganization", userIdentity, `null`, ""), severity.High},
		{"tried to leave the organisation", orgGuardrails, failed(apiEvent("organizations", "LeaveOrganization", userIdentity, `null`, "")), severity.High},
		{"SCP detached", orgGuardrails, apiEvent("organizations", "DetachPolicy", userIdentity, `{"policyId":"p-1","targetId":"ou-1"}`, ""), severity.High},
		{"SCP type disabled", orgGuardrails, apiEvent("organizations", "DisablePolicyType", userIdentity, `{"rootId":"r-1","policyType":"SERVICE_CONTROL_POLICY"}`, ""), severity.High},
		{"tag policy type disabled", orgGuardrails, apiEvent("organizations", "DisablePolicyType", userIdentity, `{"rootId":"r-1","policyType":"TAG_POLICY"}`, ""), severity.Medium},
		{"failed detach", orgGuardrails, failed(apiEvent("organizations", "DetachPolicy", userIdentity, `{"policyId":"p-1","targetId":"ou-1"}`, "")), severity.None},
		{"policy attached", orgGuardrails, apiEvent("organizations", "AttachPolicy", userIdentity, `{"policyId":"p-1","targetId":"ou-1"}`, ""), severity.None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.rule.Evaluate(t.Context(), record(t, tc.rec), nil)
			got := severity.None
			if len(fs) == 1 {
				got = fs[0].Severity
				if fs[0].RemediationNote == "" {
					t.Errorf("finding has no note saying how to put it back: %+v", fs[0])
				}
			}
			if len(fs) > 1 || got != tc.want {
				t.Errorf("Evaluate = %+v, want one finding of %s (or none for none)", fs, tc.want)
			}
		})
	}
}
