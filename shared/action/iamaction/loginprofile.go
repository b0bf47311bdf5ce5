package iamaction

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
)

// loginProfileAPI is what action.DeleteLoginProfile calls.
type loginProfileAPI interface {
	userTagsAPI
	GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput, optFns ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error)
	DeleteLoginProfile(ctx context.Context, in *iam.DeleteLoginProfileInput, optFns ...func(*iam.Options)) (*iam.DeleteLoginProfileOutput, error)
}

var _ loginProfileAPI = (*iam.Client)(nil)

// loginProfile deletes the console password another principal created.
type loginProfile struct{ api loginProfileAPI }

func (e loginProfile) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return userTags(ctx, e.api, plan.Parameters["UserName"])
}

// Check reads the login profile: none means done; one created after the
// event (plan parameter CreatedBy, the event's time) is someone's newer
// password, which iamguard leaves alone.
func (e loginProfile) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	user := plan.Parameters["UserName"]
	out, err := e.api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		var nse *types.NoSuchEntityException
		if errors.As(err, &nse) {
			return "nothing to undo: user " + user + " has no console password", nil
		}
		return "", fmt.Errorf("read the login profile of %s: %w", user, err)
	}
	if at, err := time.Parse(time.RFC3339, plan.Parameters["EventTime"]); err == nil && out.LoginProfile != nil && out.LoginProfile.CreateDate != nil &&
		out.LoginProfile.CreateDate.After(at.Add(time.Minute)) {
		return "nothing to undo: the console password of " + user + " was created after the event (" +
			out.LoginProfile.CreateDate.UTC().Format(time.RFC3339) + "), so iamguard leaves it alone", nil
	}
	return "", nil
}

func (e loginProfile) Do(ctx context.Context, plan *finding.Remediation) error {
	user := plan.Parameters["UserName"]
	var tries attempt.Log
	_, err := e.api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(user)}, track(&tries))
	return classifyChange(err, "delete the login profile of "+user, &tries)
}
