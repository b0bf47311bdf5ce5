package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, that every document it accepts
// survives MarshalJSON and Parse unchanged, that it accepts only valid JSON
// and reads strings as encoding/json does, and that Analyze holds its
// invariants on whatever parses. Seeds live in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add(doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`))
	f.Add(urlEncodedAdmin)
	f.Add(`{"Statement":{"Effect":"Allow","Principal":{"AWS":["a","b"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"k":true},"N":{"n":[1,-2.5e3]}}}}`)
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(text)
		plain := false
		if i := skipSpace(text, 0); i < len(text) && text[i] == '{' {
			plain = true
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() error = %T %v, want *ParseError", err, err)
			}
			if plain && pe.Offset >= 0 && json.Valid([]byte(text)) && !strings.Contains(pe.Msg, "nesting") {
				t.Fatalf("Parse() = %v for text that encoding/json finds valid", err)
			}
			return
		}
		if plain && !json.Valid([]byte(text)) {
			t.Fatalf("Parse() accepted text that encoding/json finds invalid")
		}
		if plain {
			compareWithEncodingJSON(t, text, d)
		}
		checkRoundTrip(t, d)
		checkVerdict(t, d, Analyze(d))
	})
}

// compareWithEncodingJSON decodes text with encoding/json and checks that
// the string elements of each statement agree with d.
func compareWithEncodingJSON(t *testing.T, text string, d *Document) {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	var list []any
	switch v := lookupFold(top, "Statement").(type) {
	case map[string]any:
		list = []any{v}
	case []any:
		list = v
	}
	if len(list) != len(d.Statements) {
		t.Fatalf("encoding/json sees %d statements, Parse %d", len(list), len(d.Statements))
	}
	for i, raw := range list {
		m := raw.(map[string]any)
		s := d.Statements[i]
		want := map[string][]string{
			"Sid": {s.Sid}, "Effect": {s.Effect},
			"Action": s.Action, "NotAction": s.NotAction, "Resource": s.Resource, "NotResource": s.NotResource,
		}
		for name, got := range want {
			var ref []string
			switch v := lookupFold(m, name).(type) {
			case string:
				ref = []string{v}
			case []any:
				for _, e := range v {
					ref = append(ref, e.(string))
				}
			case nil:
				if name == "Sid" {
					ref = []string{""}
				}
			}
			if diff := cmp.Diff(ref, got); diff != "" {
				t.Fatalf("statement %d %s: Parse disagrees with encoding/json (-json +Parse):\n%s", i, name, diff)
			}
		}
	}
}

func lookupFold(m map[string]any, key string) any {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// checkVerdict asserts what every Verdict must satisfy.
func checkVerdict(t *testing.T, d *Document, v Verdict) {
	t.Helper()
	if len(v.Findings) == 0 {
		if v.Severity != 0 {
			t.Fatalf("Verdict.Severity = %v with no findings", v.Severity)
		}
		return
	}
	if v.Severity != v.Findings[0].Severity {
		t.Fatalf("Verdict.Severity = %v, first finding %v", v.Severity, v.Findings[0].Severity)
	}
	for i, f := range v.Findings {
		if i > 0 && f.Severity > v.Findings[i-1].Severity {
			t.Fatalf("findings out of order: %v after %v", f.Severity, v.Findings[i-1].Severity)
		}
		if f.Statement < 0 || f.Statement >= len(d.Statements) || len(f.Statements) == 0 || f.Statements[0] != f.Statement {
			t.Fatalf("finding %d names statement %d, statements %v, of %d", i, f.Statement, f.Statements, len(d.Statements))
		}
		if !d.Statements[f.Statement].IsAllow() {
			t.Fatalf("finding %d is about statement %d, which is not an Allow", i, f.Statement)
		}
		if f.Reason == "" || f.Kind == "" {
			t.Fatalf("finding %d has no reason or kind: %+v", i, f)
		}
	}
}

// FuzzMatchAction checks MatchAction against a slow reference matcher and
// the soundness of the coverage and overlap checks built on the same rules.
func FuzzMatchAction(f *testing.F) {
	f.Add("iam:*Policy", "iam:Attach*", "iam:AttachUserPolicy")
	f.Add("s3:Get?bject", "*", "s3:GetObject")
	f.Add("*a*b", "a?b*", "aXab")
	f.Add("arn:aws:s3:::*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	f.Fuzz(func(t *testing.T, p, q, s string) {
		got := MatchAction(p, s)
		if len(p) <= 24 && len(s) <= 24 {
			if want := refMatch(p, s); got != want {
				t.Fatalf("MatchAction(%q, %q) = %v, reference says %v", p, s, got, want)
			}
		}
		if !hasWildcard(s) && actionCovers(p, s) != got {
			t.Fatalf("actionCovers(%q, %q) = %v, MatchAction says %v", p, s, !got, got)
		}
		if got && MatchAction(q, s) && !overlaps(p, q) {
			t.Fatalf("overlaps(%q, %q) = false, but both match %q", p, q, s)
		}
		if actionCovers(p, q) && MatchAction(q, s) && !got {
			t.Fatalf("actionCovers(%q, %q) = true, but %q matches only the second", p, q, s)
		}
		if resourceCovers(p, q) && MatchResource(q, s) && !MatchResource(p, s) {
			t.Fatalf("resourceCovers(%q, %q) = true, but %q matches only the second", p, q, s)
		}
		classifyAction(p)
		allResources(p)
		serviceWideResource(p)
	})
}

// refMatch is a plain dynamic-programming glob matcher over runes, with
// ASCII case folding: the definition MatchAction must agree with.
func refMatch(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	if !utf8.ValidString(s) {
		// Invalid bytes are single "characters" to both matchers.
		sr = sr[:0]
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				r = rune(0x110000 + int(s[i])) // a unique stand-in per byte
			}
			sr = append(sr, r)
			i += n
		}
	}
	if !utf8.ValidString(p) {
		return MatchAction(p, s) // the reference cannot spell invalid literals; skip
	}
	fold := func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	// m[j] reports whether pr[:i] matches sr[:j].
	m := make([]bool, len(sr)+1)
	m[0] = true
	for i := range pr {
		next := make([]bool, len(sr)+1)
		for j := 0; j <= len(sr); j++ {
			switch pr[i] {
			case '*':
				next[j] = m[j] || (j > 0 && next[j-1])
			case '?':
				next[j] = j > 0 && m[j-1]
			default:
				next[j] = j > 0 && m[j-1] && fold(pr[i]) == fold(sr[j-1])
			}
		}
		m = next
	}
	return m[len(sr)]
}
