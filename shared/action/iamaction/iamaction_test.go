package iamaction_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

const acct = fakeaws.AccountID

// setup starts the fake IAM and returns it with a real IAM client.
func setup(t *testing.T) (*fakeaws.Server, *iam.Client) {
	t.Helper()
	fake := fakeaws.New()
	fake.Start(t)
	cfg, err := fake.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return fake, iam.NewFromConfig(cfg)
}

func conf(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	full := map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:" + acct + ":iamguard"}
	for k, v := range env {
		full[k] = v
	}
	c, err := config.FromEnv(func(k string) string { return full[k] })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func remediateAll(t *testing.T, extra map[string]string) config.Config {
	env := map[string]string{config.EnvDefaultMode: "remediate"}
	for k, v := range extra {
		env[k] = v
	}
	return conf(t, env)
}

func step(action string, kv ...string) finding.Step {
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return finding.Step{Action: action, Parameters: p, Command: "aws iam " + action}
}

func keyFinding(user, key string) finding.Finding {
	undo := step("iam:UpdateAccessKey", "UserName", user, "AccessKeyId", key, "Status", "Active")
	return finding.Finding{
		Rule: "access-key-created", Severity: severity.Critical, Actor: "arn:aws:iam::" + acct + ":user/alice", ActorType: "IAMUser",
		Target:      "arn:aws:iam::" + acct + ":user/" + user,
		Remediation: &finding.Remediation{Step: step("iam:UpdateAccessKey", "UserName", user, "AccessKeyId", key, "Status", "Inactive"), Description: "deactivate", Undo: &undo},
	}
}

// actions lists the IAM actions the fake saw, in order.
func actions(fake *fakeaws.Server) []string {
	var out []string
	for _, c := range fake.Calls() {
		out = append(out, c.Action)
	}
	return out
}

func TestAccessKeyRollbackIsIdempotent(t *testing.T) {
	fake, client := setup(t)
	fake.AddUser("bob", nil)
	fake.AddAccessKey("bob", "AKIANEWKEY0000000001", "Active")
	fake.AddAccessKey("bob", "AKIAOLDKEY0000000002", "Active")
	r := newRemediator(remediateAll(t, nil), client)
	f := keyFinding("bob", "AKIANEWKEY0000000001")

	o := r.Handle(t.Context(), f)
	if o.Status != finding.StatusDone || o.Undo == "" {
		t.Fatalf("first Handle = %+v, want done with an undo command", o)
	}
	if diff := cmp.Diff([]string{"ListUserTags", "ListAccessKeys", "UpdateAccessKey"}, actions(fake)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	upd := fake.CallsTo("UpdateAccessKey")[0].Params
	if upd["UserName"] != "bob" || upd["AccessKeyId"] != "AKIANEWKEY0000000001" || upd["Status"] != "Inactive" {
		t.Errorf("UpdateAccessKey params = %v", upd)
	}
	if s, _ := fake.AccessKeyStatus("bob", "AKIAOLDKEY0000000002"); s != "Active" {
		t.Errorf("the other key is %s: only the new key may change", s)
	}

	fake.Reset()
	o = r.Handle(t.Context(), f)
	if o.Status != finding.StatusAlreadyUndone || len(fake.CallsTo("UpdateAccessKey")) != 0 {
		t.Errorf("second Handle = %+v with calls %v, want already-undone and no UpdateAccessKey", o, actions(fake))
	}
}

func TestModesAndThresholds(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		severity   severity.Severity
		wantStatus finding.Status
		wantCalls  []string
	}{
		{"notify is the default", nil, severity.Critical, finding.StatusNotified, nil},
		{"dry-run reads but never writes", map[string]string{config.EnvDefaultMode: "dry-run"}, severity.Critical, finding.StatusDryRun, []string{"ListUserTags", "ListAccessKeys"}},
		{"below the default threshold", map[string]string{config.EnvDefaultMode: "remediate"}, severity.High, finding.StatusNotified, nil},
		{"lowered threshold", map[string]string{config.EnvDefaultMode: "remediate", config.EnvRemediateMinSeverity: "medium"}, severity.Medium, finding.StatusDone, []string{"ListUserTags", "ListAccessKeys", "UpdateAccessKey"}},
		{"per-rule mode", map[string]string{config.EnvModes: "access-key-created=remediate"}, severity.Critical, finding.StatusDone, []string{"ListUserTags", "ListAccessKeys", "UpdateAccessKey"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, client := setup(t)
			fake.AddAccessKey("bob", "AKIANEWKEY0000000001", "Active")
			f := keyFinding("bob", "AKIANEWKEY0000000001")
			f.Severity = tc.severity
			o := newRemediator(conf(t, tc.env), client).Handle(t.Context(), f)
			if o.Status != tc.wantStatus {
				t.Errorf("status = %s (%s), want %s", o.Status, o.Reason, tc.wantStatus)
			}
			if diff := cmp.Diff(tc.wantCalls, actions(fake)); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if tc.wantStatus == finding.StatusDryRun && !strings.Contains(o.Reason, "would deactivate") {
				t.Errorf("dry-run reason %q should say what would be done", o.Reason)
			}
		})
	}
}

func TestExemptions(t *testing.T) {
	tests := []struct {
		name, target, actorIssuer string
		env                       map[string]string
		tags                      map[string]string
		wantExemption             string
		wantCalls                 []string
	}{
		{name: "tag on the target user", target: "bob", tags: map[string]string{"iamguard:exempt": "true"},
			wantExemption: "target tag iamguard:exempt=true", wantCalls: []string{"ListUserTags"}},
		{name: "tag with another value does not exempt", target: "bob", tags: map[string]string{"iamguard:exempt": "no"},
			wantCalls: []string{"ListUserTags", "ListAccessKeys", "UpdateAccessKey"}},
		{name: "custom tag key", target: "bob", tags: map[string]string{"ops:keep": "TRUE"}, env: map[string]string{config.EnvExemptTag: "ops:keep"},
			wantExemption: "target tag ops:keep=true", wantCalls: []string{"ListUserTags"}},
		{name: "target pattern", target: "breakglass-1", env: map[string]string{config.EnvExemptTargets: "arn:aws:iam::" + acct + ":user/breakglass-*"},
			wantExemption: "exempt target arn:aws:iam::" + acct + ":user/breakglass-*"},
		{name: "actor pattern via session issuer", target: "bob", actorIssuer: "arn:aws:iam::" + acct + ":role/deploy-pipeline",
			env:           map[string]string{config.EnvExemptPrincipals: "arn:aws:iam::" + acct + ":role/deploy-*"},
			wantExemption: "exempt principal arn:aws:iam::" + acct + ":role/deploy-*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, client := setup(t)
			fake.AddUser(tc.target, tc.tags)
			fake.AddAccessKey(tc.target, "AKIANEWKEY0000000001", "Active")
			f := keyFinding(tc.target, "AKIANEWKEY0000000001")
			f.ActorIssuer = tc.actorIssuer
			o := newRemediator(remediateAll(t, tc.env), client).Handle(t.Context(), f)
			if o.Exemption != tc.wantExemption {
				t.Errorf("exemption = %q, want %q (outcome %+v)", o.Exemption, tc.wantExemption, o)
			}
			if tc.wantExemption != "" && (o.Status != finding.StatusSkipped || !strings.Contains(o.Reason, "never touched")) {
				t.Errorf("exempt outcome = %+v, want skipped, never touched", o)
			}
			if diff := cmp.Diff(tc.wantCalls, actions(fake)); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTagLookupFailureFailsSafe(t *testing.T) {
	fake, client := setup(t)
	fake.AddAccessKey("bob", "AKIANEWKEY0000000001", "Active")
	fake.FailNext("ListUserTags", "ServiceFailure", 10)
	o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), keyFinding("bob", "AKIANEWKEY0000000001"))
	if o.Status != finding.StatusSkipped || !strings.Contains(o.Error, "ServiceFailure") {
		t.Errorf("outcome = %+v, want skipped with the ServiceFailure error", o)
	}
	if n := len(fake.CallsTo("UpdateAccessKey")); n != 0 {
		t.Errorf("UpdateAccessKey called %d times while the exemption was unknown", n)
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	fake, client := setup(t)
	fake.AddAccessKey("bob", "AKIANEWKEY0000000001", "Active")
	fake.FailNext("UpdateAccessKey", "Throttling", 2)
	o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), keyFinding("bob", "AKIANEWKEY0000000001"))
	if o.Status != finding.StatusDone || len(fake.CallsTo("UpdateAccessKey")) != 3 {
		t.Errorf("outcome %+v after %d UpdateAccessKey calls, want done after 3", o, len(fake.CallsTo("UpdateAccessKey")))
	}
	if s, _ := fake.AccessKeyStatus("bob", "AKIANEWKEY0000000001"); s != "Inactive" {
		t.Errorf("key status = %s, want Inactive", s)
	}
}

func TestFailureIsReported(t *testing.T) {
	fake, client := setup(t)
	fake.AddAccessKey("bob", "AKIANEWKEY0000000001", "Active")
	fake.FailNext("UpdateAccessKey", "ServiceFailure", 10)
	o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), keyFinding("bob", "AKIANEWKEY0000000001"))
	if o.Status != finding.StatusFailed || !strings.Contains(o.Error, "ServiceFailure") || o.Undo != "" {
		t.Errorf("outcome = %+v, want failed naming ServiceFailure, no undo", o)
	}
}

func TestNeverRootNeverUnresolvedNeverWithoutPlan(t *testing.T) {
	fake, client := setup(t)
	r := newRemediator(remediateAll(t, nil), client)
	root := keyFinding("x", "AKIAROOT")
	root.ActorType, root.Target = "Root", "arn:aws:iam::"+acct+":root"
	unresolved := keyFinding("bob", "AKIANEWKEY0000000001")
	unresolved.Unresolved = "document not found"
	noPlan := finding.Finding{Rule: "root-console-login", Severity: severity.Critical, RemediationNote: "sign in as root and rotate"}
	for name, f := range map[string]finding.Finding{"root": root, "unresolved": unresolved, "no plan": noPlan} {
		o := r.Handle(t.Context(), f)
		if o.Status != finding.StatusSkipped || o.Reason == "" {
			t.Errorf("%s: outcome = %+v, want skipped with a reason", name, o)
		}
	}
	if len(fake.Calls()) != 0 {
		t.Errorf("calls = %v, want none", actions(fake))
	}
}

func policyFinding(kind, principal, arn string) finding.Finding {
	k := strings.ToUpper(kind[:1]) + kind[1:]
	undo := step("iam:Attach"+k+"Policy", k+"Name", principal, "PolicyArn", arn)
	return finding.Finding{
		Rule: "wildcard-policy", Severity: severity.Critical, Actor: "arn:aws:iam::" + acct + ":user/alice",
		Target: fmt.Sprintf("arn:aws:iam::%s:%s/%s", acct, kind, principal),
		Remediation: &finding.Remediation{Step: step("iam:Detach"+k+"Policy", k+"Name", principal, "PolicyArn", arn),
			Description: "detach", Undo: &undo},
	}
}

func TestDetach(t *testing.T) {
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	fake, client := setup(t)
	fake.AttachPolicy(fakeaws.KindUser, "bob", admin)
	fake.AttachPolicy(fakeaws.KindGroup, "devs", admin)
	fake.AddRole("AWSServiceRoleForSupport", nil, true)
	fake.AttachPolicy(fakeaws.KindRole, "AWSServiceRoleForSupport", admin)
	r := newRemediator(remediateAll(t, nil), client)

	if o := r.Handle(t.Context(), policyFinding("user", "bob", admin)); o.Status != finding.StatusDone {
		t.Errorf("detach from user = %+v", o)
	}
	if got := fake.Attached(fakeaws.KindUser, "bob"); len(got) != 0 {
		t.Errorf("bob still has %v", got)
	}
	if o := r.Handle(t.Context(), policyFinding("user", "bob", admin)); o.Status != finding.StatusAlreadyUndone {
		t.Errorf("second detach = %+v, want already-undone", o)
	}
	if o := r.Handle(t.Context(), policyFinding("group", "devs", admin)); o.Status != finding.StatusDone {
		t.Errorf("detach from group = %+v", o)
	}
	if o := r.Handle(t.Context(), policyFinding("role", "AWSServiceRoleForSupport", admin)); o.Status != finding.StatusSkipped || !strings.Contains(o.Reason, "service-linked") {
		t.Errorf("service-linked role = %+v, want skipped naming the service-linked role", o)
	}
}

func inlineFinding(user, name, doc string) finding.Finding {
	undo := step("iam:PutUserPolicy", "UserName", user, "PolicyName", name, "PolicyDocument", doc)
	return finding.Finding{
		Rule: "wildcard-policy", Severity: severity.Critical, Target: "arn:aws:iam::" + acct + ":user/" + user,
		Policy: &finding.PolicyRef{Name: name, Document: doc, Source: "event"},
		Remediation: &finding.Remediation{Step: step("iam:DeleteUserPolicy", "UserName", user, "PolicyName", name),
			Description: "delete", Undo: &undo},
	}
}

func TestInlineDelete(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	fake, client := setup(t)
	r := newRemediator(remediateAll(t, nil), client)

	// Same document spelt differently: still the flagged policy.
	fake.PutInlinePolicy(fakeaws.KindUser, "bob", "all", "{\n  \"Version\": \"2012-10-17\", \"Statement\": [{\"Resource\": \"*\", \"Effect\": \"Allow\", \"Action\": \"*\"}]\n}")
	if o := r.Handle(t.Context(), inlineFinding("bob", "all", doc)); o.Status != finding.StatusDone || o.Undo == "" {
		t.Errorf("delete = %+v", o)
	}
	if _, ok := fake.InlinePolicy(fakeaws.KindUser, "bob", "all"); ok {
		t.Error("inline policy still there")
	}
	if o := r.Handle(t.Context(), inlineFinding("bob", "all", doc)); o.Status != finding.StatusAlreadyUndone {
		t.Errorf("second delete = %+v, want already-undone", o)
	}

	// Someone replaced it since: leave it alone.
	safe := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	fake.PutInlinePolicy(fakeaws.KindUser, "carol", "all", safe)
	fake.Reset()
	if o := r.Handle(t.Context(), inlineFinding("carol", "all", doc)); o.Status != finding.StatusAlreadyUndone || !strings.Contains(o.Reason, "changed since") {
		t.Errorf("changed policy = %+v, want left alone", o)
	}
	if len(fake.CallsTo("DeleteUserPolicy")) != 0 {
		t.Error("deleted a policy that changed since the event")
	}
}

func versionFinding(arn, flagged, previous string) finding.Finding {
	undo := step("iam:SetDefaultPolicyVersion", "PolicyArn", arn, "VersionId", flagged)
	kv := []string{"PolicyArn", arn}
	if previous != "" {
		kv = append(kv, "VersionId", previous)
	}
	return finding.Finding{
		Rule: "wildcard-policy", Severity: severity.Critical, Target: arn,
		Remediation: &finding.Remediation{Step: step("iam:SetDefaultPolicyVersion", kv...), Description: "restore", Undo: &undo,
			Deferred: map[bool]string{true: "", false: "VersionId: found at remediation time"}[previous != ""]},
	}
}

func TestRestorePreviousVersion(t *testing.T) {
	arn := "arn:aws:iam::" + acct + ":policy/ops"
	safe := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	high := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

	t.Run("deferred: newest earlier version without the flagged access", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: safe},
			fakeaws.PolicyVersion{VersionID: "v2", Document: admin}, fakeaws.PolicyVersion{VersionID: "v3", Document: admin, Default: true})
		o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), versionFinding(arn, "v3", ""))
		if o.Status != finding.StatusDone || o.Plan.Parameters["VersionId"] != "v1" || o.Plan.Deferred != "" {
			t.Fatalf("outcome = %+v (plan %+v), want done restoring v1", o, o.Plan)
		}
		if v, _ := fake.DefaultVersion(arn); v != "v1" {
			t.Errorf("default version = %s, want v1", v)
		}
		if got := len(fake.CallsTo("GetPolicyVersion")); got != 2 {
			t.Errorf("GetPolicyVersion called %d times, want 2 (v2 rejected, v1 chosen)", got)
		}
	})
	t.Run("the stream knew the previous default", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: safe}, fakeaws.PolicyVersion{VersionID: "v2", Document: admin, Default: true})
		o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), versionFinding(arn, "v2", "v1"))
		if o.Status != finding.StatusDone || len(fake.CallsTo("GetPolicyVersion")) != 0 {
			t.Errorf("outcome = %+v, calls %v; want done without reading documents", o, actions(fake))
		}
	})
	t.Run("default already moved on", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: safe, Default: true}, fakeaws.PolicyVersion{VersionID: "v2", Document: admin})
		o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), versionFinding(arn, "v2", ""))
		if o.Status != finding.StatusAlreadyUndone || len(fake.CallsTo("SetDefaultPolicyVersion")) != 0 {
			t.Errorf("outcome = %+v, want already-undone and no change", o)
		}
	})
	t.Run("an old permissive version made default: the newer safe one comes back", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: admin, Default: true}, fakeaws.PolicyVersion{VersionID: "v2", Document: safe})
		o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), versionFinding(arn, "v1", ""))
		if o.Status != finding.StatusDone || o.Plan.Parameters["VersionId"] != "v2" {
			t.Fatalf("outcome = %+v (plan %+v), want done restoring v2", o, o.Plan)
		}
		if v, _ := fake.DefaultVersion(arn); v != "v2" {
			t.Errorf("default version = %s, want v2", v)
		}
	})
	t.Run("a high version is not a safe one", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: safe}, fakeaws.PolicyVersion{VersionID: "v2", Document: high},
			fakeaws.PolicyVersion{VersionID: "v3", Document: admin, Default: true})
		o := newRemediator(remediateAll(t, nil), client).Handle(t.Context(), versionFinding(arn, "v3", ""))
		if o.Status != finding.StatusDone || o.Plan.Parameters["VersionId"] != "v1" {
			t.Fatalf("outcome = %+v, want v1 restored, skipping the high v2", o)
		}
	})
	t.Run("the command is quoted", func(t *testing.T) {
		evil := "arn:aws:iam::" + acct + ":policy/x;$(touch${IFS}/tmp/pwned)/ops"
		fake, client := setup(t)
		fake.AddManagedPolicy(evil, fakeaws.PolicyVersion{VersionID: "v1", Document: safe}, fakeaws.PolicyVersion{VersionID: "v2", Document: admin, Default: true})
		o := newRemediator(conf(t, map[string]string{config.EnvDefaultMode: "dry-run"}), client).Handle(t.Context(), versionFinding(evil, "v2", ""))
		if o.Status != finding.StatusDryRun || !strings.Contains(o.Plan.Command, "'"+evil+"'") {
			t.Errorf("dry-run command = %q, want the ARN single-quoted", o.Plan.Command)
		}
	})
	t.Run("no safe earlier version", func(t *testing.T) {
		fake, client := setup(t)
		fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: high}, fakeaws.PolicyVersion{VersionID: "v2", Document: admin, Default: true})
		// With the threshold at high, a high version is one iamguard would
		// itself roll back, so it is not restored.
		o := newRemediator(remediateAll(t, map[string]string{config.EnvRemediateMinSeverity: "high"}), client).Handle(t.Context(), versionFinding(arn, "v2", ""))
		if o.Status != finding.StatusSkipped || !strings.Contains(o.Reason, "no other version") {
			t.Errorf("outcome = %+v, want skipped: no other version", o)
		}
	})
}

func TestIAMResolver(t *testing.T) {
	arn := "arn:aws:iam::" + acct + ":policy/ops"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a b/*"}]}`
	fake, client := setup(t)
	fake.AddManagedPolicy(arn, fakeaws.PolicyVersion{VersionID: "v1", Document: "{}"}, fakeaws.PolicyVersion{VersionID: "v2", Document: doc, Default: true})
	res := iamaction.Resolver{API: client}
	v, err := res.PolicyVersion(t.Context(), arn, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Document != doc || v.VersionID != "v2" || !v.Default || v.Source != "iam" {
		t.Errorf("PolicyVersion = %+v, want v2's URL-decoded document", v)
	}
	if diff := cmp.Diff([]string{"GetPolicy", "GetPolicyVersion"}, actions(fake)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	_, err = res.PolicyVersion(t.Context(), "arn:aws:iam::"+acct+":policy/missing", "")
	if !errors.Is(err, rules.ErrNotFound) {
		t.Errorf("missing policy: %v, want ErrNotFound", err)
	}
	fake.FailNext("GetPolicy", "ServiceFailure", 10)
	if _, err = res.PolicyVersion(t.Context(), arn, ""); err == nil || errors.Is(err, rules.ErrNotFound) {
		t.Errorf("failing IAM: %v, want an error that is not ErrNotFound", err)
	}
}

// newRemediator is the policy-guard and access-keys wiring: the remediator
// with every IAM executor.
func newRemediator(cfg config.Config, client *iam.Client) *remediate.Remediator {
	return remediate.New(cfg, iamaction.Executors(client))
}

// TestExecutorInterfaces: each IAM executor holds the client through the
// interface of exactly its action's declared calls.
func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, iamaction.Executors(iam.New(iam.Options{})))
}
