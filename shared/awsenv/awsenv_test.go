package awsenv

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigNamesWhatIsMissing(t *testing.T) {
	_, err := Config(t.Context(), "iamguard", env(map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "maybe"}))
	for _, want := range []string{"AWS_REGION", "credentials", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Config with an empty environment = %v, want an error naming %s", err, want)
		}
	}
}

func TestConfigFromLambdaEnvironment(t *testing.T) {
	cfg, err := Config(t.Context(), "iamguard", env(map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
	}))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil || creds.AccessKeyID != "AKIDEXAMPLE" || creds.SessionToken != "token" || cfg.Region != "us-east-1" || cfg.AppID != "iamguard" {
		t.Errorf("config = region %q app %q creds %+v (%v)", cfg.Region, cfg.AppID, creds, err)
	}
	if cfg.BaseEndpoint != nil {
		t.Errorf("BaseEndpoint = %q, want none", *cfg.BaseEndpoint)
	}
}

// TestServiceEndpointReachesTheClient proves that a real SDK client honours
// AWS_ENDPOINT_URL_SNS through this configuration, as it would through
// LoadDefaultConfig: the request arrives at the server named there.
func TestServiceEndpointReachesTheClient(t *testing.T) {
	hit := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hit <- r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name string
		vars map[string]string
	}{
		{"service variable", map[string]string{"AWS_ENDPOINT_URL_SNS": srv.URL}},
		{"global variable", map[string]string{"AWS_ENDPOINT_URL": srv.URL}},
	} {
		vars := map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"}
		for k, v := range tc.vars {
			vars[k] = v
		}
		cfg, err := Config(t.Context(), "iamguard", env(vars))
		if err != nil {
			t.Fatal(err)
		}
		out, err := sns.NewFromConfig(cfg).Publish(context.Background(), &sns.PublishInput{TopicArn: new(string), Message: new(string)})
		if err != nil || out.MessageId == nil || *out.MessageId != "m-1" {
			t.Fatalf("%s: Publish = %v, %v", tc.name, out, err)
		}
		if ua := <-hit; !strings.Contains(ua, "app/iamguard") {
			t.Errorf("%s: User-Agent %q lacks app/iamguard", tc.name, ua)
		}
	}
}
