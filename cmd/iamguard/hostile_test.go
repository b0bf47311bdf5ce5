package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// compactEvent returns a sample from events/ on one line, with changes
// applied to its decoded form.
func compactEvent(t *testing.T, file string, change func(m map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../events", file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if d, ok := m["detail"].(map[string]any); ok {
		m = d // the record, without its EventBridge envelope
	}
	if change != nil {
		change(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckBoundedErrors: a file of bad records reports the first
// maxErrorsShown of them, then one line with the count of the rest; the
// records around them are still read.
func TestCheckBoundedErrors(t *testing.T) {
	good := compactEvent(t, "AttachUserPolicy-stratus-1.json", nil)
	in := good + "\n" + strings.Repeat("{\"eventName\": ]\n", 1000) + good + "\n"
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, "", "check", "--format", "json", path)
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d", r.code, exitUsage)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	var shown int
	for _, l := range lines {
		if strings.Contains(l, "bad.jsonl: record ") {
			shown++
		}
	}
	if shown != maxErrorsShown {
		t.Errorf("stderr shows %d bad records, want %d:\n%s", shown, maxErrorsShown, r.stderr)
	}
	if want := fmt.Sprintf("bad.jsonl: %d more bad records not shown", 1000-maxErrorsShown); !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stderr, "1000 input errors") {
		t.Errorf("the summary does not count every bad record:\n%s", r.stderr)
	}
	if n := len(decodeLines(t, r.stdout)); n != 2 {
		t.Errorf("%d findings, want the 2 around the bad records", n)
	}
}

// TestCheckSymlinks: a symlinked file inside a directory is read, and so is
// a symlinked directory; a symlink loop is reported and the walk ends.
func TestCheckSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside")
	logs := filepath.Join(dir, "logs")
	for _, d := range []string{outside, filepath.Join(outside, "sub"), logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rec := compactEvent(t, "AttachUserPolicy-stratus-1.json", nil)
	for _, f := range []string{filepath.Join(outside, "a.json"), filepath.Join(outside, "sub", "b.json")} {
		if err := os.WriteFile(f, []byte(rec+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"file.json": filepath.Join(outside, "a.json"),
		"dir":       filepath.Join(outside, "sub"),
		"loop":      dir, // logs/loop/logs/loop/...
		"self.json": filepath.Join(logs, "self.json"),
	} {
		if err := os.Symlink(target, filepath.Join(logs, link)); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	r := runIn(t, "", "check", "--format", "json", logs)
	got := map[string]bool{}
	for _, m := range decodeLines(t, r.stdout) {
		got[filepath.ToSlash(m["file"].(string))] = true
	}
	for _, want := range []string{"logs/file.json", "logs/dir/b.json"} {
		found := false
		for f := range got {
			found = found || strings.HasSuffix(f, want)
		}
		if !found {
			t.Errorf("no finding from %s; findings from %v; stderr:\n%s", want, got, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "symlink loop") || !strings.Contains(r.stderr, "self.json") {
		t.Errorf("stderr does not report the loops (logs/loop, logs/self.json):\n%s", r.stderr)
	}
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d: a loop is an input error", r.code, exitUsage)
	}
}

// TestCheckFlagsAfterPath: flags may follow the paths; an unknown one is a
// usage error, and -- ends the flags.
func TestCheckFlagsAfterPath(t *testing.T) {
	sample := "../../events/AttachUserPolicy-stratus-1.json"
	r := runIn(t, "", "check", sample, "--format", "json", "--min-severity", "high")
	if r.code != exitOK || len(decodeLines(t, r.stdout)) != 1 {
		t.Errorf("check PATH --format json: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := runIn(t, "", "check", sample, "--bogus"); r.code != exitUsage || !strings.Contains(r.stderr, "usage:") || !strings.Contains(r.stderr, "bogus") {
		t.Errorf("check PATH --bogus: exit %d, stderr %q; want exit 2 with usage", r.code, r.stderr)
	}
	r = runIn(t, "", "check", "--format", "json", "--", sample)
	if r.code != exitOK || len(decodeLines(t, r.stdout)) != 1 {
		t.Errorf("check --format json -- PATH: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runIn(t, "", "check", "--format", "json", "--", "--format")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--format") {
		t.Errorf("check -- --format reads a file named --format: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCheckNoZeroTime: a record without eventTime shows no zero time.
func TestCheckNoZeroTime(t *testing.T) {
	recs := []string{
		compactEvent(t, "AttachUserPolicy-stratus-1.json", func(m map[string]any) { delete(m, "eventTime") }),
		compactEvent(t, "TagPolicy-canary-derived.json", func(m map[string]any) { delete(m, "eventTime") }),
		compactEvent(t, "TagPolicy-canary-derived.json", func(m map[string]any) { m["eventTime"] = "2026-11-30T05:00:00Z" }),
		compactEvent(t, "CreateLoginProfile-stratus-1.json", func(m map[string]any) { delete(m, "eventTime") }),
	}
	r := runIn(t, strings.Join(recs, "\n"), "check", "-")
	if r.code != exitOK {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "0001-01-01") || !strings.Contains(r.stdout, "time unknown") {
		t.Errorf("text output shows a zero time, or no 'time unknown':\n%s", r.stdout)
	}
}

// TestCheckNoZeroTimeJSON: in JSON, a record without eventTime has
// "eventTime": null, not 0001-01-01.
func TestCheckNoZeroTimeJSON(t *testing.T) {
	rec := compactEvent(t, "AttachUserPolicy-stratus-1.json", func(m map[string]any) { delete(m, "eventTime") })
	r := runIn(t, rec, "check", "--format", "json", "-")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "0001-01-01") || !strings.Contains(r.stdout, `"eventTime":null`) {
		t.Errorf("JSON output shows a zero time, or no null eventTime:\n%s", r.stdout)
	}
}

// TestCheckRecordsNotArray: {"Records": <not an array>} is an input error
// naming its file.
func TestCheckRecordsNotArray(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trail.json")
	if err := os.WriteFile(path, []byte(`{"Records": {"eventName":"CreateUser"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, "", "check", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "trail.json: record 1") || !strings.Contains(r.stderr, "not an array") {
		t.Errorf("exit %d, stderr %q; want exit 2 and an error naming trail.json", r.code, r.stderr)
	}
}

// signalWriter is a stderr that calls back on each write.
type signalWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
	on  func(string)
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.on(w.buf.String())
	return len(p), nil
}

// TestCheckDevZero: `iamguard check /dev/zero` says what is wrong at once,
// and stops when interrupted although the stream never ends.
func TestCheckDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var once sync.Once
	reported := make(chan struct{})
	errOut := &signalWriter{on: func(s string) {
		if strings.Contains(s, "/dev/zero: record 1") {
			once.Do(func() { close(reported); cancel() })
		}
	}}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"check", "/dev/zero"}, strings.NewReader(""), &bytes.Buffer{}, errOut)
	}()
	select {
	case <-reported:
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatalf("no error reported for /dev/zero within 10 s")
	}
	select {
	case code := <-done:
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("check /dev/zero did not stop when interrupted")
	}
}

// TestCheckSpill: with a small memory budget the records are sorted in runs
// spilled to temporary files and merged; the findings are the same, in the
// same order, as when all fit in memory.
func TestCheckSpill(t *testing.T) {
	args := []string{"check", "--format", "json", "--canary-minutes", "60", "../../events"}
	want := runIn(t, "", args...)
	defer func(b int) { memoryBudget = b }(memoryBudget)
	memoryBudget = 16 << 10
	spills.Store(0)
	got := runIn(t, "", args...)
	if spills.Load() < 2 {
		t.Errorf("%d runs spilled with a 16 KiB budget, want several", spills.Load())
	}
	if got.code != want.code || got.stdout != want.stdout {
		t.Errorf("spilled run: exit %d, want %d; output differs: %d bytes, want %d", got.code, want.code, len(got.stdout), len(want.stdout))
		gl, wl := strings.Split(got.stdout, "\n"), strings.Split(want.stdout, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("first difference, line %d:\n got %.300s\nwant %.300s", i+1, gl[i], wl[i])
				break
			}
		}
	}
}
