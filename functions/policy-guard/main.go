// Command policy-guard is the Lambda function for policy changes, group
// memberships, boundaries, identity providers and iamguard's own tags
// (rules wildcard-policy, exempt-tag-changed, permissions-boundary-removed,
// admin-group-membership, identity-provider). It
// resolves customer-managed documents from IAM, notifies and, in remediate
// mode, detaches, deletes or restores the previous version: one IAM client
// serves the lookups and the actions, and a DynamoDB client for the outcome table
// (one outcome per event); in an organisation, an STS
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
	os.Exit(guard.Main(rules.PolicyGuard, os.Getenv, func(cfg aws.Config, c config.Config) guard.Wiring {
		return guard.Wiring{
			Confirmer: confirm.New(cfg),
			Outcomes:  dynamostore.Open(cfg, c.OutcomeTable),
			Assume:    member.New(cfg).Assume,
			Parents:   member.NewTree(cfg).Parents,
			Account: func(cfg aws.Config) guard.Clients {
				client := iam.NewFromConfig(cfg)
				return guard.Clients{
					Executors: iamaction.Executors(client),
					// The embedded snapshot answers for AWS managed policies
					// without a call; IAM answers for the account's own, and
					// for groups.
					Resolver: rules.Resolvers{rules.AWSManaged{}, iamaction.Resolver{API: client, Groups: client}},
					Lookup:   confirm.New(cfg).Lookup,
				}
			},
		}
	}))
}
