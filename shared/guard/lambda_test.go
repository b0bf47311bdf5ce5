package guard

import (
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/iamguard/iamguard/shared/rules"
)

// TestInvokeNotifiesABodyThatIsNotJSON runs a truncated event through the
// aws-lambda-go handler machinery that lambda.Start uses: the handler must
// still publish its "could not evaluate" alert and succeed. Before Handler
// implemented lambda.Handler, the runtime unmarshalled the body into
// Handle's json.RawMessage first and failed the invocation with "unexpected
// EOF", and nobody was told.
func TestInvokeNotifiesABodyThatIsNotJSON(t *testing.T) {
	truncated := event(t, "ConsoleLogin-awsdocs-ct-4-eventbridge.json")[:200]
	pub := &fakePublisher{}
	h := handler(t, rules.RootActivity, nil, pub)

	out, err := lambda.NewHandler(h).Invoke(t.Context(), truncated)
	if err != nil {
		t.Fatalf("Invoke(truncated event) = %v, want nil: retrying cannot make it readable", err)
	}
	if string(out) != "null" {
		t.Errorf("Invoke(truncated event) = %s, want null", out)
	}
	if len(pub.alerts) != 1 || pub.alerts[0].Finding.Rule != RuleUnevaluated {
		t.Fatalf("published %+v, want one %s alert", pub.alerts, RuleUnevaluated)
	}

	// What lambda.Start(h.Handle) did: the body never reached Handle.
	pub.alerts = nil
	if _, err := lambda.NewHandler(h.Handle).Invoke(t.Context(), truncated); err == nil || len(pub.alerts) != 0 {
		t.Errorf("through Handle: err %v, %d alerts; want the runtime's JSON error and no alert (the case Invoke exists for)", err, len(pub.alerts))
	}
}

// TestInvokeReturnsPublishErrors: a failed publish still fails the
// invocation, so that Lambda retries the event.
func TestInvokeReturnsPublishErrors(t *testing.T) {
	pub := &fakePublisher{err: errors.New("sns: InternalError")}
	h := handler(t, rules.RootActivity, nil, pub)
	if _, err := lambda.NewHandler(h).Invoke(t.Context(), event(t, "ConsoleLogin-awsdocs-ct-4-eventbridge.json")); err == nil {
		t.Error("Invoke = nil error, want the publish error")
	}
}
