package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestParseTrailPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want trailPath
		ok   bool
	}{
		{"bucket/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-west-1/2026/11/01/f.json.gz", trailPath{"o-a1b2c3d4e5", "444455556666", "eu-west-1"}, true},
		{"/tmp/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/f.json.gz", trailPath{"", "111122223333", "us-east-1"}, true},
		{"AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail-Digest/us-east-1/f.json.gz", trailPath{}, false},
		{"AWSLogs/o-a1b2c3d4e5/notanaccount/CloudTrail/us-east-1/f", trailPath{}, false},
		{"events/AttachUserPolicy-stratus-1.json", trailPath{}, false},
	} {
		got, ok := parseTrailPath(tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseTrailPath(%s) = %+v, %v; want %+v, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

// TestCheckOrganizationTrail: an organisation trail's folders, one per
// account, are read and the text summary has a line per account.
func TestCheckOrganizationTrail(t *testing.T) {
	sample, err := os.ReadFile("../../events/AttachUserPolicy-stratus-1.json")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "AWSLogs", "o-a1b2c3d4e5")
	for account, n := range map[string]int{"111122223333": 1, "444455556666": 2} {
		dir := filepath.Join(root, account, "CloudTrail", "us-east-1", "2026", "11", "01")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		rec := bytes.ReplaceAll(sample, []byte("229654561268"), []byte(account))
		var recs [][]byte
		for i := range n {
			recs = append(recs, bytes.ReplaceAll(rec, []byte(`"eventID": "`), []byte(`"eventID": "`+string(rune('a'+i)))))
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(`{"Records":[` + string(bytes.Join(recs, []byte(","))) + `]}`))
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, account+"_CloudTrail_us-east-1_20261101T0000Z_x.json.gz"), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runIn(t, "", "check", filepath.Dir(root))
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"By account (2 accounts, organisation trail o-a1b2c3d4e5):",
		`(?m)^  111122223333 +1 +0 +0 +0 +0 +1$`,
		`(?m)^  444455556666 +2 +0 +0 +0 +0 +2$`,
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(r.stdout) && !regexp.MustCompile(want).MatchString(r.stdout) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runIn(t, "", "check", "--format", "json", filepath.Dir(root))
	accounts := map[any]int{}
	for _, f := range decodeLines(t, r.stdout) {
		accounts[f["account"]]++
	}
	if accounts["111122223333"] != 1 || accounts["444455556666"] != 2 {
		t.Errorf("JSON findings by account %v", accounts)
	}
	// One account's run keeps the summary it had.
	r = runIn(t, "", "check", "../../events/AttachUserPolicy-stratus-1.json")
	if strings.Contains(r.stdout, "By account") {
		t.Errorf("a single account's run has a by-account summary:\n%s", r.stdout)
	}
}
