package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/severity"
)

var trustPolicy = &Rule{
	ID:    "trust-policy",
	Title: "Role trust opened outside the trusted set",
	Description: "A role was created, or its trust policy changed, so that it lets in anyone (critical), an AWS account that is neither " +
		"this one nor trusted (trustedAccounts, or limited to trustedOrgId) (high), or any identity of a web-identity provider " +
		"(no audience and subject condition, or a subject that admits anyone) (high). The rollback removes exactly those principals " +
		"from the role's current trust policy and keeps the previous document in the alert.",
	FiresOn: "a successful `CreateRole` or `UpdateAssumeRolePolicy` whose trust policy lets in someone outside this account, " +
		"`trustedAccounts` and `trustedOrgId`",
	Severities: "critical for anyone (`*`, `{\"AWS\":\"*\"}`) without a condition that limits it (sts:ExternalId, aws:PrincipalOrgID, " +
		"aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn); high for an untrusted account; high for a web-identity provider " +
		"without an audience and subject condition, or with a subject that admits anyone (`*`, `repo:*`); info (\"no new access\") for an " +
		"`UpdateAssumeRolePolicy` that lets in nobody the previous trust policy did not",
	NoRollback: "a trust policy iamguard cannot read: the alert keeps it",
	Family:     IdentityGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "CreateRole", "UpdateAssumeRolePolicy")},
	Actions:    []*action.Action{action.UpdateAssumeRolePolicy},
	evaluate:   evaluateTrustPolicy,
}

func evaluateTrustPolicy(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	param := "policyDocument"
	if rec.EventName == "CreateRole" {
		param = "assumeRolePolicyDocument"
	} else if rec.EventName != "UpdateAssumeRolePolicy" {
		return nil
	}
	role := rec.RequestParam("roleName")
	f := newFinding("trust-policy", rec)
	if role != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:role/%s", partition(rec), f.Account, role)
	}
	text := policyDocumentParam(rec, param)
	f.Policy = &finding.PolicyRef{Name: "trust policy of role " + orName(role, "(not named)"), Document: text, Source: "event"}
	unresolved := ""
	switch {
	case rec.RequestParametersOmitted():
		unresolved = "CloudTrail omitted the request parameters (too large)"
	case text == "":
		unresolved = "the event carries no trust policy"
	}
	var doc *policy.Document
	if unresolved == "" {
		var err error
		if doc, err = policy.Parse(text); err != nil {
			unresolved = "the trust policy could not be read: " + err.Error()
		}
	}
	if unresolved != "" {
		f.Severity = severity.Medium
		f.Unresolved = unresolved
		f.Summary = fmt.Sprintf("%s changed the trust policy of role %s in %s (iamguard could not judge it)", actorName(rec), orName(role, "(not named)"), f.Account)
		f.Reasons = append(f.Reasons, "iamguard could not judge this trust policy: "+unresolved)
		f.RemediationNote = "read the role's trust policy (aws iam get-role --role-name ROLE) and check who it lets in"
		return []finding.Finding{f}
	}
	s := policy.TrustSettings{Account: f.Account, TrustedAccounts: ev.settings.TrustedAccounts, TrustedOrgID: ev.settings.TrustedOrgID}
	openings := policy.AnalyzeTrust(doc, s)
	if len(openings) == 0 {
		return nil
	}
	var who []string
	for _, o := range openings {
		f.Severity = max(f.Severity, o.Severity)
		f.Reasons = append(f.Reasons, o.Reason)
		who = append(who, o.Value)
	}
	verb := "changed the trust policy of"
	if rec.EventName == "CreateRole" {
		verb = "created"
	}
	f.Summary = fmt.Sprintf("%s %s role %s in %s, trusting %s", actorName(rec), verb, orName(role, "(not named)"), f.Account, strings.Join(who, ", "))
	if role == "" {
		f.Unresolved = "the event does not name the role"
		f.RemediationNote = "no rollback can be planned without the role's name"
		return []finding.Finding{f}
	}
	if rec.EventName == "UpdateAssumeRolePolicy" {
		f.Change = describeChange(ev.history.TrustBefore(f.Account, role), text)
	}
	if noNewAccess(&f) {
		f.Summary = fmt.Sprintf("%s rewrote the trust policy of role %s in %s (no new access: it trusts %s, as before)", actorName(rec), role, f.Account, strings.Join(who, ", "))
		return []finding.Finding{f}
	}
	trimmed, removed := policy.TrimTrust(doc, openings)
	b, err := trimmed.MarshalJSON()
	if err != nil {
		f.RemediationNote = "the trimmed trust policy could not be written: " + err.Error()
		return []finding.Finding{f}
	}
	a := action.UpdateAssumeRolePolicy
	f.Remediation = a.Plan(fmt.Sprintf("remove %s from the trust policy of role %s (the whole previous document is in this alert)", strings.Join(removed, "; "), role),
		"RoleName", role, "PolicyDocument", string(b))
	f.Remediation.Parameters[action.ParamAccount] = f.Account
	f.Remediation.Parameters[action.ParamTrustedAccounts] = strings.Join(ev.settings.TrustedAccounts, ",")
	f.Remediation.Parameters[action.ParamTrustedOrgID] = ev.settings.TrustedOrgID
	f.Remediation.Undo = a.UndoStep("RoleName", role, "PolicyDocument", text)
	return []finding.Finding{f}
}
