// Command access-keys is the Lambda function for new access keys (rule
// access-key-created). It notifies and, where the rule is in remediate mode,
// deactivates exactly the new key (never deletes it): it builds an IAM client
// for that action, a DynamoDB client for the outcome table (one outcome per
// event), and nothing else.
package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/confirm"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.AccessKeys, os.Getenv, func(cfg aws.Config, c config.Config) guard.Wiring {
		return guard.Wiring{Executors: iamaction.Executors(iam.NewFromConfig(cfg)), Outcomes: dynamostore.Open(cfg, c.OutcomeTable), Confirmer: confirm.New(cfg)}
	}))
}
