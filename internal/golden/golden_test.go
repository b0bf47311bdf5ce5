package golden

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// recorder counts errors instead of failing the real test; like testing.T,
// a Fatal ends the goroutine.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }
func (r *recorder) Fatalf(string, ...any) { r.errors++; runtime.Goexit() }
func (r *recorder) Fatal(...any)          { r.errors++; runtime.Goexit() }

// check runs Check against a fresh recorder and returns its error count.
func check(t *testing.T, path, got string) int {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, path, []byte(got))
	}()
	<-done
	return r.errors
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")

	*update = true
	n := check(t, path, "one\n")
	*update = false
	if n != 0 {
		t.Fatalf("Check with -update reported %d errors, want 0", n)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "one\n" {
		t.Fatalf("after -update, file = %q, %v; want %q", b, err, "one\n")
	}
	for _, tc := range []struct {
		name, path, got string
		want            int
	}{
		{"equal", path, "one\n", 0},
		{"different", path, "two\n", 1},
		{"missing", path + ".missing", "one\n", 1},
	} {
		if n := check(t, tc.path, tc.got); n != tc.want {
			t.Errorf("Check(%s) reported %d errors, want %d", tc.name, n, tc.want)
		}
	}
}
