package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// BenchmarkDecodeEvaluate measures what a Lambda invocation spends deciding:
// decode one record (the EventBridge form) and evaluate it against the whole
// table, for the samples that fire a rule.
func BenchmarkDecodeEvaluate(b *testing.B) {
	for _, name := range []string{
		"AttachUserPolicy-stratus-1-eventbridge.json", // AWS managed policy from the snapshot
		"PutRolePolicy-admin-derived.json",            // inline document parsed and analysed
		"CreateAccessKey-stratus-1.json",
		"ConsoleLogin-awsdocs-ct-4.json",
		"ListBuckets-awsdocs-s3-1.json", // routed nowhere
	} {
		raw, err := os.ReadFile(filepath.Join(eventsDir, name))
		if err != nil {
			b.Fatal(err)
		}
		e := NewEngine(Options{})
		// Warm the lazily decoded AWS managed-policy snapshot, as a warm
		// Lambda would have it.
		if rec, err := cloudtrail.DecodeRecord(raw); err == nil {
			e.Evaluate(b.Context(), rec)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				rec, err := cloudtrail.DecodeRecord(raw)
				if err != nil {
					b.Fatal(err)
				}
				e.Evaluate(b.Context(), rec)
			}
		})
	}
}
