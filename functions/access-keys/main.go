// Command access-keys is the Lambda function for new access keys (rule
// access-key-created). It notifies and, where the rule is in remediate mode,
// deactivates exactly the new key (never deletes it): it builds an IAM client
// for that action, a DynamoDB client for the outcome table (one outcome per
// event), an STS client for the member accounts' responder sessions in an
// organisation (the same clients are built for each member account), and
// nothing else.
package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/confirm"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/member"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.AccessKeys, os.Getenv, func(cfg aws.Config, c config.Config) guard.Wiring {
		return guard.Wiring{
			Outcomes:  dynamostore.Open(cfg, c.OutcomeTable),
			Confirmer: confirm.New(cfg),
			Assume:    member.New(cfg).Assume,
			Parents:   member.NewTree(cfg).Parents,
			// Its own account's clients, and each member account's
			// from the responder role's credentials.
			Account: func(cfg aws.Config) guard.Clients {
				return guard.Clients{Executors: iamaction.Executors(iam.NewFromConfig(cfg)), Lookup: confirm.New(cfg).Lookup}
			},
		}
	}))
}
