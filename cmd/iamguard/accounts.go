package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// trailPath is what a CloudTrail log file's key says about it. A trail
// writes AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE; an organisation
// trail writes AWSLogs/o-ORGID/ACCOUNT/CloudTrail/REGION/…, one folder per
// member account, under the management (or delegated administrator)
// account's bucket.
type trailPath struct {
	org, account, region string
}

// parseTrailPath reads the layout of a trail's log file path; ok is false
// for a path that does not follow it.
func parseTrailPath(p string) (tp trailPath, ok bool) {
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i, s := range parts {
		if s != "AWSLogs" || i+3 >= len(parts) {
			continue
		}
		rest := parts[i+1:]
		if strings.HasPrefix(rest[0], "o-") {
			tp.org, rest = rest[0], rest[1:]
		}
		if len(rest) < 3 || !isAccountID(rest[0]) || rest[1] != "CloudTrail" {
			continue
		}
		tp.account, tp.region = rest[0], rest[2]
		return tp, true
	}
	return trailPath{}, false
}

func isAccountID(s string) bool { return len(s) == 12 && strings.Trim(s, "0123456789") == "" }

// accountCounts counts findings by account and severity, for the summary of
// a run over several accounts (an organisation trail).
type accountCounts struct {
	counts map[string]map[severity.Severity]int
	// orgs are the organisations whose trail layout the inputs followed.
	orgs map[string]bool
}

// add counts a finding, read from file. A record that names no account
// takes its file's (an organisation trail names it in the path).
func (a *accountCounts) add(f *finding.Finding, file string) {
	if a.counts == nil {
		a.counts, a.orgs = map[string]map[severity.Severity]int{}, map[string]bool{}
	}
	if tp, ok := parseTrailPath(file); ok {
		if tp.org != "" {
			a.orgs[tp.org] = true
		}
		if f.Account == "" {
			f.Account = tp.account
		}
	}
	acct := f.Account
	if acct == "" {
		acct = "unknown"
	}
	if a.counts[acct] == nil {
		a.counts[acct] = map[severity.Severity]int{}
	}
	a.counts[acct][f.Severity]++
}

// write adds a line per account to the text summary when the findings span
// more than one account or came from an organisation trail; a single
// account's run keeps its summary as it was.
func (a *accountCounts) write(w io.Writer) {
	if len(a.counts) < 2 && len(a.orgs) == 0 {
		return
	}
	var orgs []string
	for o := range a.orgs {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	accounts := make([]string, 0, len(a.counts))
	for id := range a.counts {
		accounts = append(accounts, id)
	}
	sort.Strings(accounts)
	title := fmt.Sprintf("By account (%d accounts", len(accounts))
	if len(orgs) > 0 {
		title += ", organisation trail " + strings.Join(orgs, ", ")
	}
	fmt.Fprintf(w, "%s):\n", title)
	fmt.Fprintf(w, "  %-20s %8s %8s %8s %8s %8s %8s\n", "account", "critical", "high", "medium", "low", "info", "total")
	for _, id := range accounts {
		c := a.counts[id]
		total := 0
		for _, n := range c {
			total += n
		}
		fmt.Fprintf(w, "  %-20s %8d %8d %8d %8d %8d %8d\n", id, c[severity.Critical], c[severity.High], c[severity.Medium], c[severity.Low], c[severity.Info], total)
	}
}
