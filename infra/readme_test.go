package main

import (
	"flag"
	"testing"

	"github.com/iamguard/iamguard/internal/docgen/docgentest"
)

var update = flag.Bool("update", false, "rewrite README.md's generated sections (make docs)")

// TestREADME keeps the README's table of context keys what ContextSettings
// renders; `make docs` rewrites it.
func TestREADME(t *testing.T) {
	docgentest.Check(t, "../README.md", "context", contextMarkdown(), *update)
}

// TestSettingsDocumented: every key has a default and a meaning to show.
func TestSettingsDocumented(t *testing.T) {
	for _, st := range ContextSettings {
		if st.Key == "" || st.Default == "" || st.Doc == "" || st.Parse == nil {
			t.Errorf("Setting %+v is incomplete", st)
		}
	}
}
