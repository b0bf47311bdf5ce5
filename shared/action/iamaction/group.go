package iamaction

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/action/attempt"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
)

// groupMembershipAPI is what action.RemoveUserFromGroup calls.
type groupMembershipAPI interface {
	userTagsAPI
	ListGroupsForUser(ctx context.Context, in *iam.ListGroupsForUserInput, optFns ...func(*iam.Options)) (*iam.ListGroupsForUserOutput, error)
	RemoveUserFromGroup(ctx context.Context, in *iam.RemoveUserFromGroupInput, optFns ...func(*iam.Options)) (*iam.RemoveUserFromGroupOutput, error)
}

var _ groupMembershipAPI = (*iam.Client)(nil)

// groupMembership takes a user back out of a group.
type groupMembership struct{ api groupMembershipAPI }

func (e groupMembership) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	return userTags(ctx, e.api, plan.Parameters["UserName"])
}

// Check lists the user's groups: not in the group any more means done.
func (e groupMembership) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	user, group := plan.Parameters["UserName"], plan.Parameters["GroupName"]
	p := iam.NewListGroupsForUserPaginator(e.api, &iam.ListGroupsForUserInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return "", classify(err, "list the groups of "+user)
		}
		for _, g := range out.Groups {
			// IAM names are unique without regard to case.
			if strings.EqualFold(aws.ToString(g.GroupName), group) {
				return "", nil
			}
		}
	}
	return "nothing to undo: user " + user + " is no longer in group " + group, nil
}

func (e groupMembership) Do(ctx context.Context, plan *finding.Remediation) error {
	user, group := plan.Parameters["UserName"], plan.Parameters["GroupName"]
	var tries attempt.Log
	_, err := e.api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)}, track(&tries))
	return classifyChange(err, fmt.Sprintf("remove %s from group %s", user, group), &tries)
}

// GroupReader is what Resolver.GroupPolicies calls: action.GroupPolicyLookups.
type GroupReader interface {
	ListAttachedGroupPolicies(ctx context.Context, in *iam.ListAttachedGroupPoliciesInput, optFns ...func(*iam.Options)) (*iam.ListAttachedGroupPoliciesOutput, error)
	ListGroupPolicies(ctx context.Context, in *iam.ListGroupPoliciesInput, optFns ...func(*iam.Options)) (*iam.ListGroupPoliciesOutput, error)
	GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error)
}

var _ GroupReader = (*iam.Client)(nil)

// GroupPolicies implements rules.GroupResolver when the resolver is given a
// GroupReader (policy-guard's); without one it knows no group.
func (r Resolver) GroupPolicies(ctx context.Context, _, group string) (rules.GroupPolicies, error) {
	if r.Groups == nil {
		return rules.GroupPolicies{}, rules.NotFound("this function does not read groups")
	}
	out := rules.GroupPolicies{Source: "iam"}
	ap := iam.NewListAttachedGroupPoliciesPaginator(r.Groups, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			return rules.GroupPolicies{}, notFoundOr(err, "list the policies attached to group "+group)
		}
		for _, p := range page.AttachedPolicies {
			out.Attached = append(out.Attached, aws.ToString(p.PolicyArn))
		}
	}
	ip := iam.NewListGroupPoliciesPaginator(r.Groups, &iam.ListGroupPoliciesInput{GroupName: aws.String(group)})
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		if err != nil {
			return rules.GroupPolicies{}, notFoundOr(err, "list the inline policies of group "+group)
		}
		for _, name := range page.PolicyNames {
			got, err := r.Groups.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String(name)})
			if err != nil {
				var nse *types.NoSuchEntityException
				if errors.As(err, &nse) {
					continue // deleted between the list and the read
				}
				return rules.GroupPolicies{}, fmt.Errorf("read inline policy %s of group %s: %w", name, group, err)
			}
			doc, err := decodeDocument(got.PolicyDocument)
			if err != nil {
				return rules.GroupPolicies{}, fmt.Errorf("read inline policy %s of group %s: not URL-encoded text: %w", name, group, err)
			}
			out.Inline = append(out.Inline, rules.InlinePolicy{Name: name, Document: doc})
		}
	}
	return out, nil
}
