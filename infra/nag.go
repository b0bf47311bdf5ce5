package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/rules"
	"strings"
)

// addSuppressions records, on the exact resources, why each remaining
// cdk-nag AwsSolutions finding is intended.
func (g *guardrail) addSuppressions() {
	suppressParkingQueues(g.stack, g.queues)
	for _, gf := range g.functions {
		sups := resourceWildcardSuppressions(gf.family, g.settings.ExemptTag, g.regions())
		if g.confirms(gf.family) {
			sups = append(sups, &cdknag.NagPackSuppression{
				Id: jsii.String("AwsSolutions-IAM5"),
				Reason: jsii.String("cloudtrail:LookupEvents (statement " + lookupEventsSid + ") supports no resource-level permission; it reads event " +
					"history only, and is how a rollback confirms that CloudTrail recorded the event before acting on it"),
				AppliesTo: &[]any{"Resource::*"},
			})
		}
		if g.settings.Organization() && len(gf.family.Actions()) > 0 {
			sups = append(sups, &cdknag.NagPackSuppression{
				Id: jsii.String("AwsSolutions-IAM5"),
				Reason: jsii.String("sts:AssumeRole (statement " + assumeResponderSid + ") of the responder role in whichever account of the organisation " +
					"the event names; any account, but only the role of that one name, and only in accounts of the organisation (aws:ResourceOrgID)"),
				AppliesTo: &[]any{"Resource::arn:<AWS::Partition>:iam::*:role/" + ResponderRoleName(*g.stack.StackName())},
			})
			if g.settings.hasOUOverrides() {
				var applies []any
				for _, kind := range []string{"account", "ou"} {
					applies = append(applies, "Resource::arn:<AWS::Partition>:organizations::*:"+kind+"/"+g.settings.OrganizationID+"/*")
				}
				sups = append(sups, &cdknag.NagPackSuppression{
					Id: jsii.String("AwsSolutions-IAM5"),
					Reason: jsii.String("organizations:ListParents (statement " + listParentsSid + ") of the account an event names, for the overrides " +
						"by organisational unit: read only, the organisation's accounts and OUs only; their ARNs carry the management account's ID, unknown here"),
					AppliesTo: &applies,
				})
			}
		}
		if len(sups) > 0 {
			// On the policy that holds the statements, not on the whole role.
			cdknag.NagSuppressions_AddResourceSuppressions(gf.role.Node().FindChild(jsii.String("DefaultPolicy")), &sups, jsii.Bool(true))
			// A role whose statements outgrow one inline policy (IAM's
			// 10,240 characters: every rule in remediate mode and several
			// forward Regions) gets overflow managed policies from CDK at
			// synthesis; they hold the same statements, so the same
			// reasons, added before cdk-nag looks at them.
			awscdk.Aspects_Of(gf.role).Add(&overflowSuppressions{sups: sups}, &awscdk.AspectOptions{Priority: awscdk.AspectPriority_MUTATING()})
		}
	}
}

// resourceWildcardSuppressions returns one AwsSolutions-IAM5 suppression per
// kind of resource the family's role names, applying to exactly that
// resource pattern, with the reason its declaration gives.
func resourceWildcardSuppressions(family *rules.Family, exemptTag string, regions []string) []*cdknag.NagPackSuppression {
	return callWildcardSuppressions(family.Calls(), exemptTag, regions)
}

// callWildcardSuppressions is resourceWildcardSuppressions for any calls.
func callWildcardSuppressions(calls []action.Call, exemptTag string, regions []string) []*cdknag.NagPackSuppression {
	seen := map[*action.Resource]bool{}
	var out []*cdknag.NagPackSuppression
	for _, spec := range callStatements(calls) {
		for _, r := range spec.On {
			if seen[r] {
				continue
			}
			seen[r] = true
			var applies []any
			for _, n := range nagResources(r, regions) {
				applies = append(applies, n)
			}
			out = append(out, &cdknag.NagPackSuppression{
				Id:        jsii.String("AwsSolutions-IAM5"),
				Reason:    jsii.String(whyEvery(r, exemptTag)),
				AppliesTo: &applies,
			})
		}
	}
	return out
}

// suppressParkingQueues explains AwsSolutions-SQS3 on the queues that are
// themselves dead-letter queues.
func suppressParkingQueues(stack awscdk.Stack, queues []awssqs.Queue) {
	for _, q := range queues {
		cdknag.NagSuppressions_AddResourceSuppressions(q.Node().DefaultChild(), &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-SQS3"),
			Reason: jsii.String("This queue is itself the dead-letter queue (EventBridge target DLQ, Lambda on-failure destination, SNS " +
				"subscription DLQ or a confirmation queue's DLQ) where undeliverable events wait for 14 days; an alarm fires on its first message. A DLQ for it would only move the problem."),
		}}, jsii.Bool(false))
	}
}

// overflowSuppressions adds a role's cdk-nag suppressions to the overflow
// policies CDK splits off its default policy.
type overflowSuppressions struct {
	sups []*cdknag.NagPackSuppression
}

func (o *overflowSuppressions) Visit(node constructs.IConstruct) {
	if strings.HasPrefix(*node.Node().Id(), "OverflowPolicy") {
		cdknag.NagSuppressions_AddResourceSuppressions(node, &o.sups, jsii.Bool(true))
	}
}
