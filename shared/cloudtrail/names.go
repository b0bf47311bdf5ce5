package cloudtrail

import "strings"

// The detail-type values EventBridge gives CloudTrail events, as rule patterns
// spell them.
const (
	DetailTypeAPICall       = "AWS API Call via CloudTrail"
	DetailTypeConsoleSignIn = "AWS Console Sign In via CloudTrail"
	DetailTypeServiceEvent  = "AWS Service Event via CloudTrail"
	DetailTypeConsoleAction = "AWS Console Action via CloudTrail"
)

// detailTypeFor derives the detail-type EventBridge would give a record with
// this eventType. Records from before eventType existed (eventVersion < 1.02)
// carry none: sign-in events then come from signin.amazonaws.com, and every
// other record was an API call.
func detailTypeFor(eventType, eventSource string) string {
	switch {
	case strings.EqualFold(eventType, "AwsApiCall"):
		return DetailTypeAPICall
	case strings.EqualFold(eventType, "AwsConsoleSignIn"): // "AwsConsoleSignin" occurs
		return DetailTypeConsoleSignIn
	case strings.EqualFold(eventType, "AwsServiceEvent"):
		return DetailTypeServiceEvent
	case strings.EqualFold(eventType, "AwsConsoleAction"):
		return DetailTypeConsoleAction
	case eventType != "" || eventSource == "":
		return ""
	case eventSource == "signin.amazonaws.com":
		return DetailTypeConsoleSignIn
	}
	return DetailTypeAPICall
}

// sourceFor derives the EventBridge source from a CloudTrail eventSource:
// "iam.amazonaws.com" becomes "aws.iam".
func sourceFor(eventSource string) string {
	if eventSource == "" {
		return ""
	}
	if s, ok := knownSources[eventSource]; ok {
		return s
	}
	return "aws." + strings.TrimSuffix(eventSource, ".amazonaws.com")
}

// knownSources maps common event sources to their EventBridge source, so the
// hot path need not build the string.
var knownSources = func() map[string]string {
	m := make(map[string]string)
	for _, s := range commonSources {
		m[s+".amazonaws.com"] = "aws." + s
	}
	return m
}()

var commonSources = []string{
	"iam", "sts", "signin", "s3", "ec2", "kms", "cloudtrail", "lambda", "organizations", "sso",
	"logs", "monitoring", "config", "guardduty", "securityhub", "secretsmanager", "ssm", "rds",
	"dynamodb", "sns", "sqs", "events", "cloudformation", "elasticloadbalancing", "autoscaling",
	"ecs", "eks", "ecr", "route53", "health", "access-analyzer", "glue", "athena", "apigateway",
	"cloudfront", "elasticfilesystem", "backup", "tagging", "resource-explorer-2", "account",
	"billingconsole", "ce", "support", "trustedadvisor", "identitystore", "sso-directory",
}

// interned holds low-cardinality values (event types, identity types, event
// and EventBridge sources, common error codes) so that Peek and DecodeRecord
// return shared strings instead of allocating one per record. It is built
// once and only read afterwards, so concurrent use is safe.
var interned = func() map[string]string {
	m := make(map[string]string)
	add := func(ss ...string) {
		for _, s := range ss {
			m[s] = s
		}
	}
	add("AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent", "AwsConsoleAction", "AwsCloudTrailInsight", "AwsVpceEvent")
	add("Root", "IAMUser", "AssumedRole", "FederatedUser", "AWSAccount", "AWSService", "Role",
		"IdentityCenterUser", "SAMLUser", "WebIdentityUser", "Directory", "Unknown")
	add("AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "NoSuchEntity",
		"NoSuchEntityException", "EntityAlreadyExists", "EntityAlreadyExistsException",
		"LimitExceededException", "ThrottlingException", "ValidationException", "InvalidClientTokenId")
	add("1.0", "1.01", "1.02", "1.03", "1.04", "1.05", "1.06", "1.07", "1.08", "1.09", "1.10", "1.11")
	add("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ca-central-1")
	add("AWS Internal", "true", "false", "Management")
	for _, s := range commonSources {
		add(s+".amazonaws.com", "aws."+s)
	}
	return m
}()

// intern returns b as a string, shared when b is a common value.
func intern(b []byte) string {
	if s, ok := interned[string(b)]; ok {
		return s
	}
	return string(b)
}
