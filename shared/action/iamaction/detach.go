package iamaction

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/shared/finding"
)

// detachAPI is what action.DetachUserPolicy, DetachRolePolicy and
// DetachGroupPolicy call: the target's tag read (none for a group) and the
// detach.
type detachAPI interface {
	userTagsAPI
	roleTagsAPI
	DetachUserPolicy(ctx context.Context, in *iam.DetachUserPolicyInput, optFns ...func(*iam.Options)) (*iam.DetachUserPolicyOutput, error)
	DetachRolePolicy(ctx context.Context, in *iam.DetachRolePolicyInput, optFns ...func(*iam.Options)) (*iam.DetachRolePolicyOutput, error)
	DetachGroupPolicy(ctx context.Context, in *iam.DetachGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.DetachGroupPolicyOutput, error)
}

var _ detachAPI = (*iam.Client)(nil)

// detach detaches a managed policy from a user, role or group (kind).
type detach struct {
	kind string
	api  detachAPI
}

func (e detach) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return principalTags(ctx, e.api, e.kind, plan)
}

// principalTags reads the tags of the user or role (kind) the plan names; a
// group cannot carry tags.
func principalTags(ctx context.Context, api interface {
	userTagsAPI
	roleTagsAPI
}, kind string, plan *finding.Remediation) (map[string]string, error) {
	switch kind {
	case "User":
		return userTags(ctx, api, plan.Parameters["UserName"])
	case "Role":
		return roleTags(ctx, api, plan.Parameters["RoleName"])
	}
	return nil, nil
}

// Check reads nothing: the detach itself answers NoSuchEntity when the
// policy is no longer attached.
func (detach) Check(context.Context, *finding.Remediation) (string, error) { return "", nil }

func (e detach) Do(ctx context.Context, plan *finding.Remediation) error {
	p := plan.Parameters
	arn := aws.String(p["PolicyArn"])
	var err error
	switch e.kind {
	case "User":
		_, err = e.api.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyArn: arn})
	case "Role":
		_, err = e.api.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyArn: arn})
	case "Group":
		_, err = e.api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyArn: arn})
	default:
		return fmt.Errorf("detach: unknown principal kind %q", e.kind)
	}
	return classify(err, fmt.Sprintf("Detach%sPolicy %s", e.kind, p["PolicyArn"]))
}
