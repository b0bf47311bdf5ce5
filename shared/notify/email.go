package notify

import (
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/finding"
)

// EmailText returns the plain-text email body. It reads top to bottom the way
// an on-call person asks: what happened, who, when, where, why it matters,
// what iamguard did, how to undo it, where to look, how to exempt.
func EmailText(a finding.Alert) string {
	f, o := a.Finding, a.Outcome
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	field := func(name, value string) {
		if value != "" {
			line("  %-11s %s", name+":", indentRest(value, 14))
		}
	}
	section := func(title string) { line("\n%s", title) }

	line("%s %s", severityLabel(a), orUnknown(f.Summary))
	line("iamguard: %s.", StatusText(o))

	section("WHAT HAPPENED")
	field("Summary", f.Summary)
	field("Event", strings.TrimSpace(f.EventName+" (event ID "+orUnknown(f.EventID)+")"))
	field("Target", f.Target)
	field("Severity", f.Severity.String())

	section("WHO")
	field("Actor", orUnknown(f.Actor))
	field("Actor type", orUnknown(f.ActorType))
	field("Source IP", orUnknown(f.SourceIP))
	field("User agent", orUnknown(f.UserAgent))
	field("MFA", yesNo(f.MFA))

	section("WHEN")
	line("  %s", when(f))

	section("WHERE")
	field("Account", orUnknown(f.Account))
	field("Region", orUnknown(f.Region))

	section("WHY IT IS DANGEROUS")
	for _, r := range f.Reasons {
		line("  - %s", indentRest(r, 4))
	}
	if f.Unresolved != "" && !mentions(f.Reasons, f.Unresolved) {
		line("  Unresolved: iamguard could not fully judge this change: %s", indentRest(f.Unresolved, 4))
		line("  It is reported at %s so that a person looks at it.", f.Severity)
	}
	if p := f.Policy; p != nil {
		field("Policy", policyLine(p))
		if p.Document != "" {
			line("  Document:")
			line("%s", indent(prettyDocument(p.Document), 4))
		}
	}

	if c := f.Change; c != nil {
		section("WHAT THE CHANGE ADDED")
		for _, l := range changeText(c) {
			line("  %s", indentRest(l, 4))
		}
	}

	section("WHAT IAMGUARD DID")
	field("Status", fmt.Sprintf("%s (%s)", orUnknown(string(o.Status)), StatusText(o)))
	field("Mode", o.Mode)
	field("Reason", o.Reason)
	field("Exemption", o.Exemption)
	field("Error", o.Error)

	section("HOW TO UNDO")
	writeUndo(&b, a)

	section("CLOUDTRAIL EVENT")
	line("  %s", ConsoleURL(f))
	line("  (Event history keeps 90 days of management events, in the Region where they were recorded.)")

	section("HOW TO EXEMPT")
	line("  %s", indentRest(ExemptHint(a), 2))

	section("RULE")
	line("  %s, handled by the %s function.", orUnknown(f.Rule), orUnknown(function(a)))
	return b.String()
}

func writeUndo(b *strings.Builder, a finding.Alert) {
	line := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	cmds := Commands(a)
	switch {
	case len(cmds) == 0 && a.Outcome.Status == finding.StatusAlreadyUndone:
		line("  Nothing to undo: iamguard changed nothing, and the change was already gone.")
		return
	case len(cmds) == 0:
		line("  iamguard has no automatic rollback for this finding.")
		if n := a.Finding.RemediationNote; n != "" {
			line("  %s", indentRest(n, 2))
		}
		return
	case cmds[0].Label == LabelUndoRollback && a.Outcome.Status == finding.StatusAlreadyUndone:
		line("  The change was already undone when this delivery of the event arrived. If iamguard undid it on an")
		line("  earlier delivery (whose alert may not have been sent), this reverses that rollback:")
	case cmds[0].Label == LabelUndoRollback:
		line("  iamguard changed IAM. To undo its rollback, run:")
	default:
		line("  iamguard changed nothing. To roll the change back yourself, run:")
	}
	for i, c := range cmds {
		if i > 0 {
			line("  %s:", c.Label)
		}
		if c.Command == "" {
			line("    (the command is too long for this message; see the CloudTrail event)")
		} else {
			line("    %s", c.Command)
		}
		if n := deferredNote(a); i == 0 && n != "" && c.Label == LabelRollBack {
			line("  %s", indentRest(n, 2))
		}
	}
	if docTruncated(a) && hasPolicyFile(cmds) {
		line("  %s is the policy document: copy it from the CloudTrail event %s (requestParameters.policyDocument) into policy.json first.",
			policyFile, orUnknown(a.Finding.EventID))
	}
}

func hasPolicyFile(cmds []Command) bool {
	for _, c := range cmds {
		if strings.Contains(c.Command, policyFile) {
			return true
		}
	}
	return false
}

// indent puts n spaces before every line of s.
func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

// indentRest indents the lines after the first of s by n spaces, so that a
// value with line breaks stays under its label.
func indentRest(s string, n int) string {
	s = strings.ReplaceAll(strings.TrimRight(s, "\n"), "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// mentions reports whether any of texts contains s.
func mentions(texts []string, s string) bool {
	for _, t := range texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// changeText renders what a change added and removed, or why that is not
// known, one line each.
func changeText(c *finding.Change) []string {
	if !c.Known {
		return []string{"Not known: " + c.Before + "."}
	}
	out := []string{"Compared with " + c.Before + ":"}
	switch {
	case c.NoNewAccess && len(c.Added) == 0 && len(c.Removed) == 0:
		out = append(out, "no change in what the document grants.")
	case c.NoNewAccess:
		out = append(out, "no new access.")
	case len(c.Added) == 0 && len(c.Removed) == 0:
		out = append(out, "the same grants as written, yet iamguard could not show that nothing new is allowed.")
	}
	out = append(out, c.Added...)
	return append(out, c.Removed...)
}
