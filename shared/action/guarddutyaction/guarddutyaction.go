// Package guarddutyaction carries out iamguard's GuardDuty response action
// (action.EnableDetector) for the functions whose rules plan it.
//
// It decides where to call: a detector lives in one Region, which the plan
// names, so it keeps one client per Region. It decides how GuardDuty's
// answers read: a BadRequestException on GetDetector means the detector is
// gone (GuardDuty has no not-found error), which only creating a new one
// fixes. It must never disable, delete or reconfigure a detector: the only
// change it makes is Enable true.
package guarddutyaction

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// enableDetectorAPI is what action.EnableDetector calls.
type enableDetectorAPI interface {
	GetDetector(ctx context.Context, in *guardduty.GetDetectorInput, optFns ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error)
	UpdateDetector(ctx context.Context, in *guardduty.UpdateDetectorInput, optFns ...func(*guardduty.Options)) (*guardduty.UpdateDetectorOutput, error)
}

var _ enableDetectorAPI = (*guardduty.Client)(nil)

// Executors returns the executor of every GuardDuty action, with one client
// per Region a plan names.
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, func(cfg aws.Config, region string) *guardduty.Client {
		return guardduty.NewFromConfig(cfg, func(o *guardduty.Options) { o.Region = region })
	})
	return remediate.Executors{action.EnableDetector.ID: enableDetector{api: func(region string) enableDetectorAPI { return clients.Get(region) }}}
}

type enableDetector struct {
	api func(region string) enableDetectorAPI
}

// Tags reads the detector's tags (GetDetector returns them); a detector
// that is gone has none, and Check says so.
func (e enableDetector) Tags(ctx context.Context, plan *finding.Remediation) (map[string]string, error) {
	id, region := plan.Parameters["DetectorId"], plan.Parameters["Region"]
	out, err := e.api(region).GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
	if gone(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get detector %s in %s: %w", id, region, err)
	}
	return out.Tags, nil
}

// Check reads the detector: enabled already means done; gone is refused.
func (e enableDetector) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	id, region := plan.Parameters["DetectorId"], plan.Parameters["Region"]
	out, err := e.api(region).GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
	switch {
	case gone(err):
		return "", &remediate.RefusedError{Reason: deletedSince(id, region)}
	case err != nil:
		return "", fmt.Errorf("get detector %s in %s: %w", id, region, err)
	case out.Status == types.DetectorStatusEnabled:
		return "nothing to undo: detector " + id + " is enabled", nil
	}
	return "", nil
}

func (e enableDetector) Do(ctx context.Context, plan *finding.Remediation) error {
	id, region := plan.Parameters["DetectorId"], plan.Parameters["Region"]
	_, err := e.api(region).UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(id), Enable: aws.Bool(true)})
	if gone(err) {
		return &remediate.RefusedError{Reason: deletedSince(id, region)}
	}
	if err != nil {
		return fmt.Errorf("enable detector %s in %s: %w", id, region, err)
	}
	return nil
}

func deletedSince(id, region string) string {
	return "GuardDuty rejected detector " + id + " in " + region + " (it is not, or no longer, a detector of this account): if the " +
		"Region has none, create one (aws guardduty create-detector --enable --region " + finding.ShellQuote(region) + ")"
}

// gone reports GuardDuty's answer for a detector that does not exist: a
// BadRequestException ("The request is rejected because the input
// detectorId is not owned by the current account").
func gone(err error) bool {
	var br *types.BadRequestException
	return errors.As(err, &br)
}
