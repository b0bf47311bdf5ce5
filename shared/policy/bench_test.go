package policy

import (
	"fmt"
	"os"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

func readBenchDoc(b *testing.B) string {
	b.Helper()
	data, err := os.ReadFile("testdata/bench-6kb.json")
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

// BenchmarkAnalyze6KB scores a realistic 6 KB application-role policy with
// 24 statements, Deny guards and a few actions on "*". Target: well under 20 µs.
func BenchmarkAnalyze6KB(b *testing.B) {
	text := readBenchDoc(b)
	d, err := Parse(text)
	if err != nil {
		b.Fatal(err)
	}
	if v := Analyze(d); v.Severity != severity.Info {
		b.Fatalf("Analyze(bench-6kb.json).Severity = %v, want info; reasons: %q", v.Severity, v.Reasons())
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(d)
	}
}

// BenchmarkParse6KB parses the same document.
func BenchmarkParse6KB(b *testing.B) {
	text := readBenchDoc(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeReadOnlyAccess scores the largest managed policy
// (ReadOnlyAccess, about 85 KB with thousands of patterns) as a worst case.
func BenchmarkAnalyzeReadOnlyAccess(b *testing.B) {
	m := loadManaged(b)
	d, err := Parse(string(m.Policies["arn:aws:iam::aws:policy/ReadOnlyAccess"].Document))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(d)
	}
}

// BenchmarkVerdict6KB is the whole verdict for a document given as text:
// Parse then Analyze, as the rules do for every policy event.
func BenchmarkVerdict6KB(b *testing.B) {
	text := readBenchDoc(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Parse(text)
		if err != nil {
			b.Fatal(err)
		}
		Analyze(d)
	}
}

// BenchmarkAnalyzeHostile is a forged document no IAM would accept: 4,000
// Allow and 4,000 Deny statements. The Allow-by-Deny checks are bounded
// (maxDenyChecks), so it costs milliseconds, not the seconds a full
// 16-million-pair comparison would.
func BenchmarkAnalyzeHostile(b *testing.B) {
	var st []string
	for i := 0; i < 4000; i++ {
		st = append(st, fmt.Sprintf(`{"Effect":"Allow","Action":"s3:Get%d","Resource":"arn:aws:s3:::b%d/*"}`, i, i))
	}
	for i := 0; i < 4000; i++ {
		st = append(st, fmt.Sprintf(`{"Effect":"Deny","Action":"s3:Put%d","Resource":"*"}`, i))
	}
	d, err := Parse(doc(st...))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(d)
	}
}
