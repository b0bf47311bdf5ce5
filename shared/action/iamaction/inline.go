package iamaction

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/finding"
)

// inlineAPI is what action.DeleteUserPolicy, DeleteRolePolicy and
// DeleteGroupPolicy call: the target's tag read (none for a group), the read
// of the inline policy, and the delete.
type inlineAPI interface {
	userTagsAPI
	roleTagsAPI
	GetUserPolicy(ctx context.Context, in *iam.GetUserPolicyInput, optFns ...func(*iam.Options)) (*iam.GetUserPolicyOutput, error)
	GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, optFns ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error)
	DeleteUserPolicy(ctx context.Context, in *iam.DeleteUserPolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteUserPolicyOutput, error)
	DeleteRolePolicy(ctx context.Context, in *iam.DeleteRolePolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error)
	DeleteGroupPolicy(ctx context.Context, in *iam.DeleteGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteGroupPolicyOutput, error)
}

var _ inlineAPI = (*iam.Client)(nil)

// inline deletes an inline policy of a user, role or group (kind), when it
// still holds the document the event wrote.
type inline struct {
	kind string
	api  inlineAPI
}

func (e inline) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return principalTags(ctx, e.api, e.kind, plan)
}

// Check reads the inline policy: gone means done; a document other than the
// one the event wrote (the undo step's) means someone changed it since, and
// iamguard does not delete what it did not judge.
func (e inline) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	p := plan.Parameters
	name := aws.String(p["PolicyName"])
	var current *string
	var err error
	switch e.kind {
	case "User":
		var out *iam.GetUserPolicyOutput
		if out, err = e.api.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	case "Role":
		var out *iam.GetRolePolicyOutput
		if out, err = e.api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	case "Group":
		var out *iam.GetGroupPolicyOutput
		if out, err = e.api.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	default:
		return "", fmt.Errorf("delete inline policy: unknown principal kind %q", e.kind)
	}
	if err != nil {
		var nse *types.NoSuchEntityException
		if errors.As(err, &nse) {
			return "nothing to undo: inline policy " + p["PolicyName"] + " no longer exists", nil
		}
		return "", fmt.Errorf("read inline policy %s: %w", p["PolicyName"], err)
	}
	doc, err := decodeDocument(current)
	if err != nil {
		doc = aws.ToString(current)
	}
	var flagged string
	if plan.Undo != nil {
		flagged = plan.Undo.Parameters["PolicyDocument"]
	}
	if flagged != "" && !sameJSON(doc, flagged) {
		return "nothing to undo: inline policy " + p["PolicyName"] + " has changed since the event, so iamguard leaves it alone", nil
	}
	return "", nil
}

func (e inline) Do(ctx context.Context, plan *finding.Remediation) error {
	p := plan.Parameters
	name := aws.String(p["PolicyName"])
	var err error
	switch e.kind {
	case "User":
		_, err = e.api.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: name})
	case "Role":
		_, err = e.api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: name})
	case "Group":
		_, err = e.api.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: name})
	}
	return classify(err, fmt.Sprintf("Delete%sPolicy %s", e.kind, p["PolicyName"]))
}

// sameJSON compares two policy documents by value, not by spelling.
func sameJSON(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return reflect.DeepEqual(va, vb)
}
