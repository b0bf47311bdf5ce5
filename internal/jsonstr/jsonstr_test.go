package jsonstr

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAppendQuoteAgreesWithEncodingJSON: the literal reads back as s (with
// invalid UTF-8 as U+FFFD), and equals encoding/json's output without HTML
// escaping.
func TestAppendQuoteAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quo"te\back`, "tab\tnl\nret\r", "\x00\x01\x1f\x7f", "héllo ✓ 😀", "bad\xffutf8\xc3", "<a&b>", "\u2028\u2029"} {
		got := string(AppendQuote(nil, s))
		var sb strings.Builder
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(sb.String(), "\n")
		want = strings.NewReplacer(`\u2028`, "\u2028", `\u2029`, "\u2029").Replace(want)
		if got != want {
			t.Errorf("AppendQuote(%q) = %s, want %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("AppendQuote(%q) = %s: not JSON: %v", s, got, err)
		}
	}
}
