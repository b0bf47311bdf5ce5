package main

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
)

// memberStackID is the member template's stack ID in its own app.
const memberStackID = "IamguardMember"

// The member template's parameters, which the StackSet fills from the
// central stack.
const (
	paramCentralBus   = "CentralBusArn"
	paramCentralRoles = "CentralRoleArns"
)

// MemberStackProps configures NewMemberStack.
type MemberStackProps struct {
	// Settings is the central stack's validated configuration.
	Settings Settings
	// CentralStackName names the central stack: the responder role is
	// <CentralStackName>-responder, the forwarding rules
	// <CentralStackName>-fwd-…, and the resources the actions may touch are
	// named after it.
	CentralStackName string
}

// NewMemberStack builds the template the StackSet deploys to every member
// account, in us-east-1 and each forwardRegions Region:
//
//   - in every Region, one EventBridge rule per pattern of the rules table
//     that can match there (every pattern in us-east-1, where IAM's events
//     arrive; the patterns not pinned to IAM elsewhere: forwardedPatterns),
//     on the default bus, sending to the organisation's bus through a role
//     allowed only events:PutEvents on it, with a dead-letter queue;
//   - in us-east-1 only (IAM is global: one role per account), the
//     responder role <stack>-responder, which only the central functions'
//     roles may assume, holding exactly the calls of the rules in
//     remediate mode (and every rule's lookups), under the exempt-tag
//     conditions.
//
// Its stack is never deployed by itself: addMembers hands its template to a
// StackSet.
func NewMemberStack(scope constructs.Construct, id string, props *MemberStackProps) awscdk.Stack {
	s := props.Settings
	stack := awscdk.NewStack(scope, &id, &awscdk.StackProps{
		Description: jsii.String("iamguard member account: forwards the rules' events to " + orgBusName(props.CentralStackName) +
			" and holds the responder role the central functions act through"),
		// Deployed by a StackSet into accounts without the CDK bootstrap.
		Synthesizer:        awscdk.NewDefaultStackSynthesizer(&awscdk.DefaultStackSynthesizerProps{GenerateBootstrapVersionRule: jsii.Bool(false)}),
		AnalyticsReporting: jsii.Bool(false),
	})
	bus := awscdk.NewCfnParameter(stack, jsii.String(paramCentralBus), &awscdk.CfnParameterProps{
		Type:           jsii.String("String"),
		Description:    jsii.String("the organisation's event bus in the security account (the central stack's)"),
		AllowedPattern: jsii.String(`^arn:aws[a-z-]*:events:` + HomeRegion + `:[0-9]{12}:event-bus/[A-Za-z0-9._-]+$`),
	})
	roles := awscdk.NewCfnParameter(stack, jsii.String(paramCentralRoles), &awscdk.CfnParameterProps{
		Type:        jsii.String("CommaDelimitedList"),
		Description: jsii.String("the central functions' role ARNs: the only principals the responder role trusts"),
	})
	home := awscdk.NewCfnCondition(stack, jsii.String("InHomeRegion"), &awscdk.CfnConditionProps{
		Expression: awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(HomeRegion)),
	})

	forward := awsiam.NewRole(stack, jsii.String("ForwardRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil),
		Description: jsii.String("iamguard: forwards the rules' events to the organisation's bus"),
	})
	forward.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PutEventsOnTheCentralBus"),
		Actions:   jsii.Strings("events:PutEvents"),
		Resources: &[]*string{bus.ValueAsString()},
	}))
	dlq := newParkingQueue(stack, "ForwardDeadLetters")
	prefix := props.CentralStackName + "-fwd-"
	for _, mr := range memberRules() {
		cr := awsevents.NewCfnRule(stack, jsii.String(mr.id), &awsevents.CfnRuleProps{
			Name:         jsii.String(truncate(prefix+mr.id, 64)),
			Description:  jsii.String("iamguard " + mr.ruleID + ": forward to the organisation's bus"),
			EventPattern: map[string]any(mr.pattern),
			State:        jsii.String(ruleState),
			Targets: &[]any{&awsevents.CfnRule_TargetProperty{
				Id:      jsii.String("CentralBus"),
				Arn:     bus.ValueAsString(),
				RoleArn: forward.RoleArn(),
				RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
					MaximumEventAgeInSeconds: jsii.Number(targetMaxEventAge),
					MaximumRetryAttempts:     jsii.Number(targetRetryAttempts),
				},
				DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: dlq.QueueArn()},
			}},
		})
		if mr.homeOnly {
			cr.CfnOptions().SetCondition(home)
		}
	}
	// Exactly this account's forwarding rules, by name (a rule that exists
	// in us-east-1 only cannot be named by reference in other Regions).
	dlq.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowIamguardForwardRules"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sqs:SendMessage"),
		Resources:  &[]*string{dlq.QueueArn()},
		Conditions: &map[string]any{"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("events"), Resource: jsii.String("rule"), ResourceName: jsii.String(prefix + "*"),
		})}},
	}))
	suppressParkingQueues(stack, []awssqs.Queue{dlq})

	regions := append([]string{HomeRegion}, s.ForwardRegions...)
	calls := responderCalls(s)
	stmts := bindCalls(stack, calls, s.ExemptTag, regions, props.CentralStackName)
	confirms := s.ConfirmWithCloudTrail && slices.ContainsFunc(rules.Table(), func(r *rules.Rule) bool { return s.ModeFor(r.ID) == finding.ModeRemediate })
	if confirms {
		stmts = append(stmts, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String(lookupEventsSid),
			Actions:   jsii.Strings("cloudtrail:LookupEvents"),
			Resources: jsii.Strings("*"),
		}))
	}
	chunks := packStatements(stack, stmts)
	rp := &awsiam.CfnRoleProps{
		RoleName:    jsii.String(ResponderRoleName(props.CentralStackName)),
		Description: jsii.String("iamguard: the central functions act in this account through this role, for exactly the calls of the rules in remediate mode"),
		AssumeRolePolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Sid":       "OnlyTheCentralFunctions",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": roles.ValueAsList()},
				"Action":    "sts:AssumeRole",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": s.OrganizationID}},
			}},
		},
	}
	if len(chunks) == 1 {
		rp.Policies = &[]any{&awsiam.CfnRole_PolicyProperty{
			PolicyName:     jsii.String("iamguard-responder"),
			PolicyDocument: awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &chunks[0]}),
		}}
	}
	responder := awsiam.NewCfnRole(stack, jsii.String("ResponderRole"), rp)
	responder.CfnOptions().SetCondition(home)
	holders := []awscdk.CfnResource{responder}
	if len(chunks) > 1 {
		// Past IAM's 10,240 characters of inline policy per role: managed
		// policies of at most 6,144 each, attached to the role alone.
		holders = nil
		for i, chunk := range chunks {
			mp := awsiam.NewCfnManagedPolicy(stack, jsii.String("ResponderPolicy"+strconv.Itoa(i+1)), &awsiam.CfnManagedPolicyProps{
				Description:    jsii.String("iamguard responder, part " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(chunks))),
				PolicyDocument: awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &chunk}),
				Roles:          &[]any{responder.Ref()},
			})
			mp.CfnOptions().SetCondition(home)
			holders = append(holders, mp)
		}
	}
	sups := callWildcardSuppressions(calls, s.ExemptTag, regions)
	if confirms {
		sups = append(sups, &cdknag.NagPackSuppression{
			Id: jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("cloudtrail:LookupEvents (statement " + lookupEventsSid + ") supports no resource-level permission; it reads event " +
				"history only, and is how a rollback confirms, in this account, that CloudTrail recorded the event before acting on it"),
			AppliesTo: &[]any{"Resource::*"},
		})
	}
	if len(sups) > 0 {
		for _, h := range holders {
			cdknag.NagSuppressions_AddResourceSuppressions(h, &sups, jsii.Bool(false))
		}
	}
	return stack
}

// memberRule is one forwarding rule of the member template.
type memberRule struct {
	id       string // construct ID and name suffix
	ruleID   string
	pattern  map[string]any
	homeOnly bool // pinned to IAM: its events reach EventBridge only in us-east-1
}

// memberRules returns the member template's forwarding rules: every
// pattern of the rules table, those pinned to IAM in us-east-1 only.
func memberRules() []memberRule {
	var out []memberRule
	for _, r := range rules.Table() {
		for i, p := range r.Patterns {
			id := pascal(r.ID)
			if len(r.Patterns) > 1 {
				id += strconv.Itoa(i + 1)
			}
			out = append(out, memberRule{id: id, ruleID: r.ID, pattern: p, homeOnly: onlyIAM(p)})
		}
	}
	return out
}

// responderCalls are the calls the responder role grants: every rule's
// lookups (the functions judge a member account's documents through it, in
// every mode), the reads of the actions of the rules in remediate or
// dry-run mode (a dry run reads the state and the exempt tag too), and the
// changes of the rules that remediate in some account.
func responderCalls(s Settings) []action.Call {
	var all []action.Call
	for _, r := range rules.Table() {
		all = append(all, r.Lookups...)
		if !slices.Contains(s.Remediate, r.ID) {
			continue
		}
		changes := s.ModeFor(r.ID) == finding.ModeRemediate
		for _, o := range s.AccountOverrides {
			if o.DryRun != nil && !*o.DryRun && (!o.remediateSet || slices.Contains(o.Remediate, r.ID)) {
				changes = true
			}
		}
		for _, a := range r.Actions {
			for _, c := range a.Calls {
				if !c.Changes || changes {
					all = append(all, c)
				}
			}
		}
	}
	return action.MergeCalls(all)
}

// IAM's limits on a role's policies, in characters: all its inline
// policies together, and one managed policy. The estimate packStatements
// makes (each statement's JSON with CloudFormation's intrinsic functions
// unresolved) is longer than what IAM counts, so a margin is kept anyway.
const (
	maxInlinePolicy  = 10240
	maxManagedPolicy = 6144
	policyMargin     = 512
)

// packStatements returns the statements as one policy when they fit a
// role's inline limit, else as as few groups as fit a managed policy each.
func packStatements(stack awscdk.Stack, stmts []awsiam.PolicyStatement) [][]awsiam.PolicyStatement {
	sizes := make([]int, len(stmts))
	total := 0
	for i, st := range stmts {
		b, _ := json.Marshal(stack.Resolve(st.ToStatementJson()))
		sizes[i] = len(b) + 1
		total += sizes[i]
	}
	if total <= maxInlinePolicy-policyMargin {
		return [][]awsiam.PolicyStatement{stmts}
	}
	var out [][]awsiam.PolicyStatement
	var cur []awsiam.PolicyStatement
	n := 0
	for i, st := range stmts {
		if len(cur) > 0 && n+sizes[i] > maxManagedPolicy-policyMargin {
			out, cur, n = append(out, cur), nil, 0
		}
		cur, n = append(cur, st), n+sizes[i]
	}
	return append(out, cur)
}
