package iamaction

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
)

// accessKeyAPI is what action.UpdateAccessKey calls.
type accessKeyAPI interface {
	GetAccessKeyLastUsed(ctx context.Context, in *iam.GetAccessKeyLastUsedInput, optFns ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error)
	ListUserTags(ctx context.Context, in *iam.ListUserTagsInput, optFns ...func(*iam.Options)) (*iam.ListUserTagsOutput, error)
	ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput, optFns ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	UpdateAccessKey(ctx context.Context, in *iam.UpdateAccessKeyInput, optFns ...func(*iam.Options)) (*iam.UpdateAccessKeyOutput, error)
}

var _ accessKeyAPI = (*iam.Client)(nil)

// accessKey deactivates one access key; it never deletes one.
type accessKey struct{ api accessKeyAPI }

// Tags reads the tags of the key's user, first finding the user with
// GetAccessKeyLastUsed when the plan names only the key (an AWS Health
// event names the key alone); the plan then names the user too.
func (e accessKey) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	if plan.Parameters["UserName"] == "" {
		keyID := plan.Parameters["AccessKeyId"]
		out, err := e.api.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(keyID)})
		if err != nil {
			return nil, fmt.Errorf("find the user of access key %s: %w", keyID, err)
		}
		user := aws.ToString(out.UserName)
		if user == "" {
			return nil, fmt.Errorf("find the user of access key %s: IAM named none (a root key cannot be deactivated by a role)", keyID)
		}
		a := action.UpdateAccessKey
		next := a.Plan(fmt.Sprintf("deactivate access key %s of user %s (it is kept, not deleted, so it can be turned back on)", keyID, user),
			"UserName", user, "AccessKeyId", keyID, "Status", "Inactive")
		next.Undo = a.UndoStep("UserName", user, "AccessKeyId", keyID, "Status", "Active")
		*plan = *next
	}
	return userTags(ctx, e.api, plan.Parameters["UserName"])
}

// Check finds the key: gone or already inactive means done.
func (e accessKey) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	user, keyID := plan.Parameters["UserName"], plan.Parameters["AccessKeyId"]
	p := iam.NewListAccessKeysPaginator(e.api, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return "", classify(err, "list access keys of "+user)
		}
		for _, k := range out.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) != keyID {
				continue
			}
			if k.Status == types.StatusTypeInactive {
				return "nothing to undo: access key " + keyID + " is already inactive", nil
			}
			return "", nil
		}
	}
	return "nothing to undo: user " + user + " no longer has access key " + keyID, nil
}

func (e accessKey) Do(ctx context.Context, plan *finding.Remediation) error {
	user, keyID := plan.Parameters["UserName"], plan.Parameters["AccessKeyId"]
	var tries attempt.Log
	_, err := e.api.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(keyID), Status: types.StatusTypeInactive}, track(&tries))
	return classifyChange(err, fmt.Sprintf("deactivate access key %s of %s", keyID, user), &tries)
}
