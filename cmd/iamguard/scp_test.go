package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

// scpAdmins are the administrators the golden files are rendered for: a
// break-glass role and an IAM Identity Center permission set's roles
// (their path is part of the role's ARN).
const scpAdmins = "arn:aws:iam::111122223333:role/BreakGlass," +
	"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAdmin_*"

var scpNames = []string{"iamguard-deny-trail-tampering", "iamguard-protect-guardrail", "iamguard-protect-tags", "iamguard-deny-leave-organization"}

// renderDefault renders the policies as the golden files hold them.
func renderDefault(t *testing.T) map[string]scpPolicy {
	t.Helper()
	admins, err := principalPatterns("--admin-arns", scpAdmins)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := renderSCPs(scpSettings{StackName: "Iamguard", AdminARNs: admins, DeployRoles: defaultDeployRoles})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]scpPolicy{}
	var names []string
	for _, p := range ps {
		out[p.Name] = p
		names = append(names, p.Name)
	}
	if !slices.Equal(names, scpNames) {
		t.Fatalf("policies %v, want %v", names, scpNames)
	}
	return out
}

// TestSCPGolden: --out writes each policy minified, as AWS counts it; the
// golden files hold them indented, for review (go test -update rewrites them).
func TestSCPGolden(t *testing.T) {
	dir := t.TempDir()
	r := runIn(t, "", "scp", "--admin-arns", scpAdmins, "--out", dir)
	if r.code != exitOK {
		t.Fatalf("scp --out: exit %d\n%s", r.code, r.stderr)
	}
	for _, name := range scpNames {
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(compact.Bytes(), b) {
			t.Errorf("%s is not minified: %d bytes, %d compacted", name, len(b), compact.Len())
		}
		if !strings.Contains(r.stdout, name+".json\t"+itoa(len(b))+" characters") {
			t.Errorf("stdout does not give %s's size %d:\n%s", name, len(b), r.stdout)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		golden.Check(t, filepath.Join("testdata", "scp", name+".json"), indented.Bytes())
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestSCPSize: every policy fits the SCP quota with the defaults and with
// ten long administrator ARNs; a list too long to fit is refused, naming
// the policy, rather than rendered into a document AWS would reject.
func TestSCPSize(t *testing.T) {
	for name, p := range renderDefault(t) {
		b, err := minifiedSCP(p.Content)
		if err != nil {
			t.Fatal(err)
		}
		if p.Characters != len(b) || p.Characters > maxSCPCharacters {
			t.Errorf("%s: %d characters (recorded %d), quota %d", name, len(b), p.Characters, maxSCPCharacters)
		}
	}
	var ten []string
	for i := range 10 {
		ten = append(ten, "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_BreakGlass"+strings.Repeat("x", i)+"_*")
	}
	if r := runIn(t, "", "scp", "--format", "json", "--stack-name", "IamguardProductionSecurity", "--admin-arns", strings.Join(ten, ",")); r.code != exitOK {
		t.Errorf("ten administrators: exit %d\n%s", r.code, r.stderr)
	}
	var many []string
	for range 60 {
		many = append(many, ten...)
	}
	r := runIn(t, "", "scp", "--admin-arns", strings.Join(many, ","))
	if r.code != exitUsage || !strings.Contains(r.stderr, "policy iamguard-protect-tags has") || !strings.Contains(r.stderr, "over the 5120") {
		t.Errorf("600 administrators: exit %d, want %d and the policy named\n%s", r.code, exitUsage, r.stderr)
	}
}

// TestSCPAnalysis: iamguard's own policy analysis reads each policy as IAM
// grammar, and a document of Deny statements grants nothing to rate.
func TestSCPAnalysis(t *testing.T) {
	for name, p := range renderDefault(t) {
		b, err := minifiedSCP(p.Content)
		if err != nil {
			t.Fatal(err)
		}
		d, err := policy.Parse(string(b))
		if err != nil {
			t.Errorf("policy.Parse(%s) = %v", name, err)
			continue
		}
		if len(d.Statements) != len(p.Content.Statement) {
			t.Errorf("%s: parsed %d statements, rendered %d", name, len(d.Statements), len(p.Content.Statement))
		}
		for i, s := range d.Statements {
			if !s.IsDeny() || len(s.Action) == 0 || len(s.Resource) == 0 || len(s.NotAction)+len(s.NotResource) > 0 || s.Principal != nil {
				t.Errorf("%s statement %d (%s): want a Deny with Action and Resource, no NotAction, NotResource or Principal", name, i, s.Sid)
			}
		}
		if v := policy.Analyze(d); v.Severity != severity.None || len(v.Findings) > 0 {
			t.Errorf("policy.Analyze(%s) = %v %v, want none", name, v.Severity, v.Reasons())
		}
	}
}

// denied reports whether a statement of the policy denies the action on
// the resource, to someone other than the principal.
func denied(p scpPolicy, action, resource, principal string) bool {
	for _, s := range p.Content.Statement {
		if !slices.ContainsFunc(s.Action, func(a string) bool { return policy.MatchAction(a, action) }) ||
			!slices.ContainsFunc(s.Resource, func(r string) bool { return policy.MatchResource(r, resource) }) {
			continue
		}
		if slices.ContainsFunc(s.Condition["ArnNotLike"]["aws:PrincipalArn"], func(r string) bool { return policy.MatchResource(r, principal) }) {
			continue
		}
		return true
	}
	return false
}

// TestSCPCoversTheRules: the trail policy denies exactly the calls the
// trail-tampering rule reports, and the guardrail policy every call
// guardrail-tampering reports on a resource of the stack, but the two SNS
// subscription calls (see README: a subscription is not the topic's ARN).
func TestSCPCoversTheRules(t *testing.T) {
	ps := renderDefault(t)
	trail := ps["iamguard-deny-trail-tampering"]
	want, err := trailActions()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, trail.Content.Statement[0].Action); diff != "" {
		t.Errorf("trail policy actions (-rule +policy):\n%s", diff)
	}
	for _, a := range []string{"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"} {
		if !slices.Contains(want, a) {
			t.Errorf("trail-tampering does not watch %s", a)
		}
	}

	r, _ := rules.ByID("guardrail-tampering")
	service := map[string]string{"aws.events": "events", "aws.lambda": "lambda", "aws.sns": "sns", "aws.sqs": "sqs", "aws.kms": "kms",
		"aws.cloudformation": "cloudformation", "aws.cloudwatch": "cloudwatch", "aws.iam": "iam", "aws.dynamodb": "dynamodb"}
	// One resource of the stack per service, named as CloudFormation names them.
	resource := map[string]string{
		"events":         "arn:aws:events:us-east-1:111122223333:rule/Iamguard-TrailTamperingRule-1A2B3C4D5E6F",
		"lambda":         "arn:aws:lambda:us-east-1:111122223333:function:Iamguard-audit-guard",
		"sns":            "arn:aws:sns:us-east-1:111122223333:Iamguard-AlertsTopicB1E5C2D3-AbCdEf123456",
		"sqs":            "arn:aws:sqs:us-east-1:111122223333:IamguardForward-eu-west-1-ForwardDeadLetters1A2B-AbCdEf123456",
		"kms":            "arn:aws:kms:us-east-1:111122223333:key/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
		"cloudformation": "arn:aws:cloudformation:us-east-1:111122223333:stack/Iamguard/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
		"cloudwatch":     "arn:aws:cloudwatch:us-east-1:111122223333:alarm:Iamguard-BlindAlarm1A2B3C4D-AbCdEf123456",
		"iam":            "arn:aws:iam::111122223333:role/Iamguard-AuditGuardRole1A2B3C4D-AbCdEf123456",
		"dynamodb":       "arn:aws:dynamodb:us-east-1:111122223333:table/Iamguard-OutcomeTable1A2B3C4D-AbCdEf123456",
	}
	guard := ps["iamguard-protect-guardrail"]
	const attacker = "arn:aws:iam::111122223333:role/Developer"
	// The functions' own roles claim and record outcomes; nobody else may
	// write a forged outcome (it would be replayed instead of acting).
	const ownRole = "arn:aws:iam::111122223333:role/Iamguard-PolicyGuardRole1A2B3C4D-AbCdEf123456"
	for _, a := range []string{"dynamodb:PutItem", "dynamodb:UpdateItem"} {
		if denied(guard, a, resource["dynamodb"], ownRole) || !denied(guard, a, resource["dynamodb"], attacker) {
			t.Errorf("%s on the outcome table: want it denied to others and allowed to iamguard's roles", a)
		}
	}
	const deployer = "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"
	unscoped := []string{"sns:Unsubscribe", "sns:SetSubscriptionAttributes"}
	for _, p := range r.Patterns {
		src := p["source"].([]any)[0].(string)
		svc := service[src]
		for _, n := range p["detail"].(map[string]any)["eventName"].([]any) {
			name, ok := n.(string)
			if !ok {
				name = n.(map[string]any)["prefix"].(string)
			}
			action := svc + ":" + name
			if slices.Contains(unscoped, action) {
				continue
			}
			if svc == "kms" {
				// Keyed by the tag, not the ARN: the statement's
				// condition holds it.
				if !slices.ContainsFunc(guard.Content.Statement, func(s scpStatement) bool {
					return slices.Contains(s.Action, action) && s.Condition["StringEquals"]["aws:ResourceTag/"+alertKeyTag][0] == alertKeyValue
				}) {
					t.Errorf("the guardrail policy does not deny %s on the alert key", action)
				}
				continue
			}
			if !denied(guard, action, resource[svc], attacker) {
				t.Errorf("the guardrail policy does not deny %s on %s", action, resource[svc])
			}
			if denied(guard, action, resource[svc], deployer) {
				t.Errorf("the guardrail policy denies %s on %s to the CDK execution role", action, resource[svc])
			}
		}
	}
	// Another stack whose name starts with this one's is not iamguard's.
	for _, other := range []string{"arn:aws:lambda:us-east-1:111122223333:function:IamguardStaging-audit-guard",
		"arn:aws:iam::111122223333:role/Developer", "arn:aws:cloudformation:us-east-1:111122223333:stack/IamguardStaging/0a1b"} {
		for _, a := range []string{"lambda:UpdateFunctionCode", "iam:PutRolePolicy", "cloudformation:DeleteStack"} {
			if denied(guard, a, other, attacker) {
				t.Errorf("the guardrail policy denies %s on %s, not a resource of stack Iamguard", a, other)
			}
		}
	}

	tags := ps["iamguard-protect-tags"]
	for _, who := range []struct {
		arn   string
		spare bool
	}{
		{"arn:aws:iam::111122223333:role/BreakGlass", true},
		{"arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAdmin_0123456789abcdef", true},
		{"arn:aws:iam::111122223333:role/Iamguard-CanaryRole1A2B3C4D-AbCdEf123456", true},
		{deployer, true},
		{attacker, false},
		{"arn:aws:iam::111122223333:role/BreakGlass2", false},
	} {
		spared := true
		for _, s := range tags.Content.Statement {
			if !slices.ContainsFunc(s.Condition["ArnNotLike"]["aws:PrincipalArn"], func(r string) bool { return policy.MatchResource(r, who.arn) }) {
				spared = false
			}
		}
		if spared != who.spare {
			t.Errorf("tag policy spares %s: %v, want %v", who.arn, spared, who.spare)
		}
	}
}

func TestSCPText(t *testing.T) {
	r := runIn(t, "", "scp")
	if r.code != exitOK {
		t.Fatalf("scp: exit %d\n%s", r.code, r.stderr)
	}
	for _, name := range scpNames {
		if !strings.Contains(r.stdout, "# "+name+" (") {
			t.Errorf("text output lacks %s:\n%s", name, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, `"arn:aws:lambda:*:*:function:Iamguard-*"`) {
		t.Errorf("text output lacks the default stack's functions:\n%s", r.stdout)
	}
	r = runIn(t, "", "scp", "--format", "json", "--stack-name", "Guard", "--deploy-role-pattern", "arn:aws:iam::*:role/Pipeline*")
	var got []scpPolicy
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 4 {
		t.Fatalf("scp --format json: %v, %d policies\n%s", err, len(got), r.stdout)
	}
	if !strings.Contains(r.stdout, `"arn:aws:lambda:*:*:function:Guard-*"`) || strings.Contains(r.stdout, "cdk-*") ||
		!strings.Contains(r.stdout, `"arn:aws:iam::*:role/Pipeline*"`) {
		t.Errorf("--stack-name Guard --deploy-role-pattern Pipeline*: not in the output\n%s", r.stdout)
	}
}

func TestSCPUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--admins", "x"}, "flag provided but not defined"},
		{"format", []string{"--format", "yaml"}, `--format "yaml": want text or json`},
		{"argument", []string{"extra"}, `unexpected argument "extra"`},
		{"stack name", []string{"--stack-name", "9lives"}, "want a CloudFormation stack name"},
		{"session ARN", []string{"--admin-arns", "arn:aws:sts::111122223333:assumed-role/Admin/alice"}, "want an IAM principal ARN"},
		{"group", []string{"--admin-arns", "arn:aws:iam::111122223333:group/Admins"}, "want a role or user ARN"},
		{"every role", []string{"--admin-arns", "arn:aws:iam::111122223333:role/*"}, "the name is only wildcards"},
		{"no deployment", []string{"--deploy-role-pattern", ""}, "--deploy-role-pattern is empty"},
		{"two at once", []string{"--format", "xml", "--admin-arns", "BreakGlass"}, `--admin-arns "BreakGlass"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runIn(t, "", append([]string{"scp"}, tc.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "usage:") || r.stdout != "" {
				t.Errorf("scp %v: exit %d, want %d with %q and the usage\nstdout: %s\nstderr: %s", tc.args, r.code, exitUsage, tc.want, r.stdout, r.stderr)
			}
		})
	}
}
