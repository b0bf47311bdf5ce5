package awsenv

import (
	"strings"
	"testing"
)

func TestConfig(t *testing.T) {
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, err := Config("iamguard"); err == nil || !strings.Contains(err.Error(), "AWS_REGION") || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("Config with an empty environment = %v, want errors naming the region and the credentials", err)
	}
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	cfg, err := Config("iamguard")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil || creds.AccessKeyID != "AKIDEXAMPLE" || creds.SessionToken != "token" || cfg.Region != "us-east-1" || cfg.AppID != "iamguard" {
		t.Errorf("config = region %q app %q creds %+v (%v)", cfg.Region, cfg.AppID, creds, err)
	}
}
