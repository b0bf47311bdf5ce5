package fakeaws_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

func newSecrets(t *testing.T) (*fakeaws.Server, *secretsmanager.Client) {
	t.Helper()
	s := fakeaws.New()
	s.Start(t)
	cfg, err := s.AWSConfig(t.Context())
	if err != nil {
		t.Fatalf("AWSConfig: %v", err)
	}
	return s, secretsmanager.NewFromConfig(cfg)
}

func TestGetSecretValue(t *testing.T) {
	s, c := newSecrets(t)
	const value = `{"webhook":"https://hooks.slack.invalid/T0/B0/x"}`
	s.SetSecret("iamguard/slack", value)
	first, err := c.GetSecretValue(t.Context(), &secretsmanager.GetSecretValueInput{SecretId: aws.String("iamguard/slack")})
	if err != nil {
		t.Fatalf("GetSecretValue by name: %v", err)
	}
	arn := aws.ToString(first.ARN)
	tests := []struct {
		name string
		in   secretsmanager.GetSecretValueInput
	}{
		{"by name", secretsmanager.GetSecretValueInput{SecretId: aws.String("iamguard/slack")}},
		{"by ARN", secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)}},
		{"by partial ARN", secretsmanager.GetSecretValueInput{SecretId: aws.String(arn[:len(arn)-7])}},
		{"AWSCURRENT", secretsmanager.GetSecretValueInput{SecretId: aws.String("iamguard/slack"), VersionStage: aws.String("AWSCURRENT")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := c.GetSecretValue(t.Context(), &tc.in)
			if err != nil {
				t.Fatalf("GetSecretValue(%s): %v", aws.ToString(tc.in.SecretId), err)
			}
			got := []any{aws.ToString(out.SecretString), aws.ToString(out.Name), aws.ToString(out.ARN), out.VersionStages, aws.ToString(out.VersionId) != "", out.CreatedDate != nil}
			want := []any{value, "iamguard/slack", arn, []string{"AWSCURRENT"}, true, true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetSecretValue(%s) (-want +got):\n%s", aws.ToString(tc.in.SecretId), diff)
			}
		})
	}
	wantARNPrefix := "arn:aws:secretsmanager:us-east-1:123456789012:secret:iamguard/slack-"
	if len(arn) != len(wantARNPrefix)+6 || arn[:len(wantARNPrefix)] != wantARNPrefix {
		t.Errorf("ARN = %q, want %s + six characters", arn, wantARNPrefix)
	}
	want := fakeaws.Call{Service: "secretsmanager", Action: "GetSecretValue", Params: map[string]string{"SecretId": "iamguard/slack"}}
	if diff := cmp.Diff(want, s.Calls()[0]); diff != "" {
		t.Errorf("Calls()[0] (-want +got):\n%s", diff)
	}
}

func TestGetSecretValueErrors(t *testing.T) {
	s, c := newSecrets(t)
	s.SetSecret("iamguard/slack", "v")
	tests := []struct {
		name string
		in   secretsmanager.GetSecretValueInput
	}{
		{"unknown name", secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")}},
		{"other stage", secretsmanager.GetSecretValueInput{SecretId: aws.String("iamguard/slack"), VersionStage: aws.String("AWSPREVIOUS")}},
		{"other version", secretsmanager.GetSecretValueInput{SecretId: aws.String("iamguard/slack"), VersionId: aws.String("00000000-0000-4000-8000-000000000000")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.GetSecretValue(t.Context(), &tc.in)
			var rnf *types.ResourceNotFoundException
			if !errors.As(err, &rnf) {
				t.Errorf("GetSecretValue: got %v, want ResourceNotFoundException", err)
			}
		})
	}
}

func TestGetSecretValueFaults(t *testing.T) {
	s, c := newSecrets(t)
	s.SetSecret("x", "v")
	s.FailNext("GetSecretValue", "InternalServiceError", 1)
	if _, err := c.GetSecretValue(t.Context(), &secretsmanager.GetSecretValueInput{SecretId: aws.String("x")}); err != nil {
		t.Fatalf("GetSecretValue after one InternalServiceError: %v, want the SDK to retry", err)
	}
	s.FailNext("GetSecretValue", "AccessDeniedException", 1)
	if _, err := c.GetSecretValue(t.Context(), &secretsmanager.GetSecretValueInput{SecretId: aws.String("x")}); err == nil {
		t.Errorf("GetSecretValue with AccessDeniedException injected: got success, want the error")
	}
	var got []string
	for _, call := range s.CallsTo("GetSecretValue") {
		got = append(got, call.Error)
	}
	if diff := cmp.Diff([]string{"InternalServiceError", "", "AccessDeniedException"}, got); diff != "" {
		t.Errorf("errors of CallsTo(GetSecretValue) (-want +got):\n%s", diff)
	}
}
