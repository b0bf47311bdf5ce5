// Command audit-guard is the Lambda function for what blinds the account:
// the trail, the other detection services, the organisation's guardrails and
// iamguard itself (rules trail-tampering, detection-disabled, org-guardrails,
// guardrail-tampering), and the canary's heartbeat (rule canary). It
// notifies and, where a rule is in remediate mode, starts a stopped trail
// again in its home Region, starts a stopped AWS Config recorder or enables
// a disabled GuardDuty detector again, enables a disabled iamguard rule
// again, lifts a zero concurrency limit from an iamguard function, or
// enables the alert key again (cancelling its deletion): it builds
// CloudTrail, Config, GuardDuty, EventBridge, Lambda and KMS clients for
// those actions, a DynamoDB client for the outcome table (one outcome per
// event), an STS client for the member accounts' responder sessions in an
// organisation (the same clients are built for each member account), and
// nothing else.
package main

import (
	"maps"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamguard/iamguard/shared/action/configaction"
	"github.com/iamguard/iamguard/shared/action/eventsaction"
	"github.com/iamguard/iamguard/shared/action/guarddutyaction"
	"github.com/iamguard/iamguard/shared/action/kmsaction"
	"github.com/iamguard/iamguard/shared/action/lambdaaction"
	"github.com/iamguard/iamguard/shared/action/trailaction"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/confirm"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/member"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.AuditGuard, os.Getenv, func(cfg aws.Config, c config.Config) guard.Wiring {
		return guard.Wiring{
			Outcomes:  dynamostore.Open(cfg, c.OutcomeTable),
			Confirmer: confirm.New(cfg),
			Assume:    member.New(cfg).Assume,
			Parents:   member.NewTree(cfg).Parents,
			Account: func(cfg aws.Config) guard.Clients {
				ex := trailaction.Executors(cfg)
				maps.Copy(ex, eventsaction.Executors(cfg))
				maps.Copy(ex, lambdaaction.Executors(cfg))
				maps.Copy(ex, configaction.Executors(cfg))
				maps.Copy(ex, guarddutyaction.Executors(cfg))
				maps.Copy(ex, kmsaction.Executors(cfg))
				return guard.Clients{Executors: ex, Lookup: confirm.New(cfg).Lookup}
			},
		}
	}))
}
