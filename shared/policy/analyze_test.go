package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/shared/severity"
)

// doc wraps statement objects in a 2012-10-17 document.
func doc(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// summary renders a finding as "severity kind [statements]" for compact tables.
func summary(v Verdict) []string {
	var out []string
	for _, f := range v.Findings {
		out = append(out, fmt.Sprintf("%s %s %v", f.Severity, f.Kind, f.Statements))
	}
	return out
}

// A real GetPolicyVersion answer for AdministratorAccess with a Sid: pretty
// printed, then URL-encoded (RFC 3986).
const urlEncodedAdmin = `%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%0A%20%20%20%20%20%20%22Sid%22%3A%20%22AllowAll%22%2C%0A%20%20%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%20%20%22Action%22%3A%20%22*%22%2C%0A%20%20%20%20%20%20%22Resource%22%3A%20%22*%22%0A%20%20%20%20%7D%0A%20%20%5D%0A%7D`

const urlEncodedS3 = `%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22s3%3AGetObject%22%2C%22s3%3APutObject%22%5D%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Areports-bucket%2F%2A%22%7D%5D%7D`

// TestParseAnalyze runs documents through Parse and Analyze and checks the
// severity, the findings ("severity kind [statements]") and, where given, the
// reasons, the escalation paths, or the exact parse error.
func TestParseAnalyze(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantErr  string
		want     severity.Severity
		findings []string
		reasons  []string // checked when not nil
		paths    []string // checked when not nil: Paths of the first escalation finding
	}{
		// Administrator access.
		{
			name:     "admin",
			text:     doc(`{"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
			reasons:  []string{`statement 0 ("AllowAll") allows every action ("*") on every resource ("*"): administrator access`},
		},
		{
			name:     "admin star-colon-star in arrays, lower-case effect",
			text:     doc(`{"Effect":"allow","Action":["*:*"],"Resource":["*"]}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "admin with NotResource",
			text:     doc(`{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::audit-logs/*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
			reasons:  []string{`statement 0 allows every action ("*") on every resource except "arn:aws:s3:::audit-logs/*" (NotResource): administrator access`},
		},
		{
			name:     "admin on arn wildcard resource",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:*:*:*:*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "admin under MFA condition",
			text:     doc(`{"Sid":"AdminWithMFA","Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
			want:     severity.High,
			findings: []string{"high admin-conditional [0]"},
			reasons:  []string{`statement 0 ("AdminWithMFA") allows every action ("*") on every resource ("*") under a condition on aws:MultiFactorAuthPresent: administrator access whenever the condition holds`},
		},
		{
			name:     "admin under boolean condition written as JSON true",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}`),
			want:     severity.High,
			findings: []string{"high admin-conditional [0]"},
		},
		{
			name:     "admin only on one bucket is not admin",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::reports-bucket/*"}`),
			want:     severity.None,
			findings: nil,
		},

		// NotAction.
		{
			name:     "NotAction on every resource (PowerUser shape)",
			text:     doc(`{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high not-action [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "NotAction with NotResource",
			text:     doc(`{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secrets/*"}`),
			want:     severity.High,
			findings: []string{"high not-action [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "NotAction on a whole-service resource wildcard",
			text:     doc(`{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}`),
			want:     severity.Medium,
			findings: []string{"medium not-action [0]"},
		},
		{
			name: "NotAction on one bucket",
			text: doc(`{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::reports-bucket"}`),
			want: severity.None,
		},
		{
			name: "NotAction of everything allows nothing",
			text: doc(`{"Effect":"Allow","NotAction":"*","Resource":"*"}`),
			want: severity.None,
		},
		{
			name: "NotResource of everything allows nothing",
			text: doc(`{"Effect":"Allow","Action":"*","NotResource":"*"}`),
			want: severity.None,
		},

		// Service wildcards.
		{
			name:     "iam:* on every resource",
			text:     doc(`{"Sid":"IAM","Effect":"Allow","Action":"iam:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "IAM:* upper case",
			text:     doc(`{"Effect":"Allow","Action":"IAM:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "sts:* alone",
			text:     doc(`{"Effect":"Allow","Action":"sts:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]"},
			reasons:  []string{`statement 0 allows every action of a whole service ("sts:*") on every resource ("*")`},
		},
		{
			name:     "organizations, kms and cloudtrail wildcards",
			text:     doc(`{"Effect":"Allow","Action":["organizations:*","kms:*"],"Resource":"*"}`, `{"Effect":"Allow","Action":"CloudTrail:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high service-wildcard [1]"},
		},
		{
			name:     "s3:* is medium",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name:     "s3:* on all buckets",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::*"]}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
			reasons:  []string{`statement 0 allows every action of a whole service ("s3:*") on every resource of a whole service ("arn:aws:s3:::*")`},
		},
		{
			// Every ec2 resource is as broad as "*" for ec2's own actions:
			// the user-data path completes as it does on "*".
			name:     "ec2:* on arn:aws:ec2:*:*:*",
			text:     doc(`{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]", "medium service-wildcard [0]"},
			paths:    []string{"ModifyInstanceUserData", "ModifyLaunchTemplate"},
		},
		{
			name:     "iam:* on every IAM resource of every account is high",
			text:     doc(`{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "s3:* on a whole-service resource of another service is medium",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:iam::*:*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			// ec2:* holds ModifyInstanceAttribute, StopInstances and
			// StartInstances: enough to rewrite an instance's user data.
			name:     "ec2:* on * completes the user-data path",
			text:     doc(`{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]", "medium service-wildcard [0]"},
			paths:    []string{"ModifyInstanceUserData", "ModifyLaunchTemplate"},
		},
		{
			name: "s3:* on one bucket is scoped",
			text: doc(`{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::reports-bucket","arn:aws:s3:::reports-bucket/*"]}`),
			want: severity.None,
		},

		// Resources as broad as "*" for the actions they go with: every
		// resource of the action's service, or every IAM user, role, group or
		// policy for the IAM actions that act on one.
		{
			name:     "iam:AttachUserPolicy on every user",
			text:     doc(`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::111122223333:user/*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			reasons:  []string{`statement 0 allows "iam:AttachUserPolicy" on every IAM user in the account ("arn:aws:iam::111122223333:user/*"): privilege escalation via AttachUserPolicy`},
			paths:    []string{"AttachUserPolicy"},
		},
		{
			name:     "iam:PutRolePolicy on every role",
			text:     doc(`{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111122223333:role/*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			reasons:  []string{`statement 0 allows "iam:PutRolePolicy" on every IAM role in the account ("arn:aws:iam::111122223333:role/*"): privilege escalation via PutRolePolicy`},
			paths:    []string{"PutRolePolicy"},
		},
		{
			name:     "iam:CreatePolicyVersion on every policy",
			text:     doc(`{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::111122223333:policy/*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			reasons:  []string{`statement 0 allows "iam:CreatePolicyVersion" on every IAM policy in the account ("arn:aws:iam::111122223333:policy/*"): privilege escalation via CreateNewPolicyVersion`},
			paths:    []string{"CreateNewPolicyVersion"},
		},
		{
			name: "iam:PassRole on every role with ec2:RunInstances on *",
			text: doc(`{"Sid":"Pass","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*"}`,
				`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0 1]"},
			reasons:  []string{`statements 0 ("Pass") and 1 together allow "iam:PassRole", "ec2:RunInstances" on every resource and every IAM role in the account ("arn:aws:iam::111122223333:role/*"): privilege escalation via CreateEC2WithExistingIP`},
			paths:    []string{"CreateEC2WithExistingIP"},
		},
		{
			name:     "iam:AddUserToGroup and AttachGroupPolicy on every group",
			text:     doc(`{"Effect":"Allow","Action":["iam:AddUserToGroup","iam:AttachGroupPolicy"],"Resource":"arn:aws:iam::*:group/*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			reasons:  []string{`statement 0 allows "iam:AttachGroupPolicy", "iam:AddUserToGroup" on every IAM group in every account ("arn:aws:iam::*:group/*"): privilege escalation via AttachGroupPolicy and AddUserToGroup`},
		},
		{
			name:     "iam:* on every IAM resource of the account is high",
			text:     doc(`{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
			reasons: []string{
				`statement 0 allows every action of a whole service ("iam:*") on every resource of a whole service ("arn:aws:iam::111122223333:*")`,
				`statement 0 allows "iam:*" on every IAM resource in the account ("arn:aws:iam::111122223333:*"): privilege escalation via CreateNewPolicyVersion, SetExistingDefaultPolicyVersion, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile and 17 more`,
			},
		},
		{
			// IAM administrator is account administrator, but critical stays
			// reserved for "*" on "*".
			name:     "* on every IAM resource of the account is high",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::111122223333:*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "NotAction s3:* on every IAM resource is high",
			text:     doc(`{"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:iam::*:*"}`),
			want:     severity.High,
			findings: []string{"high not-action [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "* on every bucket stays medium",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
			reasons:  []string{`statement 0 allows every action ("*") on every resource of a whole service ("arn:aws:s3:::*")`},
		},
		{
			name: "iam:GetUser on every user is read-only",
			text: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::111122223333:user/*"}`),
			want: severity.None,
		},
		{
			name: "s3:GetObject on one bucket's objects",
			text: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`),
			want: severity.None,
		},
		{
			// One named user is not broad: the policy lets its holder escalate
			// only as far as alice's own permissions, which this document
			// cannot see. Kept as before: no finding.
			name: "iam:AttachUserPolicy on one user is not broad",
			text: doc(`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::111122223333:user/alice"}`),
			want: severity.None,
		},
		{
			name: "iam:AttachUserPolicy on every role is the wrong type",
			text: doc(`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::111122223333:role/*"}`),
			want: severity.None,
		},
		{
			name: "iam:PassRole on roles under a path is not broad",
			text: doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app/*"}`,
				`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [1]"},
		},

		// Action patterns that match every action by meaning.
		{
			name:     "admin spelt *:?*",
			text:     doc(`{"Effect":"Allow","Action":"*:?*","Resource":"*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
			reasons:  []string{`statement 0 allows every action ("*:?*") on every resource ("*"): administrator access`},
		},
		{
			name:     "admin spelt ?*:*, *?, ** and *:*?",
			text:     doc(`{"Effect":"Allow","Action":"?*:*","Resource":"*"}`, `{"Effect":"Allow","Action":"*?","Resource":"*"}`, `{"Effect":"Allow","Action":"**","Resource":"*"}`, `{"Effect":"Allow","Action":"*:*?","Resource":"*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]", "critical admin [1]", "critical admin [2]", "critical admin [3]"},
		},
		{
			name:     "iam:?* is iam:*",
			text:     doc(`{"Effect":"Allow","Action":"iam:?*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "?:* is not every action",
			text:     doc(`{"Effect":"Allow","Action":"?:*","Resource":"*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name: "NotAction *:?* allows nothing",
			text: doc(`{"Effect":"Allow","NotAction":"*:?*","Resource":"*"}`),
			want: severity.None,
		},

		// Conditions that never restrict do not lower administrator access.
		{
			name:     "admin under Bool aws:SecureTransport true and false",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":["true","false"]}}}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
			reasons:  []string{`statement 0 allows every action ("*") on every resource ("*") under a condition on aws:SecureTransport that always holds: administrator access`},
		},
		{
			name:     "admin under StringLike * on a key every request carries",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"*"}}}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "admin under StringLikeIfExists * on any key",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLikeIfExists":{"aws:PrincipalTag/team":"*"}}}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "admin under Null true and false",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":["true","false"]}}}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			// StringLike "*" fails when the key is absent: this one requires
			// the principal to carry a team tag, which does restrict.
			name:     "admin under StringLike * on a tag that may be absent stays high",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"*"}}}`),
			want:     severity.High,
			findings: []string{"high admin-conditional [0]"},
		},
		{
			name:     "admin under Bool aws:SecureTransport true only stays high",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`),
			want:     severity.High,
			findings: []string{"high admin-conditional [0]"},
		},
		{
			name:     "admin under a vacuous condition and MFA stays high",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":["true","false"]},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
			want:     severity.High,
			findings: []string{"high admin-conditional [0]"},
		},

		// Read and other action wildcards.
		{
			name:     "read-only wildcards",
			text:     doc(`{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*","iam:Get*","*:List*"],"Resource":"*"}`),
			want:     severity.Low,
			findings: []string{"low read-wildcard [0]"},
			reasons:  []string{`statement 0 allows read-only wildcard actions ("s3:Get*", "ec2:Describe*", "iam:Get*", "*:List*") on every resource ("*")`},
		},
		{
			name:     "read wildcard with ? and BatchGet",
			text:     doc(`{"Effect":"Allow","Action":["dynamodb:BatchGet*","s3:Get?bject"],"Resource":"*"}`),
			want:     severity.Low,
			findings: []string{"low read-wildcard [0]"},
		},
		{
			name:     "write wildcard s3:Put* is medium",
			text:     doc(`{"Effect":"Allow","Action":"s3:Put*","Resource":"*"}`),
			want:     severity.Medium,
			findings: []string{"medium action-wildcard [0]"},
		},
		{
			name:     "wildcard of unknown reach is low",
			text:     doc(`{"Effect":"Allow","Action":["iam:Simulate*","athena:Batch*"],"Resource":"*"}`),
			want:     severity.Low,
			findings: []string{"low action-wildcard [0]"},
		},
		{
			name: "read wildcard on specific resources",
			text: doc(`{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports-bucket/*"}`),
			want: severity.None,
		},

		// Named actions on every resource.
		{
			name:     "sns:Publish on *",
			text:     doc(`{"Sid":"Notify","Effect":"Allow","Action":"sns:Publish","Resource":"*"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [0]"},
			reasons:  []string{`statement 0 ("Notify") allows "sns:Publish" on every resource ("*")`},
		},
		{
			name:     "iam:PassRole alone is no escalation",
			text:     doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [0]"},
		},
		{
			name: "specific actions on specific resources",
			text: doc(`{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/Orders"}`),
			want: severity.None,
		},

		// Privilege escalation.
		{
			name:     "PassRole and RunInstances in one statement",
			text:     doc(`{"Sid":"Launch","Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			reasons:  []string{`statement 0 ("Launch") allows "iam:PassRole", "ec2:RunInstances" on every resource: privilege escalation via CreateEC2WithExistingIP`},
			paths:    []string{"CreateEC2WithExistingIP"},
		},
		{
			name:     "PassRole and RunInstances across statements",
			text:     doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`, `{"Sid":"Run","Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0 1]"},
			reasons:  []string{`statements 0 and 1 ("Run") together allow "iam:PassRole", "ec2:RunInstances" on every resource: privilege escalation via CreateEC2WithExistingIP`},
			paths:    []string{"CreateEC2WithExistingIP"},
		},
		{
			name: "PassRole on * but RunInstances on one subnet only",
			text: doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`,
				`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [0]"},
		},
		{
			name:     "PassRole, lambda:CreateFunction and lambda:InvokeFunction",
			text:     doc(`{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"PassExistingRoleToNewLambdaThenInvoke"},
		},
		{
			name:     "PassRole and lambda:CreateFunction without a trigger is no escalation",
			text:     doc(`{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction"],"Resource":"*"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [0]"},
		},
		{
			name:     "iam:*Policy completes the policy paths",
			text:     doc(`{"Effect":"Allow","Action":"iam:*Policy","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]", "medium action-wildcard [0]"},
			paths: []string{"AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "PutUserPolicy", "PutGroupPolicy",
				"PutRolePolicy", "UpdateRolePolicyToAssumeIt", "AttachRolePolicyThenUpdateAssumeRolePolicy", "PutRolePolicyThenUpdateAssumeRolePolicy"},
		},
		{
			name:     "iam:CreateAccessKey alone",
			text:     doc(`{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"CreateAccessKey"},
		},
		{
			name:     "iam:CreatePolicyVersion alone",
			text:     doc(`{"Effect":"Allow","Action":"iam:createpolicyversion","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"CreateNewPolicyVersion"},
		},
		{
			name:     "CreatePolicyVersion with sts:AssumeRole",
			text:     doc(`{"Effect":"Allow","Action":["iam:CreatePolicyVersion","sts:AssumeRole"],"Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"CreateNewPolicyVersion", "CreatePolicyVersionThenAssumeRole"},
		},
		{
			name:     "lambda:UpdateFunctionConfiguration alone",
			text:     doc(`{"Effect":"Allow","Action":"lambda:UpdateFunctionConfiguration","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"UpdateLambdaFunctionConfiguration"},
		},
		{
			name:     "ssm:SendCommand alone",
			text:     doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]"},
			paths:    []string{"SendSSMCommand"},
		},
		{
			name:     "ssm:SendCommand on specific instances only",
			text:     doc(`{"Effect":"Allow","Action":"ssm:SendCommand","Resource":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"}`),
			want:     severity.None,
			findings: nil,
		},
		{
			name:     "SendSSHPublicKey with a read wildcard",
			text:     doc(`{"Effect":"Allow","Action":"ec2-instance-connect:SendSSHPublicKey","Resource":"*"}`, `{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0 1]", "low read-wildcard [1]"},
			paths:    []string{"SendSSHPublicKey"},
		},
		{
			name: "glue job needs a start or a trigger",
			text: doc(`{"Effect":"Allow","Action":["iam:PassRole","glue:CreateJob","glue:CreateTrigger"],"Resource":"*"}`),
			want: severity.High, findings: []string{"high privilege-escalation [0]"},
			paths: []string{"PassExistingRoleToNewGlueJobThenTrigger"},
		},
		{
			name: "ECS task definition and service with PassRole",
			text: doc(`{"Effect":"Allow","Action":["iam:PassRole"],"Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}`,
				`{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:CreateService"],"Resource":"*"}`),
			want: severity.High, findings: []string{"high privilege-escalation [0 1]"},
			paths: []string{"PassExistingRoleToNewECSService"},
		},
		{
			name:     "escalation next to named actions lists only the others",
			text:     doc(`{"Effect":"Allow","Action":["iam:CreateLoginProfile","sns:Publish"],"Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high privilege-escalation [0]", "info resource-wildcard [0]"},
			reasons: []string{
				`statement 0 allows "iam:CreateLoginProfile" on every resource: privilege escalation via CreateLoginProfile`,
				`statement 0 allows "sns:Publish" on every resource ("*")`,
			},
		},
		{
			name:     "iam:* lists a capped number of paths",
			text:     doc(`{"Effect":"Allow","Action":"iam:*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
			reasons: []string{
				`statement 0 allows every action of a whole service ("iam:*") on every resource ("*")`,
				`statement 0 allows "iam:*" on every resource: privilege escalation via CreateNewPolicyVersion, SetExistingDefaultPolicyVersion, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile and 17 more`,
			},
		},
		{
			name:     "admin statement reports no separate escalation",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]", "info resource-wildcard [1]"},
		},

		// Deny.
		{
			name: "Deny only",
			text: doc(`{"Effect":"Deny","Action":"*","Resource":"*"}`),
			want: severity.None,
		},
		{
			name:     "Deny all removes Allow all",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"*","Resource":"*"}`),
			want:     severity.None,
			findings: nil,
		},
		{
			name: "Deny iam:* removes iam:Attach* and iam:CreateUser",
			text: doc(`{"Effect":"Allow","Action":["iam:Attach*","iam:CreateUser"],"Resource":"*"}`, `{"Effect":"DENY","Action":"iam:*","Resource":"*"}`),
			want: severity.None,
		},
		{
			name: "Deny made of two statements removes the Allow",
			text: doc(`{"Effect":"Allow","Action":["iam:CreateAccessKey","s3:Put*"],"Resource":"*"}`,
				`{"Effect":"Deny","Action":"iam:Create*","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`),
			want: severity.None,
		},
		{
			name:     "Deny of part of the actions keeps the Allow",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"iam:*","Resource":"*"}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "Deny of part of the resources keeps the Allow",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::audit-logs/*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name:     "Deny with a Condition removes nothing",
			text:     doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`),
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "Deny narrower than the Allow pattern keeps it",
			text:     doc(`{"Effect":"Allow","Action":"iam:*","Resource":"*"}`, `{"Effect":"Deny","Action":"iam:Attach*","Resource":"*"}`),
			want:     severity.High,
			findings: []string{"high service-wildcard [0]", "high privilege-escalation [0]"},
		},
		{
			name:     "Deny on the Allow's bucket removes it",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}`, `{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*"}`),
			want:     severity.None,
			findings: nil,
		},
		{
			name:     "Deny takes an action out of an escalation path",
			text:     doc(`{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}`, `{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}`),
			want:     severity.Info,
			findings: []string{"info resource-wildcard [0]"},
			reasons:  []string{`statement 0 allows "iam:PassRole", "ec2:RunInstances" on every resource ("*")`},
		},
		{
			name:     "Deny NotAction removes Allow of the excluded rest",
			text:     doc(`{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}`, `{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}`),
			want:     severity.None,
			findings: nil,
		},
		{
			name:     "Deny NotAction that spares the Allow keeps it",
			text:     doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, `{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name:     "Deny all removes NotAction Allow",
			text:     doc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, `{"Effect":"Deny","Action":"*","Resource":"*"}`),
			want:     severity.None,
			findings: nil,
		},

		// Trust policies, conditions, grammar forms.
		{
			name: "trust policy without Resource",
			text: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}`,
			want: severity.None,
		},
		{
			name: "trust policy with Principal * and a condition",
			text: doc(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}`),
			want: severity.None,
		},
		{
			name:     "statement as a single object",
			text:     `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
		},
		{
			name:     "element names in any case",
			text:     `{"version":"2012-10-17","statement":[{"effect":"Allow","action":"s3:*","resource":"*"}]}`,
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name:     "URL-encoded admin (GetPolicyVersion)",
			text:     urlEncodedAdmin,
			want:     severity.Critical,
			findings: []string{"critical admin [0]"},
			reasons:  []string{`statement 0 ("AllowAll") allows every action ("*") on every resource ("*"): administrator access`},
		},
		{
			name: "URL-encoded scoped document",
			text: urlEncodedS3,
			want: severity.None,
		},
		{
			name:     "JSON wrapped in a JSON string",
			text:     `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"`,
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [0]"},
		},
		{
			name:     "findings sorted by severity, then statement",
			text:     doc(`{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}`, `{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}`, `{"Effect":"Allow","Action":"sqs:*","Resource":"*"}`, `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`),
			want:     severity.Medium,
			findings: []string{"medium service-wildcard [2]", "medium service-wildcard [3]", "low read-wildcard [1]", "info resource-wildcard [0]"},
		},
		{
			name: "empty statement list",
			text: `{"Version":"2012-10-17","Statement":[]}`,
			want: severity.None,
		},

		// Malformed documents.
		{
			name:    "Effect misspelt",
			text:    doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`, `{"Sid":"S3","Effect":"Alow","Action":"s3:*","Resource":"*"}`),
			wantErr: `policy: statement 2 ("S3"): Effect "Alow" is neither Allow nor Deny`,
		},
		{
			name:    "Sid after the bad Effect is still reported",
			text:    doc(`{"Effect":"Permit","Action":"s3:*","Resource":"*","Sid":"Late"}`),
			wantErr: `policy: statement 0 ("Late"): Effect "Permit" is neither Allow nor Deny`,
		},
		{
			name:    "Action is a number",
			text:    doc(`{"Effect":"Allow","Action":42,"Resource":"*"}`),
			wantErr: `policy: statement 0: Action must be a string or an array of strings, got number`,
		},
		{
			name:    "Action array holds an object",
			text:    doc(`{"Effect":"Allow","Action":["s3:GetObject",{"x":1}],"Resource":"*"}`),
			wantErr: `policy: statement 0: Action[1] must be a string, got object`,
		},
		{
			name:    "Action is an empty array",
			text:    doc(`{"Effect":"Allow","Action":[],"Resource":"*"}`),
			wantErr: `policy: statement 0: Action must not be an empty array`,
		},
		{
			name:    "invalid JSON",
			text:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow" "Action":"*","Resource":"*"}]}`,
			wantErr: `policy: invalid JSON at offset 55: unexpected character '"', want ',' or '}' after an object member`,
		},
		{
			name:    "truncated JSON",
			text:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow"`,
			wantErr: `policy: invalid JSON at offset 54: unexpected end of input, want ',' or '}' after an object member`,
		},
		{
			name:    "syntax error wins over an earlier structural error",
			text:    `{"Statement":[{"Effect":"Alow","Action":"*","Resource":"*"}],}`,
			wantErr: `policy: invalid JSON at offset 61: unexpected character '}', want a member name in double quotes`,
		},
		{
			name:    "Statement missing",
			text:    `{"Version":"2012-10-17"}`,
			wantErr: `policy: Statement is missing`,
		},
		{
			name:    "Statement is a string",
			text:    `{"Version":"2012-10-17","Statement":"Allow everything"}`,
			wantErr: `policy: Statement must be an object or an array of objects, got string`,
		},
		{
			name:    "statement is not an object",
			text:    doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `"oops"`),
			wantErr: `policy: statement 1: must be an object, got string`,
		},
		{
			name:    "Action and NotAction",
			text:    doc(`{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}`),
			wantErr: `policy: statement 0: has both Action and NotAction`,
		},
		{
			name:    "neither Action nor NotAction",
			text:    doc(`{"Sid":"Empty","Effect":"Allow","Resource":"*"}`),
			wantErr: `policy: statement 0 ("Empty"): needs Action or NotAction`,
		},
		{
			name:    "Resource and NotResource",
			text:    doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"arn:aws:s3:::x"}`),
			wantErr: `policy: statement 0: has both Resource and NotResource`,
		},
		{
			name:    "neither Resource nor NotResource nor Principal",
			text:    doc(`{"Effect":"Allow","Action":"s3:*"}`),
			wantErr: `policy: statement 0: needs Resource or NotResource`,
		},
		{
			name:    "Effect missing",
			text:    doc(`{"Action":"s3:*","Resource":"*"}`),
			wantErr: `policy: statement 0: Effect is missing`,
		},
		{
			name:    "duplicate Action",
			text:    doc(`{"Effect":"Allow","Action":"s3:GetObject","action":"*","Resource":"*"}`),
			wantErr: `policy: statement 0: duplicate Action element`,
		},
		{
			name:    "Condition value is an object",
			text:    doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":"b"}}}}`),
			wantErr: `policy: statement 0: Condition["StringEquals"]["aws:username"] must be a string, number, boolean or an array of them, got object`,
		},
		{
			name:    "Principal is an ARN string",
			text:    doc(`{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"sts:AssumeRole"}`),
			wantErr: `policy: statement 0: Principal must be "*" or an object, got string "arn:aws:iam::111122223333:root"`,
		},
		{
			name:    "document is an array",
			text:    `[{"Effect":"Allow","Action":"*","Resource":"*"}]`,
			wantErr: `policy: document must be a JSON object, got array`,
		},
		{
			name:    "empty text",
			text:    "  \n",
			wantErr: `policy: invalid JSON at offset 3: unexpected end of input, want a policy document`,
		},
		{
			name:    "bad URL escape",
			text:    `%7B%22Version%ZZ`,
			wantErr: `policy: invalid URL encoding: invalid URL escape "%ZZ"`,
		},
		{
			name:    "trailing data",
			text:    doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`) + ` {}`,
			wantErr: `policy: invalid JSON at offset 86: unexpected character '{', want end of input after the document`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.text)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse() = %+v, nil; want error %q", d, tc.wantErr)
				}
				if got := err.Error(); got != tc.wantErr {
					t.Fatalf("Parse() error = %q, want %q", got, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v, want nil", err)
			}
			v := Analyze(d)
			if v.Severity != tc.want {
				t.Errorf("Analyze().Severity = %v, want %v (reasons: %q)", v.Severity, tc.want, v.Reasons())
			}
			if diff := cmp.Diff(tc.findings, summary(v)); diff != "" {
				t.Errorf("Analyze() findings mismatch (-want +got):\n%s", diff)
			}
			if tc.reasons != nil {
				if diff := cmp.Diff(tc.reasons, v.Reasons()); diff != "" {
					t.Errorf("Analyze().Reasons() mismatch (-want +got):\n%s", diff)
				}
			}
			if tc.paths != nil {
				var got []string
				for _, f := range v.Findings {
					if f.Kind == KindPrivilegeEscalation {
						got = f.Paths
						break
					}
				}
				if diff := cmp.Diff(tc.paths, got); diff != "" {
					t.Errorf("escalation Paths mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}
