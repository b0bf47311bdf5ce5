package iamaction

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
)

// The interfaces of action.DetachUserPolicy, DetachRolePolicy and
// DetachGroupPolicy: the target's tag read (a group has none) and the detach.
type (
	detachUserAPI interface {
		userTagsAPI
		DetachUserPolicy(ctx context.Context, in *iam.DetachUserPolicyInput, optFns ...func(*iam.Options)) (*iam.DetachUserPolicyOutput, error)
	}
	detachRoleAPI interface {
		roleTagsAPI
		DetachRolePolicy(ctx context.Context, in *iam.DetachRolePolicyInput, optFns ...func(*iam.Options)) (*iam.DetachRolePolicyOutput, error)
	}
	detachGroupAPI interface {
		DetachGroupPolicy(ctx context.Context, in *iam.DetachGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.DetachGroupPolicyOutput, error)
	}
)

var (
	_ detachUserAPI  = (*iam.Client)(nil)
	_ detachRoleAPI  = (*iam.Client)(nil)
	_ detachGroupAPI = (*iam.Client)(nil)
)

// detach detaches a managed policy from a user, role or group (kind) through
// API, the interface of exactly that action's calls.
type detach[API any] struct {
	kind string
	api  API
	tags func(ctx context.Context, api API, p map[string]string) (map[string]string, error)
	do   func(ctx context.Context, api API, p map[string]string, opt func(*iam.Options)) error
}

func detachUser(api detachUserAPI) detach[detachUserAPI] {
	return detach[detachUserAPI]{kind: "User", api: api,
		tags: func(ctx context.Context, api detachUserAPI, p map[string]string) (map[string]string, error) {
			return userTags(ctx, api, p["UserName"])
		},
		do: func(ctx context.Context, api detachUserAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyArn: aws.String(p["PolicyArn"])}, opt)
			return err
		}}
}

func detachRole(api detachRoleAPI) detach[detachRoleAPI] {
	return detach[detachRoleAPI]{kind: "Role", api: api,
		tags: func(ctx context.Context, api detachRoleAPI, p map[string]string) (map[string]string, error) {
			return roleTags(ctx, api, p["RoleName"])
		},
		do: func(ctx context.Context, api detachRoleAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyArn: aws.String(p["PolicyArn"])}, opt)
			return err
		}}
}

func detachGroup(api detachGroupAPI) detach[detachGroupAPI] {
	return detach[detachGroupAPI]{kind: "Group", api: api,
		tags: noTags[detachGroupAPI],
		do: func(ctx context.Context, api detachGroupAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyArn: aws.String(p["PolicyArn"])}, opt)
			return err
		}}
}

// noTags is the tag read of an IAM group, which cannot carry tags: exempt a
// group by pattern.
func noTags[API any](context.Context, API, map[string]string) (map[string]string, error) {
	return nil, nil
}

func (e detach[API]) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return e.tags(ctx, e.api, plan.Parameters)
}

// Check reads nothing: the detach itself answers NoSuchEntity when the
// policy is no longer attached.
func (detach[API]) Check(context.Context, *finding.Remediation) (string, error) { return "", nil }

func (e detach[API]) Do(ctx context.Context, plan *finding.Remediation) error {
	var tries attempt.Log
	return classifyChange(e.do(ctx, e.api, plan.Parameters, track(&tries)), fmt.Sprintf("Detach%sPolicy %s", e.kind, plan.Parameters["PolicyArn"]), &tries)
}
