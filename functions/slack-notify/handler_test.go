package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/notify"
)

// The webhook path is the credential; tests check that it never leaks.
const (
	secretPath = "/services/T0000/B0000/XXXXSECRETXXXX"
	secretPart = "XXXXSECRETXXXX"
	secretID   = "iamguard/slack-webhook"
)

// fakeSecrets answers GetSecretValue in the JSON 1.1 protocol, the way
// Secrets Manager does.
type fakeSecrets struct {
	secret *string // nil: ResourceNotFoundException
	target string  // X-Amz-Target of the last request
	body   map[string]any
}

func (f *fakeSecrets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.target = r.Header.Get("X-Amz-Target")
	_ = json.NewDecoder(r.Body).Decode(&f.body)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if f.secret == nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}`)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"ARN":          "arn:aws:secretsmanager:us-east-1:111122223333:secret:" + secretID + "-AbCdEf",
		"Name":         secretID,
		"SecretString": *f.secret,
		"VersionId":    "v1",
	})
}

func realSecrets(t *testing.T, f *fakeSecrets) *secretsmanager.Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return secretsmanager.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:   srv.Client(),
	})
}

func TestLoadWebhook(t *testing.T) {
	const hook = "https://hooks.slack.com" + secretPath
	tests := []struct {
		name    string
		secret  string
		wantErr string
	}{
		{"bare URL", hook, ""},
		{"bare URL with spaces", "  " + hook + "\n", ""},
		{"JSON", `{"webhookUrl": "` + hook + `"}`, ""},
		{"JSON other fields", `{"channel":"#sec","webhookUrl":"` + hook + `"}`, ""},
		{"http", "http://hooks.slack.com" + secretPath, "is not an https URL"},
		{"not a URL", "token " + secretPart, "is not an https URL"},
		{"bad URL", "https://hooks.slack.com/%zz" + secretPart, "is not an https URL"},
		{"JSON without URL", `{"url":"` + hook + `"}`, "not {\"webhookUrl\""},
		{"broken JSON", `{"webhookUrl": "` + hook, "not {\"webhookUrl\""},
		{"empty", "", "is not an https URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeSecrets{secret: aws.String(tc.secret)}
			w, err := loadWebhook(t.Context(), realSecrets(t, fake), secretID)
			if fake.target != "secretsmanager.GetSecretValue" || fake.body["SecretId"] != secretID {
				t.Errorf("Secrets Manager got target %q, body %v; want GetSecretValue of %s", fake.target, fake.body, secretID)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("loadWebhook: %v", err)
				}
				if w.url != hook || w.String() != "https://hooks.slack.com/…" {
					t.Errorf("webhook = %q (%s), want %q redacted to the host", w.url, w, hook)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), secretID) {
				t.Fatalf("loadWebhook error = %v, want one naming %s and saying %q", err, secretID, tc.wantErr)
			}
			if strings.Contains(err.Error(), secretPart) {
				t.Errorf("loadWebhook error quotes the secret: %v", err)
			}
		})
	}
}

func TestLoadWebhookMissingSecret(t *testing.T) {
	_, err := loadWebhook(t.Context(), realSecrets(t, &fakeSecrets{}), secretID)
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("loadWebhook error = %v, want *types.ResourceNotFoundException", err)
	}
	if !strings.HasPrefix(err.Error(), "read Slack webhook secret "+secretID+": ") {
		t.Errorf("loadWebhook error = %q, want it to name the secret", err)
	}
}

// fakeSlack answers incoming-webhook posts with scripted responses and
// records what it got.
type fakeSlack struct {
	mu        sync.Mutex
	responses []slackResponse // one per attempt; the last repeats
	got       [][]byte
	types     []string
	paths     []string
	block     chan struct{} // when set, the handler waits on it (a hung Slack)
}

type slackResponse struct {
	status     int
	body       string
	retryAfter string
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.got)
	f.got = append(f.got, b)
	f.types = append(f.types, r.Header.Get("Content-Type"))
	f.paths = append(f.paths, r.URL.Path)
	resp := slackResponse{status: 200, body: "ok"}
	if len(f.responses) > 0 {
		resp = f.responses[min(n, len(f.responses)-1)]
	}
	block := f.block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
		}
		// A hung Slack never answers: abort the response, so that net/http
		// does not send the implicit 200 of a handler that returns (which a
		// client still waiting, on a loaded machine, would read as success).
		panic(http.ErrAbortHandler)
	}
	if resp.retryAfter != "" {
		w.Header().Set("Retry-After", resp.retryAfter)
	}
	w.WriteHeader(resp.status)
	io.WriteString(w, resp.body)
}

// testWebhook returns a webhook to a TLS fakeSlack whose sleeps are
// recorded, not slept.
func testWebhook(t *testing.T, f *fakeSlack) (*webhook, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewTLSServer(f)
	t.Cleanup(func() {
		if f.block != nil {
			close(f.block)
		}
		srv.Close()
	})
	w := newWebhook(srv.URL+secretPath, srv.Client())
	var slept []time.Duration
	w.sleep = func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		return ctx.Err()
	}
	return w, &slept
}

// noSecret fails the test when s holds the webhook URL or its secret path.
func noSecret(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, secretPart) || strings.Contains(s, secretPath) {
		t.Errorf("%s holds the webhook URL: %s", what, s)
	}
}

func TestPost(t *testing.T) {
	tests := []struct {
		name      string
		responses []slackResponse
		wantErr   string // empty: success
		attempts  int
		slept     []time.Duration
	}{
		{"ok", nil, "", 1, nil},
		{"invalid_payload", []slackResponse{{400, "invalid_payload", ""}}, "HTTP 400 invalid_payload", 1, nil},
		{"no_text", []slackResponse{{400, "no_text", ""}}, "HTTP 400 no_text", 1, nil},
		{"channel_is_archived", []slackResponse{{410, "channel_is_archived", ""}}, "HTTP 410 channel_is_archived", 1, nil},
		{"action_prohibited", []slackResponse{{403, "action_prohibited", ""}}, "HTTP 403 action_prohibited", 1, nil},
		{"not ok body", []slackResponse{{200, "<html>login</html>", ""}}, "(1 attempt): Slack answered HTTP 200 htmlloginhtml", 1, nil},
		{"429 then ok", []slackResponse{{429, "rate_limited", "2"}, {200, "ok", ""}}, "", 2, []time.Duration{2 * time.Second}},
		{"Retry-After bounded", []slackResponse{{429, "rate_limited", "3600"}, {200, "ok", ""}}, "", 2, []time.Duration{maxWait}},
		{"5xx backs off", []slackResponse{{503, "", ""}, {500, "", ""}, {200, "ok", ""}}, "", 3, []time.Duration{time.Second, 2 * time.Second}},
		{"5xx gives up", []slackResponse{{500, "internal_error", ""}}, "(4 attempts): Slack answered HTTP 500 internal_error", 4,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"empty error body", []slackResponse{{404, "", ""}}, "HTTP 404 not_found", 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeSlack{responses: tc.responses}
			w, slept := testWebhook(t, f)
			err := w.post(t.Context(), []byte(`{"text":"hi"}`))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("post: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("post error = %v, want one containing %q", err, tc.wantErr)
			}
			if err != nil {
				noSecret(t, "post error", err.Error())
				var se *SlackError
				if !errors.As(err, &se) {
					t.Errorf("post error = %v, want a *SlackError", err)
				}
			}
			if len(f.got) != tc.attempts {
				t.Errorf("Slack got %d posts, want %d", len(f.got), tc.attempts)
			}
			if diff := cmp.Diff(tc.slept, *slept); diff != "" {
				t.Errorf("waits between attempts (-want +got):\n%s", diff)
			}
			for i := range f.got {
				if f.types[i] != "application/json" || f.paths[i] != secretPath || string(f.got[i]) != `{"text":"hi"}` {
					t.Errorf("post %d: %s %s %s, want application/json to the webhook path", i, f.types[i], f.paths[i], f.got[i])
				}
			}
		})
	}
}

func TestPostTimeoutIsRedacted(t *testing.T) {
	f := &fakeSlack{block: make(chan struct{})}
	w, slept := testWebhook(t, f)
	w.timeout = 300 * time.Millisecond
	err := w.post(t.Context(), []byte(`{"text":"hi"}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("post error = %v, want it to wrap context.DeadlineExceeded", err)
	}
	noSecret(t, "post error", err.Error())
	if !strings.Contains(err.Error(), "https://127.0.0.1:") {
		t.Errorf("post error = %q, want it to name the webhook's host", err)
	}
	if len(*slept) != maxRetries {
		t.Errorf("post waited %d times, want %d: a transport error is retried", len(*slept), maxRetries)
	}
}

func TestPostNoTimeLeft(t *testing.T) {
	f := &fakeSlack{responses: []slackResponse{{429, "rate_limited", "5"}}}
	w, slept := testWebhook(t, f)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	err := w.post(ctx, []byte(`{"text":"hi"}`))
	if err == nil || !strings.Contains(err.Error(), "no time left to retry") {
		t.Fatalf("post error = %v, want it to give up before the deadline", err)
	}
	if len(f.got) != 1 || len(*slept) != 0 {
		t.Errorf("post made %d attempts and %d waits, want 1 and 0", len(f.got), len(*slept))
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := map[string]time.Duration{"": 0, "7": 7 * time.Second, "-1": 0, "soon": 0, "Mon, 02 Jan 2006 15:04:05 GMT": 0}
	for in, want := range tests {
		if got := parseRetryAfter(in); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	if got := parseRetryAfter(future); got < 25*time.Second || got > 31*time.Second {
		t.Errorf("parseRetryAfter(%q) = %v, want about 30s", future, got)
	}
}

// snsEvent wraps messages the way SNS delivers them to Lambda with raw
// message delivery off.
func snsEvent(subject string, messages ...string) events.SNSEvent {
	var ev events.SNSEvent
	for i, m := range messages {
		ev.Records = append(ev.Records, events.SNSEventRecord{
			EventVersion:         "1.0",
			EventSource:          "aws:sns",
			EventSubscriptionArn: "arn:aws:sns:us-east-1:111122223333:iamguard-alerts:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
			SNS: events.SNSEntity{
				Type:      "Notification",
				MessageID: fmt.Sprintf("95df01b4-ee98-5cb9-9903-4c221d41eb5%d", i),
				TopicArn:  "arn:aws:sns:us-east-1:111122223333:iamguard-alerts",
				Subject:   subject,
				Message:   m,
				Timestamp: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
			},
		})
	}
	return ev
}

func testHandler(t *testing.T, f *fakeSlack) (*handler, *bytes.Buffer) {
	t.Helper()
	w, _ := testWebhook(t, f)
	var logs bytes.Buffer
	return &handler{hook: w, log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, &logs
}

func TestHandleAlert(t *testing.T) {
	a := sampleAlert(t)
	machine, err := notify.FindingJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSlack{}
	h, logs := testHandler(t, f)
	if err := h.handle(t.Context(), snsEvent(notify.Subject(a), string(machine))); err != nil {
		t.Fatalf("handle: %v", err)
	}
	if len(f.got) != 1 {
		t.Fatalf("Slack got %d posts, want 1", len(f.got))
	}
	var m message
	if err := json.Unmarshal(f.got[0], &m); err != nil {
		t.Fatalf("posted payload is not a Slack message: %v", err)
	}
	if len(m.Blocks) < 3 || m.Blocks[0].Type != "header" || !strings.HasPrefix(m.Blocks[0].Text.Text, "[CRITICAL] ") {
		t.Errorf("posted blocks = %+v, want a header with the severity first", m.Blocks)
	}
	if !strings.Contains(logs.String(), `"eventID":"`+a.Finding.EventID+`"`) || !strings.Contains(logs.String(), `"format":"blocks"`) {
		t.Errorf("log does not name the event: %s", logs)
	}
	noSecret(t, "log", logs.String())
}

func TestHandleText(t *testing.T) {
	f := &fakeSlack{}
	h, logs := testHandler(t, f)
	ev := snsEvent("ALARM: \"cpu\" in US East", `{"AlarmName":"cpu","NewStateValue":"ALARM"}`, "plain <!channel> & text")
	if err := h.handle(t.Context(), ev); err != nil {
		t.Fatalf("handle: %v", err)
	}
	want := []string{
		`{"text":"*ALARM: \"cpu\" in US East*\n{\"AlarmName\":\"cpu\",\"NewStateValue\":\"ALARM\"}"}`,
		`{"text":"*ALARM: \"cpu\" in US East*\nplain &lt;!channel&gt; &amp; text"}`,
	}
	var got []string
	for _, b := range f.got {
		got = append(got, string(b))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("posted payloads (-want +got):\n%s", diff)
	}
	noSecret(t, "log", logs.String())
}

func TestHandleFailure(t *testing.T) {
	f := &fakeSlack{responses: []slackResponse{{400, "invalid_payload", ""}}}
	h, logs := testHandler(t, f)
	err := h.handle(t.Context(), snsEvent("", "hello", "again"))
	if err == nil {
		t.Fatal("handle succeeded although Slack refused every post")
	}
	for _, want := range []string{"record 0 (SNS message", "record 1 (SNS message", "invalid_payload"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("handle error = %q, want it to contain %q", err, want)
		}
	}
	var se *SlackError
	if !errors.As(err, &se) || se.Code != "invalid_payload" {
		t.Errorf("handle error = %v, want a *SlackError with code invalid_payload", err)
	}
	noSecret(t, "handle error", err.Error())
	noSecret(t, "log", logs.String())
	if strings.Count(logs.String(), `"level":"ERROR"`) != 2 {
		t.Errorf("log has %d errors, want one per failed record:\n%s", strings.Count(logs.String(), `"level":"ERROR"`), logs)
	}
}

// TestNoSecretAnywhere runs every path that can fail with the URL in reach
// and checks the logs and errors, including a hung Slack (transport errors
// quote the URL in net/http).
func TestNoSecretAnywhere(t *testing.T) {
	for _, f := range []*fakeSlack{
		{responses: []slackResponse{{500, "", ""}}},
		{block: make(chan struct{})},
	} {
		h, logs := testHandler(t, f)
		h.hook.(*webhook).timeout = 20 * time.Millisecond
		err := h.handle(t.Context(), snsEvent("", "x"))
		if err == nil {
			t.Fatal("handle succeeded")
		}
		noSecret(t, "handle error", err.Error())
		noSecret(t, "handle error chain", fmt.Sprintf("%+v %#v", err, err))
		noSecret(t, "log", logs.String())
	}
}
