package guard

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/finding"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/notify"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

type fakePublisher struct {
	alerts   []finding.Alert
	err      error
	failures int // the first failures calls fail with err, when err is nil
	calls    int
}

func (p *fakePublisher) Publish(_ context.Context, a finding.Alert) (string, error) {
	p.calls++
	if p.err != nil {
		return "", p.err
	}
	if p.calls <= p.failures {
		return "", errors.New("sns: InternalError")
	}
	p.alerts = append(p.alerts, a)
	return "msg-1", nil
}

func handler(t *testing.T, family *rules.Family, env map[string]string, pub Publisher) *Handler {
	t.Helper()
	full := map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:111122223333:iamguard"}
	for k, v := range env {
		full[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return full[k] })
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(family, cfg, nil, remediate.New(cfg, unusedExecutors(family)), pub)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func event(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../events/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// delivered is events/<name>, a bare record, as EventBridge delivers it: in
// an envelope of its own account.
func delivered(t *testing.T, name string) []byte {
	t.Helper()
	rec, err := cloudtrail.DecodeRecord(event(t, name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rec.EventBridgeEvent()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHandlePublishesOneAlertPerFinding(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.RootActivity, nil, pub)
	if err := h.Handle(t.Context(), event(t, "ConsoleLogin-awsdocs-ct-4-eventbridge.json")); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 1 {
		t.Fatalf("published %d alerts, want 1", len(pub.alerts))
	}
	a := pub.alerts[0]
	if a.Finding.Rule != "root-console-login" || a.Function != rules.RootActivity.ID || a.Outcome.Status != finding.StatusNotified {
		t.Errorf("alert = rule %s function %s status %s", a.Finding.Rule, a.Function, a.Outcome.Status)
	}
}

func TestHandleIgnoresOtherFamiliesAndModeOff(t *testing.T) {
	pub := &fakePublisher{}
	// An access-key event delivered to the root-activity function fires nothing there.
	if err := handler(t, rules.RootActivity, nil, pub).Handle(t.Context(), event(t, "CreateAccessKey-stratus-1-eventbridge.json")); err != nil {
		t.Fatal(err)
	}
	off := handler(t, rules.AccessKeys, map[string]string{config.EnvModes: "access-key-created=off"}, pub)
	if err := off.Handle(t.Context(), event(t, "CreateAccessKey-stratus-1-eventbridge.json")); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 0 {
		t.Errorf("published %d alerts, want none", len(pub.alerts))
	}
}

func TestHandleSelfChangeIsIgnored(t *testing.T) {
	pub := &fakePublisher{}
	ev := strings.Replace(string(event(t, "AttachUserPolicy-elastic-integ-1.json")), "ec2-instance-role", "iamguard-policy-guard", -1)
	h := handler(t, rules.PolicyGuard, map[string]string{config.EnvSelfRoleARNs: "arn:aws:iam::*:role/iamguard-*"}, pub)
	if err := h.Handle(t.Context(), []byte(ev)); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 0 {
		t.Errorf("published %d alerts for iamguard's own change", len(pub.alerts))
	}
}

func TestHandleUndecodableEventIsStillNotified(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.AccessKeys, nil, pub)
	bad := []byte(`{"version":"0","id":"abc","account":"111122223333","region":"us-east-1","detail-type":"AWS API Call via CloudTrail","detail":{"eventTime":"yesterday"}}`)
	if err := h.Handle(t.Context(), bad); err != nil {
		t.Fatalf("Handle = %v, want nil: retrying cannot make it readable", err)
	}
	if len(pub.alerts) != 1 {
		t.Fatalf("published %d alerts, want 1", len(pub.alerts))
	}
	f := pub.alerts[0].Finding
	if f.Rule != RuleUnevaluated || f.EventID != "abc" || !strings.Contains(strings.Join(f.Reasons, " "), "yesterday") {
		t.Errorf("alert finding = %+v", f)
	}
	if _, err := notify.Build(pub.alerts[0]); err != nil {
		t.Errorf("the unevaluated alert does not build: %v", err)
	}
}

func TestHandleReturnsPublishErrors(t *testing.T) {
	pub := &fakePublisher{err: errors.New("sns: InternalError")}
	h := handler(t, rules.PolicyGuard, nil, pub)
	err := h.Handle(t.Context(), event(t, "AttachUserPolicy-stratus-1-eventbridge.json"))
	if err == nil || !strings.Contains(err.Error(), "InternalError") {
		t.Errorf("Handle = %v, want the publish error so that Lambda retries", err)
	}
	if err := h.Handle(t.Context(), []byte("not json")); err == nil {
		t.Error("an undecodable event whose alert cannot be published must return an error")
	}
}

func TestNewRejectsBadWiring(t *testing.T) {
	cfg := config.Config{}
	if _, err := New(&rules.Family{ID: "no-such-family"}, cfg, nil, remediate.New(cfg, nil), &fakePublisher{}); err == nil {
		t.Error("New accepted a family without rules")
	}
	_, err := New(rules.PolicyGuard, cfg, nil, remediate.New(cfg, remediate.Executors{"iam:DetachUserPolicy": nil}), &fakePublisher{})
	if err == nil || !strings.Contains(err.Error(), "iam:SetDefaultPolicyVersion") {
		t.Errorf("New(policy-guard without its executors) = %v, want an error naming the missing actions", err)
	}
	if _, err := New(rules.AccessKeys, cfg, nil, nil, nil); err == nil {
		t.Error("New accepted a nil publisher and remediator")
	}
}

// TestRollbackAlertIsRepublished: when iamguard changed IAM, a passing SNS
// fault must not lose the alert that says so.
func TestRollbackAlertIsRepublished(t *testing.T) {
	fake := fakeaws.New()
	fake.Start(t)
	cfg, err := fake.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fake.AttachPolicy(fakeaws.KindUser, "malicious-iam-user", "arn:aws:iam::aws:policy/AdministratorAccess")
	// The topic is in the sample's account: only its events are acted on.
	full := map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:229654561268:iamguard", config.EnvDefaultMode: "remediate"}
	c, err := config.FromEnv(func(k string) string { return full[k] })
	if err != nil {
		t.Fatal(err)
	}
	pub := &fakePublisher{failures: 2}
	h, err := New(rules.PolicyGuard, c, nil, remediate.New(c, iamaction.Executors(iam.NewFromConfig(cfg))), pub)
	if err != nil {
		t.Fatal(err)
	}
	h.republishDelays = []time.Duration{time.Millisecond, time.Millisecond}
	if err := h.Handle(t.Context(), event(t, "AttachUserPolicy-stratus-1-eventbridge.json")); err != nil {
		t.Fatalf("Handle = %v, want the third attempt to publish", err)
	}
	if pub.calls != 3 || len(pub.alerts) != 1 || pub.alerts[0].Outcome.Status != finding.StatusDone {
		t.Errorf("publish calls %d, alerts %+v; want 3 calls and one done alert", pub.calls, pub.alerts)
	}
}

// unusedExecutors stands for a family's executors in tests whose findings are
// never rolled back: each fails if it is ever asked to act.
func unusedExecutors(f *rules.Family) remediate.Executors {
	out := remediate.Executors{}
	for _, a := range f.Actions() {
		out[a.ID] = failingExecutor{}
	}
	return out
}

type failingExecutor struct{}

var errUnexpected = errors.New("test: the executor was not expected to be called")

func (failingExecutor) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, errUnexpected
}
func (failingExecutor) Check(context.Context, *finding.Remediation) (string, error) {
	return "", errUnexpected
}
func (failingExecutor) Do(context.Context, *finding.Remediation) error { return errUnexpected }
