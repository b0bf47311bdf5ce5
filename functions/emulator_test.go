//go:build unix

package functions_test

// This file runs the real function bootstraps under the AWS Lambda Runtime
// Interface Emulator (RIE), pinned in go.mod as a tool, for e2e_test.go and
// bench_test.go: it builds the binaries once, starts one emulator per
// function and configuration with an environment built from scratch, invokes
// it over HTTP and stops it with its runtime process.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/iamguard/iamguard/shared/rules"
)

// modulePath is the module the functions are built from.
const modulePath = "github.com/iamguard/iamguard"

// rieTool is the emulator's command, pinned by the tool directive in go.mod.
const rieTool = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// The deployed functions this package tests, and the hello-world baseline
// that the benchmarks compare their start with.
const (
	fnRootActivity = "root-activity"
	fnAccessKeys   = "access-keys"
	fnPolicyGuard  = "policy-guard"
	fnHello        = "hello"
)

// packages maps each binary to the package it is built from: every family
// of the rules table (functions/<family>), and the baseline.
var packages = func() map[string]string {
	out := map[string]string{fnHello: modulePath + "/bench/hello"}
	for _, f := range rules.Families() {
		out[f.ID] = modulePath + "/functions/" + f.ID
	}
	return out
}()

// binaryNames are the binaries to build, in a stable order.
func binaryNames() []string { return slices.Sorted(maps.Keys(packages)) }

// workDir holds the built binaries; TestMain creates and removes it.
var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iamguard-functions-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "functions_test:", err)
		os.Exit(2)
	}
	workDir = dir
	code := m.Run()
	if code == 0 {
		if err := checkObservedCalls(); err != nil {
			fmt.Fprintln(os.Stderr, "functions_test:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// built is what buildOnce made: the emulator and a bootstrap per binary.
type built struct {
	rie       string
	bootstrap map[string]string // name -> DIR/<name>/bootstrap
	err       error
}

var (
	buildOnce sync.Once
	binaries  built
)

// artifacts builds, once per test binary, the emulator and every bootstrap
// for the host, with the production flags less GOOS, GOARCH and -ldflags
// (-tags lambda.norpc -trimpath, CGO_ENABLED=0).
func artifacts(tb testing.TB) built {
	tb.Helper()
	buildOnce.Do(func() {
		binaries = build()
	})
	if binaries.err != nil {
		tb.Fatalf("build: %v", binaries.err)
	}
	return binaries
}

func build() built {
	out := built{rie: filepath.Join(workDir, "aws-lambda-rie"), bootstrap: map[string]string{}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	binDir := filepath.Join(workDir, "bin")
	args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-o", binDir + string(filepath.Separator)}
	for _, name := range binaryNames() {
		args = append(args, packages[name])
	}
	var errs []error
	var wg sync.WaitGroup
	wg.Add(2)
	var mu sync.Mutex
	run := func(args ...string) {
		defer wg.Done()
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=", "GOARCH=")
		if b, err := cmd.CombinedOutput(); err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, b))
			mu.Unlock()
		}
	}
	go run(args...)
	go run("build", "-o", out.rie, rieTool)
	wg.Wait()
	if out.err = errors.Join(errs...); out.err != nil {
		return out
	}
	// go build -o DIR/ names each binary after its package's folder; Lambda
	// runs a file called bootstrap.
	for _, name := range binaryNames() {
		dir := filepath.Join(workDir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			out.err = err
			return out
		}
		dst := filepath.Join(dir, "bootstrap")
		if err := os.Rename(filepath.Join(binDir, filepath.Base(packages[name])), dst); err != nil {
			out.err = err
			return out
		}
		out.bootstrap[name] = dst
	}
	return out
}

// Test credentials: static, obviously fake, and the only AWS_* values the
// functions see besides the ones lambdaEnv sets.
const (
	testAccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	testSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testSessionToken    = "iamguard-e2e-session-token"
)

// lambdaEnv is the environment of a function under the emulator, built from
// scratch as Lambda builds it for provided.al2023: nothing of the host's
// AWS_* (AWS_CA_BUNDLE, AWS_PROFILE…) leaks in. The emulator passes its own
// environment on to the runtime. fakeURL serves IAM and SNS; config adds
// the function's IAMGUARD_* variables.
func lambdaEnv(name, dir, fakeURL string, config map[string]string) []string {
	env := map[string]string{
		"PATH":                            "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"LAMBDA_TASK_ROOT":                dir,
		"_HANDLER":                        "bootstrap",
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":               testAccessKeyID,
		"AWS_SECRET_ACCESS_KEY":           testSecretAccessKey,
		"AWS_SESSION_TOKEN":               testSessionToken,
		"AWS_LAMBDA_FUNCTION_NAME":        "iamguard-" + name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     "30",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_LOG_FORMAT":           "JSON",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/iamguard-" + name,
		// Shared config files that do not exist: the SDK must take
		// everything from the variables above, as in Lambda.
		"AWS_CONFIG_FILE":             filepath.Join(dir, "no-such-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "no-such-aws-credentials"),
	}
	if fakeURL != "" {
		env["AWS_ENDPOINT_URL_IAM"] = fakeURL
		env["AWS_ENDPOINT_URL_SNS"] = fakeURL
		// The confirmation of a rollback: its queue, and CloudTrail's
		// LookupEvents, which moto lacks.
		env["AWS_ENDPOINT_URL_SQS"] = fakeURL
		env["AWS_ENDPOINT_URL_CLOUDTRAIL"] = fakeURL
	}
	for k, v := range config {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// syncBuffer collects the emulator's output, written from its pipes while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// emulator is one running RIE with one function.
type emulator struct {
	name   string
	cmd    *exec.Cmd
	addr   string
	logs   *syncBuffer
	client *http.Client
	done   chan struct{} // closed when the emulator process has exited
	once   sync.Once
}

// freePort returns a loopback port that was free a moment ago.
func freePort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// startEmulator starts the emulator with a bootstrap, waits until it
// accepts connections and stops it when the test ends. The emulator
// initialises the function on the first invocation, as Lambda does on a cold
// start.
func startEmulator(tb testing.TB, name, fakeURL string, config map[string]string) *emulator {
	tb.Helper()
	bin := artifacts(tb)
	bootstrap := bin.bootstrap[name]
	dir := filepath.Dir(bootstrap)
	e := &emulator{
		name: name,
		addr: "127.0.0.1:" + freePort(tb),
		logs: &syncBuffer{},
		// Never through a proxy named in the host's environment.
		client: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{Proxy: nil}},
		done:   make(chan struct{}),
	}
	runtimeAPI := "127.0.0.1:" + freePort(tb)
	// Given the bootstrap's path, the emulator runs it in its own working
	// directory (it defaults to /var/task only when given no path).
	e.cmd = exec.Command(bin.rie, "--runtime-interface-emulator-address", e.addr, "--runtime-api-address", runtimeAPI, bootstrap)
	e.cmd.Dir = dir
	e.cmd.Env = lambdaEnv(name, dir, fakeURL, config)
	e.cmd.Stdout = e.logs
	e.cmd.Stderr = e.logs
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	e.cmd.WaitDelay = 2 * time.Second
	if err := e.cmd.Start(); err != nil {
		tb.Fatalf("start emulator: %v", err)
	}
	go func() {
		_ = e.cmd.Wait()
		close(e.done)
	}()
	tb.Cleanup(e.stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", e.addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return e
		}
		select {
		case <-e.done:
			tb.Fatalf("emulator exited before listening: %v\n%s", e.cmd.ProcessState, e.logs)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("emulator not listening on %s after 10s: %v\n%s", e.addr, err, e.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// invoke sends one event as the Lambda Invoke API would, with requestID as
// the invocation's request ID, and returns the status and body.
func (e *emulator) invoke(tb testing.TB, requestID string, event []byte) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+e.addr+"/2015-03-31/functions/function/invocations", bytes.NewReader(event))
	if err != nil {
		tb.Fatalf("invoke request: %v", err)
	}
	if requestID != "" {
		req.Header.Set("X-Amzn-RequestId", requestID)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		tb.Fatalf("invoke %s: %v\n%s", e.name, err, e.logs)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("invoke %s: read response: %v", e.name, err)
	}
	return resp.StatusCode, body
}

// stop ends the emulator and the runtime it started. The emulator puts the
// runtime in a process group of its own, so the runtime's group is ended
// too: SIGTERM first (the emulator then shuts the runtime down), SIGKILL for
// whatever is left.
func (e *emulator) stop() {
	e.once.Do(func() {
		pid := e.cmd.Process.Pid
		children := childPIDs(pid)
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-e.done:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-e.done
		}
		for _, c := range children {
			if processGroup(c) == c { // still the runtime we saw, leading its group
				_ = syscall.Kill(-c, syscall.SIGKILL)
			}
		}
	})
}

// childPIDs lists the processes whose parent is pid, from /proc; it returns
// nothing where there is no /proc.
func childPIDs(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, ent := range entries {
		c, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		if ppid, _ := procStat(c); ppid == pid {
			out = append(out, c)
		}
	}
	return out
}

// processGroup returns the process group of pid, or 0 if it is gone.
func processGroup(pid int) int {
	_, pgrp := procStat(pid)
	return pgrp
}

// procStat reads the parent and process group of pid from /proc/PID/stat.
func procStat(pid int) (ppid, pgrp int) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0
	}
	// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 {
		return 0, 0
	}
	ppid, _ = strconv.Atoi(f[1])
	pgrp, _ = strconv.Atoi(f[2])
	return ppid, pgrp
}

// initReport matches the emulator's report of a finished INIT phase.
var initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

// initDuration returns the INIT phase duration the emulator reported for the
// cold start (phase: init), or 0 if it has not reported one.
func (e *emulator) initDuration() time.Duration {
	m := initReport.FindStringSubmatch(e.logs.String())
	if m == nil {
		return 0
	}
	ms, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0
	}
	return time.Duration(ms * float64(time.Millisecond))
}

// waitLog returns the emulator's log once it holds every one of want, or
// when d has passed.
func (e *emulator) waitLog(d time.Duration, want ...string) string {
	deadline := time.Now().Add(d)
	for {
		logs := e.logs.String()
		all := true
		for _, w := range want {
			all = all && strings.Contains(logs, w)
		}
		if all || time.Now().After(deadline) {
			return logs
		}
		time.Sleep(20 * time.Millisecond)
	}
}
