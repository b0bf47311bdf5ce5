//go:build unix

package functions_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/config"
)

// The benchmarks make no timed assertions; bench/functions.sh runs them and
// prints a table (see docs/PERFORMANCE.md).

// benchConfig is each function's configuration in the benchmarks: the
// remediating functions remediate, so that a warm invocation does the whole
// job (tag check, rollback, publish).
func benchConfig(name string) map[string]string {
	c := map[string]string{config.EnvTopicARN: topicARN}
	switch name {
	case fnAccessKeys:
		c[config.EnvModes] = "access-key-created=remediate"
		c[config.EnvRemediateMinSeverity] = "medium"
	case fnPolicyGuard:
		c[config.EnvModes] = "wildcard-policy=remediate"
	}
	return c
}

// benchCase is one function with the event the benchmarks send it and the
// fake state to put back after each invocation.
type benchCase struct {
	name  string
	event []byte
	reset func(f *fakeaws.Server)
}

// benchCases: root-activity publishes a root sign-in alert; access-keys
// checks the user's tags, lists its keys, deactivates the new one and
// publishes; policy-guard checks tags, detaches AdministratorAccess and
// publishes; audit-guard publishes a stopped-trail alert. reset puts the key back to active, the policy back on.
func benchCases(b *testing.B) []benchCase {
	login := event(b, "ConsoleLogin-awsdocs-ct-4.json")
	return []benchCase{
		{name: fnHello, event: login},
		{name: fnRootActivity, event: login},
		{name: fnAccessKeys, event: event(b, "CreateAccessKey-stratus-1.json", edit{"awsRegion", "us-east-1"}),
			reset: func(f *fakeaws.Server) { f.AddAccessKey("malicious-iam-user", newKey, "Active") }},
		{name: fnPolicyGuard, event: event(b, "AttachUserPolicy-stratus-1.json", edit{"awsRegion", "us-east-1"}),
			reset: func(f *fakeaws.Server) { f.AttachPolicy(fakeaws.KindUser, "malicious-iam-user", adminPolicy) }},
		// audit-guard notifies (its rollback runs against moto's CloudTrail
		// in TestAuditGuard, not here): INIT and the alert path.
		{name: fnAuditGuard, event: event(b, "StopLogging-stratus-1.json", edit{"awsRegion", "us-east-1"})},
		// identity-guard notifies an IAM user's sign-in without MFA.
		{name: fnIdentityGuard, event: event(b, "ConsoleLogin-awsdocs-ct-1.json")},
	}
}

// invokeChecked invokes once after putting the fake's state back, and fails
// unless the function succeeded and (but for hello) published one alert.
func (c benchCase) invokeChecked(b *testing.B, f *fakeaws.Server, em *emulator, rid string) time.Duration {
	if c.reset != nil {
		c.reset(f)
	}
	f.Reset()
	start := time.Now()
	status, body := em.invoke(b, rid, c.event)
	d := time.Since(start)
	if status != http.StatusOK || string(body) != "null" {
		b.Fatalf("invocation = %d %s, want 200 null\n%s", status, body, em.logs)
	}
	if c.name != fnHello && len(f.Published()) != 1 {
		b.Fatalf("published %d messages, want 1", len(f.Published()))
	}
	return d
}

// reportLine matches the emulator's REPORT line of one invocation.
var reportLine = regexp.MustCompile(`REPORT RequestId: (\S+)\t(?:Init Duration: [0-9.]+ ms\t)?Duration: ([0-9.]+) ms`)

// invokeDuration returns the Duration the emulator reported for request rid.
func (e *emulator) invokeDuration(rid string) time.Duration {
	for _, m := range reportLine.FindAllStringSubmatch(e.logs.String(), -1) {
		if m[1] == rid {
			ms, _ := strconv.ParseFloat(m[2], 64)
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	return 0
}

// BenchmarkInit measures a cold start under the emulator, for each function
// and for a hello-world aws-lambda-go function that does nothing: ns/op is
// the wall time from starting the emulator with the bootstrap to the answer
// to its first event; init-ms is the INIT phase as the emulator reports it
// ("INIT REPORT(durationMs: …)": from starting the runtime process to its
// first request for an event), the figure Lambda reports as Init Duration;
// first-invoke-ms is the Duration the emulator reports for that first
// invocation, which does the whole job against the fake (a cold SDK client,
// the first connection, lazy tables).
func BenchmarkInit(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			f, url := newFake(b)
			artifacts(b) // build outside the timing
			var initTotal, firstTotal time.Duration
			b.ResetTimer()
			for i := range b.N {
				em := startEmulator(b, c.name, url, benchConfig(c.name))
				rid := fmt.Sprintf("bench-init-%s-%d", c.name, i)
				c.invokeChecked(b, f, em, rid)
				b.StopTimer()
				d := em.initDuration()
				if d == 0 {
					b.Fatalf("the emulator reported no INIT duration:\n%s", em.logs)
				}
				initTotal += d
				firstTotal += em.invokeDuration(rid)
				em.stop()
				b.StartTimer()
			}
			b.ReportMetric(float64(initTotal)/float64(time.Millisecond)/float64(b.N), "init-ms")
			b.ReportMetric(float64(firstTotal)/float64(time.Millisecond)/float64(b.N), "first-invoke-ms")
		})
	}
}

// BenchmarkInvoke measures warm invocations: one event after another to a
// running function, over HTTP through the emulator, against the fake IAM and
// SNS on loopback (so it measures iamguard and the runtime, not AWS). Each
// does the whole job (see benchCases). p50-ms and p99-ms are latency
// percentiles of the invocation round trip.
func BenchmarkInvoke(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			f, url := newFake(b)
			em := startEmulator(b, c.name, url, benchConfig(c.name))
			c.invokeChecked(b, f, em, "bench-invoke-cold") // the cold start, untimed
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				lat = append(lat, c.invokeChecked(b, f, em, fmt.Sprintf("bench-invoke-%s-%d", c.name, i)))
			}
			b.StopTimer()
			slices.Sort(lat)
			ms := func(q float64) float64 {
				return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
		})
	}
}
