//go:build unix

// Package functions_test runs the deployed Lambda functions end to end: each
// real bootstrap, built for the host, under the AWS Lambda Runtime Interface
// Emulator, with a Lambda-like environment, against the fakeaws IAM and SNS.
// It asserts the exact IAM calls each event causes, the SNS messages against
// golden files (go test ./functions -update rewrites them), and the log.
package functions_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/rules"
)

const (
	account  = fakeaws.AccountID
	topicARN = "arn:aws:sns:us-east-1:" + account + ":iamguard-alerts"

	adminPolicy    = "arn:aws:iam::aws:policy/AdministratorAccess"
	customerPolicy = "arn:aws:iam::" + account + ":policy/cg-raynor-policy-cgidwg95rcdjvv"
	missingPolicy  = "arn:aws:iam::" + account + ":policy/vanished-policy"

	exemptTag = config.DefaultExemptTag

	// The keys the events name, and others that must never be touched.
	newKey        = "AKIAXAFZN8JEPF6L682H" // CreateAccessKey-stratus-1's new key
	oldKey        = "AKIAOLDKEY0000000001"
	breakGlassKey = "AKIABREAKGLASS000001"
	buildAgentKey = "AKIABUILDAGENT000001"
	ciBotKey      = "AKIACIBOT00000000001"
	legacyAppKey  = "AKIALEGACYAPP0000001"
	forgedKey     = "AKIAFORGEDBARE000001"
)

// Policy documents: the customer policy's safe v1 and the admin access that
// its v2, and the inline policy the PutUserPolicy event writes, grant.
const (
	safeDocument  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::cg-raynor-reports/*"}]}`
	adminDocument = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	// inlineAdmin is PutUserPolicy-panther-2's document with Deny made Allow,
	// as in events/PutRolePolicy-admin-derived.json.
	inlineAdmin = "{\n\t\"Version\": \"2012-10-17\",\n\t\"Statement\": [\n\t\t{\n\t\t\t\"Sid\": \"AllowAll\",\n\t\t\t\"Effect\": \"Allow\",\n\t\t\t\"Action\": [\"*\"],\n\t\t\t\"Resource\": [\"*\"]\n\t\t}\n\t]\n}"
)

// newFake starts a fake IAM and SNS holding the account every scenario
// acts on.
func newFake(t testing.TB) (*fakeaws.Server, string) {
	t.Helper()
	f := fakeaws.New()
	url := f.Start(t)
	exempt := map[string]string{exemptTag: "true"}
	seed := fakeaws.Seed{
		Users: []fakeaws.SeedPrincipal{
			{Name: "christophe", AccessKeys: []fakeaws.SeedAccessKey{{ID: "AKIAOZUDECYXYM4ONAN4"}}},
			{Name: "malicious-iam-user", AttachedPolicies: []string{adminPolicy},
				AccessKeys: []fakeaws.SeedAccessKey{{ID: oldKey}, {ID: newKey}}},
			{Name: "break-glass-admin", Tags: exempt, AccessKeys: []fakeaws.SeedAccessKey{{ID: breakGlassKey}}},
			{Name: "build-agent", AccessKeys: []fakeaws.SeedAccessKey{{ID: buildAgentKey}}},
			{Name: "ci-bot", AccessKeys: []fakeaws.SeedAccessKey{{ID: ciBotKey}}},
			{Name: "legacy-app", AccessKeys: []fakeaws.SeedAccessKey{{ID: legacyAppKey}}},
			{Name: "forged-bare", AccessKeys: []fakeaws.SeedAccessKey{{ID: forgedKey}}},
			{Name: "deploy-bot", Tags: map[string]string{"team": "platform"}},
			{Name: "test-user", InlinePolicies: map[string]fakeaws.Document{"allow-all": inlineAdmin}},
			{Name: "raynor-cgidwg95rcdjvv", AttachedPolicies: []string{customerPolicy}},
		},
		Roles: []fakeaws.SeedPrincipal{
			{Name: "break-glass", Tags: exempt, AttachedPolicies: []string{adminPolicy}},
			{Name: "AWSServiceRoleForSupport", ServiceLinked: true, AttachedPolicies: []string{adminPolicy}},
			{Name: "iamguard-policy-guard"},
			{Name: "a-role", InlinePolicies: map[string]fakeaws.Document{"allow-all": inlineAdmin}},
		},
		Groups: []fakeaws.SeedPrincipal{
			{Name: "admins", AttachedPolicies: []string{adminPolicy}, InlinePolicies: map[string]fakeaws.Document{"allow-all": inlineAdmin}},
		},
		Policies: []fakeaws.SeedPolicy{{
			ARN: customerPolicy,
			Versions: []fakeaws.SeedPolicyVersion{
				{ID: "v1", Document: safeDocument},
				{ID: "v2", Document: adminDocument, Default: true},
			},
		}},
		Topics: []string{topicARN},
	}
	if err := f.Load(seed); err != nil {
		t.Fatalf("seed fake AWS: %v", err)
	}
	return f, url
}

// edit is one change to a sample record: a dotted path into the record and
// the value it gets.
type edit struct {
	path  string
	value any
}

// event returns the EventBridge event that carries events/<file> after the
// edits, as EventBridge would deliver it: the record's account is made the
// fake's, then the edits are applied, then cloudtrail.DecodeRecord and
// (*Record).EventBridgeEvent wrap it.
func event(t testing.TB, file string, edits ...edit) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "events", file))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	if src, _ := rec["recipientAccountId"].(string); src != "" && src != account {
		rec = replaceAccount(rec, src).(map[string]any)
	}
	for _, e := range edits {
		setPath(t, rec, e.path, e.value)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("encode %s: %v", file, err)
	}
	r, err := cloudtrail.DecodeRecord(b)
	if err != nil {
		t.Fatalf("DecodeRecord(%s): %v", file, err)
	}
	ev, err := r.EventBridgeEvent()
	if err != nil {
		t.Fatalf("EventBridgeEvent(%s): %v", file, err)
	}
	return ev
}

// detailOf is the record an EventBridge event carries, alone: what a caller
// who invokes the function directly can hand it.
func detailOf(t testing.TB, ev []byte) []byte {
	t.Helper()
	var env struct {
		Detail json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal(ev, &env); err != nil || len(env.Detail) == 0 {
		t.Fatalf("detailOf: %v", err)
	}
	return env.Detail
}

// envelopeSet changes one top-level field of an EventBridge event.
func envelopeSet(t testing.TB, ev []byte, key, value string) []byte {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(ev, &env); err != nil {
		t.Fatalf("envelopeSet: %v", err)
	}
	env[key], _ = json.Marshal(value)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("envelopeSet: %v", err)
	}
	return b
}

// replaceAccount puts the fake's account ID wherever a record names its own:
// as a whole value or inside an ARN.
func replaceAccount(v any, src string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = replaceAccount(e, src)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = replaceAccount(e, src)
		}
		return x
	case string:
		if x == src {
			return account
		}
		return strings.ReplaceAll(x, ":"+src+":", ":"+account+":")
	}
	return v
}

func setPath(t testing.TB, rec map[string]any, path string, value any) {
	t.Helper()
	keys := strings.Split(path, ".")
	m := rec
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("edit %s: %s is not an object", path, k)
		}
		m = next
	}
	m[keys[len(keys)-1]] = value
}

// otherSessionOfSelfRole is selfIdentity with another session name: what
// CloudTrail records for a function that is not iamguard's but was given
// iamguard's role.
func otherSessionOfSelfRole() map[string]any {
	id := selfIdentity()
	id["arn"] = "arn:aws:sts::" + account + ":assumed-role/iamguard-policy-guard/attacker-function"
	id["principalId"] = "AROAEXAMPLEIAMGUARD01:attacker-function"
	return id
}

// selfIdentity is the userIdentity CloudTrail records for a call made by
// the policy-guard function's role, shaped like the AssumedRole identity
// of events/PutRolePolicy-admin-derived.json (itself from Panther's fixture).
func selfIdentity() map[string]any {
	return map[string]any{
		"type":        "AssumedRole",
		"principalId": "AROAEXAMPLEIAMGUARD01:iamguard-policy-guard",
		"arn":         "arn:aws:sts::" + account + ":assumed-role/iamguard-policy-guard/iamguard-policy-guard",
		"accountId":   account,
		"accessKeyId": "ASIAEXAMPLEIAMGUARD1",
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{
				"type":        "Role",
				"principalId": "AROAEXAMPLEIAMGUARD01",
				"arn":         "arn:aws:iam::" + account + ":role/iamguard-policy-guard",
				"accountId":   account,
				"userName":    "iamguard-policy-guard",
			},
			"attributes": map[string]any{"creationDate": "2026-09-04T06:01:52Z", "mfaAuthenticated": "false"},
		},
	}
}

// iamCall is one IAM call as the fake received it.
type iamCall struct {
	Action string
	Params map[string]string
	Error  string // the error code the fake answered, "" on success
}

func call(action, errCode string, params ...string) iamCall {
	c := iamCall{Action: action, Params: map[string]string{}, Error: errCode}
	for i := 0; i+1 < len(params); i += 2 {
		c.Params[params[i]] = params[i+1]
	}
	return c
}

// scenario is one invocation and everything it must cause.
type scenario struct {
	name  string
	event []byte
	// faults are injected just before the invocation; what is left of
	// them is cleared after it.
	faults []fault
	// wantIAM are the IAM calls, exactly, in order.
	wantIAM []iamCall
	// wantPublishErrors are the error codes of failed Publish attempts;
	// every scenario that publishes ends with one successful Publish
	// unless wantError is set.
	wantPublishErrors []string
	// wantPublished is the number of messages published (compared with
	// testdata/e2e/<group>-<name>.golden when non-zero).
	wantPublished int
	// wantError: the invocation fails (Lambda retries the event), with an
	// errorMessage holding each of these.
	wantError []string
	// wantLog is the message and action of the invocation's summary line.
	wantLog, wantAction string
	// wantDebugEvent: the invocation logs the event it received at DEBUG
	// (AWS_LAMBDA_LOG_LEVEL=DEBUG), and only there.
	wantDebugEvent bool
	// check asserts the fake's IAM state afterwards.
	check func(t *testing.T, f *fakeaws.Server)
}

// fault makes the next times calls of action answer with an error code.
type fault struct {
	action, code string
	times        int
}

// group is one function under one configuration: one emulator, started
// cold, that runs its scenarios in order against one fake.
type group struct {
	name      string
	function  string
	config    map[string]string
	scenarios []scenario
}

func (g group) run(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the functions and runs them under the emulator")
	}
	f, url := newFake(t)
	env := map[string]string{config.EnvTopicARN: topicARN}
	for k, v := range g.config {
		env[k] = v
	}
	em := startEmulator(t, g.function, url, env)
	for i, sc := range g.scenarios {
		t.Run(sc.name, func(t *testing.T) {
			f.Reset()
			for _, ft := range sc.faults {
				f.FailNext(ft.action, ft.code, ft.times)
				t.Cleanup(func() { f.FailNext(ft.action, "", 0) })
			}
			rid := fmt.Sprintf("e2e-%s-%02d-%s", g.name, i+1, sc.name)
			status, body := em.invoke(t, rid, sc.event)
			checkResponse(t, sc, status, body)
			checkCalls(t, sc, f.Calls())
			observe(g.function, f.Calls())
			checkPublished(t, g.name+"-"+sc.name, sc, f.Published())
			checkLog(t, em, rid, sc)
			if sc.check != nil {
				sc.check(t, f)
			}
		})
	}
}

func checkResponse(t *testing.T, sc scenario, status int, body []byte) {
	t.Helper()
	if len(sc.wantError) == 0 {
		if status != http.StatusOK || string(body) != "null" {
			t.Errorf("invoke = %d %s, want 200 null", status, body)
		}
		return
	}
	// A function error: the emulator answers 200 with the runtime's error
	// object, as the Invoke API does (which also sets X-Amz-Function-Error;
	// the emulator does not). An asynchronous invocation, as EventBridge
	// makes, is then retried by Lambda.
	if status != http.StatusOK {
		t.Errorf("invoke = %d, want 200 with an error object", status)
	}
	var fe struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if err := json.Unmarshal(body, &fe); err != nil || fe.ErrorMessage == "" {
		t.Fatalf("invoke = %d %s, want an error object", status, body)
	}
	for _, w := range sc.wantError {
		if !strings.Contains(fe.ErrorMessage, w) {
			t.Errorf("errorMessage = %q, want it to contain %q", fe.ErrorMessage, w)
		}
	}
}

func checkCalls(t *testing.T, sc scenario, calls []fakeaws.Call) {
	t.Helper()
	var gotIAM []iamCall
	var gotPublishErrors []string
	for _, c := range calls {
		switch {
		case c.Service == fakeaws.ServiceIAM:
			gotIAM = append(gotIAM, iamCall{Action: c.Action, Params: c.Params, Error: c.Error})
		case c.Service == fakeaws.ServiceSNS && c.Action == "Publish":
			if c.Error != "" {
				gotPublishErrors = append(gotPublishErrors, c.Error)
			} else if c.Params["TopicArn"] != topicARN {
				t.Errorf("Publish to %q, want %q", c.Params["TopicArn"], topicARN)
			}
		default:
			t.Errorf("unexpected call %s %s", c.Service, c.Action)
		}
	}
	if diff := cmp.Diff(sc.wantIAM, gotIAM, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("IAM calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sc.wantPublishErrors, gotPublishErrors, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("failed Publish attempts (-want +got):\n%s", diff)
	}
}

// requestIDPattern matches the request IDs the fake (and AWS) put in error
// messages; they count the calls before, so they change whenever a
// scenario is added.
var requestIDPattern = regexp.MustCompile(`RequestID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func checkPublished(t *testing.T, name string, sc scenario, msgs []fakeaws.Message) {
	t.Helper()
	if len(msgs) != sc.wantPublished {
		t.Fatalf("published %d messages, want %d: %+v", len(msgs), sc.wantPublished, msgs)
	}
	if len(msgs) == 0 {
		return
	}
	var b strings.Builder
	for i, m := range msgs {
		renderMessage(t, &b, i+1, len(msgs), m)
	}
	got := requestIDPattern.ReplaceAllString(b.String(), "RequestID: <request-id>")
	golden.Check(t, filepath.Join("testdata", "e2e", name+".golden"), []byte(got))
}

// renderMessage writes one SNS message for a golden file: its envelope,
// then each protocol's body as a subscriber of that protocol receives it.
func renderMessage(t *testing.T, b *strings.Builder, n, of int, m fakeaws.Message) {
	t.Helper()
	if m.TopicARN != topicARN {
		t.Errorf("message %d topic = %q, want %q", n, m.TopicARN, topicARN)
	}
	if m.MessageStructure != "json" {
		t.Errorf("message %d MessageStructure = %q, want json", n, m.MessageStructure)
	}
	var bodies map[string]string
	if err := json.Unmarshal([]byte(m.Message), &bodies); err != nil {
		t.Fatalf("message %d is not a JSON object of strings: %v", n, err)
	}
	var keys []string
	for k := range bodies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"default", "email", "https", "lambda", "sqs"}; !slices.Equal(keys, want) {
		t.Errorf("message %d protocols = %v, want %v", n, keys, want)
	}
	if bodies["sqs"] != bodies["default"] || bodies["lambda"] != bodies["default"] {
		t.Errorf("message %d: sqs and lambda bodies differ from default", n)
	}
	var chat struct {
		Version string `json:"version"`
		Source  string `json:"source"`
	}
	if err := json.Unmarshal([]byte(bodies["https"]), &chat); err != nil || chat.Version != "1.0" || chat.Source != "custom" {
		t.Errorf("message %d https body is not a Chatbot custom notification (version 1.0, source custom): %v", n, err)
	}

	fmt.Fprintf(b, "=== message %d of %d\n", n, of)
	fmt.Fprintf(b, "topic: %s\nsubject: %s\nmessageStructure: %s\nattributes:\n", m.TopicARN, m.Subject, m.MessageStructure)
	var names []string
	for k := range m.Attributes {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(b, "  %s (%s): %s\n", k, m.AttributeTypes[k], m.Attributes[k])
	}
	fmt.Fprintf(b, "--- email\n%s", bodies["email"])
	fmt.Fprintf(b, "--- https (Amazon Q Developer in chat applications custom notification)\n%s\n", indentJSON(t, bodies["https"]))
	fmt.Fprintf(b, "--- default (also sqs and lambda)\n%s\n", indentJSON(t, bodies["default"]))
}

func indentJSON(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		t.Errorf("body is not JSON: %v\n%s", err, s)
		return s
	}
	return buf.String()
}

// logLine is one JSON log line written by a function.
type logLine map[string]any

func (l logLine) str(k string) string { s, _ := l[k].(string); return s }

// functionLogs returns the JSON lines in the emulator's output (the
// function's stdout; the emulator's own lines are text). It fails the test
// on a line that starts like JSON but is not, or lacks the fields Lambda's
// JSON log format has.
func functionLogs(t *testing.T, em *emulator) []logLine {
	t.Helper()
	var out []logLine
	for _, s := range strings.Split(em.logs.String(), "\n") {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		var l logLine
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Errorf("log line is not JSON: %v\n%s", err, s)
			continue
		}
		if _, emf := l["_aws"]; emf {
			// A metric in CloudWatch's embedded metric format (the canary's
			// heartbeat): CloudWatch Logs reads it by its _aws key.
			out = append(out, l)
			continue
		}
		for _, k := range []string{"timestamp", "level", "message"} {
			if l.str(k) == "" {
				t.Errorf("log line has no %s: %s", k, s)
			}
		}
		out = append(out, l)
	}
	return out
}

func checkLog(t *testing.T, em *emulator, rid string, sc scenario) {
	t.Helper()
	// The function's stdout reaches the buffer through the emulator's pipe,
	// which may deliver the last line just after the invocation's answer:
	// wait for it, bounded, rather than race it.
	var mine []logLine
	found := false
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mine = mine[:0]
		for _, l := range functionLogs(t, em) {
			if l.str("requestId") == rid {
				mine = append(mine, l)
			}
		}
		found = slices.ContainsFunc(mine, func(l logLine) bool {
			return l.str("message") == sc.wantLog && l.str("action") == sc.wantAction
		})
		if found || time.Now().After(deadline) {
			break
		}
	}
	if len(mine) == 0 {
		t.Fatalf("no log line with requestId %s in:\n%s", rid, em.logs)
	}
	if !found {
		t.Errorf("no log line %q with action %q for request %s; got %v", sc.wantLog, sc.wantAction, rid, mine)
	}
	debugEvent := slices.ContainsFunc(mine, func(l logLine) bool {
		return l.str("level") == "DEBUG" && strings.Contains(l.str("event"), "userIdentity")
	})
	if debugEvent != sc.wantDebugEvent {
		t.Errorf("event logged at DEBUG = %v, want %v", debugEvent, sc.wantDebugEvent)
	}
	checkNoEventLogged(t, em)
}

// checkNoEventLogged fails if a log line holds a whole event: INFO and
// above say what was decided, never what was received (events are logged
// only at DEBUG), and every line written during an invocation names it.
func checkNoEventLogged(t *testing.T, em *emulator) {
	t.Helper()
	for _, l := range functionLogs(t, em) {
		b, _ := json.Marshal(l)
		if s := string(b); l.str("level") != "DEBUG" &&
			(strings.Contains(s, "requestParameters") || strings.Contains(s, "detail-type") || strings.Contains(s, "userIdentity")) {
			t.Errorf("log line at %s holds the event: %s", l.str("level"), s)
		}
		// The only lines without a request ID: the configuration check at
		// INIT, and the runtime's own report of an error it returns.
		if l.str("requestId") == "" && l.str("message") != "invalid configuration" && !strings.HasPrefix(l.str("message"), `{"errorMessage"`) {
			t.Errorf("log line without requestId: %v", l)
		}
	}
}

// Log messages of the guard's summary lines.
const (
	logEvaluated   = "iam change evaluated"
	logUnpublished = "iam change evaluated; alert not published"
	logSelf        = "iam change ignored: made by iamguard itself"
	logUnevaluated = "event not evaluated"
)

// keyStatus checks a user's access key status in the fake.
func keyStatus(user, key, want string) func(t *testing.T, f *fakeaws.Server) {
	return func(t *testing.T, f *fakeaws.Server) {
		t.Helper()
		if got, ok := f.AccessKeyStatus(user, key); !ok || got != want {
			t.Errorf("access key %s of %s = %q (exists %v), want %q", key, user, got, ok, want)
		}
	}
}

func TestRootActivity(t *testing.T) {
	login := event(t, "ConsoleLogin-awsdocs-ct-4.json")
	// The same event as EventBridge delivers it, cut short: a body that is
	// not JSON at all.
	whole, err := os.ReadFile(filepath.Join("..", "events", "ConsoleLogin-awsdocs-ct-4-eventbridge.json"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := whole[:200]
	group{
		name:     "root-activity",
		function: fnRootActivity,
		scenarios: []scenario{
			{
				name:          "console-login-without-mfa",
				event:         login,
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "notify-only",
			},
			{
				name: "root-api-call",
				// constructed in events/: the root user creating its own access key.
				event:         event(t, "CreateAccessKey-root-derived.json", edit{"awsRegion", "us-east-1"}),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "notify-only",
			},
			{
				name:          "malformed-event",
				event:         truncated,
				wantPublished: 1,
				wantLog:       logUnevaluated, wantAction: "skipped",
			},
			{
				name:  "sns-failing",
				event: login,
				// More failures than the SDK's three attempts.
				faults:            []fault{{"Publish", "InternalError", 4}},
				wantPublishErrors: []string{"InternalError", "InternalError", "InternalError"},
				wantError:         []string{"publish alert for event deb1e1f9-c99b-4612-8e9f-21f93b5d79c0 to " + topicARN, "InternalError"},
				wantLog:           logUnpublished, wantAction: "notify-only",
			},
		},
	}.run(t)
}

// TestDebugLogging runs root-activity at AWS_LAMBDA_LOG_LEVEL=DEBUG: the
// event received is logged there, which shows that the INFO runs above
// would have caught an event logged at INFO.
func TestDebugLogging(t *testing.T) {
	group{
		name:     "root-activity-debug",
		function: fnRootActivity,
		config:   map[string]string{"AWS_LAMBDA_LOG_LEVEL": "DEBUG"},
		scenarios: []scenario{{
			name:           "console-login-without-mfa",
			event:          event(t, "ConsoleLogin-awsdocs-ct-4.json"),
			wantPublished:  1,
			wantDebugEvent: true,
			wantLog:        logEvaluated, wantAction: "notify-only",
		}},
	}.run(t)
}

// TestInitFailure starts a function without its topic: the configuration
// check must fail INIT (Lambda then reports an init error and retries the
// INIT on the next event), naming the variable, and call nothing.
func TestInitFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the functions and runs them under the emulator")
	}
	f, url := newFake(t)
	em := startEmulator(t, fnRootActivity, url, map[string]string{config.EnvModes: "root-console-login=notify"})
	status, body := em.invoke(t, "e2e-init-failure", event(t, "ConsoleLogin-awsdocs-ct-4.json"))
	if status != http.StatusBadGateway {
		t.Errorf("invoke = %d %s, want 502 (the emulator's answer when INIT failed)", status, body)
	}
	// The emulator may write its last lines just after it answers: wait
	// for them, bounded.
	logs := em.waitLog(5*time.Second, "INIT RTDONE(status: error)", "Init failed")
	for _, want := range []string{"INIT RTDONE(status: error)", "Init failed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("emulator log lacks %q:\n%s", want, logs)
		}
	}
	found := false
	for _, l := range functionLogs(t, em) {
		if l.str("level") == "ERROR" && l.str("message") == "invalid configuration" && strings.Contains(l.str("err"), config.EnvTopicARN+" is required") {
			found = true
		}
	}
	if !found {
		t.Errorf("no ERROR log line naming %s:\n%s", config.EnvTopicARN, logs)
	}
	if calls := f.Calls(); len(calls) > 0 {
		t.Errorf("calls = %v, want none", calls)
	}
}

func TestAccessKeys(t *testing.T) {
	created := event(t, "CreateAccessKey-stratus-1.json", edit{"awsRegion", "us-east-1"})
	createdFor := func(user, key string, more ...edit) []byte {
		return event(t, "CreateAccessKey-stratus-1.json", append([]edit{
			{"awsRegion", "us-east-1"},
			{"requestParameters.userName", user},
			{"responseElements.accessKey.userName", user},
			{"responseElements.accessKey.accessKeyId", key},
		}, more...)...)
	}
	keyCalls := func(user string) []iamCall {
		return []iamCall{call("ListUserTags", "", "UserName", user), call("ListAccessKeys", "", "UserName", user)}
	}
	deactivate := func(user, key, errCode string) iamCall {
		return call("UpdateAccessKey", errCode, "UserName", user, "AccessKeyId", key, "Status", "Inactive")
	}
	bothKeys := func(newStatus string) func(t *testing.T, f *fakeaws.Server) {
		return func(t *testing.T, f *fakeaws.Server) {
			keyStatus("malicious-iam-user", newKey, newStatus)(t, f)
			keyStatus("malicious-iam-user", oldKey, "Active")(t, f)
		}
	}

	t.Run("remediate", group{
		name:     "access-keys-remediate",
		function: fnAccessKeys,
		config: map[string]string{
			config.EnvModes:                "access-key-created=remediate",
			config.EnvRemediateMinSeverity: "medium",
			config.EnvExemptPrincipals:     "arn:aws:iam::" + account + ":user/deploy-*",
			config.EnvSelfRoleARNs:         "arn:aws:iam::" + account + ":role/iamguard-*",
		},
		scenarios: []scenario{
			{
				name:          "deactivates-new-key",
				event:         created,
				wantIAM:       append(keyCalls("malicious-iam-user"), deactivate("malicious-iam-user", newKey, "")),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: bothKeys("Inactive"),
			},
			{
				name:          "same-event-again",
				event:         created,
				wantIAM:       keyCalls("malicious-iam-user"),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "already-undone",
				check: bothKeys("Inactive"),
			},
			{
				name:          "exempt-by-tag",
				event:         createdFor("break-glass-admin", breakGlassKey),
				wantIAM:       []iamCall{call("ListUserTags", "", "UserName", "break-glass-admin")},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: keyStatus("break-glass-admin", breakGlassKey, "Active"),
			},
			{
				name: "exempt-principal",
				event: createdFor("build-agent", buildAgentKey,
					edit{"userIdentity.userName", "deploy-bot"},
					edit{"userIdentity.arn", "arn:aws:iam::" + account + ":user/deploy-bot"}),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: keyStatus("build-agent", buildAgentKey, "Active"),
			},
			// Forged events: anyone allowed to invoke the function can
			// hand it any payload. Each is reported, none is acted on.
			{
				name:          "forged-bare-record",
				event:         detailOf(t, createdFor("forged-bare", forgedKey)),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: keyStatus("forged-bare", forgedKey, "Active"),
			},
			{
				name:          "forged-custom-source",
				event:         envelopeSet(t, createdFor("forged-bare", forgedKey), "source", "custom.iam"),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: keyStatus("forged-bare", forgedKey, "Active"),
			},
			{
				name:          "forged-other-account",
				event:         envelopeSet(t, createdFor("forged-bare", forgedKey), "account", "999988887777"),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: keyStatus("forged-bare", forgedKey, "Active"),
			},
			{
				name:          "throttled-twice",
				event:         createdFor("ci-bot", ciBotKey),
				faults:        []fault{{"UpdateAccessKey", "Throttling", 2}},
				wantIAM:       append(keyCalls("ci-bot"), deactivate("ci-bot", ciBotKey, "Throttling"), deactivate("ci-bot", ciBotKey, "Throttling"), deactivate("ci-bot", ciBotKey, "")),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: keyStatus("ci-bot", ciBotKey, "Inactive"),
			},
			{
				name:   "service-failure",
				event:  createdFor("legacy-app", legacyAppKey),
				faults: []fault{{"UpdateAccessKey", "ServiceFailure", 5}},
				wantIAM: append(keyCalls("legacy-app"), deactivate("legacy-app", legacyAppKey, "ServiceFailure"),
					deactivate("legacy-app", legacyAppKey, "ServiceFailure"), deactivate("legacy-app", legacyAppKey, "ServiceFailure")),
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "failed",
				check: keyStatus("legacy-app", legacyAppKey, "Active"),
			},
		},
	}.run)

	t.Run("dry-run", group{
		name:     "access-keys-dry-run",
		function: fnAccessKeys,
		config: map[string]string{
			config.EnvModes:                "access-key-created=dry-run",
			config.EnvRemediateMinSeverity: "medium",
		},
		scenarios: []scenario{{
			name:          "reads-but-changes-nothing",
			event:         created,
			wantIAM:       keyCalls("malicious-iam-user"),
			wantPublished: 1,
			wantLog:       logEvaluated, wantAction: "dry-run",
			check: bothKeys("Active"),
		}},
	}.run)

	t.Run("notify", group{
		name:     "access-keys-notify",
		function: fnAccessKeys,
		scenarios: []scenario{{
			name:          "calls-no-iam",
			event:         created,
			wantPublished: 1,
			wantLog:       logEvaluated, wantAction: "notify-only",
			check: bothKeys("Active"),
		}},
	}.run)
}

func TestPolicyGuard(t *testing.T) {
	attachUser := event(t, "AttachUserPolicy-stratus-1.json", edit{"awsRegion", "us-east-1"})
	attachRole := func(role string) []byte {
		return event(t, "AttachRolePolicy-stratus-1.json", edit{"awsRegion", "us-east-1"}, edit{"requestParameters.roleName", role})
	}
	attached := func(kind, name string, want bool) func(t *testing.T, f *fakeaws.Server) {
		return func(t *testing.T, f *fakeaws.Server) {
			t.Helper()
			if got := slices.Contains(f.Attached(kind, name), adminPolicy); got != want {
				t.Errorf("AdministratorAccess attached to %s %s = %v, want %v", kind, name, got, want)
			}
		}
	}
	defaultVersion := func(want string) func(t *testing.T, f *fakeaws.Server) {
		return func(t *testing.T, f *fakeaws.Server) {
			t.Helper()
			if got, _ := f.DefaultVersion(customerPolicy); got != want {
				t.Errorf("default version of %s = %q, want %q", customerPolicy, got, want)
			}
		}
	}
	// SetDefaultPolicyVersion-moussa-cloudgoat-1 made v3 the default; the
	// fake's policy has v1 (safe) and v2 (admin).
	setDefault := func(version string, more ...edit) []byte {
		return event(t, "SetDefaultPolicyVersion-moussa-cloudgoat-1.json", append([]edit{{"requestParameters.versionId", version}}, more...)...)
	}

	t.Run("remediate", group{
		name:     "policy-guard-remediate",
		function: fnPolicyGuard,
		config: map[string]string{
			config.EnvModes:                "wildcard-policy=remediate",
			config.EnvRemediateMinSeverity: "medium",
			// As the stack configures it: the function's exact session.
			config.EnvSelfSessions: selfIdentity()["arn"].(string),
		},
		scenarios: []scenario{
			{
				name:  "attach-user-admin",
				event: attachUser,
				wantIAM: []iamCall{
					call("ListUserTags", "", "UserName", "malicious-iam-user"),
					call("DetachUserPolicy", "", "UserName", "malicious-iam-user", "PolicyArn", adminPolicy),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: attached(fakeaws.KindUser, "malicious-iam-user", false),
			},
			{
				name:  "attach-service-linked-role",
				event: attachRole("AWSServiceRoleForSupport"),
				wantIAM: []iamCall{
					call("ListRoleTags", "", "RoleName", "AWSServiceRoleForSupport"),
					call("DetachRolePolicy", "UnmodifiableEntity", "RoleName", "AWSServiceRoleForSupport", "PolicyArn", adminPolicy),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: attached(fakeaws.KindRole, "AWSServiceRoleForSupport", true),
			},
			{
				name:          "attach-break-glass-role",
				event:         attachRole("break-glass"),
				wantIAM:       []iamCall{call("ListRoleTags", "", "RoleName", "break-glass")},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
				check: attached(fakeaws.KindRole, "break-glass", true),
			},
			{
				name: "attach-group-admin",
				// AttachGroupPolicy-elastic-integ-1 attached ReadOnlyAccess;
				// here the same call attaches AdministratorAccess. Groups
				// carry no tags, so there is no tag lookup.
				event: event(t, "AttachGroupPolicy-elastic-integ-1.json",
					edit{"requestParameters.groupName", "admins"}, edit{"requestParameters.policyArn", adminPolicy}),
				wantIAM:       []iamCall{call("DetachGroupPolicy", "", "GroupName", "admins", "PolicyArn", adminPolicy)},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: attached(fakeaws.KindGroup, "admins", false),
			},
			{
				name: "put-user-policy-admin",
				// PutUserPolicy-panther-2 with its Deny made Allow (as
				// events/PutRolePolicy-admin-derived.json does) and named
				// for the seeded user.
				event: event(t, "PutUserPolicy-panther-2.json",
					edit{"requestParameters.userName", "test-user"},
					edit{"requestParameters.policyName", "allow-all"},
					edit{"requestParameters.policyDocument", inlineAdmin}),
				wantIAM: []iamCall{
					call("ListUserTags", "", "UserName", "test-user"),
					call("GetUserPolicy", "", "UserName", "test-user", "PolicyName", "allow-all"),
					call("DeleteUserPolicy", "", "UserName", "test-user", "PolicyName", "allow-all"),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: func(t *testing.T, f *fakeaws.Server) {
					if _, ok := f.InlinePolicy(fakeaws.KindUser, "test-user", "allow-all"); ok {
						t.Error("inline policy allow-all of test-user still exists")
					}
				},
			},
			{
				name: "put-role-policy-admin",
				// events/PutRolePolicy-admin-derived.json, on the seeded role
				// and with the seeded document.
				event: event(t, "PutRolePolicy-admin-derived.json",
					edit{"requestParameters.roleName", "a-role"},
					edit{"requestParameters.policyDocument", inlineAdmin}),
				wantIAM: []iamCall{
					call("ListRoleTags", "", "RoleName", "a-role"),
					call("GetRolePolicy", "", "RoleName", "a-role", "PolicyName", "allow-all"),
					call("DeleteRolePolicy", "", "RoleName", "a-role", "PolicyName", "allow-all"),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: func(t *testing.T, f *fakeaws.Server) {
					if _, ok := f.InlinePolicy(fakeaws.KindRole, "a-role", "allow-all"); ok {
						t.Error("inline policy allow-all of a-role still exists")
					}
				},
			},
			{
				name: "put-group-policy-admin",
				// events/PutGroupPolicy-derived.json, on the seeded group and
				// with the seeded document. Groups carry no tags.
				event: event(t, "PutGroupPolicy-derived.json",
					edit{"requestParameters.groupName", "admins"},
					edit{"requestParameters.policyName", "allow-all"},
					edit{"requestParameters.policyDocument", inlineAdmin}),
				wantIAM: []iamCall{
					call("GetGroupPolicy", "", "GroupName", "admins", "PolicyName", "allow-all"),
					call("DeleteGroupPolicy", "", "GroupName", "admins", "PolicyName", "allow-all"),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: func(t *testing.T, f *fakeaws.Server) {
					if _, ok := f.InlinePolicy(fakeaws.KindGroup, "admins", "allow-all"); ok {
						t.Error("inline policy allow-all of group admins still exists")
					}
				},
			},
			{
				name:  "set-default-version-admin",
				event: setDefault("v2"),
				wantIAM: []iamCall{
					call("GetPolicyVersion", "", "PolicyArn", customerPolicy, "VersionId", "v2"),
					call("ListPolicyTags", "", "PolicyArn", customerPolicy),
					call("ListPolicyVersions", "", "PolicyArn", customerPolicy),
					call("GetPolicyVersion", "", "PolicyArn", customerPolicy, "VersionId", "v1"),
					call("SetDefaultPolicyVersion", "", "PolicyArn", customerPolicy, "VersionId", "v1"),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "done",
				check: defaultVersion("v1"),
			},
			{
				name: "own-rollback-ignored",
				// The event iamguard's own rollback above causes: its role
				// set v1 back as the default.
				event:   setDefault("v1", edit{"userIdentity", selfIdentity()}, edit{"userAgent", "aws-sdk-go-v2/1.48.0 ua/2.1 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#arm64 api/iam#1.65.0 app/iamguard m/E"}),
				wantLog: logSelf, wantAction: "ignored",
				check: defaultVersion("v1"),
			},
			{
				name: "other-session-of-own-role-judged",
				// Another function given iamguard's role (its session is
				// named after that function) is not iamguard: its change
				// is judged and rolled back like anyone's.
				event: setDefault("v2", edit{"userIdentity", otherSessionOfSelfRole()}),
				wantIAM: []iamCall{
					call("GetPolicyVersion", "", "PolicyArn", customerPolicy, "VersionId", "v2"),
					call("ListPolicyTags", "", "PolicyArn", customerPolicy),
					call("ListPolicyVersions", "", "PolicyArn", customerPolicy),
				},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "already-undone",
				check: defaultVersion("v1"),
			},
			{
				name:          "customer-policy-unresolved",
				event:         event(t, "AttachUserPolicy-stratus-1.json", edit{"awsRegion", "us-east-1"}, edit{"requestParameters.policyArn", missingPolicy}),
				wantIAM:       []iamCall{call("GetPolicy", "NoSuchEntity", "PolicyArn", missingPolicy)},
				wantPublished: 1,
				wantLog:       logEvaluated, wantAction: "skipped",
			},
		},
	}.run)

	t.Run("notify", group{
		name:     "policy-guard-notify",
		function: fnPolicyGuard,
		scenarios: []scenario{{
			name:          "attach-user-admin",
			event:         attachUser,
			wantPublished: 1,
			wantLog:       logEvaluated, wantAction: "notify-only",
			check: attached(fakeaws.KindUser, "malicious-iam-user", true),
		}},
	}.run)
}

// TestLambdaEnvIsBuiltFromScratch: nothing of the host's AWS configuration
// (a CA bundle, a profile, an endpoint) reaches a function under test.
func TestLambdaEnvIsBuiltFromScratch(t *testing.T) {
	for _, k := range []string{"AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN", "IAMGUARD_MODES"} {
		t.Setenv(k, "from-the-host")
	}
	env := lambdaEnv(fnAccessKeys, t.TempDir(), "http://127.0.0.1:1", map[string]string{config.EnvTopicARN: topicARN})
	for _, kv := range env {
		if strings.Contains(kv, "from-the-host") {
			t.Errorf("host variable leaked into the function's environment: %s", kv)
		}
	}
	if !slices.Contains(env, "AWS_ENDPOINT_URL_IAM=http://127.0.0.1:1") || !slices.Contains(env, config.EnvTopicARN+"="+topicARN) {
		t.Errorf("environment lacks the endpoint or the configuration: %v", env)
	}
}

// observed collects, per function, every call (service:Operation) the
// function made to anything but SNS in any scenario. After a full run,
// TestMain compares it with testdata/e2e/calls-<function>.txt, which the
// infra tests hold each function's declared calls and role to: declared =
// granted = exercised.
var observed = struct {
	sync.Mutex
	calls map[string]map[string]bool
}{calls: func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range rules.Families() {
		out[f.ID] = map[string]bool{}
	}
	return out
}()}

// observe records the calls a function made through the fake.
func observe(function string, calls []fakeaws.Call) {
	observed.Lock()
	defer observed.Unlock()
	for _, c := range calls {
		// sns:Publish is every guard's base statement, not a declared call;
		// so are the confirmation's SendMessage and LookupEvents (infra's
		// TestConfirmationQueue checks those statements).
		if op := c.Service + ":" + c.Action; op != "sns:Publish" && op != "sqs:SendMessage" && op != "cloudtrail:LookupEvents" {
			observed.calls[function][c.Service+":"+c.Action] = true
		}
	}
}

// observeCall records one call (service:Operation) a function made
// elsewhere than the fake (moto's CloudTrail).
func observeCall(function, op string) {
	observed.Lock()
	defer observed.Unlock()
	observed.calls[function][op] = true
}

// checkObservedCalls runs after every test: only a complete run (no -run,
// -skip or -short) has seen every scenario.
func checkObservedCalls() error {
	if testing.Short() || flag.Lookup("test.run").Value.String() != "" || flag.Lookup("test.skip").Value.String() != "" {
		return nil
	}
	observed.Lock()
	defer observed.Unlock()
	var errs []error
	for fn, set := range observed.calls {
		var got []string
		for a := range set {
			got = append(got, a)
		}
		sort.Strings(got)
		text := "# Calls the " + fn + " function made in functions/e2e_test.go; written by go test ./functions -update.\n" +
			"# infra's tests require them to equal the calls its rules' actions declare, and its role to grant exactly those.\n" + strings.Join(got, "\n")
		if len(got) > 0 {
			text += "\n"
		}
		path := filepath.Join("testdata", "e2e", "calls-"+fn+".txt")
		if golden.Update() {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w (go test ./functions -update writes it)", err))
			continue
		}
		if string(want) != text {
			errs = append(errs, fmt.Errorf("%s: the calls %s made differ from the file (-want +got):\n%s", path, fn, cmp.Diff(string(want), text)))
		}
	}
	return errors.Join(errs...)
}
