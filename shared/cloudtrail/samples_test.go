package cloudtrail

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// samplesDir is the one sample corpus, shared with the other packages'
// tests; its MANIFEST.tsv records where each file came from.
const samplesDir = "../../events"

// sampleWant is what each real sample must decode to. The values were read
// off the files by hand and by an independent parser (Python's json), not by
// this package.
type sampleWant struct {
	file       string
	name       string // eventName
	source     string // eventSource
	identity   string // userIdentity.type
	errorCode  string
	invokedBy  string
	time       string // eventTime in RFC 3339, UTC
	readOnly   bool
	session    bool // userIdentity.sessionContext present
	mfaAuth    bool // sessionContext.attributes.mfaAuthenticated
	mfaUsed    bool // additionalEventData.MFAUsed is yes
	envelope   bool
	detailType string
}

var sampleWants = []sampleWant{
	{file: "AddUserToGroup-awsdocs-ct-1.json", name: "AddUserToGroup", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-03-25T21:08:14Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-awsdocs-iam-1.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-07-18T15:07:39Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-awsdocs-iam-2.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "AWSAccount", errorCode: "", invokedBy: "", time: "2014-07-18T15:07:39Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-awsdocs-iam-3.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-10-02T22:12:29Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-sekoia-1.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "AWSService", errorCode: "", invokedBy: "lambda.amazonaws.com", time: "2020-08-12T12:03:12Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-stratus-1.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-30T21:31:15Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-stratus-2.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-30T21:31:15Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AssumeRole-stratus-3.json", name: "AssumeRole", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "AccessDenied", invokedBy: "", time: "2024-07-30T21:31:12Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachGroupPolicy-elastic-integ-1.json", name: "AttachGroupPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T14:12:17Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachRolePolicy-elastic-integ-1.json", name: "AttachRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-15T08:28:01Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachRolePolicy-stratus-1.json", name: "AttachRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-blueteamlab-1.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "AccessDenied", invokedBy: "", time: "2025-06-26T12:23:48Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-elastic-integ-1.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-10-30T20:01:59Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-panther-1.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:23:52Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-stratus-1.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CheckMfa-awsdocs-ct-1.json", name: "CheckMfa", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-2.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: true, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-3.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: true, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-4.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-5.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: true, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-6.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-iam-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-07-08T17:35:27Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-iam-2.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2015-03-31T22:20:42Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-fivexl-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2000-01-03T16:14:51Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-fivexl-2.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2000-01-03T16:14:51Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: true, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-panther-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-06-02T19:41:40Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-sekoia-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2020-08-19T15:33:43Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-sekoia-2.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2022-09-08T15:01:59Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-stratus-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-02T08:53:24Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "CreateAccessKey-elastic-integ-1.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-08T20:43:06Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateAccessKey-panther-1.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "LimitExceededException", invokedBy: "", time: "2023-01-03T01:52:07Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateAccessKey-stratus-1.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateAccessKey-stratus-2.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-30T21:53:13Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateBucket-custodian-1.json", name: "CreateBucket", source: "s3.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2016-06-04T12:19:03Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateBucket-custodian-2.json", name: "CreateBucket", source: "s3.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2015-11-23T07:45:25Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateInstanceExportTask-sekoia-1.json", name: "CreateInstanceExportTask", source: "ec2.amazonaws.com", identity: "Root", errorCode: "Client.AuthFailure", invokedBy: "", time: "2020-09-22T15:05:22Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateLoginProfile-stratus-1.json", name: "CreateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:42:21Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreatePolicyVersion-unknownrepo-poc-1.json", name: "CreatePolicyVersion", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-14T18:47:25Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreatePolicy-elastic-integ-1.json", name: "CreatePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-29T14:43:20Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-stratus-1.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateUser-awsdocs-ct-1.json", name: "CreateUser", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-03-24T21:11:59Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateUser-sekoia-1.json", name: "CreateUser", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2020-08-12T12:16:24Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateUser-stratus-1.json", name: "CreateUser", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeactivateMFADevice-elastic-beats-1.json", name: "DeactivateMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T00:34:02Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteBucket-awsdocs-iam-1.json", name: "DeleteBucket", source: "s3.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2016-11-14T17:25:45Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteLoginProfile-stratus-1.json", name: "DeleteLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "EntityTemporarilyUnmodifiableException", invokedBy: "", time: "2024-08-01T13:42:22Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteTrail-fivexl-1.json", name: "DeleteTrail", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2000-01-03T16:14:51Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteTrail-stratus-1.json", name: "DeleteTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T12:46:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DescribeEventAggregates-fivexl-1.json", name: "DescribeEventAggregates", source: "health.amazonaws.com", identity: "AssumedRole", errorCode: "AccessDenied", invokedBy: "", time: "2000-01-03T16:14:51Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DescribeInstances-moussa-cloudgoat-1.json", name: "DescribeInstances", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "Client.UnauthorizedOperation", invokedBy: "", time: "2026-09-04T06:01:56Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DescribeInstances-stratus-1.json", name: "DescribeInstances", source: "ec2.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-08-02T08:23:56Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "EnableMFADevice-awsdocs-ct-1.json", name: "EnableMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetCallerIdentity-elastic-integ-1.json", name: "GetCallerIdentity", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-11-02T00:20:40Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetCallerIdentity-moussa-cloudgoat-1.json", name: "GetCallerIdentity", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-04T05:06:40Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetCallerIdentity-stratus-1.json", name: "GetCallerIdentity", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:42:21Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetCallerIdentity-stratus-2.json", name: "GetCallerIdentity", source: "sts.amazonaws.com", identity: "FederatedUser", errorCode: "", invokedBy: "", time: "2024-11-30T08:43:18Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetCallerIdentity-stratus-3.json", name: "GetCallerIdentity", source: "sts.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-08-02T08:23:55Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetFederationToken-stratus-1.json", name: "GetFederationToken", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-11-30T08:43:17Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetPasswordData-stratus-1.json", name: "GetPasswordData", source: "ec2.amazonaws.com", identity: "AssumedRole", errorCode: "Client.UnauthorizedOperation", invokedBy: "", time: "2024-07-30T21:31:21Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetPolicyVersion-moussa-cloudgoat-1.json", name: "GetPolicyVersion", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-04T05:36:30Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetUserPolicy-awsdocs-iam-1.json", name: "GetUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2014-07-15T21:40:14Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "LeaveOrganization-stratus-1.json", name: "LeaveOrganization", source: "organizations.amazonaws.com", identity: "AssumedRole", errorCode: "AccessDenied", invokedBy: "", time: "2024-08-02T08:30:00Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListAttachedRolePolicies-elastic-integ-1.json", name: "ListAttachedRolePolicies", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-30T20:57:27Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListAttachedUserPolicies-moussa-cloudgoat-1.json", name: "ListAttachedUserPolicies", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-04T05:11:17Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListBuckets-awsdocs-s3-1.json", name: "ListBuckets", source: "s3.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2019-02-01T03:18:19Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListFunctions20150331-panther-1.json", name: "ListFunctions20150331", source: "lambda.amazonaws.com", identity: "IAMUser", errorCode: "AccessDenied", invokedBy: "", time: "2024-06-02T20:16:32Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListSecrets-stratus-1.json", name: "ListSecrets", source: "secretsmanager.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T12:36:48Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ListUsers-unknownrepo-evidence-1.json", name: "ListUsers", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-08-27T19:29:24Z", readOnly: true, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "LookupEvents-sekoia-1.json", name: "LookupEvents", source: "cloudtrail.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2020-08-12T12:26:51Z", readOnly: true, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ModifyDBInstance-sekoia-1.json", name: "ModifyDBInstance", source: "rds.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-09-01T14:13:11Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ModifyInstanceAttribute-sekoia-1.json", name: "ModifyInstanceAttribute", source: "ec2.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-09-01T13:09:23Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PasswordUpdated-awsdocs-ct-1.json", name: "PasswordUpdated", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "PutClusterCapacityProviders-sekoia-1.json", name: "PutClusterCapacityProviders", source: "ecs.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-09-29T15:06:45Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutEventSelectors-stratus-1.json", name: "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T12:50:02Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutKeyPolicy-awsdocs-kms-1.json", name: "PutKeyPolicy", source: "kms.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-09-01T20:06:16Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutObject-awsdocs-s3-1.json", name: "PutObject", source: "s3-outposts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2020-11-30T15:44:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutResourcePolicy-custodian-1.json", name: "PutResourcePolicy", source: "glue.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2020-06-04T15:18:28Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutRolePolicy-unknownrepo-pyfixture-1.json", name: "PutRolePolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2025-10-06T06:33:34Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutUserPolicy-panther-1.json", name: "PutUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2020-04-10T06:22:08Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutUserPolicy-panther-2.json", name: "PutUserPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:31:17Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "RunInstances-custodian-1.json", name: "RunInstances", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2016-07-24T10:57:13Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "SetDefaultPolicyVersion-moussa-cloudgoat-1.json", name: "SetDefaultPolicyVersion", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-04T06:01:51Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopInstances-awsdocs-ct-1.json", name: "StopInstances", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-03-06T21:01:59Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopLogging-fivexl-1.json", name: "StopLogging", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2000-01-03T16:14:51Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopLogging-stratus-1.json", name: "StopLogging", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T13:06:24Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-elastic-integ-1.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-15T08:29:21Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-stratus-1.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-elastic-beats-1.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T18:25:42Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-stratus-1.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-28T09:54:40Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateTrail-awsdocs-ct-1.json", name: "UpdateTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "TrailNotFoundException", invokedBy: "", time: "2016-07-14T19:15:45Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateTrail-elastic-integ-1.json", name: "UpdateTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "TrailNotFoundException", invokedBy: "", time: "2016-07-14T19:15:45Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateTrail-elastic-integ-2.json", name: "UpdateTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-08T20:58:45Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	// Samples made from the ones above: EventBridge envelopes and derived
	// cases. Values read by Python's json, as above.
	{file: "AttachUserPolicy-stratus-1-eventbridge.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-1-eventbridge.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-4-eventbridge.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-awsdocs-ct-5-eventbridge-docspelling.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: true, envelope: true, detailType: "AWS Console Signin via CloudTrail"},
	{file: "CreateAccessKey-root-derived.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateAccessKey-self-derived.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateAccessKey-stratus-1-eventbridge.json", name: "CreateAccessKey", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "CreatePolicyVersion-nondefault-derived.json", name: "CreatePolicyVersion", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2026-09-14T18:47:25Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutGroupPolicy-derived.json", name: "PutGroupPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:31:17Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutKeyPolicy-awsdocs-kms-1-eventbridge.json", name: "PutKeyPolicy", source: "kms.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-09-01T20:06:16Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutRolePolicy-admin-derived.json", name: "PutRolePolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:31:17Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutUserPolicy-admin-derived.json", name: "PutUserPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:31:17Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "TagRole-exempt-derived.json", name: "TagRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "TagUser-benign-derived.json", name: "TagUser", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UntagRole-exempt-derived.json", name: "UntagRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateTrail-elastic-beats-1.json", name: "CreateTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-08T15:30:25Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteEventDataStore-unknownrepo-ctguide-1-derived.json", name: "DeleteEventDataStore", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-07-21T21:57:28Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteTrail-elastic-beats-1.json", name: "DeleteTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2020-01-09T20:09:51Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteTrail-unknownrepo-soclabs-1.json", name: "DeleteTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2025-05-30T08:32:04Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutEventSelectors-panther-1.json", name: "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-11-25T17:51:21Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutEventSelectors-panther-2-readonly.json", name: "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-11-25T17:51:21Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutEventSelectors-panther-2.json", name: "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-11-25T17:51:21Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutEventSelectors-unknownrepo-soclabs-1.json", name: "PutEventSelectors", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2025-05-30T09:39:37Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StartEventDataStoreIngestion-unknownrepo-ctguide-1.json", name: "StartEventDataStoreIngestion", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-07-21T21:57:28Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StartLogging-awsdocs-ct-1.json", name: "StartLogging", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2019-06-19T00:18:31Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StartLogging-elastic-beats-1.json", name: "StartLogging", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-08T15:30:25Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopEventDataStoreIngestion-unknownrepo-ctguide-1-derived.json", name: "StopEventDataStoreIngestion", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-07-21T21:57:28Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopLogging-elastic-beats-1.json", name: "StopLogging", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-09T16:46:16Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopLogging-panther-1.json", name: "StopLogging", source: "cloudtrail.amazonaws.com", identity: "AssumedRole", errorCode: "InvalidTrailNameException", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopLogging-unknownrepo-soclabs-1.json", name: "StopLogging", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2025-06-03T07:42:08Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateTrail-panther-1.json", name: "UpdateTrail", source: "cloudtrail.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-03-01T00:00:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: ""},
	{file: "ConsoleLogin-elastic-beats-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-07-16T15:49:27Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "ConsoleLogin-elastic-integ-1.json", name: "ConsoleLogin", source: "signin.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2014-07-08T17:35:27Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "CreateLoginProfile-cloudbuddy-1.json", name: "CreateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2018-06-08T15:31:37Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateLoginProfile-self-derived.json", name: "CreateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:42:21Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeactivateMFADevice-cloudbuddy-1.json", name: "DeactivateMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2018-06-09T18:54:20Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "DeactivateMFADevice-other-derived.json", name: "DeactivateMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T00:34:02Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeactivateMFADevice-root-derived.json", name: "DeactivateMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteAccountPasswordPolicy-derived.json", name: "DeleteAccountPasswordPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T18:05:33Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteVirtualMFADevice-cloudbuddy-1.json", name: "DeleteVirtualMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2018-06-09T18:54:20Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteVirtualMFADevice-elastic-beats-1.json", name: "DeleteVirtualMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T00:34:02Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetFederationToken-nopolicy-derived.json", name: "GetFederationToken", source: "sts.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-11-30T08:43:17Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetSigninToken-panther-1.json", name: "GetSigninToken", source: "signin.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-01-15T10:30:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "GetSigninToken-panther-2.json", name: "GetSigninToken", source: "signin.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-01-15T10:30:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAccountPasswordPolicy-cloudbuddy-1.json", name: "UpdateAccountPasswordPolicy", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2018-06-15T01:13:54Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAccountPasswordPolicy-elastic-beats-1.json", name: "UpdateAccountPasswordPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T18:05:33Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAccountPasswordPolicy-strong-derived.json", name: "UpdateAccountPasswordPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T18:05:33Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-panther-1.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2022-09-15T13:45:24Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-panther-2.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2022-09-15T13:45:24Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-panther-3.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2022-09-15T13:45:24Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateLoginProfile-self-derived.json", name: "UpdateLoginProfile", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-10T18:25:42Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AddClientIDToOpenIDConnectProvider-derived.json", name: "AddClientIDToOpenIDConnectProvider", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachManagedPolicyToPermissionSet-admin-derived.json", name: "AttachManagedPolicyToPermissionSet", source: "sso.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:48:16Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachManagedPolicyToPermissionSet-readonly-derived.json", name: "AttachManagedPolicyToPermissionSet", source: "sso.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:48:16Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateOpenIDConnectProvider-derived.json", name: "CreateOpenIDConnectProvider", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreatePermissionSet-unknownrepo-orgnotes-1.json", name: "CreatePermissionSet", source: "sso.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:48:16Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateProfile-stratus-1.json", name: "CreateProfile", source: "rolesanywhere.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:56:39Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-awsdocs-ct-1.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-03-25T20:17:37Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-github-nosub-derived.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-github-scoped-derived.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-github-subwildcard-derived.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-lambda-derived.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-unknownrepo-orgnotes-1.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "sso.amazonaws.com", time: "2023-04-25T19:24:50Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateSAMLProvider-panther-1.json", name: "CreateSAMLProvider", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "cloudformation.amazonaws.com", time: "2021-10-14T21:25:20Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateSAMLProvider-panther-2.json", name: "CreateSAMLProvider", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "sso.amazonaws.com", time: "2022-12-12T21:46:17Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateTrustAnchor-elastic-integ-1.json", name: "CreateTrustAnchor", source: "rolesanywhere.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-10T12:55:43Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateTrustAnchor-stratus-1.json", name: "CreateTrustAnchor", source: "rolesanywhere.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:56:39Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteRolePermissionsBoundary-semper-1.json", name: "DeleteRolePermissionsBoundary", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-02-10T13:38:29Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteUserPermissionsBoundary-derived.json", name: "DeleteUserPermissionsBoundary", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-02-10T13:38:29Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutInlinePolicyToPermissionSet-derived.json", name: "PutInlinePolicyToPermissionSet", source: "sso.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:48:16Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutRolePermissionsBoundary-admin-derived.json", name: "PutRolePermissionsBoundary", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-02-10T13:38:29Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutUserPermissionsBoundary-readonly-derived.json", name: "PutUserPermissionsBoundary", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-02-10T13:38:29Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "PutUserPolicy-panther-3.json", name: "PutUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2020-04-10T06:22:08Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-anyone-derived.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-anyone-orgid-derived.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-externalid-derived.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-ownroot-derived.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:29:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-panther-1.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-panther-2.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateAssumeRolePolicy-panther-3.json", name: "UpdateAssumeRolePolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateOpenIDConnectProviderThumbprint-derived.json", name: "UpdateOpenIDConnectProviderThumbprint", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateProfile-unknownrepo-rauguide-1.json", name: "UpdateProfile", source: "rolesanywhere.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2022-07-01T18:11:27Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateSAMLProvider-panther-1.json", name: "UpdateSAMLProvider", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "cloudformation.amazonaws.com", time: "2021-10-14T21:25:20Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED-healthtools-1.json", name: "", source: "", identity: "", errorCode: "", invokedBy: "", time: "0001-01-01T00:00:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS Health Event"},
	{file: "AWS_RISK_CREDENTIALS_EXPOSED-awssamples-1.json", name: "", source: "", identity: "", errorCode: "", invokedBy: "", time: "0001-01-01T00:00:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS Health Event"},
	{file: "AWS_RISK_CREDENTIALS_EXPOSED-healthtools-1.json", name: "", source: "", identity: "", errorCode: "", invokedBy: "", time: "0001-01-01T00:00:00Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS Health Event"},
	{file: "AddUserToGroup-developers-derived.json", name: "AddUserToGroup", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2023-11-20T09:15:00Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AddUserToGroup-unknownrepo-gotest-1.json", name: "AddUserToGroup", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2018-03-21T19:59:36Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-quarantine-byuser-derived.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:33:28Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachUserPolicy-quarantineV3-derived.json", name: "AttachUserPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2023-11-21T23:23:52Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteDeliveryChannel-panther-1.json", name: "DeleteDeliveryChannel", source: "config.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteDeliveryChannel-panther-2.json", name: "DeleteDeliveryChannel", source: "config.amazonaws.com", identity: "AssumedRole", errorCode: "NoSuchDeliveryChannelException", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteFlowLogs-panther-1.json", name: "DeleteFlowLogs", source: "ec2.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-11-26T19:29:38Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteFlowLogs-stratus-1.json", name: "DeleteFlowLogs", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T15:07:49Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteResolverQueryLogConfig-panther-1.json", name: "DeleteResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-11-27T18:18:58Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteResolverQueryLogConfig-stratus-1.json", name: "DeleteResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-07-31T14:23:46Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "LeaveOrganization-panther-1.json", name: "LeaveOrganization", source: "organizations.amazonaws.com", identity: "AssumedRole", errorCode: "AccessDenied", invokedBy: "", time: "2025-01-20T15:59:33Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutDeliveryChannel-panther-1.json", name: "PutDeliveryChannel", source: "config.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "TagPolicy-canary-derived.json", name: "TagPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-08-02T08:30:00Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "TagPolicy-canary-forged-derived.json", name: "TagPolicy", source: "iam.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-08-02T08:30:00Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachPolicy-awsdocs-orgs-1.json", name: "AttachPolicy", source: "organizations.amazonaws.com", identity: "IAMUser", errorCode: "PolicyTypeNotEnabledException", invokedBy: "", time: "2017-01-18T21:42:44Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AttachPolicy-unknownrepo-orgnotes-1.json", name: "AttachPolicy", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:33:27Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CloseAccount-awsdocs-orgs-1.json", name: "CloseAccount", source: "organizations.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2022-03-18T18:17:06Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CloseAccountResult-awsdocs-orgs-1.json", name: "CloseAccountResult", source: "organizations.amazonaws.com", identity: "", errorCode: "", invokedBy: "organizations.amazonaws.com", time: "2022-03-18T18:17:06Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Service Event via CloudTrail"},
	{file: "CreateAnalyzer-awsdocs-iam-1.json", name: "CreateAnalyzer", source: "access-analyzer.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2021-06-14T22:57:36Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateDetector-elastic-integ-1.json", name: "CreateDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:32Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateFlowLogs-derived.json", name: "CreateFlowLogs", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T09:08:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreatePolicy-unknownrepo-orgnotes-1.json", name: "CreatePolicy", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:09:05Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteAnalyzer-derived.json", name: "DeleteAnalyzer", source: "access-analyzer.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2021-06-14T22:57:36Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteConfigurationRecorder-derived.json", name: "DeleteConfigurationRecorder", source: "config.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-12-11T18:35:13Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteDeliveryChannel-awsdocs-config-1.json", name: "DeleteDeliveryChannel", source: "config.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-12-11T18:32:57Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteDetector-elastic-integ-1.json", name: "DeleteDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteFlowLogs-elastic-integ-1.json", name: "DeleteFlowLogs", source: "ec2.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T09:08:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteLogGroup-elastic-integ-1.json", name: "DeleteLogGroup", source: "logs.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-16T11:52:46Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteLogGroup-lambda-derived.json", name: "DeleteLogGroup", source: "logs.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-16T11:52:46Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeletePolicy-derived.json", name: "DeletePolicy", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:39:22Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DeleteResolverQueryLogConfig-elastic-integ-1.json", name: "DeleteResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T12:02:30Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DescribeOrganization-permiso-1.json", name: "DescribeOrganization", source: "organizations.amazonaws.com", identity: "", errorCode: "", invokedBy: "", time: "2024-04-13T05:11:49Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DetachPolicy-unknownrepo-orgnotes-1.json", name: "DetachPolicy", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:39:22Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisablePolicyType-unknownrepo-orgnotes-1.json", name: "DisablePolicyType", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:20:55Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisableSecurityHub-derived.json", name: "DisableSecurityHub", source: "securityhub.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2018-11-25T01:02:18Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisassociateFromAdministratorAccount-derived.json", name: "DisassociateFromAdministratorAccount", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisassociateFromMasterAccount-derived.json", name: "DisassociateFromMasterAccount", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisassociateResolverQueryLogConfig-derived.json", name: "DisassociateResolverQueryLogConfig", source: "route53resolver.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T12:02:30Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "EnablePolicyType-derived.json", name: "EnablePolicyType", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:20:55Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "EnableSecurityHub-derived.json", name: "EnableSecurityHub", source: "securityhub.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2018-11-25T01:02:18Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "LeaveOrganization-success-derived.json", name: "LeaveOrganization", source: "organizations.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2024-08-02T08:30:00Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "MoveAccount-sea-1.json", name: "MoveAccount", source: "organizations.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2020-07-28T11:35:28Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "RemoveAccountFromOrganization-sea-1.json", name: "RemoveAccountFromOrganization", source: "organizations.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2020-07-28T12:42:51Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "StartConfigurationRecorder-awsdocs-config-1.json", name: "StartConfigurationRecorder", source: "config.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-12-11T18:35:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopConfigurationRecorder-awsdocs-config-1.json", name: "StopConfigurationRecorder", source: "config.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2014-12-11T18:35:13Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "StopConfigurationRecorder-elastic-integ-1.json", name: "StopConfigurationRecorder", source: "config.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-11T09:29:18Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateDetector-disable-derived.json", name: "UpdateDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateDetector-enable-derived.json", name: "UpdateDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateDetector-features-derived.json", name: "UpdateDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateDetector-frequency-derived.json", name: "UpdateDetector", source: "guardduty.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-09-27T13:39:33Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdatePolicy-unknownrepo-orgnotes-1.json", name: "UpdatePolicy", source: "organizations.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2023-04-25T00:40:33Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AddPermission20150331v2-stratus-1.json", name: "AddPermission20150331v2", source: "lambda.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:47:16Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisableRule-iamguard-derived.json", name: "DisableRule", source: "events.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:52:02Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PutFunctionConcurrency20171031-iamguard-derived.json", name: "PutFunctionConcurrency20171031", source: "lambda.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:52:02Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateFunctionCode20150331v2-cloudformation-derived.json", name: "UpdateFunctionCode20150331v2", source: "lambda.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "cloudformation.amazonaws.com", time: "2024-08-01T13:52:02Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateFunctionCode20150331v2-iamguard-derived.json", name: "UpdateFunctionCode20150331v2", source: "lambda.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:52:02Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "UpdateFunctionCode20150331v2-stratus-1.json", name: "UpdateFunctionCode20150331v2", source: "lambda.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:52:02Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisableKey-iamguard-derived.json", name: "DisableKey", source: "kms.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "DisableKey-panther-1.json", name: "DisableKey", source: "kms.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ScheduleKeyDeletion-iamguard-derived.json", name: "ScheduleKeyDeletion", source: "kms.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ScheduleKeyDeletion-panther-1.json", name: "ScheduleKeyDeletion", source: "kms.amazonaws.com", identity: "AssumedRole", errorCode: "", invokedBy: "", time: "2019-01-01T00:00:00Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "PasswordUpdated-failure-derived.json", name: "PasswordUpdated", source: "signin.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "", time: "2022-11-10T16:24:34Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS Console Sign In via CloudTrail"},
	{file: "AddUserToGroup-failed-derived.json", name: "AddUserToGroup", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "AccessDenied", invokedBy: "", time: "2014-03-25T21:08:14Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "AddUserToGroup-readonly-derived.json", name: "AddUserToGroup", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-10-08T14:13:17Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateVirtualMFADevice-cloudbuddy-1.json", name: "CreateVirtualMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2018-06-09T18:48:30Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "DeactivateMFADevice-failed-derived.json", name: "DeactivateMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "AccessDenied", invokedBy: "signin.amazonaws.com", time: "2020-01-10T00:34:02Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "EnableMFADevice-cloudbuddy-1.json", name: "EnableMFADevice", source: "iam.amazonaws.com", identity: "Root", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2018-06-09T18:49:06Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: true, detailType: "AWS API Call via CloudTrail"},
	{file: "EnableMFADevice-elastic-beats-1.json", name: "EnableMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2019-11-27T15:11:09Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "RemoveUserFromGroup-elastic-beats-1.json", name: "RemoveUserFromGroup", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "signin.amazonaws.com", time: "2020-01-06T15:19:50Z", readOnly: false, session: true, mfaAuth: true, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "ResyncMFADevice-derived.json", name: "ResyncMFADevice", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2019-11-27T15:11:09Z", readOnly: false, session: true, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
	{file: "CreateRole-exempt-tag-derived.json", name: "CreateRole", source: "iam.amazonaws.com", identity: "IAMUser", errorCode: "", invokedBy: "", time: "2024-08-01T13:37:41Z", readOnly: false, session: false, mfaAuth: false, mfaUsed: false, envelope: false, detailType: "AWS API Call via CloudTrail"},
}

func readSample(t testing.TB, file string) []byte {
	t.Helper()
	b, err := readSampleFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readSampleFile(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join(samplesDir, file))
}

func sampleFiles(t testing.TB) []string {
	t.Helper()
	names, err := sampleFileNames()
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func sampleFileNames() ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(samplesDir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, errors.New("no samples under " + samplesDir)
	}
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return paths, nil
}

// TestSamplesCovered keeps the table, the files and their provenance in step.
func TestSamplesCovered(t *testing.T) {
	files := sampleFiles(t)
	var inTable []string
	for _, w := range sampleWants {
		inTable = append(inTable, w.file)
	}
	slices.Sort(inTable)
	if diff := cmp.Diff(files, inTable); diff != "" {
		t.Errorf("sample files vs. sampleWants table (-files +table):\n%s", diff)
	}

	f, err := os.Open(filepath.Join(samplesDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		listed[strings.SplitN(sc.Text(), "\t", 2)[0]] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if !listed[file] {
			t.Errorf("%s is not in MANIFEST.tsv: record where it came from", file)
		}
	}
}

func TestDecodeRecordSamples(t *testing.T) {
	for _, w := range sampleWants {
		t.Run(strings.TrimSuffix(w.file, ".json"), func(t *testing.T) {
			raw := readSample(t, w.file)
			r, err := DecodeRecord(raw)
			if err != nil {
				t.Fatalf("DecodeRecord(%s) error: %v", w.file, err)
			}
			got := sampleWant{
				file:       w.file,
				name:       r.EventName,
				source:     r.EventSource,
				identity:   r.UserIdentity.Type,
				errorCode:  r.ErrorCode,
				invokedBy:  r.UserIdentity.InvokedBy,
				time:       r.EventTime.Format(time.RFC3339Nano),
				readOnly:   r.ReadOnly,
				session:    r.UserIdentity.SessionContext != nil,
				mfaAuth:    r.UserIdentity.SessionContext != nil && r.UserIdentity.SessionContext.MFAAuthenticated,
				mfaUsed:    r.MFAUsed(),
				envelope:   r.Envelope != nil,
				detailType: r.DetailType(),
			}
			if diff := cmp.Diff(w, got, cmp.AllowUnexported(sampleWant{})); diff != "" {
				t.Errorf("DecodeRecord(%s) mismatch (-want +got):\n%s", w.file, diff)
			}
			// A sign-in's failure is its outcome in responseElements.
			signinFailure := w.source == "signin.amazonaws.com" && signinFailures[w.file]
			if got, want := r.Failed(), w.errorCode != "" || signinFailure; got != want {
				t.Errorf("DecodeRecord(%s).Failed() = %v, want %v", w.file, got, want)
			}
			if r.EventTime.Location() != time.UTC {
				t.Errorf("DecodeRecord(%s).EventTime location = %v, want UTC", w.file, r.EventTime.Location())
			}
			if !json.Valid(r.Raw) {
				t.Errorf("DecodeRecord(%s).Raw is not valid JSON: %s", w.file, r.Raw)
			}
		})
	}
}

// TestPeekAgreesOnSamples checks the fast path against the full decoder on
// every real sample.
func TestPeekAgreesOnSamples(t *testing.T) {
	for _, file := range sampleFiles(t) {
		raw := readSample(t, file)
		r, err := DecodeRecord(raw)
		if err != nil {
			t.Fatalf("DecodeRecord(%s) error: %v", file, err)
		}
		got, err := Peek(raw)
		if err != nil {
			t.Fatalf("Peek(%s) error: %v", file, err)
		}
		if diff := cmp.Diff(summaryOf(r), got); diff != "" {
			t.Errorf("Peek(%s) disagrees with DecodeRecord (-want +got):\n%s", file, diff)
		}
	}
}

// summaryOf is the Summary that Peek must return for the input r came from.
func summaryOf(r *Record) Summary {
	return Summary{
		Source:        r.Source(),
		DetailType:    r.DetailType(),
		EventSource:   r.EventSource,
		EventName:     r.EventName,
		EventType:     r.EventType,
		ErrorCode:     r.ErrorCode,
		IdentityType:  r.UserIdentity.Type,
		InvokedBy:     r.UserIdentity.InvokedBy,
		EventTypeCode: r.Field("eventTypeCode"),
	}
}

// signinFailures are the sign-in samples whose responseElements report
// "Failure" under the event's name.
var signinFailures = map[string]bool{
	"ConsoleLogin-awsdocs-ct-3.json":       true,
	"ConsoleLogin-awsdocs-ct-6.json":       true,
	"ConsoleLogin-awsdocs-iam-1.json":      true,
	"ConsoleLogin-awsdocs-iam-2.json":      true,
	"ConsoleLogin-elastic-integ-1.json":    true,
	"PasswordUpdated-failure-derived.json": true,
}
