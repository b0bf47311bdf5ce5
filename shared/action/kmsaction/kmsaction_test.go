package kmsaction

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeKey answers the calls the KMS actions declare, for what moto cannot
// stage (a key deleted since).
type fakeKey struct {
	cancelDeletionAPI // nil: an undeclared call panics, naming the method
	calls             *[]string
	state             types.KeyState // "" means the key does not exist
}

func (f *fakeKey) DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	*f.calls = append(*f.calls, "DescribeKey")
	if f.state == "" {
		return nil, &types.NotFoundException{Message: aws.String("Key does not exist")}
	}
	return &kms.DescribeKeyOutput{KeyMetadata: &types.KeyMetadata{KeyState: f.state}}, nil
}

func (f *fakeKey) EnableKey(context.Context, *kms.EnableKeyInput, ...func(*kms.Options)) (*kms.EnableKeyOutput, error) {
	*f.calls = append(*f.calls, "EnableKey")
	f.state = types.KeyStateEnabled
	return &kms.EnableKeyOutput{}, nil
}

func (f *fakeKey) CancelKeyDeletion(context.Context, *kms.CancelKeyDeletionInput, ...func(*kms.Options)) (*kms.CancelKeyDeletionOutput, error) {
	*f.calls = append(*f.calls, "CancelKeyDeletion")
	f.state = types.KeyStateDisabled
	return &kms.CancelKeyDeletionOutput{}, nil
}

func TestKeyActions(t *testing.T) {
	for _, tc := range []struct {
		name       string
		act        *action.Action
		state      types.KeyState
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"pending deletion: cancelled, then enabled", action.CancelKeyDeletion, types.KeyStatePendingDeletion, finding.StatusDone,
			[]string{"DescribeKey", "DescribeKey", "CancelKeyDeletion", "EnableKey"}, "rolled back"},
		{"cancelled since but disabled: enabled", action.CancelKeyDeletion, types.KeyStateDisabled, finding.StatusDone,
			[]string{"DescribeKey", "DescribeKey", "EnableKey"}, "rolled back"},
		{"enabled already", action.CancelKeyDeletion, types.KeyStateEnabled, finding.StatusAlreadyUndone, []string{"DescribeKey"}, "is enabled"},
		{"disabled: enabled", action.EnableKey, types.KeyStateDisabled, finding.StatusDone, []string{"DescribeKey", "EnableKey"}, "rolled back"},
		{"disabled, then scheduled for deletion: left to that event's rollback", action.EnableKey, types.KeyStatePendingDeletion,
			finding.StatusSkipped, []string{"DescribeKey"}, "pending deletion since"},
		{"gone", action.EnableKey, "", finding.StatusSkipped, []string{"DescribeKey"}, "redeploy the stack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			key := &fakeKey{calls: &calls, state: tc.state}
			ex := remediate.Executors{
				action.EnableKey.ID:         enableKey{api: func(string) enableKeyAPI { return key }},
				action.CancelKeyDeletion.ID: cancelDeletion{api: func(string) cancelDeletionAPI { return key }},
			}
			plan := tc.act.Plan("restore the alert key", "KeyId", "0d1e", "Region", "us-east-1")
			plan.Undo = tc.act.UndoStep("KeyId", "0d1e", "Region", "us-east-1")
			f := finding.Finding{Rule: "guardrail-tampering", Severity: severity.Critical, ActorType: "IAMUser", Target: "0d1e", Remediation: plan}
			o := actiontest.Remediate(t, ex, f)
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && key.state != types.KeyStateEnabled {
				t.Errorf("key state %s after the rollback", key.state)
			}
		})
	}
}

func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
