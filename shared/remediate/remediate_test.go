package remediate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

const acct = "111122223333"

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

// keyFinding is a critical access-key finding with its plan.
func keyFinding() finding.Finding {
	plan := &finding.Remediation{Step: finding.NewStep("iam:UpdateAccessKey", "UserName", "bob", "AccessKeyId", "AKIA1", "Status", "Inactive"),
		Description: "deactivate access key AKIA1 of user bob"}
	undo := finding.NewStep("iam:UpdateAccessKey", "UserName", "bob", "AccessKeyId", "AKIA1", "Status", "Active")
	plan.Undo = &undo
	return finding.Finding{Rule: "access-key-created", Severity: severity.Critical, Actor: "arn:aws:iam::" + acct + ":user/alice",
		ActorType: "IAMUser", Target: "arn:aws:iam::" + acct + ":user/bob", Remediation: plan}
}

// TestDecide: the pure decision, no executor and no server.
func TestDecide(t *testing.T) {
	remediate := map[string]string{config.EnvDefaultMode: "remediate"}
	with := func(edit func(*finding.Finding)) finding.Finding { f := keyFinding(); edit(&f); return f }
	tests := []struct {
		name        string
		env         map[string]string
		f           finding.Finding
		wantProceed bool
		wantStatus  finding.Status
		wantReason  string
	}{
		{"notify is the default", nil, keyFinding(), false, finding.StatusNotified, "notify mode"},
		{"remediate, critical", remediate, keyFinding(), true, "", ""},
		{"dry-run proceeds to read the state", map[string]string{config.EnvDefaultMode: "dry-run"}, keyFinding(), true, "", ""},
		{"below the threshold", remediate, with(func(f *finding.Finding) { f.Severity = severity.High }), false, finding.StatusNotified, "below the remediation threshold (critical)"},
		{"lowered threshold", map[string]string{config.EnvDefaultMode: "remediate", config.EnvRemediateMinSeverity: "medium"},
			with(func(f *finding.Finding) { f.Severity = severity.Medium }), true, "", ""},
		{"no plan", remediate, with(func(f *finding.Finding) { f.Remediation, f.RemediationNote = nil, "sign in as root" }), false, finding.StatusSkipped, "no rollback exists for this change: sign in as root"},
		{"unresolved", remediate, with(func(f *finding.Finding) { f.Unresolved = "document not found" }), false, finding.StatusSkipped, "could not judge the change (document not found)"},
		{"root's own credentials", remediate, with(func(f *finding.Finding) { f.ActorType, f.Target = "Root", "arn:aws:iam::"+acct+":root" }), false, finding.StatusSkipped, "never acts on root"},
		{"exempt target pattern", map[string]string{config.EnvDefaultMode: "remediate", config.EnvExemptTargets: "arn:aws:iam::" + acct + ":user/b?b"},
			keyFinding(), false, finding.StatusSkipped, "exempt (exempt target arn:aws:iam::" + acct + ":user/b?b)"},
		{"exempt group of a membership", map[string]string{config.EnvDefaultMode: "remediate", config.EnvExemptTargets: "arn:aws:iam::" + acct + ":group/break-glass"},
			with(func(f *finding.Finding) { f.OtherTargets = []string{"arn:aws:iam::" + acct + ":group/break-glass"} }), false, finding.StatusSkipped, "exempt target arn:aws:iam::" + acct + ":group/break-glass"},
		{"exempt principal by session issuer", map[string]string{config.EnvDefaultMode: "remediate", config.EnvExemptPrincipals: "arn:aws:iam::" + acct + ":role/deploy-*"},
			with(func(f *finding.Finding) { f.ActorIssuer = "arn:aws:iam::" + acct + ":role/deploy-pipeline" }), false, finding.StatusSkipped, "exempt principal"},
		{"a rule in notify mode while others remediate", map[string]string{config.EnvDefaultMode: "remediate", config.EnvModes: "access-key-created=notify"},
			keyFinding(), false, finding.StatusNotified, "rule access-key-created is in notify mode"},
		{"the finding's account in dry-run by override", map[string]string{config.EnvDefaultMode: "remediate",
			config.EnvAccountOverrides: `{"444455556666": {"modes": {"access-key-created": "notify"}}}`},
			with(func(f *finding.Finding) { f.Account = "444455556666" }), false, finding.StatusNotified, "rule access-key-created is in notify mode"},
		{"another account's override does not apply", map[string]string{config.EnvDefaultMode: "remediate",
			config.EnvAccountOverrides: `{"444455556666": {"modes": {"access-key-created": "notify"}}}`},
			with(func(f *finding.Finding) { f.Account = acct }), true, "", ""},
		{"an exempt target of the finding's account", map[string]string{config.EnvDefaultMode: "remediate",
			config.EnvAccountOverrides: `{"444455556666": {"exemptTargets": ["arn:aws:iam::*:user/bob"]}}`},
			with(func(f *finding.Finding) { f.Account = "444455556666" }), false, finding.StatusSkipped, "exempt target arn:aws:iam::*:user/bob"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, proceed := Decide(conf(t, tc.env), tc.f)
			if proceed != tc.wantProceed || o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Decide = %+v, %v; want status %q, proceed %v, reason containing %q", o, proceed, tc.wantStatus, tc.wantProceed, tc.wantReason)
			}
			if o.Plan != tc.f.Remediation {
				t.Errorf("Decide's plan = %v, want the finding's", o.Plan)
			}
		})
	}
}

// fakeExecutor answers with fixed results and records what it was asked.
type fakeExecutor struct {
	tags     map[string]string
	tagsErr  error
	state    string
	checkErr error
	doErr    error
	calls    []string
}

func (e *fakeExecutor) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	e.calls = append(e.calls, "Tags")
	return e.tags, e.tagsErr
}

func (e *fakeExecutor) Check(_ context.Context, plan *finding.Remediation) (string, error) {
	e.calls = append(e.calls, "Check")
	return e.state, e.checkErr
}

func (e *fakeExecutor) Do(context.Context, *finding.Remediation) error {
	e.calls = append(e.calls, "Do")
	return e.doErr
}

// TestHandle: how the executor's answers become the outcome.
func TestHandle(t *testing.T) {
	remediate := map[string]string{config.EnvDefaultMode: "remediate"}
	tests := []struct {
		name       string
		env        map[string]string
		exec       *fakeExecutor
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
		wantUndo   bool
	}{
		{"done", remediate, &fakeExecutor{}, finding.StatusDone, []string{"Tags", "Check", "Do"}, "rolled back: deactivate", true},
		{"dry-run checks but never changes", map[string]string{config.EnvDefaultMode: "dry-run"}, &fakeExecutor{}, finding.StatusDryRun, []string{"Tags", "Check"}, "dry-run: would deactivate", false},
		{"exempt by tag, any case of true", remediate, &fakeExecutor{tags: map[string]string{"iamguard:exempt": "TRUE"}}, finding.StatusSkipped, []string{"Tags"}, "exempt (target tag iamguard:exempt=true)", false},
		{"another tag value does not exempt", remediate, &fakeExecutor{tags: map[string]string{"iamguard:exempt": "no"}}, finding.StatusDone, []string{"Tags", "Check", "Do"}, "rolled back", true},
		{"custom tag key", map[string]string{config.EnvDefaultMode: "remediate", config.EnvExemptTag: "ops:keep"},
			&fakeExecutor{tags: map[string]string{"ops:keep": "true"}}, finding.StatusSkipped, []string{"Tags"}, "target tag ops:keep=true", false},
		{"tags unreadable: never act when unsure", remediate, &fakeExecutor{tagsErr: errors.New("ServiceFailure")}, finding.StatusSkipped, []string{"Tags"}, "could not be checked", false},
		{"already done, undo offered for an earlier delivery", remediate, &fakeExecutor{state: "nothing to undo: key inactive"}, finding.StatusAlreadyUndone, []string{"Tags", "Check"}, "earlier delivery", true},
		// An earlier delivery's detach, its alert lost: the retry's
		// NoSuchEntity still carries the undo.
		{"gone, undo offered for an earlier delivery", remediate, &fakeExecutor{doErr: &GoneError{Reason: "IAM says it no longer exists"}}, finding.StatusAlreadyUndone, []string{"Tags", "Check", "Do"}, "nothing to undo: IAM says", true},
		// The SDK retried a change whose first attempt had succeeded.
		{"applied by an earlier attempt", remediate, &fakeExecutor{doErr: &AppliedError{Reason: "an earlier attempt made it"}}, finding.StatusDone, []string{"Tags", "Check", "Do"}, "rolled back: deactivate", true},
		{"refused", remediate, &fakeExecutor{doErr: &RefusedError{Reason: "a service-linked role"}}, finding.StatusSkipped, []string{"Tags", "Check", "Do"}, "not rolled back: a service-linked role", false},
		{"failed", remediate, &fakeExecutor{doErr: errors.New("throttled")}, finding.StatusFailed, []string{"Tags", "Check", "Do"}, "the rollback failed", false},
		{"check failed", remediate, &fakeExecutor{checkErr: errors.New("list keys: denied")}, finding.StatusFailed, []string{"Tags", "Check"}, "the rollback failed", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(conf(t, tc.env), Executors{"iam:UpdateAccessKey": tc.exec})
			o := r.Handle(t.Context(), keyFinding())
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) || (o.Undo != "") != tc.wantUndo {
				t.Errorf("Handle = %+v; want status %s, reason containing %q, undo %v", o, tc.wantStatus, tc.wantReason, tc.wantUndo)
			}
			if diff := cmp.Diff(tc.wantCalls, tc.exec.calls); diff != "" {
				t.Errorf("executor calls (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("no executor for the action", func(t *testing.T) {
		o := New(conf(t, remediate), nil).Handle(t.Context(), keyFinding())
		if o.Status != finding.StatusFailed || !strings.Contains(o.Error, "no executor for action iam:UpdateAccessKey") {
			t.Errorf("Handle = %+v, want failed naming the missing executor", o)
		}
	})
}

func TestIsSelf(t *testing.T) {
	r := New(conf(t, map[string]string{config.EnvSelfRoleARNs: "arn:aws:iam::" + acct + ":role/iamguard-*"}), nil)
	self := finding.Finding{Actor: "arn:aws:sts::" + acct + ":assumed-role/iamguard-access-keys/fn", ActorIssuer: "arn:aws:iam::" + acct + ":role/iamguard-access-keys"}
	other := finding.Finding{Actor: "arn:aws:sts::" + acct + ":assumed-role/admin/alice", ActorIssuer: "arn:aws:iam::" + acct + ":role/admin"}
	if !r.IsSelf(self) || r.IsSelf(other) {
		t.Errorf("IsSelf(self) = %v, IsSelf(other) = %v", r.IsSelf(self), r.IsSelf(other))
	}
}

func TestMatchARN(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"arn:aws:iam::1:role/breakglass-*", "arn:aws:iam::1:role/breakglass-admin", true},
		{"arn:aws:iam::1:role/breakglass-*", "arn:aws:iam::1:role/BreakGlass-admin", false},
		{"arn:aws:iam::*:role/iamguard-*", "arn:aws:iam::2:role/iamguard-x", true},
		{"arn:aws:iam::1:user/a?c", "arn:aws:iam::1:user/abc", true},
		{"arn:aws:iam::1:user/a?c", "arn:aws:iam::1:user/ac", false},
		{"arn:aws:iam::1:user/a?c", "arn:aws:iam::1:user/aéc", true}, // ? is one character, not one byte
		{"*", "anything", true},
		{"arn:aws:iam::1:user/bob", "arn:aws:iam::1:user/bobby", false},
		{"arn:aws:*:1:role/x", "arn:aws:iam::1:role/x", false}, // '*' does not cross ':' (here it must take "iam:")
		{"arn:aws:iam::1:*", "arn:aws:iam::1:role/a:b", true},  // a final '*' takes the rest
	} {
		if got := matchARN(tc.pattern, tc.s); got != tc.want {
			t.Errorf("matchARN(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}
