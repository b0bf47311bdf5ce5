// Package trailaction carries out iamguard's CloudTrail response action
// (action.StartLogging) for the functions whose rules plan it.
//
// It decides where to call: a trail must be started in its home Region,
// which the plan names, so it keeps one client per Region. It decides how
// CloudTrail's answers read: TrailNotFoundException means there is nothing
// left to start. It must never stop, delete or reconfigure a trail, and never
// act on a trail tagged with the exempt tag.
package trailaction

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// startLoggingAPI is what action.StartLogging calls.
type startLoggingAPI interface {
	GetTrail(ctx context.Context, in *cloudtrail.GetTrailInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailOutput, error)
	ListTags(ctx context.Context, in *cloudtrail.ListTagsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error)
	GetTrailStatus(ctx context.Context, in *cloudtrail.GetTrailStatusInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
	StartLogging(ctx context.Context, in *cloudtrail.StartLoggingInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.StartLoggingOutput, error)
}

var _ startLoggingAPI = (*cloudtrail.Client)(nil)

// Executors returns the executor of every CloudTrail action, with clients
// built from cfg for each Region a plan names (once per Region per cold
// start).
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, newClient)
	return remediate.Executors{action.StartLogging.ID: startLogging{api: func(region string) startLoggingAPI { return clients.Get(region) }}}
}

// startLogging starts a stopped trail in its home Region.
type startLogging struct {
	api func(region string) startLoggingAPI
}

func (e startLogging) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	name, region := plan.Parameters["Name"], plan.Parameters["Region"]
	api := e.api(region)
	tr, err := api.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
	if err != nil {
		if gone(err) {
			return nil, nil // the status check says so
		}
		return nil, fmt.Errorf("get trail %s in %s: %w", name, region, err)
	}
	if tr.Trail == nil || tr.Trail.TrailARN == nil {
		return nil, fmt.Errorf("get trail %s in %s: CloudTrail returned no trail ARN", name, region)
	}
	out, err := api.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{aws.ToString(tr.Trail.TrailARN)}})
	if err != nil {
		return nil, fmt.Errorf("list tags of trail %s: %w", aws.ToString(tr.Trail.TrailARN), err)
	}
	tags := map[string]string{}
	for _, rt := range out.ResourceTagList {
		for _, t := range rt.TagsList {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return tags, nil
}

// Check reads the trail's status: logging already, or gone, means done.
func (e startLogging) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	name, region := plan.Parameters["Name"], plan.Parameters["Region"]
	st, err := e.api(region).GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
	switch {
	case gone(err):
		// Not "already undone": a trail stopped and then deleted is the
		// worse case, and nothing is logging.
		return "", &remediate.RefusedError{Reason: deletedSince(name, region)}
	case err != nil:
		return "", fmt.Errorf("get the status of trail %s in %s: %w", name, region, err)
	case aws.ToBool(st.IsLogging):
		return "nothing to undo: trail " + name + " is logging", nil
	}
	return "", nil
}

func (e startLogging) Do(ctx context.Context, plan *finding.Remediation) error {
	name, region := plan.Parameters["Name"], plan.Parameters["Region"]
	_, err := e.api(region).StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	if gone(err) {
		return &remediate.RefusedError{Reason: deletedSince(name, region)}
	}
	if err != nil {
		return fmt.Errorf("start logging on trail %s in %s: %w", name, region, err)
	}
	return nil
}

// deletedSince says that the stopped trail was deleted since, and how to
// recreate it.
func deletedSince(name, region string) string {
	return "CloudTrail says trail " + name + " no longer exists in " + region + ": it was deleted after it was stopped, and nothing " +
		"logs; recreate a multi-Region trail and start it: aws cloudtrail create-trail --name NAME --s3-bucket-name BUCKET " +
		"--is-multi-region-trail --include-global-service-events --enable-log-file-validation --region " + region +
		" && aws cloudtrail start-logging --name NAME --region " + region
}

func gone(err error) bool {
	var nf *types.TrailNotFoundException
	return errors.As(err, &nf)
}

// newClient builds the CloudTrail client of one Region.
func newClient(cfg aws.Config, region string) *cloudtrail.Client {
	return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = region })
}
