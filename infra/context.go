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

// The context keys the app reads, in the order of the README's table. Values
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
	KeyCreateTrail            = "createTrail"
	KeyForwardRegions         = "forwardRegions"
	KeyLogRetentionDays       = "logRetentionDays"
	KeyReservedConcurrency    = "reservedConcurrency"
)

// ContextKeys lists every key the app reads, in the README's order.
var ContextKeys = []string{
	KeyRegion, KeyNotifyEmails, KeySlackWorkspaceID, KeySlackChannelID, KeySlackWebhookSecretName,
	KeyRemediate, KeyRemediateMinSeverity, KeyDryRun, KeyExemptPrincipals, KeyExemptTargets, KeyExemptTag,
	KeyCreateTrail, KeyForwardRegions, KeyLogRetentionDays, KeyReservedConcurrency,
}

// Defaults of the keys that are not empty or false by default.
const (
	DefaultRemediateMinSeverity = severity.Critical
	DefaultLogRetentionDays     = 365
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
	// CreateTrail creates a multi-Region CloudTrail trail.
	CreateTrail bool
	// ForwardRegions each get a stack that forwards sign-in and root events
	// to the default event bus in HomeRegion.
	ForwardRegions []string
	// LogRetentionDays is the retention of every log group.
	LogRetentionDays int
	// ReservedConcurrency reserves that many concurrent executions for each
	// function; 0 reserves none (the default: low-quota accounts cannot).
	ReservedConcurrency int
}

// DefaultSettings returns the configuration with every key at its default.
func DefaultSettings() Settings {
	return Settings{
		Region:               HomeRegion,
		RemediateMinSeverity: DefaultRemediateMinSeverity,
		ExemptTag:            config.DefaultExemptTag,
		LogRetentionDays:     DefaultLogRetentionDays,
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

// SettingsFromContext reads and validates every key of ctx that the app
// knows (see ContextKeys), starting from DefaultSettings. It reports all
// problems at once, each naming its key. A key it does not know is an error
// too (a misspelt key would otherwise be ignored silently), except CDK's own
// keys, which contain ':' or start with '@'.
func SettingsFromContext(ctx map[string]any) (Settings, error) {
	s := DefaultSettings()
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("context %s: %s", key, fmt.Sprintf(format, args...)))
	}
	get := func(key string) (any, bool) {
		v, ok := ctx[key]
		if !ok || v == nil {
			return nil, false
		}
		return v, true
	}

	var unknown []string
	for k := range ctx {
		if !slices.Contains(ContextKeys, k) && !strings.ContainsAny(k, ":@") {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		fail(k, "unknown key: iamguard reads %s", strings.Join(ContextKeys, ", "))
	}

	str := func(key string, dst *string) bool {
		v, ok := get(key)
		if !ok {
			return false
		}
		t, err := asString(v)
		if err != nil {
			fail(key, "%v", err)
			return false
		}
		*dst = t
		return t != ""
	}
	list := func(key string) []string {
		v, ok := get(key)
		if !ok {
			return nil
		}
		l, err := asList(v)
		if err != nil {
			fail(key, "%v", err)
			return nil
		}
		return l
	}
	boolean := func(key string, dst *bool) {
		if v, ok := get(key); ok {
			b, err := asBool(v)
			if err != nil {
				fail(key, "%v", err)
				return
			}
			*dst = b
		}
	}
	integer := func(key string, dst *int) bool {
		v, ok := get(key)
		if !ok {
			return false
		}
		n, err := asInt(v)
		if err != nil {
			fail(key, "%v", err)
			return false
		}
		*dst = n
		return true
	}

	if str(KeyRegion, &s.Region) {
		if err := CheckRegion(s.Region); err != nil {
			fail(KeyRegion, "%v", err)
		}
	} else {
		s.Region = HomeRegion
	}

	for _, e := range list(KeyNotifyEmails) {
		if !emailRE.MatchString(e) {
			fail(KeyNotifyEmails, "%q is not an email address", e)
			continue
		}
		if !slices.Contains(s.NotifyEmails, e) {
			s.NotifyEmails = append(s.NotifyEmails, e)
		}
	}

	if str(KeySlackWorkspaceID, &s.SlackWorkspaceID) && !workspaceRE.MatchString(s.SlackWorkspaceID) {
		fail(KeySlackWorkspaceID, "%q is not a Slack workspace ID (upper-case letters and digits, such as T012ABCDEF; the AWS Chatbot console shows it)", s.SlackWorkspaceID)
	}
	if str(KeySlackChannelID, &s.SlackChannelID) && !channelRE.MatchString(s.SlackChannelID) {
		fail(KeySlackChannelID, "%q is not a Slack channel ID (letters and digits, such as C012ABCDEF; not the channel's #name)", s.SlackChannelID)
	}
	switch {
	case s.SlackWorkspaceID != "" && s.SlackChannelID == "":
		fail(KeySlackChannelID, "required when %s is set: AWS Chatbot needs both the workspace and the channel", KeySlackWorkspaceID)
	case s.SlackWorkspaceID == "" && s.SlackChannelID != "":
		fail(KeySlackWorkspaceID, "required when %s is set: AWS Chatbot needs both the workspace and the channel", KeySlackChannelID)
	}

	if str(KeySlackWebhookSecretName, &s.SlackWebhookSecretName) {
		switch {
		case strings.HasPrefix(s.SlackWebhookSecretName, "arn:"):
			fail(KeySlackWebhookSecretName, "give the secret's name, not its ARN (%q)", s.SlackWebhookSecretName)
		case !secretNameRE.MatchString(s.SlackWebhookSecretName):
			fail(KeySlackWebhookSecretName, "%q is not a Secrets Manager secret name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -)", s.SlackWebhookSecretName)
		}
	}

	for _, id := range list(KeyRemediate) {
		r, ok := rules.ByID(id)
		switch {
		case !ok:
			fail(KeyRemediate, "unknown rule %q: rules that can roll back are %s", id, strings.Join(remediableRules(), ", "))
		case len(r.Actions) == 0:
			fail(KeyRemediate, "rule %q has no rollback (no registered response action); rules that can roll back are %s", id, strings.Join(remediableRules(), ", "))
		case !slices.Contains(s.Remediate, id):
			s.Remediate = append(s.Remediate, id)
		}
	}

	var sev string
	if str(KeyRemediateMinSeverity, &sev) {
		v, err := severity.Parse(sev)
		switch {
		case err != nil:
			fail(KeyRemediateMinSeverity, "%q: want low, medium, high or critical", sev)
		case v < severity.Low:
			fail(KeyRemediateMinSeverity, "%q: rollbacks start at low or above", sev)
		default:
			s.RemediateMinSeverity = v
		}
	}

	boolean(KeyDryRun, &s.DryRun)

	for _, key := range []string{KeyExemptPrincipals, KeyExemptTargets} {
		var out []string
		for _, p := range list(key) {
			if !strings.HasPrefix(p, "arn:") {
				fail(key, "%q is not an ARN pattern (such as arn:aws:iam::111122223333:role/breakglass-*)", p)
				continue
			}
			if key == KeyExemptTargets {
				if err := config.CheckTargetPattern(p); err != nil {
					fail(key, "%v", err)
					continue
				}
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		if key == KeyExemptPrincipals {
			s.ExemptPrincipals = out
		} else {
			s.ExemptTargets = out
		}
	}

	if v, ok := get(KeyExemptTag); ok {
		t, err := asString(v)
		switch {
		case err != nil:
			fail(KeyExemptTag, "%v", err)
		case !tagKeyRE.MatchString(t) || strings.HasPrefix(strings.ToLower(t), "aws:"):
			fail(KeyExemptTag, "%q is not a tag key iamguard can use: 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws:", t)
		default:
			s.ExemptTag = t
		}
	}

	boolean(KeyCreateTrail, &s.CreateTrail)

	for _, r := range list(KeyForwardRegions) {
		switch {
		case !regionRE.MatchString(r):
			fail(KeyForwardRegions, "%q is not a Region name (such as eu-west-1)", r)
		case r == HomeRegion:
			fail(KeyForwardRegions, "%s is where events are forwarded to; list only the other Regions", r)
		case !slices.Contains(s.ForwardRegions, r):
			s.ForwardRegions = append(s.ForwardRegions, r)
		}
	}

	var days int
	if integer(KeyLogRetentionDays, &days) {
		if _, ok := logRetention[days]; !ok {
			valid := slices.Sorted(maps.Keys(logRetention))
			fail(KeyLogRetentionDays, "%d: CloudWatch Logs accepts %s", days, joinInts(valid))
		} else {
			s.LogRetentionDays = days
		}
	}

	if v, ok := get(KeyReservedConcurrency); ok {
		if t, isString := v.(string); isString && (strings.EqualFold(strings.TrimSpace(t), "off") || strings.TrimSpace(t) == "") {
			s.ReservedConcurrency = 0
		} else if b, isBool := v.(bool); isBool && !b {
			s.ReservedConcurrency = 0
		} else if n, err := asInt(v); err != nil {
			fail(KeyReservedConcurrency, "%v (0 or off reserves none)", err)
		} else if n < 0 {
			fail(KeyReservedConcurrency, "%d: want 0 (off) or a positive number of concurrent executions per function", n)
		} else {
			s.ReservedConcurrency = n
		}
	}

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
		"list other Regions in %s to forward their sign-in and root events", region, HomeRegion, HomeRegion, HomeRegion, KeyForwardRegions)
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
