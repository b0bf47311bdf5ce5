package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

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
	SelfRoleARNs []string
}

// ModeFor returns the mode of a rule, notify when the rule is unknown.
func (c Config) ModeFor(ruleID string) finding.Mode {
	if m, ok := c.Modes[ruleID]; ok {
		return m
	}
	return finding.ModeNotify
}

// FromEnv reads the configuration through getenv: os.Getenv in main, a map
// in tests. Nothing else in shared/ reads the environment.
func FromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		return Config{}, errors.New("config: FromEnv needs a getenv function (os.Getenv in main)")
	}
	var errs []error
	c := Config{
		TopicARN:  strings.TrimSpace(getenv(EnvTopicARN)),
		ExemptTag: DefaultExemptTag,
	}
	if c.TopicARN == "" {
		errs = append(errs, fmt.Errorf("%s is required: the ARN of the SNS topic to publish findings to", EnvTopicARN))
	} else if !isARN(c.TopicARN, "sns") {
		errs = append(errs, fmt.Errorf("%s %q is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", EnvTopicARN, c.TopicARN))
	}

	defMode := finding.ModeNotify
	if v := strings.TrimSpace(getenv(EnvDefaultMode)); v != "" {
		m, err := parseMode(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", EnvDefaultMode, err))
		} else {
			defMode = m
		}
	}
	c.Modes = map[string]finding.Mode{}
	for _, r := range rules.Table() {
		c.Modes[r.ID] = defMode
	}
	for i, item := range splitList(getenv(EnvModes)) {
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

	c.RemediateMinSeverity = severity.Critical
	if v := strings.TrimSpace(getenv(EnvRemediateMinSeverity)); v != "" {
		s, err := severity.Parse(v)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", EnvRemediateMinSeverity, err))
		case s < severity.Low:
			errs = append(errs, fmt.Errorf("%s %q: remediation must start at low or above", EnvRemediateMinSeverity, v))
		default:
			c.RemediateMinSeverity = s
		}
	}

	var err error
	if c.ExemptPrincipals, err = arnPatterns(EnvExemptPrincipals, getenv(EnvExemptPrincipals)); err != nil {
		errs = append(errs, err)
	}
	if c.ExemptTargets, err = arnPatterns(EnvExemptTargets, getenv(EnvExemptTargets)); err != nil {
		errs = append(errs, err)
	}
	for _, p := range c.ExemptTargets {
		if err := CheckTargetPattern(p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", EnvExemptTargets, err))
		}
	}
	if c.SelfRoleARNs, err = arnPatterns(EnvSelfRoleARNs, getenv(EnvSelfRoleARNs)); err != nil {
		errs = append(errs, err)
	}
	if v, set := lookup(getenv, EnvExemptTag); set {
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 128 || strings.HasPrefix(strings.ToLower(v), "aws:") {
			errs = append(errs, fmt.Errorf("%s %q: want a tag key of 1 to 128 characters not starting with aws:", EnvExemptTag, v))
		} else {
			c.ExemptTag = v
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// lookup treats an empty value as unset, since Lambda cannot tell them apart
// in a template that always writes the variable.
func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
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
	for _, p := range splitList(value) {
		if !strings.HasPrefix(p, "arn:") {
			bad = append(bad, fmt.Sprintf("%q", p))
			continue
		}
		out = append(out, p)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: %s: want ARN patterns such as arn:aws:iam::111122223333:role/breakglass-*", name, strings.Join(bad, ", "))
	}
	return out, nil
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
