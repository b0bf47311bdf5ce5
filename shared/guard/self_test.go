package guard

import (
	"context"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// countingResolver counts lookups; it knows no policy.
type countingResolver struct{ calls int }

func (r *countingResolver) PolicyVersion(_ context.Context, arn, version string) (rules.PolicyVersion, error) {
	r.calls++
	return rules.PolicyVersion{}, rules.ErrNotFound
}

// TestHandleSelfChangeResolvesNothing: iamguard's own rollback of a default
// version is a SetDefaultPolicyVersion event that routes to policy-guard
// again. It must be ignored before the rule asks IAM for the version's
// document (the pipeline used to resolve it first and ignore the finding
// after, one GetPolicyVersion per rollback).
func TestHandleSelfChangeResolvesNothing(t *testing.T) {
	ev := strings.Replace(string(event(t, "SetDefaultPolicyVersion-moussa-cloudgoat-1.json")),
		`"userIdentity": {`, `"userIdentity": {
    "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/iamguard-policy-guard"}},`, 1)
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{
			config.EnvTopicARN:     "arn:aws:sns:us-east-1:123456789012:iamguard",
			config.EnvSelfRoleARNs: "arn:aws:iam::*:role/iamguard-*",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	res, pub := &countingResolver{}, &fakePublisher{}
	h, err := New(rules.PolicyGuard, cfg, res, remediate.New(cfg, unusedExecutors(rules.PolicyGuard)), pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(t.Context(), []byte(ev)); err != nil {
		t.Fatal(err)
	}
	if res.calls != 0 || len(pub.alerts) != 0 {
		t.Errorf("own change: %d policy lookups, %d alerts; want none", res.calls, len(pub.alerts))
	}

	// The same event by anyone else is looked up and reported.
	other := strings.Replace(ev, "role/iamguard-policy-guard", "role/admin", 1)
	if err := h.Handle(t.Context(), []byte(other)); err != nil {
		t.Fatal(err)
	}
	if res.calls == 0 || len(pub.alerts) != 1 {
		t.Errorf("other actor: %d policy lookups, %d alerts; want a lookup and one alert", res.calls, len(pub.alerts))
	}
}
