package cloudtrail

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestValid holds valid to json.Valid on the edges of JSON's grammar;
// FuzzDecodeRecord compares the two on everything else.
func TestValid(t *testing.T) {
	deep := func(n int, open, close string) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	cases := []string{
		``, ` `, `{}`, ` {} `, `[]`, `[ ]`, `{ }`, `{"a":1}`, `{"a" : [1, 2.5, -3e+4, 0.1E-2, true, false, null, "x"]}`,
		`{"a":1,}`, `[1,]`, `[,1]`, `{"a"}`, `{"a":}`, `{,}`, `{"a":1 "b":2}`, `{"a":1}{}`, `{"a":1} x`, `{1:2}`,
		`"abc"`, `"a\"b"`, `"a\\"`, `"a\\\"`, `"\u00e9\ud800"`, `"\u12"`, `"\u12G4"`, `"\x"`, `"\/\b\f\n\r\t"`,
		"\"tab\there\"", "\"nl\nhere\"", "\"\x7f\xff\xfe invalid UTF-8 is accepted\"", `"0123456789abcdef\"0123456789"`,
		`0`, `-0`, `01`, `-`, `1.`, `.5`, `1e`, `1e+`, `1E5`, `-1.5e-7`, `+1`, `1.5.5`, `00`, `-01`,
		`tru`, `true`, `truex`, `nul`, `null`, `fals`, `false`, `[true false]`,
		`[1}`, `{"a":1]`, `]`, `}`, `[[[]]]`, `[{"a":[{}]}]`,
		deep(maxNesting, "[", "]"), deep(maxNesting+1, "[", "]"),
		deep(maxNesting-1, "[", "]")[:maxNesting-1] + "{}" + deep(maxNesting-1, "[", "]")[maxNesting-1:],
		deep(maxNesting, "[", "]")[:maxNesting] + "{}" + deep(maxNesting, "[", "]")[maxNesting:],
	}
	for _, s := range cases {
		if got, want := valid([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("valid(%.40q) = %v, want %v (json.Valid)", s, got, want)
		}
	}
	for _, r := range benchRecords() {
		if !valid(r) {
			t.Errorf("valid(%.60q) = false, want true", r)
		}
	}
}
