package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

const seed = `{
  "users": [{"name": "alice", "accessKeys": [{"id": "AKIAALICE1"}]}],
  "topics": ["arn:aws:sns:us-east-1:123456789012:alerts"]
}`

// TestRun starts the command as the end-to-end test would, drives it with
// real clients, stops it and reads the record.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	seedFile, recordFile := filepath.Join(dir, "seed.json"), filepath.Join(dir, "record.json")
	if err := os.WriteFile(seedFile, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-seed", seedFile, "-record", recordFile}, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read URL line: %v (run: %v)", err, <-done)
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want http://127.0.0.1:PORT", line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain anything printed later

	// Configure clients as a Lambda would: only an endpoint URL.
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIAFAKE", "secret", "")}
	_, err = iam.NewFromConfig(cfg).UpdateAccessKey(t.Context(), &iam.UpdateAccessKeyInput{
		UserName: aws.String("alice"), AccessKeyId: aws.String("AKIAALICE1"), Status: "Inactive"})
	if err != nil {
		t.Fatalf("UpdateAccessKey on the seeded key: %v", err)
	}
	_, err = sns.NewFromConfig(cfg).Publish(t.Context(), &sns.PublishInput{
		TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:alerts"), Subject: aws.String("s"), Message: aws.String("m")})
	if err != nil {
		t.Fatalf("Publish to the seeded topic: %v", err)
	}

	stop() // as SIGTERM does
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	b, err := os.ReadFile(recordFile)
	if err != nil {
		t.Fatalf("read record: %v", err)
	}
	var got fakeaws.Record
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("decode record %s: %v", b, err)
	}
	want := fakeaws.Record{
		Calls: []fakeaws.Call{
			{Service: "iam", Action: "UpdateAccessKey", Params: map[string]string{"UserName": "alice", "AccessKeyId": "AKIAALICE1", "Status": "Inactive"}},
			{Service: "sns", Action: "Publish", Params: map[string]string{"TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Subject": "s", "Message": "m"}},
		},
		Published: []fakeaws.Message{{MessageID: "5e550000-0000-4000-8000-000000000001", TopicARN: "arn:aws:sns:us-east-1:123456789012:alerts", Subject: "s", Message: "m"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"users": [{"name": ""}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"public address", []string{"-addr", "0.0.0.0:0"}, "loopback"},
		{"missing seed", []string{"-seed", filepath.Join(dir, "none.json")}, "open seed"},
		{"invalid seed", []string{"-seed", bad}, "name is empty"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), tc.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}
