package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/rules"
)

type ruleJSON struct {
	ID          string                 `json:"id"`
	Title       string                 `json:"title"`
	Description string                 `json:"description"`
	Family      string                 `json:"family"`
	Patterns    []eventpattern.Pattern `json:"patterns"`
	Remediates  []string               `json:"remediates"`
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("rules", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	format := fset.String("format", "text", "output format: text or json")
	if err := fset.Parse(args); err != nil || (*format != "text" && *format != "json") || fset.NArg() > 0 {
		fmt.Fprintf(stderr, "iamguard rules: want [--format text|json]\n\n%s", usage)
		return exitUsage
	}
	table := rules.Table()
	if *format == "json" {
		out := make([]ruleJSON, 0, len(table))
		for _, r := range table {
			out = append(out, ruleJSON{r.ID, r.Title, r.Description, r.Family, r.Patterns, r.Remediates})
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
		fmt.Fprintf(stdout, "%s (%s, function %s)\n  %s\n", r.ID, r.Title, r.Family, r.Description)
		for _, p := range r.Patterns {
			b, err := p.MarshalJSON()
			if err != nil {
				fmt.Fprintf(stderr, "iamguard: rule %s: %v\n", r.ID, err)
				return exitUsage
			}
			fmt.Fprintf(stdout, "  pattern: %s\n", b)
		}
		if len(r.Remediates) > 0 {
			fmt.Fprintf(stdout, "  may call: %s\n", strings.Join(r.Remediates, ", "))
		}
		fmt.Fprintln(stdout)
	}
	return exitOK
}
