package guard

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/notify"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// AppID tags iamguard's own AWS calls in CloudTrail's userAgent, so that its
// rollbacks can be told apart from people's changes.
const AppID = "iamguard"

// NewFromAWS wires a family's handler to real AWS clients built from awsCfg:
// SNS for every family; IAM only for the families whose rules call it.
// main calls it once per cold start.
func NewFromAWS(family string, cfg config.Config, awsCfg aws.Config) (*Handler, error) {
	pub := notify.NewPublisher(sns.NewFromConfig(awsCfg), cfg.TopicARN)
	var resolver rules.Resolver = rules.AWSManaged{}
	var api remediate.IAMAPI
	switch family {
	case rules.FamilyAccessKeys:
		api = iam.NewFromConfig(awsCfg)
	case rules.FamilyPolicyGuard:
		client := iam.NewFromConfig(awsCfg)
		api = client
		// The embedded snapshot answers for AWS managed policies without a
		// call; IAM answers for the account's own.
		resolver = rules.Resolvers{rules.AWSManaged{}, remediate.IAMResolver{API: client}}
	}
	return New(family, cfg, resolver, remediate.New(cfg, api), pub)
}
