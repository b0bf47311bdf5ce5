package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
)

// The organisation shape's context keys.
const (
	KeyOrganizationID   = "organizationId"
	KeyMemberOUs        = "memberOrganizationalUnits"
	KeyAccountOverrides = "accountOverrides"
)

// AccountOverride is one account's or OU's configuration where it differs
// from the stack's (context accountOverrides). It can only make iamguard do
// less there: the roles hold the calls of the stack's remediate rules.
type AccountOverride struct {
	// Remediate, when set, lists the rules that roll back in that account:
	// a subset of the stack's remediate list; the others notify. Nil keeps
	// the stack's.
	Remediate []string `json:"remediate,omitempty"`
	// DryRun, when set, puts that account's remediate rules in dry-run (or
	// out of it, when the stack's dryRun is on).
	DryRun *bool `json:"dryRun,omitempty"`
	// ExemptPrincipals and ExemptTargets are added to the stack's.
	ExemptPrincipals []string `json:"exemptPrincipals,omitempty"`
	ExemptTargets    []string `json:"exemptTargets,omitempty"`
	// remediateSet records that Remediate was given (an empty list turns
	// every rollback off there).
	remediateSet bool
}

// Organization reports whether the organisation shape is on.
func (s Settings) Organization() bool { return s.OrganizationID != "" }

// ResponderRoleName is the name of the role the member template creates in
// every member account, which the central functions assume.
func ResponderRoleName(stackName string) string { return stackName + "-responder" }

// orgSettings are the organisation shape's context keys, after the others.
var orgSettings = []Setting{
	{KeyOrganizationID, "`\"\"`", "the AWS Organizations ID (`o-...`): with `" + KeyMemberOUs + "`, the stack becomes the central one, deployed in the " +
		"organisation's security account (a delegated administrator for CloudFormation StackSets), and guards every account of those OUs (see Organisation)",
		func(s *Settings, v any) error {
			t, err := asString(v)
			if err != nil || t == "" {
				return err
			}
			if !config.IsOrgID(t) {
				return fmt.Errorf("%q is not an organisation ID (such as o-a1b2c3d4e5)", t)
			}
			s.OrganizationID = t
			return nil
		}},
	{KeyMemberOUs, "`[]`", "the organisational units (`ou-...`, or the root `r-...`) whose accounts the StackSet deploys the member template to, " +
		"in us-east-1 and every `" + KeyForwardRegions + "` Region, now and as accounts join; needs `" + KeyOrganizationID + "`",
		func(s *Settings, v any) error {
			l, err := asList(v)
			errs := []error{err}
			for _, ou := range l {
				switch {
				case !config.IsOUID(ou):
					errs = append(errs, fmt.Errorf("%q is not an organisational unit ID (ou-…) or a root ID (r-…)", ou))
				case !slices.Contains(s.MemberOUs, ou):
					s.MemberOUs = append(s.MemberOUs, ou)
				}
			}
			return errors.Join(errs...)
		}},
	{KeyAccountOverrides, "`{}`", "per account ID, OU ID or root ID: `{\"remediate\": [...], \"dryRun\": true, \"exemptPrincipals\": [...], \"exemptTargets\": [...]}` " +
		"for the findings of that account (an OU's for every account beneath it, the account's own last); `remediate` narrows the stack's " +
		"`remediate` there (the roles hold no other calls), exemptions add to the stack's; needs `" + KeyOrganizationID + "`",
		func(s *Settings, v any) error {
			raw, err := asObject(v)
			if err != nil {
				return err
			}
			var errs []error
			s.AccountOverrides = map[string]AccountOverride{}
			for _, key := range slices.Sorted(maps.Keys(raw)) {
				if !config.IsAccountID(key) && !config.IsOUID(key) {
					errs = append(errs, fmt.Errorf("%q is not an account ID (12 digits), an OU ID (ou-…) or a root ID (r-…)", key))
					continue
				}
				var o AccountOverride
				var fields map[string]json.RawMessage
				if err := json.Unmarshal(raw[key], &fields); err != nil {
					errs = append(errs, fmt.Errorf("%s: want an object: %v", key, err))
					continue
				}
				for f, val := range fields {
					var err error
					switch f {
					case "remediate":
						var l any
						if err = json.Unmarshal(val, &l); err == nil {
							o.Remediate, err = asList(l)
							o.remediateSet = true
						}
					case "dryRun":
						var b bool
						if err = json.Unmarshal(val, &b); err == nil {
							o.DryRun = &b
						}
					case "exemptPrincipals", "exemptTargets":
						var l any
						if err = json.Unmarshal(val, &l); err == nil {
							var pats []string
							pats, err = arnPatterns(l, f == "exemptTargets")
							if f == "exemptTargets" {
								o.ExemptTargets = pats
							} else {
								o.ExemptPrincipals = pats
							}
						}
					default:
						err = fmt.Errorf("unknown field %q: want remediate, dryRun, exemptPrincipals or exemptTargets", f)
					}
					if err != nil {
						errs = append(errs, fmt.Errorf("%s %s: %w", key, f, err))
					}
				}
				s.AccountOverrides[key] = o
			}
			return errors.Join(errs...)
		}},
}

// asObject accepts a JSON object, or a string holding one (what `-c
// key='{...}'` passes), and returns its members undecoded.
func asObject(v any) (map[string]json.RawMessage, error) {
	var data []byte
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, nil
		}
		data = []byte(x)
	case map[string]any:
		var err error
		if data, err = json.Marshal(x); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("want a JSON object, got %s", describe(v))
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	return out, nil
}

// checkOrganization checks the organisation keys together: both or
// neither, overrides only with them, and an override's remediate list
// within the stack's.
func checkOrganization(s *Settings, fail func(string, error)) {
	switch {
	case s.OrganizationID != "" && len(s.MemberOUs) == 0:
		fail(KeyMemberOUs, fmt.Errorf("required when %s is set: the StackSet needs the organisational units to deploy the member template to", KeyOrganizationID))
	case s.OrganizationID == "" && len(s.MemberOUs) > 0:
		fail(KeyOrganizationID, fmt.Errorf("required when %s is set: the central bus and the responder roles are limited to the organisation", KeyMemberOUs))
	}
	if len(s.AccountOverrides) > 0 && s.OrganizationID == "" {
		fail(KeyAccountOverrides, fmt.Errorf("needs %s: overrides are for the accounts of an organisation", KeyOrganizationID))
	}
	for _, key := range slices.Sorted(maps.Keys(s.AccountOverrides)) {
		for _, id := range s.AccountOverrides[key].Remediate {
			if !slices.Contains(s.Remediate, id) {
				fail(KeyAccountOverrides, fmt.Errorf("%s: rule %q is not in %s (%s): an override can only narrow it, since the roles hold no other rule's calls",
					key, id, KeyRemediate, strings.Join(s.Remediate, ", ")))
			}
		}
	}
}

// hasOUOverrides reports whether an override names an OU or a root.
func (s Settings) hasOUOverrides() bool {
	for k := range s.AccountOverrides {
		if config.IsOUID(k) {
			return true
		}
	}
	return false
}

// overridesEnv renders the overrides for one family's function
// (IAMGUARD_ACCOUNT_OVERRIDES): each rule's mode in that account, and the
// added exemptions. "" when there is nothing to say.
func (s Settings) overridesEnv(rulesOf []string) string {
	out := map[string]config.AccountOverride{}
	for key, o := range s.AccountOverrides {
		co := config.AccountOverride{Modes: map[string]finding.Mode{}, ExemptPrincipals: o.ExemptPrincipals, ExemptTargets: o.ExemptTargets}
		for _, id := range rulesOf {
			if !slices.Contains(s.Remediate, id) {
				continue
			}
			mode := s.ModeFor(id)
			if o.DryRun != nil {
				mode = finding.ModeRemediate
				if *o.DryRun {
					mode = finding.ModeDryRun
				}
			}
			if o.remediateSet && !slices.Contains(o.Remediate, id) {
				mode = finding.ModeNotify
			}
			if mode != s.ModeFor(id) {
				co.Modes[id] = mode
			}
		}
		if len(co.Modes) == 0 {
			co.Modes = nil
		}
		if co.Modes != nil || len(co.ExemptPrincipals) > 0 || len(co.ExemptTargets) > 0 {
			out[key] = co
		}
	}
	if len(out) == 0 {
		return ""
	}
	b, _ := json.Marshal(out)
	return string(b)
}
