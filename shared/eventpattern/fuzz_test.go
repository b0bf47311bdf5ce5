package eventpattern

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzMatchJSON feeds arbitrary pattern and event text through every entry
// point. Nothing may panic; a pattern that parses must survive a marshal and
// parse round trip unchanged and give the same answer before and after it;
// Match must agree with MatchJSON and must not depend on how numbers were
// decoded.
func FuzzMatchJSON(f *testing.F) {
	seeds := []struct{ pattern, event string }{
		{createAccessKeyRule, `{"source":"aws.iam","detail-type":"AWS API Call via CloudTrail","detail":{"eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey"}}`},
		{rootRule, `{"detail":{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall","eventName":"CreateUser"}}`},
		{signInRule, `{"source":"aws.signin","detail-type":"AWS Console Signin via CloudTrail","detail":{"eventName":"ConsoleLogin"}}`},
		{`{"a":[{"numeric":[">",0,"<=",5]},{"cidr":"10.0.0.0/24"},{"wildcard":"a*b\\*"}]}`, `{"a":[1,"10.0.0.9","aXb*",null,{"b":[]}]}`},
		{`{"$or":[{"a":[{"anything-but":{"prefix":["x","y"]}}]},{"b":{"c":[{"exists":false}]}}]}`, `{"a":"z","b":[{"c":1},{"d":2}]}`},
		{`{"e":{"f":[{"suffix":{"equals-ignore-case":"\u212A"}}]}}`, `{"e":[[{"f":"k"}]]}`},
		{`{"a":["x"]}`, `[1,2]`},
		{`{"a":"x"}`, `{"a":"x"}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s.pattern), []byte(s.event))
	}
	f.Fuzz(func(t *testing.T, patternText, eventText []byte) {
		var floats map[string]any
		eventErr := json.Unmarshal(eventText, &floats)

		// Unvalidated patterns must not panic anywhere either.
		var raw map[string]any
		if json.Unmarshal(patternText, &raw) == nil {
			rp := Pattern(raw)
			rp.Paths()
			rp.Clone()
			_, _ = rp.MarshalJSON()
			_, _ = rp.MatchJSON(eventText)
			if eventErr == nil {
				rp.Match(floats)
			}
		}

		p, err := Parse(patternText)
		if err != nil {
			return
		}
		b, err := p.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON() of a parsed pattern = %v", err)
		}
		again, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse(MarshalJSON()) = %v; marshalled: %s", err, b)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("marshal round trip changed the pattern (-want +got):\n%s", diff)
		}

		got, err := p.MatchJSON(eventText)
		if err != nil || eventErr != nil {
			// eventErr alone: a number beyond float64 that json.Number keeps.
			return
		}
		if m := p.Match(floats); m != got {
			t.Fatalf("Match(float64 event) = %v, MatchJSON = %v", m, got)
		}
		var numbers map[string]any
		dec := json.NewDecoder(bytes.NewReader(eventText))
		dec.UseNumber()
		if err := dec.Decode(&numbers); err != nil {
			t.Fatalf("decode with UseNumber: %v", err)
		}
		if m := p.Match(numbers); m != got {
			t.Fatalf("Match(json.Number event) = %v, MatchJSON = %v", m, got)
		}
		if m := again.Match(floats); m != got {
			t.Fatalf("re-parsed pattern: Match = %v, original = %v", m, got)
		}
	})
}
