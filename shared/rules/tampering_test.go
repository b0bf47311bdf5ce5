package rules

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// tamperRecord is the DisableRule sample turned into another call.
func tamperRecord(t *testing.T, source, name string, params map[string]any, identity map[string]any) *cloudtrail.Record {
	t.Helper()
	raw, err := os.ReadFile("../../events/DisableRule-iamguard-derived.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["eventSource"], m["eventName"], m["requestParameters"] = source, name, params
	if identity != nil {
		m["userIdentity"] = identity
	}
	b, _ := json.Marshal(m)
	rec, err := cloudtrail.DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestGuardrailTampering(t *testing.T) {
	const acct = "266106314375"
	g := Guardrail{StackName: "Iamguard", KeyARN: "arn:aws:kms:us-east-1:" + acct + ":key/1234abcd-12ab-34cd-56ef-1234567890ab",
		DeployRoles: []string{"arn:aws:iam::" + acct + ":role/cdk-*-deploy-role-*", "arn:aws:iam::" + acct + ":role/cdk-*-cfn-exec-role-*"}}
	cfn := func(role string) map[string]any {
		return map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::" + acct + ":assumed-role/" + role + "/AWSCloudFormation", "accountId": acct,
			"invokedBy": "cloudformation.amazonaws.com", "sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role",
				"arn": "arn:aws:iam::" + acct + ":role/" + role}}}
	}
	deployer := map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::" + acct + ":assumed-role/cdk-hnb659fds-deploy-role-" + acct + "-us-east-1/cli",
		"accountId": acct, "sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role",
			"arn": "arn:aws:iam::" + acct + ":role/cdk-hnb659fds-deploy-role-" + acct + "-us-east-1"}}}
	orgG := g
	orgG.DeployRoles = append(append([]string(nil), g.DeployRoles...),
		"arn:aws:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember")
	const member = "444455556666"
	stackSetsMember := map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::" + member + ":assumed-role/AWSServiceRoleForCloudFormationStackSetsOrgMember/AWSCloudFormation",
		"accountId": member, "invokedBy": "cloudformation.amazonaws.com", "sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role",
			"arn": "arn:aws:iam::" + member + ":role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember"}}}
	for _, tc := range []struct {
		name, source, call string
		params             map[string]any
		identity           map[string]any
		settings           Guardrail
		want               string // a fragment of the summary, or "" for no finding
		wantFix            string
	}{
		{"rule disabled", "events.amazonaws.com", "DisableRule", map[string]any{"name": "Iamguard-TrailTamperingRule1-ABC"}, nil, g,
			"DisableRule on iamguard's EventBridge rule Iamguard-TrailTamperingRule1-ABC", "find who disabled the rule"},
		{"forwarding stack's rule targets removed", "events.amazonaws.com", "RemoveTargets", map[string]any{"rule": "IamguardForward-eu-west-1-ForwardRootActivity-XYZ"}, nil, g,
			"RemoveTargets on iamguard's EventBridge rule", "cdk deploy"},
		{"another team's rule", "events.amazonaws.com", "DisableRule", map[string]any{"name": "billing-nightly"}, nil, g, "", ""},
		{"a look-alike prefix", "events.amazonaws.com", "DisableRule", map[string]any{"name": "IamguardX-Rule"}, nil, g, "", ""},
		{"function by ARN with qualifier", "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
			map[string]any{"functionName": "arn:aws:lambda:us-east-1:" + acct + ":function:Iamguard-PolicyGuard1A2B-XyZ:$LATEST"}, nil, g,
			"UpdateFunctionConfiguration on iamguard's Lambda function", "cdk deploy"},
		{"concurrency above zero is still a change", "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
			map[string]any{"functionName": "Iamguard-PolicyGuard1A2B-XyZ", "reservedConcurrentExecutions": 5}, nil, g,
			"PutFunctionConcurrency", "cdk deploy"},
		{"function by partial ARN", "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
			map[string]any{"functionName": acct + ":function:Iamguard-PolicyGuard1A2B-XyZ"}, nil, g, "UpdateFunctionCode", "cdk deploy"},
		{"function by function:NAME:QUALIFIER", "lambda.amazonaws.com", "AddPermission20150331v2",
			map[string]any{"functionName": "function:Iamguard-PolicyGuard1A2B-XyZ:1", "principal": "*"}, nil, g, "AddPermission", ""},
		{"failure destination changed", "lambda.amazonaws.com", "UpdateFunctionEventInvokeConfig",
			map[string]any{"functionName": "Iamguard-PolicyGuard1A2B-XyZ"}, nil, g, "UpdateFunctionEventInvokeConfig", ""},
		{"CloudFormation as the CDK execution role: the stack's deployment", "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
			map[string]any{"functionName": "Iamguard-PolicyGuard1A2B-XyZ"}, cfn("cdk-hnb659fds-cfn-exec-role-" + acct + "-us-east-1"), g, "", ""},
		{"CloudFormation for another stack's role", "iam.amazonaws.com", "PutRolePolicy",
			map[string]any{"roleName": "Iamguard-AuditGuardRoleB0A9E3DA-1A2B3C", "policyName": "deny-publish"}, cfn("mallory-stack-role"), g,
			"PutRolePolicy on iamguard's IAM role", ""},
		{"a filter policy on the alert subscription", "sns.amazonaws.com", "SetSubscriptionAttributes",
			map[string]any{"subscriptionArn": "arn:aws:sns:us-east-1:" + acct + ":Iamguard-Alerts1A2B3C4D-AbCdEf:0a1b2c3d-4e5f", "attributeName": "FilterPolicy"}, nil, g,
			"SetSubscriptionAttributes", ""},
		{"alarm actions disabled, named in a list", "monitoring.amazonaws.com", "DisableAlarmActions",
			map[string]any{"alarmNames": []string{"billing", "Iamguard-BlindAlarm1A2B3C-XyZ"}}, nil, g, "DisableAlarmActions on iamguard's CloudWatch alarm Iamguard-BlindAlarm1A2B3C-XyZ",
			"aws cloudwatch enable-alarm-actions --alarm-names Iamguard-BlindAlarm1A2B3C-XyZ"},
		{"another team's alarms", "monitoring.amazonaws.com", "DeleteAlarms", map[string]any{"alarmNames": []string{"billing"}}, nil, g, "", ""},
		{"a same-named rule on a custom bus", "events.amazonaws.com", "DisableRule",
			map[string]any{"name": "Iamguard-TrailTamperingRule1-ABC", "eventBusName": "team-bus"}, nil, g, "", ""},
		{"a change set created on the stack", "cloudformation.amazonaws.com", "CreateChangeSet",
			map[string]any{"stackName": "Iamguard", "changeSetName": "quiet"}, nil, g, "CreateChangeSet", ""},
		{"the stack deleted by the deploy role: still reported", "cloudformation.amazonaws.com", "DeleteStack",
			map[string]any{"stackName": "Iamguard"}, deployer, g, "DeleteStack", ""},
		{"concurrency 0 stops the function", "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
			map[string]any{"functionName": "Iamguard-PolicyGuard1A2B-XyZ", "reservedConcurrentExecutions": 0}, nil, g,
			"PutFunctionConcurrency", "find who stopped the function"},
		{"topic subscription removed", "sns.amazonaws.com", "Unsubscribe",
			map[string]any{"subscriptionArn": "arn:aws:sns:us-east-1:" + acct + ":Iamguard-Alerts1A2B3C4D-AbCdEf:0a1b2c3d-4e5f"}, nil, g,
			"Unsubscribe on iamguard's SNS subscription", "cdk deploy"},
		{"queue purged", "sqs.amazonaws.com", "PurgeQueue",
			map[string]any{"queueUrl": "https://sqs.us-east-1.amazonaws.com/" + acct + "/Iamguard-AuditGuardDeadLetters1A2B-XyZ"}, nil, g, "PurgeQueue on iamguard's SQS queue", ""},
		{"confirmation queue's redrive changed", "sqs.amazonaws.com", "SetQueueAttributes",
			map[string]any{"queueUrl": "https://sqs.us-east-1.amazonaws.com/" + acct + "/Iamguard-AccessKeysConfirm5C6D-AbC"}, nil, g, "SetQueueAttributes on iamguard's SQS queue", ""},
		{"outcome table deleted", "dynamodb.amazonaws.com", "DeleteTable",
			map[string]any{"tableName": "Iamguard-OutcomeTable1A2B3C4D-1E2F3G4H5I6J"}, nil, g, "DeleteTable on iamguard's DynamoDB table", ""},
		{"outcome table's backups turned off", "dynamodb.amazonaws.com", "UpdateContinuousBackups",
			map[string]any{"tableName": "Iamguard-OutcomeTable1A2B3C4D-1E2F3G4H5I6J"}, nil, g, "UpdateContinuousBackups on iamguard's DynamoDB table", ""},
		{"another stack's table", "dynamodb.amazonaws.com", "DeleteTable",
			map[string]any{"tableName": "Orders-Table-1A2B"}, nil, g, "", ""},
		{"key scheduled for deletion by ID", "kms.amazonaws.com", "ScheduleKeyDeletion", map[string]any{"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7}, nil, g,
			"ScheduleKeyDeletion on iamguard's KMS key", "until the key is enabled"},
		{"another key", "kms.amazonaws.com", "DisableKey", map[string]any{"keyId": "ffffffff-12ab-34cd-56ef-1234567890ab"}, nil, g, "", ""},
		{"stack deleted by someone", "cloudformation.amazonaws.com", "DeleteStack", map[string]any{"stackName": "Iamguard"}, nil, g,
			"DeleteStack on iamguard's CloudFormation stack Iamguard", "cdk deploy"},
		{"stack updated by its ID", "cloudformation.amazonaws.com", "UpdateStack",
			map[string]any{"stackName": "arn:aws:cloudformation:us-east-1:" + acct + ":stack/Iamguard/0a1b2c3d"}, nil, g, "UpdateStack", ""},
		{"stack change set executed by the deploy role", "cloudformation.amazonaws.com", "ExecuteChangeSet", map[string]any{"stackName": "Iamguard", "changeSetName": "cdk-deploy-change-set"}, deployer, g, "", ""},
		{"role policy of iamguard's role", "iam.amazonaws.com", "PutRolePolicy", map[string]any{"roleName": "Iamguard-AuditGuardRoleB0A9E3DA-1A2B3C", "policyName": "x"}, nil, g,
			"PutRolePolicy on iamguard's IAM role", ""},
		{"unconfigured", "events.amazonaws.com", "DisableRule", map[string]any{"name": "Iamguard-TrailTamperingRule1-ABC"}, nil, Guardrail{}, "", ""},
		// The organisation shape: a member account's forwarding rules and
		// responder role carry the stack's name; the StackSet deploys them
		// as CloudFormation working as its member service-linked role.
		{"a member account's forwarding rule disabled", "events.amazonaws.com", "DisableRule", map[string]any{"name": "Iamguard-fwd-RootActivity2"}, nil, orgG,
			"DisableRule on iamguard's EventBridge rule Iamguard-fwd-RootActivity2", "find who disabled the rule"},
		{"a member account's responder role changed", "iam.amazonaws.com", "PutRolePolicy", map[string]any{"roleName": "Iamguard-responder", "policyName": "x"}, nil, orgG,
			"PutRolePolicy on iamguard's IAM role", ""},
		{"the StackSet updating a member's responder role", "iam.amazonaws.com", "PutRolePolicy", map[string]any{"roleName": "Iamguard-responder", "policyName": "iamguard-responder"},
			stackSetsMember, orgG, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := tamperRecord(t, tc.source, tc.call, tc.params, tc.identity)
			if !guardrailTampering.Matches(SummaryOf(rec)) {
				t.Errorf("the rule's patterns do not route %s %s", tc.source, tc.call)
			}
			fs := guardrailTampering.EvaluateWith(t.Context(), rec, nil, Settings{Guardrail: tc.settings})
			if tc.want == "" {
				if len(fs) != 0 {
					t.Errorf("finding %q, want none", fs[0].Summary)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			if fs[0].Severity.String() != "critical" || !strings.Contains(fs[0].Summary, tc.want) || !strings.Contains(fs[0].RemediationNote, tc.wantFix) {
				t.Errorf("finding = %s %q, fix %q", fs[0].Severity, fs[0].Summary, fs[0].RemediationNote)
			}
			wantPlan := tc.call == "DisableRule" || tc.call == "DisableKey" || tc.call == "ScheduleKeyDeletion" ||
				strings.HasPrefix(tc.call, "PutFunctionConcurrency") && tc.params["reservedConcurrentExecutions"] == 0
			if plan := fs[0].Remediation; wantPlan != (plan != nil) || plan != nil && plan.Parameters["Region"] != "us-east-1" {
				t.Errorf("remediation = %+v; only DisableRule and a limit of 0 plan one, in the event's Region", plan)
			}
		})
	}
	// A failed call changed nothing.
	rec := tamperRecord(t, "events.amazonaws.com", "DisableRule", map[string]any{"name": "Iamguard-TrailTamperingRule1-ABC"}, nil)
	rec.ErrorCode = "AccessDenied"
	if fs := guardrailTampering.EvaluateWith(t.Context(), rec, nil, Settings{Guardrail: g}); len(fs) != 0 {
		t.Errorf("failed call: %+v", fs)
	}
}
