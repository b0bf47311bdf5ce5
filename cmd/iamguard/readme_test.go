package main

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/internal/docgen/docgentest"
	"github.com/iamguard/iamguard/internal/golden"
)

// TestREADME keeps the README's rules and functions tables what the rules
// table renders; `make docs` rewrites them (-update, which internal/golden
// registers for this package's golden files too).
func TestREADME(t *testing.T) {
	docgentest.Check(t, "../../README.md", sectionRules, rulesMarkdown(), golden.Update())
	docgentest.Check(t, "../../README.md", sectionFunctions, functionsMarkdown(), golden.Update())
}

func TestRulesMarkdown(t *testing.T) {
	r := runIn(t, "", "rules", "--format", "markdown")
	if r.code != exitOK || !strings.Contains(r.stdout, "| `wildcard-policy` | `policy-guard` |") ||
		!strings.Contains(r.stdout, "| `access-keys` |") || !strings.Contains(r.stdout, "undo: `iam:AttachRolePolicy`") {
		t.Errorf("rules --format markdown: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runIn(t, "", "rules"); !strings.Contains(r.stdout, "severity: critical without MFA") {
		t.Errorf("rules text lacks the severities:\n%s", r.stdout)
	}
}
