package main

import (
	"strings"

	"github.com/iamguard/iamguard/internal/docgen"
	"github.com/iamguard/iamguard/shared/rules"
)

// The README sections `iamguard rules --format markdown` renders; a test
// keeps README.md in step with them (make docs rewrites it).
const (
	sectionRules     = "rules"
	sectionFunctions = "functions"
)

func code(s string) string { return "`" + s + "`" }

// rulesMarkdown renders the rules table: one row per rule, with what it
// fires on, its severities and its response.
func rulesMarkdown() string {
	var rows [][]string
	for _, r := range rules.Table() {
		var resp []string
		for _, a := range r.Actions {
			undo := "cannot be undone"
			if a.Undo != "" {
				undo = "undo: " + code(a.Undo)
			}
			resp = append(resp, code(a.ID)+": "+a.Summary+"; "+undo)
		}
		switch {
		case len(r.Actions) == 0:
			resp = append(resp, "notify only: "+r.NoRollback)
		case r.NoRollback != "":
			resp = append(resp, "no rollback for "+r.NoRollback)
		}
		rows = append(rows, []string{code(r.ID), code(r.Family.ID), r.FiresOn, r.Severities, strings.Join(resp, "<br>")})
	}
	return docgen.Table([]string{"rule", "function", "fires on", "severity", "response"}, rows)
}

// functionsMarkdown renders the functions table: one row per family, with
// its rules, what it may roll back and the calls its role is granted.
func functionsMarkdown() string {
	var rows [][]string
	for _, f := range rules.Families() {
		var ids, acts, calls []string
		for _, r := range f.Rules() {
			ids = append(ids, code(r.ID))
		}
		for _, a := range f.Actions() {
			acts = append(acts, code(a.ID)+": "+a.Summary)
		}
		for _, c := range f.Calls() {
			calls = append(calls, code(c.Op))
		}
		mayRollBack := "nothing: notify only"
		if len(acts) > 0 {
			mayRollBack = strings.Join(acts, "<br>")
		}
		granted := "none"
		if len(calls) > 0 {
			granted = strings.Join(calls, ", ")
		}
		rows = append(rows, []string{code(f.ID), f.Summary, strings.Join(ids, ", "), mayRollBack, granted})
	}
	return docgen.Table([]string{"function", "watches", "rules", "may roll back", "calls its role is granted, besides SNS and KMS"}, rows)
}
