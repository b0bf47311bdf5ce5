//go:build unix

package functions_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/config"
)

// healthEvent is events/AWS_RISK_CREDENTIALS_EXPOSED-awssamples-1.json, the
// AWS Health event as EventBridge delivers it, naming key and, when user is
// not empty, the key's user (AWS's 2025 events carry eventMetadata.userName;
// older ones name the key alone).
func healthEvent(t *testing.T, key, user string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "events", "AWS_RISK_CREDENTIALS_EXPOSED-awssamples-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev["account"] = motoserver.AccountID
	ev["resources"] = []any{key}
	d := ev["detail"].(map[string]any)
	d["affectedEntities"] = []any{map[string]any{"entityValue": key}}
	md := d["eventMetadata"].(map[string]any)
	md["publicKey"], md["accountId"] = key, motoserver.AccountID
	if user == "" {
		delete(md, "userName")
	} else {
		md["userName"] = user
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAccessKeysExposedKey runs the access-keys bootstrap under the emulator
// against moto's IAM: the key an AWS Health event names is deactivated (its
// user found with GetAccessKeyLastUsed, whatever user the event names),
// never deleted; the same event again finds it inactive; the user's other key
// is untouched; an exempt user's key is left alone.
func TestAccessKeysExposedKey(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	client := iam.NewFromConfig(mcfg)
	newKey := func(user string, tags ...iamtypes.Tag) string {
		t.Helper()
		if _, err := client.GetUser(t.Context(), &iam.GetUserInput{UserName: aws.String(user)}); err != nil {
			if _, err := client.CreateUser(t.Context(), &iam.CreateUserInput{UserName: aws.String(user), Tags: tags}); err != nil {
				t.Fatal(err)
			}
		}
		out, err := client.CreateAccessKey(t.Context(), &iam.CreateAccessKeyInput{UserName: aws.String(user)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.AccessKey.AccessKeyId)
	}
	leaked, other := newKey("ci-deployer"), newKey("ci-deployer")
	named := newKey("reporting")
	exempt := newKey("break-glass", iamtypes.Tag{Key: aws.String(exemptTag), Value: aws.String("true")})
	status := func(user, key string) string {
		t.Helper()
		out, err := client.ListAccessKeys(t.Context(), &iam.ListAccessKeysInput{UserName: aws.String(user)})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range out.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) == key {
				return string(k.Status)
			}
		}
		return "deleted"
	}
	em := startEmulator(t, fnAccessKeys, fakeURL, map[string]string{
		config.EnvTopicARN:     topicARN,
		config.EnvModes:        "exposed-key=remediate",
		"AWS_ENDPOINT_URL_IAM": moto.URL(),
	})
	for i, sc := range []struct {
		name, key, user, eventUser string
		wantCalls                  []string
		wantStatus, wantKey        string
	}{
		{"key named alone: its user found, the key deactivated", leaked, "ci-deployer", "",
			[]string{"GetAccessKeyLastUsed", "ListUserTags", "ListAccessKeys", "UpdateAccessKey"}, "done", "Inactive"},
		{"same event again: already inactive", leaked, "ci-deployer", "",
			[]string{"GetAccessKeyLastUsed", "ListUserTags", "ListAccessKeys"}, "already-undone", "Inactive"},
		{"the event names a user: IAM is asked all the same", named, "reporting", "someone-else",
			[]string{"GetAccessKeyLastUsed", "ListUserTags", "ListAccessKeys", "UpdateAccessKey"}, "done", "Inactive"},
		{"exempt user's key left alone", exempt, "break-glass", "",
			[]string{"GetAccessKeyLastUsed", "ListUserTags"}, "skipped", "Active"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			got, msgs := w.invoke(t, em, fnAccessKeys, "e2e-access-keys-exposed-"+string(rune('a'+i)), "iam", healthEvent(t, sc.key, sc.eventUser))
			if strings.Join(got, ",") != strings.Join(sc.wantCalls, ",") {
				t.Errorf("IAM calls = %v, want %v", got, sc.wantCalls)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.wantStatus+`\"`) || !strings.Contains(msgs[0].Message, "lookup-events") {
				t.Fatalf("published %d messages, want one with status %s and the leaked-key plan: %+v", len(msgs), sc.wantStatus, msgs)
			}
			if got := status(sc.user, sc.key); got != sc.wantKey {
				t.Errorf("key %s is %s, want %s", sc.key, got, sc.wantKey)
			}
		})
	}
	if s := status("ci-deployer", other); s != "Active" {
		t.Errorf("the user's other key is %s: only the leaked key may change", s)
	}
}

// TestPolicyGuardAdminGroupMembership runs the policy-guard bootstrap against
// moto's IAM: a user added to a group whose inline policy grants iam:* is
// taken out of it (the group's policies read from IAM); the same event again
// finds the user out; an exempt user stays; a user added to a harmless group
// is not even reported.
func TestPolicyGuardAdminGroupMembership(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	client := iam.NewFromConfig(mcfg)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(client.CreateGroup(t.Context(), &iam.CreateGroupInput{GroupName: aws.String("developers")}))
	must(client.PutGroupPolicy(t.Context(), &iam.PutGroupPolicyInput{GroupName: aws.String("developers"), PolicyName: aws.String("iam-admin"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)}))
	must(client.CreateGroup(t.Context(), &iam.CreateGroupInput{GroupName: aws.String("readers")}))
	pol, err := client.CreatePolicy(t.Context(), &iam.CreatePolicyInput{PolicyName: aws.String("read-reports"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	must(client.AttachGroupPolicy(t.Context(), &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: pol.Policy.Arn}))
	for _, u := range []string{"Bob", "break-glass"} {
		in := &iam.CreateUserInput{UserName: aws.String(u)}
		if u == "break-glass" {
			in.Tags = []iamtypes.Tag{{Key: aws.String(exemptTag), Value: aws.String("true")}}
		}
		must(client.CreateUser(t.Context(), in))
		must(client.AddUserToGroup(t.Context(), &iam.AddUserToGroupInput{GroupName: aws.String("developers"), UserName: aws.String(u)}))
	}
	must(client.AddUserToGroup(t.Context(), &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("Bob")}))
	inGroup := func(user, group string) bool {
		t.Helper()
		out, err := client.ListGroupsForUser(t.Context(), &iam.ListGroupsForUserInput{UserName: aws.String(user)})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.Groups {
			if aws.ToString(g.GroupName) == group {
				return true
			}
		}
		return false
	}
	em := startEmulator(t, fnPolicyGuard, fakeURL, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvModes:                "admin-group-membership=remediate",
		config.EnvRemediateMinSeverity: "high",
		"AWS_ENDPOINT_URL_IAM":         moto.URL(),
	})
	reads := []string{"ListAttachedGroupPolicies", "ListGroupPolicies", "GetGroupPolicy"}
	for i, sc := range []struct {
		name, user, group string
		wantCalls         []string
		wantStatus        string // "" : no alert
		wantIn            bool
	}{
		{"added to an iam:* group: taken out", "Bob", "developers", append(append([]string{}, reads...), "ListUserTags", "ListGroupsForUser", "RemoveUserFromGroup"), "done", false},
		{"same event again: already out", "Bob", "developers", append(append([]string{}, reads...), "ListUserTags", "ListGroupsForUser"), "already-undone", false},
		{"exempt user stays", "break-glass", "developers", append(append([]string{}, reads...), "ListUserTags"), "skipped", true},
		{"a read-only group is not reported", "Bob", "readers", []string{"ListAttachedGroupPolicies", "ListGroupPolicies", "GetPolicy", "GetPolicyVersion"}, "", true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			ev := event(t, "AddUserToGroup-awsdocs-ct-1.json", edit{"requestParameters.userName", sc.user}, edit{"requestParameters.groupName", sc.group},
				edit{"awsRegion", "us-east-1"})
			got, msgs := w.invoke(t, em, fnPolicyGuard, "e2e-policy-guard-group-"+string(rune('a'+i)), "iam", ev)
			if strings.Join(got, ",") != strings.Join(sc.wantCalls, ",") {
				t.Errorf("IAM calls = %v, want %v", got, sc.wantCalls)
			}
			switch {
			case sc.wantStatus == "" && len(msgs) != 0:
				t.Errorf("published %d messages, want none", len(msgs))
			case sc.wantStatus != "" && (len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.wantStatus+`\"`)):
				t.Fatalf("published %d messages, want one with status %s: %+v", len(msgs), sc.wantStatus, msgs)
			}
			if got := inGroup(sc.user, sc.group); got != sc.wantIn {
				t.Errorf("%s in %s = %v, want %v", sc.user, sc.group, got, sc.wantIn)
			}
		})
	}
}
