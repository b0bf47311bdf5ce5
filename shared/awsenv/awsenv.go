// Package awsenv builds the AWS SDK configuration of a Lambda function from
// the environment Lambda gives it, and nothing else.
//
// It decides where credentials, Region and endpoints come from: the variables
// Lambda sets (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_REGION) and the SDK's standard endpoint variables (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), which each
// service client resolves through the configuration sources this package
// provides. It replaces config.LoadDefaultConfig, whose chain of credential
// providers (SSO, STS, IMDS, shared files) a Lambda never uses and which adds
// about 2 MB and a millisecond of package initialisation to each bootstrap.
// It must never read shared config files, call IMDS or STS, or log a
// credential.
package awsenv

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Config builds the configuration from getenv (os.Getenv in main). appID
// tags the calls in CloudTrail's userAgent.
func Config(ctx context.Context, appID string, getenv func(string) string) (aws.Config, error) {
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	creds := aws.Credentials{
		AccessKeyID:     getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
		Source:          "Lambda environment",
	}
	src := source{getenv: getenv}
	var errs []error
	if region == "" {
		errs = append(errs, errors.New("AWS_REGION is not set"))
	}
	if !creds.HasKeys() {
		errs = append(errs, errors.New("no credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set by Lambda)"))
	}
	ignore, _, err := src.GetIgnoreConfiguredEndpoints(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return aws.Config{}, errors.Join(errs...)
	}
	cfg := aws.Config{
		Region:        region,
		Credentials:   aws.NewCredentialsCache(credentials.StaticCredentialsProvider{Value: creds}),
		AppID:         appID,
		ConfigSources: []any{src},
	}
	if u := getenv("AWS_ENDPOINT_URL"); u != "" && !ignore {
		cfg.BaseEndpoint = aws.String(u)
	}
	return cfg, nil
}

// source answers the SDK's questions about configured endpoints, as the
// SDK's own environment configuration does.
type source struct {
	getenv func(string) string
}

// GetServiceBaseEndpoint returns AWS_ENDPOINT_URL_<SERVICE>, with the service's
// SDK ID in upper case and spaces as underscores ("Secrets Manager" is
// SECRETS_MANAGER).
func (s source) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v := s.getenv("AWS_ENDPOINT_URL_" + strings.ReplaceAll(strings.ToUpper(sdkID), " ", "_"))
	return v, v != "", nil
}

// GetIgnoreConfiguredEndpoints reads AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.
func (s source) GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error) {
	v := s.getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
	if v == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, false, fmt.Errorf("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS %q is not true or false", v)
	}
	return b, true, nil
}
