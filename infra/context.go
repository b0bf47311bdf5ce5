package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/iamguard/iamguard/internal/docgen"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

// HomeRegion is where the stack with the IAM rules must deploy.
//
// IAM is a global service: its CloudTrail events reach EventBridge only in
// us-east-1, so a rule for them anywhere else would never fire.
const HomeRegion = "us-east-1"

// The context keys the app reads (ContextSettings documents each). Values
// given with `cdk -c key=value` arrive as strings; values in cdk.json keep
// their JSON types; both are accepted.
const (
	KeyRegion                 = "region"
	KeyNotifyEmails           = "notifyEmails"
	KeySlackWorkspaceID       = "slackWorkspaceId"
	KeySlackChannelID         = "slackChannelId"
	KeySlackWebhookSecretName = "slackWebhookSecretName"
	KeyRemediate              = "remediate"
	KeyRemediateMinSeverity   = "remediateMinSeverity"
	KeyDryRun                 = "dryRun"
	KeyExemptPrincipals       = "exemptPrincipals"
	KeyExemptTargets          = "exemptTargets"
	KeyExemptTag              = "exemptTag"
	KeyTrustedAccounts        = "trustedAccounts"
	KeyTrustedOrgID           = "trustedOrgId"
	KeyCreateTrail            = "createTrail"
	KeyForwardRegions         = "forwardRegions"
	KeyLogRetentionDays       = "logRetentionDays"
	KeyReservedConcurrency    = "reservedConcurrency"
	KeyCanaryMinutes          = "canaryMinutes"
	KeyConfirmWithCloudTrail  = "confirmWithCloudTrail"
	KeyConfirmMaxMinutes      = "confirmMaxMinutes"
)

// DefaultCanaryMinutes is the canary's default period; MaxCanaryMinutes
// keeps the blind alarm's period (the canary's plus rules.CanaryMargin)
// within CloudWatch's one-day evaluation range.
const (
	DefaultCanaryMinutes = 60
	MinCanaryMinutes     = 5
	MaxCanaryMinutes     = 24*60 - 15
)

// ContextKeys lists every key the app reads, in the README's order.
var ContextKeys = func() []string {
	var out []string
	for _, st := range ContextSettings {
		out = append(out, st.Key)
	}
	return out
}()

// Defaults of the keys that are not empty or false by default.
const (
	DefaultRemediateMinSeverity = severity.Critical
	DefaultLogRetentionDays     = 365
	DefaultConfirmMaxMinutes    = 60
)

// Settings is the app's configuration, read from CDK context and validated
// by SettingsFromContext. The zero value is not valid; DefaultSettings is.
type Settings struct {
	// Region is where the main stack deploys; only HomeRegion is accepted.
	Region string
	// NotifyEmails are subscribed to the alert topic (each must confirm).
	NotifyEmails []string
	// SlackWorkspaceID and SlackChannelID configure an AWS Chatbot (Amazon Q
	// Developer in chat applications) Slack channel; both or neither.
	SlackWorkspaceID string
	SlackChannelID   string
	// SlackWebhookSecretName names a Secrets Manager secret holding a Slack
	// incoming-webhook URL; when set, the slack-notify function is deployed.
	SlackWebhookSecretName string
	// Remediate lists the IDs of the rules that roll back what they flag.
	Remediate []string
	// RemediateMinSeverity is the lowest severity a rollback acts on.
	RemediateMinSeverity severity.Severity
	// DryRun turns every rule of Remediate into dry-run: notify, and say
	// what the rollback would have done.
	DryRun bool
	// ExemptPrincipals and ExemptTargets are ARN patterns that are notified
	// about but never rolled back (actors) or never touched (targets).
	ExemptPrincipals []string
	ExemptTargets    []string
	// ExemptTag is the tag key that exempts a user, role or policy tagged
	// "true"; the roles' IAM conditions enforce it too.
	ExemptTag string
	// TrustedAccounts and TrustedOrgID are whom a role's trust policy may
	// let in without a trust-policy finding, besides this account.
	TrustedAccounts []string
	TrustedOrgID    string
	// CreateTrail creates a multi-Region CloudTrail trail.
	CreateTrail bool
	// ForwardRegions each get a stack that forwards the events of the rules not pinned to IAM
	// to the default event bus in HomeRegion.
	ForwardRegions []string
	// LogRetentionDays is the retention of every log group.
	LogRetentionDays int
	// ReservedConcurrency reserves that many concurrent executions for each
	// function; 0 reserves none (the default: low-quota accounts cannot).
	ReservedConcurrency int
	// CanaryMinutes is the canary's period: every so often a role of the
	// stack tags the canary policy, and an alarm fires when audit-guard has
	// not seen it for the period plus rules.CanaryMargin. 0 turns it off.
	CanaryMinutes int
	// ConfirmWithCloudTrail makes every rollback in remediate mode wait for
	// CloudTrail to confirm its event (LookupEvents, through a delay queue
	// per function that rolls back). On by default.
	ConfirmWithCloudTrail bool
	// ConfirmMaxMinutes is how long a function keeps looking an event up
	// before it reports it unconfirmed and never acts on it.
	ConfirmMaxMinutes int
	// OrganizationID and MemberOUs turn the organisation shape on (both or
	// neither): the stack is the central one, in the security account,
	// and a StackSet deploys the member template to the accounts of the
	// OUs (org.go).
	OrganizationID string
	MemberOUs      []string
	// AccountOverrides are the modes and exemptions of some accounts or
	// OUs that differ from the stack's.
	AccountOverrides map[string]AccountOverride
}

// DefaultSettings returns the configuration with every key at its default.
func DefaultSettings() Settings {
	return Settings{
		Region:                HomeRegion,
		RemediateMinSeverity:  DefaultRemediateMinSeverity,
		ExemptTag:             config.DefaultExemptTag,
		LogRetentionDays:      DefaultLogRetentionDays,
		CanaryMinutes:         DefaultCanaryMinutes,
		ConfirmWithCloudTrail: true,
		ConfirmMaxMinutes:     DefaultConfirmMaxMinutes,
	}
}

// ModeFor returns the mode the functions run a rule in.
func (s Settings) ModeFor(ruleID string) finding.Mode {
	if !slices.Contains(s.Remediate, ruleID) {
		return finding.ModeNotify
	}
	if s.DryRun {
		return finding.ModeDryRun
	}
	return finding.ModeRemediate
}

// logRetention maps the retention periods CloudWatch Logs accepts, in days,
// to CDK's names for them.
var logRetention = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
	7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
	150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
	1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
	3653: awslogs.RetentionDays_TEN_YEARS,
}

var (
	emailRE      = regexp.MustCompile(`^[^@\s,;"'<>]+@[^@\s,;"'<>]+\.[^@\s,;"'<>.]+$`)
	workspaceRE  = regexp.MustCompile(`^[0-9A-Z]{1,255}$`)
	channelRE    = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	secretNameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	regionRE     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	tagKeyRE     = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$`)
)

// Setting is one CDK context key: SettingsFromContext parses it, and the
// README's table of them is rendered from it (make docs).
type Setting struct {
	// Key is the context key.
	Key string
	// Default is the value DefaultSettings gives, as the README shows it.
	Default string
	// Doc says what the key means, in short markdown-safe text.
	Doc string
	// Parse reads a value that is present and not null into s. It returns
	// each problem without the key, which SettingsFromContext adds.
	Parse func(s *Settings, v any) error
}

// ContextSettings lists every key the app reads, in the README's order.
var ContextSettings = append([]Setting{
	{KeyNotifyEmails, "`[]`", "email addresses subscribed to the alert topic", func(s *Settings, v any) error {
		l, err := asList(v)
		var errs []error
		for _, e := range l {
			if !emailRE.MatchString(e) {
				errs = append(errs, fmt.Errorf("%q is not an email address", e))
			} else if !slices.Contains(s.NotifyEmails, e) {
				s.NotifyEmails = append(s.NotifyEmails, e)
			}
		}
		return errors.Join(append(errs, err)...)
	}},
	{KeySlackWorkspaceID, "`\"\"`", "an AWS Chatbot Slack workspace for the topic (authorise it once in the Chatbot console first); needs `" + KeySlackChannelID + "`",
		func(s *Settings, v any) error {
			t, err := asString(v)
			if err == nil && t != "" && !workspaceRE.MatchString(t) {
				err = fmt.Errorf("%q is not a Slack workspace ID (upper-case letters and digits, such as T012ABCDEF; the AWS Chatbot console shows it)", t)
			}
			s.SlackWorkspaceID = t
			return err
		}},
	{KeySlackChannelID, "`\"\"`", "the Slack channel of that workspace; needs `" + KeySlackWorkspaceID + "`", func(s *Settings, v any) error {
		t, err := asString(v)
		if err == nil && t != "" && !channelRE.MatchString(t) {
			err = fmt.Errorf("%q is not a Slack channel ID (letters and digits, such as C012ABCDEF; not the channel's #name)", t)
		}
		s.SlackChannelID = t
		return err
	}},
	{KeySlackWebhookSecretName, "`\"\"`", "deploys `slack-notify`, posting to the Slack incoming webhook whose URL is in this Secrets Manager secret (default `aws/secretsmanager` key)",
		func(s *Settings, v any) error {
			t, err := asString(v)
			switch {
			case err != nil || t == "":
			case strings.HasPrefix(t, "arn:"):
				err = fmt.Errorf("give the secret's name, not its ARN (%q)", t)
			case !secretNameRE.MatchString(t):
				err = fmt.Errorf("%q is not a Secrets Manager secret name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -)", t)
			}
			s.SlackWebhookSecretName = t
			return err
		}},
	{KeyRemediate, "`[]`", "rules put in remediate mode, of those with a response action: `" + strings.Join(remediableRules(), "`, `") + "`; the others notify", func(s *Settings, v any) error {
		l, err := asList(v)
		errs := []error{err}
		for _, id := range l {
			r, ok := rules.ByID(id)
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("unknown rule %q: rules that can roll back are %s", id, strings.Join(remediableRules(), ", ")))
			case len(r.Actions) == 0:
				errs = append(errs, fmt.Errorf("rule %q has no rollback (no registered response action); rules that can roll back are %s", id, strings.Join(remediableRules(), ", ")))
			case !slices.Contains(s.Remediate, id):
				s.Remediate = append(s.Remediate, id)
			}
		}
		return errors.Join(errs...)
	}},
	{KeyRemediateMinSeverity, "`" + DefaultRemediateMinSeverity.String() + "`", "lowest severity a rollback acts on: `low`, `medium`, `high`, `critical`",
		func(s *Settings, v any) error {
			t, err := asString(v)
			if err != nil || t == "" {
				return err
			}
			sev, err := severity.Parse(t)
			switch {
			case err != nil:
				return fmt.Errorf("%q: want low, medium, high or critical", t)
			case sev < severity.Low:
				return fmt.Errorf("%q: rollbacks start at low or above", t)
			}
			s.RemediateMinSeverity = sev
			return nil
		}},
	{KeyDryRun, "`false`", "the `remediate` rules run in dry-run: alerts say what would be done", func(s *Settings, v any) (err error) {
		s.DryRun, err = asBool(v)
		return err
	}},
	{KeyExemptPrincipals, "`[]`", "ARN patterns of actors never rolled back (a deployment pipeline), matched as IAM matches ARNs in a Resource element: field by field, `*` and `?` never crossing a `:` except a final `*`", func(s *Settings, v any) (err error) {
		s.ExemptPrincipals, err = arnPatterns(v, false)
		return err
	}},
	{KeyExemptTargets, "`[]`", "ARN patterns of users, roles, groups, policies never touched (break-glass); write user, role and group ARNs " +
		"without their IAM path (events do not carry it; a pattern with a path is refused)", func(s *Settings, v any) (err error) {
		s.ExemptTargets, err = arnPatterns(v, true)
		return err
	}},
	{KeyExemptTag, "`" + config.DefaultExemptTag + "`", "tag key that exempts a user, role or policy tagged `true`; also enforced by the roles' IAM conditions",
		func(s *Settings, v any) error {
			t, err := asString(v)
			switch {
			case err != nil:
				return err
			case !tagKeyRE.MatchString(t) || strings.HasPrefix(strings.ToLower(t), "aws:"):
				return fmt.Errorf("%q is not a tag key iamguard can use: 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws:", t)
			}
			s.ExemptTag = t
			return nil
		}},
	{KeyTrustedAccounts, "`[]`", "other AWS account IDs a role's trust policy may name without a `trust-policy` finding", func(s *Settings, v any) error {
		l, err := asList(v)
		errs := []error{err}
		for _, a := range l {
			switch {
			case !config.IsAccountID(a):
				errs = append(errs, fmt.Errorf("%q is not a 12-digit AWS account ID", a))
			case !slices.Contains(s.TrustedAccounts, a):
				s.TrustedAccounts = append(s.TrustedAccounts, a)
			}
		}
		return errors.Join(errs...)
	}},
	{KeyTrustedOrgID, "`\"\"`", "the AWS Organizations ID (`o-...`) a trust policy may limit principals to with `aws:PrincipalOrgID`", func(s *Settings, v any) error {
		t, err := asString(v)
		if err != nil || t == "" {
			return err
		}
		if !config.IsOrgID(t) {
			return fmt.Errorf("%q is not an organisation ID (such as o-a1b2c3d4e5)", t)
		}
		s.TrustedOrgID = t
		return nil
	}},
	{KeyCreateTrail, "`false`", "create a multi-region trail with log-file validation and an encrypted bucket", func(s *Settings, v any) (err error) {
		s.CreateTrail, err = asBool(v)
		return err
	}},
	{KeyForwardRegions, "`[]`", "Regions whose events for the rules not pinned to IAM are forwarded to the us-east-1 bus: root API calls, " +
		"IAM users' sign-ins and STS federation tokens happen in every Region, a trail's events arrive in its home Region, IAM Identity " +
		"Center's in its home Region, Roles Anywhere's where it is used: list every Region that holds a trail, the Identity Center " +
		"instance or Roles Anywhere trust anchors; audit-guard's role may start trails in these Regions", func(s *Settings, v any) error {
		l, err := asList(v)
		errs := []error{err}
		for _, r := range l {
			switch {
			case !regionRE.MatchString(r):
				errs = append(errs, fmt.Errorf("%q is not a Region name (such as eu-west-1)", r))
			case r == HomeRegion:
				errs = append(errs, fmt.Errorf("%s is where events are forwarded to; list only the other Regions", r))
			case !slices.Contains(s.ForwardRegions, r):
				s.ForwardRegions = append(s.ForwardRegions, r)
			}
		}
		return errors.Join(errs...)
	}},
	{KeyConfirmWithCloudTrail, "`true`", "a rollback in remediate mode waits until CloudTrail confirms its event (LookupEvents by event ID, " +
		"same call, actor and parameters; first lookup after 5 minutes, CloudTrail's documented average delivery): anyone allowed to " +
		"invoke a function cannot make it act on a forged event. `false` acts on the event as EventBridge delivered it", func(s *Settings, v any) (err error) {
		s.ConfirmWithCloudTrail, err = asBool(v)
		return err
	}},
	{KeyConfirmMaxMinutes, "`" + strconv.Itoa(DefaultConfirmMaxMinutes) + "`", "minutes a function keeps looking an event up in CloudTrail before it reports it unconfirmed and never acts on it (10 to 720)", func(s *Settings, v any) error {
		n, err := asInt(v)
		if err != nil {
			return err
		}
		if n < 10 || n > 720 {
			return fmt.Errorf("%d: want 10 to 720 minutes", n)
		}
		s.ConfirmMaxMinutes = n
		return nil
	}},
	{KeyLogRetentionDays, "`" + strconv.Itoa(DefaultLogRetentionDays) + "`", "retention of the functions' log groups (a value CloudWatch Logs accepts)",
		func(s *Settings, v any) error {
			days, err := asInt(v)
			if err != nil {
				return err
			}
			if _, ok := logRetention[days]; !ok {
				return fmt.Errorf("%d: CloudWatch Logs accepts %s", days, joinInts(slices.Sorted(maps.Keys(logRetention))))
			}
			s.LogRetentionDays = days
			return nil
		}},
	{KeyReservedConcurrency, "`0` (off)", "reserved concurrency per function; off by default because low-quota accounts cannot reserve",
		func(s *Settings, v any) error {
			if t, isString := v.(string); isString && (strings.EqualFold(strings.TrimSpace(t), "off") || strings.TrimSpace(t) == "") {
				s.ReservedConcurrency = 0
				return nil
			}
			if b, isBool := v.(bool); isBool && !b {
				s.ReservedConcurrency = 0
				return nil
			}
			n, err := asInt(v)
			switch {
			case err != nil:
				return fmt.Errorf("%w (0 or off reserves none)", err)
			case n < 0:
				return fmt.Errorf("%d: want 0 (off) or a positive number of concurrent executions per function", n)
			}
			s.ReservedConcurrency = n
			return nil
		}},
	{KeyCanaryMinutes, "`" + strconv.Itoa(DefaultCanaryMinutes) + "`", "the canary's period in minutes (" + strconv.Itoa(MinCanaryMinutes) + " to " +
		strconv.Itoa(MaxCanaryMinutes) + "): a schedule tags the stack's canary policy, and the blind alarm fires when audit-guard has not seen " +
		"the write for the period plus 15 minutes; `0` turns the canary and its alarm off",
		func(s *Settings, v any) error {
			n, err := asInt(v)
			if err != nil {
				return err
			}
			if n != 0 && (n < MinCanaryMinutes || n > MaxCanaryMinutes) {
				return fmt.Errorf("%d: want 0 (off) or %d to %d minutes", n, MinCanaryMinutes, MaxCanaryMinutes)
			}
			s.CanaryMinutes = n
			return nil
		}},
	{KeyRegion, "`" + HomeRegion + "`", "any other value is refused: IAM events reach EventBridge only in us-east-1", func(s *Settings, v any) error {
		t, err := asString(v)
		if err != nil {
			return err
		}
		if t == "" {
			t = HomeRegion
		}
		s.Region = t
		return CheckRegion(t)
	}},
}, orgSettings...)

// arnPatterns reads a list of ARN patterns, each once; targets are also
// refused when they name an IAM path.
func arnPatterns(v any, targets bool) ([]string, error) {
	l, err := asList(v)
	errs := []error{err}
	var out []string
	for _, p := range l {
		if !strings.HasPrefix(p, "arn:") {
			errs = append(errs, fmt.Errorf("%q is not an ARN pattern (such as arn:aws:iam::111122223333:role/breakglass-*)", p))
			continue
		}
		if err := config.CheckPattern(p); err != nil {
			errs = append(errs, err)
			continue
		}
		if targets {
			if err := config.CheckTargetPattern(p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, errors.Join(errs...)
}

// SettingsFromContext reads and validates every key of ctx that the app
// knows (see ContextSettings), starting from DefaultSettings. It reports all
// problems at once, each naming its key. A key it does not know is an error
// too (a misspelt key would otherwise be ignored silently), except CDK's own
// keys, which contain ':' or start with '@'.
func SettingsFromContext(ctx map[string]any) (Settings, error) {
	s := DefaultSettings()
	var errs []error
	var fail func(key string, err error)
	fail = func(key string, err error) {
		if err == nil {
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				fail(key, e)
			}
			return
		}
		errs = append(errs, fmt.Errorf("context %s: %w", key, err))
	}

	var unknown []string
	for k := range ctx {
		if !slices.Contains(ContextKeys, k) && !strings.ContainsAny(k, ":@") {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		fail(k, fmt.Errorf("unknown key: iamguard reads %s", strings.Join(ContextKeys, ", ")))
	}

	for _, st := range ContextSettings {
		if v, ok := ctx[st.Key]; ok && v != nil {
			fail(st.Key, st.Parse(&s, v))
		}
	}

	// AWS Chatbot needs both the workspace and the channel.
	switch {
	case s.SlackWorkspaceID != "" && s.SlackChannelID == "":
		fail(KeySlackChannelID, fmt.Errorf("required when %s is set: AWS Chatbot needs both the workspace and the channel", KeySlackWorkspaceID))
	case s.SlackWorkspaceID == "" && s.SlackChannelID != "":
		fail(KeySlackWorkspaceID, fmt.Errorf("required when %s is set: AWS Chatbot needs both the workspace and the channel", KeySlackChannelID))
	}

	checkOrganization(&s, fail)

	if len(errs) > 0 {
		return Settings{}, fmt.Errorf("invalid iamguard context: %w", errors.Join(errs...))
	}
	return s, nil
}

// CheckRegion returns an error unless region is HomeRegion, saying why.
func CheckRegion(region string) error {
	if region == HomeRegion {
		return nil
	}
	return fmt.Errorf("region %q: iamguard's IAM rules must deploy in %s, because IAM is a global service whose CloudTrail events "+
		"reach EventBridge only in %s: rules in any other Region would never fire. Deploy the main stack to %s and "+
		"list other Regions in %s to forward the events of the rules not pinned to IAM (sign-in, root, STS, trail, Identity Center, Roles Anywhere, Health)", region, HomeRegion, HomeRegion, HomeRegion, KeyForwardRegions)
}

// remediableRules returns the IDs of the rules that plan a rollback.
func remediableRules() []string {
	var ids []string
	for _, r := range rules.Table() {
		if len(r.Actions) > 0 {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func asString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s), nil
	}
	return "", fmt.Errorf("want a string, got %s", describe(v))
}

// asList accepts a JSON array of strings, a comma-separated string, or a
// string holding a JSON array (what `-c key='["a","b"]'` passes).
func asList(v any) ([]string, error) {
	var items []any
	switch x := v.(type) {
	case string:
		t := strings.TrimSpace(x)
		if strings.HasPrefix(t, "[") {
			if err := json.Unmarshal([]byte(t), &items); err != nil {
				return nil, fmt.Errorf("%q is not a JSON array: %v", t, err)
			}
			break
		}
		for _, f := range strings.Split(t, ",") {
			items = append(items, f)
		}
	case []any:
		items = x
	case []string:
		for _, s := range x {
			items = append(items, s)
		}
	default:
		return nil, fmt.Errorf("want a list (a JSON array of strings or a comma-separated string), got %s", describe(v))
	}
	var out []string
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("item %d: want a string, got %s", i+1, describe(it))
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

func asBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false", "":
			return false, nil
		}
	}
	return false, fmt.Errorf("want true or false, got %s", describe(v))
}

func asInt(v any) (int, error) {
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1e9 {
			return 0, fmt.Errorf("want a whole number, got %v", x)
		}
		return int(x), nil
	case int:
		return x, nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return 0, fmt.Errorf("want a whole number, got %q", x)
		}
		return n, nil
	}
	return 0, fmt.Errorf("want a whole number, got %s", describe(v))
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case bool, float64, int:
		return fmt.Sprintf("%v", x)
	case []any, []string:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// contextMarkdown renders the README's table of context keys from
// ContextSettings.
func contextMarkdown() string {
	var rows [][]string
	for _, st := range ContextSettings {
		rows = append(rows, []string{"`" + st.Key + "`", st.Default, st.Doc})
	}
	return docgen.Table([]string{"key", "default", "meaning"}, rows)
}
