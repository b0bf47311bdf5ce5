package guard

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/rules"
)

var canaryEnv = map[string]string{
	config.EnvCanaryPolicyARN: "arn:aws:iam::307578594326:policy/iamguard/canary/Iamguard-canary",
	config.EnvCanaryRoleARN:   "arn:aws:iam::307578594326:role/Iamguard-CanaryRole",
	// The canary role among iamguard's own: the heartbeat must still count.
	config.EnvSelfRoleARNs: "arn:aws:iam::307578594326:role/Iamguard-*",
	config.EnvStackName:    "Iamguard",
	config.EnvTopicARN:     "arn:aws:sns:us-east-1:307578594326:iamguard",
}

func TestCanaryWriteIsAHeartbeatNotAnAlert(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.AuditGuard, canaryEnv, pub)
	var out bytes.Buffer
	h.metrics = &out
	h.now = func() time.Time { return time.Date(2024, 8, 2, 8, 31, 30, 0, time.UTC) }
	if err := h.Handle(t.Context(), delivered(t, "TagPolicy-canary-derived.json")); err != nil {
		t.Fatal(err)
	}
	if len(pub.alerts) != 0 {
		t.Errorf("the canary raised %d alerts: %+v", len(pub.alerts), pub.alerts)
	}
	var line struct {
		AWS struct {
			Timestamp         int64
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		} `json:"_aws"`
		Function, Stack    string
		CanaryHeartbeat    float64
		CanaryDelaySeconds float64
		EventID            string `json:"eventID"`
	}
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("heartbeat line %q: %v", out.String(), err)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("want one line, got %q", out.String())
	}
	m := line.AWS.CloudWatchMetrics
	if len(m) != 1 || m[0].Namespace != MetricNamespace || len(m[0].Metrics) != 2 || m[0].Metrics[0].Name != MetricHeartbeat ||
		len(m[0].Dimensions) != 1 || strings.Join(m[0].Dimensions[0], ",") != MetricDimension+","+MetricStackDimension {
		t.Errorf("embedded metric directive = %+v", line.AWS)
	}
	if line.AWS.Timestamp != time.Date(2024, 8, 2, 8, 31, 30, 0, time.UTC).UnixMilli() {
		t.Errorf("Timestamp = %d", line.AWS.Timestamp)
	}
	if line.Function != "audit-guard" || line.Stack != "Iamguard" || line.CanaryHeartbeat != 1 || line.CanaryDelaySeconds != 90 || line.EventID != "5c1e2a3b-0d4f-4e6a-9b7c-1d2e3f4a5b6c" {
		t.Errorf("heartbeat = %+v", line)
	}
}

func TestForgedCanaryIsAnAlertNotAHeartbeat(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.AuditGuard, canaryEnv, pub)
	var out bytes.Buffer
	h.metrics = &out
	if err := h.Handle(t.Context(), event(t, "TagPolicy-canary-forged-derived.json")); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("a forged canary wrote a heartbeat: %q", out.String())
	}
	if len(pub.alerts) != 1 || pub.alerts[0].Finding.Rule != "canary" {
		t.Fatalf("alerts = %+v", pub.alerts)
	}
}

func TestCanaryWithoutSettingsIsNoHeartbeat(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.AuditGuard, nil, pub)
	var out bytes.Buffer
	h.metrics = &out
	if err := h.Handle(t.Context(), delivered(t, "TagPolicy-canary-derived.json")); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || len(pub.alerts) != 0 {
		t.Errorf("unconfigured canary: heartbeat %q, alerts %+v", out.String(), pub.alerts)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

func TestLostHeartbeatIsRetried(t *testing.T) {
	h := handler(t, rules.AuditGuard, canaryEnv, &fakePublisher{})
	h.metrics = failingWriter{}
	err := h.Handle(t.Context(), delivered(t, "TagPolicy-canary-derived.json"))
	if err == nil || !strings.Contains(err.Error(), "canary heartbeat for event 5c1e2a3b-0d4f-4e6a-9b7c-1d2e3f4a5b6c not written: stdout closed") {
		t.Errorf("Handle = %v", err)
	}
}

// TestForgedHeartbeatDoesNotCount: the canary's write handed to the function
// as a bare record (anyone allowed to invoke it could) is not a heartbeat: a
// forged heartbeat would hide a blind stack from its alarm.
func TestForgedHeartbeatDoesNotCount(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.AuditGuard, canaryEnv, pub)
	var out bytes.Buffer
	h.metrics = &out
	if err := h.Handle(t.Context(), event(t, "TagPolicy-canary-derived.json")); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("a bare canary record wrote a heartbeat: %q", out.String())
	}
}
