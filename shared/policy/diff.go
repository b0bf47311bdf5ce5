package policy

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Grant is one line of what a document allows or denies: one action (or a
// NotAction list) on one resource (or a NotResource list), for one principal
// (trust and resource policies), under the statement's condition as written.
type Grant struct {
	Deny      bool
	Action    string // one pattern, or the NotAction list as "all but a, b"
	Resource  string // one pattern, the NotResource list as "all but a, b", or "" (a trust policy: the role itself)
	Principal string // "AWS:arn:aws:iam::111122223333:root", "*", or ""; "all but ..." for NotPrincipal
	Condition string // canonical text of the Condition, "" without one

	not bool // NotAction, NotResource or NotPrincipal: compared only whole
}

// String renders g for an alert: `iam:PassRole on *`,
// `sts:AssumeRole for AWS:arn:aws:iam::444455556666:root`,
// `deny s3:* on * under {"Bool":{"aws:SecureTransport":["false"]}}`.
func (g Grant) String() string {
	var b strings.Builder
	if g.Deny {
		b.WriteString("deny ")
	}
	b.WriteString(g.Action)
	if g.Resource != "" {
		b.WriteString(" on ")
		b.WriteString(g.Resource)
	}
	if g.Principal != "" {
		b.WriteString(" for ")
		b.WriteString(g.Principal)
	}
	if g.Condition != "" {
		b.WriteString(" under ")
		b.WriteString(g.Condition)
	}
	return b.String()
}

// Change is what a new document grants that the one it replaces did not, and
// the reverse, grant by grant.
type Change struct {
	Added, Removed []Grant
	// NoNewAccess is true when the new document allows nothing the old one
	// did not: each of its Allow grants is covered by an old one (an action
	// and resource pattern at least as broad, the same principal, and no
	// condition or the same one), and each old Deny is still there, at least
	// as broad and under no narrower condition. It is false whenever that
	// cannot be shown, including for documents too large to compare.
	NoNewAccess bool
}

// maxGrants bounds the expansion of a document into grants, and so the work
// of Compare; a document beyond it is compared statement by statement, and
// never found to add nothing.
const maxGrants = 2048

// Grants expands a document into its grants, in statement order. The second
// result is false when the document has more than maxGrants of them; the
// grants are then one per statement, with whole lists.
func Grants(d *Document) ([]Grant, bool) {
	if d == nil {
		return nil, true
	}
	n := 0
	for i := range d.Statements {
		s := &d.Statements[i]
		n += max(1, len(s.Action)) * max(1, len(s.Resource)) * max(1, principalCount(s.Principal))
	}
	whole := n > maxGrants
	out := make([]Grant, 0, min(n, maxGrants))
	for i := range d.Statements {
		s := &d.Statements[i]
		base := Grant{Deny: s.IsDeny(), Condition: conditionText(s.Condition)}
		acts := s.Action
		if s.NotAction != nil || whole {
			acts = []string{listText(s.Action, s.NotAction)}
			base.not = base.not || s.NotAction != nil
		}
		res := s.Resource
		switch {
		case s.NotResource != nil || whole:
			res = []string{listText(s.Resource, s.NotResource)}
			base.not = base.not || s.NotResource != nil
		case res == nil:
			res = []string{""}
		}
		prins := principalTexts(s.Principal)
		if s.NotPrincipal != nil {
			prins = []string{"all but " + strings.Join(principalTexts(s.NotPrincipal), ", ")}
			base.not = true
		}
		if whole && len(prins) > 1 {
			prins = []string{strings.Join(prins, ", ")}
		}
		for _, a := range acts {
			for _, r := range res {
				for _, p := range prins {
					g := base
					g.Action, g.Resource, g.Principal = a, r, p
					out = append(out, g)
				}
			}
		}
	}
	return out, !whole
}

// Compare says what after grants that before did not (Added), what before
// granted that after no longer does (Removed), and whether after allows
// anything new at all (NoNewAccess). Added and Removed compare grants as
// written; NoNewAccess compares what they allow.
func Compare(before, after *Document) Change {
	bg, bok := Grants(before)
	ag, aok := Grants(after)
	var c Change
	seen := make(map[Grant]bool, len(bg))
	for _, g := range bg {
		seen[g] = true
	}
	now := make(map[Grant]bool, len(ag))
	for _, g := range ag {
		now[g] = true
		if !seen[g] {
			c.Added = appendGrant(c.Added, g)
		}
	}
	for _, g := range bg {
		if !now[g] {
			c.Removed = appendGrant(c.Removed, g)
		}
	}
	if !bok || !aok {
		return c
	}
	c.NoNewAccess = true
	for _, a := range c.Added {
		if !a.Deny && !slices.ContainsFunc(bg, func(b Grant) bool { return !b.Deny && grantCovers(b, a) }) {
			c.NoNewAccess = false
			return c
		}
	}
	for _, b := range c.Removed {
		if b.Deny && !slices.ContainsFunc(ag, func(a Grant) bool { return a.Deny && grantCovers(a, b) }) {
			c.NoNewAccess = false
			return c
		}
	}
	return c
}

func appendGrant(gs []Grant, g Grant) []Grant {
	if slices.Contains(gs, g) {
		return gs // a statement written twice
	}
	return append(gs, g)
}

// grantCovers reports whether grant p reaches everything grant q does: an
// action and resource at least as broad, the same principal or every
// principal, and no condition or the very same one. NotAction, NotResource
// and NotPrincipal grants are compared only for equality.
func grantCovers(p, q Grant) bool {
	if p == q {
		return true
	}
	if p.not || q.not {
		return false
	}
	if p.Condition != "" && p.Condition != q.Condition {
		return false
	}
	if p.Principal != q.Principal && p.Principal != "*" && p.Principal != "AWS:*" {
		return false
	}
	return actionCovers(normAction(p.Action), q.Action) && (p.Resource == q.Resource || covers(p.Resource, q.Resource, false))
}

func principalCount(p *Principal) int {
	if p == nil || p.Wildcard {
		return 1
	}
	n := 0
	for _, vs := range p.Values {
		n += len(vs)
	}
	return n
}

// principalTexts lists a Principal's members as "KEY:value", or "*".
func principalTexts(p *Principal) []string {
	if p == nil {
		return []string{""}
	}
	if p.Wildcard {
		return []string{"*"}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(p.Values)) {
		for _, v := range p.Values[k] {
			out = append(out, k+":"+v)
		}
	}
	if out == nil {
		return []string{""}
	}
	return out
}

func listText(plain, not []string) string {
	if not != nil {
		return "all but " + strings.Join(not, ", ")
	}
	return strings.Join(plain, ", ")
}

// conditionText writes a Condition in one canonical form: operators, keys and
// values sorted, as compact JSON.
func conditionText(c Condition) string {
	if len(c) == 0 {
		return ""
	}
	b := []byte{'{'}
	for i, op := range slices.Sorted(maps.Keys(c)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, op)
		b = append(b, ":{"...)
		for j, k := range slices.Sorted(maps.Keys(c[op])) {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, k)
			b = append(b, ":["...)
			for n, v := range slices.Sorted(slices.Values(c[op][k])) {
				if n > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendQuote(b, v)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return string(append(b, '}'))
}
