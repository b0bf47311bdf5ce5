// Package configaction carries out iamguard's AWS Config response action
// (action.StartConfigurationRecorder) for the functions whose rules plan it.
//
// It decides where to call: a recorder lives in one Region, which the plan
// names, so it keeps one client per Region. It decides how Config's answers
// read: NoSuchConfigurationRecorderException means the recorder was deleted
// since, and NoAvailableDeliveryChannelException that its delivery channel
// was; neither is fixed by starting. It must never stop, delete or
// reconfigure a recorder.
package configaction

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// startRecorderAPI is what action.StartConfigurationRecorder calls.
type startRecorderAPI interface {
	DescribeConfigurationRecorderStatus(ctx context.Context, in *configservice.DescribeConfigurationRecorderStatusInput,
		optFns ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecorderStatusOutput, error)
	StartConfigurationRecorder(ctx context.Context, in *configservice.StartConfigurationRecorderInput,
		optFns ...func(*configservice.Options)) (*configservice.StartConfigurationRecorderOutput, error)
}

var _ startRecorderAPI = (*configservice.Client)(nil)

// Executors returns the executor of every AWS Config action, with one
// client per Region a plan names.
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, func(cfg aws.Config, region string) *configservice.Client {
		return configservice.NewFromConfig(cfg, func(o *configservice.Options) { o.Region = region })
	})
	return remediate.Executors{action.StartConfigurationRecorder.ID: startRecorder{api: func(region string) startRecorderAPI { return clients.Get(region) }}}
}

type startRecorder struct {
	api func(region string) startRecorderAPI
}

// Tags: the exemption for a recorder is its ARN pattern in exemptTargets;
// iamguard does not read a recorder's tags.
func (startRecorder) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, nil
}

// Check reads the recorder's status: recording already means done; gone is
// refused.
func (e startRecorder) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	name, region := plan.Parameters["ConfigurationRecorderName"], plan.Parameters["Region"]
	out, err := e.api(region).DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{
		ConfigurationRecorderNames: []string{name}})
	switch {
	case gone(err):
		return "", &remediate.RefusedError{Reason: deletedSince(name, region)}
	case err != nil:
		return "", fmt.Errorf("describe the status of configuration recorder %s in %s: %w", name, region, err)
	}
	for _, st := range out.ConfigurationRecordersStatus {
		if aws.ToString(st.Name) == name && st.Recording {
			return "nothing to undo: configuration recorder " + name + " is recording", nil
		}
	}
	return "", nil
}

func (e startRecorder) Do(ctx context.Context, plan *finding.Remediation) error {
	name, region := plan.Parameters["ConfigurationRecorderName"], plan.Parameters["Region"]
	_, err := e.api(region).StartConfigurationRecorder(ctx, &configservice.StartConfigurationRecorderInput{ConfigurationRecorderName: aws.String(name)})
	var noChannel *types.NoAvailableDeliveryChannelException
	switch {
	case gone(err):
		return &remediate.RefusedError{Reason: deletedSince(name, region)}
	case errors.As(err, &noChannel):
		return &remediate.RefusedError{Reason: "AWS Config says recorder " + name + " in " + region + " has no delivery channel any more: " +
			"recreate it (aws configservice put-delivery-channel --region " + finding.ShellQuote(region) + "), then aws configservice " +
			"start-configuration-recorder --configuration-recorder-name " + finding.ShellQuote(name) + " --region " + finding.ShellQuote(region)}
	case err != nil:
		return fmt.Errorf("start configuration recorder %s in %s: %w", name, region, err)
	}
	return nil
}

func deletedSince(name, region string) string {
	return "AWS Config says configuration recorder " + name + " no longer exists in " + region + ": recreate it and its delivery " +
		"channel (aws configservice put-configuration-recorder and put-delivery-channel --region " + region + "), then start it"
}

func gone(err error) bool {
	var nf *types.NoSuchConfigurationRecorderException
	return errors.As(err, &nf)
}
