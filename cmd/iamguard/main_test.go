package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ruletable "github.com/iamguard/iamguard/shared/rules"

	"github.com/google/go-cmp/cmp"
)

type result struct {
	code           int
	stdout, stderr string
}

func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		out = append(out, m)
	}
	return out
}

func TestCheckEventsJSON(t *testing.T) {
	// The canary of TagPolicy-canary-derived.json is the stack's own, as
	// the rules package's samples are judged.
	// The samples span years: their canary write is alone, not a silence.
	r := runIn(t, "", "check", "--format", "json", "--canary-policy-arn", canaryPolicy, "--canary-role-arn", canaryRole, "--stack-name", "Iamguard",
		"--key-arn", "arn:aws:kms:us-east-1:123456789012:key/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "--canary-minutes", "0", "../../events")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	lines := decodeLines(t, r.stdout)
	counts := map[string]int{}
	for _, m := range lines {
		for _, key := range []string{"rule", "severity", "eventID", "eventName", "eventTime", "account", "region", "actor", "target", "summary", "reasons", "remediation", "file", "record"} {
			if _, ok := m[key]; !ok {
				t.Errorf("finding %v lacks %q", m["eventID"], key)
			}
		}
		if m["remediation"] == nil && m["remediationNote"] == nil {
			t.Errorf("finding %v has neither a remediation nor the reason for none", m["eventID"])
		}
		counts[m["rule"].(string)+":"+m["severity"].(string)]++
	}
	// The manifest's expectations, file by file, added up. Evaluating the
	// whole folder as one stream must give the same findings.
	want := map[string]int{}
	manifest, err := os.ReadFile("../../events/MANIFEST.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(manifest)), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if cols[1] == "none" {
			continue
		}
		for _, e := range strings.Split(cols[1], ",") {
			want[e]++
		}
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("findings by rule:severity (-manifest +check):\n%s", diff)
	}
	if !strings.Contains(r.stderr, "findings in") {
		t.Errorf("stderr lacks the summary line:\n%s", r.stderr)
	}
}

const (
	canaryPolicy = "arn:aws:iam::307578594326:policy/iamguard/canary/Iamguard-canary"
	canaryRole   = "arn:aws:iam::307578594326:role/Iamguard-CanaryRole"
)

// TestCheckCanaryGaps: heartbeats an hour apart, then a silence of three,
// in JSON Lines on standard input, out of order.
func TestCheckCanaryGaps(t *testing.T) {
	raw, err := os.ReadFile("../../events/TagPolicy-canary-derived.json")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, at := range []string{"2026-11-30T03:00:40Z", "2026-11-30T00:00:40Z", "2026-11-30T01:01:10Z", "2026-11-30T04:00:30Z"} {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		m["eventTime"], m["eventID"] = at, fmt.Sprintf("canary-%d", i)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	stdin := strings.Join(lines, "\n") + "\n"
	r := runIn(t, stdin, "check", "--format", "json", "--canary-policy-arn", canaryPolicy, "--canary-role-arn", canaryRole, "--fail-on", "high", "-")
	if r.code != exitFailOn {
		t.Fatalf("exit %d, want %d: %s", r.code, exitFailOn, r.stderr)
	}
	got := decodeLines(t, r.stdout)
	if len(got) != 1 {
		t.Fatalf("findings = %v", got)
	}
	if got[0]["rule"] != "canary" || got[0]["severity"] != "high" || got[0]["eventID"] != "canary-0" ||
		!strings.HasPrefix(got[0]["summary"].(string), "no canary between 2026-11-30T01:01:10Z and 2026-11-30T03:00:40Z") {
		t.Errorf("gap finding = %v", got[0])
	}
	// A period of three hours sees no gap; 0 turns the check off.
	for _, every := range []string{"180", "0"} {
		if r := runIn(t, stdin, "check", "--format", "json", "--canary-minutes", every, "-"); r.code != exitOK || r.stdout != "" {
			t.Errorf("--canary-minutes %s: exit %d, output %q", every, r.code, r.stdout)
		}
	}
}

func TestCheckText(t *testing.T) {
	r := runIn(t, "", "check", "../../events/AttachUserPolicy-stratus-1.json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"CRITICAL  wildcard-policy",
		"AdministratorAccess attached to user",
		"who:   arn:aws:iam::",
		"fix:   aws iam detach-user-policy --user-name",
		"undo:  aws iam attach-user-policy",
		"Summary: 1 findings in 1 records from 1 inputs",
		"wildcard-policy",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCheckSeverityFlags(t *testing.T) {
	all := decodeLines(t, runIn(t, "", "check", "--format", "json", "../../events").stdout)
	high := runIn(t, "", "check", "--format", "json", "--min-severity", "high", "../../events")
	hl := decodeLines(t, high.stdout)
	if len(hl) == 0 || len(hl) >= len(all) {
		t.Fatalf("--min-severity high gave %d findings of %d", len(hl), len(all))
	}
	for _, m := range hl {
		if s := m["severity"]; s != "high" && s != "critical" {
			t.Errorf("--min-severity high reported a %v finding", s)
		}
	}
	if r := runIn(t, "", "check", "--fail-on", "critical", "../../events"); r.code != exitFailOn {
		t.Errorf("--fail-on critical over events/: exit %d, want %d", r.code, exitFailOn)
	}
	benign := "../../events/ListBuckets-awsdocs-s3-1.json"
	if r := runIn(t, "", "check", "--fail-on", "low", benign); r.code != exitOK {
		t.Errorf("--fail-on low over a benign event: exit %d, want 0: %s", r.code, r.stderr)
	}
	// A finding below --min-severity is not reported, so it cannot fail the run.
	if r := runIn(t, "", "check", "--min-severity", "critical", "--fail-on", "low", "../../events/CreateAccessKey-self-derived.json"); r.code != exitOK {
		t.Errorf("filtered finding failed the run: exit %d", r.code)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "--format", "yaml", "x"},
		{"check", "--min-severity", "severe", "x"},
		{"check", "--fail-on", "bad", "x"},
		{"check", "--workers", "0", "x"},
		{"check", "--canary-role-arn", canaryRole, "x"},
		{"check", "--canary-policy-arn", "arn:aws:iam::307578594326:policy/other", "--canary-role-arn", canaryRole, "x"},
		{"check", "--canary-minutes", "-1", "x"},
		{"check", "--stack-name", "my stack", "x"},
		{"check", "--key-arn", "alias/iamguard", "x"},
		{"check", "--nope", "x"},
		{"frobnicate"},
		{},
	} {
		r := runIn(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "usage:") {
			t.Errorf("run(%q) = exit %d, stderr %q; want exit 2 with usage", args, r.code, r.stderr)
		}
	}
	r := runIn(t, "", "check", "--format", "yaml", "--fail-on", "bad")
	for _, want := range []string{`--format "yaml"`, "--fail-on", "no PATH"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("every problem should be reported at once; stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestCheckBadInput shows that a bad record is reported with its file and
// record number, and the rest of the input is still read.
func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../events/AttachUserPolicy-stratus-1.json")
	if err != nil {
		t.Fatal(err)
	}
	compact := new(bytes.Buffer)
	if err := json.Compact(compact, good); err != nil {
		t.Fatal(err)
	}
	lines := compact.String() + "\n{\"eventName\": \n" + strings.Replace(compact.String(), "AttachUserPolicy", "AttachRolePolicy", 1) + "\n"
	bad := filepath.Join(dir, "stream.jsonl")
	if err := os.WriteFile(bad, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, "", "check", "--format", "json", bad, filepath.Join(dir, "missing.json"))
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d for input errors", r.code, exitUsage)
	}
	if !strings.Contains(r.stderr, "stream.jsonl") || !strings.Contains(r.stderr, "record 2") {
		t.Errorf("stderr does not name the file and record 2:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "missing.json") {
		t.Errorf("stderr does not name the missing file:\n%s", r.stderr)
	}
	if n := len(decodeLines(t, r.stdout)); n < 1 {
		t.Errorf("got %d findings; the good records around the bad one must still be evaluated", n)
	}
}

// failingWriter accepts n bytes, then fails every write.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

// TestCheckWriteError: findings are written on a goroutine of their own; a
// failed write still ends the run with the error and exit status 2.
func TestCheckWriteError(t *testing.T) {
	var errOut bytes.Buffer
	code := run(t.Context(), []string{"check", "--format", "json", "--canary-minutes", "0", "../../events"}, strings.NewReader(""), &failingWriter{n: 5000}, &errOut)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if got := errOut.String(); !strings.Contains(got, "iamguard: write output: disk full") || strings.Contains(got, "findings in") {
		t.Errorf("stderr = %q, want the write error and no summary", got)
	}
}

func TestCheckStdinAndGzipDirectory(t *testing.T) {
	data, err := os.ReadFile("../../events/ConsoleLogin-awsdocs-ct-4.json")
	if err != nil {
		t.Fatal(err)
	}
	r := runIn(t, string(data), "check", "--format", "json", "-")
	if got := decodeLines(t, r.stdout); r.code != exitOK || len(got) != 1 || got[0]["rule"] != "root-console-login" {
		t.Fatalf("stdin: exit %d, findings %v, stderr %s", r.code, got, r.stderr)
	}

	dir := filepath.Join(t.TempDir(), "AWSLogs", "111122223333", "CloudTrail", "us-east-1")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	var rec any
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(zw).Encode(map[string]any{"Records": []any{rec, rec}}); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "log.json.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a log"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runIn(t, "", "check", "--format", "json", filepath.Dir(filepath.Dir(dir)))
	if got := decodeLines(t, r.stdout); r.code != exitOK || len(got) != 2 {
		t.Fatalf("gzip directory: exit %d, %d findings, stderr %s", r.code, len(got), r.stderr)
	}
}

func TestRulesCommand(t *testing.T) {
	r := runIn(t, "", "rules", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rules []struct {
		ID       string           `json:"id"`
		Patterns []map[string]any `json:"patterns"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != len(ruletable.Table()) || rules[0].ID != "root-console-login" || len(rules[0].Patterns) == 0 {
		t.Errorf("rules --format json = %+v", rules)
	}
	if r := runIn(t, "", "rules"); r.code != exitOK || !strings.Contains(r.stdout, "pattern: {") {
		t.Errorf("rules text: exit %d\n%s", r.code, r.stdout)
	}
}

// TestTrustedAccounts: the trust-policy rule judges with the accounts and
// organisation given, as the stack's context gives them to the functions.
func TestTrustedAccounts(t *testing.T) {
	const sample = "../../events/UpdateAssumeRolePolicy-stratus-1.json" // trusts account 193672423079
	if r := runIn(t, "", "check", "--format", "json", sample); r.code != exitOK || !strings.Contains(r.stdout, `"rule":"trust-policy"`) {
		t.Errorf("untrusted account: exit %d, stdout %s", r.code, r.stdout)
	}
	if r := runIn(t, "", "check", "--format", "json", "--trusted-accounts", "111111111111,193672423079", sample); r.code != exitOK || strings.Contains(r.stdout, "trust-policy") {
		t.Errorf("trusted account: exit %d, stdout %s; want no trust-policy finding", r.code, r.stdout)
	}
	if r := runIn(t, "", "check", "--trusted-accounts", "1936", "--trusted-org-id", "org-1", sample); r.code != exitUsage ||
		!strings.Contains(r.stderr, `--trusted-accounts: "1936" is not a 12-digit AWS account ID`) || !strings.Contains(r.stderr, `--trusted-org-id "org-1"`) {
		t.Errorf("bad flags: exit %d, stderr %s", r.code, r.stderr)
	}
}
