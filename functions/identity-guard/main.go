// Command identity-guard is the Lambda function for the account owner's
// practices around people's credentials and roles' trust (rules
// console-login-no-mfa, mfa-removed, login-profile, trust-policy,
// federation-token, password-policy). It notifies and, where a rule is in
// remediate mode, deletes a console password another principal created or
// trims a role's trust policy to the trusted set: it builds one IAM client,
// for those actions and for the session policies' documents, and a DynamoDB
// client for the outcome table (one outcome per event); in an organisation, an STS
// client opens the member accounts' responder sessions, and the same clients
// are built for each member account from them.
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
	os.Exit(guard.Main(rules.IdentityGuard, os.Getenv, func(cfg aws.Config, c config.Config) guard.Wiring {
		return guard.Wiring{
			Confirmer: confirm.New(cfg),
			Outcomes:  dynamostore.Open(cfg, c.OutcomeTable),
			Assume:    member.New(cfg).Assume,
			Parents:   member.NewTree(cfg).Parents,
			Account: func(cfg aws.Config) guard.Clients {
				client := iam.NewFromConfig(cfg)
				return guard.Clients{
					Executors: iamaction.Executors(client),
					Resolver:  rules.Resolvers{rules.AWSManaged{}, iamaction.Resolver{API: client}},
					Lookup:    confirm.New(cfg).Lookup,
				}
			},
		}
	}))
}
