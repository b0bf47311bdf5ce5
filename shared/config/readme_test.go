package config

import (
	"flag"
	"testing"

	"github.com/iamguard/iamguard/internal/docgen/docgentest"
)

var update = flag.Bool("update", false, "rewrite README.md's generated sections (make docs)")

// TestREADME keeps the README's table of environment variables what Vars
// renders; `make docs` rewrites it.
func TestREADME(t *testing.T) {
	docgentest.Check(t, "../../README.md", "environment", Markdown(), *update)
}

func TestVarsAreDocumented(t *testing.T) {
	for _, v := range Vars {
		if v.Key == "" || v.Doc == "" || v.Parse == nil || (v.Required && v.Default != "") {
			t.Errorf("Var %+v is incomplete", v)
		}
	}
}
