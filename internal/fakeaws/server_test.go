package fakeaws_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

func detachAdmin(ctx context.Context, c *iam.Client) error {
	_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(adminARN)})
	return err
}

// TestFailNext checks fault injection and that the SDK's retryer sees the
// faults as AWS's: throttling and server errors are retried (3 attempts in
// all), client errors are not.
func TestFailNext(t *testing.T) {
	tests := []struct {
		name       string
		faults     []string // codes, in order
		wantErr    string   // API error code, "" for success
		wantCalls  []string // Error of each recorded call
		wantDetach bool
	}{
		{"throttled twice then success", []string{"Throttling", "Throttling"}, "", []string{"Throttling", "Throttling", ""}, true},
		{"throttled three times", []string{"Throttling", "Throttling", "Throttling"}, "Throttling", []string{"Throttling", "Throttling", "Throttling"}, false},
		{"service failure then success", []string{"ServiceFailure"}, "", []string{"ServiceFailure", ""}, true},
		{"throttling then service failure then success", []string{"Throttling", "ServiceFailure"}, "", []string{"Throttling", "ServiceFailure", ""}, true},
		{"access denied is not retried", []string{"AccessDenied"}, "AccessDenied", []string{"AccessDenied"}, false},
		{"injected NoSuchEntity", []string{"NoSuchEntity"}, "NoSuchEntity", []string{"NoSuchEntity"}, false},
		{"injected LimitExceeded", []string{"LimitExceeded"}, "LimitExceeded", []string{"LimitExceeded"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newIAM(t)
			for _, code := range tc.faults {
				s.FailNext("DetachUserPolicy", code, 1)
			}
			err := detachAdmin(t.Context(), c)
			var apiErr smithy.APIError
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("DetachUserPolicy: got %v, want success", err)
			case tc.wantErr != "" && (!errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.wantErr):
				t.Fatalf("DetachUserPolicy: got %v, want API error %s", err, tc.wantErr)
			}
			var got []string
			for _, call := range s.CallsTo("DetachUserPolicy") {
				got = append(got, call.Error)
			}
			if diff := cmp.Diff(tc.wantCalls, got); diff != "" {
				t.Errorf("errors of CallsTo(DetachUserPolicy) = %q, want %q", got, tc.wantCalls)
			}
			detached := len(s.Attached(fakeaws.KindUser, "alice")) == 0
			if detached != tc.wantDetach {
				t.Errorf("policy detached = %v, want %v", detached, tc.wantDetach)
			}
		})
	}
}

// TestFailNextModelledTypes checks that injected IAM codes arrive as the
// SDK's modelled types, so callers' errors.As branches can be tested. The
// SDK maps a code onto a type only for the errors the operation models:
// DetachRolePolicy models UnmodifiableEntity (service-linked roles),
// DetachUserPolicy does not.
func TestFailNextModelledTypes(t *testing.T) {
	s, c := newIAM(t)
	s.FailNext("DetachRolePolicy", "UnmodifiableEntity", 1)
	s.FailNext("DetachUserPolicy", "NoSuchEntity", 1)
	var ume *types.UnmodifiableEntityException
	_, err := c.DetachRolePolicy(t.Context(), &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(customerARN)})
	if !errors.As(err, &ume) {
		t.Errorf("DetachRolePolicy = %v, want UnmodifiableEntityException", err)
	}
	var nse *types.NoSuchEntityException
	if err := detachAdmin(t.Context(), c); !errors.As(err, &nse) {
		t.Errorf("DetachUserPolicy = %v, want NoSuchEntityException", err)
	}
	if err := detachAdmin(t.Context(), c); err != nil {
		t.Errorf("DetachUserPolicy after the fault = %v, want success", err)
	}
}

func TestFailNextClear(t *testing.T) {
	s, c := newIAM(t)
	s.FailNext("DetachUserPolicy", "AccessDenied", 5)
	s.FailNext("DetachUserPolicy", "", 0)
	if err := detachAdmin(t.Context(), c); err != nil {
		t.Errorf("DetachUserPolicy after clearing faults = %v, want success", err)
	}
}

func TestDelay(t *testing.T) {
	s, c := newIAM(t)
	s.Delay("DetachUserPolicy", time.Minute)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := detachAdmin(ctx, c)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("DetachUserPolicy with a 1m delay and a 50ms deadline = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("DetachUserPolicy took %v, want it to end at the deadline", took)
	}
	if got := s.Attached(fakeaws.KindUser, "alice"); len(got) != 1 {
		t.Errorf("Attached(user, alice) after a call its client gave up on = %v, want it unchanged", got)
	}
	waitFor(t, func() bool {
		calls := s.CallsTo("DetachUserPolicy")
		return len(calls) == 1 && calls[0].Error == "RequestCanceled"
	}, "the abandoned call recorded with Error RequestCanceled")

	s.Delay("DetachUserPolicy", 30*time.Millisecond)
	start = time.Now()
	if err := detachAdmin(t.Context(), c); err != nil {
		t.Fatalf("DetachUserPolicy with a 30ms delay: %v", err)
	}
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Errorf("DetachUserPolicy took %v, want at least the 30ms delay", took)
	}
	s.Delay("DetachUserPolicy", 0)
}

// TestCallsAndReset checks the call log: order, services, exact params, and
// that Reset forgets calls but keeps state.
func TestCallsAndReset(t *testing.T) {
	s, c := newIAM(t)
	ctx := t.Context()
	if _, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if err := detachAdmin(ctx, c); err != nil {
		t.Fatal(err)
	}
	want := []fakeaws.Call{
		{Service: "iam", Action: "ListUserTags", Params: map[string]string{"UserName": "alice"}},
		{Service: "iam", Action: "DetachUserPolicy", Params: map[string]string{"UserName": "alice", "PolicyArn": adminARN}},
	}
	if diff := cmp.Diff(want, s.Calls()); diff != "" {
		t.Errorf("Calls() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1:], s.CallsTo("DetachUserPolicy")); diff != "" {
		t.Errorf("CallsTo(DetachUserPolicy) (-want +got):\n%s", diff)
	}
	calls := s.Calls()
	calls[0].Params["UserName"] = "mallory"
	if got := s.Calls()[0].Params["UserName"]; got != "alice" {
		t.Errorf("Calls() shares its maps: after changing a copy, UserName = %q, want alice", got)
	}

	s.Reset()
	if got := s.Calls(); len(got) != 0 {
		t.Errorf("Calls() after Reset = %+v, want none", got)
	}
	if got := s.Attached(fakeaws.KindUser, "alice"); len(got) != 0 {
		t.Errorf("Attached(user, alice) after Reset = %v, want the detach kept", got)
	}
}

func post(t *testing.T, url, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// TestWire checks the exact bytes of representative answers, as the brief
// and the SDK's response snapshots describe them.
func TestWire(t *testing.T) {
	s := fakeaws.New()
	url := s.Start(t)
	s.AddUser("alice", nil)
	s.AddAccessKey("alice", "AKIA1", "Active")
	s.AddManagedPolicy(customerARN, fakeaws.PolicyVersion{Document: `{"a": "b+c"}`})
	tests := []struct {
		name       string
		body       string
		header     map[string]string
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{"IAM list", "Action=ListAccessKeys&Version=2010-05-08&UserName=alice", nil, 200, "text/xml",
			`<ListAccessKeysResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListAccessKeysResult><AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status><CreateDate>2024-01-01T00:00:00Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult><ResponseMetadata><RequestId>fa4e0000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></ListAccessKeysResponse>`},
		{"IAM URL-encoded document", "Action=GetPolicyVersion&Version=2010-05-08&PolicyArn=" + customerARN + "&VersionId=v1", nil, 200, "text/xml",
			`<GetPolicyVersionResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetPolicyVersionResult><PolicyVersion><Document>%7B%22a%22%3A%20%22b%2Bc%22%7D</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-01-01T00:00:00Z</CreateDate></PolicyVersion></GetPolicyVersionResult><ResponseMetadata><RequestId>fa4e0000-0000-4000-8000-000000000002</RequestId></ResponseMetadata></GetPolicyVersionResponse>`},
		{"IAM empty result", "Action=DetachUserPolicy&Version=2010-05-08&UserName=alice&PolicyArn=" + adminARN, nil, 404, "text/xml",
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>Policy arn:aws:iam::aws:policy/AdministratorAccess was not found.</Message></Error><RequestId>fa4e0000-0000-4000-8000-000000000003</RequestId></ErrorResponse>`},
		{"IAM unknown action", "Action=CreateUser&Version=2010-05-08&UserName=x", nil, 400, "text/xml",
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation CreateUser for version 2010-05-08</Message></Error><RequestId>fa4e0000-0000-4000-8000-000000000004</RequestId></ErrorResponse>`},
		{"SNS publish", "Action=Publish&Version=2010-03-31&TopicArn=arn:aws:sns:us-east-1:123456789012:t&Message=hi", nil, 200, "text/xml",
			`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>5e550000-0000-4000-8000-000000000001</MessageId></PublishResult><ResponseMetadata><RequestId>fa4e0000-0000-4000-8000-000000000005</RequestId></ResponseMetadata></PublishResponse>`},
		{"SNS routed by action without Version", "Action=Publish&TopicArn=arn:aws:sns:us-east-1:123456789012:t", nil, 400, "text/xml",
			`<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message</Message></Error><RequestId>fa4e0000-0000-4000-8000-000000000006</RequestId></ErrorResponse>`},
		{"unknown action and version", "Action=Frobnicate", nil, 400, "text/xml",
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation Frobnicate for version (none)</Message></Error><RequestId>fa4e0000-0000-4000-8000-000000000007</RequestId></ErrorResponse>`},
		{"Secrets Manager unknown operation", `{}`, map[string]string{"X-Amz-Target": "secretsmanager.DeleteSecret", "Content-Type": "application/x-amz-json-1.1"}, 400, "application/x-amz-json-1.1",
			`{"__type":"UnknownOperationException","Message":"fakeaws: Secrets Manager operation \"DeleteSecret\" is not implemented"}`},
		{"Secrets Manager not found", `{"SecretId":"nope"}`, map[string]string{"X-Amz-Target": "secretsmanager.GetSecretValue", "Content-Type": "application/x-amz-json-1.1"}, 400, "application/x-amz-json-1.1",
			`{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, header, body := post(t, url, tc.body, tc.header)
			if status != tc.wantStatus || header.Get("Content-Type") != tc.wantType {
				t.Errorf("POST %s: status %d, Content-Type %q, want %d, %q", tc.body, status, header.Get("Content-Type"), tc.wantStatus, tc.wantType)
			}
			if header.Get("X-Amzn-Requestid") == "" {
				t.Errorf("POST %s: no x-amzn-RequestId header", tc.body)
			}
			if diff := cmp.Diff(tc.wantBody, body); diff != "" {
				t.Errorf("POST %s: body (-want +got):\n%s", tc.body, diff)
			}
		})
	}
	if got := s.CallsTo("Frobnicate"); len(got) != 1 || got[0].Service != "" || got[0].Error != "InvalidAction" {
		t.Errorf("CallsTo(Frobnicate) = %+v, want one call with no service and error InvalidAction", got)
	}
}

func TestStatusOfInjectedFaults(t *testing.T) {
	tests := []struct {
		code       string
		wantStatus int
		wantType   string
	}{
		{"NoSuchEntity", 404, "Sender"},
		{"DeleteConflict", 409, "Sender"},
		{"EntityAlreadyExists", 409, "Sender"},
		{"LimitExceeded", 409, "Sender"}, // as modelled by service/iam
		{"Throttling", 400, "Sender"},
		{"InvalidInput", 400, "Sender"},
		{"UnmodifiableEntity", 400, "Sender"},
		{"AccessDenied", 403, "Sender"},
		{"ServiceFailure", 500, "Receiver"},
	}
	s := fakeaws.New()
	url := s.Start(t)
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			s.FailNext("GetUser", tc.code, 1)
			status, _, body := post(t, url, "Action=GetUser&Version=2010-05-08&UserName=x", nil)
			if status != tc.wantStatus || !strings.Contains(body, "<Type>"+tc.wantType+"</Type><Code>"+tc.code+"</Code>") {
				t.Errorf("injected %s: got %d %s, want %d with Type %s", tc.code, status, body, tc.wantStatus, tc.wantType)
			}
		})
	}
}

func TestStartListener(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "10.0.0.1:0", ":0", "example.com:0", "nonsense"} {
		s := fakeaws.New()
		if url, err := s.StartListener(addr); err == nil {
			s.Close()
			t.Errorf("StartListener(%q) = %q, nil, want an error: loopback only", addr, url)
		}
	}
	s := fakeaws.New()
	url, err := s.StartListener("127.0.0.1:0")
	if err != nil {
		t.Fatalf("StartListener(127.0.0.1:0): %v", err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || s.URL() != url {
		t.Errorf("StartListener = %q, URL() = %q, want the same http://127.0.0.1:PORT", url, s.URL())
	}
	if _, err := s.StartListener("127.0.0.1:0"); err == nil {
		t.Errorf("second StartListener = nil error, want already started")
	}
	s.Close()
	s.Close() // idempotent
	if _, err := http.Post(url, "text/plain", nil); err == nil {
		t.Errorf("POST after Close succeeded, want connection refused")
	}
}

func TestAWSConfigBeforeStart(t *testing.T) {
	if _, err := fakeaws.New().AWSConfig(t.Context()); err == nil {
		t.Errorf("AWSConfig before Start = nil error, want one")
	}
}

// waitFor polls cond for up to 5s: the server notices a client leaving
// only after the client has returned.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLimit: a token bucket of 2, refilled at 10 a second, answers the
// third call in a row Throttling (changing nothing), and lets a call through
// again once a token has come back.
func TestLimit(t *testing.T) {
	s, c := newIAM(t)
	s.Limit("ListUserTags", 10, 2, "Throttling")
	var got []string
	list := func() {
		_, err := c.ListUserTags(t.Context(), &iam.ListUserTagsInput{UserName: aws.String("alice")}, func(o *iam.Options) {
			o.Retryer = aws.NopRetryer{}
		})
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			got = append(got, apiErr.ErrorCode())
		} else if err != nil {
			t.Fatal(err)
		} else {
			got = append(got, "")
		}
	}
	list()
	list()
	list()
	time.Sleep(150 * time.Millisecond)
	list()
	if diff := cmp.Diff([]string{"", "", "Throttling", ""}, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	s.Limit("ListUserTags", 0, 0, "")
	list()
	if got[len(got)-1] != "" {
		t.Errorf("after the limit was removed: %q", got[len(got)-1])
	}
}
