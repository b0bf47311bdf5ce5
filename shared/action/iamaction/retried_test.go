package iamaction_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// TestChangeRetriedAfterSuccess: moto's IAM detaches the policy, the answer
// is lost to a connection reset, the SDK retries and IAM answers
// NoSuchEntity. The detach is reported as made (AppliedError, which the
// outcome turns into done with the undo), not as already undone; without
// the reset, the same NoSuchEntity is a GoneError.
func TestChangeRetriedAfterSuccess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server")
	}
	moto := motoserver.Start(t)
	cfg, err := moto.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The functions' retryer: the SDK's standard one, three attempts.
	cfg.Retryer = func() aws.Retryer { return retry.NewStandard() }
	client := iam.NewFromConfig(cfg)
	// moto loads no AWS managed policy unless told to: a customer policy
	// stands for AdministratorAccess.
	const admin = "arn:aws:iam::" + motoserver.AccountID + ":policy/admin"
	if _, err := client.CreatePolicy(t.Context(), &iam.CreatePolicyInput{PolicyName: aws.String("admin"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"reset-bob", "plain-bob"} {
		if _, err := client.CreateUser(t.Context(), &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.AttachUserPolicy(t.Context(), &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(admin)}); err != nil {
			t.Fatal(err)
		}
	}
	exec := iamaction.Executors(client)[action.DetachUserPolicy.ID]
	plan := func(user string) *finding.Remediation {
		p := action.DetachUserPolicy.Plan("detach admin from user "+user, "UserName", user, "PolicyArn", admin)
		p.Undo = action.DetachUserPolicy.UndoStep("UserName", user, "PolicyArn", admin)
		return p
	}

	moto.ResetCalls()
	moto.ResetAfter("iam", "DetachUserPolicy", 1)
	err = exec.Do(t.Context(), plan("reset-bob"))
	var applied *remediate.AppliedError
	if !errors.As(err, &applied) || !strings.Contains(applied.Reason, "an earlier attempt whose answer was lost") {
		t.Errorf("Do after a reset = %v, want an AppliedError", err)
	}
	var codes []string
	for _, c := range moto.CallsTo("iam") {
		codes = append(codes, c.Operation+":"+c.ErrorCode)
	}
	if want := "DetachUserPolicy:ConnectionReset DetachUserPolicy:NoSuchEntity"; strings.Join(codes, " ") != want {
		t.Errorf("moto saw %v, want %s", codes, want)
	}

	// Detached by hand first: the detach's NoSuchEntity is the state.
	if _, err := client.DetachUserPolicy(t.Context(), &iam.DetachUserPolicyInput{UserName: aws.String("plain-bob"), PolicyArn: aws.String(admin)}); err != nil {
		t.Fatal(err)
	}
	err = exec.Do(t.Context(), plan("plain-bob"))
	var gone *remediate.GoneError
	if !errors.As(err, &gone) {
		t.Errorf("Do on a detached policy = %v, want a GoneError", err)
	}
}
