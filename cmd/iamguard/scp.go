package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/rules"
)

// maxSCPCharacters is AWS Organizations' quota on a service control policy
// document: "Maximum size of a policy document: Service control policies:
// 5120 characters", and whitespace counts when the policy is saved through
// the AWS CLI or an SDK (only the console strips it). Quotas and service
// limits for AWS Organizations,
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
// (stored copy read 2026-12-02). The policies are measured, and written by
// --out, minified: the form create-policy --content file://... uploads.
const maxSCPCharacters = 5120

// defaultDeployRoles are the CDK bootstrap's deploy role (cdk deploy creates
// and executes the stack's change sets as it) and CloudFormation execution
// role (CloudFormation makes the stack's changes as it), in any account:
// the same patterns guardrail-tampering takes as the stack's deployment.
var defaultDeployRoles = []string{"arn:aws:iam::*:role/cdk-*-deploy-role-*", "arn:aws:iam::*:role/cdk-*-cfn-exec-role-*"}

// scpPolicy is one service control policy iamguard renders.
type scpPolicy struct {
	// Name is the policy's name in AWS Organizations and its file name
	// (NAME.json) under --out.
	Name string `json:"name"`
	// Description is create-policy's --description (at most 512 characters).
	Description string      `json:"description"`
	Characters  int         `json:"characters"` // of the minified document
	Content     scpDocument `json:"content"`
}

type scpDocument struct {
	Version   string         `json:"Version"`
	Statement []scpStatement `json:"Statement"`
}

// scpStatement is a Deny statement. Condition maps an operator to keys
// to values, as IAM writes it; encoding/json sorts the keys, so the
// output is stable.
type scpStatement struct {
	Sid       string                         `json:"Sid"`
	Effect    string                         `json:"Effect"`
	Action    []string                       `json:"Action"`
	Resource  []string                       `json:"Resource"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// scpSettings are what the policies are rendered for.
type scpSettings struct {
	StackName   string
	AdminARNs   []string // may set and remove iamguard: tags; may change trails
	DeployRoles []string // deploy the stack: may change its resources, trails and tags
}

func deny(sid string, actions, resources []string, cond map[string]map[string][]string) scpStatement {
	return scpStatement{Sid: sid, Effect: "Deny", Action: actions, Resource: resources, Condition: cond}
}

// exceptPrincipals is the condition that spares the named principals: the
// Deny applies only when the caller's principal ARN (for a role session,
// the role's ARN) matches none of them.
func exceptPrincipals(arns []string) map[string]map[string][]string {
	return map[string]map[string][]string{"ArnNotLike": {"aws:PrincipalArn": arns}}
}

// trailActions are the calls the trail-tampering rule watches, read from
// its EventBridge pattern so that the SCP denies exactly what the rule
// reports, as IAM actions (cloudtrail:EVENT).
func trailActions() ([]string, error) {
	r, ok := rules.ByID("trail-tampering")
	if !ok {
		return nil, errors.New("rule trail-tampering is not in the table")
	}
	var out []string
	for _, p := range r.Patterns {
		detail, _ := p["detail"].(map[string]any)
		names, _ := detail["eventName"].([]any)
		for _, n := range names {
			s, ok := n.(string)
			if !ok {
				return nil, fmt.Errorf("rule trail-tampering: event name %v is not a string", n)
			}
			out = append(out, "cloudtrail:"+s)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("rule trail-tampering names no event")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// protectedResources are the ARN patterns of what the stack deploys, for
// one service: CloudFormation names a resource it creates
// "<stack>-<logical ID>-<suffix>", the functions are named
// "<stack>-<family>", and the forwarding stacks are "<stack>Forward-<Region>"
// with their resources named after them, the names guardrail-tampering
// recognises (shared/rules/tampering.go, Guardrail.owns).
func protectedResources(stack, format string) []string {
	return []string{fmt.Sprintf(format, stack+"-*"), fmt.Sprintf(format, stack+"Forward-*")}
}

// renderSCPs renders the four policies, in a fixed order.
func renderSCPs(s scpSettings) ([]scpPolicy, error) {
	trail, err := trailActions()
	if err != nil {
		return nil, err
	}
	stack := s.StackName
	// Who keeps the right to change trails and iamguard: tags: the stack's
	// deployment (a createTrail stack's trail, the alert key's
	// iamguard:component tag) and the named administrators.
	deployAndAdmins := append(slices.Clone(s.DeployRoles), s.AdminARNs...)
	// The canary's role tags the canary policy iamguard:canary every
	// canaryMinutes; its own policy allows nothing else. CloudFormation
	// names it <stack>-CanaryRole<suffix>-<suffix>.
	canaryRole := "arn:aws:iam::*:role/" + stack + "-CanaryRole*"
	tagExempt := append(slices.Clone(deployAndAdmins), canaryRole)
	exceptDeploy := exceptPrincipals(s.DeployRoles)
	// The functions' own roles (<stack>-<Family>Role<suffix>) claim and
	// record outcomes in the outcome table.
	exceptDeployAndOwnRoles := exceptPrincipals(append(slices.Clone(s.DeployRoles), "arn:aws:iam::*:role/"+stack+"-*Role*"))

	policies := []scpPolicy{
		{
			Name: "iamguard-deny-trail-tampering",
			Description: "iamguard: deny stopping, deleting or narrowing CloudTrail trails, event selectors and Lake event data stores " +
				"(the calls the trail-tampering rule reports), except by the stack's deployment and named administrators",
			Content: scpDocument{Statement: []scpStatement{
				deny("DenyTrailTampering", trail, []string{"*"}, exceptPrincipals(deployAndAdmins)),
			}},
		},
		{
			Name: "iamguard-protect-guardrail",
			Description: "iamguard: deny changes to stack " + stack + "'s functions, rules, topics, queues, outcome table, alert key, alarms, roles, " +
				"log groups and CloudFormation stacks, except by the CDK deployment roles",
			Content: scpDocument{Statement: []scpStatement{
				deny("ProtectFunctions", []string{
					"lambda:AddPermission", "lambda:DeleteFunction", "lambda:DeleteFunctionEventInvokeConfig",
					"lambda:InvokeFunction", "lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig",
					"lambda:RemovePermission", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
					"lambda:UpdateFunctionEventInvokeConfig",
				}, []string{"arn:aws:lambda:*:*:function:" + stack + "-*"}, exceptDeploy),
				deny("ProtectRules", []string{
					"events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets",
				}, protectedResources(stack, "arn:aws:events:*:*:rule/%s"), exceptDeploy),
				deny("ProtectTopicsAndQueues", []string{
					"sns:AddPermission", "sns:DeleteTopic", "sns:RemovePermission", "sns:SetTopicAttributes",
					"sqs:AddPermission", "sqs:DeleteQueue", "sqs:PurgeQueue", "sqs:RemovePermission", "sqs:SetQueueAttributes",
				}, append(protectedResources(stack, "arn:aws:sns:*:*:%s"), protectedResources(stack, "arn:aws:sqs:*:*:%s")...), exceptDeploy),
				// The outcome table: a claim deleted would let a redelivered
				// event act twice; its backups are the record of what
				// iamguard did.
				deny("ProtectOutcomeTable", []string{
					"dynamodb:DeleteItem", "dynamodb:DeleteTable", "dynamodb:PutItem", "dynamodb:UpdateContinuousBackups",
					"dynamodb:UpdateItem", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive",
				}, protectedResources(stack, "arn:aws:dynamodb:*:*:table/%s"), exceptDeployAndOwnRoles),
				// Key ARNs carry a random ID: the stack tags its alert key
				// iamguard:component=alert-key, and policy iamguard-protect-tags
				// keeps anyone else from setting or removing that tag.
				deny("ProtectAlertKey", []string{
					"kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
				}, []string{"*"}, map[string]map[string][]string{
					"ArnNotLike":   {"aws:PrincipalArn": s.DeployRoles},
					"StringEquals": {"aws:ResourceTag/" + alertKeyTag: {alertKeyValue}},
				}),
				deny("ProtectAlarms", []string{
					"cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm", "cloudwatch:SetAlarmState",
				}, protectedResources(stack, "arn:aws:cloudwatch:*:*:alarm:%s"), exceptDeploy),
				// PassRole too: a role of iamguard's handed to another
				// function or schedule would act as iamguard.
				deny("ProtectRoles", []string{
					"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
					"iam:DetachRolePolicy", "iam:PassRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
					"iam:UpdateAssumeRolePolicy",
				}, protectedResources(stack, "arn:aws:iam::*:role/%s"), exceptDeploy),
				// The functions' logs are the evidence of what iamguard saw and did.
				deny("ProtectLogs", []string{
					"logs:DeleteLogGroup", "logs:DeleteLogStream", "logs:PutRetentionPolicy",
				}, protectedResources(stack, "arn:aws:logs:*:*:log-group:%s"), exceptDeploy),
				deny("ProtectStacks", []string{
					"cloudformation:CreateChangeSet", "cloudformation:DeleteStack", "cloudformation:ExecuteChangeSet",
					"cloudformation:UpdateStack",
				}, []string{"arn:aws:cloudformation:*:*:stack/" + stack + "/*", "arn:aws:cloudformation:*:*:stack/" + stack + "Forward-*/*"}, exceptDeploy),
			}},
		},
		{
			Name: "iamguard-protect-tags",
			Description: "iamguard: deny setting or removing tags in the iamguard: namespace (iamguard:exempt exempts a principal from " +
				"rollback), except by named administrators, the stack's deployment and its canary role",
			// aws:TagKeys holds every key a request sets or removes (Tag*,
			// Untag* and create calls with tags), so one key covers both;
			// IAM documents no wildcard in a condition key's name, so aws:RequestTag/iamguard:*
			// cannot be written. StringLike is case-sensitive while IAM tag
			// keys are not (aws:ResourceTag/iamguard:exempt matches
			// IAMGUARD:EXEMPT): the second statement names iamguard's own
			// keys in any case.
			Content: scpDocument{Statement: []scpStatement{
				deny("DenyIamguardTagKeys", []string{"*"}, []string{"*"}, map[string]map[string][]string{
					"ArnNotLike":             {"aws:PrincipalArn": tagExempt},
					"ForAnyValue:StringLike": {"aws:TagKeys": {"iamguard:*", "Iamguard:*", "IamGuard:*", "IAMGUARD:*"}},
				}),
				deny("DenyIamguardTagKeysAnyCase", []string{"*"}, []string{"*"}, map[string]map[string][]string{
					"ArnNotLike": {"aws:PrincipalArn": tagExempt},
					"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": {
						"iamguard:exempt", rules.CanaryTagKey, alertKeyTag,
					}},
				}),
			}},
		},
		{
			Name:        "iamguard-deny-leave-organization",
			Description: "iamguard: deny leaving the organisation, which would shed every service control policy at once",
			Content: scpDocument{Statement: []scpStatement{
				deny("DenyLeaveOrganization", []string{"organizations:LeaveOrganization"}, []string{"*"}, nil),
			}},
		},
	}
	var errs []error
	for i := range policies {
		p := &policies[i]
		p.Content.Version = "2012-10-17"
		b, err := minifiedSCP(p.Content)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", p.Name, err)
		}
		p.Characters = len(b)
		if p.Characters > maxSCPCharacters {
			errs = append(errs, fmt.Errorf("policy %s has %d characters, over the %d AWS Organizations allows an SCP: name fewer --admin-arns or --deploy-role-pattern entries (patterns with * cover several)",
				p.Name, p.Characters, maxSCPCharacters))
		}
	}
	return policies, errors.Join(errs...)
}

// The alert key's tag, as infra/stack.go sets it and audit-guard's role is
// conditioned on.
const (
	alertKeyTag   = "iamguard:component"
	alertKeyValue = "alert-key"
)

// minifiedSCP is the document as AWS counts it: no whitespace outside
// strings, and no HTML escaping (encoding/json would write & as \u0026,
// six characters for one).
func minifiedSCP(d scpDocument) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// principalPatterns splits a comma list of IAM principal ARN patterns, as
// aws:PrincipalArn holds them, and refuses what is not one.
func principalPatterns(flagName, v string) ([]string, error) {
	var out []string
	var errs []error
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if err := checkPrincipalPattern(p); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", flagName, p, err))
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// checkPrincipalPattern accepts an IAM role or user ARN, or an account's
// root, with wildcards, but not one whose name is only wildcards: an
// exception for every role of an account is no exception.
func checkPrincipalPattern(p string) error {
	a, ok := awsarn.Parse(p)
	if !ok || a.Service != "iam" || a.Region != "" || a.Partition == "" || a.Account == "" {
		return errors.New("want an IAM principal ARN such as arn:aws:iam::111122223333:role/BreakGlass")
	}
	if a.Resource == "root" {
		return nil
	}
	typ := a.ResourceType()
	if typ != "role" && typ != "user" {
		return errors.New("want a role or user ARN (aws:PrincipalArn is the role's ARN for a role session, not the sts assumed-role ARN)")
	}
	if strings.Trim(a.ResourceName(), "*?") == "" {
		return errors.New("the name is only wildcards: name the roles or users meant")
	}
	return nil
}

func runSCP(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("scp", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	stackName := fset.String("stack-name", "Iamguard", "the iamguard stack's name")
	admins := fset.String("admin-arns", "", "comma-separated principal ARN patterns that may set and remove iamguard: tags and change trails")
	deployRoles := fset.String("deploy-role-pattern", strings.Join(defaultDeployRoles, ","), "comma-separated ARN patterns of the roles that deploy the stack")
	format := fset.String("format", "text", "output format: text or json")
	out := fset.String("out", "", "write one minified NAME.json per policy into this folder")
	fail := func(err error) int {
		fmt.Fprintf(stderr, "iamguard scp: %v\n\n%s", err, usage)
		return exitUsage
	}
	if err := fset.Parse(args); err != nil {
		return fail(err)
	}
	var errs []error
	if fset.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected argument %q", fset.Arg(0)))
	}
	if *format != "text" && *format != "json" {
		errs = append(errs, fmt.Errorf("--format %q: want text or json", *format))
	}
	if !validStackName(*stackName) {
		errs = append(errs, fmt.Errorf("--stack-name %q: want a CloudFormation stack name", *stackName))
	}
	s := scpSettings{StackName: *stackName}
	var err error
	if s.AdminARNs, err = principalPatterns("--admin-arns", *admins); err != nil {
		errs = append(errs, err)
	}
	if s.DeployRoles, err = principalPatterns("--deploy-role-pattern", *deployRoles); err != nil {
		errs = append(errs, err)
	} else if len(s.DeployRoles) == 0 {
		errs = append(errs, errors.New("--deploy-role-pattern is empty: the stack's deployment must be spared, or it cannot update the stack"))
	}
	if len(errs) > 0 {
		return fail(errors.Join(errs...))
	}
	policies, err := renderSCPs(s)
	if err != nil {
		return fail(err)
	}
	if *out != "" {
		return writeSCPFiles(*out, policies, stdout, stderr)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(policies); err != nil {
			fmt.Fprintf(stderr, "iamguard scp: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	for i, p := range policies {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		b, err := json.MarshalIndent(p.Content, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "iamguard scp: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "# %s (%d of %d characters minified)\n# %s\n%s\n", p.Name, p.Characters, maxSCPCharacters, p.Description, b)
	}
	return exitOK
}

// writeSCPFiles writes each policy minified, without a final newline, as
// AWS counts it: create-policy --content file://DIR/NAME.json uploads the
// file as it is.
func writeSCPFiles(dir string, policies []scpPolicy, stdout, stderr io.Writer) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "iamguard scp: --out: %v\n", err)
		return exitUsage
	}
	for _, p := range policies {
		b, err := minifiedSCP(p.Content)
		if err != nil {
			fmt.Fprintf(stderr, "iamguard scp: %v\n", err)
			return exitUsage
		}
		path := filepath.Join(dir, p.Name+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			fmt.Fprintf(stderr, "iamguard scp: --out: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s\t%d characters\t%s\n", path, p.Characters, p.Description)
	}
	return exitOK
}
