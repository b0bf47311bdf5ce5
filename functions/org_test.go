//go:build unix

package functions_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/config"
)

// The organisation the test stands up in moto: the central (security)
// account is moto's own, where the function runs; account B is a member;
// the outsider is an account outside the organisation.
const (
	orgID          = "o-a1b2c3d4e5"
	memberB        = "444455556666"
	outsider       = "999988887777"
	responderRole  = "Iamguard-responder"
	orgTopicARN    = "arn:aws:sns:us-east-1:" + motoserver.AccountID + ":iamguard-alerts"
	orgPolicyName  = "cg-admin"
	orgTargetUser  = "bob"
	orgEventIDBase = "0e2e0000-0000-4000-8000-0000000b0b0"
)

// refusingSTS stands in for IAM's aws:ResourceOrgID condition on the
// central roles' sts:AssumeRole, which moto does not evaluate: it forwards
// every STS call to moto, except an AssumeRole of a role in an account
// outside the organisation, which it refuses as STS does (AccessDenied).
// It records each AssumeRole's role and session name.
type refusingSTS struct {
	mu       sync.Mutex
	assumed  []string // ROLE_ARN SESSION
	outsider []string // accounts outside the organisation
}

func (r *refusingSTS) start(t *testing.T, motoURL string) string {
	t.Helper()
	target, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{Proxy: nil}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") == "AssumeRole" {
			role := form.Get("RoleArn")
			r.mu.Lock()
			r.assumed = append(r.assumed, role+" "+form.Get("RoleSessionName"))
			r.mu.Unlock()
			for _, a := range r.outsider {
				if strings.Contains(role, ":"+a+":") {
					w.Header().Set("Content-Type", "text/xml")
					w.WriteHeader(http.StatusForbidden)
					io.WriteString(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>`+
						`<Message>User: arn:aws:sts::`+motoserver.AccountID+`:assumed-role/Iamguard-PolicyGuardRole/Iamguard-policy-guard is not authorized to perform: sts:AssumeRole on resource: `+role+`</Message></Error>`+
						`<RequestId>0e2e0000-refused</RequestId></ErrorResponse>`)
					return
				}
			}
		}
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (r *refusingSTS) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.assumed)
}

// TestOrganizationActsInTheEventsAccount runs policy-guard as the central
// function of an organisation, under the emulator against moto's IAM and
// STS: an AdministratorAccess-like attach in member account B is detached in
// account B, through B's responder role, in a session named after the event,
// and the same attach in the central account stays; an event of an account
// outside the organisation (IAM refuses the responder role there) changes
// nothing and is reported, unproven.
func TestOrganizationActsInTheEventsAccount(t *testing.T) {
	w := newMotoWorld(t)
	ctx := t.Context()
	if err := w.fake.Load(fakeaws.Seed{Topics: []string{orgTopicARN}}); err != nil {
		t.Fatal(err)
	}
	// Each account's IAM, as moto keeps it: moto answers for the account
	// of the role whose session signs the call.
	iamOf := func(account string) *iam.Client {
		t.Helper()
		if account == motoserver.AccountID {
			return iam.NewFromConfig(w.cfg)
		}
		out, err := sts.NewFromConfig(w.cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + account + ":role/test-admin"), RoleSessionName: aws.String("e2e-seed"),
		})
		if err != nil {
			t.Fatal(err)
		}
		c := w.cfg.Copy()
		c.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
		return iam.NewFromConfig(c)
	}
	accounts := []string{motoserver.AccountID, memberB, outsider}
	for _, a := range accounts {
		client := iamOf(a)
		if a != motoserver.AccountID {
			// What the StackSet deploys in a member account (and what an
			// outsider may have copied): the role is there in both.
			if _, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(responderRole), AssumeRolePolicyDocument: aws.String(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + motoserver.AccountID + `:root"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(orgPolicyName), PolicyDocument: aws.String(adminDocument)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(orgTargetUser)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(orgTargetUser),
			PolicyArn: aws.String("arn:aws:iam::" + a + ":policy/" + orgPolicyName)}); err != nil {
			t.Fatal(err)
		}
	}
	attached := func(account string) bool {
		t.Helper()
		out, err := iamOf(account).ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(orgTargetUser)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.AttachedPolicies) > 0
	}

	stsProxy := &refusingSTS{outsider: []string{outsider}}
	em := startEmulator(t, fnPolicyGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:       orgTopicARN,
		config.EnvModes:          "wildcard-policy=remediate",
		config.EnvOrganizationID: orgID,
		config.EnvResponderRole:  responderRole,
		"AWS_ENDPOINT_URL_IAM":   w.moto.URL(),
		"AWS_ENDPOINT_URL_STS":   stsProxy.start(t, w.moto.URL()),
	})
	// attachIn is the stratus detonation's AttachUserPolicy, made in
	// account, as EventBridge delivers it to the central bus.
	attachIn := func(account string, n int) []byte {
		ev := event(t, "AttachUserPolicy-stratus-1.json", edit{"awsRegion", "us-east-1"},
			edit{"requestParameters.userName", orgTargetUser},
			edit{"requestParameters.policyArn", "arn:aws:iam::" + account + ":policy/" + orgPolicyName},
			edit{"eventID", orgEventIDBase + string(rune('0'+n))})
		return bytes.ReplaceAll(ev, []byte(fakeaws.AccountID), []byte(account))
	}
	outcome := func(t *testing.T, msgs []fakeaws.Message) (summary, status, unproven string) {
		t.Helper()
		if len(msgs) != 1 {
			t.Fatalf("published %d messages, want 1", len(msgs))
		}
		var bodies map[string]string
		if err := json.Unmarshal([]byte(msgs[0].Message), &bodies); err != nil {
			t.Fatal(err)
		}
		var a struct {
			Finding struct{ Summary, Unproven, Account string }
			Outcome struct{ Status string }
		}
		if err := json.Unmarshal([]byte(bodies["default"]), &a); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msgs[0].Subject, a.Finding.Account) || !strings.Contains(bodies["email"], a.Finding.Account) {
			t.Errorf("the alert does not name account %s: subject %q", a.Finding.Account, msgs[0].Subject)
		}
		return a.Finding.Summary, a.Outcome.Status, a.Finding.Unproven
	}

	t.Run("member account B", func(t *testing.T) {
		calls, msgs := w.invoke(t, em, fnPolicyGuard, "e2e-org-member", "iam", attachIn(memberB, 1))
		if want := []string{"GetPolicy", "GetPolicyVersion", "ListUserTags", "DetachUserPolicy"}; !slices.Equal(calls, want) {
			t.Errorf("IAM calls %v, want %v", calls, want)
		}
		if attached(memberB) {
			t.Error("the policy is still attached to bob in account B")
		}
		if !attached(motoserver.AccountID) {
			t.Error("bob's policy in the central account was detached: iamguard acted in the wrong account")
		}
		summary, status, unproven := outcome(t, msgs)
		if status != "done" || unproven != "" || !strings.Contains(summary, memberB) {
			t.Errorf("alert: %q, status %s, unproven %q; want done, naming account B", summary, status, unproven)
		}
		want := "arn:aws:iam::" + memberB + ":role/" + responderRole + " iamguard-" + orgEventIDBase + "1"
		if got := stsProxy.calls(); !slices.Equal(got, []string{want}) {
			t.Errorf("AssumeRole calls %v, want exactly %v", got, want)
		}
	})

	t.Run("account outside the organisation", func(t *testing.T) {
		calls, msgs := w.invoke(t, em, fnPolicyGuard, "e2e-org-outsider", "iam", attachIn(outsider, 2))
		if len(calls) != 0 {
			t.Errorf("IAM calls %v, want none: nothing in or for an account iamguard may not enter", calls)
		}
		if !attached(outsider) || !attached(motoserver.AccountID) {
			t.Error("a policy was detached for an event of an account outside the organisation")
		}
		summary, status, unproven := outcome(t, msgs)
		if status != "skipped" || !strings.Contains(unproven, "could not enter account "+outsider) || !strings.Contains(summary, outsider) {
			t.Errorf("alert: %q, status %s, unproven %q; want skipped, unproven, naming the account", summary, status, unproven)
		}
	})

	t.Run("central account", func(t *testing.T) {
		n := len(stsProxy.calls())
		calls, msgs := w.invoke(t, em, fnPolicyGuard, "e2e-org-central", "iam", attachIn(motoserver.AccountID, 3))
		if !slices.Contains(calls, "DetachUserPolicy") || attached(motoserver.AccountID) {
			t.Errorf("IAM calls %v; want the central account's own attach detached", calls)
		}
		if len(stsProxy.calls()) != n {
			t.Error("the function assumed a role to act in its own account")
		}
		if _, status, _ := outcome(t, msgs); status != "done" {
			t.Errorf("status %s, want done", status)
		}
	})
}
