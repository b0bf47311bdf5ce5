package eventsaction

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeRules answers the calls action.EnableRule declares, for the wire
// behaviour moto lacks (a rule deleted between the event and the rollback,
// a throttled call); it records which Region each call went to.
type fakeRules struct {
	enableRuleAPI // nil: an undeclared call panics, naming the method
	region        string
	calls         *[]string
	state         types.RuleState // "" means the rule does not exist
	enableErr     error
}

func (f *fakeRules) DescribeRule(_ context.Context, in *eventbridge.DescribeRuleInput, _ ...func(*eventbridge.Options)) (*eventbridge.DescribeRuleOutput, error) {
	*f.calls = append(*f.calls, f.region+" DescribeRule")
	if f.state == "" {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Rule " + aws.ToString(in.Name) + " does not exist.")}
	}
	return &eventbridge.DescribeRuleOutput{Name: in.Name, State: f.state}, nil
}

func (f *fakeRules) EnableRule(context.Context, *eventbridge.EnableRuleInput, ...func(*eventbridge.Options)) (*eventbridge.EnableRuleOutput, error) {
	*f.calls = append(*f.calls, f.region+" EnableRule")
	return &eventbridge.EnableRuleOutput{}, f.enableErr
}

func disabledFinding(name, region string) finding.Finding {
	a := action.EnableRule
	plan := a.Plan("enable iamguard's rule "+name+" again", "Name", name, "Region", region)
	plan.Undo = a.UndoStep("Name", name, "Region", region)
	return finding.Finding{Rule: "guardrail-tampering", Severity: severity.Critical, ActorType: "IAMUser", Target: name, Remediation: plan}
}

func TestEnableRule(t *testing.T) {
	const rule = "Iamguard-RootActivityRule-1A2B3C"
	for _, tc := range []struct {
		name       string
		rules      fakeRules
		region     string
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"disabled: enabled in its Region", fakeRules{state: types.RuleStateDisabled}, "eu-west-1", finding.StatusDone,
			[]string{"eu-west-1 DescribeRule", "eu-west-1 EnableRule"}, "rolled back"},
		{"enabled already", fakeRules{state: types.RuleStateEnabledWithAllCloudtrailManagementEvents}, "us-east-1", finding.StatusAlreadyUndone,
			[]string{"us-east-1 DescribeRule"}, "is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"},
		{"deleted since: skipped with the repair", fakeRules{}, "us-east-1", finding.StatusSkipped,
			[]string{"us-east-1 DescribeRule"}, "redeploy the stack"},
		{"enable fails: reported, not retried into a loop", fakeRules{state: types.RuleStateDisabled, enableErr: errors.New("ThrottlingException")},
			"us-east-1", finding.StatusFailed, []string{"us-east-1 DescribeRule", "us-east-1 EnableRule"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			ex := enableRule{api: func(region string) enableRuleAPI {
				r := tc.rules
				r.region, r.calls = region, &calls
				return &r
			}}
			o := actiontest.Remediate(t, remediate.Executors{action.EnableRule.ID: ex}, disabledFinding(rule, tc.region))
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && !strings.Contains(o.Undo, "aws events disable-rule --name "+rule+" --region "+tc.region) {
				t.Errorf("undo = %q", o.Undo)
			}
		})
	}
}

func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
