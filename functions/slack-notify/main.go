// Command slack-notify is an optional Lambda function for teams without
// Amazon Q Developer in chat applications (AWS Chatbot): subscribed to the
// alert topic, it posts each iamguard alert to a Slack incoming webhook as a
// Block Kit message, and anything else published to the topic as text.
//
// The webhook URL is read once, at cold start, from the Secrets Manager
// secret named by IAMGUARD_SLACK_SECRET_ID; it is never logged.
package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/iamguard/iamguard/shared/awsenv"
)

// appID tags this function's AWS calls in CloudTrail's userAgent, as
// guard.AppID does the other functions' (not imported: this function needs
// none of the guard's IAM machinery).
const appID = "iamguard"

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	secretID := strings.TrimSpace(os.Getenv(EnvSecretID))
	if secretID == "" {
		slog.Error("invalid configuration", "err", EnvSecretID+" is required: the name or ARN of the secret holding the Slack webhook URL")
		os.Exit(1) // fails INIT, not an invocation
	}
	// INIT has 10 s in all; the secret must be read well within that.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	awsCfg, err := awsenv.Config(ctx, appID, os.Getenv)
	if err != nil {
		slog.Error("load AWS config", "err", err)
		os.Exit(1)
	}
	hook, err := loadWebhook(ctx, secretsmanager.NewFromConfig(awsCfg), secretID)
	if err != nil {
		slog.Error("load Slack webhook", "err", err)
		os.Exit(1)
	}
	cancel()
	h := &handler{hook: hook, log: slog.Default()}
	lambda.Start(h.handle)
}
