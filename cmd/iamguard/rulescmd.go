package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/rules"
)

type ruleJSON struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Family      string `json:"family"`
	FiresOn     string `json:"firesOn"`
	Severities  string `json:"severities"`
	// NoRollback says which findings get no rollback and why.
	NoRollback string                 `json:"noRollback,omitempty"`
	Patterns   []eventpattern.Pattern `json:"patterns"`
	// Actions are the response actions the rule may plan, by ID.
	Actions []string `json:"actions"`
	// Calls are every call those actions and the rule's lookups make: what
	// the function's role is granted for the rule.
	Calls []string `json:"calls"`
}

func actionIDs(r *rules.Rule) []string {
	out := []string{}
	for _, a := range r.Actions {
		out = append(out, a.ID)
	}
	return out
}

func ruleCalls(r *rules.Rule) []string {
	out := []string{}
	add := func(op string) {
		if !slices.Contains(out, op) {
			out = append(out, op)
		}
	}
	for _, a := range r.Actions {
		for _, c := range a.Calls {
			add(c.Op)
		}
	}
	for _, c := range r.Lookups {
		add(c.Op)
	}
	return out
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("rules", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	format := fset.String("format", "text", "output format: text, json or markdown")
	if err := fset.Parse(args); err != nil || !slices.Contains([]string{"text", "json", "markdown"}, *format) || fset.NArg() > 0 {
		fmt.Fprintf(stderr, "iamguard rules: want [--format text|json|markdown]\n\n%s", usage)
		return exitUsage
	}
	table := rules.Table()
	if *format == "markdown" {
		// The README's two tables, exactly as its generated sections hold them.
		fmt.Fprintf(stdout, "%s\n%s", rulesMarkdown(), functionsMarkdown())
		return exitOK
	}
	if *format == "json" {
		out := make([]ruleJSON, 0, len(table))
		for _, r := range table {
			out = append(out, ruleJSON{r.ID, r.Title, r.Description, r.Family.ID, r.FiresOn, r.Severities, r.NoRollback, r.Patterns, actionIDs(r), ruleCalls(r)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "iamguard: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	for _, r := range table {
		fmt.Fprintf(stdout, "%s (%s, function %s)\n  %s\n", r.ID, r.Title, r.Family.ID, r.Description)
		fmt.Fprintf(stdout, "  fires on: %s\n  severity: %s\n", r.FiresOn, r.Severities)
		for _, p := range r.Patterns {
			b, err := p.MarshalJSON()
			if err != nil {
				fmt.Fprintf(stderr, "iamguard: rule %s: %v\n", r.ID, err)
				return exitUsage
			}
			fmt.Fprintf(stdout, "  pattern: %s\n", b)
		}
		for _, a := range r.Actions {
			undo := "none"
			if a.Undo != "" {
				undo = a.Undo
			}
			fmt.Fprintf(stdout, "  rollback: %s: %s (undo: %s)\n", a.ID, a.Summary, undo)
			fmt.Fprintf(stdout, "    first: %s; already done when: %s\n", a.Check, a.AlreadyDone)
		}
		if len(r.Actions) == 0 {
			fmt.Fprintf(stdout, "  notify only: %s\n", r.NoRollback)
		} else if r.NoRollback != "" {
			fmt.Fprintf(stdout, "  no rollback for %s\n", r.NoRollback)
		}
		if calls := ruleCalls(r); len(calls) > 0 {
			fmt.Fprintf(stdout, "  may call: %s\n", strings.Join(calls, ", "))
		}
		fmt.Fprintln(stdout)
	}
	return exitOK
}
