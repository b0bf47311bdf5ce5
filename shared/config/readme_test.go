package config

import (
	"flag"
	"testing"

	"github.com/iamguard/iamguard/internal/docgen"
	"github.com/iamguard/iamguard/internal/docgen/docgentest"
)

var update = flag.Bool("update", false, "rewrite README.md's generated sections (make docs)")

// TestREADME keeps the README's table of environment variables what Vars
// renders; `make docs` rewrites it.
func TestREADME(t *testing.T) {
	docgentest.Check(t, "../../README.md", "environment", markdown(), *update)
}

func TestVarsAreDocumented(t *testing.T) {
	for _, v := range Vars {
		if v.Key == "" || v.Doc == "" || v.Parse == nil || (v.Required && v.Default != "") {
			t.Errorf("Var %+v is incomplete", v)
		}
	}
}

// markdown renders the README's table of the functions' environment
// variables from Vars. It lives in a test file: the Lambdas that link config
// need none of it.
func markdown() string {
	var rows [][]string
	for _, v := range Vars {
		def := "none"
		switch {
		case v.Required:
			def = "required"
		case v.Default != "":
			def = "`" + v.Default + "`"
		}
		rows = append(rows, []string{"`" + v.Key + "`", def, v.Doc})
	}
	return docgen.Table([]string{"variable", "default", "meaning"}, rows)
}
