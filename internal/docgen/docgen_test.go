package docgen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplace(t *testing.T) {
	doc := []byte("intro\n<!-- generated: t -->\nold\n<!-- end generated: t -->\noutro\n")
	out, err := Replace(doc, "t", "new\nlines\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "intro\n<!-- generated: t -->\nnew\nlines\n<!-- end generated: t -->\noutro\n"
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("Replace (-want +got):\n%s", diff)
	}
	if got, err := Section(out, "t"); err != nil || got != "new\nlines\n" {
		t.Errorf("Section = %q, %v", got, err)
	}
	for _, bad := range []string{"no markers\n", "<!-- generated: t -->\nunterminated\n",
		"<!-- generated: t -->\n<!-- end generated: t -->\n<!-- generated: t -->\n<!-- end generated: t -->\n"} {
		if _, err := Replace([]byte(bad), "t", "x"); err == nil {
			t.Errorf("Replace(%q) succeeded, want an error", bad)
		}
	}
}

func TestTable(t *testing.T) {
	got := Table([]string{"a", "b"}, [][]string{{"x|y", "two\nlines"}})
	want := "| a | b |\n|---|---|\n| x\\|y | two lines |\n"
	if got != want {
		t.Errorf("Table = %q, want %q", got, want)
	}
}
