package fakeaws_test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

// TestServiceEndpointVariables configures clients as a Lambda bootstrap
// does, with LoadDefaultConfig and only the per-service endpoint variables
// pointing at the server, and checks that each service is reached.
func TestServiceEndpointVariables(t *testing.T) {
	s := fakeaws.New()
	url := s.Start(t)
	s.AddUser("alice", nil)
	s.SetSecret("slack", "x")
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_IAM":             url,
		"AWS_ENDPOINT_URL_SNS":             url,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": url,
		"AWS_ENDPOINT_URL":                 "",
		"AWS_ACCESS_KEY_ID":                "AKIAFAKE",
		"AWS_SECRET_ACCESS_KEY":            "secret",
		"AWS_SESSION_TOKEN":                "token",
		"AWS_REGION":                       "us-east-1",
		"AWS_PROFILE":                      "",
		"AWS_CA_BUNDLE":                    "",
		"AWS_CONFIG_FILE":                  filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":      filepath.Join(dir, "credentials"),
	} {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(t.Context(), config.WithAppID("iam-guardrail"))
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	ctx := t.Context()
	if _, err := iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}); err != nil {
		t.Errorf("IAM GetUser: %v", err)
	}
	if _, err := sns.NewFromConfig(cfg).Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")}); err != nil {
		t.Errorf("SNS Publish: %v", err)
	}
	if _, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("slack")}); err != nil {
		t.Errorf("Secrets Manager GetSecretValue: %v", err)
	}
	var got []string
	for _, c := range s.Calls() {
		got = append(got, c.Service+":"+c.Action)
	}
	want := []string{"iam:GetUser", "sns:Publish", "secretsmanager:GetSecretValue"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls = %v, want %v (-want +got):\n%s", got, want, diff)
	}
}
