package policy

import (
	"strconv"
	"strings"
	"time"
)

// This file decides when a pattern is as broad as "*" by meaning, though not
// by spelling: resource patterns that cover every resource of a service (or
// every IAM user, role, group or policy), action patterns that match every
// action, and Conditions that never restrict.

// IAM resource types that escalation actions act on, as bits of a typeMask.
const (
	iamUser uint8 = 1 << iota
	iamRole
	iamGroup
	iamPolicy
)

// iamTypes names each IAM type bit: its resource-type prefix and the plural
// a Reason uses.
var iamTypes = [...]struct {
	bit    uint8
	prefix string // the ARN's resource part for every resource of the type
	plural string
}{
	{iamUser, "user/*", "IAM user"},
	{iamRole, "role/*", "IAM role"},
	{iamGroup, "group/*", "IAM group"},
	{iamPolicy, "policy/*", "IAM policy"},
}

// broadRes is what a resource pattern from an Allow statement covers, when it
// covers all of something and yet is not every resource.
type broadRes struct {
	service string // the ARN's service segment, as written (lower case in practice)
	region  string // "" for IAM and other global services, "*" for every region
	account string // "*" for every account
	whole   bool   // every resource of the service
	types   uint8  // for IAM when not whole: the types covered whole (iamUser...)
	// For parseReach only: a pattern with a wildcard inside the resource's
	// name, such as "function:*sagemaker*" or "processing-job/*canvas*";
	// part is the resource part as written, typ the type before the name
	// ("function", "processing-job"; "" when none) and typeWide true when
	// the name is all '*' ("instance/*": every resource of the type).
	named    bool
	part     string
	typ      string
	typeWide bool
}

// parseBroad reports whether resource pattern r covers every resource of one
// service in one account or in every account,
//
//	arn:<partition or *>:<service>:<region, empty or *>:<account or *>:*
//
// or, for IAM, every resource of one or more of its types: "user/*",
// "role/*", "group/*" or "policy/*" as the resource part, "*/*" for all of
// them. Every segment but the last must be literal or all '*': a pattern such
// as "arn:aws:iam::*:user/admin-*" covers only some users and is not broad,
// nor is one single user or role ("user/alice"). Patterns that reach every
// resource ("*", "arn:aws:*:*:*:*") are allResources' business, not this one's.
func parseBroad(r string) (broadRes, bool) {
	b, ok := parsePattern(r)
	return b, ok && !b.named
}

// splitPattern splits an ARN pattern into its five leading segments and the
// resource part. Every segment but the resource part must be literal or all
// '*' (the first one "arn" or a pattern that admits it).
func splitPattern(r string) (seg [5]string, rest string, ok bool) {
	rest = r
	for i := range seg {
		k := strings.IndexByte(rest, ':')
		if k < 0 {
			return seg, "", false
		}
		seg[i], rest = rest[:k], rest[k+1:]
	}
	if seg[0] != "arn" && !(hasWildcard(seg[0]) && glob(seg[0], "arn", false)) {
		return seg, "", false
	}
	for _, s := range seg[1:5] {
		if hasWildcard(s) && !isAllStars(s) {
			return seg, "", false
		}
	}
	return seg, rest, true
}

// parseReach is parseBroad, and also accepts a pattern that is broad only
// for an action whose resource the caller names itself: a wildcard inside
// the name of a non-IAM resource ("arn:aws:lambda:*:*:function:*sagemaker*":
// a caller free to create functions calls its own "x-sagemaker"), or a
// type-wide pattern ("arn:aws:ec2:*:*:instance/*"). Every segment but the
// resource part must be literal or all '*', as for parseBroad.
func parseReach(r string) (broadRes, bool) { return parsePattern(r) }

// parsePattern is parseReach, splitting the pattern once.
func parsePattern(r string) (broadRes, bool) {
	if len(r) < 2 || !hasWildcard(r) || isAllStars(r) {
		return broadRes{}, false
	}
	seg, rest, ok := splitPattern(r)
	if !ok || seg[2] == "" || hasWildcard(seg[2]) {
		return broadRes{}, false
	}
	b := broadRes{service: seg[2], region: seg[3], account: seg[4]}
	typEnd := indexTypeEnd(rest)
	if typEnd < 0 && isAllStars(rest) {
		b.whole = true
		return b, true
	}
	if strings.EqualFold(b.service, "iam") {
		if typEnd >= 0 && rest[typEnd] == ':' || rest[len(rest)-1] != '*' {
			return broadRes{}, false // a resource part with colons of its own is narrower
		}
		if covers(rest, "*/*", false) {
			b.whole = true
			return b, true
		}
		for _, t := range iamTypes {
			if covers(rest, t.prefix, false) {
				b.types |= t.bit
			}
		}
		return b, b.types != 0
	}
	b.named, b.part = true, rest
	name := rest
	if typEnd >= 0 {
		b.typ, name = rest[:typEnd], rest[typEnd+1:]
		if hasWildcard(b.typ) {
			return broadRes{}, false
		}
	}
	if !hasWildcard(name) || indexTypeEnd(name) >= 0 && !isAllStars(name) {
		return broadRes{}, false // a literal name, or a path below one: not the caller's choice
	}
	b.typeWide = isAllStars(name)
	return b, true
}

// indexTypeEnd is the index of the first ':' or '/' in s, or -1.
func indexTypeEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' || s[i] == '/' {
			return i
		}
	}
	return -1
}

// reaches reports whether b covers every resource that table action a can
// name: a whole service, an IAM type a acts on, or, for an action whose
// resource the caller names (escAction.named), any pattern of the service
// with a wildcard in the name.
func (b broadRes) reaches(a *escAction) bool {
	if !strings.EqualFold(b.service, a.resService) {
		return false
	}
	if b.named {
		return a.named
	}
	return b.whole || a.resTypes != 0 && b.types&a.resTypes != 0
}

// appendBroad describes b for a Reason: "every IAM user in the account",
// "every ec2 resource in one region of every account".
func appendBroad(b []byte, r broadRes) []byte {
	if r.named {
		if r.typeWide && r.typ != "" {
			b = append(b, "every "...)
			b = append(b, r.service...)
			b = append(b, ' ')
			return append(b, r.typ...)
		}
		b = append(b, r.service...)
		return append(b, " resources with names the caller chooses"...)
	}
	b = append(b, "every "...)
	iam := strings.EqualFold(r.service, "iam")
	switch {
	case r.whole && iam:
		b = append(b, "IAM resource"...)
	case r.whole:
		b = append(b, r.service...)
		b = append(b, " resource"...)
	default:
		n := 0
		for _, t := range iamTypes {
			if r.types&t.bit == 0 {
				continue
			}
			if n > 0 {
				b = append(b, " and every "...)
			}
			b = append(b, t.plural...)
			n++
		}
	}
	region := r.region != "" && !isAllStars(r.region)
	switch {
	case isAllStars(r.account) && region:
		return append(b, " in one region of every account"...)
	case isAllStars(r.account):
		return append(b, " in every account"...)
	case r.account == "" && region:
		return append(b, " in one region"...)
	case r.account == "":
		return b // S3 and the like: the ARN names no account
	case region:
		return append(b, " in one region of the account"...)
	}
	return append(b, " in the account"...)
}

// matchesAnyName reports whether s, a pattern of '*' and '?' alone, matches
// every non-empty string: it holds a '*' and at most one '?'.
func matchesAnyName(s string) bool {
	star, q := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*':
			star = true
		case '?':
			q++
		default:
			return false
		}
	}
	return star && q <= 1
}

// matchesAllActions reports whether action pattern p matches every action by
// meaning, as "*" and "*:*" do: "*:?*", "?*:*", "*?", "**", "*:*?". Such a
// pattern is made of '*' and '?' alone, and either has one ':' with each side
// matching any non-empty text, or none and a '*' with at most three '?' (the
// shortest action, "s:a", has three characters).
func matchesAllActions(p string) bool {
	if p == "*" || p == "*:*" {
		return true
	}
	if svc, name, ok := strings.Cut(p, ":"); ok {
		return matchesAnyName(svc) && matchesAnyName(name)
	}
	star, q := false, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			star = true
		case '?':
			q++
		default:
			return false
		}
	}
	return star && q <= 3
}

// normAction rewrites an action pattern that matches everything to "*:*",
// and one whose name part matches every action of a literal service, such as
// "iam:?*", to "iam:*". Other patterns are returned as they are.
func normAction(p string) string {
	if !hasWildcard(p) || isAllStars(p) {
		return p
	}
	if matchesAllActions(p) {
		return "*:*"
	}
	if i := strings.IndexByte(p, ':'); i > 0 && !hasWildcard(p[:i]) {
		if name := p[i+1:]; !isAllStars(name) && matchesAnyName(name) {
			return p[:i+1] + "*"
		}
	}
	return p
}

// alwaysPresentKeys are global condition keys that IAM puts in the context of
// every request, lower case. A StringLike "*" on one of them always holds; on
// any other key it does not hold when the key is absent, so it restricts
// (StringLike "aws:PrincipalTag/team": "*" requires the tag).
var alwaysPresentKeys = [...]string{
	"aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:userid",
	"aws:requestedregion", "aws:currenttime", "aws:epochtime", "aws:securetransport",
}

// conditionVacuous reports whether a Condition never restricts anything, so
// that a statement under it is as good as unconditional. It is conservative:
// it answers true only when every operator and key is one of
//
//   - Bool on aws:SecureTransport listing both "true" and "false" (the key is
//     in every request);
//   - StringLike with the value "*" on a key that every request carries
//     (alwaysPresentKeys), or StringLikeIfExists with "*" on any key;
//   - Null listing both "true" and "false" on any key (absent or present);
//   - DateGreaterThan(Equals) on aws:CurrentTime, or NumericGreaterThan(Equals)
//     and DateGreaterThan(Equals) on aws:EpochTime, with every value in the
//     past: the clock only moves on ("after 1970");
//   - StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, ArnNotEquals
//     or ArnNotLike on a single-valued key (aws:username, aws:userid,
//     aws:PrincipalArn…): it shuts out the named values and lets everyone
//     else in, so it limits nothing that matters for who holds the access.
//
// Anything else, including an operator with no keys, counts as restricting.
func conditionVacuous(c Condition) bool {
	if len(c) == 0 {
		return false
	}
	for op, keys := range c {
		if len(keys) == 0 {
			return false
		}
		for k, vs := range keys {
			var ok bool
			switch op {
			case "Bool":
				ok = strings.EqualFold(k, "aws:SecureTransport") && bothBools(vs)
			case "Null":
				ok = bothBools(vs)
			case "StringLike":
				ok = hasStar(vs) && alwaysPresent(k)
			case "StringLikeIfExists":
				ok = hasStar(vs)
			case "DateGreaterThan", "DateGreaterThanEquals":
				ok = (strings.EqualFold(k, "aws:CurrentTime") || strings.EqualFold(k, "aws:EpochTime")) && allPast(vs)
			case "NumericGreaterThan", "NumericGreaterThanEquals":
				ok = strings.EqualFold(k, "aws:EpochTime") && allPast(vs)
			case "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike":
				// The IfExists forms let a request without the key through
				// too: no more restrictive. A set operator (ForAnyValue:)
				// on a multivalued key is another matter: not listed.
				ok = !hasStar(vs)
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

// now is the clock conditionVacuous reads; tests set it.
var now = time.Now

// allPast reports whether every value is a time before now: an RFC 3339 or
// ISO 8601 date, or seconds since 1970 (aws:EpochTime, and the date
// operators' numeric form).
func allPast(vs []string) bool {
	if len(vs) == 0 {
		return false
	}
	t := now()
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n > t.Unix() {
				return false
			}
			continue
		}
		var at time.Time
		var err error
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z", "2006-01-02"} {
			if at, err = time.Parse(layout, v); err == nil {
				break
			}
		}
		if err != nil || !at.Before(t) {
			return false
		}
	}
	return true
}

func bothBools(vs []string) bool {
	t, f := false, false
	for _, v := range vs {
		t = t || strings.EqualFold(v, "true")
		f = f || strings.EqualFold(v, "false")
	}
	return t && f
}

func hasStar(vs []string) bool {
	for _, v := range vs {
		if isAllStars(v) {
			return true
		}
	}
	return false
}

func alwaysPresent(k string) bool {
	for _, a := range alwaysPresentKeys {
		if strings.EqualFold(k, a) {
			return true
		}
	}
	return false
}
