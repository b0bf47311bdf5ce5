package rules

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/cloudtrail"
)

const eventsDir = "../../events"

type manifestRow struct {
	file     string
	expected map[string]string // rule ID -> severity of its finding
	routes   []string          // rules whose EventBridge patterns match, sorted
}

func readManifest(t *testing.T) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(eventsDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read MANIFEST.tsv: %v", err)
	}
	var out []manifestRow
	for i, row := range rows[1:] {
		if len(row) < 3 {
			t.Fatalf("MANIFEST.tsv line %d: want file, expected and routes columns, got %q", i+2, row)
		}
		m := manifestRow{file: row[0], expected: map[string]string{}}
		if row[2] != "none" {
			m.routes = strings.Split(row[2], ",")
			sort.Strings(m.routes)
		}
		if row[1] != "none" {
			for _, part := range strings.Split(row[1], ",") {
				id, sev, ok := strings.Cut(part, ":")
				if !ok {
					t.Fatalf("MANIFEST.tsv line %d: expected %q is not rule:severity", i+2, part)
				}
				if _, known := ByID(id); !known {
					t.Fatalf("MANIFEST.tsv line %d: unknown rule %q", i+2, id)
				}
				m.expected[id] = sev
			}
		}
		out = append(out, m)
	}
	return out
}

func readOne(t *testing.T, path string) (*cloudtrail.Record, []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := cloudtrail.NewReader(f, path)
	raw, _, err := rd.NextRaw()
	if err != nil {
		t.Fatalf("%s: NextRaw: %v", path, err)
	}
	raw = bytes.Clone(raw)
	rec, err := cloudtrail.DecodeRecord(raw)
	if err != nil {
		t.Fatalf("%s: DecodeRecord: %v", path, err)
	}
	return rec, raw
}

// TestEventsManifest checks every sample in events/ against the rules it must
// match, through the real EventBridge event, the routing summary and Peek,
// and checks the severity each rule gives.
func TestEventsManifest(t *testing.T) {
	rows := readManifest(t)
	files, err := filepath.Glob(filepath.Join(eventsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(rows) {
		t.Errorf("events/ has %d .json files but MANIFEST.tsv lists %d", len(files), len(rows))
	}
	ruleCoverage := map[string]bool{}
	for _, row := range rows {
		t.Run(row.file, func(t *testing.T) {
			rec, raw := readOne(t, filepath.Join(eventsDir, row.file))
			want := row.routes
			for id := range row.expected {
				ruleCoverage[id] = true
				if !slices.Contains(want, id) {
					t.Errorf("MANIFEST.tsv: %s is expected to fire but not listed in routes", id)
				}
			}

			event, err := rec.EventBridgeEvent()
			if err != nil {
				t.Fatalf("EventBridgeEvent: %v", err)
			}
			var byPattern []string
			for _, r := range Table() {
				for _, p := range r.Patterns {
					ok, err := p.MatchJSON(event)
					if err != nil {
						t.Fatalf("rule %s: MatchJSON: %v", r.ID, err)
					}
					if ok {
						byPattern = append(byPattern, r.ID)
						break
					}
				}
			}
			sort.Strings(byPattern)
			if diff := cmp.Diff(want, byPattern, cmpEmpty); diff != "" {
				t.Errorf("rules whose patterns match the EventBridge event (-want +got):\n%s", diff)
			}

			sum, err := cloudtrail.Peek(raw)
			if err != nil {
				t.Fatalf("Peek: %v", err)
			}
			if diff := cmp.Diff(SummaryOf(rec), sum); diff != "" {
				t.Errorf("Peek disagrees with the decoded record (-decoded +peek):\n%s", diff)
			}
			var routed []string
			for _, r := range NewEngine(Options{}).Route(sum) {
				routed = append(routed, r.ID)
			}
			sort.Strings(routed)
			if diff := cmp.Diff(want, routed, cmpEmpty); diff != "" {
				t.Errorf("Engine.Route(Peek) (-want +got):\n%s", diff)
			}

			got := map[string]string{}
			for _, r := range Table() {
				for _, f := range r.EvaluateWith(t.Context(), rec, nil, sampleSettings) {
					if prev, dup := got[f.Rule]; dup {
						t.Errorf("rule %s gave two findings (%s and %s)", f.Rule, prev, f.Severity)
					}
					got[f.Rule] = f.Severity.String()
				}
			}
			if diff := cmp.Diff(row.expected, got); diff != "" {
				t.Errorf("Evaluate of every rule: rule -> severity (-want +got):\n%s", diff)
			}
		})
	}
	for _, r := range Table() {
		if !ruleCoverage[r.ID] {
			t.Errorf("no sample in events/ is expected to match rule %s", r.ID)
		}
	}
}

// sampleSettings are the deployment settings the samples are judged with:
// the canary of TagPolicy-canary-derived.json is this stack's own.
var sampleSettings = Settings{
	CanaryPolicyARN: "arn:aws:iam::307578594326:policy/iamguard/canary/Iamguard-canary",
	CanaryRoleARN:   "arn:aws:iam::307578594326:role/Iamguard-CanaryRole",
	Guardrail:       Guardrail{StackName: "Iamguard", KeyARN: "arn:aws:kms:us-east-1:123456789012:key/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", DeployRoles: []string{"arn:aws:iam::*:role/cdk-*-deploy-role-*", "arn:aws:iam::*:role/cdk-*-cfn-exec-role-*"}},
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

// TestGolden compares the findings for each sample with testdata/golden.
// go test ./shared/rules -update rewrites them after an intended change.
// A sample with no finding has no golden file (MANIFEST.tsv says "none"
// for it, which TestEventsManifest checks).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(eventsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rec, _ := readOne(t, path)
			findings := NewEngine(Options{Settings: sampleSettings}).Evaluate(t.Context(), rec)
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".json")+".golden")
			if len(findings) == 0 {
				if golden.Update() {
					if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
						t.Fatal(err)
					}
				} else if _, err := os.Stat(path); err == nil {
					t.Errorf("%s: no finding, but %s exists (go test ./shared/rules -update removes it)", name, path)
				}
				return
			}
			got, err := json.MarshalIndent(findings, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, path, got)
		})
	}
}
