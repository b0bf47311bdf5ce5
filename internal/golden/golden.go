// Package golden compares test output with golden files, and rewrites them
// when the test binary runs with -update (go test ./some/pkg -update).
//
// It registers the -update flag itself, so a test package that imports it
// must not define its own. It exists only for tests.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Update reports whether the test binary runs with -update, for tests that
// rewrite other files of their own along with the golden ones.
func Update() bool { return *update }

// Check compares got with the file at path and reports a difference as a
// test error, with a diff (-want +got). With -update it writes got to path
// instead, creating its directory.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update in this package writes it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
