package iamaction

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/remediate"
)

// Executors returns the executor of every IAM action, each holding client
// through the small interface of exactly the calls its action declares.
func Executors(client *iam.Client) remediate.Executors {
	return remediate.Executors{
		action.UpdateAccessKey.ID:         accessKey{client},
		action.DetachUserPolicy.ID:        detachUser(client),
		action.DetachRolePolicy.ID:        detachRole(client),
		action.DetachGroupPolicy.ID:       detachGroup(client),
		action.DeleteUserPolicy.ID:        inlineUser(client),
		action.DeleteRolePolicy.ID:        inlineRole(client),
		action.DeleteGroupPolicy.ID:       inlineGroup(client),
		action.SetDefaultPolicyVersion.ID: version{client},
		action.DeleteLoginProfile.ID:      loginProfile{client},
		action.UpdateAssumeRolePolicy.ID:  trust{client},
		action.RemoveUserFromGroup.ID:     groupMembership{client},
	}
}

// The exempt-tag reads, one small interface each, so that an action's API
// holds only the read of its own target kind (IAM groups cannot carry tags).
type (
	userTagsAPI interface {
		ListUserTags(ctx context.Context, in *iam.ListUserTagsInput, optFns ...func(*iam.Options)) (*iam.ListUserTagsOutput, error)
	}
	roleTagsAPI interface {
		ListRoleTags(ctx context.Context, in *iam.ListRoleTagsInput, optFns ...func(*iam.Options)) (*iam.ListRoleTagsOutput, error)
	}
	policyTagsAPI interface {
		ListPolicyTags(ctx context.Context, in *iam.ListPolicyTagsInput, optFns ...func(*iam.Options)) (*iam.ListPolicyTagsOutput, error)
	}
)

func userTags(ctx context.Context, api userTagsAPI, name string) (map[string]string, error) {
	out, err := api.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String(name)})
	if err != nil {
		return tagError(err, "user "+name)
	}
	return tagMap(out.Tags), nil
}

func roleTags(ctx context.Context, api roleTagsAPI, name string) (map[string]string, error) {
	out, err := api.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	if err != nil {
		return tagError(err, "role "+name)
	}
	return tagMap(out.Tags), nil
}

func policyTags(ctx context.Context, api policyTagsAPI, arn string) (map[string]string, error) {
	out, err := api.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return tagError(err, "policy "+arn)
	}
	return tagMap(out.Tags), nil
}

// tagError lets a vanished target through with no tags (the rollback will
// find it gone and say so) and fails on anything else.
func tagError(err error, what string) (map[string]string, error) {
	var nse *types.NoSuchEntityException
	if errors.As(err, &nse) {
		return nil, nil
	}
	return nil, fmt.Errorf("list tags of %s: %w", what, err)
}

func tagMap(tags []types.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// classify turns IAM's answers that no retry mends into the remediate
// package's kinds: NoSuchEntity (nothing left to undo) and UnmodifiableEntity
// (a service-linked role).
func classify(err error, what string) error {
	var nse *types.NoSuchEntityException
	var ume *types.UnmodifiableEntityException
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ume):
		return &remediate.RefusedError{Reason: "the target is a service-linked role, which IAM does not let anyone change"}
	case errors.As(err, &nse):
		msg := "NoSuchEntity"
		if nse.Message != nil {
			msg = *nse.Message
		}
		return &remediate.GoneError{Reason: "IAM says it no longer exists (" + msg + ")"}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// track gives a changing call an attempt log (the SDK's retries of it).
func track(l *attempt.Log) func(*iam.Options) {
	return func(o *iam.Options) { o.APIOptions = append(o.APIOptions, l.Stack) }
}

// classifyChange is classify for a changing call whose attempts tries
// logged: a NoSuchEntity that follows an attempt of unknown outcome (the
// SDK retried after a connection reset, a timeout or a 5xx) is the answer to
// a change that attempt made, so the rollback is done, not already undone.
func classifyChange(err error, what string, tries *attempt.Log) error {
	err = classify(err, what)
	var gone *remediate.GoneError
	if errors.As(err, &gone) && tries.Unsure() {
		return &remediate.AppliedError{Reason: fmt.Sprintf("IAM answered the SDK's retry %s, after an earlier attempt whose answer was lost: "+
			"that attempt made the change", strings.TrimPrefix(gone.Reason, "IAM says it "))}
	}
	return err
}

// decodeDocument URL-decodes a policy document: IAM returns documents
// URL-encoded and the SDK does not decode them.
func decodeDocument(s *string) (string, error) {
	return url.QueryUnescape(aws.ToString(s))
}
