package severity

import (
	"encoding/json"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	for s := None; s <= Critical; s++ {
		got, err := Parse(s.String())
		if err != nil || got != s {
			t.Errorf("Parse(%q) = %v, %v, want %v", s.String(), got, err, s)
		}
	}
	if got, err := Parse(" HIGH "); err != nil || got != High {
		t.Errorf("Parse(\" HIGH \") = %v, %v, want high", got, err)
	}
	if _, err := Parse("severe"); err == nil {
		t.Error("Parse(\"severe\") = nil error, want an error naming the choices")
	}
}

func TestJSON(t *testing.T) {
	b, err := json.Marshal(struct{ S Severity }{Critical})
	if err != nil || string(b) != `{"S":"critical"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var v struct{ S Severity }
	if err := json.Unmarshal([]byte(`{"S":"Medium"}`), &v); err != nil || v.S != Medium {
		t.Fatalf("Unmarshal = %v, %v, want medium", v.S, err)
	}
	if err := json.Unmarshal([]byte(`{"S":"x"}`), &v); err == nil {
		t.Fatal("Unmarshal of unknown level succeeded")
	}
	if _, err := json.Marshal(Severity(42)); err == nil {
		t.Fatal("Marshal(Severity(42)) succeeded")
	}
}

func TestOrderAndHelpers(t *testing.T) {
	if !(None < Info && Info < Low && Low < Medium && Medium < High && High < Critical) {
		t.Fatal("levels are out of order")
	}
	if Max(Low, High) != High || Min(Low, High) != Low {
		t.Fatal("Max/Min wrong")
	}
	if Critical.Upper() != "CRITICAL" || Severity(9).String() != "severity(9)" {
		t.Fatalf("Upper/String wrong: %s %s", Critical.Upper(), Severity(9))
	}
}
