// Command audit-guard is the Lambda function for changes that blind
// CloudTrail (rule trail-tampering). It notifies and, where the rule is in
// remediate mode, starts a stopped trail again in its home Region: it builds
// CloudTrail clients for that action and nothing else.
package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamguard/iamguard/shared/action/trailaction"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.AuditGuard, os.Getenv, func(cfg aws.Config) guard.Wiring {
		return guard.Wiring{Executors: trailaction.Executors(cfg)}
	}))
}
