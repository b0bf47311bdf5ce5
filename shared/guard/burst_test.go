package guard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/action/iamaction"
	"github.com/iamguard/iamguard/shared/awsenv"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/notify"
	"github.com/iamguard/iamguard/shared/outcome/outcometest"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// The burst: how many distinct events, how many function instances handle
// them at once (Lambda's concurrency for the function), how many events
// EventBridge delivers twice, and the throttling the local IAM and SNS
// apply (token buckets per API, as IAM describes its own).
const (
	burstEvents      = 10000
	burstInstances   = 16
	burstDuplicateIn = 20 // every 20th event is delivered twice, at once
	// invocationTimeout stands for the function's timeout (60 s in the
	// stack), shortened: the invocation's deadline, and so its claim's
	// lease in the outcome store.
	invocationTimeout = 20 * time.Second
	// lambdaRetries is Lambda's retries of an asynchronous invocation that
	// failed. Lambda waits a minute or more; here the retry comes once the
	// failed invocation's lease has lapsed, as it would in Lambda.
	lambdaRetries    = 2
	lambdaRetryAfter = invocationTimeout
)

// BenchmarkBurst drives a burst of burstEvents AttachUserPolicy events
// (AdministratorAccess, each on its own user; 5% delivered twice at once)
// through warm policy-guard handlers in remediate mode, burstInstances at a
// time, each instance with its own SDK clients as a Lambda instance has,
// configured as in the function (awsenv: the SDK's standard retryer, 3
// attempts, backoff up to 20 s, its retry quota), against the local IAM and
// SNS throttled by token buckets, with the outcome store in memory. Each
// invocation has a deadline, as in Lambda, and a failed one is retried as
// Lambda retries it (twice, after its lease lapsed). It fails if an
// event ends without an alert or a policy is detached twice, and reports
// the latency of an invocation (p50, p90, p99, max) and what became of the
// events. Run: go test -run '^$' -bench Burst -benchtime 1x ./shared/guard
func BenchmarkBurst(b *testing.B) {
	n := burstEvents
	if testing.Short() {
		n = 1000
	}
	template, err := os.ReadFile("../../events/AttachUserPolicy-stratus-1-eventbridge.json")
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	b.Cleanup(func() { slog.SetDefault(quiet) })
	for _, th := range []throttle{
		// IAM answers 400 calls a second per API (a bucket of 100), SNS
		// 800 publishes a second (200): the burst is throttled, the SDK's
		// retries absorb most of it.
		{"iam-400tps", 400, 100, 800, 200},
		// IAM at 100 a second (20): the burst outruns the SDK's retries.
		{"iam-100tps", 100, 20, 800, 200},
	} {
		b.Run(th.name, func(b *testing.B) {
			for range b.N {
				runBurst(b, n, template, th)
			}
		})
	}
}

// throttle is the local IAM's and SNS's token buckets: calls a second per
// API, and the bucket.
type throttle struct {
	name      string
	iamRate   float64
	iamBucket int
	snsRate   float64
	snsBucket int
}

func runBurst(b *testing.B, n int, template []byte, th throttle) {
	b.Helper()
	b.StopTimer()
	fake := fakeaws.New()
	url := fake.Start(b)
	const topic = "arn:aws:sns:us-east-1:" + fakeaws.AccountID + ":iamguard-alerts"
	seed := fakeaws.Seed{Topics: []string{topic}}
	users := make([]string, n)
	events := make([][]byte, n)
	for i := range n {
		users[i] = fmt.Sprintf("burst-user-%05d", i)
		seed.Users = append(seed.Users, fakeaws.SeedPrincipal{Name: users[i], AttachedPolicies: []string{adminPolicy}})
		events[i] = []byte(strings.NewReplacer(
			// The sample's account is made the fake's: only events for
			// the stack's own account are acted on.
			"229654561268", fakeaws.AccountID,
			"malicious-iam-user", users[i],
			"083dc4ad-e264-46bc-a407-d0dd31b58bdc", fmt.Sprintf("0b0a5700-0000-4000-8000-%012d", i),
			"7bf73129-1428-4cd3-a780-95db273d1602", fmt.Sprintf("0b0a5700-0000-4000-9000-%012d", i),
		).Replace(string(template)))
	}
	if err := fake.Load(seed); err != nil {
		b.Fatal(err)
	}
	for _, action := range []string{"ListUserTags", "DetachUserPolicy"} {
		fake.Limit(action, th.iamRate, th.iamBucket, "Throttling")
	}
	fake.Limit("Publish", th.snsRate, th.snsBucket, "Throttling")

	env := map[string]string{
		config.EnvTopicARN: topic, config.EnvModes: "wildcard-policy=remediate",
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_ENDPOINT_URL": url,
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		b.Fatal(err)
	}
	store := &outcometest.Memory{}
	var ids []string
	for _, a := range rules.PolicyGuard.Actions() {
		ids = append(ids, a.ID)
	}
	// One warm handler per instance, built as guard.Main builds it.
	handlers := make([]*Handler, burstInstances)
	for i := range handlers {
		awsCfg, err := awsenv.Config(context.Background(), AppID, getenv)
		if err != nil {
			b.Fatal(err)
		}
		client := iam.NewFromConfig(awsCfg)
		h, err := New(rules.PolicyGuard, cfg, rules.Resolvers{rules.AWSManaged{}, iamaction.Resolver{API: client, Groups: client}},
			remediate.New(cfg, iamaction.Executors(client).Only(ids...)), notify.NewPublisher(sns.NewFromConfig(awsCfg), topic))
		if err != nil {
			b.Fatal(err)
		}
		h.metrics = io.Discard
		handlers[i] = h.WithOutcomes(store)
	}

	type delivery struct{ event, attempt int }
	queue := make(chan delivery, 2*n)
	var pending sync.WaitGroup
	var mu sync.Mutex
	var latencies []time.Duration
	var failedInvocations, parked int
	for i := range n {
		pending.Add(1)
		queue <- delivery{event: i}
		if i%burstDuplicateIn == 0 {
			pending.Add(1)
			queue <- delivery{event: i}
		}
	}
	b.StartTimer()
	start := time.Now()
	for _, h := range handlers {
		go func() {
			for d := range queue {
				t0 := time.Now()
				ctx, cancel := context.WithTimeout(context.Background(), invocationTimeout)
				err := h.Handle(ctx, events[d.event])
				cancel()
				took := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, took)
				if err != nil {
					failedInvocations++
					if d.attempt >= lambdaRetries {
						parked++ // the on-failure queue, and its alarm
					}
				}
				mu.Unlock()
				if err != nil && d.attempt < lambdaRetries {
					pending.Add(1)
					go func() {
						time.Sleep(lambdaRetryAfter)
						queue <- delivery{event: d.event, attempt: d.attempt + 1}
					}()
				}
				pending.Done()
			}
		}()
	}
	pending.Wait()
	wall := time.Since(start)
	b.StopTimer()
	close(queue)

	// Every event has an alert; no policy was detached twice.
	alerts := map[string][]string{} // event ID -> statuses
	for _, m := range fake.Published() {
		var bodies map[string]string
		if err := json.Unmarshal([]byte(m.Message), &bodies); err != nil {
			b.Fatal(err)
		}
		var a struct {
			Finding struct{ EventID string }
			Outcome struct{ Status, Undo string }
		}
		if err := json.Unmarshal([]byte(bodies["default"]), &a); err != nil {
			b.Fatal(err)
		}
		if a.Outcome.Status == "done" && a.Outcome.Undo == "" {
			b.Errorf("event %s: a done alert without its undo", a.Finding.EventID)
		}
		alerts[a.Finding.EventID] = append(alerts[a.Finding.EventID], a.Outcome.Status)
	}
	detached := map[string]int{}
	throttled := map[string]int{}
	for _, c := range fake.Calls() {
		switch {
		case c.Error == "Throttling":
			throttled[c.Action]++
		case c.Action == "DetachUserPolicy" && c.Error == "":
			detached[c.Params["UserName"]]++
		}
	}
	statuses := map[string]int{}
	var lost, twice int
	for i := range n {
		id := fmt.Sprintf("0b0a5700-0000-4000-8000-%012d", i)
		if len(alerts[id]) == 0 {
			lost++
		}
		for _, s := range alerts[id] {
			statuses[s]++
		}
		if detached[users[i]] > 1 {
			twice++
		}
	}
	if lost > 0 || twice > 0 {
		b.Errorf("%d events without an alert, %d policies detached twice", lost, twice)
	}
	if statuses["done"] == 0 {
		// A burst that acts on nothing measures nothing (events not proven
		// real, say): fail rather than report its speed.
		b.Errorf("no rollback was done: alerts by status %v", statuses)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(0.90).Microseconds())/1000, "p90-ms")
	b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(n)/wall.Seconds(), "events/s")
	b.Logf("%d events (%d deliveries, %d invocations, %d failed and retried, %d parked) by %d instances in %s; alerts by status %v; "+
		"%d detached, %d twice, %d without an alert; throttled calls %v; latency p50 %s p90 %s p99 %s max %s",
		n, n+(n+burstDuplicateIn-1)/burstDuplicateIn, len(latencies), failedInvocations, parked, burstInstances, wall.Round(time.Millisecond),
		statuses, len(detached), twice, lost, throttled, pct(0.50).Round(time.Millisecond), pct(0.90).Round(time.Millisecond),
		pct(0.99).Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond))
}
