package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// watcherEvents are the calls that switch off one of the account's other
// watchers, by service: what each one is, and how to put it back.
var watcherEvents = []struct {
	source, eventSource, what, fix string
	names                          []string
}{
	{"aws.guardduty", "guardduty.amazonaws.com", "Amazon GuardDuty",
		"aws guardduty create-detector --enable (after DeleteDetector), aws guardduty update-detector --detector-id ID --enable, or aws guardduty accept-administrator-invitation",
		[]string{"DeleteDetector", "UpdateDetector", "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount"}},
	{"aws.config", "config.amazonaws.com", "AWS Config",
		"aws configservice start-configuration-recorder --configuration-recorder-name NAME (put-configuration-recorder and put-delivery-channel first when they were deleted)",
		[]string{"StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel"}},
	{"aws.securityhub", "securityhub.amazonaws.com", "AWS Security Hub", "aws securityhub enable-security-hub",
		[]string{"DisableSecurityHub"}},
	{"aws.access-analyzer", "access-analyzer.amazonaws.com", "IAM Access Analyzer", "aws accessanalyzer create-analyzer --analyzer-name NAME --type ACCOUNT",
		[]string{"DeleteAnalyzer"}},
	{"aws.ec2", "ec2.amazonaws.com", "VPC Flow Logs", "aws ec2 create-flow-logs for the VPCs, subnets or interfaces that lost them",
		[]string{"DeleteFlowLogs"}},
	{"aws.route53resolver", "route53resolver.amazonaws.com", "Route 53 Resolver query logging",
		"aws route53resolver create-resolver-query-log-config and associate-resolver-query-log-config for the VPCs",
		[]string{"DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"}},
	{"aws.logs", "logs.amazonaws.com", "the trail's CloudWatch Logs group",
		"recreate the log group and point the trail at it: aws cloudtrail update-trail --name TRAIL --cloud-watch-logs-log-group-arn ARN --cloud-watch-logs-role-arn ROLE",
		[]string{"DeleteLogGroup"}},
}

var detectionDisabled = &Rule{
	ID:    "detection-disabled",
	Title: "Another detection service switched off",
	Description: "One of the account's other watchers was switched off: a GuardDuty detector deleted, disabled or detached from its " +
		"administrator, AWS Config's recorder stopped or deleted or its delivery channel deleted, Security Hub disabled, an IAM Access " +
		"Analyzer deleted, VPC flow logs deleted, Route 53 Resolver query logging deleted or disassociated, or the trail's CloudWatch " +
		"Logs group deleted. High; notify, with the command that puts it back; in remediate mode, a stopped AWS Config recorder is " +
		"started again and a disabled GuardDuty detector enabled again.",
	FiresOn: "a successful GuardDuty `DeleteDetector`, `UpdateDetector` (enable false), `DisassociateFromAdministratorAccount`; Config " +
		"`StopConfigurationRecorder`, `DeleteConfigurationRecorder`, `DeleteDeliveryChannel`; `DisableSecurityHub`; Access Analyzer " +
		"`DeleteAnalyzer`; EC2 `DeleteFlowLogs`; Route 53 Resolver `DeleteResolverQueryLogConfig`, `DisassociateResolverQueryLogConfig`; " +
		"CloudWatch Logs `DeleteLogGroup` of a CloudTrail log group (its name says CloudTrail); in any Region the stack watches",
	Severities: "high",
	Family:     AuditGuard,
	Actions:    []*action.Action{action.StartConfigurationRecorder, action.EnableDetector},
	Patterns: func() []eventpattern.Pattern {
		var out []eventpattern.Pattern
		for _, w := range watcherEvents {
			out = append(out, apiCalls(w.source, w.eventSource, w.names...))
		}
		return out
	}(),
	evaluate: evaluateDetectionDisabled,
}

func evaluateDetectionDisabled(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	for _, w := range watcherEvents {
		if rec.EventSource != w.eventSource || !contains(w.names, rec.EventName) {
			continue
		}
		f := newFinding("detection-disabled", rec)
		f.Severity = severity.High
		var what string
		switch rec.EventName {
		case "UpdateDetector":
			if !strings.EqualFold(rec.RequestParam("enable"), "false") {
				return nil // a detector's other settings
			}
			what = "disabled GuardDuty detector " + rec.RequestParam("detectorId")
		case "DeleteLogGroup":
			group := rec.RequestParam("logGroupName")
			if !strings.Contains(strings.ToLower(group), "cloudtrail") {
				return nil // not a trail's log group, as far as its name says
			}
			what = "deleted CloudWatch Logs group " + group + " (a trail delivers to it, as its name says)"
		default:
			what = "called " + rec.EventName + " on " + w.what
		}
		f.Target = firstNonEmpty(rec.RequestParam("detectorId"), rec.RequestParam("configurationRecorderName"), rec.RequestParam("deliveryChannelName"),
			rec.RequestParam("analyzerName"), rec.RequestParam("logGroupName"), rec.RequestParam("resolverQueryLogConfigId"))
		f.Summary = fmt.Sprintf("%s %s in %s (%s)", actorName(rec), what, f.Account, orUnknown(rec.AWSRegion))
		f.Reasons = append(f.Reasons, w.what+" watches what CloudTrail does not: switching it off is a step attackers take before acting (MITRE ATT&CK T1562.001)")
		f.RemediationNote = "if this was not planned, switch it back on: " + w.fix + "; and review what " + actorName(rec) + " did since"
		if id, region := rec.RequestParam("detectorId"), rec.AWSRegion; rec.EventName == "UpdateDetector" && id != "" && validRegion(region) {
			a := action.EnableDetector
			f.Remediation = a.Plan(fmt.Sprintf("enable GuardDuty detector %s again in %s", id, region), "DetectorId", id, "Enable", "true", "Region", region)
			f.Remediation.Undo = a.UndoStep("DetectorId", id, "Enable", "false", "Region", region)
			f.RemediationNote = "review what " + actorName(rec) + " did while the detector was disabled"
		}
		if name, region := rec.RequestParam("configurationRecorderName"), rec.AWSRegion; rec.EventName == "StopConfigurationRecorder" &&
			name != "" && validRegion(region) {
			a := action.StartConfigurationRecorder
			f.Remediation = a.Plan(fmt.Sprintf("start AWS Config recorder %s again in %s", name, region), "ConfigurationRecorderName", name, "Region", region)
			f.Remediation.Undo = a.UndoStep("ConfigurationRecorderName", name, "Region", region)
			f.RemediationNote = "review what " + actorName(rec) + " did while the recorder was stopped"
		}
		return []finding.Finding{f}
	}
	return nil
}

// orgEvents are the AWS Organizations calls that take the organisation's
// guardrails away.
var orgEvents = []string{"LeaveOrganization", "DetachPolicy", "DeletePolicy", "UpdatePolicy", "DisablePolicyType",
	"RemoveAccountFromOrganization", "CloseAccount"}

var orgGuardrails = &Rule{
	ID:    "org-guardrails",
	Title: "Organisation guardrails removed",
	Description: "An account left (or tried to leave) the organisation, an organisation policy (a service control policy among them) was " +
		"detached, deleted or changed, a policy type was disabled, or an account was removed or closed: each takes away what the " +
		"organisation denies every account. High; a LeaveOrganization that failed is reported too, since the attempt is the signal. Notify.",
	FiresOn: "AWS Organizations `LeaveOrganization` (even when it failed), and a successful `DetachPolicy`, `DeletePolicy`, `UpdatePolicy`, " +
		"`DisablePolicyType`, `RemoveAccountFromOrganization` or `CloseAccount`",
	Severities: "high; medium for disabling a policy type other than service or resource control policies",
	NoRollback: "organisation changes need the management account: the alert gives the command that puts the guardrail back",
	Family:     AuditGuard,
	Patterns: []eventpattern.Pattern{
		{
			"source":      strs("aws.organizations"),
			"detail-type": strs(DetailTypeAPICall),
			"detail": map[string]any{
				"eventSource": strs("organizations.amazonaws.com"),
				"eventName":   strs("LeaveOrganization"),
			},
		},
		apiCalls("aws.organizations", "organizations.amazonaws.com", orgEvents[1:]...),
	},
	evaluate: evaluateOrgGuardrails,
}

func evaluateOrgGuardrails(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.EventSource != "organizations.amazonaws.com" || !contains(orgEvents, rec.EventName) || (rec.Failed() && rec.EventName != "LeaveOrganization") {
		return nil
	}
	f := newFinding("org-guardrails", rec)
	f.Severity = severity.High
	f.Target = firstNonEmpty(rec.RequestParam("policyId"), rec.RequestParam("accountId"), rec.RequestParam("rootId"), f.Account)
	f.RemediationNote = "from the management account, put the guardrail back (aws organizations attach-policy / enable-policy-type / " +
		"invite-account-to-organization), then review what the account did while it was outside its guardrails"
	switch rec.EventName {
	case "LeaveOrganization":
		if rec.Failed() {
			f.Summary = fmt.Sprintf("%s tried to take account %s out of its organisation (%s)", actorName(rec), f.Account, rec.ErrorCode)
			f.Reasons = append(f.Reasons, "the attempt failed, but it shows someone wants this account outside the organisation's service control policies (MITRE ATT&CK T1666)")
		} else {
			f.Summary = fmt.Sprintf("%s took account %s out of its organisation", actorName(rec), f.Account)
			f.Reasons = append(f.Reasons, "outside the organisation, no service control policy limits the account any more, and the organisation's trail and guardrails no longer see it")
		}
	case "DisablePolicyType":
		t := rec.RequestParam("policyType")
		if t != "SERVICE_CONTROL_POLICY" && t != "RESOURCE_CONTROL_POLICY" {
			f.Severity = severity.Medium
		}
		f.Summary = fmt.Sprintf("%s disabled organisation policy type %s", actorName(rec), orName(t, "(not named)"))
		f.Reasons = append(f.Reasons, "with the type disabled, every policy of that type is detached from every account at once")
	default:
		f.Summary = fmt.Sprintf("%s called Organizations %s on %s", actorName(rec), rec.EventName, orName(f.Target, "(not named)"))
		f.Reasons = append(f.Reasons, "an organisation policy or account changed: a service control policy removed or loosened stops denying what it denied every account (the event does not say the policy's type)")
	}
	return []finding.Finding{f}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
