package iamaction

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// versionAPI is what action.SetDefaultPolicyVersion calls.
type versionAPI interface {
	policyTagsAPI
	ListPolicyVersions(ctx context.Context, in *iam.ListPolicyVersionsInput, optFns ...func(*iam.Options)) (*iam.ListPolicyVersionsOutput, error)
	GetPolicyVersion(ctx context.Context, in *iam.GetPolicyVersionInput, optFns ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error)
	SetDefaultPolicyVersion(ctx context.Context, in *iam.SetDefaultPolicyVersionInput, optFns ...func(*iam.Options)) (*iam.SetDefaultPolicyVersionOutput, error)
}

var _ versionAPI = (*iam.Client)(nil)

// version sets a customer managed policy's default version back.
type version struct{ api versionAPI }

func (e version) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return policyTags(ctx, e.api, plan.Parameters["PolicyArn"])
}

// Check picks the version to restore and fills it into the plan: the plan's,
// when the stream knew the previous default, otherwise the newest other
// version whose document iamguard would not itself roll back. The default
// having moved on from the flagged version (the undo step's) means done.
func (e version) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	p := plan.Parameters
	arn := p["PolicyArn"]
	flagged := ""
	if plan.Undo != nil {
		flagged = plan.Undo.Parameters["VersionId"]
	}
	var versions []types.PolicyVersion
	pg := iam.NewListPolicyVersionsPaginator(e.api, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		if err != nil {
			return "", classify(err, "list versions of "+arn)
		}
		versions = append(versions, out.Versions...)
	}
	var current *types.PolicyVersion
	for i := range versions {
		if versions[i].IsDefaultVersion {
			current = &versions[i]
		}
	}
	if current == nil {
		return "", fmt.Errorf("list versions of %s: IAM reported no default version", arn)
	}
	if flagged != "" && aws.ToString(current.VersionId) != flagged {
		return fmt.Sprintf("nothing to undo: the default version of %s is now %s, not the flagged %s", arn, aws.ToString(current.VersionId), flagged), nil
	}
	restore := ""
	if v := p["VersionId"]; v != "" {
		for _, pv := range versions {
			if aws.ToString(pv.VersionId) == v {
				restore = v
			}
		}
	}
	if restore == "" {
		var err error
		if restore, err = e.safeVersion(ctx, arn, versions); err != nil {
			return "", err
		}
	}
	a := action.SetDefaultPolicyVersion
	*plan = finding.Remediation{
		Step:        finding.NewStep(a.ID, "PolicyArn", arn, "VersionId", restore),
		Description: fmt.Sprintf("set the default version of %s back to %s", arn, restore),
		Undo:        plan.Undo,
	}
	return "", nil
}

// safeVersion is the newest, among every version but the default (older or
// newer than the flagged one: the classic escalation sets an old, permissive
// version as the default, and then the safe version is newer), whose
// document rates below safeVersionBelow.
func (e version) safeVersion(ctx context.Context, arn string, versions []types.PolicyVersion) (string, error) {
	var candidates []types.PolicyVersion
	for _, pv := range versions {
		if !pv.IsDefaultVersion {
			candidates = append(candidates, pv)
		}
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		a, b := candidates[i].CreateDate, candidates[j].CreateDate
		return a != nil && (b == nil || a.After(*b))
	})
	for _, pv := range candidates {
		id := aws.ToString(pv.VersionId)
		doc, _, err := versionDocument(ctx, e.api, arn, id)
		if err != nil {
			return "", err
		}
		d, err := policy.Parse(doc)
		if err != nil {
			continue // a version iamguard cannot read is not one it restores
		}
		if policy.Analyze(d).Severity < safeVersionBelow {
			return id, nil
		}
	}
	return "", &remediate.RefusedError{Reason: fmt.Sprintf("policy %s has no other version that grants less than %s access: %s", arn, safeVersionBelow, errNoSafeVersion)}
}

func (e version) Do(ctx context.Context, plan *finding.Remediation) error {
	p := plan.Parameters
	var tries attempt.Log
	_, err := e.api.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(p["PolicyArn"]), VersionId: aws.String(p["VersionId"])}, track(&tries))
	return classifyChange(err, fmt.Sprintf("set the default version of %s to %s", p["PolicyArn"], p["VersionId"]), &tries)
}

// safeVersionBelow: a version restored by a rollback grants at most
// read-style wildcards (low). Restoring anything broader would swap one
// dangerous default for another that iamguard, ignoring its own rollbacks,
// would not judge again.
const safeVersionBelow = severity.Medium

var errNoSafeVersion = errors.New("no safe version to restore; fix the policy or detach it by hand")
