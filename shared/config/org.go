package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
)

// The organisation shape's environment variables: one security account's
// functions guard every account of the organisation.
const (
	EnvOrganizationID   = "IAMGUARD_ORGANIZATION_ID"
	EnvResponderRole    = "IAMGUARD_RESPONDER_ROLE"
	EnvAccountOverrides = "IAMGUARD_ACCOUNT_OVERRIDES"
)

// AccountOverride is the configuration of one account or organisational
// unit that differs from the stack's: the modes of some rules, and more
// exemptions. It can only make iamguard do less there: a mode is one of the
// function's own (the roles hold the calls of the stack's remediate rules,
// no others), and exemptions are added to the stack's.
type AccountOverride struct {
	// Modes sets the mode of the rules it names in that account.
	Modes map[string]finding.Mode `json:"modes,omitempty"`
	// ExemptPrincipals and ExemptTargets are added to the stack's.
	ExemptPrincipals []string `json:"exemptPrincipals,omitempty"`
	ExemptTargets    []string `json:"exemptTargets,omitempty"`
}

// ResponderSessionPrefix starts the name of every session the functions
// open in a member account's responder role: "iamguard-" and the event's
// ID, so that CloudTrail in that account ties each rollback to its event.
const ResponderSessionPrefix = "iamguard-"

// maxSessionName is STS's limit on RoleSessionName.
const maxSessionName = 64

// sessionNameRE is the character set STS accepts in a RoleSessionName.
var sessionNameRE = regexp.MustCompile(`[^\w+=,.@-]`)

// ResponderSession is the RoleSessionName for an event: the prefix and the
// event's ID, characters STS refuses replaced by '-', at most 64 characters.
func ResponderSession(eventID string) string {
	s := ResponderSessionPrefix + sessionNameRE.ReplaceAllString(eventID, "-")
	if len(s) > maxSessionName {
		s = s[:maxSessionName]
	}
	return s
}

// Organization reports whether the functions guard an organisation: events
// of any account are accepted, and acted on through that account's
// responder role.
func (c Config) Organization() bool { return c.OrganizationID != "" }

// ResponderRoleARN is the responder role of an account.
func (c Config) ResponderRoleARN(account string) string {
	partition := "aws"
	if i := strings.Index(c.TopicARN, ":"); i > 0 {
		if rest := c.TopicARN[i+1:]; strings.Contains(rest, ":") {
			partition = rest[:strings.Index(rest, ":")]
		}
	}
	return "arn:" + partition + ":iam::" + account + ":role/" + c.ResponderRole
}

// IsResponderSession reports whether an actor ARN is a session of the
// responder role in any account that iamguard itself opened
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/iamguard-EVENTID): iamguard's own
// rollback in a member account. The role trusts only the central
// functions' roles, so nobody else can open a session of it.
func (c Config) IsResponderSession(actor string) bool {
	if c.ResponderRole == "" {
		return false
	}
	_, rest, ok := strings.Cut(actor, ":sts::")
	if !ok || !strings.HasPrefix(actor, "arn:") {
		return false
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok || !IsAccountID(account) {
		return false
	}
	session, ok := strings.CutPrefix(res, "assumed-role/"+c.ResponderRole+"/")
	return ok && strings.HasPrefix(session, ResponderSessionPrefix) && !strings.Contains(session, "/")
}

// For returns the configuration that applies to an account: the stack's,
// with the overrides of the organisational units it sits in (parents,
// outermost first) and then of the account itself. The result carries no
// overrides, so applying For again changes nothing.
func (c Config) For(account string, parents ...string) Config {
	if len(c.AccountOverrides) == 0 {
		return c
	}
	out := c
	out.AccountOverrides = nil
	out.Modes = maps.Clone(c.Modes)
	out.ExemptPrincipals = slices.Clone(c.ExemptPrincipals)
	out.ExemptTargets = slices.Clone(c.ExemptTargets)
	for _, key := range append(slices.Clone(parents), account) {
		o, ok := c.AccountOverrides[key]
		if !ok {
			continue
		}
		maps.Copy(out.Modes, o.Modes)
		for _, p := range o.ExemptPrincipals {
			if !slices.Contains(out.ExemptPrincipals, p) {
				out.ExemptPrincipals = append(out.ExemptPrincipals, p)
			}
		}
		for _, p := range o.ExemptTargets {
			if !slices.Contains(out.ExemptTargets, p) {
				out.ExemptTargets = append(out.ExemptTargets, p)
			}
		}
	}
	return out
}

// HasOUOverrides reports whether some override names an organisational
// unit or root (ou-… or r-…): the function must then look up an account's
// parents to know its configuration.
func (c Config) HasOUOverrides() bool {
	for k := range c.AccountOverrides {
		if IsOUID(k) {
			return true
		}
	}
	return false
}

var (
	ouIDRE   = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	rootIDRE = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
)

// IsOUID reports whether s is an organisational unit's ID (ou-…) or a root's
// (r-…), as AWS Organizations spells them.
func IsOUID(s string) bool { return ouIDRE.MatchString(s) || rootIDRE.MatchString(s) }

// ParseAccountOverrides reads the overrides' JSON: an object whose keys are
// account IDs, OU IDs or root IDs, each an AccountOverride. Unknown fields,
// unknown rules, modes a stack cannot hold and bad patterns are errors.
func ParseAccountOverrides(v string) (map[string]AccountOverride, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.DisallowUnknownFields()
	var raw map[string]struct {
		Modes            map[string]string `json:"modes"`
		ExemptPrincipals []string          `json:"exemptPrincipals"`
		ExemptTargets    []string          `json:"exemptTargets"`
	}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a JSON object of overrides by account or OU ID: %w", err)
	}
	out := map[string]AccountOverride{}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		r := raw[key]
		if !IsAccountID(key) && !IsOUID(key) {
			errs = append(errs, fmt.Errorf("%q is not an account ID (12 digits), an OU ID (ou-…) or a root ID (r-…)", key))
			continue
		}
		o := AccountOverride{Modes: map[string]finding.Mode{}}
		for id, m := range r.Modes {
			if _, ok := rules.ByID(id); !ok {
				errs = append(errs, fmt.Errorf("%s: unknown rule %q", key, id))
				continue
			}
			mode, err := parseMode(m)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: rule %s: %w", key, id, err))
				continue
			}
			o.Modes[id] = mode
		}
		var err error
		if o.ExemptPrincipals, err = arnPatterns(key+" exemptPrincipals", strings.Join(r.ExemptPrincipals, ",")); err != nil {
			errs = append(errs, err)
		}
		if o.ExemptTargets, err = arnPatterns(key+" exemptTargets", strings.Join(r.ExemptTargets, ",")); err != nil {
			errs = append(errs, err)
		}
		for _, p := range o.ExemptTargets {
			if err := CheckTargetPattern(p); err != nil {
				errs = append(errs, fmt.Errorf("%s exemptTargets: %w", key, err))
			}
		}
		out[key] = o
	}
	return out, errors.Join(errs...)
}

// orgVars are the organisation shape's variables, parsed after Vars.
var orgVars = []Var{
	{Key: EnvOrganizationID, Doc: "the AWS Organizations ID (`o-...`) of the organisation the functions guard from its security account: events of any account are accepted, and acted on through that account's responder role; unset, only the stack's own account", Parse: func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v != "" && !IsOrgID(v) {
			return fmt.Errorf("%s %q: want an organisation ID such as o-a1b2c3d4e5", EnvOrganizationID, v)
		}
		c.OrganizationID = v
		return nil
	}},
	{Key: EnvResponderRole, Doc: "the name of the role the member accounts' StackSet deploys (`<stack>-responder`), which the functions assume to act in an account other than their own; required with `" + EnvOrganizationID + "`", Parse: func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		switch {
		case v != "" && !roleNameRE.MatchString(v):
			return fmt.Errorf("%s %q: want an IAM role name", EnvResponderRole, v)
		case (v == "") != (c.OrganizationID == ""):
			return fmt.Errorf("%s and %s are set together or not at all", EnvOrganizationID, EnvResponderRole)
		}
		c.ResponderRole = v
		return nil
	}},
	{Key: EnvAccountOverrides, Doc: "JSON object by account ID, OU ID (`ou-…`) or root ID (`r-…`): `{\"modes\": {RULE: MODE}, \"exemptPrincipals\": [...], \"exemptTargets\": [...]}` for the findings of that account (an OU's apply to every account beneath it; an account's own come last)", Parse: func(c *Config, v string) error {
		o, err := ParseAccountOverrides(v)
		if err != nil {
			return fmt.Errorf("%s: %w", EnvAccountOverrides, err)
		}
		if len(o) > 0 {
			c.AccountOverrides = o
		}
		return nil
	}},
}

// roleNameRE is what IAM accepts as a role name.
var roleNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
