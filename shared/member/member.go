package member

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// STSAPI is the one STS call the package makes.
type STSAPI interface {
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

var _ STSAPI = (*sts.Client)(nil)

// SessionSeconds is how long a session lasts: STS's shortest. A session
// serves one event, which a function handles within its timeout.
const SessionSeconds = 900

// Assumer opens responder sessions through STS.
type Assumer struct{ API STSAPI }

// New returns an Assumer over an STS client built from cfg (the function's
// own credentials).
func New(cfg aws.Config) Assumer { return Assumer{API: sts.NewFromConfig(cfg)} }

// Assume opens a session of roleARN named session and returns its
// credentials.
func (a Assumer) Assume(ctx context.Context, roleARN, session string) (aws.Credentials, error) {
	out, err := a.API.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String(session),
		DurationSeconds: aws.Int32(SessionSeconds),
	})
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("assume %s as session %s: %w", roleARN, session, err)
	}
	c := out.Credentials
	if c == nil || c.AccessKeyId == nil || c.SecretAccessKey == nil {
		return aws.Credentials{}, errors.New("assume " + roleARN + ": STS returned no credentials")
	}
	creds := aws.Credentials{
		AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: aws.ToString(c.SessionToken),
		Source: "iamguard-responder",
	}
	if c.Expiration != nil {
		creds.CanExpire, creds.Expires = true, *c.Expiration
	}
	return creds, nil
}
