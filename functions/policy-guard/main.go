// Command policy-guard is the Lambda function for policy changes (rule
// wildcard-policy). It resolves customer-managed documents from IAM, notifies
// and, in remediate mode, detaches, deletes or restores the previous version.
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
	h, err := guard.NewFromAWS(rules.FamilyPolicyGuard, cfg, awsCfg)
	if err != nil {
		slog.Error("wire handler", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
