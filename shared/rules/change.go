package rules

import (
	"strconv"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/severity"
)

// maxChangeLines caps the grants a Change lists on each side; the rest are
// counted.
const maxChangeLines = 20

// describeChange compares the document now in effect with the one before it,
// as far as prior knows it.
func describeChange(prior Prior, after string) *finding.Change {
	c := &finding.Change{Before: prior.Label, Known: prior.Known, Assumed: prior.Assumed}
	if !prior.Known {
		return c
	}
	var before *policy.Document
	if prior.Document != "" {
		d, err := policy.Parse(prior.Document)
		if err != nil {
			c.Known = false
			c.Before = prior.Label + ", which could not be read: " + err.Error()
			return c
		}
		before = d
	}
	now, err := policy.Parse(after)
	if err != nil {
		c.Known = false
		c.Before = prior.Label + "; the new document could not be read: " + err.Error()
		return c
	}
	pc := policy.Compare(before, now)
	c.Added = changeLines("+ ", pc.Added)
	c.Removed = changeLines("- ", pc.Removed)
	c.NoNewAccess = pc.NoNewAccess
	return c
}

func changeLines(sign string, gs []policy.Grant) []string {
	var out []string
	for i, g := range gs {
		if i == maxChangeLines {
			out = append(out, sign+"… and "+itoa(len(gs)-maxChangeLines)+" more")
			break
		}
		out = append(out, sign+g.String())
	}
	return out
}

// noNewAccess reports a change that grants nothing new at info, in place of
// the document's own severity, and says why; it returns whether it did.
func noNewAccess(f *finding.Finding) bool {
	if f.Change == nil || !f.Change.NoNewAccess {
		return false
	}
	if f.Change.Assumed {
		f.Reasons = append(f.Reasons, "compared with "+f.Change.Before+", the change grants nothing new; the severity stands because that version is not shown to have been in effect")
		return false
	}
	f.Reasons = append([]string{"no new access: compared with " + f.Change.Before + ", the change grants nothing new (the document alone rates " +
		f.Severity.String() + ")"}, f.Reasons...)
	f.Severity = severity.Info
	f.Remediation = nil
	f.RemediationNote = "nothing to roll back: the change grants no new access"
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
