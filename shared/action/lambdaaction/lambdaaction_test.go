package lambdaaction

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeFunction answers the calls action.DeleteFunctionConcurrency declares,
// for what moto cannot stage (a function deleted between the event and the
// rollback).
type fakeFunction struct {
	deleteConcurrencyAPI // nil: an undeclared call panics, naming the method
	region               string
	calls                *[]string
	exists               bool
	reserved             *int32
}

func (f *fakeFunction) GetFunctionConcurrency(_ context.Context, in *lambda.GetFunctionConcurrencyInput, _ ...func(*lambda.Options)) (*lambda.GetFunctionConcurrencyOutput, error) {
	*f.calls = append(*f.calls, f.region+" GetFunctionConcurrency")
	if !f.exists {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Function not found: " + aws.ToString(in.FunctionName))}
	}
	return &lambda.GetFunctionConcurrencyOutput{ReservedConcurrentExecutions: f.reserved}, nil
}

func (f *fakeFunction) DeleteFunctionConcurrency(context.Context, *lambda.DeleteFunctionConcurrencyInput, ...func(*lambda.Options)) (*lambda.DeleteFunctionConcurrencyOutput, error) {
	*f.calls = append(*f.calls, f.region+" DeleteFunctionConcurrency")
	return &lambda.DeleteFunctionConcurrencyOutput{}, nil
}

func TestDeleteFunctionConcurrency(t *testing.T) {
	const fn = "Iamguard-PolicyGuard1A2B-XyZ"
	for _, tc := range []struct {
		name       string
		fn         fakeFunction
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"stopped: limit removed", fakeFunction{exists: true, reserved: aws.Int32(0)}, finding.StatusDone,
			[]string{"us-east-1 GetFunctionConcurrency", "us-east-1 DeleteFunctionConcurrency"}, "rolled back"},
		{"limit removed since", fakeFunction{exists: true}, finding.StatusAlreadyUndone,
			[]string{"us-east-1 GetFunctionConcurrency"}, "has no reserved concurrency"},
		{"another limit set since: left alone", fakeFunction{exists: true, reserved: aws.Int32(5)}, finding.StatusAlreadyUndone,
			[]string{"us-east-1 GetFunctionConcurrency"}, "reserved concurrency of 5 now"},
		{"deleted since: skipped with the repair", fakeFunction{}, finding.StatusSkipped,
			[]string{"us-east-1 GetFunctionConcurrency"}, "redeploy the stack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			ex := deleteConcurrency{api: func(region string) deleteConcurrencyAPI {
				f := tc.fn
				f.region, f.calls = region, &calls
				return &f
			}}
			a := action.DeleteFunctionConcurrency
			plan := a.Plan("lift the limit", "FunctionName", fn, "Region", "us-east-1")
			plan.Undo = a.UndoStep("FunctionName", fn, "ReservedConcurrentExecutions", "0", "Region", "us-east-1")
			f := finding.Finding{Rule: "guardrail-tampering", Severity: severity.Critical, ActorType: "IAMUser", Target: fn, Remediation: plan}
			o := actiontest.Remediate(t, remediate.Executors{a.ID: ex}, f)
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && !strings.Contains(o.Undo, "aws lambda put-function-concurrency --function-name "+fn+" --reserved-concurrent-executions 0") {
				t.Errorf("undo = %q", o.Undo)
			}
		})
	}
}

func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
