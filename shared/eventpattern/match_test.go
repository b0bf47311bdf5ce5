package eventpattern

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// decodeEvent decodes JSON text the two ways encoding/json offers: numbers as
// float64 and as json.Number.
func decodeEvent(t testing.TB, text string) (floats, numbers map[string]any) {
	t.Helper()
	if err := json.Unmarshal([]byte(text), &floats); err != nil {
		t.Fatalf("decode event %s: %v", text, err)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	if err := dec.Decode(&numbers); err != nil {
		t.Fatalf("decode event %s with UseNumber: %v", text, err)
	}
	return floats, numbers
}

func mustParse(t testing.TB, text string) Pattern {
	t.Helper()
	p, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(%s) = %v, want no error", text, err)
	}
	return p
}

// checkMatch asserts that Match (on both decodings) and MatchJSON agree with
// want.
func checkMatch(t *testing.T, p Pattern, event string, want bool) {
	t.Helper()
	floats, numbers := decodeEvent(t, event)
	if got := p.Match(floats); got != want {
		t.Errorf("Match(float64 event) = %v, want %v\npattern: %s\nevent: %s", got, want, mustMarshal(t, p), event)
	}
	if got := p.Match(numbers); got != want {
		t.Errorf("Match(json.Number event) = %v, want %v\npattern: %s\nevent: %s", got, want, mustMarshal(t, p), event)
	}
	got, err := p.MatchJSON([]byte(event))
	if err != nil || got != want {
		t.Errorf("MatchJSON = %v, %v, want %v, nil\npattern: %s\nevent: %s", got, err, want, mustMarshal(t, p), event)
	}
}

func mustMarshal(t testing.TB, p Pattern) string {
	t.Helper()
	b, err := p.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	return string(b)
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		// Exact values, AND across fields, OR within a field.
		{"exact string", `{"source":["aws.iam"]}`, `{"source":"aws.iam"}`, true},
		{"exact string is case-sensitive", `{"source":["aws.iam"]}`, `{"source":"AWS.IAM"}`, false},
		{"alternatives are OR", `{"source":["aws.ec2","aws.iam"]}`, `{"source":"aws.iam"}`, true},
		{"fields are AND", `{"source":["aws.iam"],"region":["us-east-1"]}`, `{"source":"aws.iam","region":"eu-west-1"}`, false},
		{"absent field fails", `{"source":["aws.iam"]}`, `{"detail-type":"x"}`, false},
		{"number matches by value", `{"n":[300]}`, `{"n":3.0e2}`, true},
		{"number never equals string", `{"n":[300]}`, `{"n":"300"}`, false},
		{"string never equals number", `{"n":["300"]}`, `{"n":300}`, false},
		{"boolean", `{"b":[true]}`, `{"b":true}`, true},
		{"boolean never equals string", `{"b":[true]}`, `{"b":"true"}`, false},
		{"null matches null", `{"r":[null]}`, `{"r":null}`, true},
		{"null is not empty string", `{"r":[null]}`, `{"r":""}`, false},
		{"empty string is not null", `{"r":[""]}`, `{"r":null}`, false},
		{"empty string", `{"r":[""]}`, `{"r":""}`, true},
		{"null does not match absent", `{"r":[null]}`, `{}`, false},

		// Arrays in events.
		{"event array: any element", `{"resources":["b"]}`, `{"resources":["a","b"]}`, true},
		{"event array: no element", `{"resources":["c"]}`, `{"resources":["a","b"]}`, false},
		{"event array: nested arrays flatten", `{"r":["x"]}`, `{"r":[["y",["x"]]]}`, true},
		{"event array: empty array is not null", `{"resources":[null]}`, `{"resources":[]}`, false},
		{"event array of objects: nested pattern", `{"employees":{"firstName":["Anna"]}}`,
			`{"employees":[{"firstName":"John","lastName":"Doe"},{"firstName":"Anna","lastName":"Smith"}]}`, true},
		{"event array of objects: fields stay within one element", `{"employees":{"firstName":["Anna"],"lastName":["Jones"]}}`,
			`{"employees":[{"firstName":"Anna","lastName":"Smith"},{"firstName":"Peter","lastName":"Jones"}]}`, false},
		{"event array of objects: leaf pattern sees no leaf", `{"employees":["Anna"]}`, `{"employees":[{"firstName":"Anna"}]}`, false},

		// Nested objects.
		{"nested object", `{"detail":{"state":["running"]}}`, `{"detail":{"state":"running","x":1}}`, true},
		{"nested pattern over a string", `{"detail":{"state":["running"]}}`, `{"detail":"running"}`, false},
		{"leaf pattern over an object", `{"detail":["running"]}`, `{"detail":{"state":"running"}}`, false},
		{"deep nesting", `{"a":{"b":{"c":{"d":[1]}}}}`, `{"a":{"b":{"c":{"d":1}}}}`, true},

		// prefix, suffix, equals-ignore-case.
		{"prefix", `{"time":[{"prefix":"2017-10-02"}]}`, `{"time":"2017-10-02T18:43:48Z"}`, true},
		{"prefix is case-sensitive", `{"r":[{"prefix":"us-"}]}`, `{"r":"US-EAST-1"}`, false},
		{"prefix ignoring case", `{"s":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `{"s":"eventbridge"}`, true},
		{"prefix ignoring case, Kelvin sign", `{"s":[{"prefix":{"equals-ignore-case":"k"}}]}`, `{"s":"\u212Aelvin"}`, true},
		{"prefix never matches a number", `{"n":[{"prefix":"1"}]}`, `{"n":12}`, false},
		{"suffix", `{"f":[{"suffix":".png"}]}`, `{"f":"cat.png"}`, true},
		{"suffix mismatch", `{"f":[{"suffix":".png"}]}`, `{"f":"cat.PNG"}`, false},
		{"suffix ignoring case", `{"f":[{"suffix":{"equals-ignore-case":".png"}}]}`, `{"f":"cat.PNG"}`, true},
		{"equals-ignore-case", `{"n":[{"equals-ignore-case":"alice"}]}`, `{"n":"ALICE"}`, true},
		{"equals-ignore-case mismatch", `{"n":[{"equals-ignore-case":"alice"}]}`, `{"n":"alicia"}`, false},

		// wildcard.
		{"wildcard", `{"s":[{"wildcard":"Simple*Service"}]}`, `{"s":"SimpleQueueService"}`, true},
		{"wildcard star matches nothing", `{"s":[{"wildcard":"Simple*Service"}]}`, `{"s":"SimpleService"}`, true},
		{"wildcard mismatch", `{"s":[{"wildcard":"*/lib/*"}]}`, `{"s":"dir/bin/x"}`, false},
		{"wildcard backtracks", `{"s":[{"wildcard":"arn:aws:iam::*:role/*-admin"}]}`, `{"s":"arn:aws:iam::111122223333:role/a-admin-b-admin"}`, true},
		{"wildcard escaped star", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"a*b"}`, true},
		{"wildcard escaped star is literal", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"axb"}`, false},
		{"wildcard escaped backslash", `{"s":[{"wildcard":"a\\\\*"}]}`, `{"s":"a\\bc"}`, true},

		// exists.
		{"exists true, present", `{"d":{"s":[{"exists":true}]}}`, `{"d":{"s":"pending"}}`, true},
		{"exists true, absent", `{"d":{"s":[{"exists":true}]}}`, `{"d":{"c":1}}`, false},
		{"exists false, absent", `{"d":{"c":[{"exists":false}]}}`, `{"d":{"s":"x"}}`, true},
		{"exists false, present", `{"d":{"c":[{"exists":false}]}}`, `{"d":{"c":5}}`, false},
		{"exists true, null counts as present", `{"d":{"r":[{"exists":true}]}}`, `{"d":{"r":null}}`, true},
		{"exists false, null counts as present", `{"d":{"r":[{"exists":false}]}}`, `{"d":{"r":null}}`, false},
		{"exists true, object is not a leaf", `{"d":{"c":[{"exists":true}]}}`, `{"d":{"c":{"c1":100}}}`, false},
		{"exists false, object is not a leaf", `{"d":{"c":[{"exists":false}]}}`, `{"d":{"c":{"c1":100}}}`, true},
		{"exists false, empty array", `{"r":[{"exists":false}]}`, `{"r":[]}`, true},
		{"exists true, array with a leaf", `{"r":[{"exists":true}]}`, `{"r":[{"a":1},"x"]}`, true},
		{"exists false, whole parent absent", `{"d":{"u":{"i":[{"exists":false}]}}}`, `{"source":"x"}`, true},
		{"exists false or a value: value", `{"e":["a",{"exists":false}]}`, `{"e":"a"}`, true},
		{"exists false or a value: other value", `{"e":["a",{"exists":false}]}`, `{"e":"b"}`, false},

		// anything-but.
		{"anything-but string", `{"s":[{"anything-but":"initializing"}]}`, `{"s":"running"}`, true},
		{"anything-but string, excluded", `{"s":[{"anything-but":"initializing"}]}`, `{"s":"initializing"}`, false},
		{"anything-but string, absent", `{"s":[{"anything-but":"initializing"}]}`, `{}`, false},
		{"anything-but string, null", `{"s":[{"anything-but":"initializing"}]}`, `{"s":null}`, true},
		{"anything-but string, number", `{"s":[{"anything-but":"initializing"}]}`, `{"s":5}`, true},
		{"anything-but string list", `{"s":[{"anything-but":["stopped","overloaded"]}]}`, `{"s":"overloaded"}`, false},
		{"anything-but number", `{"x":[{"anything-but":0}]}`, `{"x":789}`, true},
		{"anything-but number list, excluded", `{"x":[{"anything-but":[100,200,300]}]}`, `{"x":2e2}`, false},
		{"anything-but number list, string value", `{"x":[{"anything-but":[100,200,300]}]}`, `{"x":"200"}`, true},
		{"anything-but on array: one element not excluded", `{"x":[{"anything-but":"a"}]}`, `{"x":["a","b"]}`, true},
		{"anything-but on array: all excluded", `{"x":[{"anything-but":"a"}]}`, `{"x":["a"]}`, false},
		{"anything-but prefix", `{"s":[{"anything-but":{"prefix":"init"}}]}`, `{"s":"running"}`, true},
		{"anything-but prefix, excluded", `{"s":[{"anything-but":{"prefix":"init"}}]}`, `{"s":"initializing"}`, false},
		{"anything-but prefix, number", `{"s":[{"anything-but":{"prefix":"init"}}]}`, `{"s":12}`, true},
		{"anything-but prefix list", `{"s":[{"anything-but":{"prefix":["init","test"]}}]}`, `{"s":"test-1"}`, false},
		{"anything-but suffix", `{"f":[{"anything-but":{"suffix":".png"}}]}`, `{"f":"a.png"}`, false},
		{"anything-but equals-ignore-case", `{"s":[{"anything-but":{"equals-ignore-case":"initializing"}}]}`, `{"s":"INITIALIZING"}`, false},
		{"anything-but equals-ignore-case list", `{"s":[{"anything-but":{"equals-ignore-case":["a","b"]}}]}`, `{"s":"C"}`, true},
		{"anything-but wildcard", `{"p":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"p":"/usr/lib/x"}`, false},
		{"anything-but wildcard, not excluded", `{"p":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"p":"/usr/bin/x"}`, true},

		// numeric.
		{"numeric range inside", `{"c":[{"numeric":[">",0,"<=",5]}]}`, `{"c":5}`, true},
		{"numeric range, open bottom", `{"c":[{"numeric":[">",0,"<=",5]}]}`, `{"c":0}`, false},
		{"numeric range, above top", `{"c":[{"numeric":[">=",0,"<",5]}]}`, `{"c":5}`, false},
		{"numeric equals", `{"x":[{"numeric":["=",3.018e2]}]}`, `{"x":301.8}`, true},
		{"numeric less than, negative", `{"x":[{"numeric":["<",10]}]}`, `{"x":-1e9}`, true},
		{"numeric never matches a string", `{"x":[{"numeric":["<",10]}]}`, `{"x":"3"}`, false},
		{"numeric on array", `{"x":[{"numeric":["<",5]}]}`, `{"x":[10,1]}`, true},
		{"numeric, integer as decimal", `{"x":[{"numeric":["=",5]}]}`, `{"x":5.000}`, true},

		// cidr.
		{"cidr IPv4 inside", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"10.0.0.255"}`, true},
		{"cidr IPv4 outside", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"10.0.1.0"}`, false},
		{"cidr IPv6", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db8:1::7"}`, true},
		{"cidr IPv4-mapped IPv6", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"::ffff:10.0.0.5"}`, true},
		{"cidr not an address", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"AWS Internal"}`, false},
		{"cidr never matches a number", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":123}`, false},

		// $or.
		{"$or first branch", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`,
			`{"source":"aws.cloudwatch","metricName":"CPUUtilization"}`, true},
		{"$or second branch", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`,
			`{"source":"aws.cloudwatch","namespace":"AWS/EC2"}`, true},
		{"$or no branch", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`,
			`{"source":"aws.cloudwatch","namespace":"AWS/ES"}`, false},
		{"$or is ANDed with the other fields", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`,
			`{"source":"aws.ec2","namespace":"AWS/EC2"}`, false},
		{"$or nested, branch with AND", `{"detail":{"$or":[{"a":[1]},{"b":[2],"c":[3]}]}}`, `{"detail":{"b":2,"c":3}}`, true},
		{"$or nested, branch with AND, partial", `{"detail":{"$or":[{"a":[1]},{"b":[2],"c":[3]}]}}`, `{"detail":{"b":2,"c":4}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkMatch(t, mustParse(t, tc.pattern), tc.event, tc.want)
		})
	}
}

// The CloudTrail rules below are the shapes the rules table deploys.
const (
	createAccessKeyRule = `{
		"source": ["aws.iam"],
		"detail-type": ["AWS API Call via CloudTrail"],
		"detail": {
			"eventSource": ["iam.amazonaws.com"],
			"eventName": ["CreateAccessKey"],
			"errorCode": [{"exists": false}]
		}
	}`
	rootRule = `{
		"detail": {
			"userIdentity": {"type": ["Root"], "invokedBy": [{"exists": false}, "signin.amazonaws.com"]},
			"eventType": [{"anything-but": "AwsServiceEvent"}],
			"eventName": [{"anything-but": "ConsoleLogin"}]
		}
	}`
	signInRule = `{
		"source": ["aws.signin"],
		"detail-type": ["AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail"],
		"detail": {"eventName": ["ConsoleLogin"]}
	}`
)

// loadEvent reads testdata/<name>.json and applies edits to the decoded
// event, each a path and a new value (deleteField removes the field).
func loadEvent(t testing.TB, name string, edits ...edit) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	if len(edits) == 0 {
		return string(b)
	}
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	for _, e := range edits {
		m := ev
		for _, k := range e.path[:len(e.path)-1] {
			m = m[k].(map[string]any)
		}
		last := e.path[len(e.path)-1]
		if e.value == deleteField {
			delete(m, last)
		} else {
			m[last] = e.value
		}
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("encode %s: %v", name, err)
	}
	return string(out)
}

type edit struct {
	path  []string
	value any
}

const deleteField = "\x00delete"

func set(value any, path ...string) edit { return edit{path: path, value: value} }

func TestMatchCloudTrail(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		{"CreateAccessKey succeeded", createAccessKeyRule, loadEvent(t, "create_access_key"), true},
		{"CreateAccessKey denied", createAccessKeyRule, loadEvent(t, "create_access_key_denied"), false},
		{"CreateAccessKey with null errorCode counts as failed", createAccessKeyRule,
			loadEvent(t, "create_access_key", set(nil, "detail", "errorCode")), false},
		{"other IAM call", createAccessKeyRule,
			loadEvent(t, "create_access_key", set("DeleteAccessKey", "detail", "eventName")), false},
		{"CreateAccessKey from another source", createAccessKeyRule,
			loadEvent(t, "create_access_key", set("aws.sts", "source")), false},

		{"root API call", rootRule, loadEvent(t, "root_api_call"), true},
		{"root API call made by a service on root's behalf", rootRule,
			loadEvent(t, "root_api_call", set("support.amazonaws.com", "detail", "userIdentity", "invokedBy")), false},
		{"root console call that older records mark as invoked by sign-in", rootRule,
			loadEvent(t, "root_api_call", set("signin.amazonaws.com", "detail", "userIdentity", "invokedBy")), true},
		{"root service event", rootRule,
			loadEvent(t, "root_api_call", set("AwsServiceEvent", "detail", "eventType")), false},
		{"root console sign-in is left to the sign-in rule", rootRule, loadEvent(t, "root_console_login"), false},
		{"IAM user API call", rootRule, loadEvent(t, "create_access_key"), false},
		{"root API call without eventType", rootRule,
			loadEvent(t, "root_api_call", set(deleteField, "detail", "eventType")), false},

		{"sign-in, delivered spelling", signInRule, loadEvent(t, "root_console_login"), true},
		{"sign-in, documented spelling", signInRule,
			loadEvent(t, "root_console_login", set("AWS Console Signin via CloudTrail", "detail-type")), true},
		{"sign-in, other detail-type", signInRule,
			loadEvent(t, "root_console_login", set("AWS API Call via CloudTrail", "detail-type")), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkMatch(t, mustParse(t, tc.pattern), tc.event, tc.want)
		})
	}
}

// TestMatchGoLiterals checks patterns written as Go literals, the way the
// rules table builds them, including integer constants and nested Pattern
// values.
func TestMatchGoLiterals(t *testing.T) {
	p := Pattern{
		"source": []any{"aws.iam"},
		"detail": Pattern{
			"count": []any{map[string]any{"numeric": []any{">", 0, "<=", 5}}},
			"kind":  []any{int64(7), Pattern{"prefix": "k"}},
		},
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	tests := []struct {
		event map[string]any
		want  bool
	}{
		{map[string]any{"source": "aws.iam", "detail": map[string]any{"count": 3, "kind": 7.0}}, true},
		{map[string]any{"source": "aws.iam", "detail": map[string]any{"count": json.Number("5"), "kind": "key"}}, true},
		{map[string]any{"source": "aws.iam", "detail": map[string]any{"count": 6, "kind": 7}}, false},
		{map[string]any{"source": "aws.iam", "detail": map[string]any{"count": json.Number("not a number"), "kind": 7}}, false},
	}
	for _, tc := range tests {
		if got := p.Match(tc.event); got != tc.want {
			t.Errorf("Match(%v) = %v, want %v", tc.event, got, tc.want)
		}
	}
}

// TestMatchInvalidPatterns checks that patterns Validate rejects never match
// and never panic, whatever the event.
func TestMatchInvalidPatterns(t *testing.T) {
	patterns := []Pattern{
		nil,
		{},
		{"a": "x"},
		{"a": nil},
		{"a": []string{"x"}},
		{"a": []any{}},
		{"a": map[string]any{}},
		{"a": []any{map[string]any{}}},
		{"a": []any{map[string]any{"prefix": "x", "suffix": "y"}}},
		{"a": []any{map[string]any{"prefixx": "x"}}},
		{"a": []any{map[string]any{"prefix": 1}}},
		{"a": []any{map[string]any{"prefix": map[string]any{"x": "y"}}}},
		{"a": []any{map[string]any{"exists": "yes"}}},
		{"a": []any{map[string]any{"anything-but": true}}},
		{"a": []any{map[string]any{"anything-but": []any{}}}},
		{"a": []any{map[string]any{"anything-but": []any{map[string]any{}}}}},
		{"a": []any{map[string]any{"anything-but": map[string]any{"numeric": []any{}}}}},
		{"a": []any{map[string]any{"anything-but": map[string]any{"prefix": []any{1}}}}},
		{"a": []any{map[string]any{"anything-but": map[string]any{"prefix": 1}}}},
		{"a": []any{map[string]any{"numeric": ">"}}},
		{"a": []any{map[string]any{"numeric": []any{">"}}}},
		{"a": []any{map[string]any{"numeric": []any{1, ">"}}}},
		{"a": []any{map[string]any{"numeric": []any{"!", 1}}}},
		{"a": []any{map[string]any{"cidr": 1}}},
		{"a": []any{map[string]any{"cidr": "x/y"}}},
		{"a": []any{map[string]any{"wildcard": 1}}},
		{"a": []any{[]any{"x"}}},
		{"$or": "x"},
		{"$or": []any{map[string]any{"a": []any{"x"}}}},
		{"$or": []any{"x", 1}},
	}
	events := []string{
		`{}`,
		`{"a":"x"}`,
		`{"a":1}`,
		`{"a":null}`,
		`{"a":["x",1,null,true,{"b":1},[]]}`,
		`{"a":{"b":"x"}}`,
	}
	for _, p := range patterns {
		for _, ev := range events {
			floats, numbers := decodeEvent(t, ev)
			// {"exists": ...} with a non-boolean, and everything else here,
			// is invalid: nothing may match.
			if p.Match(floats) || p.Match(numbers) {
				t.Errorf("Match(%s) with invalid pattern %#v = true, want false", ev, p)
			}
		}
	}
}

func TestMatchJSONErrors(t *testing.T) {
	p := mustParse(t, `{"source":["aws.iam"]}`)
	tests := []struct {
		name  string
		event string
		want  string
	}{
		{"malformed", `{"source":`, "eventpattern: decode event: unexpected EOF"},
		{"not an object", `["aws.iam"]`, "eventpattern: decode event: want a JSON object, got array"},
		{"null", `null`, "eventpattern: decode event: want a JSON object, got null"},
		{"trailing data", `{"source":"aws.iam"} {}`, "eventpattern: decode event: unexpected data after the JSON object"},
		{"empty", ``, "eventpattern: decode event: EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.MatchJSON([]byte(tc.event))
			if err == nil || err.Error() != tc.want || got {
				t.Errorf("MatchJSON(%s) = %v, %v, want false, %q", tc.event, got, err, tc.want)
			}
		})
	}
}

func TestMatchWildcard(t *testing.T) {
	tests := []struct {
		w, s string
		want bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbYcZ", false},
		{"*.png", "x.png.png", true},
		{`\*`, "*", true},
		{`\*`, "x", false},
		{`\\`, `\`, true},
		{`a\\*`, `a\xyz`, true},
		{"héllo*", "héllo wörld", true},
	}
	for _, tc := range tests {
		if got := matchWildcard(tc.s, tc.w); got != tc.want {
			t.Errorf("matchWildcard(%q, %q) = %v, want %v", tc.s, tc.w, got, tc.want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	p := mustParse(b, createAccessKeyRule)
	var event map[string]any
	if err := json.Unmarshal([]byte(loadEvent(b, "create_access_key")), &event); err != nil {
		b.Fatal(err)
	}
	if !p.Match(event) {
		b.Fatal("Match = false, want true")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !p.Match(event) {
			b.Fatal("Match = false")
		}
	}
}
