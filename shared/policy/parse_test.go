package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseForms checks the Document that each grammar form parses to.
func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		text string
		want *Document
	}{
		{
			name: "statement object, strings",
			text: `{"Version":"2012-10-17","Statement":{"Sid":"One","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			want: &Document{Version: "2012-10-17", Statements: []Statement{
				{Index: 0, Sid: "One", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}},
			}},
		},
		{
			name: "statement array, arrays, Id",
			text: `{"Version":"2008-10-17","Id":"Policy1","Statement":[
				{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]},
				{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:iam::111122223333:role/admin"}]}`,
			want: &Document{Version: "2008-10-17", ID: "Policy1", Statements: []Statement{
				{Index: 0, Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"}},
				{Index: 1, Effect: "Deny", NotAction: []string{"iam:*"}, NotResource: []string{"arn:aws:iam::111122223333:role/admin"}},
			}},
		},
		{
			name: "condition values as strings, numbers, booleans and arrays",
			text: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
				"Bool":{"aws:MultiFactorAuthPresent":true,"aws:SecureTransport":"true"},
				"NumericLessThan":{"aws:MultiFactorAuthAge":3600,"s3:max-keys":-1.5e2},
				"ForAnyValue:StringLike":{"aws:PrincipalTag/team":["dev","ops",false,0]},
				"StringEquals":{}}}]}`,
			want: &Document{Statements: []Statement{{
				Index: 0, Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"},
				Condition: Condition{
					"Bool":                   {"aws:MultiFactorAuthPresent": {"true"}, "aws:SecureTransport": {"true"}},
					"NumericLessThan":        {"aws:MultiFactorAuthAge": {"3600"}, "s3:max-keys": {"-1.5e2"}},
					"ForAnyValue:StringLike": {"aws:PrincipalTag/team": {"dev", "ops", "false", "0"}},
					"StringEquals":           nil,
				},
			}}},
		},
		{
			name: "principal forms",
			text: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"},
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root","Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"},
				{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com","CanonicalUser":[]},"Action":"sts:AssumeRoleWithWebIdentity"},
				{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice"]},"Action":"s3:*","Resource":"*"}]}`,
			want: &Document{Version: "2012-10-17", Statements: []Statement{
				{Index: 0, Effect: "Allow", Principal: &Principal{Wildcard: true}, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::public/*"}},
				{Index: 1, Effect: "Allow", Principal: &Principal{Values: map[string][]string{
					"AWS": {"arn:aws:iam::111122223333:root"}, "Service": {"ec2.amazonaws.com", "lambda.amazonaws.com"},
				}}, Action: []string{"sts:AssumeRole"}},
				{Index: 2, Effect: "Allow", Principal: &Principal{Values: map[string][]string{
					"Federated": {"cognito-identity.amazonaws.com"}, "CanonicalUser": {},
				}}, Action: []string{"sts:AssumeRoleWithWebIdentity"}},
				{Index: 3, Effect: "Deny", NotPrincipal: &Principal{Values: map[string][]string{
					"AWS": {"arn:aws:iam::111122223333:user/alice"},
				}}, Action: []string{"s3:*"}, Resource: []string{"*"}},
			}},
		},
		{
			name: "escapes, unicode and unknown elements",
			text: `{"Version":"2012-10-17","Comment":{"nested":[1,2,{"x":null}]},"Statement":[{"Sid":"caf\u00e9\ud83d\ude00\"\\\/","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/r\u00e9sum\u00e9*","Extra":true}]}`,
			want: &Document{Version: "2012-10-17", Statements: []Statement{
				{Index: 0, Sid: "café😀\"\\/", Effect: "Allow", Action: []string{"s3:Get*"}, Resource: []string{"arn:aws:s3:::b/résumé*"}},
			}},
		},
		{
			name: "lone surrogate and invalid UTF-8 become U+FFFD",
			text: "{\"Statement\":[{\"Sid\":\"a\\ud800b\xffc\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
			want: &Document{Statements: []Statement{
				{Index: 0, Sid: "a\uFFFDb\uFFFDc", Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}},
			}},
		},
		{
			name: "URL-encoded",
			text: urlEncodedS3,
			want: &Document{Version: "2012-10-17", Statements: []Statement{
				{Index: 0, Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{"arn:aws:s3:::reports-bucket/*"}},
			}},
		},
		{
			name: "wrapped in a JSON string",
			text: ` "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}" `,
			want: &Document{Statements: []Statement{
				{Index: 0, Effect: "Deny", Action: []string{"*"}, Resource: []string{"*"}},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.text)
			if err != nil {
				t.Fatalf("Parse() error = %v, want nil", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
			checkRoundTrip(t, got)
		})
	}
}

// checkRoundTrip asserts that d survives MarshalJSON and Parse unchanged,
// that the output is valid JSON, and that marshalling is stable.
func checkRoundTrip(t *testing.T, d *Document) {
	t.Helper()
	b, err := d.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON() error = %v", err)
	}
	if !json.Valid(b) {
		t.Fatalf("MarshalJSON() = %s, which is not valid JSON", b)
	}
	again, err := Parse(string(b))
	if err != nil {
		t.Fatalf("Parse(MarshalJSON()) error = %v for %s", err, b)
	}
	if diff := cmp.Diff(d, again); diff != "" {
		t.Fatalf("Parse(MarshalJSON()) mismatch (-want +got):\n%s\nJSON: %s", diff, b)
	}
	b2, _ := again.MarshalJSON()
	if string(b2) != string(b) {
		t.Fatalf("MarshalJSON is not stable:\n got %s\nwant %s", b2, b)
	}
}

func TestMarshalJSONCanonical(t *testing.T) {
	d, err := Parse(`{"Statement":[{"Resource":["*"],"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow",
		"Condition":{"StringLike":{"s3:prefix":["home/","tmp/"],"aws:userid":"AIDA*"},"Bool":{"aws:SecureTransport":true}},
		"Sid":"S\n1"}],"Version":"2012-10-17"}`)
	if err != nil {
		t.Fatalf("Parse() error = %v", err)
	}
	b, err := json.Marshal(d) // through the json.Marshaler interface
	if err != nil {
		t.Fatalf("json.Marshal() error = %v", err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"S\n1","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*",` +
		`"Condition":{"Bool":{"aws:SecureTransport":"true"},"StringLike":{"aws:userid":"AIDA*","s3:prefix":["home/","tmp/"]}}}]}`
	if got := string(b); got != want {
		t.Errorf("json.Marshal() =\n%s\nwant\n%s", got, want)
	}
	var nilDoc *Document
	if b, err := nilDoc.MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("(*Document)(nil).MarshalJSON() = %s, %v, want null, nil", b, err)
	}
}

func TestParseErrorType(t *testing.T) {
	_, err := Parse(doc(`{"Sid":"S3","Effect":"Alow","Action":"s3:*","Resource":"*"}`))
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse() error = %T %v, want *ParseError", err, err)
	}
	want := &ParseError{Offset: -1, Statement: 0, Sid: "S3", Msg: `Effect "Alow" is neither Allow nor Deny`}
	if diff := cmp.Diff(want, pe); diff != "" {
		t.Errorf("ParseError mismatch (-want +got):\n%s", diff)
	}
}

// TestParseNeverPanics feeds hostile shapes that fuzzing might take long to
// find; each must give an error, not a panic or a hang.
func TestParseNeverPanics(t *testing.T) {
	for _, text := range []string{
		"", "{", "}", `"`, `"\`, `"\u12`, `"\ud800\u`, "%", "%7", `""`, `"\"\""`, `"{}"`,
		strings.Repeat("[", 100000), strings.Repeat(`{"a":`, 100000),
		`{"Statement":[` + strings.Repeat(`{"Effect":"Allow","Action":"*","Resource":"*"},`, 1000) + `]}`,
		"{\"Statement\":{\"Effect\":\"Allow\"\x00}}",
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"A":{"k":[[1]]}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"A":{"k":null}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"A":1}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Principal":{"AWS":[1]}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Principal":{"AWS":"a","AWS":"b"}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"A":{"k":1,"k":2}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"A":{},"A":{}}}}`,
		`{"Statement":{"Effect":"Allow","Action":-,"Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":1.,"Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":1e,"Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":tru,"Resource":"*"}}`,
		`{"Statement":[],"Statement":[]}`,
		`{"Version":1,"Statement":[]}`,
	} {
		d, err := Parse(text)
		if err == nil && d == nil {
			t.Errorf("Parse(%.40q) = nil, nil", text)
		}
		if err == nil {
			Analyze(d)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%.40q) error = %T, want *ParseError", text, err)
		}
	}
}
