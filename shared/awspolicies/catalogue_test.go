package awspolicies

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		arn     string
		wantOK  bool
		wantARN string
		wantIn  string // a fragment the document must contain
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", true, "arn:aws:iam::aws:policy/AdministratorAccess", `"Action":"*"`},
		{"arn:aws-us-gov:iam::aws:policy/AdministratorAccess", true, "arn:aws:iam::aws:policy/AdministratorAccess", `"Effect":"Allow"`},
		{"arn:aws:iam::aws:policy/aws-service-role/APIGatewayServiceRolePolicy", true, "arn:aws:iam::aws:policy/aws-service-role/APIGatewayServiceRolePolicy", "Statement"},
		{"arn:aws:iam::aws:policy/NoSuchPolicyAtAll", false, "", ""},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", false, "", ""},
		{"AdministratorAccess", false, "", ""},
		{"", false, "", ""},
	}
	for _, tc := range tests {
		p, ok, err := Lookup(tc.arn)
		if err != nil {
			t.Fatalf("Lookup(%q) error: %v", tc.arn, err)
		}
		if ok != tc.wantOK {
			t.Errorf("Lookup(%q) ok = %v, want %v", tc.arn, ok, tc.wantOK)
			continue
		}
		if !ok {
			continue
		}
		if p.ARN != tc.wantARN || !strings.HasPrefix(p.VersionID, "v") {
			t.Errorf("Lookup(%q) = ARN %q version %q, want ARN %q and a vN version", tc.arn, p.ARN, p.VersionID, tc.wantARN)
		}
		compact := strings.Join(strings.Fields(string(p.Document)), "")
		if !strings.Contains(compact, tc.wantIn) {
			t.Errorf("Lookup(%q) document %s does not contain %s", tc.arn, compact, tc.wantIn)
		}
		if !json.Valid(p.Document) {
			t.Errorf("Lookup(%q) document is not valid JSON", tc.arn)
		}
	}
}

func TestSnapshotProvenance(t *testing.T) {
	n, err := Len()
	if err != nil || n < 1000 {
		t.Fatalf("Len() = %d, %v, want over 1000 policies", n, err)
	}
	src, err := Source()
	if err != nil || !strings.Contains(src, "MAMIP") {
		t.Fatalf("Source() = %q, %v, want the MAMIP provenance", src, err)
	}
}

func TestIsAWSManaged(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:iam::aws:policy/ReadOnlyAccess":         true,
		"arn:aws-cn:iam::aws:policy/ReadOnlyAccess":      true,
		"arn:aws:iam::111122223333:policy/ReadOnly":      false,
		"arn:aws:iam:xx:policy/qa-testing-P":             false,
		"arn:aws:s3:::aws/policy/ReadOnlyAccess":         false,
		"arn:aws:iam::aws:role/aws-service-role/AWSRole": false,
	} {
		if got := IsAWSManaged(arn); got != want {
			t.Errorf("IsAWSManaged(%q) = %v, want %v", arn, got, want)
		}
	}
}

func BenchmarkLookupWarm(b *testing.B) {
	if _, _, err := Lookup("arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, _ := Lookup("arn:aws:iam::aws:policy/IAMFullAccess"); !ok {
			b.Fatal("IAMFullAccess not found")
		}
	}
}

// TestFindAgreesWithFullDecode checks the byte-search lookup against a full
// decode of the snapshot, for every policy it holds.
func TestFindAgreesWithFullDecode(t *testing.T) {
	c, err := loadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(offsets) != len(c.Policies) {
		t.Errorf("index holds %d policies, the snapshot %d", len(offsets), len(c.Policies))
	}
	for arn, want := range c.Policies {
		got, ok, err := Lookup(arn)
		if err != nil || !ok {
			t.Fatalf("Lookup(%s) = %v, %v", arn, ok, err)
		}
		if got.VersionID != want.VersionID || string(got.Document) != string(want.Document) {
			t.Fatalf("Lookup(%s) = %s %s, want %s %s", arn, got.VersionID, got.Document, want.VersionID, want.Document)
		}
	}
}

func BenchmarkFirstLookup(b *testing.B) {
	if _, err := load(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := find(raw, offsets, "arn:aws:iam::aws:policy/ReadOnlyAccess"); !ok || err != nil {
			b.Fatal("not found", err)
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	if _, err := load(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		index(raw)
	}
}
