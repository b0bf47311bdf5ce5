package configaction

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeRecorder answers the calls action.StartConfigurationRecorder declares,
// for what moto cannot stage: a recorder or delivery channel deleted between
// the event and the rollback.
type fakeRecorder struct {
	startRecorderAPI // nil: an undeclared call panics, naming the method
	region           string
	calls            *[]string
	exists           bool
	recording        bool
	noChannel        bool
}

func (f *fakeRecorder) DescribeConfigurationRecorderStatus(_ context.Context, in *configservice.DescribeConfigurationRecorderStatusInput,
	_ ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecorderStatusOutput, error) {
	*f.calls = append(*f.calls, f.region+" DescribeConfigurationRecorderStatus")
	if !f.exists {
		return nil, &types.NoSuchConfigurationRecorderException{Message: aws.String("Cannot find configuration recorder " + in.ConfigurationRecorderNames[0])}
	}
	return &configservice.DescribeConfigurationRecorderStatusOutput{ConfigurationRecordersStatus: []types.ConfigurationRecorderStatus{
		{Name: aws.String(in.ConfigurationRecorderNames[0]), Recording: f.recording}}}, nil
}

func (f *fakeRecorder) StartConfigurationRecorder(context.Context, *configservice.StartConfigurationRecorderInput,
	...func(*configservice.Options)) (*configservice.StartConfigurationRecorderOutput, error) {
	*f.calls = append(*f.calls, f.region+" StartConfigurationRecorder")
	if f.noChannel {
		return nil, &types.NoAvailableDeliveryChannelException{Message: aws.String("Delivery channel is not available to start configuration recorder.")}
	}
	return &configservice.StartConfigurationRecorderOutput{}, nil
}

func TestStartConfigurationRecorder(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rec        fakeRecorder
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"stopped: started in its Region", fakeRecorder{exists: true}, finding.StatusDone,
			[]string{"eu-west-1 DescribeConfigurationRecorderStatus", "eu-west-1 StartConfigurationRecorder"}, "rolled back"},
		{"recording already", fakeRecorder{exists: true, recording: true}, finding.StatusAlreadyUndone,
			[]string{"eu-west-1 DescribeConfigurationRecorderStatus"}, "is recording"},
		{"deleted since", fakeRecorder{}, finding.StatusSkipped,
			[]string{"eu-west-1 DescribeConfigurationRecorderStatus"}, "no longer exists in eu-west-1: recreate it"},
		{"delivery channel deleted since", fakeRecorder{exists: true, noChannel: true}, finding.StatusSkipped,
			[]string{"eu-west-1 DescribeConfigurationRecorderStatus", "eu-west-1 StartConfigurationRecorder"}, "has no delivery channel any more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			ex := startRecorder{api: func(region string) startRecorderAPI {
				r := tc.rec
				r.region, r.calls = region, &calls
				return &r
			}}
			a := action.StartConfigurationRecorder
			plan := a.Plan("start the recorder", "ConfigurationRecorderName", "default", "Region", "eu-west-1")
			plan.Undo = a.UndoStep("ConfigurationRecorderName", "default", "Region", "eu-west-1")
			f := finding.Finding{Rule: "detection-disabled", Severity: severity.High, ActorType: "IAMUser", Target: "default", Remediation: plan}
			o := actiontest.Remediate(t, remediate.Executors{a.ID: ex}, f)
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && !strings.Contains(o.Undo, "aws configservice stop-configuration-recorder --configuration-recorder-name default --region eu-west-1") {
				t.Errorf("undo = %q", o.Undo)
			}
		})
	}
}

func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
