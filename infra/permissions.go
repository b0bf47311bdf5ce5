package main

import (
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/iamguard/iamguard/shared/rules"
)

// iamResource is a kind of IAM resource that IAM authorises an action on.
type iamResource string

// The IAM resources iamguard's functions act on: always the account's own,
// except the AWS managed policies that policy-guard reads.
const (
	resUser      iamResource = "user"       // arn:PARTITION:iam::ACCOUNT:user/*
	resRole      iamResource = "role"       // arn:PARTITION:iam::ACCOUNT:role/*
	resGroup     iamResource = "group"      // arn:PARTITION:iam::ACCOUNT:group/*
	resPolicy    iamResource = "policy"     // arn:PARTITION:iam::ACCOUNT:policy/*
	resAWSPolicy iamResource = "aws-policy" // arn:PARTITION:iam::aws:policy/*
)

// taggable reports whether IAM evaluates aws:ResourceTag on the resource:
// users, roles and customer managed policies carry tags; groups cannot.
func (r iamResource) taggable() bool {
	return r == resUser || r == resRole || r == resPolicy
}

// iamGrant is one IAM API operation that a family's code calls, with the
// resources IAM authorises it on (the Service Authorization Reference's
// resource types for the action).
type iamGrant struct {
	Action string
	On     []iamResource
}

// mutating reports whether the action changes IAM: everything but Get and List.
func (g iamGrant) mutating() bool {
	name := strings.TrimPrefix(g.Action, "iam:")
	return !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List")
}

// familyIAM lists, per function family, exactly the IAM operations its code
// can call, as shared/guard/aws.go wires it:
//
//   - root-activity has no IAM client: no IAM role can restrict the root user.
//   - access-keys deactivates a key: shared/remediate checks the exempt tag on
//     the key's user (ListUserTags), finds the key (ListAccessKeys, through the
//     paginator) and deactivates it (UpdateAccessKey).
//   - policy-guard reads customer managed policies, and AWS managed ones not in
//     the embedded snapshot (IAMResolver: GetPolicy, GetPolicyVersion); checks
//     the exempt tag of the user, role or policy; and rolls back: Detach* for an
//     attachment, Get*Policy then Delete*Policy for an inline policy,
//     ListPolicyVersions and GetPolicyVersion then SetDefaultPolicyVersion for a
//     new default version.
//
// TestRoleActionsMatchSource derives the same sets from the Go source of
// shared/remediate and shared/guard, so a new call there fails the test until
// the role allows it, and a call removed there fails it until the role drops it.
var familyIAM = map[string][]iamGrant{
	rules.FamilyRootActivity: nil,
	rules.FamilyAccessKeys: {
		{"iam:ListUserTags", []iamResource{resUser}},
		{"iam:ListAccessKeys", []iamResource{resUser}},
		{"iam:UpdateAccessKey", []iamResource{resUser}},
	},
	rules.FamilyPolicyGuard: {
		{"iam:GetPolicy", []iamResource{resPolicy, resAWSPolicy}},
		{"iam:GetPolicyVersion", []iamResource{resPolicy, resAWSPolicy}},
		{"iam:ListPolicyVersions", []iamResource{resPolicy}},
		{"iam:ListPolicyTags", []iamResource{resPolicy}},
		{"iam:SetDefaultPolicyVersion", []iamResource{resPolicy}},
		{"iam:ListUserTags", []iamResource{resUser}},
		{"iam:GetUserPolicy", []iamResource{resUser}},
		{"iam:DetachUserPolicy", []iamResource{resUser}},
		{"iam:DeleteUserPolicy", []iamResource{resUser}},
		{"iam:ListRoleTags", []iamResource{resRole}},
		{"iam:GetRolePolicy", []iamResource{resRole}},
		{"iam:DetachRolePolicy", []iamResource{resRole}},
		{"iam:DeleteRolePolicy", []iamResource{resRole}},
		{"iam:GetGroupPolicy", []iamResource{resGroup}},
		{"iam:DetachGroupPolicy", []iamResource{resGroup}},
		{"iam:DeleteGroupPolicy", []iamResource{resGroup}},
	},
}

// iamStatementSpec is one statement of a role's IAM permissions before it is
// bound to a stack.
type iamStatementSpec struct {
	Sid     string
	Actions []string
	On      []iamResource
	// UnlessExempt adds the exempt-tag condition: IAM itself refuses the
	// change on a resource tagged exemptTag=true, even if the code's own
	// check failed.
	UnlessExempt bool
}

// iamStatements groups a family's grants into statements: one per set of
// resources, reads apart from changes, changes on taggable resources under
// the exempt-tag condition.
func iamStatements(family string) []iamStatementSpec {
	var out []iamStatementSpec
	index := map[string]int{}
	for _, g := range familyIAM[family] {
		kinds := slices.Clone(g.On)
		slices.Sort(kinds)
		verb := "Read"
		if g.mutating() {
			verb = "Change"
		}
		exempt := g.mutating() && allTaggable(kinds)
		var names []string
		for _, k := range kinds {
			names = append(names, sidWord(k))
		}
		sid := verb + strings.Join(names, "And")
		if exempt {
			sid += "UnlessExempt"
		}
		if i, ok := index[sid]; ok {
			out[i].Actions = append(out[i].Actions, g.Action)
			continue
		}
		index[sid] = len(out)
		out = append(out, iamStatementSpec{Sid: sid, Actions: []string{g.Action}, On: kinds, UnlessExempt: exempt})
	}
	for i := range out {
		slices.Sort(out[i].Actions)
	}
	return out
}

func allTaggable(kinds []iamResource) bool {
	for _, k := range kinds {
		if !k.taggable() {
			return false
		}
	}
	return len(kinds) > 0
}

func sidWord(k iamResource) string {
	switch k {
	case resUser:
		return "Users"
	case resRole:
		return "Roles"
	case resGroup:
		return "Groups"
	case resPolicy:
		return "Policies"
	case resAWSPolicy:
		return "AWSManagedPolicies"
	}
	return string(k)
}

// iamARN returns the ARN pattern of every resource of a kind in the stack's
// account (and partition).
func iamARN(stack awscdk.Stack, k iamResource) *string {
	account := stack.Account()
	resource := string(k)
	if k == resAWSPolicy {
		account, resource = jsii.String("aws"), "policy"
	}
	return stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("iam"),
		Region:       jsii.String(""),
		Account:      account,
		Resource:     jsii.String(resource),
		ResourceName: jsii.String("*"),
	})
}

// bindIAMStatements renders a family's statements for its role.
func bindIAMStatements(stack awscdk.Stack, family, exemptTag string) []awsiam.PolicyStatement {
	var out []awsiam.PolicyStatement
	for _, spec := range iamStatements(family) {
		var resources []*string
		for _, k := range spec.On {
			resources = append(resources, iamARN(stack, k))
		}
		props := &awsiam.PolicyStatementProps{
			Sid:       jsii.String(spec.Sid),
			Effect:    awsiam.Effect_ALLOW,
			Actions:   jsii.Strings(spec.Actions...),
			Resources: &resources,
		}
		if spec.UnlessExempt {
			// IgnoreCase: shared/remediate treats the tag value
			// case-insensitively, and so must IAM.
			props.Conditions = &map[string]any{
				"StringNotEqualsIgnoreCase": map[string]any{"aws:ResourceTag/" + exemptTag: "true"},
			}
		}
		out = append(out, awsiam.NewPolicyStatement(props))
	}
	return out
}
