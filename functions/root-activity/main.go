// Command root-activity is the Lambda function for the root user's sign-ins
// and API calls (rules root-console-login and root-activity). It notifies
// only: no IAM role can restrict or change the root user.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		slog.Error("invalid configuration", "err", err)
		os.Exit(1) // fails INIT, not an invocation
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithAppID(guard.AppID))
	if err != nil {
		slog.Error("load AWS config", "err", err)
		os.Exit(1)
	}
	h, err := guard.NewFromAWS(rules.FamilyRootActivity, cfg, awsCfg)
	if err != nil {
		slog.Error("wire handler", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
