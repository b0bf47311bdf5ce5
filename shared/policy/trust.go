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

// positive reports whether a condition operator can only narrow who matches:
// a plain equality or pattern test, not a negation, not ...IfExists (which
// lets a request without the key through) and not Null.
func positive(op string) bool {
	o := strings.ToLower(op)
	o = strings.TrimPrefix(strings.TrimPrefix(o, "forallvalues:"), "foranyvalue:")
	if strings.HasSuffix(o, "ifexists") {
		return false
	}
	switch o {
	case "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike":
		return true
	}
	return false
}

// positiveValues returns the values a condition tests key against under
// positive operators, and whether it tests it at all that way.
func positiveValues(c Condition, key string) (vals []string, ok bool) {
	for op, kv := range c {
		if !positive(op) {
			continue
		}
		for k, vs := range kv {
			if strings.EqualFold(k, key) && len(vs) > 0 {
				vals, ok = append(vals, vs...), true
			}
		}
	}
	return vals, ok
}

// limit is how a statement's conditions narrow who may assume the role.
type limit int

const (
	unlimited limit = iota // nothing narrows it
	toTrusted              // to this account, the trusted accounts or the trusted organisation
	toOthers               // to someone else: another account or organisation, or whoever knows an external ID
)

// conditionLimit judges a statement's conditions: toTrusted when a
// positive test confines the caller to the trusted set (aws:PrincipalOrgID
// = the trusted organisation; aws:PrincipalAccount, aws:SourceAccount, or
// the account in aws:PrincipalArn or aws:SourceArn, all trusted); toOthers
// when such a test names someone outside it, or only sts:ExternalId limits
// it; unlimited otherwise.
func conditionLimit(c Condition, s TrustSettings) limit {
	trustedAcct := func(a string) bool { return a == s.Account || slices.Contains(s.TrustedAccounts, a) }
	acctOfARN := func(v string) string {
		if a, ok := awsarn.Parse(v); ok && !strings.ContainsAny(a.Account, "*?") {
			return a.Account
		}
		return ""
	}
	tests := []struct {
		key     string
		trusted func(string) bool
	}{
		{"aws:PrincipalOrgID", func(v string) bool { return s.TrustedOrgID != "" && v == s.TrustedOrgID }},
		{"aws:PrincipalAccount", trustedAcct},
		{"aws:SourceAccount", trustedAcct},
		{"aws:PrincipalArn", func(v string) bool { return trustedAcct(acctOfARN(v)) }},
		{"aws:SourceArn", func(v string) bool { return trustedAcct(acctOfARN(v)) }},
	}
	out := unlimited
	for _, t := range tests {
		vals, ok := positiveValues(c, t.key)
		if !ok {
			continue
		}
		all := true
		for _, v := range vals {
			all = all && t.trusted(v)
		}
		if all {
			return toTrusted // one confining test suffices: conditions are ANDed
		}
		out = toOthers
	}
	if _, ok := positiveValues(c, "sts:ExternalId"); ok {
		out = toOthers
	}
	return out
}

// assumeActions are the actions by which a trust policy lets a principal in.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

// AnalyzeTrust returns every opening of a role's trust policy: a wildcard
// principal with no condition that confines it (critical), a wildcard
// confined only to someone outside the trusted set or by an external ID
// (high), an AWS account that is neither this one nor trusted and is not
// confined to the trusted set (high), and a web-identity provider without an
// audience and a subject condition, or with a subject that admits anyone
// (high). Conditions count only under operators that narrow (not negations,
// not ...IfExists, not Null). Deny statements and statements that grant no
// assume action open nothing.
func AnalyzeTrust(d *Document, s TrustSettings) []Opening {
	var out []Opening
	for _, st := range d.Statements {
		if !st.IsAllow() || st.Principal == nil || !grantsAssume(&st) {
			continue
		}
		lim := conditionLimit(st.Condition, s)
		if st.Principal.Wildcard {
			if o, ok := wildcardOpening(st.Index, "*", "*", lim); ok {
				out = append(out, o)
			}
			continue
		}
		for key, values := range st.Principal.Values {
			for _, v := range values {
				if o, ok := openingOf(&st, key, v, s, lim); ok {
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

func wildcardOpening(stmt int, key, v string, lim limit) (Opening, bool) {
	switch lim {
	case toTrusted:
		return Opening{}, false
	case toOthers:
		return Opening{stmt, key, v, severity.High, "the trust policy lets any principal (" + v + ") assume the role, confined only to someone outside this account and the trusted set, or by an external ID"}, true
	}
	return Opening{stmt, key, v, severity.Critical, "the trust policy lets anyone (" + v + ") assume the role, with no condition that confines who"}, true
}

func openingOf(st *Statement, key, v string, s TrustSettings, lim limit) (Opening, bool) {
	switch strings.ToLower(key) {
	case "aws":
		if strings.ContainsAny(v, "*") {
			return wildcardOpening(st.Index, key, v, lim)
		}
		acct := v
		if a, ok := awsarn.Parse(v); ok {
			acct = a.Account
		}
		if !isAccountNumber(acct) {
			// A unique ID (AROA..., AIDA...) stands where a principal was
			// deleted: it lets no one in.
			return Opening{}, false
		}
		if acct == s.Account || slices.Contains(s.TrustedAccounts, acct) || lim == toTrusted {
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
		aud, _ := positiveValues(st.Condition, provider+":aud")
		sub, _ := positiveValues(st.Condition, provider+":sub")
		if provider == "cognito-identity.amazonaws.com" {
			// Cognito's audience is the identity pool: without it, any pool
			// of any account gets in.
			if len(aud) == 0 {
				return Opening{st.Index, key, v, severity.High, "the trust policy lets identities of any Cognito identity pool assume the role: it has no cognito-identity.amazonaws.com:aud condition"}, true
			}
			return Opening{}, false
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

// isAccountNumber reports whether s is a 12-digit account ID.
func isAccountNumber(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

// anyOpenSubject reports whether a subject condition admits anyone: "*",
// or, for GitHub Actions, a subject that does not name one repository
// (repo:OWNER/REPO:... with no wildcard in OWNER/REPO): repo:*, repo:org/*,
// *:ref:refs/heads/main. A wildcard after the repository (its branches or
// environments) still names one repository.
func anyOpenSubject(provider string, subs []string) bool {
	for _, s := range subs {
		if strings.Trim(s, "*") == "" {
			return true
		}
		if provider != "token.actions.githubusercontent.com" {
			continue
		}
		rest, ok := strings.CutPrefix(s, "repo:")
		if !ok {
			return true
		}
		repo, _, _ := strings.Cut(rest, ":")
		owner, name, ok := strings.Cut(repo, "/")
		if !ok || owner == "" || name == "" || strings.ContainsAny(repo, "*?") {
			return true
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
		if len(mine) == 0 || st.Principal == nil {
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
