package config

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

// DefaultExemptTag is the tag key that exempts a user or role when its value is "true".
const DefaultExemptTag = "iamguard:exempt"

// The environment variables FromEnv reads. The CDK stack sets them.
const (
	EnvTopicARN             = "IAMGUARD_TOPIC_ARN"
	EnvDefaultMode          = "IAMGUARD_DEFAULT_MODE"
	EnvModes                = "IAMGUARD_MODES"
	EnvRemediateMinSeverity = "IAMGUARD_REMEDIATE_MIN_SEVERITY"
	EnvExemptPrincipals     = "IAMGUARD_EXEMPT_PRINCIPALS"
	EnvExemptTargets        = "IAMGUARD_EXEMPT_TARGETS"
	EnvExemptTag            = "IAMGUARD_EXEMPT_TAG"
	EnvSelfRoleARNs         = "IAMGUARD_SELF_ROLE_ARNS"
	EnvSelfSessions         = "IAMGUARD_SELF_SESSIONS"
	EnvTrustedAccounts      = "IAMGUARD_TRUSTED_ACCOUNTS"
	EnvTrustedOrgID         = "IAMGUARD_TRUSTED_ORG_ID"
	EnvCanaryPolicyARN      = "IAMGUARD_CANARY_POLICY_ARN"
	EnvCanaryRoleARN        = "IAMGUARD_CANARY_ROLE_ARN"
	EnvStackName            = "IAMGUARD_STACK_NAME"
	EnvKeyARN               = "IAMGUARD_KEY_ARN"
	EnvDeployRoles          = "IAMGUARD_DEPLOY_ROLES"
	EnvConfirmQueueURL      = "IAMGUARD_CONFIRM_QUEUE_URL"
	EnvConfirmMaxMinutes    = "IAMGUARD_CONFIRM_MAX_MINUTES"
	EnvOutcomeTable         = "IAMGUARD_OUTCOME_TABLE"
)

// Config is one function's configuration.
type Config struct {
	// TopicARN is the SNS topic findings are published to. Required.
	TopicARN string
	// Modes holds the mode of every rule in the table; rules not named in
	// IAMGUARD_MODES take IAMGUARD_DEFAULT_MODE.
	Modes map[string]finding.Mode
	// RemediateMinSeverity is the lowest severity a rollback acts on.
	RemediateMinSeverity severity.Severity
	// ExemptPrincipals are ARN patterns (* and ? wildcards) of actors whose
	// changes are notified but never rolled back: a deployment pipeline.
	ExemptPrincipals []string
	// ExemptTargets are ARN patterns of users, roles, groups or policies that
	// are never touched: the break-glass role.
	ExemptTargets []string
	// ExemptTag is the tag key that exempts a user or role tagged "true".
	ExemptTag string
	// SelfRoleARNs are iamguard's own roles; events they cause are its own
	// rollbacks and are ignored, so that a rollback never triggers another.
	// When SelfSessions is set, it decides instead.
	SelfRoleARNs []string
	// SelfSessions are the exact sessions of iamguard's functions,
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION (Lambda names an
	// execution role's session after the function): only events they
	// cause are iamguard's own. Another session of the same role (another
	// function given the role, a person who assumed it) is judged like
	// anyone's.
	SelfSessions []string
	// Rules are the settings some rules judge by: the trusted accounts and
	// organisation of trust-policy.
	Rules rules.Settings
	// ConfirmQueueURL, when set, makes every rollback in remediate mode
	// wait for CloudTrail to confirm its event: the event goes to this
	// queue, and the rollback happens only when LookupEvents returns the
	// same call. Empty: rollbacks act on the event as delivered.
	ConfirmQueueURL string
	// ConfirmMaxWait is how long iamguard keeps looking an event up before
	// it reports it unconfirmed and never acts on it.
	ConfirmMaxWait time.Duration
	// OutcomeTable is the DynamoDB table where each rollback's outcome is
	// claimed and recorded, keyed by event and rule, so that a redelivered
	// event republishes the outcome instead of acting again; empty means
	// none (every delivery acts, state-checked).
	OutcomeTable string
	// OrganizationID, when set, turns the organisation shape on: events of
	// any account are accepted, and acted on through that account's
	// ResponderRole (the member accounts' StackSet deploys it).
	OrganizationID string
	// ResponderRole is the name of the role the functions assume in a
	// member account.
	ResponderRole string
	// AccountOverrides are the configurations of some accounts and
	// organisational units that differ from the stack's (For applies them).
	AccountOverrides map[string]AccountOverride
}

// Account is the AWS account the stack runs in: the account of its topic.
// Events for any other account are never acted on.
func (c Config) Account() string {
	if a, ok := awsarn.Parse(c.TopicARN); ok {
		return a.Account
	}
	return ""
}

// ModeFor returns the mode of a rule, notify when the rule is unknown.
func (c Config) ModeFor(ruleID string) finding.Mode {
	if m, ok := c.Modes[ruleID]; ok {
		return m
	}
	return finding.ModeNotify
}

// Var is one environment variable of the functions: FromEnv parses it and
// the README's table of them is rendered from it (make docs).
type Var struct {
	// Key is the variable's name.
	Key string
	// Default is the value an unset or blank variable takes; empty means
	// none, or, when Required, that the variable must be set.
	Default  string
	Required bool
	// Doc says what the variable means, in short markdown-safe text.
	Doc string
	// Parse reads the value, or Default when the variable is unset or
	// blank, into c. Each error it returns names the variable.
	Parse func(c *Config, v string) error
}

// Vars are the functions' environment variables, in the README's order.
// Parse runs in this order: IAMGUARD_MODES refines what
// IAMGUARD_DEFAULT_MODE set.
var Vars = append([]Var{
	{Key: EnvTopicARN, Required: true, Doc: "the SNS topic for alerts", Parse: func(c *Config, v string) error {
		c.TopicARN = strings.TrimSpace(v)
		if c.TopicARN == "" {
			return fmt.Errorf("%s is required: the ARN of the SNS topic to publish findings to", EnvTopicARN)
		}
		if !isARN(c.TopicARN, "sns") {
			return fmt.Errorf("%s %q is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", EnvTopicARN, c.TopicARN)
		}
		return nil
	}},
	{Key: EnvDefaultMode, Default: string(finding.ModeNotify), Doc: "mode of every rule not named in `" + EnvModes + "`: `off`, `notify`, `dry-run` or `remediate`",
		Parse: func(c *Config, v string) error {
			m, err := parseMode(v)
			if err != nil {
				m, err = finding.ModeNotify, fmt.Errorf("%s: %w", EnvDefaultMode, err)
			}
			c.Modes = map[string]finding.Mode{}
			for _, r := range rules.Table() {
				c.Modes[r.ID] = m
			}
			return err
		}},
	{Key: EnvModes, Doc: "`rule=mode` list, such as `access-key-created=remediate,wildcard-policy=dry-run`", Parse: func(c *Config, v string) error {
		var errs []error
		for i, item := range splitList(v) {
			id, modeText, ok := strings.Cut(item, "=")
			id = strings.TrimSpace(id)
			if !ok {
				errs = append(errs, fmt.Errorf("%s item %d %q: want RULE=MODE", EnvModes, i+1, item))
				continue
			}
			if _, known := rules.ByID(id); !known {
				errs = append(errs, fmt.Errorf("%s item %d: unknown rule %q: want one of %s", EnvModes, i+1, id, strings.Join(ruleIDs(), ", ")))
				continue
			}
			m, err := parseMode(modeText)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s item %d (%s): %w", EnvModes, i+1, id, err))
				continue
			}
			c.Modes[id] = m
		}
		return errors.Join(errs...)
	}},
	{Key: EnvRemediateMinSeverity, Default: severity.Critical.String(), Doc: "lowest severity a rollback acts on (`low` to `critical`)",
		Parse: func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			s, err := severity.Parse(v)
			switch {
			case err != nil:
				return fmt.Errorf("%s: %w", EnvRemediateMinSeverity, err)
			case s < severity.Low:
				return fmt.Errorf("%s %q: remediation must start at low or above", EnvRemediateMinSeverity, v)
			}
			c.RemediateMinSeverity = s
			return nil
		}},
	{Key: EnvExemptPrincipals, Doc: "ARN patterns of actors never rolled back, matched as IAM matches ARNs in a Resource element: field by field, `*` and `?` never crossing a `:` except a final `*`", Parse: func(c *Config, v string) (err error) {
		c.ExemptPrincipals, err = arnPatterns(EnvExemptPrincipals, v)
		return err
	}},
	{Key: EnvExemptTargets, Doc: "ARN patterns of users, roles, groups and policies never touched; user, role and group ARNs without their IAM path",
		Parse: func(c *Config, v string) error {
			var err error
			if c.ExemptTargets, err = arnPatterns(EnvExemptTargets, v); err != nil {
				return err
			}
			var errs []error
			for _, p := range c.ExemptTargets {
				if err := CheckTargetPattern(p); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", EnvExemptTargets, err))
				}
			}
			return errors.Join(errs...)
		}},
	{Key: EnvExemptTag, Default: DefaultExemptTag, Doc: "tag key that exempts a user, role or policy tagged `true`; keep it in the `iamguard:` namespace, which the `exempt-tag-changed` rule watches",
		Parse: func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			if v == "" || len(v) > 128 || strings.HasPrefix(strings.ToLower(v), "aws:") {
				return fmt.Errorf("%s %q: want a tag key of 1 to 128 characters not starting with aws:", EnvExemptTag, v)
			}
			c.ExemptTag = v
			return nil
		}},
	{Key: EnvSelfRoleARNs, Doc: "iamguard's own role ARNs (patterns): events they cause are ignored", Parse: func(c *Config, v string) (err error) {
		c.SelfRoleARNs, err = arnPatterns(EnvSelfRoleARNs, v)
		return err
	}},
	{Key: EnvSelfSessions, Doc: "the exact sessions of iamguard's functions (arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION): only events they cause are ignored as iamguard's own; when set, IAMGUARD_SELF_ROLE_ARNS is not used", Parse: func(c *Config, v string) error {
		c.SelfSessions = nil
		var bad []string
		for _, s := range splitList(v) {
			a, ok := awsarn.Parse(s)
			if !ok || a.Service != "sts" || !strings.HasPrefix(a.Resource, "assumed-role/") || strings.Count(a.Resource, "/") != 2 || strings.ContainsAny(s, "*?") {
				bad = append(bad, fmt.Sprintf("%q", s))
				continue
			}
			c.SelfSessions = append(c.SelfSessions, s)
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s: %s: want exact assumed-role session ARNs, arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION", EnvSelfSessions, strings.Join(bad, ", "))
		}
		return nil
	}},
	{Key: EnvConfirmQueueURL, Doc: "SQS queue through which a rollback in remediate mode waits for CloudTrail to confirm its event (LookupEvents); unset, rollbacks act on the event as delivered", Parse: func(c *Config, v string) error {
		c.ConfirmQueueURL = strings.TrimSpace(v)
		if c.ConfirmQueueURL != "" && !strings.HasPrefix(c.ConfirmQueueURL, "https://") && !strings.HasPrefix(c.ConfirmQueueURL, "http://") {
			return fmt.Errorf("%s %q is not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)", EnvConfirmQueueURL, c.ConfirmQueueURL)
		}
		return nil
	}},
	{Key: EnvConfirmMaxMinutes, Default: "60", Doc: "minutes iamguard keeps looking an event up in CloudTrail before it reports it unconfirmed and never acts on it (10 to 720)", Parse: func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 10 || n > 720 {
			c.ConfirmMaxWait = time.Hour
			return fmt.Errorf("%s %q: want whole minutes from 10 to 720", EnvConfirmMaxMinutes, v)
		}
		c.ConfirmMaxWait = time.Duration(n) * time.Minute
		return nil
	}},
	{Key: EnvTrustedAccounts, Doc: "other AWS account IDs a role's trust policy may name without a `trust-policy` finding", Parse: func(c *Config, v string) error {
		c.Rules.TrustedAccounts = nil
		var bad []string
		for _, a := range splitList(v) {
			if !IsAccountID(a) {
				bad = append(bad, fmt.Sprintf("%q", a))
				continue
			}
			c.Rules.TrustedAccounts = append(c.Rules.TrustedAccounts, a)
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s: %s: want 12-digit AWS account IDs", EnvTrustedAccounts, strings.Join(bad, ", "))
		}
		return nil
	}},
	{Key: EnvTrustedOrgID, Doc: "the AWS Organizations ID (`o-...`) a trust policy may limit principals to with `aws:PrincipalOrgID`", Parse: func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v != "" && !IsOrgID(v) {
			return fmt.Errorf("%s %q: want an organisation ID such as o-a1b2c3d4e5", EnvTrustedOrgID, v)
		}
		c.Rules.TrustedOrgID = v
		return nil
	}},
	{Key: EnvCanaryPolicyARN, Doc: "the canary's policy (path `" + rules.CanaryPolicyPath + "`), which the canary schedule tags; audit-guard only. Unset turns the heartbeat off",
		Parse: func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			if v != "" && (!isARN(v, "iam") || !strings.Contains(v, ":policy"+rules.CanaryPolicyPath)) {
				return fmt.Errorf("%s %q: want the ARN of an IAM policy under path %s", EnvCanaryPolicyARN, v, rules.CanaryPolicyPath)
			}
			c.Rules.CanaryPolicyARN = v
			return nil
		}},
	{Key: EnvCanaryRoleARN, Doc: "the role that makes the canary's write; set with `" + EnvCanaryPolicyARN + "`", Parse: func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v != "" && (!isARN(v, "iam") || !strings.Contains(v, ":role/")) {
			return fmt.Errorf("%s %q: want the ARN of an IAM role", EnvCanaryRoleARN, v)
		}
		if (v == "") != (c.Rules.CanaryPolicyARN == "") {
			return fmt.Errorf("%s and %s are set together or not at all", EnvCanaryPolicyARN, EnvCanaryRoleARN)
		}
		c.Rules.CanaryRoleARN = v
		return nil
	}},
	{Key: EnvStackName, Doc: "the main stack's name: resources named `<stack>-…` or `<stack>Forward-…` are iamguard's own (guardrail-tampering); unset, that rule finds nothing",
		Parse: func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			if v != "" && !stackNameRE.MatchString(v) {
				return fmt.Errorf("%s %q: want a CloudFormation stack name (a letter, then letters, digits and hyphens, at most 128)", EnvStackName, v)
			}
			c.Rules.Guardrail.StackName = v
			return nil
		}},
	{Key: EnvKeyARN, Doc: "the KMS key that encrypts the alert topic (guardrail-tampering)", Parse: func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v != "" && (!isARN(v, "kms") || !strings.Contains(v, ":key/")) {
			return fmt.Errorf("%s %q: want a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", EnvKeyARN, v)
		}
		c.Rules.Guardrail.KeyARN = v
		return nil
	}},
	{Key: EnvDeployRoles, Doc: "ARN patterns of the roles that deploy the stack, whose stack updates are not tampering", Parse: func(c *Config, v string) (err error) {
		c.Rules.Guardrail.DeployRoles, err = arnPatterns(EnvDeployRoles, v)
		return err
	}},
	{Key: EnvOutcomeTable, Doc: "the DynamoDB table of rollback outcomes, one per event, rule and target: a redelivered event republishes the recorded alert, undo command included, instead of acting again; unset, every delivery acts again (state-checked)",
		Parse: func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			if v != "" && !tableNameRE.MatchString(v) {
				return fmt.Errorf("%s %q: want a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')", EnvOutcomeTable, v)
			}
			c.OutcomeTable = v
			return nil
		}},
}, orgVars...)

// tableNameRE is what DynamoDB accepts as a table name.
var tableNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)

// stackNameRE is what CloudFormation accepts as a stack name.
var stackNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,127}$`)

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

// IsOrgID reports whether s is an AWS Organizations ID: o- and 10 to 32
// lower-case letters or digits.
func IsOrgID(s string) bool {
	rest, ok := strings.CutPrefix(s, "o-")
	return ok && len(rest) >= 10 && len(rest) <= 32 && strings.Trim(rest, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}

// FromEnv reads the configuration through getenv: os.Getenv in main, a map
// in tests. Nothing else in shared/ reads the environment. A blank variable
// counts as unset (Lambda cannot tell them apart in a template that always
// writes the variable); every problem is reported at once.
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		return Config{}, errors.New("config: FromEnv needs a getenv function (os.Getenv in main)")
	}
	var c Config
	var errs []error
	for _, v := range Vars {
		val := getenv(v.Key)
		if strings.TrimSpace(val) == "" {
			val = v.Default
		}
		if err := v.Parse(&c, val); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

func parseMode(s string) (finding.Mode, error) {
	m := finding.Mode(strings.ToLower(strings.TrimSpace(s)))
	switch m {
	case finding.ModeOff, finding.ModeDryRun, finding.ModeNotify, finding.ModeRemediate:
		return m, nil
	}
	return "", fmt.Errorf("mode %q: want off, dry-run, notify or remediate", s)
}

// splitList splits a comma- or newline-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func arnPatterns(name, value string) ([]string, error) {
	var out, bad []string
	var errs []error
	for _, p := range splitList(value) {
		if !strings.HasPrefix(p, "arn:") {
			bad = append(bad, fmt.Sprintf("%q", p))
			continue
		}
		if err := CheckPattern(p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		out = append(out, p)
	}
	if len(bad) > 0 {
		errs = append(errs, fmt.Errorf("%s: %s: want ARN patterns such as arn:aws:iam::111122223333:role/breakglass-*", name, strings.Join(bad, ", ")))
	}
	return out, errors.Join(errs...)
}

// CheckPattern refuses an ARN pattern that can match no ARN. Patterns match
// as IAM matches ARNs in a policy's Resource element: field by field
// (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), '*' any run of characters
// and '?' one character, neither crossing a ':', except that a final '*'
// also takes the rest of the ARN. So a pattern with fewer than six fields
// that does not end in '*' (arn:aws:*BreakGlass) would silently exempt
// nothing: the break-glass role would be rolled back.
func CheckPattern(p string) error {
	if strings.Count(p, ":") < 5 && !strings.HasSuffix(p, "*") {
		return fmt.Errorf("%q can match no ARN: a pattern names all six fields, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE "+
			"('*' and '?' do not cross a ':'), or ends in '*'", p)
	}
	return nil
}

func isARN(s, service string) bool {
	a, ok := awsarn.Parse(s)
	return ok && strings.HasPrefix(a.Partition, "aws") && a.Service == service && a.Account != "" && a.Resource != ""
}

func ruleIDs() []string {
	var ids []string
	for _, r := range rules.Table() {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CheckTargetPattern refuses an exempt-target pattern that names an IAM path
// (arn:aws:iam::111122223333:role/emergency/BreakGlass). CloudTrail events
// name users, roles and groups without their path, so iamguard builds target
// ARNs without it, and such a pattern would silently never match: the
// break-glass role would not be exempt. Write the ARN without the path, or
// tag the user or role with the exempt tag.
func CheckTargetPattern(p string) error {
	a, ok := awsarn.Parse(p)
	if !ok || a.Service != "iam" {
		return nil
	}
	kind, name := a.ResourceType(), a.ResourceName()
	if kind != "user" && kind != "role" && kind != "group" {
		return nil
	}
	if a.Resource != kind+"/"+name {
		a.Resource = kind + "/" + name
		return fmt.Errorf("%q names an IAM path: targets are matched without their path (CloudTrail events do not carry it), so write %s or tag the %s %s=true",
			p, a, kind, DefaultExemptTag)
	}
	return nil
}
