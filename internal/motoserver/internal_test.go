package motoserver

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func TestService(t *testing.T) {
	for _, tc := range []struct {
		name, auth, query, want string
	}{
		{"sigv4", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", "", "iam"},
		{"sigv4 no spaces", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudtrail/aws4_request,SignedHeaders=host,Signature=abc", "", "cloudtrail"},
		{"sigv4a", "AWS4-ECDSA-P256-SHA256 Credential=AKID/20260101/s3/aws4_request, SignedHeaders=host, Signature=abc", "", "s3"},
		{"presigned", "", "X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request", "sts"},
		{"unsigned", "", "", ""},
		{"other scheme", "Bearer token", "", ""},
		{"truncated scope", "AWS4-HMAC-SHA256 Credential=AKID/20260101, Signature=abc", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/?"+tc.query, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if got := service(r); got != tc.want {
				t.Errorf("service() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOperation(t *testing.T) {
	form := "Action=CreateUser&UserName=alice&Version=2010-05-08"
	for _, tc := range []struct {
		name, method, target, path, ctype, body, want string
	}{
		{"json target", "POST", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail", "/", "application/x-amz-json-1.1", `{"Name":"t"}`, "CreateTrail"},
		{"json target without dot", "POST", "AWSOrganizationsV20161128_DescribeOrganization", "/", "application/x-amz-json-1.1", `{}`, "AWSOrganizationsV20161128_DescribeOrganization"},
		{"query form", "POST", "", "/", "application/x-www-form-urlencoded; charset=utf-8", form, "CreateUser"},
		{"query url", "GET", "", "/?Action=GetCallerIdentity&Version=2011-06-15", "", "", "GetCallerIdentity"},
		{"rpcv2 cbor", "POST", "", "/service/GraniteServiceVersion20100801/operation/PutMetricData", "application/cbor", "", "PutMetricData"},
		{"rest", "PUT", "", "/bucket", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.target != "" {
				r.Header.Set("X-Amz-Target", tc.target)
			}
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			if strings.Contains(tc.path, "/operation/") {
				r.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
			}
			got, err := operation(r)
			if err != nil || got != tc.want {
				t.Errorf("operation() = %q, %v; want %q, nil", got, err, tc.want)
			}
			body, _ := io.ReadAll(r.Body)
			if string(body) != tc.body || r.ContentLength != int64(len(tc.body)) {
				t.Errorf("body after operation() = %q (ContentLength %d), want %q unchanged", body, r.ContentLength, tc.body)
			}
		})
	}
}

func TestErrorCode(t *testing.T) {
	gz := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return b.String()
	}
	for _, tc := range []struct {
		name, header, encoding, body, want string
	}{
		{"json namespaced", "", "", `{"__type": "com.amazonaws.cloudtrail.v20131101#TrailNotFoundException", "message": "x"}`, "TrailNotFoundException"},
		{"json plain", "", "", `{"__type":"TrailNotFoundException","message":"Unknown trail"}`, "TrailNotFoundException"},
		{"json code", "", "", `{"code":"ResourceNotFoundException","message":"x"}`, "ResourceNotFoundException"},
		{"header", "ValidationException:http://internal.amazon.com/coral/", "", `{}`, "ValidationException"},
		{"query xml", "", "", `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>x</Message></Error><RequestId>1</RequestId></ErrorResponse>`, "NoSuchEntity"},
		{"s3 xml", "", "", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code><Message>x</Message></Error>", "NoSuchBucket"},
		{"gzip", "", "gzip", gz(`{"__type":"ThrottlingException"}`), "ThrottlingException"},
		{"html", "", "", "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>", ""},
		{"empty", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 400, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tc.body))}
			if tc.header != "" {
				resp.Header.Set("X-Amzn-ErrorType", tc.header)
			}
			if tc.encoding != "" {
				resp.Header.Set("Content-Encoding", tc.encoding)
			}
			if got := errorCode(resp); got != tc.want {
				t.Errorf("errorCode() = %q, want %q", got, tc.want)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != tc.body {
				t.Errorf("body after errorCode() = %q, want it unchanged", body)
			}
		})
	}
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{max: 8}
	fmt.Fprint(b, "0123")
	if got := b.String(); got != "0123" {
		t.Errorf("String() = %q, want %q", got, "0123")
	}
	fmt.Fprint(b, "456789ab")
	if got := b.String(); got != "[…]456789ab" {
		t.Errorf("String() = %q, want %q", got, "[…]456789ab")
	}
}

// fakeTB records Skip and Fatal instead of ending the real test.
type fakeTB struct {
	testing.TB
	skipped, fatal string
	cleanups       []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Skipf(format string, a ...any) {
	f.skipped = fmt.Sprintf(format, a...)
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.fatal = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

func startFake(f *fakeTB) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(f)
	}()
	<-done
}

// TestMissingCommand checks that without moto_server Start skips in -short
// mode and otherwise fails with the install command.
func TestMissingCommand(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(EnvCommand, "")
	f := &fakeTB{TB: t}
	startFake(f)
	msg := f.fatal
	if testing.Short() {
		msg = f.skipped
		if f.fatal != "" {
			t.Errorf("Start failed in -short mode: %s", f.fatal)
		}
	} else if f.skipped != "" {
		t.Errorf("Start skipped outside -short mode: %s", f.skipped)
	}
	if !strings.Contains(msg, "pip install 'moto[server]==5.2.1'") || !strings.Contains(msg, "3.11") || !strings.Contains(msg, EnvCommand) {
		t.Errorf("message = %q, want the install command and %s", msg, EnvCommand)
	}
	if len(f.cleanups) != 0 {
		t.Errorf("Start registered %d cleanups without starting anything", len(f.cleanups))
	}
}

// TestBadOverride checks that a wrong IAMGUARD_MOTO_SERVER fails the test
// even in -short mode: it was set on purpose.
func TestBadOverride(t *testing.T) {
	t.Setenv(EnvCommand, "/nonexistent/moto_server")
	f := &fakeTB{TB: t}
	startFake(f)
	if f.skipped != "" || !strings.Contains(f.fatal, "/nonexistent/moto_server") {
		t.Errorf("Start: skipped %q, fatal %q; want a failure naming the override", f.skipped, f.fatal)
	}
}

// TestNoLeftovers checks that no process of moto_server's group survives
// the end of the test that started it.
func TestNoLeftovers(t *testing.T) {
	var s *Server
	t.Run("server", func(t *testing.T) {
		s = Start(t)
		if !s.proc.alive() {
			t.Fatal("moto_server is not running after Start")
		}
	})
	if s == nil || s.proc == nil {
		t.Skip("moto_server did not start")
	}
	if s.proc.alive() {
		t.Errorf("moto_server (pid %d) or a process of its group is still running after cleanup", s.proc.cmd.Process.Pid)
	}
}

func TestRestOperation(t *testing.T) {
	for _, tc := range []struct{ service, method, path, want string }{
		{"lambda", http.MethodGet, "/2019-09-30/functions/Iamguard-Fn/concurrency", "GetFunctionConcurrency"},
		{"lambda", http.MethodDelete, "/2017-10-31/functions/arn%3Aaws%3Alambda/concurrency", "DeleteFunctionConcurrency"},
		{"lambda", http.MethodPut, "/2017-10-31/functions/f/concurrency", "PutFunctionConcurrency"},
		{"lambda", http.MethodPost, "/2015-03-31/functions", "CreateFunction"},
		{"lambda", http.MethodGet, "/2015-03-31/functions/f", ""},
		{"s3", http.MethodGet, "/2019-09-30/functions/f/concurrency", ""},
		{"guardduty", http.MethodGet, "/detector/12ab", "GetDetector"},
		{"guardduty", http.MethodPost, "/detector/12ab", "UpdateDetector"},
		{"guardduty", http.MethodPost, "/detector", "CreateDetector"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if got := restOperation(tc.service, r); got != tc.want {
			t.Errorf("restOperation(%s %s %s) = %q, want %q", tc.service, tc.method, tc.path, got, tc.want)
		}
	}
}
