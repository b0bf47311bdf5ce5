package notify

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/iamguard/iamguard/shared/finding"
)

// MaxSubject is the longest subject SNS accepts: "must be less than 100
// characters long".
const MaxSubject = 99

// asciiFor spells common typographic characters in ASCII; any other
// non-ASCII character becomes "?", so that a reader sees something was there.
var asciiFor = map[rune]string{
	'…': "...", '–': "-", '—': "-", '‐': "-", '‑': "-", '−': "-",
	'‘': "'", '’': "'", '‚': "'", '“': `"`, '”': `"`, '„': `"`,
	'«': `"`, '»': `"`, '•': "*", '·': "-", '×': "x", '→': "->",
	'\u00a0': " ", '\u2009': " ", '\u202f': " ",
}

// ASCII returns s as printable ASCII on one line: typographic characters
// spelt in ASCII, other non-ASCII characters as "?", control characters and
// line breaks as spaces, runs of spaces as one, and no spaces at either end.
func ASCII(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		var out string
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			space = true
			continue
		case r < 0x7f:
			out = string(r)
		default:
			var ok bool
			if out, ok = asciiFor[r]; !ok {
				out = "?"
			}
			if out == " " {
				space = true
				continue
			}
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(out)
	}
	return b.String()
}

// Title is the alert's one-line headline for chat: "[SEVERITY] summary",
// plus the outcome when iamguard acted. Unlike Subject it keeps every
// character and is not cut.
func Title(a finding.Alert) string {
	return severityLabel(a) + " " + orUnknown(OneLine(a.Finding.Summary)) + subjectSuffix(a.Outcome)
}

// OneLine returns s on one line: line breaks and other control
// characters become single spaces. Unlike ASCII it keeps non-ASCII text.
func OneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// trailingParen matches the closing "(grants …)" remark of a summary, which
// the severity in brackets already conveys when space is short.
var trailingParen = regexp.MustCompile(`\s*\([^()]*\)$`)

// Subject returns the email subject: "[SEVERITY] summary", with the outcome
// when iamguard acted (" - rolled back"), in printable ASCII and at most
// MaxSubject characters. A long summary first loses its closing remark in
// parentheses, then is cut with "..."; the severity and outcome always stay.
func Subject(a finding.Alert) string {
	f := a.Finding
	prefix := severityLabel(a) + " "
	suffix := subjectSuffix(a.Outcome)
	summary := ASCII(f.Summary)
	if summary == "" && f.EventName != "" {
		summary = ASCII(f.EventName + " by " + orUnknown(f.Actor))
	}
	if summary == "" {
		summary = ASCII("iamguard " + f.Rule + " finding")
	}
	room := MaxSubject - len(prefix) - len(suffix)
	if len(summary) > room {
		if short := trailingParen.ReplaceAllString(summary, ""); short != "" {
			summary = short
		}
	}
	if len(summary) > room {
		summary = strings.TrimRight(summary[:room-3], " ") + "..."
	}
	return prefix + summary + suffix
}
