package main

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/rules"
)

// ForwardingStackProps configures NewForwardingStack.
type ForwardingStackProps struct {
	awscdk.StackProps
	// Settings is the validated configuration; NotifyEmails are subscribed
	// to the stack's own alarm topic.
	Settings Settings
}

// forwardedPattern is a rules-table pattern forwarded from other Regions.
type forwardedPattern struct {
	ruleID  string
	pattern eventpattern.Pattern
}

// forwardedPatterns returns the rules-table patterns whose events can be
// recorded outside us-east-1: every pattern not pinned to IAM's own source.
// IAM events reach EventBridge only in us-east-1, so forwarding those would
// move nothing; sign-in events and the root user's calls to regional
// services arrive in the Region where they happen.
func forwardedPatterns() []forwardedPattern {
	var out []forwardedPattern
	for _, r := range rules.Table() {
		for _, p := range r.Patterns {
			if onlyIAM(p) {
				continue
			}
			out = append(out, forwardedPattern{ruleID: r.ID, pattern: p})
		}
	}
	return out
}

// onlyIAM reports whether a pattern matches only events whose source is aws.iam.
func onlyIAM(p eventpattern.Pattern) bool {
	src, ok := p["source"].([]any)
	if !ok || len(src) == 0 {
		return false
	}
	return !slices.ContainsFunc(src, func(v any) bool { return v != "aws.iam" })
}

// NewForwardingStack builds the stack for one other Region: EventBridge rules
// with the forwarded patterns of the rules table, each sending its events to
// the default event bus in us-east-1 (where the functions' rules match them
// again), through a role allowed only events:PutEvents on that bus. Events
// that cannot be delivered wait in a dead-letter queue; its alarm notifies a
// topic in this Region (CloudWatch alarms can notify only their own Region),
// encrypted with its own key, with the same email subscriptions.
func NewForwardingStack(scope constructs.Construct, id string, props *ForwardingStackProps) awscdk.Stack {
	if props.Env == nil || props.Env.Region == nil || *props.Env.Region == HomeRegion {
		panic(fmt.Errorf("forwarding stack %s: needs a Region other than %s", id, HomeRegion))
	}
	sp := props.StackProps
	if sp.Description == nil {
		sp.Description = jsii.String("iamguard: forwards the events of the rules not pinned to IAM from " + *props.Env.Region + " to the default event bus in " + HomeRegion)
	}
	stack := awscdk.NewStack(scope, &id, &sp)

	homeBus := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("events"), Region: jsii.String(HomeRegion),
		Resource: jsii.String("event-bus"), ResourceName: jsii.String("default"),
	})
	role := awsiam.NewRole(stack, jsii.String("ForwardRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil),
		Description: jsii.String("iamguard: forwards events to the default bus in " + HomeRegion),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PutEventsOnTheHomeBus"),
		Actions:   jsii.Strings("events:PutEvents"),
		Resources: &[]*string{homeBus},
	}))
	dlq := newParkingQueue(stack, "ForwardDeadLetters")

	var ruleARNs []*string
	count := map[string]int{}
	for _, fp := range forwardedPatterns() {
		count[fp.ruleID]++
		rid := "Forward" + pascal(fp.ruleID)
		if n := count[fp.ruleID]; n > 1 {
			rid += strconv.Itoa(n)
		}
		cr := awsevents.NewCfnRule(stack, jsii.String(rid), &awsevents.CfnRuleProps{
			Description:  jsii.String("iamguard " + fp.ruleID + ": forward to " + HomeRegion),
			EventPattern: map[string]any(fp.pattern),
			State:        jsii.String(ruleState),
			Targets: &[]any{&awsevents.CfnRule_TargetProperty{
				Id:      jsii.String("HomeBus"),
				Arn:     homeBus,
				RoleArn: role.RoleArn(),
				RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
					MaximumEventAgeInSeconds: jsii.Number(targetMaxEventAge),
					MaximumRetryAttempts:     jsii.Number(targetRetryAttempts),
				},
				DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: dlq.QueueArn()},
			}},
		})
		ruleARNs = append(ruleARNs, cr.AttrArn())
	}
	allowRulesToPark(dlq, ruleARNs)

	key := awskms.NewKey(stack, jsii.String("AlarmsKey"), &awskms.KeyProps{
		Description:       jsii.String("iamguard: encrypts the forwarding alarm topic"),
		EnableKeyRotation: jsii.Bool(true),
	})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
	}), jsii.Bool(false))
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{
		DisplayName: jsii.String("iamguard forwarding"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	allowAlarms(stack, topic)
	for i, email := range props.Settings.NotifyEmails {
		awssns.NewSubscription(stack, jsii.String("Email"+strconv.Itoa(i+1)), &awssns.SubscriptionProps{
			Topic: topic, Protocol: awssns.SubscriptionProtocol_EMAIL, Endpoint: jsii.String(email),
		})
	}
	newAlarm(stack, "ForwardDeadLettersAlarm",
		"iamguard: events from "+*props.Env.Region+" could not be forwarded to "+HomeRegion+"; they wait in this queue",
		queueDepth(dlq), topic)
	suppressParkingQueues(stack, []awssqs.Queue{dlq})
	return stack
}

// allowAlarms lets this account's CloudWatch alarms in the stack's Region
// publish to the topic (the topic policy replaces SNS's default one).
func allowAlarms(stack awscdk.Stack, topic awssns.Topic) {
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowThisAccountsAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  &[]*string{topic.TopicArn()},
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"),
				ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		},
	}))
}
