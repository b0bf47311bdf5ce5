package iamaction

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
)

// trustAPI is what action.UpdateAssumeRolePolicy calls.
type trustAPI interface {
	roleTagsAPI
	GetRole(ctx context.Context, in *iam.GetRoleInput, optFns ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	UpdateAssumeRolePolicy(ctx context.Context, in *iam.UpdateAssumeRolePolicyInput, optFns ...func(*iam.Options)) (*iam.UpdateAssumeRolePolicyOutput, error)
}

var _ trustAPI = (*iam.Client)(nil)

// trust trims a role's trust policy.
type trust struct{ api trustAPI }

func (e trust) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return roleTags(ctx, e.api, plan.Parameters["RoleName"])
}

// Check reads the role's current trust policy and judges it with the plan's
// trusted set: nothing outside it means done; otherwise the plan becomes the
// trimmed current document, and its undo the current document itself.
func (e trust) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	p := plan.Parameters
	role := p["RoleName"]
	out, err := e.api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
	if err != nil {
		return "", classify(err, "read the trust policy of role "+role)
	}
	if out.Role == nil || out.Role.AssumeRolePolicyDocument == nil {
		return "", fmt.Errorf("read the trust policy of role %s: IAM returned none", role)
	}
	current, err := decodeDocument(out.Role.AssumeRolePolicyDocument)
	if err != nil {
		return "", fmt.Errorf("read the trust policy of role %s: not URL-encoded text: %w", role, err)
	}
	doc, err := policy.Parse(current)
	if err != nil {
		return "", fmt.Errorf("read the trust policy of role %s: %w", role, err)
	}
	s := policy.TrustSettings{Account: p[action.ParamAccount], TrustedOrgID: p[action.ParamTrustedOrgID]}
	if v := p[action.ParamTrustedAccounts]; v != "" {
		s.TrustedAccounts = strings.Split(v, ",")
	}
	openings := policy.AnalyzeTrust(doc, s)
	if len(openings) == 0 {
		return "nothing to undo: the trust policy of role " + role + " lets in no one outside the trusted set", nil
	}
	trimmed, removed := policy.TrimTrust(doc, openings)
	b, err := trimmed.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("write the trimmed trust policy of role %s: %w", role, err)
	}
	a := action.UpdateAssumeRolePolicy
	next := a.Plan(fmt.Sprintf("remove %s from the trust policy of role %s (the whole previous document is in this alert)", strings.Join(removed, "; "), role),
		"RoleName", role, "PolicyDocument", string(b))
	for _, k := range []string{action.ParamAccount, action.ParamTrustedAccounts, action.ParamTrustedOrgID} {
		next.Parameters[k] = p[k]
	}
	next.Undo = a.UndoStep("RoleName", role, "PolicyDocument", current)
	*plan = *next
	return "", nil
}

func (e trust) Do(ctx context.Context, plan *finding.Remediation) error {
	p := plan.Parameters
	var tries attempt.Log
	_, err := e.api.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyDocument: aws.String(p["PolicyDocument"])}, track(&tries))
	return classifyChange(err, "update the trust policy of role "+p["RoleName"], &tries)
}
