package main

import (
	"errors"
	"fmt"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awschatbot"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
	"github.com/iamguard/iamguard/shared/rules"
)

// Delivery settings: how long and how often EventBridge and Lambda retry
// before an event is parked in a queue (where an alarm reports it).
const (
	targetMaxEventAge   = 24 * 60 * 60 // seconds: EventBridge's maximum
	targetRetryAttempts = 185          // EventBridge's maximum
	asyncRetryAttempts  = 2            // Lambda's maximum
	asyncMaxEventAge    = 6            // hours: Lambda's maximum
	queueRetentionDays  = 14           // SQS's maximum
	functionTimeout     = 60           // seconds: IAM calls are retried on throttling
	functionMemoryMB    = 256
)

// ruleState makes each rule see read-only management events too (the
// default state, ENABLED, hides them), so that the rules table's pattern
// alone decides what a rule matches: root-activity must see root's Get,
// List and Describe calls.
const ruleState = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

// deployRolePattern is the CDK bootstrap's deploy role, which cdk deploy
// assumes to create and execute the stack's change sets.
const deployRolePattern = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-*-deploy-role-${AWS::AccountId}-*"

// execRolePattern is the CDK bootstrap's CloudFormation execution role, as
// which CloudFormation makes the stack's own changes.
const execRolePattern = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-*-cfn-exec-role-${AWS::AccountId}-*"

// slackNotifyDir is the optional Slack webhook function's folder.
const slackNotifyDir = "slack-notify"

// envSlackSecretID is the variable slack-notify reads (functions/slack-notify
// EnvSecretID; its package is a main package, so it cannot be imported).
const envSlackSecretID = "IAMGUARD_SLACK_SECRET_ID"

// StackProps configures NewIamguardStack.
type StackProps struct {
	awscdk.StackProps
	// Settings is the validated configuration (SettingsFromContext).
	Settings Settings
	// RepoRoot is the folder holding go.mod: functions/<name> is built from
	// there. main passes the repository root; tests pass "..".
	RepoRoot string
}

// Validate reports every problem with the props: the region guard, and a
// RepoRoot without the functions to build.
func (p *StackProps) Validate() error {
	var errs []error
	region := p.Settings.Region
	if p.Env != nil && p.Env.Region != nil {
		region = *p.Env.Region
	}
	if err := CheckRegion(region); err != nil {
		errs = append(errs, err)
	}
	for _, fam := range rules.Families() {
		if _, err := os.Stat(filepath.Join(p.RepoRoot, "functions", fam.ID, "main.go")); err != nil {
			errs = append(errs, fmt.Errorf("RepoRoot %q: no function for family %s: %w", p.RepoRoot, fam.ID, err))
		}
	}
	return errors.Join(errs...)
}

// guardrail holds what NewIamguardStack builds, for the steps that wire
// the parts together.
type guardrail struct {
	stack    awscdk.Stack
	settings Settings
	repoRoot string

	alertsKey awskms.Key
	topic     awssns.Topic
	// outcomes is the table where the acting functions claim and record
	// each rollback's outcome (one per event, rule and target).
	outcomes  awsdynamodb.Table
	functions []*guardFunction // in rules.Families() order
	queues    []awssqs.Queue   // every queue: each holds what could not be delivered
	// orgBus is the organisation's bus (org.go), nil without the
	// organisation shape.
	orgBus awsevents.EventBus
}

// function is a function with its own log group and on-failure queue.
type function struct {
	fn   awslambda.Function
	logs awslogs.LogGroup
	// failed receives the events the function failed on after Lambda's retries.
	failed awssqs.Queue
}

// guardFunction is one family's function with its role and queues.
type guardFunction struct {
	function
	family *rules.Family
	id     string // construct ID prefix, such as AccessKeys
	role   awsiam.Role
	// dlq receives the events EventBridge could not deliver after its retries.
	dlq awssqs.Queue
}

// NewIamguardStack builds the guardrail: the alert topic and its key, one
// function per rule family with its own role, log group and queues, one
// EventBridge rule per pattern of the rules table, alarms, and the optional
// Slack and CloudTrail parts. It must deploy in us-east-1; given props that
// fail Validate, it panics with Validate's error, as CDK constructs do with
// invalid props (main and the tests call Validate first).
func NewIamguardStack(scope constructs.Construct, id string, props *StackProps) awscdk.Stack {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	sp := props.StackProps
	// Pin the Region: an environment-agnostic stack would deploy wherever the
	// credentials point.
	env := awscdk.Environment{}
	if sp.Env != nil {
		env = *sp.Env
	}
	if env.Region == nil {
		env.Region = jsii.String(HomeRegion)
	}
	sp.Env = &env
	if sp.Description == nil {
		sp.Description = jsii.String("iamguard: an IAM guardrail (EventBridge rules from the rules table, Lambda functions, SNS alerts)")
	}
	stack := awscdk.NewStack(scope, &id, &sp)
	if err := checkFunctionNames(*stack.StackName()); err != nil {
		panic(err)
	}
	g := &guardrail{stack: stack, settings: props.Settings, repoRoot: props.RepoRoot}
	g.addAlerts()
	g.addOutcomes()
	g.addFunctions()
	if g.settings.Organization() {
		g.addOrgBus()
	}
	g.addRules()
	if g.settings.Organization() {
		g.addMembers()
	}
	g.addCanary()
	g.addSlack()
	if g.settings.CreateTrail {
		g.addTrail()
	}
	g.addSuppressions()
	return stack
}

// addAlerts creates the customer managed key, the topic it encrypts, and
// the subscriptions from context.
func (g *guardrail) addAlerts() {
	g.alertsKey = awskms.NewKey(g.stack, jsii.String("AlertsKey"), &awskms.KeyProps{
		Description:       jsii.String("iamguard: encrypts the alert topic and the outcome table"),
		EnableKeyRotation: jsii.Bool(true),
	})
	// The KMS rollbacks act only on keys carrying this tag (action.AlertKeys).
	if k, v, ok := strings.Cut(action.AlertKeyTag, "="); ok {
		awscdk.Tags_Of(g.alertsKey).Add(jsii.String(k), jsii.String(v), nil)
	}

	// CloudWatch alarms publish through the service; SNS needs the data key
	// on their behalf. (No aws:SourceArn condition: AWS documents this grant
	// without one.)
	g.alertsKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
	}), jsii.Bool(false))

	g.topic = awssns.NewTopic(g.stack, jsii.String("Alerts"), &awssns.TopicProps{
		DisplayName: jsii.String("iamguard"),
		MasterKey:   g.alertsKey,
		// A Deny of sns:Publish when aws:SecureTransport is false.
		EnforceSSL: jsii.Bool(true),
	})
	allowAlarms(g.stack, g.topic)
	for i, email := range g.settings.NotifyEmails {
		// Indexed IDs: an address is personal data, not for construct paths.
		awssns.NewSubscription(g.stack, jsii.String("Email"+strconv.Itoa(i+1)), &awssns.SubscriptionProps{
			Topic:    g.topic,
			Protocol: awssns.SubscriptionProtocol_EMAIL,
			Endpoint: jsii.String(email),
		})
	}
	if g.settings.SlackWorkspaceID != "" {
		awschatbot.NewSlackChannelConfiguration(g.stack, jsii.String("SlackChannel"), &awschatbot.SlackChannelConfigurationProps{
			SlackChannelConfigurationName: jsii.String(*g.stack.StackName() + "-alerts"),
			SlackWorkspaceId:              jsii.String(g.settings.SlackWorkspaceID),
			SlackChannelId:                jsii.String(g.settings.SlackChannelID),
			NotificationTopics:            &[]awssns.ITopic{g.topic},
			// The channel only shows alerts. Its role has no policy at all, and
			// the guardrail caps anything a channel member could run at read-only.
			GuardrailPolicies: &[]awsiam.IManagedPolicy{awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("ReadOnlyAccess"))},
			UserRoleRequired:  jsii.Bool(false),
		})
	}
}

// addOutcomes creates the outcome table (shared/outcome/dynamostore): on
// demand (a few writes per rollback, none otherwise), items expiring through
// TTL, encrypted with the alert key (the stack's one customer managed key,
// which guardrail-tampering watches and audit-guard restores; the functions
// already hold kms:Decrypt on it, which DynamoDB uses on their behalf to read
// the table key), point-in-time recovery on, and kept, as the log of what
// iamguard did, when the stack is deleted: retained and protected from
// deletion.
func (g *guardrail) addOutcomes() {
	g.outcomes = awsdynamodb.NewTable(g.stack, jsii.String("OutcomeTable"), &awsdynamodb.TableProps{
		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String(dynamostore.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
		SortKey:             &awsdynamodb.Attribute{Name: jsii.String(dynamostore.SortKey), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: jsii.String(dynamostore.TTLAttribute),
		Encryption:          awsdynamodb.TableEncryption_CUSTOMER_MANAGED,
		EncryptionKey:       g.alertsKey,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(true),
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
	})
}

// addFunctions creates one function per family. Roles come first: every
// function's configuration names all of iamguard's roles (loop protection).
func (g *guardrail) addFunctions() {
	for _, fam := range rules.Families() {
		id := pascal(fam.ID)
		gf := &guardFunction{family: fam, id: id}
		gf.role = awsiam.NewRole(g.stack, jsii.String(id+"Role"), &awsiam.RoleProps{
			AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
			Description: jsii.String("iamguard " + fam.ID + ": exactly the calls its rules' actions declare"),
		})
		g.functions = append(g.functions, gf)
	}
	// Loop protection knows iamguard's own sessions exactly: Lambda names an
	// execution role's session after the function, and the functions'
	// names are fixed (stack name and family), so no function's
	// configuration depends on another function.
	var selfSessions []*string
	for _, gf := range g.functions {
		selfSessions = append(selfSessions, awscdk.Fn_Join(jsii.String(""), &[]*string{
			jsii.String("arn:"), awscdk.Aws_PARTITION(), jsii.String(":sts::"), awscdk.Aws_ACCOUNT_ID(),
			jsii.String(":assumed-role/"), gf.role.RoleName(), jsii.String("/"), g.functionName(gf.family.ID),
		}))
	}
	// The functions publish to the topic; the key must let their roles use it.
	var principals []awsiam.IPrincipal
	for _, gf := range g.functions {
		principals = append(principals, gf.role)
	}
	g.alertsKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowIamguardFunctionsToPublish"),
		Principals: &principals,
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
	}), jsii.Bool(false))

	for _, gf := range g.functions {
		env := map[string]*string{
			config.EnvTopicARN:             g.topic.TopicArn(),
			config.EnvDefaultMode:          jsii.String(string(finding.ModeNotify)),
			config.EnvRemediateMinSeverity: jsii.String(g.settings.RemediateMinSeverity.String()),
			config.EnvExemptTag:            jsii.String(g.settings.ExemptTag),
			config.EnvSelfSessions:         awscdk.Fn_Join(jsii.String(","), &selfSessions),
		}
		var modes []string
		for _, r := range gf.family.Rules() {
			if m := g.settings.ModeFor(r.ID); m != finding.ModeNotify {
				modes = append(modes, r.ID+"="+string(m))
			}
		}
		setIfAny(env, config.EnvModes, modes)
		setIfAny(env, config.EnvExemptPrincipals, g.settings.ExemptPrincipals)
		setIfAny(env, config.EnvExemptTargets, g.settings.ExemptTargets)
		setIfAny(env, config.EnvTrustedAccounts, g.settings.TrustedAccounts)
		if g.settings.TrustedOrgID != "" {
			env[config.EnvTrustedOrgID] = jsii.String(g.settings.TrustedOrgID)
		}
		if len(gf.family.Actions()) > 0 {
			env[config.EnvOutcomeTable] = g.outcomes.TableName()
		}
		if g.settings.Organization() {
			g.orgEnv(gf, env)
		}
		if gf.family == rules.AuditGuard {
			// What the stack deployed, for guardrail-tampering: resources are
			// named after the stack; the key is named by its ARN; the CDK
			// bootstrap's deploy role updates the stack.
			env[config.EnvStackName] = g.stack.StackName()
			env[config.EnvKeyARN] = g.alertsKey.KeyArn()
			deployRoles := deployRolePattern + "," + execRolePattern
			if g.settings.Organization() {
				// In the member accounts, the StackSet's CloudFormation
				// works as its service-linked role: its updates of the
				// member stacks (named after this stack) are deployments.
				deployRoles += "," + stackSetsMemberRolePattern
			}
			env[config.EnvDeployRoles] = awscdk.Fn_Sub(jsii.String(deployRoles), nil)
		}

		var confirmQueue awssqs.Queue
		if g.confirms(gf.family) {
			confirmQueue = g.confirmQueue(gf)
			env[config.EnvConfirmQueueURL] = confirmQueue.QueueUrl()
			env[config.EnvConfirmMaxMinutes] = jsii.String(strconv.Itoa(g.settings.ConfirmMaxMinutes))
		}
		gf.function = g.buildFunction(gf.id, gf.family.ID, "iamguard "+gf.family.ID+": "+ruleList(gf.family), gf.role, env)
		if confirmQueue != nil {
			// One deferred event at a time: each is one LookupEvents (two a
			// second per account and Region), and a failure returns just it.
			gf.function.fn.AddEventSource(awslambdaeventsources.NewSqsEventSource(confirmQueue, &awslambdaeventsources.SqsEventSourceProps{
				BatchSize: jsii.Number(1),
			}))
		}
		// Only this function's code may use the role for what it grants: the
		// pattern AWS documents with lambda:SourceFunctionArn. Another
		// function given the role, or its credentials used outside Lambda,
		// is denied; the calls Lambda and SNS make for the function outside
		// its code (logs, the on-failure queue, the alert key) are spared.
		gf.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:    jsii.String("OnlyThisFunctionsCode"),
			Effect: awsiam.Effect_DENY,
			NotActions: jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage", "kms:Decrypt", "kms:GenerateDataKey",
				// Lambda polls the confirmation queue outside the code.
				"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]any{"ArnNotEquals": map[string]any{"lambda:SourceFunctionArn": g.functionARN(gf.family.ID)}},
		}))
		gf.dlq = g.queue(gf.id + "DeadLetters")
		// The role's statements beyond logs, alerts and its failure queue:
		// exactly the calls the family's actions and lookups declare.
		for _, st := range bindStatements(g.stack, gf.family, g.settings.ExemptTag, g.regions()) {
			gf.role.AddToPrincipalPolicy(st)
		}
		if g.settings.Organization() && len(gf.family.Actions()) > 0 {
			gf.role.AddToPrincipalPolicy(g.assumeResponderStatement())
			if g.settings.hasOUOverrides() {
				gf.role.AddToPrincipalPolicy(g.listParentsStatement())
			}
		}
		if len(gf.family.Actions()) > 0 {
			// Exactly the store's calls, on exactly the table.
			gf.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("RecordOutcomes"),
				Actions:   jsii.Strings(dynamostore.Calls...),
				Resources: &[]*string{g.outcomes.TableArn()},
			}))
		}
		g.alarmQueue(gf.id+"DeadLettersAlarm", gf.dlq, "iamguard "+gf.family.ID+": EventBridge could not deliver events to the function after its retries; they wait in this queue")
	}
}

// confirms reports whether a family's rollbacks wait for CloudTrail's
// confirmation: some rule of it rolls back (remediate mode, not dry-run)
// and confirmWithCloudTrail is on.
func (g *guardrail) confirms(fam *rules.Family) bool {
	if !g.settings.ConfirmWithCloudTrail {
		return false
	}
	for _, r := range fam.Rules() {
		if g.settings.ModeFor(r.ID) == finding.ModeRemediate && len(r.Actions) > 0 {
			return true
		}
	}
	return false
}

// confirmQueue creates the queue through which a family's rollbacks wait for
// CloudTrail, and grants the role exactly what that takes: sending to the
// queue, Lambda's polling of it, and CloudTrail's LookupEvents, which
// supports no resource-level permission.
func (g *guardrail) confirmQueue(gf *guardFunction) awssqs.Queue {
	dlq := g.queue(gf.id + "ConfirmDeadLetters")
	g.alarmQueue(gf.id+"ConfirmDeadLettersAlarm", dlq, "iamguard "+gf.family.ID+": events whose CloudTrail confirmation failed five times (LookupEvents or the function erred); their rollbacks did not happen")
	q := awssqs.NewQueue(g.stack, jsii.String(gf.id+"Confirm"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL: jsii.Bool(true),
		// Six times the function's timeout, as Lambda advises for a queue
		// it polls.
		VisibilityTimeout: awscdk.Duration_Seconds(jsii.Number(6 * functionTimeout)),
		RetentionPeriod:   awscdk.Duration_Days(jsii.Number(1)),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(5)},
	})
	gf.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("QueueConfirmations"),
		Actions:   jsii.Strings("sqs:SendMessage"),
		Resources: &[]*string{q.QueueArn()},
	}))
	gf.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReceiveConfirmations"),
		Actions:   jsii.Strings("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"),
		Resources: &[]*string{q.QueueArn()},
	}))
	gf.role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(lookupEventsSid),
		Actions:   jsii.Strings("cloudtrail:LookupEvents"),
		Resources: jsii.Strings("*"),
	}))
	return q
}

// lookupEventsSid names the one statement with a "*" resource: CloudTrail's
// LookupEvents takes none (the Service Authorization Reference lists no
// resource type for it), and reads only event history, never changes it.
const lookupEventsSid = "ConfirmWithCloudTrail"

// maxFunctionName is Lambda's limit on a function name.
const maxFunctionName = 64

// checkFunctionNames refuses a stack name too long for the functions' fixed
// names (stack name, "-", family) to fit Lambda's limit.
func checkFunctionNames(stackName string) error {
	for _, fam := range rules.Families() {
		if n := len(stackName) + 1 + len(fam.ID); n > maxFunctionName {
			return fmt.Errorf("stack name %q is too long: function %s-%s would have %d characters, Lambda allows %d", stackName, stackName, fam.ID, n, maxFunctionName)
		}
	}
	return nil
}

// functionName is the fixed name of a family's function: the stack's name
// and the family's ("Iamguard-policy-guard").
func (g *guardrail) functionName(family string) *string {
	return awscdk.Fn_Join(jsii.String("-"), &[]*string{awscdk.Aws_STACK_NAME(), jsii.String(family)})
}

// functionARN is the ARN of a family's function, built from its fixed name.
func (g *guardrail) functionARN(family string) *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("arn:"), awscdk.Aws_PARTITION(), jsii.String(":lambda:"), awscdk.Aws_REGION(), jsii.String(":"),
		awscdk.Aws_ACCOUNT_ID(), jsii.String(":function:"), g.functionName(family),
	})
}

// buildFunction creates a function from functions/<dir> with its log group,
// on-failure queue, the role's base statements and its alarms.
func (g *guardrail) buildFunction(id, dir, description string, role awsiam.Role, env map[string]*string) function {
	logs := awslogs.NewLogGroup(g.stack, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		Retention: retentionDays(g.settings.LogRetentionDays),
	})
	failed := g.queue(id + "Failed")
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("WriteOwnLogs"),
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &[]*string{logs.LogGroupArn()},
	}))
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("SendFailedEvents"),
		Actions:   jsii.Strings("sqs:SendMessage"),
		Resources: &[]*string{failed.QueueArn()},
	}))
	if dir != slackNotifyDir {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("PublishAlerts"),
			Actions:   jsii.Strings("sns:Publish"),
			Resources: &[]*string{g.topic.TopicArn()},
		}))
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("EncryptAlerts"),
			Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
			Resources: &[]*string{g.alertsKey.KeyArn()},
		}))
	}
	props := &awslambda.FunctionProps{
		Description:  jsii.String(description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         functionCode(g.repoRoot, dir),
		// Immutable: CDK's automatic grants (the destination's
		// sqs:GetQueueAttributes and the like) are dropped, so the role
		// holds exactly the statements above.
		Role:          role.WithoutPolicyUpdates(nil),
		LogGroup:      logs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		MemorySize:    jsii.Number(functionMemoryMB),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(functionTimeout)),
		Environment:   &env,
		RetryAttempts: jsii.Number(asyncRetryAttempts),
		MaxEventAge:   awscdk.Duration_Hours(jsii.Number(asyncMaxEventAge)),
		OnFailure:     awslambdadestinations.NewSqsDestination(failed),
	}
	if n := g.settings.ReservedConcurrency; n > 0 {
		props.ReservedConcurrentExecutions = jsii.Number(float64(n))
	}
	if dir != slackNotifyDir {
		props.FunctionName = g.functionName(dir)
	}
	fn := awslambda.NewFunction(g.stack, jsii.String(id), props)
	// The immutable role does not carry the dependency on its policy: the
	// function must not run before its permissions exist.
	fn.Node().AddDependency(role)

	g.alarm(id+"ErrorsAlarm", "iamguard "+dir+": the function returned errors (Lambda retries, then parks the event in its on-failure queue)",
		fn.MetricErrors(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Sum")}))
	g.alarm(id+"ThrottlesAlarm", "iamguard "+dir+": invocations were throttled (check the account's concurrency and reservedConcurrency)",
		fn.MetricThrottles(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Sum")}))
	g.alarmQueue(id+"FailedAlarm", failed, "iamguard "+dir+": the function failed on events after Lambda's retries; they wait in this queue")
	return function{fn: fn, logs: logs, failed: failed}
}

// queue creates an encrypted, TLS-only queue that keeps messages as long as
// SQS allows.
func (g *guardrail) queue(id string) awssqs.Queue {
	q := newParkingQueue(g.stack, id)
	g.queues = append(g.queues, q)
	return q
}

func newParkingQueue(scope constructs.Construct, id string) awssqs.Queue {
	return awssqs.NewQueue(scope, jsii.String(id), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(queueRetentionDays)),
	})
}

func (g *guardrail) alarm(id, description string, metric awscloudwatch.IMetric) {
	newAlarm(g.stack, id, description, metric, g.topic)
}

func (g *guardrail) alarmQueue(id string, q awssqs.Queue, description string) {
	g.alarm(id, description, queueDepth(q))
}

// queueDepth is the most messages visible in a queue over a minute.
func queueDepth(q awssqs.Queue) awscloudwatch.IMetric {
	return q.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
		Period: awscdk.Duration_Minutes(jsii.Number(1)), Statistic: jsii.String("Maximum"),
	})
}

// newAlarm alarms when the metric is above zero in one period, and
// notifies the topic.
func newAlarm(scope constructs.Construct, id, description string, metric awscloudwatch.IMetric, topic awssns.ITopic) {
	a := awscloudwatch.NewAlarm(scope, jsii.String(id), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String(description),
		Metric:             metric,
		Threshold:          jsii.Number(0),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	a.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))
}

// addRules creates one EventBridge rule per pattern of every rule in the
// table, targeting the rule family's function. The pattern is handed to
// CloudFormation as the table holds it (CfnRule takes raw JSON), so there is
// no second copy to drift.
//
// With the organisation shape, the same rules are also deployed on the
// organisation's bus (IDs …OrgRule…), where the member accounts' events
// arrive, with the same targets and their own FailedInvocations alarms.
func (g *guardrail) addRules() {
	type bus struct {
		name *string // nil: the default bus
		kind string  // "" or "Org", in construct IDs
	}
	buses := []bus{{}}
	if g.orgBus != nil {
		buses = append(buses, bus{name: g.orgBus.EventBusName(), kind: "Org"})
	}
	for _, gf := range g.functions {
		var ruleARNs []*string
		for _, b := range buses {
			var ruleNames []*string
			for _, r := range gf.family.Rules() {
				for i, p := range r.Patterns {
					id := pascal(r.ID) + b.kind + "Rule"
					if len(r.Patterns) > 1 {
						id += strconv.Itoa(i + 1)
					}
					var name *string
					if b.name != nil {
						// Named, so that its metrics' RuleName dimension is
						// known (a custom bus's rule's Ref is "BUS|NAME").
						name = jsii.String(truncate(*g.stack.StackName()+"-"+id, 64))
					}
					cr := awsevents.NewCfnRule(g.stack, jsii.String(id), &awsevents.CfnRuleProps{
						Name:         name,
						Description:  jsii.String(truncate("iamguard "+r.ID+": "+r.Title, 512)),
						EventBusName: b.name,
						EventPattern: map[string]any(p),
						State:        jsii.String(ruleState),
						Targets: &[]any{&awsevents.CfnRule_TargetProperty{
							Id:  jsii.String(gf.id),
							Arn: gf.fn.FunctionArn(),
							RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
								MaximumEventAgeInSeconds: jsii.Number(targetMaxEventAge),
								MaximumRetryAttempts:     jsii.Number(targetRetryAttempts),
							},
							DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: gf.dlq.QueueArn()},
						}},
					})
					gf.fn.AddPermission(jsii.String(id+"Invoke"), &awslambda.Permission{
						Principal: awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil),
						Action:    jsii.String("lambda:InvokeFunction"),
						SourceArn: cr.AttrArn(),
					})
					ruleARNs = append(ruleARNs, cr.AttrArn())
					if name == nil {
						name = cr.Ref() // a default-bus rule's Ref is its name
					}
					ruleNames = append(ruleNames, name)
				}
			}
			g.alarmRuleFailures(gf, b.kind, b.name, ruleNames)
		}
		allowRulesToPark(gf.dlq, ruleARNs)
	}
}

// maxAlarmMetrics is how many metrics one alarm's metric math may use.
const maxAlarmMetrics = 10

// alarmRuleFailures alarms on the EventBridge rules' FailedInvocations: an
// event a rule matched but could not deliver to the function. The rules are
// summed in groups, one alarm per group, as an alarm's math takes at most
// maxAlarmMetrics metrics.
//
// A custom bus's rules' metrics carry the EventBusName dimension too.
func (g *guardrail) alarmRuleFailures(gf *guardFunction, kind string, bus *string, ruleNames []*string) {
	for start, n := 0, 1; start < len(ruleNames); start, n = start+maxAlarmMetrics, n+1 {
		chunk := ruleNames[start:min(start+maxAlarmMetrics, len(ruleNames))]
		using := map[string]awscloudwatch.IMetric{}
		var terms []string
		for i, name := range chunk {
			key := "rule" + strconv.Itoa(i+1)
			dims := &map[string]*string{"RuleName": name}
			if bus != nil {
				(*dims)["EventBusName"] = bus
			}
			using[key] = awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
				Namespace:     jsii.String("AWS/Events"),
				MetricName:    jsii.String("FailedInvocations"),
				DimensionsMap: dims,
				Statistic:     jsii.String("Sum"),
				Period:        awscdk.Duration_Minutes(jsii.Number(1)),
			})
			terms = append(terms, "FILL("+key+", 0)")
		}
		id := gf.id + kind + "RulesFailedAlarm"
		if len(ruleNames) > maxAlarmMetrics {
			id += strconv.Itoa(n)
		}
		g.alarm(id, "iamguard "+gf.family.ID+": an EventBridge rule matched an event but failed to invoke the function (FailedInvocations); "+
			"after its retries the event waits in the dead-letter queue", awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   jsii.String(strings.Join(terms, " + ")),
			UsingMetrics: &using,
			Label:        jsii.String("FailedInvocations"),
			Period:       awscdk.Duration_Minutes(jsii.Number(1)),
		}))
	}
}

// allowRulesToPark lets exactly these EventBridge rules send to a dead-letter queue.
func allowRulesToPark(q awssqs.Queue, ruleARNs []*string) {
	if len(ruleARNs) == 0 {
		return
	}
	q.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowIamguardRules"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sqs:SendMessage"),
		Resources:  &[]*string{q.QueueArn()},
		Conditions: &map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": ruleARNs}},
	}))
}

// addSlack deploys slack-notify, subscribed to the topic, when a webhook
// secret is named.
func (g *guardrail) addSlack() {
	name := g.settings.SlackWebhookSecretName
	if name == "" {
		return
	}
	const id = "SlackNotify"
	role := awsiam.NewRole(g.stack, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("iamguard slack-notify: reads its webhook secret, writes its logs"),
	})
	// Secrets Manager appends six random characters to a secret's name.
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:     jsii.String("ReadWebhookSecret"),
		Actions: jsii.Strings("secretsmanager:GetSecretValue"),
		Resources: &[]*string{g.stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("secretsmanager"), Resource: jsii.String("secret"),
			ResourceName: jsii.String(name + "-??????"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
	}))
	env := map[string]*string{envSlackSecretID: jsii.String(name)}
	fn := g.buildFunction(id, slackNotifyDir, "iamguard slack-notify: posts alerts to a Slack incoming webhook", role, env).fn
	undelivered := g.queue(id + "Undelivered")
	g.topic.AddSubscription(awssnssubscriptions.NewLambdaSubscription(fn, &awssnssubscriptions.LambdaSubscriptionProps{
		DeadLetterQueue: undelivered,
	}))
	g.alarmQueue(id+"UndeliveredAlarm", undelivered, "iamguard slack-notify: SNS could not deliver alerts to the function; they wait in this queue")
}

// addTrail creates a multi-Region trail with log-file validation, writing to
// a KMS-encrypted, TLS-only, private bucket whose access is logged.
func (g *guardrail) addTrail() {
	// Everything under one construct: its context makes S3 deliver server
	// access logs under a bucket policy, not the legacy LogDeliveryWrite ACL
	// (which bucket-owner-enforced buckets refuse).
	scope := constructs.NewConstruct(g.stack, jsii.String("CloudTrail"))
	scope.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)
	trailName := *g.stack.StackName() + "-trail"
	trailARN := g.stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Resource: jsii.String("trail"), ResourceName: jsii.String(trailName),
	})
	key := awskms.NewKey(scope, jsii.String("Key"), &awskms.KeyProps{
		Description:       jsii.String("iamguard: encrypts the CloudTrail log files"),
		EnableKeyRotation: jsii.Bool(true),
	})
	cloudtrailPrincipal := awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowTheTrailToEncryptLogs"),
		Principals: &[]awsiam.IPrincipal{cloudtrailPrincipal},
		Actions:    jsii.Strings("kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceArn": trailARN},
			"StringLike": map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": g.stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("cloudtrail"), Region: jsii.String("*"), Resource: jsii.String("trail"), ResourceName: jsii.String("*"),
			})},
		},
	}), jsii.Bool(false))
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowTheTrailToDescribeTheKey"),
		Principals: &[]awsiam.IPrincipal{cloudtrailPrincipal},
		Actions:    jsii.Strings("kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailARN}},
	}), jsii.Bool(false))

	accessLogs := awss3.NewBucket(scope, jsii.String("AccessLogs"), &awss3.BucketProps{
		// S3 server access logs can only be delivered to SSE-S3 buckets.
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:         jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	bucket := awss3.NewBucket(scope, jsii.String("Bucket"), &awss3.BucketProps{
		Encryption:             awss3.BucketEncryption_KMS,
		EncryptionKey:          key,
		BucketKeyEnabled:       jsii.Bool(true),
		EnforceSSL:             jsii.Bool(true),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:              jsii.Bool(true),
		ServerAccessLogsBucket: accessLogs,
		ServerAccessLogsPrefix: jsii.String("trail-bucket/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
	})
	awscloudtrail.NewTrail(scope, jsii.String("Trail"), &awscloudtrail.TrailProps{
		TrailName:                  jsii.String(trailName),
		Bucket:                     bucket,
		EncryptionKey:              key,
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableFileValidation:       jsii.Bool(true),
		ManagementEvents:           awscloudtrail.ReadWriteType_ALL,
	})
}

// regions are the Regions the stack watches: its own and every forwarding
// Region, where a resource with a Region (a trail) may live.
func (g *guardrail) regions() []string {
	out := []string{*g.stack.Region()}
	for _, r := range g.settings.ForwardRegions {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// retentionDays maps a validated number of days to CDK's enum.
func retentionDays(days int) awslogs.RetentionDays {
	return logRetention[days]
}

// setIfAny sets key to the comma-joined values, when there are any.
func setIfAny(env map[string]*string, key string, values []string) {
	if len(values) > 0 {
		env[key] = jsii.String(strings.Join(values, ","))
	}
}

// ruleList names a family's rules, for descriptions.
func ruleList(family *rules.Family) string {
	var ids []string
	for _, r := range family.Rules() {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ", ")
}

// pascal turns "access-key-created" into "AccessKeyCreated".
func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
