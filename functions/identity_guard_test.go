//go:build unix

package functions_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/config"
)

const fnIdentityGuard = "identity-guard"

// TestIdentityGuardLoginProfile runs the identity-guard bootstrap under the
// emulator against moto's IAM (the users and their console passwords) and the
// fake SNS (the alerts): the password another principal created is deleted,
// the same event again finds nothing to undo, a password created after the
// event is left alone, and an exempt user is never touched.
func TestIdentityGuardLoginProfile(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	client := iam.NewFromConfig(mcfg)
	const victim, later, exempt = "stratus-red-team-login-profile-user", "later-user", "break-glass-user"
	for _, u := range []string{victim, later, exempt} {
		in := &iam.CreateUserInput{UserName: aws.String(u)}
		if u == exempt {
			in.Tags = []iamtypes.Tag{{Key: aws.String(exemptTag), Value: aws.String("true")}}
		}
		if _, err := client.CreateUser(t.Context(), in); err != nil {
			t.Fatalf("CreateUser %s: %v", u, err)
		}
	}
	setPassword := func(u string) {
		t.Helper()
		if _, err := client.CreateLoginProfile(t.Context(), &iam.CreateLoginProfileInput{UserName: aws.String(u), Password: aws.String("Attacker-Chosen-1!")}); err != nil {
			t.Fatalf("CreateLoginProfile %s: %v", u, err)
		}
	}
	hasPassword := func(u string) bool {
		t.Helper()
		_, err := client.GetLoginProfile(t.Context(), &iam.GetLoginProfileInput{UserName: aws.String(u)})
		var nse *iamtypes.NoSuchEntityException
		if err != nil && !errors.As(err, &nse) {
			t.Fatalf("GetLoginProfile %s: %v", u, err)
		}
		return err == nil
	}
	for _, u := range []string{victim, later, exempt} {
		setPassword(u)
	}

	em := startEmulator(t, fnIdentityGuard, fakeURL, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvModes:                "login-profile=remediate",
		config.EnvRemediateMinSeverity: "high",
		"AWS_ENDPOINT_URL_IAM":         moto.URL(),
	})
	create := func(user string, at time.Time) []byte {
		// The stratus detonation's CreateLoginProfile for another user.
		return event(t, "CreateLoginProfile-stratus-1.json", edit{"requestParameters.userName", user},
			edit{"eventTime", at.UTC().Format(time.RFC3339)}, edit{"awsRegion", motoserver.Region})
	}
	now := time.Now()
	for i, sc := range []struct {
		name, user   string
		at           time.Time
		wantCalls    []string
		wantStatus   string
		wantPassword bool
	}{
		{"password another principal created is deleted", victim, now,
			[]string{"ListUserTags", "GetLoginProfile", "DeleteLoginProfile"}, "done", false},
		{"same event again: nothing to undo", victim, now,
			[]string{"ListUserTags", "GetLoginProfile"}, "already-undone", false},
		{"a password created after the event is left alone", later, now.Add(-time.Hour),
			[]string{"ListUserTags", "GetLoginProfile"}, "already-undone", true},
		{"exempt user never touched", exempt, now,
			[]string{"ListUserTags"}, "skipped", true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			got, msgs := w.invoke(t, em, fnIdentityGuard, "e2e-identity-guard-"+string(rune('a'+i)), "iam", create(sc.user, sc.at))
			if strings.Join(got, ",") != strings.Join(sc.wantCalls, ",") {
				t.Errorf("IAM calls = %v, want %v", got, sc.wantCalls)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.wantStatus+`\"`) {
				t.Fatalf("published %d messages, want one with status %s: %+v", len(msgs), sc.wantStatus, msgs)
			}
			if sc.wantStatus == "done" && !strings.Contains(msgs[0].Message, "aws iam create-login-profile --user-name "+sc.user+" --password 'NEW-PASSWORD' --password-reset-required") {
				t.Errorf("the alert lacks the undo command: %s", msgs[0].Message)
			}
			if got := hasPassword(sc.user); got != sc.wantPassword {
				t.Errorf("user %s has a console password: %v, want %v", sc.user, got, sc.wantPassword)
			}
		})
	}
}

// TestIdentityGuardTrustPolicy: the stratus backdoor (another account added
// to a role's trust) is trimmed from the role's current trust policy in
// moto's IAM, leaving the EC2 service's trust; the same event again finds
// nothing to remove; an exempt role keeps its trust.
func TestIdentityGuardTrustPolicy(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	client := iam.NewFromConfig(mcfg)
	backdoor := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::193672423079:root"},"Action":"sts:AssumeRole"}]}`
	const role, exemptRole = "stratus-red-team-backdoor-r-role", "break-glass-role"
	for _, r := range []string{role, exemptRole} {
		in := &iam.CreateRoleInput{RoleName: aws.String(r), AssumeRolePolicyDocument: aws.String(backdoor)}
		if r == exemptRole {
			in.Tags = []iamtypes.Tag{{Key: aws.String(exemptTag), Value: aws.String("true")}}
		}
		if _, err := client.CreateRole(t.Context(), in); err != nil {
			t.Fatalf("CreateRole %s: %v", r, err)
		}
	}
	trustOf := func(r string) string {
		t.Helper()
		out, err := client.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(r)})
		if err != nil {
			t.Fatalf("GetRole %s: %v", r, err)
		}
		doc, err := url.QueryUnescape(aws.ToString(out.Role.AssumeRolePolicyDocument))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	em := startEmulator(t, fnIdentityGuard, fakeURL, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvModes:                "trust-policy=remediate",
		config.EnvRemediateMinSeverity: "high",
		"AWS_ENDPOINT_URL_IAM":         moto.URL(),
	})
	for i, sc := range []struct {
		name, role  string
		wantCalls   []string
		wantStatus  string
		wantForeign bool
	}{
		{"another account removed from the trust", role, []string{"ListRoleTags", "GetRole", "UpdateAssumeRolePolicy"}, "done", false},
		{"same event again: nothing left to remove", role, []string{"ListRoleTags", "GetRole"}, "already-undone", false},
		{"exempt role keeps its trust", exemptRole, []string{"ListRoleTags"}, "skipped", true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			ev := event(t, "UpdateAssumeRolePolicy-stratus-1.json", edit{"requestParameters.roleName", sc.role}, edit{"awsRegion", motoserver.Region})
			got, msgs := w.invoke(t, em, fnIdentityGuard, "e2e-identity-guard-trust-"+string(rune('a'+i)), "iam", ev)
			if strings.Join(got, ",") != strings.Join(sc.wantCalls, ",") {
				t.Errorf("IAM calls = %v, want %v", got, sc.wantCalls)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.wantStatus+`\"`) {
				t.Fatalf("published %d messages, want one with status %s: %+v", len(msgs), sc.wantStatus, msgs)
			}
			doc := trustOf(sc.role)
			if strings.Contains(doc, "193672423079") != sc.wantForeign || !strings.Contains(doc, "ec2.amazonaws.com") {
				t.Errorf("trust policy of %s = %s; want the other account %v and EC2 kept", sc.role, doc, map[bool]string{true: "kept", false: "removed"}[sc.wantForeign])
			}
			if sc.wantStatus == "done" && !strings.Contains(msgs[0].Message, "193672423079") {
				t.Errorf("the alert does not keep the removed principal and the previous document: %s", msgs[0].Message)
			}
		})
	}
}

// TestIdentityGuardFederationToken: a federation token whose session policy
// is a customer managed policy is judged by the document identity-guard reads
// from IAM (moto): an administrator policy makes the alert critical; the same
// call with a read-only policy stays medium.
func TestIdentityGuardFederationToken(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	client := iam.NewFromConfig(mcfg)
	arns := map[string]string{}
	for name, doc := range map[string]string{
		"session-admin":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"session-readonly": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`,
	} {
		out, err := client.CreatePolicy(t.Context(), &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		if err != nil {
			t.Fatalf("CreatePolicy %s: %v", name, err)
		}
		arns[name] = aws.ToString(out.Policy.Arn)
	}
	em := startEmulator(t, fnIdentityGuard, fakeURL, map[string]string{
		config.EnvTopicARN:     topicARN,
		"AWS_ENDPOINT_URL_IAM": moto.URL(),
	})
	for i, sc := range []struct{ policy, wantSeverity string }{
		{"session-admin", "critical"},
		{"session-readonly", "medium"},
	} {
		t.Run(sc.policy, func(t *testing.T) {
			// The stratus detonation's GetFederationToken, with a managed
			// session policy in place of its inline one.
			ev := event(t, "GetFederationToken-stratus-1.json", edit{"requestParameters.policy", nil},
				edit{"requestParameters.policyArns", []any{map[string]any{"arn": arns[sc.policy]}}}, edit{"awsRegion", motoserver.Region})
			got, msgs := w.invoke(t, em, fnIdentityGuard, "e2e-identity-guard-fed-"+string(rune('a'+i)), "iam", ev)
			if strings.Join(got, ",") != "GetPolicy,GetPolicyVersion" {
				t.Errorf("calls = %v, want the policy's default version read from IAM", got)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"severity\":\"`+sc.wantSeverity+`\"`) {
				t.Fatalf("published %d messages, want one of severity %s: %+v", len(msgs), sc.wantSeverity, msgs)
			}
		})
	}
}
