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
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
)

// The interfaces of action.DeleteUserPolicy, DeleteRolePolicy and
// DeleteGroupPolicy: the target's tag read (a group has none), the read of
// the inline policy, and the delete.
type (
	inlineUserAPI interface {
		userTagsAPI
		GetUserPolicy(ctx context.Context, in *iam.GetUserPolicyInput, optFns ...func(*iam.Options)) (*iam.GetUserPolicyOutput, error)
		DeleteUserPolicy(ctx context.Context, in *iam.DeleteUserPolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteUserPolicyOutput, error)
	}
	inlineRoleAPI interface {
		roleTagsAPI
		GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, optFns ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
		DeleteRolePolicy(ctx context.Context, in *iam.DeleteRolePolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error)
	}
	inlineGroupAPI interface {
		GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error)
		DeleteGroupPolicy(ctx context.Context, in *iam.DeleteGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteGroupPolicyOutput, error)
	}
)

var (
	_ inlineUserAPI  = (*iam.Client)(nil)
	_ inlineRoleAPI  = (*iam.Client)(nil)
	_ inlineGroupAPI = (*iam.Client)(nil)
)

// inline deletes an inline policy of a user, role or group (kind) through
// API, the interface of exactly that action's calls, when it still holds
// the document the event wrote.
type inline[API any] struct {
	kind string
	api  API
	tags func(ctx context.Context, api API, p map[string]string) (map[string]string, error)
	get  func(ctx context.Context, api API, p map[string]string) (*string, error)
	del  func(ctx context.Context, api API, p map[string]string, opt func(*iam.Options)) error
}

func inlineUser(api inlineUserAPI) inline[inlineUserAPI] {
	return inline[inlineUserAPI]{kind: "User", api: api,
		tags: func(ctx context.Context, api inlineUserAPI, p map[string]string) (map[string]string, error) {
			return userTags(ctx, api, p["UserName"])
		},
		get: func(ctx context.Context, api inlineUserAPI, p map[string]string) (*string, error) {
			out, err := api.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: aws.String(p["PolicyName"])})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		},
		del: func(ctx context.Context, api inlineUserAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: aws.String(p["PolicyName"])}, opt)
			return err
		}}
}

func inlineRole(api inlineRoleAPI) inline[inlineRoleAPI] {
	return inline[inlineRoleAPI]{kind: "Role", api: api,
		tags: func(ctx context.Context, api inlineRoleAPI, p map[string]string) (map[string]string, error) {
			return roleTags(ctx, api, p["RoleName"])
		},
		get: func(ctx context.Context, api inlineRoleAPI, p map[string]string) (*string, error) {
			out, err := api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: aws.String(p["PolicyName"])})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		},
		del: func(ctx context.Context, api inlineRoleAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: aws.String(p["PolicyName"])}, opt)
			return err
		}}
}

func inlineGroup(api inlineGroupAPI) inline[inlineGroupAPI] {
	return inline[inlineGroupAPI]{kind: "Group", api: api,
		tags: noTags[inlineGroupAPI],
		get: func(ctx context.Context, api inlineGroupAPI, p map[string]string) (*string, error) {
			out, err := api.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: aws.String(p["PolicyName"])})
			if err != nil {
				return nil, err
			}
			return out.PolicyDocument, nil
		},
		del: func(ctx context.Context, api inlineGroupAPI, p map[string]string, opt func(*iam.Options)) error {
			_, err := api.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: aws.String(p["PolicyName"])}, opt)
			return err
		}}
}

func (e inline[API]) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return e.tags(ctx, e.api, plan.Parameters)
}

// Check reads the inline policy: gone means done; a document other than the
// one the event wrote (the undo step's) means someone changed it since, and
// iamguard does not delete what it did not judge.
func (e inline[API]) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	p := plan.Parameters
	current, err := e.get(ctx, e.api, p)
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

func (e inline[API]) Do(ctx context.Context, plan *finding.Remediation) error {
	var tries attempt.Log
	return classifyChange(e.del(ctx, e.api, plan.Parameters, track(&tries)), fmt.Sprintf("Delete%sPolicy %s", e.kind, plan.Parameters["PolicyName"]), &tries)
}

// sameJSON compares two policy documents by value, not by spelling.
func sameJSON(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return reflect.DeepEqual(va, vb)
}
