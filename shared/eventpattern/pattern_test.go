package eventpattern

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseValidationErrors(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    string
	}{
		{"unknown operator", `{"detail":{"eventName":["CreateUser",{"prefixx":"Create"}]}}`,
			`eventpattern: detail.eventName[1]: unknown operator "prefixx"`},
		{"not JSON", `{"source":`, "eventpattern: parse pattern: unexpected end of JSON input"},
		{"not an object", `["aws.iam"]`, "eventpattern: pattern must be a JSON object, got array"},
		{"empty pattern", `{}`, "eventpattern: pattern is empty"},
		{"leaf is a string", `{"source":"aws.iam"}`,
			"eventpattern: source: want an array of values or a nested pattern object, got string"},
		{"leaf is null", `{"detail":{"x":null}}`,
			"eventpattern: detail.x: want an array of values or a nested pattern object, got null"},
		{"empty value list", `{"source":[]}`, "eventpattern: source: empty array of values"},
		{"empty nested object", `{"detail":{}}`, "eventpattern: detail: empty pattern object"},
		{"array as a value", `{"source":[["aws.iam"]]}`,
			"eventpattern: source[0]: want a string, number, boolean, null or operator object, got array"},
		{"two operators in one object", `{"s":[{"prefix":"a","suffix":"b"}]}`,
			"eventpattern: s[0]: operator object must have exactly one key, has 2"},
		{"empty operator object", `{"s":[{}]}`, "eventpattern: s[0]: operator object must have exactly one key, has 0"},
		{"prefix with a number", `{"s":[{"prefix":1}]}`,
			`eventpattern: s[0]: prefix: want a string or {"equals-ignore-case": string}, got number`},
		{"prefix with a bad option", `{"s":[{"prefix":{"ignore-case":"a"}}]}`,
			`eventpattern: s[0]: prefix: want a string or {"equals-ignore-case": string}, got object`},
		{"suffix with a list", `{"s":[{"suffix":[".png"]}]}`,
			`eventpattern: s[0]: suffix: want a string or {"equals-ignore-case": string}, got array`},
		{"equals-ignore-case with a list", `{"s":[{"equals-ignore-case":["a"]}]}`,
			"eventpattern: s[0]: equals-ignore-case: want a string, got array"},
		{"wildcard with a number", `{"s":[{"wildcard":5}]}`, "eventpattern: s[0]: wildcard: want a string, got number"},
		{"wildcard with consecutive stars", `{"s":[{"wildcard":"ab**c"}]}`,
			`eventpattern: s[0]: wildcard: consecutive "*" at offset 2`},
		{"wildcard with a bad escape", `{"s":[{"wildcard":"a\\b"}]}`,
			`eventpattern: s[0]: wildcard: "\" at offset 1 must escape "*" or "\"`},
		{"wildcard with a trailing backslash", `{"s":[{"wildcard":"a\\"}]}`,
			`eventpattern: s[0]: wildcard: "\" at offset 1 must escape "*" or "\"`},
		{"exists with a string", `{"s":[{"exists":"false"}]}`, "eventpattern: s[0]: exists: want true or false, got string"},
		{"anything-but with a boolean", `{"s":[{"anything-but":true}]}`,
			"eventpattern: s[0]: anything-but: want a string, a number, a list of strings or of numbers, or an object with prefix, suffix, equals-ignore-case or wildcard; got boolean"},
		{"anything-but with an empty list", `{"s":[{"anything-but":[]}]}`, "eventpattern: s[0]: anything-but: empty list"},
		{"anything-but with null in the list", `{"s":[{"anything-but":["a",null]}]}`,
			"eventpattern: s[0]: anything-but: element 1: want a string or a number, got null"},
		{"anything-but with a mixed list", `{"s":[{"anything-but":["a",1]}]}`,
			"eventpattern: s[0]: anything-but: list mixes strings and numbers"},
		{"anything-but with numeric", `{"s":[{"anything-but":{"numeric":[">",1]}}]}`,
			`eventpattern: s[0]: anything-but: unknown operator "numeric" (want prefix, suffix, equals-ignore-case or wildcard)`},
		{"anything-but with two operators", `{"s":[{"anything-but":{"prefix":"a","suffix":"b"}}]}`,
			"eventpattern: s[0]: anything-but: object must have exactly one key, has 2"},
		{"anything-but with an empty prefix", `{"s":[{"anything-but":{"prefix":""}}]}`,
			"eventpattern: s[0]: anything-but/prefix: empty string"},
		{"anything-but prefix with ignore case", `{"s":[{"anything-but":{"prefix":{"equals-ignore-case":"a"}}}]}`,
			"eventpattern: s[0]: anything-but/prefix: want a string or a list of strings, got object"},
		{"anything-but suffix with a number in the list", `{"s":[{"anything-but":{"suffix":[".a",1]}}]}`,
			"eventpattern: s[0]: anything-but/suffix: element 1: want a string, got number"},
		{"anything-but wildcard with consecutive stars", `{"s":[{"anything-but":{"wildcard":["a*","**"]}}]}`,
			`eventpattern: s[0]: anything-but/wildcard: consecutive "*" at offset 0`},
		{"numeric not an array", `{"n":[{"numeric":">"}]}`, "eventpattern: n[0]: numeric: want an array, got string"},
		{"numeric empty", `{"n":[{"numeric":[]}]}`, "eventpattern: n[0]: numeric: empty array"},
		{"numeric odd length", `{"n":[{"numeric":[">",1,"<"]}]}`,
			"eventpattern: n[0]: numeric: want [comparison, number] or a range of 4 elements, got 3 elements"},
		{"numeric unknown comparison", `{"n":[{"numeric":["!=",1]}]}`, `eventpattern: n[0]: numeric: unknown comparison "!="`},
		{"numeric number first", `{"n":[{"numeric":[1,">"]}]}`,
			"eventpattern: n[0]: numeric: element 0: want a comparison operator, got number"},
		{"numeric string operand", `{"n":[{"numeric":[">","1"]}]}`,
			`eventpattern: n[0]: numeric: ">" must be followed by a number, got string`},
		{"numeric range starting with <", `{"n":[{"numeric":["<",1,">",0]}]}`,
			`eventpattern: n[0]: numeric: a range must start with ">" or ">=", got "<"`},
		{"numeric range ending with >=", `{"n":[{"numeric":[">",1,">=",5]}]}`,
			`eventpattern: n[0]: numeric: a range must end with "<" or "<=", got ">="`},
		{"numeric empty range", `{"n":[{"numeric":[">",5,"<=",1.5]}]}`,
			"eventpattern: n[0]: numeric: lower bound 5 is not below upper bound 1.5"},
		{"cidr with a number", `{"ip":[{"cidr":10}]}`, "eventpattern: ip[0]: cidr: want a string, got number"},
		{"cidr without a mask", `{"ip":[{"cidr":"10.0.0.1"}]}`, `eventpattern: ip[0]: cidr: "10.0.0.1" is not a CIDR block`},
		{"cidr with a bad mask", `{"ip":[{"cidr":"10.0.0.0/33"}]}`, `eventpattern: ip[0]: cidr: "10.0.0.0/33" is not a CIDR block`},
		{"$or with one branch", `{"$or":[{"a":["x"]}]}`, "eventpattern: $or: want an array of at least two pattern objects"},
		{"$or as an object", `{"$or":{"a":["x"]}}`, "eventpattern: $or: want an array of at least two pattern objects"},
		{"$or with a string branch", `{"$or":[{"a":["x"]},"b"]}`, "eventpattern: $or[1]: want a pattern object, got string"},
		{"$or with an empty branch", `{"$or":[{"a":["x"]},{}]}`, "eventpattern: $or[1]: empty pattern object"},
		{"inside $or", `{"detail":{"$or":[{"a":["x"]},{"b":{"c":[{"exists":1}]}}]}}`,
			"eventpattern: detail.$or[1].b.c[0]: exists: want true or false, got number"},
		{"first error in key order", `{"zeta":"x","alpha":[]}`, "eventpattern: alpha: empty array of values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.pattern))
			if err == nil {
				t.Fatalf("Parse(%s) = %v, nil, want error %q", tc.pattern, p, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Parse(%s) error = %q, want %q", tc.pattern, got, tc.want)
			}
			if p != nil {
				t.Errorf("Parse(%s) pattern = %v, want nil on error", tc.pattern, p)
			}
		})
	}
}

func TestValidationErrorType(t *testing.T) {
	_, err := Parse([]byte(`{"detail":{"eventName":["a",{"prefixx":"b"}]}}`))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse error %v (%T) is not a *ValidationError", err, err)
	}
	want := &ValidationError{Path: "detail.eventName[1]", Reason: `unknown operator "prefixx"`}
	if diff := cmp.Diff(want, ve); diff != "" {
		t.Errorf("ValidationError mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateGoValues(t *testing.T) {
	tests := []struct {
		name string
		p    Pattern
		want string // "" for valid
	}{
		{"ints and nested Pattern", Pattern{"d": Pattern{"n": []any{map[string]any{"numeric": []any{">", 0, "<", 10}}, 3}}}, ""},
		{"json.Number", Pattern{"n": []any{json.Number("1.5")}}, ""},
		{"[]string leaf", Pattern{"source": []string{"aws.iam"}},
			"eventpattern: source: want an array of values or a nested pattern object, got []string"},
		{"struct value", Pattern{"source": []any{struct{}{}}},
			"eventpattern: source[0]: want a string, number, boolean, null or operator object, got struct {}"},
		{"NaN", Pattern{"n": []any{math.NaN()}}, "eventpattern: n[0]: number must be finite, got NaN"},
		{"infinite bound", Pattern{"n": []any{map[string]any{"numeric": []any{"<", math.Inf(1)}}}},
			"eventpattern: n[0]: numeric: number must be finite, got +Inf"},
		{"nil pattern", nil, "eventpattern: pattern is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	// Every operator form the package supports parses.
	valid := []string{
		createAccessKeyRule,
		rootRule,
		signInRule,
		`{"a":["x",1,-2.5e3,true,false,null,""]}`,
		`{"a":[{"prefix":""},{"prefix":{"equals-ignore-case":"X"}},{"suffix":"y"},{"suffix":{"equals-ignore-case":"Y"}}]}`,
		`{"a":[{"equals-ignore-case":"x"},{"wildcard":"a*b\\*c\\\\"},{"wildcard":""},{"exists":true}]}`,
		`{"a":[{"anything-but":"x"},{"anything-but":1},{"anything-but":["x","y"]},{"anything-but":[1,2]}]}`,
		`{"a":[{"anything-but":{"prefix":"x"}},{"anything-but":{"suffix":["x","y"]}},{"anything-but":{"equals-ignore-case":"x"}},{"anything-but":{"wildcard":"*x*"}},{"anything-but":{"wildcard":""}}]}`,
		`{"a":[{"numeric":["=",1]},{"numeric":["<",1]},{"numeric":["<=",1]},{"numeric":[">",1]},{"numeric":[">=",1]},{"numeric":[">=",1,"<",2]}]}`,
		`{"a":[{"cidr":"10.0.0.0/8"},{"cidr":"2001:db8::/32"},{"cidr":"10.0.0.7/24"}]}`,
		`{"$or":[{"a":["x"]},{"b":{"$or":[{"c":[1]},{"d":[2]}]}}]}`,
		`{"source":["x"],"source":["last wins"]}`,
	}
	for _, text := range valid {
		if _, err := Parse([]byte(text)); err != nil {
			t.Errorf("Parse(%s) = %v, want nil", text, err)
		}
	}
}

func TestPaths(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    [][]string
	}{
		{"CreateAccessKey rule", createAccessKeyRule, [][]string{
			{"detail", "errorCode"}, {"detail", "eventName"}, {"detail", "eventSource"}, {"detail-type"}, {"source"},
		}},
		{"brief example", `{"source":["aws.iam"],"detail-type":["x"],"detail":{"eventName":["y"]}}`, [][]string{
			{"detail", "eventName"}, {"detail-type"}, {"source"},
		}},
		{"root rule", rootRule, [][]string{
			{"detail", "eventName"}, {"detail", "eventType"}, {"detail", "userIdentity", "invokedBy"}, {"detail", "userIdentity", "type"},
		}},
		{"$or adds no element and duplicates collapse", `{"a":["x"],"$or":[{"a":["y"]},{"b":{"$or":[{"c":[1]},{"a":[2]}]}}]}`, [][]string{
			{"a"}, {"b", "a"}, {"b", "c"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustParse(t, tc.pattern).Paths()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Paths() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarshalJSON(t *testing.T) {
	p := Pattern{
		"source":      []any{"aws.iam"},
		"detail-type": []any{"AWS API Call via CloudTrail"},
		"detail": map[string]any{
			"eventName": []any{"CreateAccessKey"},
			"count":     []any{map[string]any{"numeric": []any{">", 0.0, "<=", 5.0}}},
			"errorCode": []any{map[string]any{"exists": false}},
			"r":         []any{nil, true, 1.5},
		},
	}
	const want = `{"detail":{"count":[{"numeric":[">",0,"<=",5]}],"errorCode":[{"exists":false}],"eventName":["CreateAccessKey"],"r":[null,true,1.5]},"detail-type":["AWS API Call via CloudTrail"],"source":["aws.iam"]}`
	for range 3 { // map order must not leak into the output
		got := mustMarshal(t, p)
		if got != want {
			t.Fatalf("MarshalJSON() = %s, want %s", got, want)
		}
	}
	// A Pattern nested in another value marshals through the same method.
	b, err := json.Marshal(map[string]any{"EventPattern": p})
	if err != nil {
		t.Fatalf("json.Marshal(wrapper) = %v", err)
	}
	if !json.Valid(b) {
		t.Fatalf("json.Marshal(wrapper) = %s, not valid JSON", b)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, text := range []string{
		createAccessKeyRule,
		rootRule,
		signInRule,
		`{"$or":[{"a":[{"numeric":[">=",1e-7,"<",1e9]}]},{"b":[{"anything-but":{"wildcard":["a\\*","<&>"]}}]}],"c":["\u00e9",null,false]}`,
	} {
		p := mustParse(t, text)
		b := mustMarshal(t, p)
		again, err := Parse([]byte(b))
		if err != nil {
			t.Fatalf("Parse(MarshalJSON()) = %v, want nil; marshalled: %s", err, b)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Errorf("Parse(MarshalJSON(p)) mismatch (-want +got):\n%s", diff)
		}
		if b2 := mustMarshal(t, again); b2 != b {
			t.Errorf("MarshalJSON is not stable: %s then %s", b, b2)
		}
	}
}

func TestClone(t *testing.T) {
	p := mustParse(t, rootRule)
	c := p.Clone()
	if diff := cmp.Diff(p, c); diff != "" {
		t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
	}
	// Changing the clone at every depth leaves the original alone.
	detail := c["detail"].(map[string]any)
	detail["userIdentity"].(map[string]any)["type"].([]any)[0] = "IAMUser"
	detail["eventType"].([]any)[0].(map[string]any)["anything-but"] = "AwsApiCall"
	detail["new"] = []any{"x"}
	c["source"] = []any{"aws.iam"}
	if diff := cmp.Diff(mustParse(t, rootRule), p); diff != "" {
		t.Errorf("original changed through its clone (-want +got):\n%s", diff)
	}
	if Pattern(nil).Clone() != nil {
		t.Error("Pattern(nil).Clone() != nil")
	}
}
