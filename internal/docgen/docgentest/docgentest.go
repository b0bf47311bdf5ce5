// Package docgentest checks, in tests, that a generated section of a
// markdown file is what the code renders, and rewrites it on request.
package docgentest

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/docgen"
)

// Check fails t when the named section of the file at path differs from
// want, and says how to fix it; with update, it rewrites the section
// instead. Tests call it with their -update flag.
func Check(t testing.TB, path, name, want string, update bool) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		out, err := docgen.Replace(doc, name, want)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !bytes.Equal(out, doc) {
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote section %s of %s", name, path)
		}
		return
	}
	got, err := docgen.Section(doc, name)
	if err != nil {
		t.Fatalf("%s: %v (add the markers where the table belongs, then run make docs)", path, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: section %s differs from what the code renders; run `make docs` to rewrite it (-rendered +file):\n%s", path, name, diff)
	}
}
