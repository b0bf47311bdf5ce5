package motoserver_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/motoserver"
)

func iamClient(t *testing.T, s *motoserver.Server) *iam.Client {
	t.Helper()
	cfg, err := s.AWSConfig(t.Context())
	if err != nil {
		t.Fatalf("AWSConfig: %v", err)
	}
	return iam.NewFromConfig(cfg)
}

// TestIAMThroughProxy makes real, signed IAM calls through the proxy and
// checks what was recorded, including the error code of a failed call.
func TestIAMThroughProxy(t *testing.T) {
	s := motoserver.Start(t)
	t.Logf("moto_server answered after %s", s.StartupTime())
	client := iamClient(t, s)

	if _, err := client.CreateUser(t.Context(), &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatalf("CreateUser(alice): %v", err)
	}
	out, err := client.GetUser(t.Context(), &iam.GetUserInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatalf("GetUser(alice): %v", err)
	}
	if got := aws.ToString(out.User.Arn); got != "arn:aws:iam::"+motoserver.AccountID+":user/alice" {
		t.Errorf("GetUser(alice).User.Arn = %q", got)
	}
	_, err = client.GetUser(t.Context(), &iam.GetUserInput{UserName: aws.String("nobody")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("GetUser(nobody) error = %v, want NoSuchEntityException", err)
	}

	want := []motoserver.Call{
		{Service: "iam", Operation: "CreateUser", Status: 200},
		{Service: "iam", Operation: "GetUser", Status: 200},
		{Service: "iam", Operation: "GetUser", Status: 404, ErrorCode: "NoSuchEntity"},
	}
	if diff := cmp.Diff(want, s.Calls()); diff != "" {
		t.Errorf("Calls() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, s.CallsTo("iam")); diff != "" {
		t.Errorf("CallsTo(iam) mismatch (-want +got):\n%s", diff)
	}
	if got := s.CallsTo("sns"); len(got) != 0 {
		t.Errorf("CallsTo(sns) = %v, want none", got)
	}
}

// signed sends a SigV4-signed request through the proxy, as an SDK for a
// service this module has no client for would.
func signed(t *testing.T, s *motoserver.Server, method, service, path string, header map[string]string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: motoserver.AccessKeyID, SecretAccessKey: motoserver.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hash, service, motoserver.Region, time.Now()); err != nil {
		t.Fatalf("sign: %v", err)
	}
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return resp.StatusCode, out
}

func cloudTrail(t *testing.T, s *motoserver.Server, op string, in any) (int, map[string]any) {
	t.Helper()
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	status, out := signed(t, s, http.MethodPost, "cloudtrail", "/", map[string]string{
		"Content-Type": "application/x-amz-json-1.1",
		"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + op,
	}, body)
	var m map[string]any
	if len(bytes.TrimSpace(out)) > 0 && json.Unmarshal(out, &m) != nil {
		m = map[string]any{"raw": string(out)}
	}
	return status, m
}

// TestCloudTrailJSON drives CloudTrail, a JSON 1.1 protocol service, with
// hand-signed requests and checks the recording, including the __type
// error code. The trail's bucket is created first through moto's S3 (a
// REST service: no operation is recorded for it).
func TestCloudTrailJSON(t *testing.T) {
	s := motoserver.Start(t)

	if status, out := signed(t, s, http.MethodPut, "s3", "/trail-bucket", nil, nil); status != 200 {
		t.Fatalf("create bucket: status %d: %s", status, out)
	}
	if status, out := cloudTrail(t, s, "CreateTrail", map[string]any{"Name": "guard-trail", "S3BucketName": "trail-bucket"}); status != 200 {
		t.Fatalf("CreateTrail: status %d: %v", status, out)
	}
	if status, out := cloudTrail(t, s, "StartLogging", map[string]any{"Name": "guard-trail"}); status != 200 {
		t.Fatalf("StartLogging: status %d: %v", status, out)
	}
	status, out := cloudTrail(t, s, "GetTrailStatus", map[string]any{"Name": "guard-trail"})
	if status != 200 || out["IsLogging"] != true {
		t.Fatalf("GetTrailStatus: status %d: %v, want IsLogging true", status, out)
	}
	status, out = cloudTrail(t, s, "GetTrailStatus", map[string]any{"Name": "missing-trail"})
	if status != 400 {
		t.Fatalf("GetTrailStatus(missing-trail): status %d: %v, want 400", status, out)
	}

	want := []motoserver.Call{
		{Service: "cloudtrail", Operation: "CreateTrail", Status: 200},
		{Service: "cloudtrail", Operation: "StartLogging", Status: 200},
		{Service: "cloudtrail", Operation: "GetTrailStatus", Status: 200},
		{Service: "cloudtrail", Operation: "GetTrailStatus", Status: 400, ErrorCode: "TrailNotFoundException"},
	}
	if diff := cmp.Diff(want, s.CallsTo("cloudtrail")); diff != "" {
		t.Errorf("CallsTo(cloudtrail) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]motoserver.Call{{Service: "s3", Status: 200}}, s.CallsTo("s3")); diff != "" {
		t.Errorf("CallsTo(s3) mismatch (-want +got):\n%s", diff)
	}

	// moto's S3 answers errors in XML, with <Code>.
	if status, _ := signed(t, s, http.MethodGet, "s3", "/no-such-bucket", nil, nil); status != 404 {
		t.Errorf("GET /no-such-bucket: status %d, want 404", status)
	}
	calls := s.Calls()
	if diff := cmp.Diff(motoserver.Call{Service: "s3", Status: 404, ErrorCode: "NoSuchBucket"}, calls[len(calls)-1]); diff != "" {
		t.Errorf("last call mismatch (-want +got):\n%s", diff)
	}
}

// TestReset checks that Reset clears both the recording and moto's state.
func TestReset(t *testing.T) {
	s := motoserver.Start(t)
	client := iamClient(t, s)
	if _, err := client.CreateUser(t.Context(), &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatalf("CreateUser(bob): %v", err)
	}
	if n := len(s.Calls()); n != 1 {
		t.Fatalf("len(Calls()) = %d before Reset, want 1", n)
	}

	s.Reset()
	if got := s.Calls(); len(got) != 0 {
		t.Fatalf("Calls() after Reset = %v, want none", got)
	}
	_, err := client.GetUser(t.Context(), &iam.GetUserInput{UserName: aws.String("bob")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("GetUser(bob) after Reset: error = %v, want NoSuchEntityException", err)
	}
	want := []motoserver.Call{{Service: "iam", Operation: "GetUser", Status: 404, ErrorCode: "NoSuchEntity"}}
	if diff := cmp.Diff(want, s.Calls()); diff != "" {
		t.Errorf("Calls() mismatch (-want +got):\n%s", diff)
	}
}

// TestEnv checks the environment for a process, and that a query-protocol
// request in its shape (form body, Action) reaches moto through URL.
func TestEnv(t *testing.T) {
	s := motoserver.Start(t)
	want := map[string]string{
		"AWS_ENDPOINT_URL":      s.URL(),
		"AWS_ACCESS_KEY_ID":     motoserver.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": motoserver.SecretAccessKey,
		"AWS_REGION":            "us-east-1",
	}
	if diff := cmp.Diff(want, s.Env()); diff != "" {
		t.Errorf("Env() mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || !strings.HasPrefix(s.MotoURL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, MotoURL() = %q, want loopback", s.URL(), s.MotoURL())
	}

	status, out := signed(t, s, http.MethodPost, "sts", "/", map[string]string{
		"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
	}, []byte("Action=GetCallerIdentity&Version=2011-06-15"))
	if status != 200 || !bytes.Contains(out, []byte(motoserver.AccountID)) {
		t.Fatalf("GetCallerIdentity: status %d: %s", status, out)
	}
	if diff := cmp.Diff([]motoserver.Call{{Service: "sts", Operation: "GetCallerIdentity", Status: 200}}, s.Calls()); diff != "" {
		t.Errorf("Calls() mismatch (-want +got):\n%s", diff)
	}
}
