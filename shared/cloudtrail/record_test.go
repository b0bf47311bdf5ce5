package cloudtrail

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreRaw compares decoded fields only: Raw is checked separately.
var ignoreRaw = cmpopts.IgnoreFields(Record{}, "Raw")

func TestDecodeRecordLenient(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Record
	}{
		{
			name: "strings stand for null and booleans (fivexl)",
			in: `{"eventName":"DescribeEventAggregates","readOnly":"true","errorCode":"AccessDenied",
				"requestParameters":"null","responseElements":"null","additionalEventData":"null",
				"userIdentity":{"type":"AssumedRole","invokedBy":"null","sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"XXXXXXXX"}}}}`,
			want: Record{EventName: "DescribeEventAggregates", ReadOnly: true, ErrorCode: "AccessDenied",
				UserIdentity: UserIdentity{Type: "AssumedRole", SessionContext: &SessionContext{MFAAuthenticated: true}}},
		},
		{
			name: "null string error code is success",
			in:   `{"eventName":"GetUser","errorCode":"null","errorMessage":"null","readOnly":"false"}`,
			want: Record{EventName: "GetUser"},
		},
		{
			name: "real nulls",
			in: `{"eventName":"AttachUserPolicy","errorCode":"AccessDenied","requestParameters":null,"responseElements":null,
				"userIdentity":null,"eventTime":null}`,
			want: Record{EventName: "AttachUserPolicy", ErrorCode: "AccessDenied"},
		},
		{
			name: "readOnly and mfaAuthenticated as booleans",
			in:   `{"readOnly":true,"userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":true}}}}`,
			want: Record{ReadOnly: true, UserIdentity: UserIdentity{SessionContext: &SessionContext{MFAAuthenticated: true}}},
		},
		{
			name: "TRUE in capitals",
			in:   `{"readOnly":"TRUE"}`,
			want: Record{ReadOnly: true},
		},
		{
			name: "numbers and booleans where strings belong",
			in:   `{"recipientAccountId":123456789012,"eventVersion":1.08,"eventName":true,"userIdentity":{"accountId":42,"type":["x"]}}`,
			want: Record{RecipientAccountID: "123456789012", EventVersion: "1.08", EventName: "true",
				UserIdentity: UserIdentity{AccountID: "42"}},
		},
		{
			name: "Panther eventTime and p_ fields",
			in:   `{"eventTime":"2023-11-21 23:31:17.000000000","p_event_time":"2023-11-21 23:31:17.000000000","p_any_ip_addresses":["1.2.3.4"],"p_schema_version":0}`,
			want: Record{EventTime: time.Date(2023, 11, 21, 23, 31, 17, 0, time.UTC)},
		},
		{
			name: "RFC 3339 with fraction and offset, read as UTC",
			in:   `{"eventTime":"2024-01-02T03:04:05.25+02:00"}`,
			want: Record{EventTime: time.Date(2024, 1, 2, 1, 4, 5, 250000000, time.UTC)},
		},
		{
			name: "empty eventTime",
			in:   `{"eventTime":""}`,
			want: Record{},
		},
		{
			name: "escaped strings and keys",
			in:   `{"event\u004eame":"Put\u0055serPolicy","userAgent":"a\"b\\c\/d\u00e9\ud83d\ude00"}`,
			want: Record{EventName: "PutUserPolicy", UserAgent: "a\"b\\c/dé😀"},
		},
		{
			name: "duplicate keys: the last wins, as in encoding/json",
			in:   `{"eventName":"A","eventName":"B","userIdentity":{"type":"Root","invokedBy":"x"},"userIdentity":{"type":"IAMUser"}}`,
			want: Record{EventName: "B", UserIdentity: UserIdentity{Type: "IAMUser"}},
		},
		{
			name: "session issuer",
			in: `{"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA1",
				"arn":"arn:aws:iam::1:role/r","accountId":"1","userName":"r"},"attributes":{"creationDate":"2024-01-02T03:04:05Z","mfaAuthenticated":"false"}}}}`,
			want: Record{UserIdentity: UserIdentity{Type: "AssumedRole", SessionContext: &SessionContext{
				SessionIssuer: SessionIssuer{Type: "Role", PrincipalID: "AROA1", ARN: "arn:aws:iam::1:role/r", AccountID: "1", UserName: "r"},
				CreationDate:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}}},
		},
		{
			name: "stringified requestParameters object",
			in:   `{"requestParameters":"{\"userName\":\"bob\"}"}`,
			want: Record{RequestParameters: json.RawMessage(`{"userName":"bob"}`)},
		},
		{
			name: "empty requestParameters string",
			in:   `{"requestParameters":""}`,
			want: Record{},
		},
		{
			name: "envelope",
			in: `{"version":"0","id":"e1","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"111",
				"time":"2024-01-02T03:04:05Z","region":"us-east-1","resources":["arn:a",7],"detail":{"eventName":"CreateUser","eventID":"x"},"debug":true}`,
			want: Record{EventName: "CreateUser", EventID: "x", Envelope: &Envelope{Version: "0", ID: "e1",
				DetailType: DetailTypeAPICall, Source: "aws.iam", Account: "111", Region: "us-east-1",
				Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Resources: []string{"arn:a", "7"}}},
		},
		{
			name: "detail-type without detail is not an envelope",
			in:   `{"detail-type":"x","eventName":"A"}`,
			want: Record{EventName: "A"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeRecord([]byte(tc.in))
			if err != nil {
				t.Fatalf("DecodeRecord(%s) error: %v", tc.in, err)
			}
			if diff := cmp.Diff(&tc.want, got, ignoreRaw); diff != "" {
				t.Errorf("DecodeRecord(%s) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestDecodeRecordRawIsACopy(t *testing.T) {
	in := []byte("  " + envC + "\n")
	r, err := DecodeRecord(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(r.Raw); got != detail {
		t.Errorf("DecodeRecord(envelope).Raw = %.60s, want the detail %.60s", got, detail)
	}
	for i := range in {
		in[i] = 'x'
	}
	if got := string(r.Raw); got != detail {
		t.Errorf("DecodeRecord(envelope).Raw changed with the input buffer: %.60s", got)
	}
	if got := r.RequestParam("roleName"); got != "passbolt-Prod-notification-us-east-1" {
		t.Errorf("RequestParam(roleName) after reusing the input = %q", got)
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		kind    error
		wantMsg string
	}{
		{"empty", "", ErrSyntax, "invalid JSON: empty record"},
		{"whitespace", " \n ", ErrSyntax, "invalid JSON: empty record"},
		{"truncated", `{"eventName":"x"`, ErrSyntax, "invalid JSON: unexpected end of JSON input (at byte 16 of the record)"},
		{"bad token", `{"eventName": tru}`, ErrSyntax, "invalid JSON: invalid character '}' in literal true (expecting 'e') (at byte 18 of the record)"},
		{"trailing garbage", `{} x`, ErrSyntax, "invalid JSON: invalid character 'x' after top-level value (at byte 4 of the record)"},
		{"array", `[{"eventName":"x"}]`, ErrNotObject, "record is an array, not an object"},
		{"string", `"x"`, ErrNotObject, "record is a string, not an object"},
		{"null", `null`, ErrNotObject, "record is null, not an object"},
		{"number", `12`, ErrNotObject, "record is a number, not an object"},
		{"bad eventTime", `{"eventTime":"yesterday"}`, ErrTime, `eventTime "yesterday" is not a time`},
		{"numeric eventTime", `{"eventTime":1700000000}`, ErrTime, `eventTime 1700000000 is not a time`},
		{"object eventTime", `{"eventTime":{}}`, ErrTime, `eventTime {} is not a time`},
		{"long bad eventTime", `{"eventTime":"` + strings.Repeat("9", 100) + `"}`, ErrTime,
			`eventTime "` + strings.Repeat("9", 63) + `…(102 bytes) is not a time`},
		{"bad envelope time", `{"detail-type":"x","time":"soon","detail":{}}`, ErrTime, `time "soon" is not a time`},
		{"envelope detail not an object", `{"detail-type":"x","detail":"{}"}`, ErrNotObject, "EventBridge detail is a string, not an object"},
		{"log file", `{"Records":[]}`, ErrNotRecord, "CloudTrail log file, not a record: read it with NewReader"},
		{"lookup-events output", `{"Events":[],"NextToken":"x"}`, ErrNotRecord, "lookup-events output, not a record: read it with NewReader"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeRecord([]byte(tc.in))
			if err == nil {
				t.Fatalf("DecodeRecord(%q) = %+v, want an error", tc.in, got)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("DecodeRecord(%q) error = %v, want one matching %v", tc.in, err, tc.kind)
			}
			if err.Error() != tc.wantMsg {
				t.Errorf("DecodeRecord(%q) error = %q, want %q", tc.in, err, tc.wantMsg)
			}
		})
	}
}

func TestRecordHelpers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		call func(*Record) any
		want any
	}{
		{"MFAUsed Yes", `{"additionalEventData":{"MFAUsed":"Yes"}}`, (*Record).mfaUsed, true},
		{"MFAUsed YES", `{"additionalEventData":{"MFAUsed":"YES"}}`, (*Record).mfaUsed, true},
		{"MFAUsed No", `{"additionalEventData":{"MFAUsed":"No"}}`, (*Record).mfaUsed, false},
		{"MFAUsed absent", `{"additionalEventData":{"LoginTo":"x"}}`, (*Record).mfaUsed, false},
		{"MFAUsed no data", `{}`, (*Record).mfaUsed, false},
		{"MFAUsed stringified data", `{"additionalEventData":"{\"MFAUsed\":\"Yes\"}"}`, (*Record).mfaUsed, true},
		{"Failed", `{"errorCode":"AccessDenied"}`, (*Record).failed, true},
		{"not Failed", `{"errorCode":"null"}`, (*Record).failed, false},
		{"RequestParam string", `{"requestParameters":{"policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}`,
			param("policyArn"), "arn:aws:iam::aws:policy/AdministratorAccess"},
		{"RequestParam bool", `{"requestParameters":{"setAsDefault":true}}`, param("setAsDefault"), "true"},
		{"RequestParam number", `{"requestParameters":{"durationSeconds":3600}}`, param("durationSeconds"), "3600"},
		{"RequestParam object", `{"requestParameters":{"tags":{"a":"b"}}}`, param("tags"), ""},
		{"RequestParam null", `{"requestParameters":{"userName":null}}`, param("userName"), ""},
		{"RequestParam escaped", `{"requestParameters":{"policyDocument":"{\"Version\":\"2012-10-17\"}"}}`,
			param("policyDocument"), `{"Version":"2012-10-17"}`},
		{"RequestParam absent", `{"requestParameters":{"userName":"bob"}}`, param("groupName"), ""},
		{"RequestParam no parameters", `{"requestParameters":null}`, param("userName"), ""},
		{"ResponseParam nested", `{"responseElements":{"accessKey":{"accessKeyId":"AKIA1","status":"Active"}}}`,
			response("accessKey", "accessKeyId"), "AKIA1"},
		{"ResponseParam top", `{"responseElements":{"ConsoleLogin":"Success"}}`, response("ConsoleLogin"), "Success"},
		{"ResponseParam missing step", `{"responseElements":{"accessKey":"x"}}`, response("accessKey", "accessKeyId"), ""},
		{"ResponseParam no path", `{"responseElements":{"a":"b"}}`, response(), ""},
		{"omitted request", `{"requestParameters":{"omitted":true,"originalSize":204800}}`, (*Record).omitted, true},
		{"omitted response as string", `{"responseElements":{"omitted":"true"}}`, (*Record).omitted, true},
		{"not omitted", `{"requestParameters":{"omitted":false},"responseElements":null}`, (*Record).omitted, false},
		{"Account from recipient", `{"recipientAccountId":"1","userIdentity":{"accountId":"3"}}`, asAny((*Record).Account), "1"},
		{"Account from envelope", `{"detail-type":"x","account":"2","detail":{"userIdentity":{"accountId":"3"}}}`, asAny((*Record).Account), "2"},
		{"Account from identity", `{"userIdentity":{"accountId":"3"}}`, asAny((*Record).Account), "3"},
		{"Source iam", `{"eventSource":"iam.amazonaws.com"}`, asAny((*Record).Source), "aws.iam"},
		{"Source signin", `{"eventSource":"signin.amazonaws.com"}`, asAny((*Record).Source), "aws.signin"},
		{"Source unusual", `{"eventSource":"s3-outposts.amazonaws.com"}`, asAny((*Record).Source), "aws.s3-outposts"},
		{"Source none", `{}`, asAny((*Record).Source), ""},
		{"Source envelope", `{"detail-type":"x","source":"aws.custom","detail":{"eventSource":"iam.amazonaws.com"}}`, asAny((*Record).Source), "aws.custom"},
		{"DetailType AwsApiCall", `{"eventType":"AwsApiCall"}`, asAny((*Record).DetailType), DetailTypeAPICall},
		{"DetailType AwsConsoleSignIn", `{"eventType":"AwsConsoleSignIn"}`, asAny((*Record).DetailType), DetailTypeConsoleSignIn},
		{"DetailType AwsConsoleSignin", `{"eventType":"AwsConsoleSignin"}`, asAny((*Record).DetailType), DetailTypeConsoleSignIn},
		{"DetailType AwsServiceEvent", `{"eventType":"AwsServiceEvent"}`, asAny((*Record).DetailType), DetailTypeServiceEvent},
		{"DetailType AwsConsoleAction", `{"eventType":"AwsConsoleAction"}`, asAny((*Record).DetailType), DetailTypeConsoleAction},
		{"DetailType unrouted", `{"eventType":"AwsCloudTrailInsight"}`, asAny((*Record).DetailType), ""},
		{"DetailType old sign-in", `{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin"}`, asAny((*Record).DetailType), DetailTypeConsoleSignIn},
		{"DetailType old API call", `{"eventSource":"iam.amazonaws.com","eventName":"CreateUser"}`, asAny((*Record).DetailType), DetailTypeAPICall},
		{"DetailType nothing", `{}`, asAny((*Record).DetailType), ""},
		{"DetailType envelope", `{"detail-type":"AWS Console Signin via CloudTrail","detail":{"eventType":"AwsConsoleSignIn"}}`,
			asAny((*Record).DetailType), "AWS Console Signin via CloudTrail"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := DecodeRecord([]byte(tc.in))
			if err != nil {
				t.Fatalf("DecodeRecord(%s) error: %v", tc.in, err)
			}
			if got := tc.call(r); got != tc.want {
				t.Errorf("%s on %s = %v, want %v", tc.name, tc.in, got, tc.want)
			}
		})
	}
}

func (r *Record) mfaUsed() any { return r.MFAUsed() }
func (r *Record) failed() any  { return r.Failed() }
func (r *Record) omitted() any { return r.RequestParametersOmitted() }

func param(name string) func(*Record) any {
	return func(r *Record) any { return r.RequestParam(name) }
}

func response(path ...string) func(*Record) any {
	return func(r *Record) any { return r.ResponseParam(path...) }
}

// TestHelpersOnZeroRecord: rules may call helpers on a Record built by hand.
func TestHelpersOnZeroRecord(t *testing.T) {
	var r Record
	got := []any{r.MFAUsed(), r.Failed(), r.RequestParam("x"), r.ResponseParam("a", "b"), r.RequestParametersOmitted(),
		r.DetailType(), r.Source(), r.Account()}
	want := []any{false, false, "", "", false, "", "", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("helpers on a zero Record (-want +got):\n%s", diff)
	}
	if b, err := r.EventBridgeEvent(); err == nil {
		t.Errorf("EventBridgeEvent() on a zero Record = %s, want an error", b)
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Summary
	}{
		{"bare", `{"eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventType":"AwsApiCall","errorCode":"AccessDenied",
			"requestParameters":{"userName":"x","nested":[{"a":"}"}]},"userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com","sessionContext":{"type":"no"}}}`,
			Summary{Source: "aws.iam", DetailType: DetailTypeAPICall, EventSource: "iam.amazonaws.com", EventName: "CreateUser",
				EventType: "AwsApiCall", ErrorCode: "AccessDenied", IdentityType: "AWSService", InvokedBy: "lambda.amazonaws.com"}},
		{"envelope", `{"source":"aws.iam","detail-type":"AWS Console Signin via CloudTrail","detail":{"eventSource":"signin.amazonaws.com",
			"eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","source":"ignored","userIdentity":{"type":"Root"}}}`,
			Summary{Source: "aws.iam", DetailType: "AWS Console Signin via CloudTrail", EventSource: "signin.amazonaws.com",
				EventName: "ConsoleLogin", EventType: "AwsConsoleSignIn", IdentityType: "Root"}},
		{"null strings", `{"errorCode":"null","userIdentity":{"invokedBy":"null"}}`, Summary{}},
		{"escapes", `{"event\u004eame":"A\u0042C","eventSource":"iam.amazonaws.com"}`,
			Summary{EventName: "ABC", EventSource: "iam.amazonaws.com", Source: "aws.iam", DetailType: DetailTypeAPICall}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Peek([]byte(tc.in))
			if err != nil {
				t.Fatalf("Peek(%s) error: %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Peek(%s) mismatch (-want +got):\n%s", tc.in, diff)
			}
			r, err := DecodeRecord([]byte(tc.in))
			if err != nil {
				t.Fatalf("DecodeRecord(%s) error: %v", tc.in, err)
			}
			if diff := cmp.Diff(summaryOf(r), got); diff != "" {
				t.Errorf("Peek(%s) disagrees with DecodeRecord (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestPeekErrors(t *testing.T) {
	tests := []struct {
		in   string
		kind error
	}{
		{"", ErrSyntax},
		{"[]", ErrNotObject},
		{`"x"`, ErrNotObject},
		{`{"eventName":`, ErrSyntax},
		{`{"eventName" "x"}`, ErrSyntax},
		{`{"detail-type":"x","detail":[]}`, ErrNotObject},
		{`{"detail-type":"x","detail":{"eventName":}`, ErrSyntax},
		{`{"Records":[]}`, ErrNotRecord},
	}
	for _, tc := range tests {
		if got, err := Peek([]byte(tc.in)); !errors.Is(err, tc.kind) {
			t.Errorf("Peek(%q) = %+v, %v; want an error matching %v", tc.in, got, err, tc.kind)
		}
	}
}

// TestPeekAllocations holds Peek to its promise: common values are shared,
// so a typical record costs one allocation (its eventName).
func TestPeekAllocations(t *testing.T) {
	raw := []byte(recA)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Peek(raw); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("Peek(CreateAccessKey record) allocates %v times, want at most 1", allocs)
	}
}

func asAny(f func(*Record) string) func(*Record) any {
	return func(r *Record) any { return f(r) }
}
