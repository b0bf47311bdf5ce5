package policy

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/shared/severity"
)

// passRoleTo allows iam:PassRole on every role, only to the named service, as
// AWS's own FullAccess policies do.
func passRoleTo(svc string) string {
	return `{"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*",` +
		`"Condition":{"StringLike":{"iam:PassedToService":"` + svc + `"}}}`
}

// TestProwlerPaths checks each path taken from Prowler's combinations
// (srcProwler) with the statements that complete it, and, per family, a near
// miss that must not complete any path.
func TestProwlerPaths(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		want  severity.Severity
		paths []string // Paths of the escalation findings, in order (one per first statement); nil: none
	}{
		// IAM Identity Center.
		{
			name: "new permission set with a managed policy, assigned",
			text: doc(`{"Effect":"Allow","Action":["sso:CreatePermissionSet","sso:CreateAccountAssignment","sso:AttachManagedPolicyToPermissionSet"],"Resource":"arn:aws:sso:::*"}`),
			want: severity.High,
			// Attaching alone completes the existing-set path too.
			paths: []string{"CreateSSOPermissionSetWithManagedPolicyThenAssign", "AttachManagedPolicyToSSOPermissionSet"},
		},
		{
			name:  "managed policy attached to any permission set",
			text:  doc(`{"Effect":"Allow","Action":"sso:AttachManagedPolicyToPermissionSet","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"AttachManagedPolicyToSSOPermissionSet"},
		},
		{
			name:  "inline policy put into any permission set",
			text:  doc(`{"Effect":"Allow","Action":"sso:PutInlinePolicyToPermissionSet","Resource":["arn:aws:sso:::instance/*","arn:aws:sso:::*"]}`),
			want:  severity.High,
			paths: []string{"PutInlinePolicyToSSOPermissionSet"},
		},
		{
			name: "near miss: policies attached to one named permission set only",
			text: doc(`{"Effect":"Allow","Action":["sso:CreatePermissionSet","sso:CreateAccountAssignment"],"Resource":"*"}`,
				`{"Effect":"Allow","Action":"sso:AttachManagedPolicyToPermissionSet","Resource":["arn:aws:sso:::instance/ssoins-1111222233334444","arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-5555666677778888"]}`),
			want: severity.Info,
		},
		{
			name:  "sso:* is high by itself and by its paths",
			text:  doc(`{"Effect":"Allow","Action":"sso:*","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"CreateSSOPermissionSetWithManagedPolicyThenAssign", "AttachManagedPolicyToSSOPermissionSet", "PutInlinePolicyToSSOPermissionSet"},
		},

		// Permissions boundaries.
		{
			name:  "boundary removed from any user",
			text:  doc(`{"Effect":"Allow","Action":"iam:DeleteUserPermissionsBoundary","Resource":"arn:aws:iam::111122223333:user/*"}`),
			want:  severity.High,
			paths: []string{"DeleteUserPermissionsBoundary"},
		},
		{
			name:  "boundary removed from any role, which the caller can assume",
			text:  doc(`{"Effect":"Allow","Action":["iam:DeleteRolePermissionsBoundary","sts:AssumeRole"],"Resource":"arn:aws:iam::111122223333:role/*"}`),
			want:  severity.High,
			paths: []string{"DeleteRolePermissionsBoundaryThenAssumeRole"},
		},
		{
			name: "near miss: role boundaries removed, but no role assumed",
			text: doc(`{"Effect":"Allow","Action":["iam:DeleteRolePermissionsBoundary","iam:DeleteUserPermissionsBoundary"],"Resource":["arn:aws:iam::111122223333:role/*","arn:aws:iam::111122223333:user/alice"]}`),
			want: severity.None,
		},

		// EventBridge Scheduler and Step Functions.
		{
			name:  "schedule created with a passed role",
			text:  doc(`{"Effect":"Allow","Action":"scheduler:*","Resource":"*"}`, passRoleTo("scheduler.amazonaws.com")),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewSchedule"},
		},
		{
			name:  "state machine created with a passed role, then started",
			text:  doc(passRoleTo("states.amazonaws.com"), `{"Effect":"Allow","Action":["states:CreateStateMachine","states:StartExecution"],"Resource":"arn:aws:states:*:111122223333:*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewStateMachineThenStart"},
		},
		{
			name:  "existing state machine rewritten, then started",
			text:  doc(`{"Effect":"Allow","Action":["states:UpdateStateMachine","states:StartExecution"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"UpdateExistingStateMachineThenStart"},
		},
		{
			name: "near miss: schedules without a role to pass, one state machine rewritten",
			text: doc(`{"Effect":"Allow","Action":["scheduler:CreateSchedule","states:StartExecution"],"Resource":"*"}`,
				`{"Effect":"Allow","Action":"states:UpdateStateMachine","Resource":"arn:aws:states:us-east-1:111122223333:stateMachine:orders"}`),
			want: severity.Info,
		},

		// Batch.
		{
			name:  "job definition registered with a passed role, then submitted",
			text:  doc(passRoleTo("ecs-tasks.amazonaws.com"), `{"Effect":"Allow","Action":["batch:RegisterJobDefinition","batch:SubmitJob"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewBatchJobDefinitionThenSubmit", "SubmitExistingBatchJobDefinition"},
		},
		{
			name:  "job submitted on any job definition",
			text:  doc(`{"Effect":"Allow","Action":"batch:SubmitJob","Resource":"arn:aws:batch:*:*:*"}`),
			want:  severity.High,
			paths: []string{"SubmitExistingBatchJobDefinition"},
		},
		{
			name: "near miss: job definitions registered but never submitted",
			text: doc(passRoleTo("batch.amazonaws.com"), `{"Effect":"Allow","Action":["batch:RegisterJobDefinition","batch:Describe*"],"Resource":"*"}`),
			want: severity.Low,
		},

		// Compute and job services that run the caller's code with a passed role.
		{
			name:  "EMR cluster",
			text:  doc(passRoleTo("elasticmapreduce.amazonaws.com"), `{"Effect":"Allow","Action":"elasticmapreduce:RunJobFlow","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewEMRCluster"},
		},
		{
			name:  "EMR Serverless application and job run",
			text:  doc(passRoleTo("emr-serverless.amazonaws.com"), `{"Effect":"Allow","Action":["emr-serverless:CreateApplication","emr-serverless:StartJobRun"],"Resource":"arn:aws:emr-serverless:*:111122223333:*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewEMRServerlessApplicationThenRun"},
		},
		{
			name:  "Glue interactive session",
			text:  doc(passRoleTo("glue.amazonaws.com"), `{"Effect":"Allow","Action":["glue:CreateSession","glue:RunStatement"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewGlueSessionThenRun"},
		},
		{
			name:  "ECS StartTask with a task role override",
			text:  doc(passRoleTo("ecs-tasks.amazonaws.com"), `{"Effect":"Allow","Action":"ecs:StartTask","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToExistingECSTaskThenStart"},
		},
		{
			name:  "Cognito identity pool roles",
			text:  doc(passRoleTo("cognito-identity.amazonaws.com"), `{"Effect":"Allow","Action":"cognito-identity:SetIdentityPoolRoles","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToCognitoIdentityPool"},
		},
		{
			name:  "SSM Automation document",
			text:  doc(passRoleTo("ssm.amazonaws.com"), `{"Effect":"Allow","Action":["ssm:CreateDocument","ssm:StartAutomationExecution"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewSSMAutomationDocument"},
		},
		{
			name:  "Braket hybrid job",
			text:  doc(passRoleTo("braket.amazonaws.com"), `{"Effect":"Allow","Action":"braket:CreateJob","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewBraketJob"},
		},
		{
			name:  "Kinesis Data Analytics application",
			text:  doc(passRoleTo("kinesisanalytics.amazonaws.com"), `{"Effect":"Allow","Action":["kinesisanalytics:CreateApplication","kinesisanalytics:StartApplication"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewKinesisAnalyticsApplicationThenStart"},
		},
		{
			name:  "Image Builder image, by an action wildcard",
			text:  doc(passRoleTo("ec2.amazonaws.com"), `{"Effect":"Allow","Action":"imagebuilder:Create*","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewImageBuilderImage"},
		},
		{
			name:  "GameLift fleet",
			text:  doc(passRoleTo("gamelift.amazonaws.com"), `{"Effect":"Allow","Action":["gamelift:CreateBuild","gamelift:CreateFleet","gamelift:RequestUploadCredentials"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewGameLiftFleet"},
		},
		{
			name: "HealthOmics workflow reading its definition from any bucket",
			text: doc(passRoleTo("omics.amazonaws.com"), `{"Effect":"Allow","Action":["omics:CreateWorkflow","omics:StartRun"],"Resource":"*"}`,
				`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewOmicsWorkflowThenRun"},
		},
		{
			name: "near miss: one named role to pass, and Omics definitions from one bucket",
			text: doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/emr-default"}`,
				`{"Effect":"Allow","Action":["elasticmapreduce:RunJobFlow","omics:CreateWorkflow","omics:StartRun"],"Resource":"*"}`,
				`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::workflows/*"}`),
			want: severity.Info,
		},

		// CodeDeploy.
		{
			name:  "new revision deployed to an existing deployment group",
			text:  doc(`{"Effect":"Allow","Action":["codedeploy:CreateDeployment","codedeploy:RegisterApplicationRevision","codedeploy:Get*"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"DeployToExistingCodeDeployGroup"},
		},
		{
			name: "near miss: deployments of revisions already registered",
			text: doc(`{"Effect":"Allow","Action":["codedeploy:CreateDeployment","codedeploy:GetDeploymentConfig"],"Resource":"*"}`),
			want: severity.Info,
		},

		// Bedrock AgentCore.
		{
			name:  "command run in an existing runtime",
			text:  doc(`{"Effect":"Allow","Action":"bedrock-agentcore:InvokeAgentRuntimeCommand","Resource":"arn:aws:bedrock-agentcore:*:*:*"}`),
			want:  severity.High,
			paths: []string{"InvokeExistingAgentCoreRuntimeCommand"},
		},
		{
			name: "runtime created with a passed role, then a command run",
			text: doc(passRoleTo("bedrock-agentcore.amazonaws.com"),
				`{"Effect":"Allow","Action":["bedrock-agentcore:CreateAgentRuntime","bedrock-agentcore:CreateAgentRuntimeEndpoint","bedrock-agentcore:CreateWorkloadIdentity","bedrock-agentcore:InvokeAgentRuntimeCommand"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewAgentCoreRuntimeThenInvokeCommand", "InvokeExistingAgentCoreRuntimeCommand"},
		},
		{
			name: "Prowler's Harness combination, left out of the table, completes the runtime paths",
			text: doc(passRoleTo("bedrock-agentcore.amazonaws.com"),
				`{"Effect":"Allow","Action":["bedrock-agentcore:CreateHarness","bedrock-agentcore:CreateAgentRuntime","bedrock-agentcore:CreateAgentRuntimeEndpoint","bedrock-agentcore:CreateWorkloadIdentity","bedrock-agentcore:GetAgentRuntime","bedrock-agentcore:InvokeAgentRuntimeCommand"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewAgentCoreRuntimeThenInvokeCommand", "InvokeExistingAgentCoreRuntimeCommand"},
		},
		{
			name:  "remote driver on an existing browser",
			text:  doc(`{"Effect":"Allow","Action":["bedrock-agentcore:StartBrowserSession","bedrock-agentcore:ConnectBrowserAutomationStream"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"ConnectToExistingAgentCoreBrowser"},
		},
		{
			name: "browser created with a passed role, then driven",
			text: doc(passRoleTo("bedrock-agentcore.amazonaws.com"),
				`{"Effect":"Allow","Action":["bedrock-agentcore:CreateBrowser","bedrock-agentcore:StartBrowserSession","bedrock-agentcore:ConnectBrowserAutomationStream"],"Resource":"*"}`),
			want:  severity.High,
			paths: []string{"PassExistingRoleToNewAgentCoreBrowserThenConnect", "ConnectToExistingAgentCoreBrowser"},
		},
		{
			name: "near miss: browser sessions without the automation stream, runtimes without commands",
			text: doc(passRoleTo("bedrock-agentcore.amazonaws.com"),
				`{"Effect":"Allow","Action":["bedrock-agentcore:CreateBrowser","bedrock-agentcore:StartBrowserSession","bedrock-agentcore:CreateAgentRuntime","bedrock-agentcore:InvokeAgentRuntime"],"Resource":"*"}`),
			want: severity.Info,
		},
	}
	tested := map[string]bool{}
	for _, tc := range tests {
		for _, p := range tc.paths {
			tested[p] = true
		}
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.text)
			if err != nil {
				t.Fatalf("Parse() error = %v, want nil", err)
			}
			v := Analyze(d)
			if v.Severity != tc.want {
				t.Errorf("Analyze().Severity = %v, want %v (reasons: %q)", v.Severity, tc.want, v.Reasons())
			}
			var got []string
			for _, f := range v.Findings {
				if f.Kind == KindPrivilegeEscalation {
					got = append(got, f.Paths...)
				}
			}
			if diff := cmp.Diff(tc.paths, got); diff != "" {
				t.Errorf("escalation Paths mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, p := range escalationPaths {
		if p.Source == srcProwler && !tested[p.Name] {
			t.Errorf("path %s has no case in TestProwlerPaths", p.Name)
		}
	}
}

// TestSSOServiceWildcard checks that "sso:*" stays high when a Deny takes the
// table's actions out: IAM Identity Center has more ways to hand out
// administrator access than the escalation table names.
func TestSSOServiceWildcard(t *testing.T) {
	d, err := Parse(doc(`{"Effect":"Allow","Action":"sso:*","Resource":"*"}`,
		`{"Effect":"Deny","Action":["sso:AttachManagedPolicyToPermissionSet","sso:PutInlinePolicyToPermissionSet"],"Resource":"*"}`))
	if err != nil {
		t.Fatal(err)
	}
	v := Analyze(d)
	if diff := cmp.Diff([]string{"high service-wildcard [0]"}, summary(v)); diff != "" {
		t.Errorf("Analyze() findings mismatch (-want +got):\n%s", diff)
	}
	if i := slices.IndexFunc(v.Findings, func(f Finding) bool { return f.Kind == KindPrivilegeEscalation }); i >= 0 {
		t.Errorf("Analyze() reports escalation %v, want none: the Deny breaks every SSO path", v.Findings[i].Paths)
	}
}
