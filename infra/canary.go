package main

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/jsii-runtime-go"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

// canarySDKTarget is EventBridge Scheduler's universal target for IAM
// TagPolicy: the schedule makes the call itself, so the canary needs no
// function of its own.
const canarySDKTarget = "arn:aws:scheduler:::aws-sdk:iam:tagPolicy"

// addCanary adds the canary: a policy that grants nothing, a role that may
// only tag it with the canary's key, a schedule that does so every
// CanaryMinutes, audit-guard's knowledge of both (so that it counts their
// writes as heartbeats), and the alarm that fires when the heartbeats stop.
func (g *guardrail) addCanary() {
	minutes := g.settings.CanaryMinutes
	if minutes == 0 {
		return
	}
	var auditGuard *guardFunction
	for _, gf := range g.functions {
		if gf.family == rules.AuditGuard {
			auditGuard = gf
		}
	}
	policy := awsiam.NewManagedPolicy(g.stack, jsii.String("CanaryPolicy"), &awsiam.ManagedPolicyProps{
		Path:        jsii.String(rules.CanaryPolicyPath),
		Description: jsii.String("iamguard canary: attached to nothing and granting nothing; its schedule tags it so that audit-guard proves the path works"),
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("GrantsNothing"),
			Effect:    awsiam.Effect_DENY,
			Actions:   jsii.Strings("iam:DeletePolicy"),
			Resources: &[]*string{awscdk.Fn_Sub(jsii.String("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy"+rules.CanaryPolicyPath+"*"), nil)},
		})},
	})
	role := awsiam.NewRole(g.stack, jsii.String("CanaryRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("scheduler.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": g.stack.Account()}},
		}),
		Description: jsii.String("iamguard canary: tags the canary policy with " + rules.CanaryTagKey + " and nothing else"),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("TagTheCanaryPolicyOnly"),
		Actions:    jsii.Strings("iam:TagPolicy"),
		Resources:  &[]*string{policy.ManagedPolicyArn()},
		Conditions: &map[string]any{"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{rules.CanaryTagKey}}},
	}))
	input := awscdk.Fn_ToJsonString(map[string]any{
		"PolicyArn": policy.ManagedPolicyArn(),
		"Tags":      []any{map[string]any{"Key": rules.CanaryTagKey, "Value": "<aws.scheduler.scheduled-time>"}},
	})
	awsscheduler.NewCfnSchedule(g.stack, jsii.String("CanarySchedule"), &awsscheduler.CfnScheduleProps{
		Description:        jsii.String(fmt.Sprintf("iamguard canary: tags the canary policy every %d minutes; audit-guard turns the write into a heartbeat", minutes)),
		ScheduleExpression: jsii.String("rate(" + strconv.Itoa(minutes) + " minutes)"),
		FlexibleTimeWindow: &awsscheduler.CfnSchedule_FlexibleTimeWindowProperty{Mode: jsii.String("OFF")},
		State:              jsii.String("ENABLED"),
		Target: &awsscheduler.CfnSchedule_TargetProperty{
			Arn:     jsii.String(canarySDKTarget),
			RoleArn: role.RoleArn(),
			Input:   input,
			// A missed write is what the alarm is for; retrying for
			// longer than the margin would only blur it.
			RetryPolicy: &awsscheduler.CfnSchedule_RetryPolicyProperty{
				MaximumRetryAttempts:     jsii.Number(3),
				MaximumEventAgeInSeconds: jsii.Number(rules.CanaryMargin.Seconds()),
			},
		},
	})
	auditGuard.fn.AddEnvironment(jsii.String(config.EnvCanaryPolicyARN), policy.ManagedPolicyArn(), nil)
	auditGuard.fn.AddEnvironment(jsii.String(config.EnvCanaryRoleARN), role.RoleArn(), nil)

	window := minutes + int(rules.CanaryMargin.Minutes())
	heartbeats := awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String(guard.MetricNamespace),
		MetricName:    jsii.String(guard.MetricHeartbeat),
		DimensionsMap: &map[string]*string{guard.MetricDimension: jsii.String(rules.AuditGuard.ID), guard.MetricStackDimension: g.stack.StackName()},
		Statistic:     jsii.String("Sum"),
		Period:        awscdk.Duration_Minutes(jsii.Number(float64(window))),
	})
	blind := awscloudwatch.NewAlarm(g.stack, jsii.String("BlindAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String(fmt.Sprintf("iamguard is blind: no canary heartbeat reached audit-guard in %d minutes (the canary writes every %d): "+
			"check the trail (aws cloudtrail get-trail-status), the EventBridge rules, the function, and the canary schedule", window, minutes)),
		Metric:             heartbeats,
		Threshold:          jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		// No data is exactly the silence this alarm is for.
		TreatMissingData: awscloudwatch.TreatMissingData_BREACHING,
	})
	blind.AddAlarmAction(awscloudwatchactions.NewSnsAction(g.topic))
	blind.AddOkAction(awscloudwatchactions.NewSnsAction(g.topic))

	awscdk.NewCfnOutput(g.stack, jsii.String("CanaryPolicyArn"), &awscdk.CfnOutputProps{
		Value: policy.ManagedPolicyArn(), Description: jsii.String("iamguard check --canary-policy-arn"),
	})
	awscdk.NewCfnOutput(g.stack, jsii.String("CanaryRoleArn"), &awscdk.CfnOutputProps{
		Value: role.RoleArn(), Description: jsii.String("iamguard check --canary-role-arn"),
	})
}
