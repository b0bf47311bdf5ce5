package guarddutyaction

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeDetector answers the calls action.EnableDetector declares, for what
// moto cannot stage: a detector deleted between the event and the rollback
// (GuardDuty answers BadRequestException), and an exempt tag.
type fakeDetector struct {
	enableDetectorAPI // nil: an undeclared call panics, naming the method
	region            string
	calls             *[]string
	exists, enabled   bool
	tags              map[string]string
}

func (f *fakeDetector) GetDetector(context.Context, *guardduty.GetDetectorInput, ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error) {
	*f.calls = append(*f.calls, f.region+" GetDetector")
	if !f.exists {
		return nil, &types.BadRequestException{Message: aws.String("The request is rejected because the input detectorId is not owned by the current account.")}
	}
	st := types.DetectorStatusDisabled
	if f.enabled {
		st = types.DetectorStatusEnabled
	}
	return &guardduty.GetDetectorOutput{Status: st, Tags: f.tags}, nil
}

func (f *fakeDetector) UpdateDetector(_ context.Context, in *guardduty.UpdateDetectorInput, _ ...func(*guardduty.Options)) (*guardduty.UpdateDetectorOutput, error) {
	*f.calls = append(*f.calls, f.region+" UpdateDetector")
	if !aws.ToBool(in.Enable) {
		panic("UpdateDetector called without Enable true")
	}
	return &guardduty.UpdateDetectorOutput{}, nil
}

func TestEnableDetector(t *testing.T) {
	for _, tc := range []struct {
		name       string
		det        fakeDetector
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"disabled: enabled", fakeDetector{exists: true}, finding.StatusDone,
			[]string{"eu-west-1 GetDetector", "eu-west-1 GetDetector", "eu-west-1 UpdateDetector"}, "rolled back"},
		{"enabled already", fakeDetector{exists: true, enabled: true}, finding.StatusAlreadyUndone,
			[]string{"eu-west-1 GetDetector", "eu-west-1 GetDetector"}, "is enabled"},
		{"exempt-tagged: left alone", fakeDetector{exists: true, tags: map[string]string{"iamguard:exempt": "true"}}, finding.StatusSkipped,
			[]string{"eu-west-1 GetDetector"}, "exempt"},
		{"gone: skipped with the command", fakeDetector{}, finding.StatusSkipped,
			[]string{"eu-west-1 GetDetector", "eu-west-1 GetDetector"}, "aws guardduty create-detector --enable --region eu-west-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			ex := enableDetector{api: func(region string) enableDetectorAPI {
				d := tc.det
				d.region, d.calls = region, &calls
				return &d
			}}
			a := action.EnableDetector
			plan := a.Plan("enable the detector", "DetectorId", "12ab", "Enable", "true", "Region", "eu-west-1")
			plan.Undo = a.UndoStep("DetectorId", "12ab", "Enable", "false", "Region", "eu-west-1")
			f := finding.Finding{Rule: "detection-disabled", Severity: severity.High, ActorType: "IAMUser", Target: "12ab", Remediation: plan}
			o := actiontest.Remediate(t, remediate.Executors{a.ID: ex}, f)
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason+o.Exemption, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && !strings.Contains(o.Undo, "aws guardduty update-detector --detector-id 12ab --no-enable --region eu-west-1") {
				t.Errorf("undo = %q", o.Undo)
			}
		})
	}
}

func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
