// Command gen writes a synthetic CloudTrail export for benchmarking iamguard
// check: gzip-compressed log files in CloudTrail's {"Records":[...]} shape and
// folder layout, built from the real records in events/ with fresh IDs, times
// and names, in a realistic mix (mostly read-only and service calls, a small
// share of the IAM changes iamguard looks for).
//
//	go run ./bench/gen -out bench/out -files 100 -records 200000
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// template names a sample file in events/ and its weight in a mix.
type template struct {
	file   string
	weight int
}

// routed is the -mix routed: only records that a rule routes, so that every
// record is decoded and kept for the time-ordered evaluation (the memory
// benchmark of bench/memory.sh).
var routed = []template{
	{"ConsoleLogin-awsdocs-ct-1.json", 30},
	{"AttachRolePolicy-elastic-integ-1.json", 10},
	{"CreateUser-awsdocs-ct-1.json", 10},
	{"PutUserPolicy-panther-2.json", 5},
	{"AttachUserPolicy-stratus-1.json", 2},
	{"CreateAccessKey-stratus-1.json", 1},
	{"ConsoleLogin-awsdocs-ct-4.json", 1},
	{"CreatePolicyVersion-unknownrepo-poc-1.json", 1},
}

// templates name sample files in events/ and their weight in the mix.
// Weights sum to 1000; 5 in 1000 are changes a rule flags.
var templates = []template{
	{"AssumeRole-sekoia-1.json", 260},
	{"DescribeInstances-stratus-1.json", 150},
	{"GetCallerIdentity-moussa-cloudgoat-1.json", 120},
	{"ListBuckets-awsdocs-s3-1.json", 90},
	{"PutObject-awsdocs-s3-1.json", 90},
	{"ListSecrets-stratus-1.json", 60},
	{"RunInstances-custodian-1.json", 40},
	{"ListAttachedRolePolicies-elastic-integ-1.json", 40},
	{"DescribeEventAggregates-fivexl-1.json", 30},
	{"ConsoleLogin-awsdocs-ct-1.json", 30},
	{"PutKeyPolicy-awsdocs-kms-1.json", 20},
	{"GetUserPolicy-awsdocs-iam-1.json", 20},
	{"AttachRolePolicy-elastic-integ-1.json", 10},
	{"AssumeRole-stratus-3.json", 10},
	{"StopInstances-awsdocs-ct-1.json", 10},
	{"PutUserPolicy-panther-2.json", 5},
	{"CreateUser-awsdocs-ct-1.json", 10},
	{"AttachUserPolicy-stratus-1.json", 2},
	{"CreateAccessKey-stratus-1.json", 1},
	{"ConsoleLogin-awsdocs-ct-4.json", 1},
	{"CreatePolicyVersion-unknownrepo-poc-1.json", 1},
}

func main() {
	out := flag.String("out", "bench/out", "folder to write the export into")
	files := flag.Int("files", 100, "number of gzip log files")
	records := flag.Int("records", 200000, "total number of records")
	events := flag.String("events", "events", "folder of sample records")
	seed := flag.Uint64("seed", 1, "random seed (the same seed writes the same export)")
	mix := flag.String("mix", "realistic", "realistic (mostly records no rule routes) or routed (only records a rule routes)")
	flag.Parse()
	var tmpl []template
	switch *mix {
	case "realistic":
		tmpl = templates
	case "routed":
		tmpl = routed
	default:
		fmt.Fprintf(os.Stderr, "gen: -mix %q: want realistic or routed\n", *mix)
		os.Exit(2)
	}
	if err := generate(*out, *events, *files, *records, *seed, tmpl); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func generate(out, events string, files, records int, seed uint64, templates []template) error {
	if files < 1 || records < files {
		return fmt.Errorf("want at least 1 file and at least as many records as files, got %d files, %d records", files, records)
	}
	var pool []map[string]any
	for _, t := range templates {
		data, err := os.ReadFile(filepath.Join(events, t.file))
		if err != nil {
			return err
		}
		var rec map[string]any
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("%s: %w", t.file, err)
		}
		if d, ok := rec["detail"].(map[string]any); ok {
			rec = d
		}
		for range t.weight {
			pool = append(pool, rec)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	dir := filepath.Join(out, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "01")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	perFile := records / files
	written := 0
	for i := range files {
		n := perFile
		if i == files-1 {
			n = records - written
		}
		batch := make([]map[string]any, n)
		for j := range batch {
			tmpl := pool[rng.IntN(len(pool))]
			rec := make(map[string]any, len(tmpl))
			for k, v := range tmpl {
				rec[k] = v
			}
			at := start.Add(time.Duration(written+j) * 400 * time.Millisecond)
			rec["eventTime"] = at.Format(time.RFC3339)
			rec["eventID"] = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Uint64()&(1<<48-1))
			rec["requestID"] = fmt.Sprintf("%08x-%04x-%04x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<16))
			rec["recipientAccountId"] = "111122223333"
			batch[j] = rec
		}
		written += n
		name := filepath.Join(dir, fmt.Sprintf("111122223333_CloudTrail_us-east-1_20261101T%04dZ_%04d.json.gz", i/12*100+i%12*5, i))
		if err := writeGzip(name, map[string]any{"Records": batch}); err != nil {
			return err
		}
	}
	return nil
}

func writeGzip(name string, v any) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return f.Close()
}
