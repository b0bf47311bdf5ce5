package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/severity"
)

// TrustSettings say whom a role's trust policy may let in without a finding:
// this account, the accounts listed, and principals limited to the
// organisation.
type TrustSettings struct {
	Account         string   // the role's own account
	TrustedAccounts []string // other accounts trusted by the operator
	TrustedOrgID    string   // o-...; a principal limited to it by aws:PrincipalOrgID is trusted
}

// Opening is one principal of an Allow statement of a trust policy that lets
// in someone outside the trusted set.
type Opening struct {
	Statement int    // the statement's index in the document
	Key       string // the principal's key: "AWS", "Federated", or "*" for the bare wildcard
	Value     string // the principal as written
	Severity  severity.Severity
	Reason    string
}

// limitingKeys are the condition keys that limit a wildcard principal to
// someone known: an external ID agreed with a third party, an organisation,
// an account, or the resource a service acts for.
var limitingKeys = []string{"sts:externalid", "aws:principalorgid", "aws:principalaccount", "aws:sourceaccount", "aws:sourcearn"}

// assumeActions are the actions by which a trust policy lets a principal in.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

// AnalyzeTrust returns every opening of a role's trust policy: a wildcard
// principal without a condition that limits it (critical), an AWS account
// that is neither this one nor trusted and is not limited to the trusted
// organisation (high), and a web-identity provider without an audience and a
// subject condition, or with a subject that admits anyone (high). Deny
// statements and statements that grant no assume action open nothing.
func AnalyzeTrust(d *Document, s TrustSettings) []Opening {
	var out []Opening
	for _, st := range d.Statements {
		if !st.IsAllow() || st.Principal == nil || !grantsAssume(&st) {
			continue
		}
		limited := hasAnyKey(st.Condition, limitingKeys)
		orgLimited := s.TrustedOrgID != "" && conditionValuesAll(st.Condition, "aws:principalorgid", func(v string) bool { return v == s.TrustedOrgID })
		acctLimited := conditionValuesAll(st.Condition, "aws:principalaccount", func(v string) bool { return v == s.Account || slices.Contains(s.TrustedAccounts, v) })
		if st.Principal.Wildcard {
			if !limited {
				out = append(out, Opening{st.Index, "*", "*", severity.Critical, "the trust policy lets anyone (\"Principal\": \"*\") assume the role, with no condition that limits who"})
			}
			continue
		}
		for key, values := range st.Principal.Values {
			for _, v := range values {
				if o, ok := openingOf(&st, key, v, s, limited, orgLimited || acctLimited); ok {
					out = append(out, o)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Opening) int {
		if a.Statement != b.Statement {
			return a.Statement - b.Statement
		}
		return strings.Compare(a.Key+a.Value, b.Key+b.Value)
	})
	return out
}

func openingOf(st *Statement, key, v string, s TrustSettings, limited, limitedToTrusted bool) (Opening, bool) {
	switch strings.ToLower(key) {
	case "aws":
		if v == "*" || strings.Contains(v, "*") {
			if limited {
				return Opening{}, false
			}
			return Opening{st.Index, key, v, severity.Critical, "the trust policy lets any AWS principal (" + v + ") assume the role, with no condition that limits who"}, true
		}
		acct := v
		if a, ok := awsarn.Parse(v); ok {
			acct = a.Account
		}
		if acct == s.Account || slices.Contains(s.TrustedAccounts, acct) || limitedToTrusted {
			return Opening{}, false
		}
		return Opening{st.Index, key, v, severity.High, "the trust policy lets account " + acct + " (" + v + "), which is neither this account nor a trusted one, assume the role"}, true
	case "federated":
		if !st.grants("sts:AssumeRoleWithWebIdentity") || strings.Contains(v, ":saml-provider/") {
			return Opening{}, false
		}
		provider := v
		if a, ok := awsarn.Parse(v); ok {
			provider = strings.TrimPrefix(a.Resource, "oidc-provider/")
		}
		aud := conditionValues(st.Condition, provider+":aud")
		sub := conditionValues(st.Condition, provider+":sub")
		if provider == "cognito-identity.amazonaws.com" {
			sub = conditionValues(st.Condition, provider+":amr")
		}
		switch {
		case len(aud) == 0 && len(sub) == 0:
			return Opening{st.Index, key, v, severity.High, "the trust policy lets any identity of web-identity provider " + provider + " assume the role: it has neither an audience (" + provider + ":aud) nor a subject (" + provider + ":sub) condition"}, true
		case len(sub) == 0:
			return Opening{st.Index, key, v, severity.High, "the trust policy lets any subject of web-identity provider " + provider + " assume the role: it has no " + provider + ":sub condition (for GitHub Actions, any repository of any owner)"}, true
		case anyOpenSubject(provider, sub):
			return Opening{st.Index, key, v, severity.High, "the trust policy's " + provider + ":sub condition admits anyone (" + strings.Join(sub, ", ") + ")"}, true
		}
	}
	return Opening{}, false
}

// anyOpenSubject reports whether a subject condition admits anyone: "*", or,
// for GitHub Actions, a wildcard in the owner or repository name
// (repo:*, repo:org/*): a wildcard after the repository (its branches or
// environments) still names one repository.
func anyOpenSubject(provider string, subs []string) bool {
	for _, s := range subs {
		if strings.Trim(s, "*") == "" {
			return true
		}
		if provider == "token.actions.githubusercontent.com" {
			rest, ok := strings.CutPrefix(s, "repo:")
			if !ok {
				continue
			}
			repo, _, _ := strings.Cut(rest, ":")
			if strings.ContainsAny(repo, "*?") {
				return true
			}
		}
	}
	return false
}

// grantsAssume reports whether the statement allows an assume action.
func grantsAssume(st *Statement) bool {
	for _, a := range assumeActions {
		if st.grants(a) {
			return true
		}
	}
	return false
}

// grants reports whether the statement's Action (or NotAction) covers action.
func (s *Statement) grants(action string) bool {
	if s.NotAction != nil {
		for _, p := range s.NotAction {
			if MatchAction(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range s.Action {
		if MatchAction(p, action) {
			return true
		}
	}
	return false
}

// hasAnyKey reports whether a condition tests any of the keys (in any case,
// under any operator).
func hasAnyKey(c Condition, keys []string) bool {
	for _, kv := range c {
		for k := range kv {
			if slices.Contains(keys, strings.ToLower(k)) {
				return true
			}
		}
	}
	return false
}

// conditionValues returns the values a condition tests key against, under
// any operator.
func conditionValues(c Condition, key string) []string {
	var out []string
	for _, kv := range c {
		for k, vs := range kv {
			if strings.EqualFold(k, key) {
				out = append(out, vs...)
			}
		}
	}
	return out
}

// conditionValuesAll reports whether the condition tests key with an
// equality operator and every value passes ok.
func conditionValuesAll(c Condition, key string, ok func(string) bool) bool {
	found := false
	for op, kv := range c {
		if !strings.HasPrefix(strings.ToLower(op), "stringequals") && !strings.HasPrefix(strings.ToLower(op), "forallvalues:stringequals") &&
			!strings.HasPrefix(strings.ToLower(op), "foranyvalue:stringequals") {
			continue
		}
		for k, vs := range kv {
			if !strings.EqualFold(k, key) {
				continue
			}
			for _, v := range vs {
				if !ok(v) {
					return false
				}
			}
			found = found || len(vs) > 0
		}
	}
	return found
}

// TrimTrust returns a copy of d without the openings: each opening principal
// is removed from its statement, and a statement left with no principal is
// removed. A document left with no statement gets one that denies every
// assumption, since IAM refuses a trust policy without a statement. removed
// says what was taken out, in words.
func TrimTrust(d *Document, openings []Opening) (trimmed *Document, removed []string) {
	out := &Document{Version: d.Version, ID: d.ID}
	for _, st := range d.Statements {
		var mine []Opening
		for _, o := range openings {
			if o.Statement == st.Index {
				mine = append(mine, o)
			}
		}
		if len(mine) == 0 {
			out.Statements = append(out.Statements, st)
			continue
		}
		if st.Principal.Wildcard {
			removed = append(removed, fmt.Sprintf("statement %d (Principal \"*\")", st.Index))
			continue
		}
		p := &Principal{Values: map[string][]string{}}
		for key, values := range st.Principal.Values {
			for _, v := range values {
				if slices.ContainsFunc(mine, func(o Opening) bool { return o.Key == key && o.Value == v }) {
					removed = append(removed, fmt.Sprintf("%s principal %s from statement %d", key, v, st.Index))
					continue
				}
				p.Values[key] = append(p.Values[key], v)
			}
		}
		if len(p.Values) == 0 {
			continue
		}
		c := st
		c.Principal = p
		out.Statements = append(out.Statements, c)
	}
	for i := range out.Statements {
		out.Statements[i].Index = i
	}
	if len(out.Statements) == 0 {
		out.Statements = []Statement{{Effect: "Deny", Principal: &Principal{Values: map[string][]string{"AWS": {"*"}}}, Action: []string{"sts:AssumeRole"}}}
		if out.Version == "" {
			out.Version = "2012-10-17"
		}
	}
	return out, removed
}
