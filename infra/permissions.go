package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/rules"
)

// statementSpec is one statement of a role's permissions before it is bound
// to a stack: derived from the calls the family's actions and lookups
// declare (rules.Family.Calls), never kept by hand.
type statementSpec struct {
	Sid     string
	Actions []string
	On      []*action.Resource
	// UnlessExempt adds the exempt-tag condition: the service itself refuses
	// the change on a resource tagged exemptTag=true, even if the code's own
	// check failed.
	UnlessExempt bool
	// RequireTag, "key=value", limits the statement to resources carrying
	// the tag (action.Resource.RequireTag).
	RequireTag string
}

// statements groups a family's declared calls into statements: one per set
// of resources, reads apart from changes, changes on taggable resources under
// the exempt-tag condition.
func statements(family *rules.Family) []statementSpec { return callStatements(family.Calls()) }

// callStatements groups calls into statements, as statements does a
// family's.
func callStatements(calls []action.Call) []statementSpec {
	var out []statementSpec
	index := map[string]int{}
	for _, c := range calls {
		on := slices.Clone(c.On)
		slices.SortFunc(on, func(a, b *action.Resource) int { return strings.Compare(a.ARN, b.ARN) })
		verb := "Read"
		if c.Changes {
			verb = "Change"
		}
		exempt := c.Changes && allTaggable(on)
		var names []string
		for _, r := range on {
			names = append(names, sidWord(r))
		}
		sid := verb + strings.Join(names, "And")
		if exempt {
			sid += "UnlessExempt"
		}
		require := ""
		for _, r := range on {
			if r.RequireTag != "" {
				require = r.RequireTag
			}
		}
		if i, ok := index[sid]; ok {
			out[i].Actions = append(out[i].Actions, c.Op)
			continue
		}
		index[sid] = len(out)
		out = append(out, statementSpec{Sid: sid, Actions: []string{c.Op}, On: on, UnlessExempt: exempt, RequireTag: require})
	}
	for i := range out {
		slices.Sort(out[i].Actions)
	}
	return out
}

func allTaggable(on []*action.Resource) bool {
	for _, r := range on {
		if !r.Taggable {
			return false
		}
	}
	return len(on) > 0
}

// sidWord turns a resource kind's name ("AWS managed policies") into a
// statement-ID word ("AWSManagedPolicies").
func sidWord(r *action.Resource) string {
	var b strings.Builder
	for _, w := range strings.Fields(r.Name) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// resourceARNs returns the ARN patterns of a resource kind in the stack's
// partition and account, one per watched Region when the kind has one.
// Resources named after the stack (its rules, its functions) are named
// after stackName.
func resourceARNs(stack awscdk.Stack, r *action.Resource, regions []string, stackName string) []*string {
	if !strings.Contains(r.ARN, "{region}") {
		return []*string{jsii.String(action.Expand(r.ARN, *stack.Partition(), "", *stack.Account(), stackName))}
	}
	var out []*string
	for _, region := range regions {
		out = append(out, jsii.String(action.Expand(r.ARN, *stack.Partition(), region, *stack.Account(), stackName)))
	}
	return out
}

// nagResources is how cdk-nag names the ARNs resourceARNs builds in its
// AppliesTo findings.
func nagResources(r *action.Resource, regions []string) []string {
	if !strings.Contains(r.ARN, "{region}") {
		return []string{"Resource::" + action.Expand(r.ARN, "<AWS::Partition>", "", "<AWS::AccountId>", mainStackID)}
	}
	var out []string
	for _, region := range regions {
		out = append(out, "Resource::"+action.Expand(r.ARN, "<AWS::Partition>", region, "<AWS::AccountId>", mainStackID))
	}
	return out
}

// bindStatements renders a family's statements for its role.
func bindStatements(stack awscdk.Stack, family *rules.Family, exemptTag string, regions []string) []awsiam.PolicyStatement {
	return bindCalls(stack, family.Calls(), exemptTag, regions, *stack.StackName())
}

// bindCalls renders calls as statements for a role of stack, naming the
// resources of the iamguard stack called stackName.
func bindCalls(stack awscdk.Stack, calls []action.Call, exemptTag string, regions []string, stackName string) []awsiam.PolicyStatement {
	var out []awsiam.PolicyStatement
	for _, spec := range callStatements(calls) {
		var resources []*string
		for _, r := range spec.On {
			resources = append(resources, resourceARNs(stack, r, regions, stackName)...)
		}
		props := &awsiam.PolicyStatementProps{
			Sid:       jsii.String(spec.Sid),
			Effect:    awsiam.Effect_ALLOW,
			Actions:   jsii.Strings(spec.Actions...),
			Resources: &resources,
		}
		conds := map[string]any{}
		if spec.UnlessExempt {
			// IgnoreCase: shared/remediate treats the tag value
			// case-insensitively, and so must the service.
			conds["StringNotEqualsIgnoreCase"] = map[string]any{"aws:ResourceTag/" + exemptTag: "true"}
		}
		if k, v, ok := strings.Cut(spec.RequireTag, "="); ok {
			conds["StringEquals"] = map[string]any{"aws:ResourceTag/" + k: v}
		}
		if len(conds) > 0 {
			props.Conditions = &conds
		}
		out = append(out, awsiam.NewPolicyStatement(props))
	}
	return out
}

// whyEvery says why a role names every resource of a kind.
func whyEvery(r *action.Resource, exemptTag string) string {
	if strings.Contains(r.Why, "%[1]s") {
		return fmt.Sprintf(r.Why, exemptTag)
	}
	return r.Why
}
