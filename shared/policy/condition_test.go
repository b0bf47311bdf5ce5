package policy

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/shared/severity"
)

// harmless and admin stand for managed policies that iam:PolicyARN and
// iam:PermissionsBoundary conditions name.
var testManaged = map[string]string{
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": doc(`{"Effect":"Allow","Action":["ssm:UpdateInstanceInformation","ssmmessages:OpenDataChannel"],"Resource":"*"}`),
	"arn:aws:iam::aws:policy/ReadOnlyBoundary":             doc(`{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}`),
	"arn:aws:iam::aws:policy/AdministratorAccess":          doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`),
}

func testLookup(arn string) (*Document, bool) {
	text, ok := testManaged[arn]
	if !ok {
		return nil, false
	}
	d, err := Parse(text)
	return d, err == nil
}

// TestConditionsThatBlockEscalation shows, key by key, the statement whose
// Condition decides whether an escalation path completes: each block lowers
// the verdict and says why in an escalation-blocked finding; each near miss
// (a condition that does not prove the path blocked) keeps it high.
func TestConditionsThatBlockEscalation(t *testing.T) {
	const (
		ec2Run    = `{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}`
		lambdaNew = `{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}`
	)
	tests := []struct {
		name    string
		text    string
		lookup  bool // pass testLookup as Options.Policy
		want    severity.Severity
		paths   []string // completed paths
		blocked []string // paths an escalation-blocked finding names
		reason  string   // the escalation-blocked finding's Reason, when not ""
	}{
		// iam:PassedToService.
		{
			name: "PassedToService names only services no path uses (AmazonDynamoDBFullAccess)",
			text: doc(ec2Run, lambdaNew,
				`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":["application-autoscaling.amazonaws.com","application-autoscaling.amazonaws.com.cn","dax.amazonaws.com"]}}}`),
			want:    severity.Info,
			blocked: []string{"CreateEC2WithExistingIP", "PassExistingRoleToNewLambdaThenInvoke"},
			reason:  `statement 2 allows "iam:PassRole", but iam:PassedToService limits it to "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com.cn", "dax.amazonaws.com": that blocks privilege escalation via CreateEC2WithExistingIP and PassExistingRoleToNewLambdaThenInvoke`,
		},
		{
			name: "PassedToService names the path's service: the path completes, the other is blocked",
			text: doc(ec2Run, lambdaNew,
				`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}`),
			want:    severity.High,
			paths:   []string{"PassExistingRoleToNewLambdaThenInvoke"},
			blocked: []string{"CreateEC2WithExistingIP"},
		},
		{
			name:  "PassedToService as a pattern that admits ec2 (China partition spelling too)",
			text:  doc(ec2Run, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"ec2.amazonaws.com*"}}}`),
			want:  severity.High,
			paths: []string{"CreateEC2WithExistingIP"},
		},
		{
			name:  "a second, unlimited PassRole statement keeps every path",
			text:  doc(ec2Run, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"dax.amazonaws.com"}}}`, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"}`),
			want:  severity.High,
			paths: []string{"CreateEC2WithExistingIP"},
		},
		{
			name:  "StringNotEquals on PassedToService proves nothing",
			text:  doc(ec2Run, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringNotEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`),
			want:  severity.High,
			paths: []string{"CreateEC2WithExistingIP"},
		},
		// iam:PolicyARN.
		{
			name:    "PolicyARN limits attachment to a harmless managed policy (AWSQuickSetup...PermissionsBoundary)",
			text:    doc(`{"Effect":"Allow","Action":["iam:AttachRolePolicy","iam:DetachRolePolicy"],"Resource":"arn:aws:iam::*:role/*","Condition":{"ArnEquals":{"iam:PolicyARN":["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]}}}`),
			lookup:  true,
			want:    severity.Info,
			blocked: []string{"AttachRolePolicy"},
			reason:  `statement 0 allows "iam:AttachRolePolicy", but iam:PolicyARN limits it to "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", which rates at most info: that blocks privilege escalation via AttachRolePolicy`,
		},
		{
			name:   "PolicyARN that admits AdministratorAccess",
			text:   doc(`{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws:iam::*:role/*","Condition":{"ArnEquals":{"iam:PolicyARN":["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore","arn:aws:iam::aws:policy/AdministratorAccess"]}}}`),
			lookup: true,
			want:   severity.High,
			paths:  []string{"AttachRolePolicy"},
		},
		{
			name:  "PolicyARN without a way to look policies up stays conservative",
			text:  doc(`{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws:iam::*:role/*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}}}`),
			want:  severity.High,
			paths: []string{"AttachRolePolicy"},
		},
		{
			name:   "PolicyARN naming a policy the lookup does not know",
			text:   doc(`{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws:iam::*:role/*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::111122223333:policy/Custom"}}}`),
			lookup: true,
			want:   severity.High,
			paths:  []string{"AttachRolePolicy"},
		},
		{
			name:   "PolicyARN as a pattern",
			text:   doc(`{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws:iam::*:role/*","Condition":{"ArnLike":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AmazonSSM*"}}}`),
			lookup: true,
			want:   severity.High,
			paths:  []string{"AttachRolePolicy"},
		},
		{
			name:   "PolicyARN does not limit PutRolePolicy in the same statement",
			text:   doc(`{"Effect":"Allow","Action":["iam:AttachRolePolicy","iam:PutRolePolicy"],"Resource":"arn:aws:iam::*:role/*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}}}`),
			lookup: true,
			want:   severity.High,
			paths:  []string{"PutRolePolicy"},
			// AttachRolePolicy alone is blocked.
			blocked: []string{"AttachRolePolicy"},
		},
		// iam:PermissionsBoundary.
		{
			name:    "PermissionsBoundary: only principals bounded by a read-only boundary",
			text:    doc(`{"Effect":"Allow","Action":["iam:AttachRolePolicy","iam:PutRolePolicy"],"Resource":"arn:aws:iam::*:role/*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::aws:policy/ReadOnlyBoundary"}}}`),
			lookup:  true,
			want:    severity.Info,
			blocked: []string{"AttachRolePolicy", "PutRolePolicy"},
			reason:  `statement 0 allows "iam:AttachRolePolicy", "iam:PutRolePolicy", but iam:PermissionsBoundary limits it to principals bounded by "arn:aws:iam::aws:policy/ReadOnlyBoundary", which rates at most info: that blocks privilege escalation via AttachRolePolicy and PutRolePolicy`,
		},
		{
			name:   "PermissionsBoundary that is itself administrator",
			text:   doc(`{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::*:role/*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::aws:policy/AdministratorAccess"}}}`),
			lookup: true,
			want:   severity.High,
			paths:  []string{"PutRolePolicy"},
		},
		// aws:CalledVia and aws:ViaAWSService.
		{
			name:    "CalledVia a service that runs no caller-written calls (AWSServiceCatalogAppRegistryFullAccess)",
			text:    doc(`{"Effect":"Allow","Action":["cloudformation:UpdateStack","tag:GetResources"],"Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"servicecatalog-appregistry.amazonaws.com"}}}`),
			want:    severity.Info,
			blocked: []string{"UpdateExistingCloudFormationStack"},
			reason:  `statement 0 allows "cloudformation:UpdateStack", but aws:CalledVia limits it to calls made through "servicecatalog-appregistry.amazonaws.com": that blocks privilege escalation via UpdateExistingCloudFormationStack`,
		},
		{
			name:  "CalledVia CloudFormation, and the caller may create stacks: CloudFormation makes the call for it",
			text:  doc(`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}}`, `{"Effect":"Allow","Action":"cloudformation:CreateStack","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"AttachUserPolicy"},
		},
		{
			name:    "CalledVia CloudFormation, and no way to run a template",
			text:    doc(`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}}`),
			want:    severity.Info,
			blocked: []string{"AttachUserPolicy"},
		},
		{
			name:    "ViaAWSService true, and no way to run a template",
			text:    doc(`{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"*","Condition":{"Bool":{"aws:ViaAWSService":"true"}}}`),
			want:    severity.Info,
			blocked: []string{"EditExistingLambdaFunctionWithRole"},
		},
		{
			name:  "ViaAWSService true beside cloudformation:*",
			text:  doc(`{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"*","Condition":{"Bool":{"aws:ViaAWSService":"true"}}}`, `{"Effect":"Allow","Action":"cloudformation:*","Resource":"arn:aws:cloudformation:*:*:stack/app-*"}`),
			want:  severity.High,
			paths: []string{"EditExistingLambdaFunctionWithRole"},
		},
		{
			name:  "CalledVia IfExists: a direct call has no CalledVia and passes",
			text:  doc(`{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"*","Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:CalledVia":"athena.amazonaws.com"}}}`),
			want:  severity.High,
			paths: []string{"EditExistingLambdaFunctionWithRole"},
		},
		// Resource and request tags.
		{
			name:    "ResourceTag the policy cannot set (AWSForWordPressPluginPolicy)",
			text:    doc(`{"Effect":"Allow","Action":["cloudformation:UpdateStack","cloudfront:TagResource"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/createdBy":"AWSForWordPressPlugin"}}}`),
			want:    severity.Info,
			blocked: []string{"UpdateExistingCloudFormationStack"},
			reason:  `statement 0 allows "cloudformation:UpdateStack", but aws:ResourceTag/createdBy limits it to resources that already carry the tag, and the policy allows no cloudformation tagging action: that blocks privilege escalation via UpdateExistingCloudFormationStack`,
		},
		{
			name:  "ResourceTag the policy can set with cloudformation:TagResource",
			text:  doc(`{"Effect":"Allow","Action":"cloudformation:UpdateStack","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"data"}}}`, `{"Effect":"Allow","Action":"cloudformation:TagResource","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"UpdateExistingCloudFormationStack"},
		},
		{
			name:    "Null false on a resource tag: the tag must exist",
			text:    doc(`{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"*","Condition":{"Null":{"aws:ResourceTag/a2c-generated":"false"}}}`),
			want:    severity.Info,
			blocked: []string{"EditExistingLambdaFunctionWithRole"},
		},
		{
			name:  "RequestTag never blocks: the caller writes the request's tags",
			text:  doc(ec2Run, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"data"}}}`),
			want:  severity.High,
			paths: []string{"CreateEC2WithExistingIP"},
		},
		// ecs:container-name.
		{
			name:    "ExecuteCommand into named containers only (AWSRefactoringToolkitFullAccess)",
			text:    doc(`{"Effect":"Allow","Action":"ecs:ExecuteCommand","Resource":"*","Condition":{"StringLike":{"ecs:container-name":"a2c-sidecar"}}}`, `{"Effect":"Allow","Action":"ecs:DescribeTasks","Resource":"*"}`),
			want:    severity.Info,
			blocked: []string{"ExecuteCommandInECSTask"},
		},
		{
			name:  "ExecuteCommand into containers named by a pattern",
			text:  doc(`{"Effect":"Allow","Action":"ecs:ExecuteCommand","Resource":"*","Condition":{"StringLike":{"ecs:container-name":"app-*"}}}`, `{"Effect":"Allow","Action":"ecs:DescribeTasks","Resource":"*"}`),
			want:  severity.High,
			paths: []string{"ExecuteCommandInECSTask"},
		},
		// Any other condition keeps today's treatment.
		{
			name:  "MFA condition does not block",
			text:  doc(`{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
			want:  severity.High,
			paths: []string{"CreateAccessKey"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			var o Options
			if tc.lookup {
				o.Policy = testLookup
			}
			v := AnalyzeWith(d, o)
			if v.Severity != tc.want {
				t.Errorf("Severity = %v, want %v; reasons %q", v.Severity, tc.want, v.Reasons())
			}
			var paths, blocked []string
			reason := ""
			for _, f := range v.Findings {
				switch f.Kind {
				case KindPrivilegeEscalation:
					paths = append(paths, f.Paths...)
				case KindEscalationBlocked:
					blocked = append(blocked, f.Paths...)
					if reason == "" {
						reason = f.Reason
					}
					if f.Severity != severity.Info {
						t.Errorf("escalation-blocked finding at %v, want info", f.Severity)
					}
				}
			}
			if diff := cmp.Diff(tc.paths, paths); diff != "" {
				t.Errorf("completed paths (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.blocked, blocked); diff != "" {
				t.Errorf("blocked paths (-want +got):\n%s", diff)
			}
			if tc.reason != "" && reason != tc.reason {
				t.Errorf("blocked reason = %q\nwant %q", reason, tc.reason)
			}
		})
	}
}

// TestCallerNamedResources shows when a resource pattern narrower than a
// whole service still completes a path: a wildcard inside a name the caller
// chooses for a resource it creates, a type-wide pattern ("project/*"), and
// ssm:SendCommand's instances-and-document pair.
func TestCallerNamedResources(t *testing.T) {
	const passAny = `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"}`
	tests := []struct {
		name   string
		text   string
		paths  []string
		reason string // the escalation finding's Reason, when not ""
	}{
		{
			name:   "new function named *sagemaker* (AmazonSageMakerPipelinesIntegrations)",
			text:   doc(`{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:*:*:function:*sagemaker*"}`, passAny),
			paths:  []string{"PassExistingRoleToNewLambdaThenInvoke"},
			reason: `statements 0 and 1 together allow "iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction" on every IAM role in every account ("arn:aws:iam::*:role/*") and lambda resources with names the caller chooses ("arn:aws:lambda:*:*:function:*sagemaker*"): privilege escalation via PassExistingRoleToNewLambdaThenInvoke`,
		},
		{
			name:  "new training job on *Canvas* (AmazonSageMakerCanvasFullAccess)",
			text:  doc(`{"Effect":"Allow","Action":"sagemaker:CreateTrainingJob","Resource":"arn:aws:sagemaker:*:*:*Canvas*"}`, passAny),
			paths: []string{"PassExistingRoleToNewSageMakerTrainingJob"},
		},
		{
			name:  "a named prefix serves only paths that create the resource: UpdateFunctionCode on existing functions is not broad",
			text:  doc(`{"Effect":"Allow","Action":["lambda:UpdateFunctionCode","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:*:*:function:app-*"}`),
			paths: nil,
		},
		{
			name:  "a literal function name is the caller's choice of one function, not a pattern",
			text:  doc(`{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:us-east-1:111122223333:function:report"}`, passAny),
			paths: nil,
		},
		{
			name:  "PassRole on named roles only: the new function cannot take a powerful role",
			text:  doc(`{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:*:*:function:*"}`, `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/app-lambda"}`),
			paths: nil,
		},
		{
			name:  "StartBuild on every project (project/*) is every project",
			text:  doc(`{"Effect":"Allow","Action":"codebuild:StartBuild","Resource":"arn:aws:codebuild:*:*:project/*"}`),
			paths: []string{"StartExistingCodeBuildProject"},
		},
		{
			name:  "StartBuild on projects named sagemaker*: existing projects, not the caller's",
			text:  doc(`{"Effect":"Allow","Action":"codebuild:StartBuild","Resource":"arn:aws:codebuild:*:*:project/sagemaker*"}`),
			paths: nil,
		},
		{
			name:   "SendCommand on every instance with every document (AWSFaultInjectionSimulatorSSMAccess)",
			text:   doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ec2:*:*:instance/*","arn:aws:ssm:*:*:document/*"]}`),
			paths:  []string{"SendSSMCommand"},
			reason: `statement 0 allows "ssm:SendCommand" on every ec2 instance ("arn:aws:ec2:*:*:instance/*"): privilege escalation via SendSSMCommand`,
		},
		{
			name:  "SendCommand on every managed instance with AWS-RunPowerShellScript",
			text:  doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:*::document/AWS-RunPowerShellScript","arn:aws:ssm:*:*:managed-instance/*"]}`),
			paths: []string{"SendSSMCommand"},
		},
		{
			name:  "SendCommand on every instance with one harmless document (AWSBackupFullAccess)",
			text:  doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ec2:*:*:instance/*","arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot"]}`),
			paths: nil,
		},
		{
			name:  "SendCommand with every document on one instance",
			text:  doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ec2:us-east-1:111122223333:instance/i-0abc","arn:aws:ssm:*:*:document/*"]}`),
			paths: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			v := Analyze(d)
			var paths []string
			reason := ""
			for _, f := range v.Findings {
				if f.Kind == KindPrivilegeEscalation {
					paths = append(paths, f.Paths...)
					if reason == "" {
						reason = f.Reason
					}
				}
			}
			if diff := cmp.Diff(tc.paths, paths); diff != "" {
				t.Errorf("completed paths (-want +got):\n%s\nreasons %q", diff, v.Reasons())
			}
			if want := tc.paths != nil; (v.Severity == severity.High) != want {
				t.Errorf("Severity = %v, want high = %v", v.Severity, want)
			}
			if tc.reason != "" && reason != tc.reason {
				t.Errorf("reason = %q\nwant %q", reason, tc.reason)
			}
		})
	}
}

// TestCallerNamedPathsExist keeps callerNamedPaths in step with the table.
func TestCallerNamedPathsExist(t *testing.T) {
	for name := range callerNamedPaths {
		found := false
		for _, p := range escalationPaths {
			found = found || p.Name == name
		}
		if !found {
			t.Errorf("callerNamedPaths names %q, which is not in the escalation table", name)
		}
	}
}

// TestAlwaysTrueConditions: a condition that holds for every request that
// matters is no condition: "*" on "*" under it is critical, not high.
func TestAlwaysTrueConditions(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC) }
	admin := func(cond string) string {
		return doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + cond + `}`)
	}
	tests := []struct {
		name, cond string
		want       severity.Severity
	}{
		{"aws:CurrentTime after 1970", `{"DateGreaterThan":{"aws:CurrentTime":"1970-01-01T00:00:00Z"}}`, severity.Critical},
		{"aws:CurrentTime after a past date, day form", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-01-01"}}`, severity.Critical},
		{"aws:EpochTime above 0", `{"NumericGreaterThan":{"aws:EpochTime":"0"}}`, severity.Critical},
		{"StringNotEquals aws:username on one name", `{"StringNotEquals":{"aws:username":"no-such-user"}}`, severity.Critical},
		{"ArnNotLike aws:PrincipalArn on one role", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ghost"}}`, severity.Critical},
		{"two always-true keys", `{"NumericGreaterThan":{"aws:EpochTime":"0"},"StringNotEquals":{"aws:username":"x"}}`, severity.Critical},
		// Near misses: each can refuse a request that matters.
		{"aws:CurrentTime after a future date", `{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, severity.High},
		{"aws:CurrentTime before a date", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, severity.High},
		{"aws:EpochTime above a future second", `{"NumericGreaterThan":{"aws:EpochTime":"4102444800"}}`, severity.High},
		{"NumericGreaterThan on another key", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"0"}}`, severity.High},
		{"StringNotLike with a wildcard shuts out everyone", `{"StringNotLike":{"aws:username":"*"}}`, severity.High},
		{"a set operator on a multivalued key", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"x"}}`, severity.High},
		{"always-true beside MFA", `{"NumericGreaterThan":{"aws:EpochTime":"0"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, severity.High},
		{"an unreadable date", `{"DateGreaterThan":{"aws:CurrentTime":"yesterday"}}`, severity.High},
	}
	for _, tc := range tests {
		d, err := Parse(admin(tc.cond))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := Analyze(d).Severity; got != tc.want {
			t.Errorf("%s: Severity = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestDenyChecksBounded: Allow-by-Deny checks stop at maxDenyChecks; past it,
// Denies remove no more Allows, the conservative side.
func TestDenyChecksBounded(t *testing.T) {
	n := 1 << 11 // n allows x n denies = 4 Mi pairs, past the budget of 1 Mi
	var st []string
	for i := 0; i < n; i++ {
		st = append(st, fmt.Sprintf(`{"Sid":"A%d","Effect":"Allow","Action":"sns:Publish","Resource":"*"}`, i))
	}
	for i := 0; i < n-1; i++ {
		st = append(st, fmt.Sprintf(`{"Effect":"Deny","Action":"s3:Put%d","Resource":"*"}`, i))
	}
	st = append(st, `{"Effect":"Deny","Action":"sns:*","Resource":"*"}`)
	d, err := Parse(doc(st...))
	if err != nil {
		t.Fatal(err)
	}
	// The last Deny removes every Allow while the budget lasts: the first
	// maxDenyChecks/n of them; the rest are kept and each reported.
	kept := n - maxDenyChecks/n
	if got := len(Analyze(d).Findings); got != kept {
		t.Errorf("%d findings, want %d (the Allows past the budget)", got, kept)
	}
}
