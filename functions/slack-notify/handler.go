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
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/notify"
)

// EnvSecretID names the Secrets Manager secret that holds the webhook URL.
const EnvSecretID = "IAMGUARD_SLACK_SECRET_ID"

// Posting limits. The worst case is (1 + maxRetries) attempts of
// postTimeout plus maxRetries waits of at most maxWait: 50 s, so give the
// function a timeout of 60 s. With less, post gives up early rather than
// start a retry the deadline would cut.
const (
	postTimeout = 5 * time.Second  // one POST, connection to body
	maxRetries  = 3                // after the first attempt, for 429, 5xx and transport errors
	maxWait     = 10 * time.Second // the most a Retry-After is honoured
)

// SecretsAPI is the part of *secretsmanager.Client that slack-notify calls.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var _ SecretsAPI = (*secretsmanager.Client)(nil)

// loadWebhook reads the webhook URL from the secret, once per cold start.
// The SecretString is the URL itself or JSON {"webhookUrl": "..."}. No error
// quotes the secret's value: a parse error would.
func loadWebhook(ctx context.Context, api SecretsAPI, secretID string) (*webhook, error) {
	out, err := api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
	if err != nil {
		return nil, fmt.Errorf("read Slack webhook secret %s: %w", secretID, err)
	}
	if out.SecretString == nil {
		return nil, fmt.Errorf("read Slack webhook secret %s: it has no SecretString (a binary secret); store the webhook URL as text", secretID)
	}
	raw := strings.TrimSpace(*out.SecretString)
	if strings.HasPrefix(raw, "{") {
		var v struct {
			WebhookURL string `json:"webhookUrl"`
		}
		if json.Unmarshal([]byte(raw), &v) != nil || v.WebhookURL == "" {
			return nil, fmt.Errorf("read Slack webhook secret %s: SecretString is JSON but not {\"webhookUrl\": \"https://hooks.slack.com/...\"}", secretID)
		}
		raw = strings.TrimSpace(v.WebhookURL)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("read Slack webhook secret %s: SecretString is not an https URL (want https://hooks.slack.com/services/... or JSON with webhookUrl)", secretID)
	}
	return newWebhook(raw, &http.Client{}), nil
}

// webhook posts to one Slack incoming webhook. Its URL is a credential:
// anyone holding it can post to the channel, so it is never logged and
// never appears in an error, which shows only redacted (scheme and host).
type webhook struct {
	url      string
	redacted string
	client   *http.Client
	timeout  time.Duration // per attempt: postTimeout
	sleep    func(ctx context.Context, d time.Duration) error
}

func newWebhook(rawURL string, client *http.Client) *webhook {
	u, _ := url.Parse(rawURL)
	return &webhook{url: rawURL, redacted: u.Scheme + "://" + u.Host + "/…", client: client, timeout: postTimeout, sleep: sleepCtx}
}

// String returns the redacted URL, so that printing a webhook is safe.
func (w *webhook) String() string { return w.redacted }

// SlackError is Slack's answer to a post it did not accept: the HTTP status
// and the error code from the body, such as invalid_payload, no_text,
// channel_not_found or channel_is_archived.
type SlackError struct {
	Status int
	Code   string
}

func (e *SlackError) Error() string {
	return fmt.Sprintf("Slack answered HTTP %d %s", e.Status, e.Code)
}

func (e *SlackError) retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// post sends one JSON payload. Success is HTTP 200 with the body "ok".
// Throttling (429), server errors (5xx) and transport errors are retried up
// to maxRetries times, waiting as Retry-After asks (at most maxWait) or 1,
// 2, 4 s; a retry that the context's deadline leaves no time for is not
// tried. Other answers are final.
func (w *webhook) post(ctx context.Context, payload []byte) error {
	for attempt := 0; ; attempt++ {
		retryAfter, err := w.once(ctx, payload)
		if err == nil {
			return nil
		}
		var se *SlackError
		retry := ctx.Err() == nil && (!errors.As(err, &se) || se.retryable())
		if !retry || attempt == maxRetries {
			return fmt.Errorf("post to Slack webhook %s (%s): %w", w.redacted, attempts(attempt+1), err)
		}
		wait := retryAfter
		if wait <= 0 {
			wait = time.Second << attempt
		}
		wait = min(wait, maxWait)
		if d, ok := ctx.Deadline(); ok && time.Until(d) < wait+w.timeout {
			return fmt.Errorf("post to Slack webhook %s (%s, no time left to retry): %w", w.redacted, attempts(attempt+1), err)
		}
		if err := w.sleep(ctx, wait); err != nil {
			return fmt.Errorf("post to Slack webhook %s (%s): %w", w.redacted, attempts(attempt+1), err)
		}
	}
}

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
}

// once makes one attempt; it returns how long Slack asked to wait, if it did.
func (w *webhook) once(ctx context.Context, payload []byte) (retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(payload))
	if err != nil {
		return 0, errors.New("build request") // the error would quote the URL
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, w.redact(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusOK && strings.TrimSpace(string(body)) == "ok" {
		return 0, nil
	}
	return parseRetryAfter(resp.Header.Get("Retry-After")), &SlackError{Status: resp.StatusCode, Code: slackCode(body, resp.StatusCode)}
}

// redact rebuilds a transport error without the URL, which *url.Error
// quotes in full, keeping what it wraps (a timeout, a refused connection).
func (w *webhook) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s %s: %w", ue.Op, w.redacted, ue.Err)
	}
	if strings.Contains(err.Error(), w.url) {
		return fmt.Errorf("%s: transport error (details withheld: they quote the webhook URL)", w.redacted)
	}
	return err
}

// slackCode is the error code Slack put in the body, kept to the characters
// a code has, or the status text when there is none.
func slackCode(body []byte, status int) string {
	code := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r == ' ' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return -1
	}, strings.TrimSpace(string(body)))
	if len(code) > 100 {
		code = code[:100]
	}
	if code == "" {
		code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	return code
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// poster is what the handler posts through; *webhook in production.
type poster interface {
	post(ctx context.Context, payload []byte) error
}

// handler posts every SNS record of an invocation to Slack.
type handler struct {
	hook poster
	log  *slog.Logger
}

// handle posts each record: an iamguard alert as Block Kit, anything else as
// plain text (never dropped). It returns an error when a post finally fails,
// so that Lambda retries the invocation or sends it to its failure
// destination.
func (h *handler) handle(ctx context.Context, ev events.SNSEvent) error {
	var errs []error
	for i, rec := range ev.Records {
		msg := rec.SNS
		payload, alert, err := slackPayload(msg.Subject, msg.Message)
		if err != nil {
			h.log.ErrorContext(ctx, "build Slack message", "messageId", msg.MessageID, "err", err)
			errs = append(errs, fmt.Errorf("record %d (SNS message %s): %w", i, msg.MessageID, err))
			continue
		}
		attrs := []any{"messageId", msg.MessageID, "format", "text"}
		if alert != nil {
			attrs = []any{"messageId", msg.MessageID, "format", "blocks", "eventID", alert.Finding.EventID,
				"rule", alert.Finding.Rule, "severity", alert.Finding.Severity.String(), "status", string(alert.Outcome.Status)}
		}
		if err := h.hook.post(ctx, payload); err != nil {
			h.log.ErrorContext(ctx, "Slack post failed", append(attrs, "err", err)...)
			errs = append(errs, fmt.Errorf("record %d (SNS message %s): %w", i, msg.MessageID, err))
			continue
		}
		h.log.InfoContext(ctx, "alert posted to Slack", attrs...)
	}
	return errors.Join(errs...)
}

// slackPayload returns the Slack message for one SNS message, and the alert
// when the message is iamguard's machine form.
func slackPayload(subject, message string) ([]byte, *finding.Alert, error) {
	if a, err := notify.ParseFindingJSON([]byte(message)); err == nil {
		b, err := marshal(alertMessage(a))
		return b, &a, err
	}
	b, err := marshal(textMessage(subject, message))
	return b, nil, err
}
