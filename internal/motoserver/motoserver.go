package motoserver

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

const (
	// Region is the Region of AWSConfig and Env.
	Region = "us-east-1"
	// AccountID is the account moto answers for with the test credentials.
	AccountID = "123456789012"
	// AccessKeyID and SecretAccessKey are the test credentials of AWSConfig
	// and Env. moto does not check signatures.
	AccessKeyID     = "testing"
	SecretAccessKey = "testing"

	// EnvCommand names the environment variable that overrides the
	// moto_server command (a path, or a name looked up on PATH).
	EnvCommand = "IAMGUARD_MOTO_SERVER"

	// InstallHint says how to install moto's server.
	InstallHint = "install it with Python 3.11: python3.11 -m pip install 'moto[server]==5.2.1'"

	startTimeout = 30 * time.Second
	stopTimeout  = 5 * time.Second
	outputTail   = 16 << 10
	startTries   = 3
)

// Call is one request that went through the proxy.
type Call struct {
	// Service is the signing name from the SigV4 credential scope
	// ("iam", "cloudtrail", "s3"), or "" for an unsigned request.
	Service string
	// Operation is the part of X-Amz-Target after its last '.' (JSON
	// protocols), the Action parameter (Query protocols), or the last path
	// segment of an RPCv2 CBOR request; for REST protocols, the name
	// restRoutes gives the method and path, else "".
	Operation string
	// Status is the HTTP status moto answered, or 502 when it could not
	// be reached.
	Status int
	// ErrorCode is the error code of an answer with Status >= 400: the
	// X-Amzn-ErrorType header, the JSON __type (after '#') or code, or the
	// first XML <Code>. It is "" for success, and for an error answer
	// without a code (moto's HTML 500 page).
	ErrorCode string
}

// Server is a running moto_server behind a recording proxy.
type Server struct {
	tb      testing.TB
	moto    *url.URL
	proxy   *httptest.Server
	client  *http.Client
	output  *tailBuffer
	proc    *process
	mu      sync.Mutex
	calls   []Call
	resets  map[string]int // "service:Operation" -> answers still to cut off
	started time.Duration
}

// Start starts moto_server on a free 127.0.0.1 port, waits (at most 30s)
// until it answers, puts the recording proxy in front of it and stops both
// when the test ends. Without a moto_server command it skips the test in
// -short mode and fails it otherwise.
func Start(t testing.TB) *Server {
	t.Helper()
	path, err := command()
	if err != nil {
		if testing.Short() && os.Getenv(EnvCommand) == "" {
			t.Skipf("motoserver: %v; skipped in -short mode (%s, or set %s to its path)", err, InstallHint, EnvCommand)
		}
		t.Fatalf("motoserver: %v; %s, or set %s to its path", err, InstallHint, EnvCommand)
	}
	s := &Server{
		tb:     t,
		output: &tailBuffer{max: outputTail},
		client: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{Proxy: nil, DisableCompression: true},
		},
	}
	begin := time.Now()
	for try := 1; ; try++ {
		err := s.launch(path)
		if err == nil {
			break
		}
		// Another process may take the free port between picking and binding it.
		if try < startTries && strings.Contains(s.output.String(), "Address already in use") {
			continue
		}
		t.Fatalf("motoserver: start %s: %v\nmoto_server output (tail):\n%s", path, err, s.output)
	}
	s.started = time.Since(begin)
	s.proxy = httptest.NewServer(s.recorder())
	t.Cleanup(s.proxy.Close)
	return s
}

// command returns the path of the moto_server command.
func command() (string, error) {
	name := "moto_server"
	if v := os.Getenv(EnvCommand); v != "" {
		name = v
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if name != "moto_server" {
			return "", fmt.Errorf("%s=%q: %w", EnvCommand, name, err)
		}
		return "", fmt.Errorf("moto_server is not on PATH: %w", err)
	}
	return path, nil
}

// launch starts moto_server on a free port and waits until it answers. On
// failure the process is stopped; on success a cleanup stops it.
func (s *Server) launch(path string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.output.Reset()
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
	cmd.Stdin = nil
	cmd.Stdout = s.output
	cmd.Stderr = s.output
	p, err := startProcess(cmd)
	if err != nil {
		return err
	}
	s.moto = &url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	if err := s.waitReady(p); err != nil {
		p.stop(stopTimeout)
		return err
	}
	s.proc = p
	s.tb.Cleanup(func() {
		p.stop(stopTimeout)
		if s.tb.Failed() {
			s.tb.Logf("moto_server output (tail):\n%s", s.output)
		}
	})
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls moto until it answers, the process exits or the start
// timeout passes.
func (s *Server) waitReady(p *process) error {
	deadline := time.Now().Add(startTimeout)
	probe := s.moto.String() + "/moto-api/data.json"
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, probe, nil)
		resp, err := s.client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		cancel()
		if err == nil && resp.StatusCode == http.StatusOK {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("moto_server exited before answering: %v", p.err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("moto_server did not answer on %s within %s (last: %v)", s.moto, startTimeout, err)
		}
	}
}

// URL returns the base URL of the recording proxy ("http://127.0.0.1:PORT").
func (s *Server) URL() string { return s.proxy.URL }

// MotoURL returns moto_server's own base URL. Requests sent there are not
// recorded: use it to seed state a test does not assert on.
func (s *Server) MotoURL() string { return s.moto.String() }

// StartupTime is how long Start took to get moto_server answering.
func (s *Server) StartupTime() time.Duration { return s.started }

// Calls returns a copy of the calls recorded since Start or Reset, in the
// order their answers completed.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded calls whose Service is service.
func (s *Server) CallsTo(service string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Service == service {
			out = append(out, c)
		}
	}
	return out
}

// Reset resets moto's state (POST /moto-api/reset, sent directly to moto,
// so not recorded) and clears the recording. It fails the test if moto
// does not confirm; call it from the test's goroutine.
func (s *Server) Reset() {
	s.tb.Helper()
	resp, err := s.client.Post(s.moto.String()+"/moto-api/reset", "application/json", nil)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %s", resp.Status)
		}
	}
	if err != nil {
		s.tb.Fatalf("motoserver: reset moto: %v\nmoto_server output (tail):\n%s", err, s.output)
	}
	s.mu.Lock()
	s.calls = nil
	s.mu.Unlock()
}

// ResetCalls clears the recording and keeps moto's state.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	s.calls = nil
	s.mu.Unlock()
}

// Env returns the environment a process needs to reach moto through the
// proxy: AWS_ENDPOINT_URL, the test credentials and AWS_REGION.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":      s.URL(),
		"AWS_ACCESS_KEY_ID":     AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": SecretAccessKey,
		"AWS_REGION":            Region,
	}
}

// AWSConfig returns a configuration for SDK clients pointed at the proxy:
// static test credentials, Region us-east-1, BaseEndpoint set to URL, one
// attempt per call (so each call is recorded once) and no HTTP proxy from
// the environment. It reads no environment variables or shared files.
func (s *Server) AWSConfig(ctx context.Context) (aws.Config, error) {
	if err := ctx.Err(); err != nil {
		return aws.Config{}, err
	}
	return aws.Config{
		Region:       Region,
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, "")),
		BaseEndpoint: aws.String(s.URL()),
		HTTPClient:   awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { t.Proxy = nil }),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}, nil
}

// recorder returns the proxy handler: it forwards each request to moto
// unchanged (Host included) and records it.
func (s *Server) recorder() http.Handler {
	type key struct{}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = s.moto.Scheme
			r.Out.URL.Host = s.moto.Host
			r.Out.Host = r.In.Host
		},
		Transport: &http.Transport{Proxy: nil, DisableCompression: true, MaxIdleConnsPerHost: 16},
		ModifyResponse: func(resp *http.Response) error {
			c := resp.Request.Context().Value(key{}).(*Call)
			c.Status = resp.StatusCode
			if resp.StatusCode >= 400 {
				c.ErrorCode = errorCode(resp)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			c := r.Context().Value(key{}).(*Call)
			c.Status = http.StatusBadGateway
			s.tb.Logf("motoserver: proxy %s %s: %v", r.Method, r.URL.Path, err)
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &Call{Service: service(r)}
		op, err := operation(r)
		if err != nil {
			s.tb.Logf("motoserver: read request body: %v", err)
		}
		if op == "" {
			op = restOperation(c.Service, r)
		}
		c.Operation = op
		s.mu.Lock()
		cut := s.resets[c.Service+":"+c.Operation] > 0
		if cut {
			s.resets[c.Service+":"+c.Operation]--
		}
		s.mu.Unlock()
		if cut {
			// moto applies the call; its answer is thrown away and the
			// client's connection reset, as a network fault would.
			rp.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithValue(r.Context(), key{}, c)))
			c.ErrorCode = CodeConnectionReset
			resetConnection(w)
		} else {
			rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, c)))
		}
		s.mu.Lock()
		s.calls = append(s.calls, *c)
		s.mu.Unlock()
	})
}

// CodeConnectionReset is the ErrorCode recorded for a call whose answer
// ResetAfter cut off.
const CodeConnectionReset = "ConnectionReset"

// ResetAfter makes the next times calls of service's operation (as Call
// names them: "iam", "DetachUserPolicy") reach moto, which applies them, and
// then resets the client's connection instead of answering: the fault after
// which an SDK retries a change that was made. times <= 0 clears it.
func (s *Server) ResetAfter(service, operation string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.resets == nil {
		s.resets = map[string]int{}
	}
	if times <= 0 {
		delete(s.resets, service+":"+operation)
		return
	}
	s.resets[service+":"+operation] = times
}

// resetConnection closes the client's connection with a TCP reset (linger
// 0), so the client reads "connection reset by peer", not an answer.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("motoserver: the proxy's ResponseWriter cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu      sync.Mutex
	max     int
	buf     []byte
	dropped bool
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
		b.dropped = true
	}
	return len(p), nil
}

func (b *tailBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf, b.dropped = nil, false
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped {
		return "[…]" + string(b.buf)
	}
	return string(b.buf)
}
