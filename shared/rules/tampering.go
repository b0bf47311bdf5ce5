package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/severity"
)

// Guardrail names what the stack deployed, so that guardrail-tampering can
// tell iamguard's own resources from the account's others.
type Guardrail struct {
	// StackName is the main stack's name. CloudFormation names the
	// resources it creates "<stack>-<logical ID>-<suffix>", and the
	// forwarding stacks are "<stack>Forward-<Region>": a resource whose
	// name starts so is iamguard's.
	StackName string
	// KeyARN is the key that encrypts the alert topic (keys have no name).
	KeyARN string
	// DeployRoles are ARN patterns of the roles that deploy the stack (the
	// CDK bootstrap's deploy role): their stack updates are not tampering.
	DeployRoles []string
}

// tamperCall is one watched call: the request field that names the
// resource, and how to put things back.
type tamperCall struct {
	field, kind, repair string
}

// tamperCalls are the calls on iamguard's own resources, by event source;
// Lambda's event names carry an API version suffix
// (UpdateFunctionCode20150331v2), so they are matched by prefix.
var tamperCalls = map[string]map[string]tamperCall{
	"events.amazonaws.com": {
		"DisableRule":   {"name", "EventBridge rule", "aws events enable-rule --name %s --region %s"},
		"DeleteRule":    {"name", "EventBridge rule", ""},
		"RemoveTargets": {"rule", "EventBridge rule", ""},
		"PutRule":       {"name", "EventBridge rule", ""},
		"PutTargets":    {"rule", "EventBridge rule", ""},
	},
	"lambda.amazonaws.com": {
		"DeleteFunction":                  {"functionName", "Lambda function", ""},
		"UpdateFunctionCode":              {"functionName", "Lambda function", ""},
		"UpdateFunctionConfiguration":     {"functionName", "Lambda function", ""},
		"PutFunctionConcurrency":          {"functionName", "Lambda function", ""},
		"PutFunctionEventInvokeConfig":    {"functionName", "Lambda function", ""},
		"UpdateFunctionEventInvokeConfig": {"functionName", "Lambda function", ""},
		"DeleteFunctionEventInvokeConfig": {"functionName", "Lambda function", ""},
		"RemovePermission":                {"functionName", "Lambda function", ""},
		"AddPermission":                   {"functionName", "Lambda function", ""},
	},
	"sns.amazonaws.com": {
		"DeleteTopic":        {"topicArn", "SNS topic", ""},
		"SetTopicAttributes": {"topicArn", "SNS topic", ""},
		"RemovePermission":   {"topicArn", "SNS topic", ""},
		"Unsubscribe":        {"subscriptionArn", "SNS subscription", ""},
		// A filter policy that matches nothing drops every alert.
		"SetSubscriptionAttributes": {"subscriptionArn", "SNS subscription", ""},
	},
	"sqs.amazonaws.com": {
		"DeleteQueue": {"queueUrl", "SQS queue", ""},
		"PurgeQueue":  {"queueUrl", "SQS queue", ""},
		// A changed redrive or delay reroutes the confirmation queues.
		"SetQueueAttributes": {"queueUrl", "SQS queue", ""},
	},
	// The outcome table: deleted, its backups or protection turned off.
	"dynamodb.amazonaws.com": {
		"DeleteTable":             {"tableName", "DynamoDB table", ""},
		"UpdateTable":             {"tableName", "DynamoDB table", ""},
		"UpdateContinuousBackups": {"tableName", "DynamoDB table", ""},
		"UpdateTimeToLive":        {"tableName", "DynamoDB table", ""},
	},
	"kms.amazonaws.com": {
		"DisableKey":          {"keyId", "KMS key", ""},
		"ScheduleKeyDeletion": {"keyId", "KMS key", ""},
		"PutKeyPolicy":        {"keyId", "KMS key", ""},
	},
	"cloudformation.amazonaws.com": {
		"DeleteStack":      {"stackName", "CloudFormation stack", ""},
		"UpdateStack":      {"stackName", "CloudFormation stack", ""},
		"ExecuteChangeSet": {"stackName", "CloudFormation stack", ""},
		// ExecuteChangeSet may name only the change set's ARN; creating
		// one always names the stack.
		"CreateChangeSet": {"stackName", "CloudFormation stack", ""},
	},
	"monitoring.amazonaws.com": {
		"DisableAlarmActions": {"alarmNames", "CloudWatch alarm", "aws cloudwatch enable-alarm-actions --alarm-names %s --region %s"},
		"DeleteAlarms":        {"alarmNames", "CloudWatch alarm", ""},
		"PutMetricAlarm":      {"alarmName", "CloudWatch alarm", ""},
		"SetAlarmState":       {"alarmName", "CloudWatch alarm", ""},
	},
	"iam.amazonaws.com": {
		"PutRolePolicy":                 {"roleName", "IAM role", ""},
		"DeleteRolePolicy":              {"roleName", "IAM role", ""},
		"AttachRolePolicy":              {"roleName", "IAM role", ""},
		"DetachRolePolicy":              {"roleName", "IAM role", ""},
		"UpdateAssumeRolePolicy":        {"roleName", "IAM role", ""},
		"PutRolePermissionsBoundary":    {"roleName", "IAM role", ""},
		"DeleteRolePermissionsBoundary": {"roleName", "IAM role", ""},
		"DeleteRole":                    {"roleName", "IAM role", ""},
	},
}

// tamperSources lists the event sources in a fixed order (patterns and docs).
var tamperSources = []struct{ source, eventSource string }{
	{"aws.events", "events.amazonaws.com"},
	{"aws.lambda", "lambda.amazonaws.com"},
	{"aws.sns", "sns.amazonaws.com"},
	{"aws.sqs", "sqs.amazonaws.com"},
	{"aws.dynamodb", "dynamodb.amazonaws.com"},
	{"aws.kms", "kms.amazonaws.com"},
	{"aws.cloudformation", "cloudformation.amazonaws.com"},
	// CloudWatch's CloudTrail events: EventBridge names the source after
	// the service (aws.cloudwatch) while the CloudTrail eventSource is
	// monitoring.amazonaws.com; the pattern takes both spellings.
	{"aws.cloudwatch", "monitoring.amazonaws.com"},
	{"aws.iam", "iam.amazonaws.com"},
}

var guardrailTampering = &Rule{
	ID:    "guardrail-tampering",
	Title: "iamguard's own resources changed",
	Description: "Someone other than CloudFormation deploying the stack changed what iamguard runs on: disabled, deleted or " +
		"retargeted an EventBridge rule; deleted, rewrote, reconfigured or throttled to zero a function, or changed who may " +
		"invoke it; deleted or rewired the alert topic or a subscription; deleted, purged or reconfigured a queue; deleted the outcome " +
		"table or turned off its backups or protection; disabled, scheduled for " +
		"deletion or re-policied the alert key; deleted or updated the stack; or changed one of iamguard's roles. Disarming " +
		"the guardrail comes before the attack it would have caught: critical, notify, with the repair.",
	FiresOn: "a successful EventBridge `DisableRule`, `DeleteRule`, `RemoveTargets`, `PutRule`, `PutTargets`; Lambda `DeleteFunction`, " +
		"`UpdateFunctionCode`, `UpdateFunctionConfiguration`, `PutFunctionConcurrency`, `Put`/`Update`/`DeleteFunctionEventInvokeConfig`, " +
		"`AddPermission`, `RemovePermission`; SNS `DeleteTopic`, `Unsubscribe`, `SetTopicAttributes`, `SetSubscriptionAttributes`, " +
		"`RemovePermission`; SQS `DeleteQueue`, `PurgeQueue`, `SetQueueAttributes`; DynamoDB `DeleteTable`, `UpdateTable`, " +
		"`UpdateContinuousBackups`, `UpdateTimeToLive`; KMS `DisableKey`, " +
		"`ScheduleKeyDeletion`, `PutKeyPolicy`; CloudFormation `DeleteStack`, `UpdateStack`, `CreateChangeSet`, `ExecuteChangeSet`; " +
		"CloudWatch `DisableAlarmActions`, `DeleteAlarms`, `PutMetricAlarm`, `SetAlarmState`; IAM role policy, trust, boundary or deletion " +
		"calls: each on a resource of the stack (named after `IAMGUARD_STACK_NAME`, or the alert key; a rule on the default bus), except " +
		"CloudFormation working as a deploy role (`invokedBy` cloudformation.amazonaws.com and the CDK execution role) and stack updates " +
		"by a deploy role; `DeleteStack` always. Two EventBridge rules watch EventBridge's calls, so disabling one is seen by the other",
	Severities: "critical",
	Family:     AuditGuard,
	Actions:    []*action.Action{action.EnableRule, action.DeleteFunctionConcurrency, action.EnableKey, action.CancelKeyDeletion},
	Patterns: func() []eventpattern.Pattern {
		var out []eventpattern.Pattern
		for _, s := range tamperSources {
			var names []any
			for name := range tamperCalls[s.eventSource] {
				if s.eventSource == "lambda.amazonaws.com" {
					names = append(names, map[string]any{"prefix": name})
				} else {
					names = append(names, name)
				}
			}
			sortAny(names)
			p := apiCalls(s.source, s.eventSource)
			p["detail"].(map[string]any)["eventName"] = names
			if s.eventSource == "monitoring.amazonaws.com" {
				p["source"] = strs("aws.cloudwatch", "aws.monitoring")
			}
			out = append(out, p)
		}
		// A second EventBridge rule for EventBridge's own calls: a rule
		// cannot see its own disabling (the DisableRule event arrives after
		// it is off), so each of the two sees the other's.
		return append(out, eventpattern.Pattern(copyPattern(out[0])))
	}(),
	evaluate: evaluateGuardrailTampering,
}

// lambdaCall strips the API version from a Lambda event name.
func lambdaCall(name string) string {
	if i := strings.IndexFunc(name, func(r rune) bool { return r >= '0' && r <= '9' }); i > 0 {
		return name[:i]
	}
	return name
}

func evaluateGuardrailTampering(_ context.Context, ev *evaluation) []finding.Finding {
	rec, g := ev.rec, ev.settings.Guardrail
	if g.StackName == "" || rec.Failed() {
		return nil
	}
	name := rec.EventName
	if rec.EventSource == "lambda.amazonaws.com" {
		name = lambdaCall(name)
	}
	call, ok := tamperCalls[rec.EventSource][name]
	if !ok {
		return nil
	}
	target := g.ownTarget(rec, name, call)
	if target == "" {
		return nil
	}
	// The stack's own deployment is not tampering: CloudFormation working as
	// the CDK execution role (invokedBy is set by AWS, not the caller), or
	// the deploy role updating the stack. Another stack's CloudFormation,
	// and a deletion of the stack by anyone, are reported.
	switch {
	case rec.UserIdentity.InvokedBy == "cloudformation.amazonaws.com" && g.deployedBy(rec):
		return nil
	case rec.EventSource == "cloudformation.amazonaws.com" && name != "DeleteStack" && g.deployedBy(rec):
		return nil
	}
	f := newFinding("guardrail-tampering", rec)
	f.Severity = severity.Critical
	f.Target = target
	f.Summary = fmt.Sprintf("%s called %s on iamguard's %s %s", actorName(rec), name, call.kind, target)
	f.Reasons = append(f.Reasons, "the change is on iamguard itself: an attacker disarms the guardrail before the change it would have caught")
	switch {
	case name == "PutFunctionConcurrency" && rec.RequestParam("reservedConcurrentExecutions") == "0":
		f.Reasons = append(f.Reasons, "reserved concurrency 0 stops the function: every event is throttled and, after EventBridge's retries, parked unread")
	case name == "DisableRule" || name == "DeleteRule" || name == "RemoveTargets":
		f.Reasons = append(f.Reasons, "the rule no longer delivers its events: the changes it watches pass unseen")
	case name == "ScheduleKeyDeletion" || name == "DisableKey":
		f.Reasons = append(f.Reasons, "without the key, the topic cannot encrypt alerts and none is delivered")
	case name == "Unsubscribe" || name == "DeleteTopic":
		f.Reasons = append(f.Reasons, "alerts no longer reach the people who act on them")
	}
	short := lastSegment(strings.TrimPrefix(target, "arn:"))
	if i := strings.Index(short, "function:"); i >= 0 {
		short = short[i+len("function:"):]
	}
	region := rec.AWSRegion
	switch {
	case name == "DisableRule" && rec.EventSource == "events.amazonaws.com" && validRegion(region):
		a := action.EnableRule
		f.Remediation = a.Plan(fmt.Sprintf("enable iamguard's rule %s again in %s (EnableRule sets ENABLED: for a rule that also read "+
			"read-only management events, cdk deploy restores that)", target, region), "Name", target, "Region", region)
		f.Remediation.Undo = a.UndoStep("Name", target, "Region", region)
		f.RemediationNote = "find who disabled the rule and why"
	case (name == "DisableKey" || name == "ScheduleKeyDeletion") && validRegion(region):
		a, undo := action.EnableKey, []string{"KeyId", target, "Region", region}
		desc := fmt.Sprintf("enable iamguard's alert key %s again in %s", target, region)
		if name == "ScheduleKeyDeletion" {
			a, desc = action.CancelKeyDeletion, fmt.Sprintf("cancel the deletion of iamguard's alert key %s and enable it again in %s", target, region)
			undo = []string{"KeyId", target, "PendingWindowInDays", orName(rec.RequestParam("pendingWindowInDays"), "30"), "Region", region}
		}
		f.Remediation = a.Plan(desc, "KeyId", target, "Region", region)
		f.Remediation.Undo = a.UndoStep(undo...)
		f.RemediationNote = "find who made the change and why; until the key is enabled, the topic delivers no alert (this one " +
			"included, unless iamguard rolled the change back first: keep guardrail-tampering in remediate mode)"
		if name == "ScheduleKeyDeletion" {
			f.RemediationNote = "a key whose deletion is cancelled stays disabled: by hand, run aws kms enable-key --key-id " +
				finding.ShellQuote(target) + " --region " + finding.ShellQuote(region) + " after cancel-key-deletion; " + f.RemediationNote
		}
	case name == "PutFunctionConcurrency" && rec.RequestParam("reservedConcurrentExecutions") == "0" && validRegion(region):
		a := action.DeleteFunctionConcurrency
		f.Remediation = a.Plan(fmt.Sprintf("remove the concurrency limit of 0 from iamguard's function %s in %s (cdk deploy restores a "+
			"reservedConcurrency the stack set)", target, region), "FunctionName", target, "Region", region)
		f.Remediation.Undo = a.UndoStep("FunctionName", target, "ReservedConcurrentExecutions", "0", "Region", region)
		f.RemediationNote = "find who stopped the function and why; a stopped audit-guard cannot restart itself: lift its limit by hand"
	case name == "PutFunctionConcurrency" && rec.RequestParam("reservedConcurrentExecutions") == "0":
		f.RemediationNote = "repair: aws lambda delete-function-concurrency --function-name " + finding.ShellQuote(short) +
			" --region REGION; then find who stopped the function and why"
	case call.repair != "":
		var args []string
		for _, t := range strings.Fields(target) {
			args = append(args, finding.ShellQuote(lastSegment(strings.TrimPrefix(t, "arn:"))))
		}
		f.RemediationNote = fmt.Sprintf("repair: "+call.repair+"; then find who made the change and why", strings.Join(args, " "), finding.ShellQuote(region))
	default:
		f.RemediationNote = "repair: redeploy the stack (cdk deploy) to put its definition back, then find who made the change and why; " +
			"an SCP denying these calls on the stack's resources to all but the deploy role keeps it from happening again"
	}
	return []finding.Finding{f}
}

// ownTarget returns the resource of the stack that the call names, or ""
// when it names none: a list field (CloudWatch's alarmNames) names the
// stack's if any entry does; a rule on a bus other than the default one is
// not the stack's.
func (g Guardrail) ownTarget(rec *cloudtrail.Record, name string, call tamperCall) string {
	if bus := rec.RequestParam("eventBusName"); rec.EventSource == "events.amazonaws.com" && bus != "" && bus != "default" &&
		!strings.HasSuffix(bus, ":event-bus/default") {
		return ""
	}
	if v := rec.RequestParam(call.field); v != "" {
		if g.owns(rec.EventSource, name, v) {
			return v
		}
		return ""
	}
	var list []string
	if err := json.Unmarshal(rec.RequestParamRaw(call.field), &list); err != nil {
		return ""
	}
	var own []string
	for _, v := range list {
		if g.owns(rec.EventSource, name, v) {
			own = append(own, v)
		}
	}
	return strings.Join(own, " ")
}

// owns reports whether the resource a call names is the stack's.
func (g Guardrail) owns(eventSource, call, target string) bool {
	if target == "" {
		return false
	}
	switch eventSource {
	case "kms.amazonaws.com":
		// keyId may be the key ID or its ARN.
		return g.KeyARN != "" && (target == g.KeyARN || strings.HasSuffix(g.KeyARN, ":key/"+target))
	case "cloudformation.amazonaws.com":
		// stackName may be the name or the stack ID (an ARN).
		if strings.HasPrefix(target, "arn:") {
			parts := strings.Split(target, "/")
			if len(parts) < 2 {
				return false
			}
			target = parts[1]
		}
		return target == g.StackName || strings.HasPrefix(target, g.StackName+"Forward-")
	}
	name := target
	switch {
	case eventSource == "lambda.amazonaws.com" && strings.Contains(target, "function:"):
		// a full ARN, ACCOUNT:function:NAME or function:NAME, any with a
		// :QUALIFIER
		name = target[strings.Index(target, "function:")+len("function:"):]
		name, _, _ = strings.Cut(name, ":")
	case eventSource == "sns.amazonaws.com" && (call == "Unsubscribe" || call == "SetSubscriptionAttributes"):
		// arn:aws:sns:REGION:ACCOUNT:TOPIC:SUBSCRIPTION-ID
		parts := strings.Split(target, ":")
		if len(parts) < 7 {
			return false
		}
		name = parts[5]
	case strings.HasPrefix(target, "arn:"):
		parts := strings.FieldsFunc(target, func(r rune) bool { return r == ':' || r == '/' })
		name = parts[len(parts)-1]
	case strings.Contains(target, "/"):
		// an SQS queue URL, or a role path
		name = target[strings.LastIndexByte(target, '/')+1:]
	}
	return strings.HasPrefix(name, g.StackName+"-") || strings.HasPrefix(name, g.StackName+"Forward-")
}

// deployedBy reports whether a stack call came from a deploy role.
func (g Guardrail) deployedBy(rec *cloudtrail.Record) bool {
	arns := []string{rec.UserIdentity.ARN}
	if sc := rec.UserIdentity.SessionContext; sc != nil {
		arns = append(arns, sc.SessionIssuer.ARN)
	}
	for _, p := range g.DeployRoles {
		for _, a := range arns {
			if a != "" && policy.MatchResource(p, a) {
				return true
			}
		}
	}
	return false
}

// copyPattern copies a pattern's nested maps, so that the two rules share
// no state.
func copyPattern(p eventpattern.Pattern) map[string]any {
	var out map[string]any
	b, _ := json.Marshal(p)
	_ = json.Unmarshal(b, &out)
	return out
}

func sortAny(v []any) {
	key := func(x any) string {
		if m, ok := x.(map[string]any); ok {
			return fmt.Sprint(m["prefix"])
		}
		return fmt.Sprint(x)
	}
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && key(v[j]) < key(v[j-1]); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
