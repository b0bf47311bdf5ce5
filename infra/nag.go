package main

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// addSuppressions records, on the exact resources, why each remaining
// cdk-nag AwsSolutions finding is intended.
func (g *guardrail) addSuppressions() {
	suppressParkingQueues(g.stack, g.queues)
	for _, gf := range g.functions {
		if sups := resourceWildcardSuppressions(gf.family, g.settings.ExemptTag); len(sups) > 0 {
			// On the policy that holds the statements, not on the whole role.
			cdknag.NagSuppressions_AddResourceSuppressions(gf.role.Node().FindChild(jsii.String("DefaultPolicy")), &sups, jsii.Bool(true))
		}
	}
}

// wildcardReasons says, per kind of IAM resource, why a family's role names
// every resource of that kind in the account rather than specific ones.
var wildcardReasons = map[iamResource]string{
	resUser: "iamguard acts on whichever of this account's IAM users a flagged change names (the user of a new access key, or the user " +
		"a policy was attached to or written on), known only when the event arrives. The ARN covers only this account's users, the " +
		"actions are exactly the calls the code makes, and every change is conditioned on the user not being tagged %s=true.",
	resRole: "iamguard acts on whichever of this account's IAM roles a flagged policy change names, known only when the event arrives. " +
		"The ARN covers only this account's roles, the actions are exactly the calls the code makes, and every change is conditioned " +
		"on the role not being tagged %s=true.",
	resGroup: "iamguard acts on whichever of this account's IAM groups a flagged policy change names, known only when the event arrives. " +
		"The ARN covers only this account's groups and the actions are exactly the calls the code makes; IAM groups cannot carry " +
		"tags, so exempt a group with the exemptTargets context key.",
	resPolicy: "iamguard reads, and restores the previous default version of, whichever of this account's customer managed policies a " +
		"flagged change names, known only when the event arrives. The ARN covers only this account's policies, and the change is " +
		"conditioned on the policy not being tagged %s=true.",
	resAWSPolicy: "Read-only (iam:GetPolicy, iam:GetPolicyVersion) on AWS managed policies, documents AWS publishes to every account, " +
		"to judge a managed policy that the embedded snapshot does not know yet.",
}

// nagResource is how cdk-nag names a resource ARN built by iamARN in its
// AppliesTo findings.
func nagResource(k iamResource) string {
	account, resource := "<AWS::AccountId>", string(k)
	if k == resAWSPolicy {
		account, resource = "aws", "policy"
	}
	return "Resource::arn:<AWS::Partition>:iam::" + account + ":" + resource + "/*"
}

// resourceWildcardSuppressions returns one AwsSolutions-IAM5 suppression per
// kind of IAM resource the family's role names, applying to exactly that
// resource pattern.
func resourceWildcardSuppressions(family, exemptTag string) []*cdknag.NagPackSuppression {
	seen := map[iamResource]bool{}
	var out []*cdknag.NagPackSuppression
	for _, spec := range iamStatements(family) {
		for _, k := range spec.On {
			if seen[k] {
				continue
			}
			seen[k] = true
			reason := wildcardReasons[k]
			if strings.Contains(reason, "%s") {
				reason = fmt.Sprintf(reason, exemptTag)
			}
			out = append(out, &cdknag.NagPackSuppression{
				Id:        jsii.String("AwsSolutions-IAM5"),
				Reason:    jsii.String(reason),
				AppliesTo: &[]any{nagResource(k)},
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
			Reason: jsii.String("This queue is itself the dead-letter queue (EventBridge target DLQ, Lambda on-failure destination or SNS " +
				"subscription DLQ) where undeliverable events wait for 14 days; an alarm fires on its first message. A DLQ for it would only move the problem."),
		}}, jsii.Bool(false))
	}
}
