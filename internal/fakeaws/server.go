package fakeaws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// AccountID is the account that every ARN the server makes belongs to.
const AccountID = "123456789012"

// Region is the Region of the SNS and Secrets Manager ARNs the server makes
// and of the configuration AWSConfig returns.
const Region = "us-east-1"

// Service names as recorded in Call.Service.
const (
	ServiceIAM            = "iam"
	ServiceSNS            = "sns"
	ServiceSecretsManager = "secretsmanager"
)

// maxBody bounds a request body: an SNS message is at most 256 KiB, and its
// form encoding can triple that.
const maxBody = 4 << 20

// codeCanceled marks a call whose client gave up during its delay.
const codeCanceled = "RequestCanceled"

// epoch is the creation time of everything seeded without one, so that
// outputs are the same on every run.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Server is an in-process fake of the parts of IAM, SNS and Secrets Manager
// that iamguard calls. The zero value is not usable; call New.
type Server struct {
	mu        sync.Mutex
	calls     []Call
	resets    int                 // Reset calls: a call in flight across one is not updated
	faults    map[string][]string // action -> error codes still to answer, in order
	delays    map[string]time.Duration
	limits    map[string]*limiter // action -> its token bucket (Limit)
	seq       int                 // request IDs
	msgSeq    int                 // SNS message IDs
	iam       iamState
	topics    map[string]bool
	published []Message
	secrets   map[string]*secret
	trail     map[string]string // event ID -> CloudTrail's record (LookupEvents)
	queued    []QueueMessage    // SQS SendMessage

	srv       *http.Server
	url       string
	done      chan struct{} // closed by Close: ends pending delays
	closeOnce sync.Once
}

// Call is one request the server received, in arrival order.
type Call struct {
	// Service is "iam", "sns" or "secretsmanager" ("" when the request named
	// an action no service here knows).
	Service string `json:"service"`
	// Action is the Query Action or the operation named by X-Amz-Target.
	Action string `json:"action"`
	// Params holds the form values exactly as on the wire, without Action
	// and Version ("UserName", "MessageAttributes.entry.1.Name"), or, for
	// Secrets Manager, the top-level JSON fields (strings as they are, other
	// values as JSON text).
	Params map[string]string `json:"params"`
	// Error is the error code the server answered with, "" on success.
	Error string `json:"error,omitempty"`
}

// New returns a server with no state that is not yet listening.
func New() *Server {
	return &Server{
		faults:  map[string][]string{},
		delays:  map[string]time.Duration{},
		limits:  map[string]*limiter{},
		iam:     newIAMState(),
		topics:  map[string]bool{},
		secrets: map[string]*secret{},
		trail:   map[string]string{},
		done:    make(chan struct{}),
	}
}

// Start listens on 127.0.0.1 on a free port, closes the server when the test
// ends, and returns the base URL ("http://127.0.0.1:PORT").
func (s *Server) Start(t testing.TB) string {
	t.Helper()
	u, err := s.StartListener("127.0.0.1:0")
	if err != nil {
		t.Fatalf("start fake AWS: %v", err)
	}
	t.Cleanup(s.Close)
	return u
}

// StartListener listens on addr, which must be a loopback address such as
// "127.0.0.1:0", serves in the background and returns the base URL.
func (s *Server) StartListener(addr string) (string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("listen address %q: fakeaws listens on loopback addresses only", addr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return "", errors.New("fakeaws: server closed")
	default:
	}
	if s.srv != nil {
		return "", errors.New("fakeaws: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.srv = srv
	s.url = "http://" + ln.Addr().String()
	go func() { _ = srv.Serve(ln) }() // returns http.ErrServerClosed after Close
	return s.url, nil
}

// Close stops the server, dropping open connections. It is safe to call more
// than once, and on a server that never started.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.mu.Lock()
		srv := s.srv
		s.mu.Unlock()
		if srv != nil {
			_ = srv.Close()
		}
	})
}

// URL returns the base URL, or "" before Start or StartListener.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// AWSConfig returns a configuration for real SDK clients pointed at the
// server: static credentials, Region us-east-1, BaseEndpoint set to URL (so
// iam, sns and secretsmanager clients all reach it), at most 3 attempts with
// a backoff of at most 10ms and no client-side retry quota. It reads no
// environment variables or shared config files.
func (s *Server) AWSConfig(ctx context.Context) (aws.Config, error) {
	if err := ctx.Err(); err != nil {
		return aws.Config{}, err
	}
	u := s.URL()
	if u == "" {
		return aws.Config{}, errors.New("fakeaws: server not started")
	}
	return aws.Config{
		Region:       Region,
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("AKIAFAKEFAKEFAKEFAKE", "fake-secret-access-key", "")),
		BaseEndpoint: aws.String(u),
		// The server is local: never go through a proxy named in the environment.
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { t.Proxy = nil }),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.MaxBackoff = 10 * time.Millisecond
				o.RateLimiter = ratelimit.None
			})
		},
	}, nil
}

// Calls returns every call received since New or Reset, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = c.clone()
	}
	return out
}

// CallsTo returns the calls of one action, in order.
func (s *Server) CallsTo(action string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Action == action {
			out = append(out, c.clone())
		}
	}
	return out
}

// Reset forgets the recorded calls and published messages. It keeps the IAM
// state, topics, secrets, pending faults and delays.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.published = nil
	s.queued = nil
	s.resets++
}

// FailNext makes the next times calls of action answer with the error code
// (Throttling, ServiceFailure, NoSuchEntity, UnmodifiableEntity,
// LimitExceeded, AccessDenied, ResourceNotFoundException…), with the HTTP
// status AWS uses for it, in the protocol of the service called. Faults
// queue: FailNext("X", "Throttling", 2) then FailNext("X", "ServiceFailure",
// 1) fails three calls. times <= 0 clears the queue for action.
func (s *Server) FailNext(action, code string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times <= 0 {
		delete(s.faults, action)
		return
	}
	for range times {
		s.faults[action] = append(s.faults[action], code)
	}
}

// Delay makes every later call of action wait d before it is answered (and
// before any fault applies); d <= 0 removes the delay. A waiting call ends
// early when its client gives up or the server closes; it then changes
// nothing, and is recorded with Error "RequestCanceled".
func (s *Server) Delay(action string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, action)
		return
	}
	s.delays[action] = d
}

// Limit throttles action as AWS throttles an API, with a token bucket
// (IAM's, as AWS describes it: a bucket refilled every second, one token per
// call): it holds burst tokens, refills at perSecond, and a call that finds it
// empty is answered with code (Throttling for IAM and SNS) and changes
// nothing. perSecond <= 0 removes the limit. Faults (FailNext) apply first.
func (s *Server) Limit(action string, perSecond float64, burst int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perSecond <= 0 {
		delete(s.limits, action)
		return
	}
	s.limits[action] = &limiter{rate: perSecond, burst: float64(burst), tokens: float64(burst), last: time.Now(), code: code}
}

// limiter is one action's token bucket.
type limiter struct {
	rate, burst, tokens float64
	last                time.Time
	code                string
}

// take takes a token at now, reporting whether there was one.
func (l *limiter) take(now time.Time) bool {
	l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// Record is what the server saw: every call and every published message.
type Record struct {
	Calls     []Call    `json:"calls"`
	Published []Message `json:"published"`
}

// Record returns the calls and published messages recorded so far.
func (s *Server) Record() Record {
	return Record{Calls: s.Calls(), Published: s.Published()}
}

func (c Call) clone() Call {
	c.Params = cloneMap(c.Params)
	return c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// apiError is an error answer: a code, its HTTP status and a message.
type apiError struct {
	code, msg string
	status    int
}

func errorf(code, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...), status: statusFor(code)}
}

// statusFor is the HTTP status AWS answers an error code with, as modelled
// in the SDK (service/iam and service/sns types, Secrets Manager's JSON
// errors).
func statusFor(code string) int {
	switch code {
	case "NoSuchEntity", "NotFound", "ResourceNotFound", "FeatureDisabled", "NotSupportedService":
		return http.StatusNotFound
	case "DeleteConflict", "EntityAlreadyExists", "LimitExceeded", "ConcurrentModification",
		"EntityTemporarilyUnmodifiable", "DuplicateCertificate", "NameConflict", "RoleModified":
		return http.StatusConflict
	case "AccessDenied", "AccessDeniedException", "AuthorizationError", "InvalidClientTokenId",
		"SignatureDoesNotMatch", "ExpiredToken", "InvalidSecurity":
		return http.StatusForbidden
	case "Throttled":
		return http.StatusTooManyRequests
	case "ServiceFailure", "InternalError", "InternalFailure", "InternalServiceError", "PolicyEvaluation":
		return http.StatusInternalServerError
	case "ServiceUnavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// handlerFunc answers one action. It runs with s.mu held and returns the
// Result payload (marshalled as XML for Query services, JSON otherwise).
type handlerFunc func(s *Server, p params) (any, *apiError)

// params are a call's decoded parameters.
type params map[string]string

// need returns the named required parameters, or the ValidationError IAM
// answers when one is missing.
func (p params) need(names ...string) ([]string, *apiError) {
	out := make([]string, len(names))
	for i, n := range names {
		v, ok := p[n]
		if !ok {
			// IAM names the member in lower camel case.
			member := strings.ToLower(n[:1]) + n[1:]
			return nil, errorf("ValidationError", "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
		}
		out[i] = v
	}
	return out, nil
}

// Handler returns the server's HTTP handler. It routes by request, not by
// path: a request with an X-Amz-Target header "secretsmanager.<Operation>"
// goes to Secrets Manager (JSON 1.1); any other is a Query request, sent to
// SNS when Version is 2010-03-31 and to IAM when it is 2010-05-08 (or, with
// no Version, by the Action name). The SDK posts to the endpoint root, so
// one URL serves all three services.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > maxBody {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		s.serveJSON(w, r, target, body)
		return
	}
	s.serveQuery(w, r, body)
}

func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeQueryError(w, "", errorf("MalformedQueryString", "the request body is not form-encoded: %v", err), s.nextRequestID())
		return
	}
	for k, vs := range r.URL.Query() { // Query requests may also be sent as GET
		if _, ok := form[k]; !ok {
			form[k] = vs
		}
	}
	action, version := form.Get("Action"), form.Get("Version")
	p := params{}
	for k, vs := range form {
		if k != "Action" && k != "Version" && len(vs) > 0 {
			p[k] = vs[0]
		}
	}
	service := ""
	switch {
	case version == snsVersion:
		service = ServiceSNS
	case version == iamVersion:
		service = ServiceIAM
	case snsActions[action] != nil:
		service = ServiceSNS
	case iamActions[action] != nil:
		service = ServiceIAM
	}
	var h handlerFunc
	switch service {
	case ServiceSNS:
		h = snsActions[action]
	case ServiceIAM:
		h = iamActions[action]
	}
	result, apiErr, reqID := s.handle(r.Context(), service, action, p, h)
	if apiErr != nil {
		writeQueryError(w, service, apiErr, reqID)
		return
	}
	writeQueryResult(w, service, action, result, reqID)
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, target string, body []byte) {
	prefix, action := target, ""
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		prefix, action = target[:i], target[i+1:]
	}
	p := params{}
	var fields map[string]json.RawMessage
	if len(body) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil {
			writeJSONError(w, errorf("SerializationException", "the request body is not a JSON object: %v", err), s.nextRequestID())
			return
		}
	}
	for k, raw := range fields {
		var str string
		if json.Unmarshal(raw, &str) == nil {
			p[k] = str
		} else {
			p[k] = string(raw)
		}
	}
	service := ""
	var h handlerFunc
	switch {
	case prefix == "secretsmanager":
		service = ServiceSecretsManager
		h = secretsActions[action]
	case strings.HasSuffix(prefix, "CloudTrail_20131101"):
		service = ServiceCloudTrail
		h = cloudtrailActions[action]
	case prefix == "AmazonSQS":
		service = ServiceSQS
		h = sqsActions[action]
	}
	result, apiErr, reqID := s.handle(r.Context(), service, action, p, h)
	if apiErr != nil {
		writeJSONError(w, apiErr, reqID)
		return
	}
	writeJSONResult(w, result, reqID)
}

// handle records the call, applies any delay and fault, and runs h.
func (s *Server) handle(ctx context.Context, service, action string, p params, h handlerFunc) (any, *apiError, string) {
	s.mu.Lock()
	s.calls = append(s.calls, Call{Service: service, Action: action, Params: cloneMap(p)})
	idx, resets := len(s.calls)-1, s.resets
	delay := s.delays[action]
	reqID := s.nextRequestIDLocked()
	s.mu.Unlock()

	gaveUp := false
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			gaveUp = true
		case <-s.done:
			t.Stop()
			gaveUp = true
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var result any
	var apiErr *apiError
	switch {
	case gaveUp:
		// Nobody is left to read an answer; changing state now would only
		// surprise the test.
		apiErr = errorf(codeCanceled, "fakeaws: the client gave up or the server closed during the delay")
	case len(s.faults[action]) > 0:
		code := s.faults[action][0]
		s.faults[action] = s.faults[action][1:]
		if len(s.faults[action]) == 0 {
			delete(s.faults, action)
		}
		apiErr = errorf(code, "fakeaws: injected %s for %s", code, action)
		if code == "Throttling" {
			apiErr.msg = "Rate exceeded"
		}
	case s.limits[action] != nil && !s.limits[action].take(time.Now()):
		apiErr = errorf(s.limits[action].code, "Rate exceeded")
	case h == nil && (service == ServiceSecretsManager || service == ServiceCloudTrail || service == ServiceSQS):
		apiErr = errorf("UnknownOperationException", "fakeaws: Secrets Manager operation %q is not implemented", action)
	case h == nil:
		apiErr = errorf("InvalidAction", "Could not find operation %s for version %s", action, versionOf(service))
	default:
		result, apiErr = h(s, p)
	}
	if apiErr != nil && resets == s.resets {
		s.calls[idx].Error = apiErr.code
	}
	return result, apiErr, reqID
}

func versionOf(service string) string {
	switch service {
	case ServiceSNS:
		return snsVersion
	case ServiceIAM:
		return iamVersion
	}
	return "(none)"
}

func (s *Server) nextRequestID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextRequestIDLocked()
}

// nextRequestIDLocked returns a UUID-shaped ID that counts up, so that
// recorded outputs are the same on every run.
func (s *Server) nextRequestIDLocked() string {
	s.seq++
	return fmt.Sprintf("fa4e0000-0000-4000-8000-%012d", s.seq)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
