package notify

import (
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"github.com/iamguard/iamguard/shared/finding"
)

// policyFile is what a CLI command names instead of a document too large to
// carry: the AWS CLI reads file:// parameters from disk.
const policyFile = "file://policy.json"

// shrinkSteps are each applied to the alert as given, in turn, until the
// message fits (never to each other's output): the policy document
// first (it is the only part that can be large in practice: an inline
// document may be 10 KB, a crafted one anything), then the reasons, then
// every free text.
var shrinkSteps = []func(finding.Alert) finding.Alert{
	func(a finding.Alert) finding.Alert { return a },
	docLimit(65_536),
	docLimit(16_384),
	docLimit(4_096),
	docLimit(1_024),
	docLimit(0),
	func(a finding.Alert) finding.Alert { return limitReasons(docLimit(0)(a), 20, 1_000) },
	func(a finding.Alert) finding.Alert { return limitText(limitReasons(docLimit(0)(a), 5, 200), 1_000) },
	func(a finding.Alert) finding.Alert { return limitText(limitReasons(docLimit(0)(a), 1, 200), 200) },
}

// truncationNote says that a document was cut and where the whole is.
func truncationNote(size int, eventID string) string {
	return fmt.Sprintf("[document truncated: %d bytes; full document in the CloudTrail event %s]", size, eventID)
}

// docTruncated reports whether the alert's policy document was cut by
// docLimit, so that the email can explain file://policy.json.
func docTruncated(a finding.Alert) bool {
	return a.Finding.Policy != nil && strings.Contains(a.Finding.Policy.Document, "[document truncated: ")
}

// docLimit returns a step that keeps at most n bytes of the policy document,
// followed by a note, and takes the document out of every command and
// parameter that carries it (a cut document in a command is not runnable).
func docLimit(n int) func(finding.Alert) finding.Alert {
	return func(a finding.Alert) finding.Alert {
		p := a.Finding.Policy
		if p == nil || len(p.Document) <= n {
			return a
		}
		full := p.Document
		note := truncationNote(len(full), a.Finding.EventID)
		cut := note
		if n > 0 {
			cut = cutBytes(full, n) + "\n" + note
		}
		pc := *p
		pc.Document = cut
		a.Finding.Policy = &pc
		a.Finding.Remediation = replaceInRemediation(a.Finding.Remediation, full, note)
		a.Outcome.Plan = replaceInRemediation(a.Outcome.Plan, full, note)
		a.Outcome.Undo = replaceInCommand(a.Outcome.Undo, full)
		return a
	}
}

func replaceInRemediation(r *finding.Remediation, doc, note string) *finding.Remediation {
	if r == nil {
		return nil
	}
	c := *r
	c.Step = replaceInStep(r.Step, doc, note)
	if r.Undo != nil {
		u := replaceInStep(*r.Undo, doc, note)
		c.Undo = &u
	}
	return &c
}

func replaceInStep(s finding.Step, doc, note string) finding.Step {
	c := s
	c.Parameters = maps.Clone(s.Parameters)
	for k, v := range c.Parameters {
		if v == doc {
			c.Parameters[k] = note
		}
	}
	c.Command = replaceInCommand(s.Command, doc)
	return c
}

// replaceInCommand swaps the document, quoted by finding.ShellQuote as every command quotes
// it, for file://policy.json.
func replaceInCommand(cmd, doc string) string {
	if doc == "" || cmd == "" {
		return cmd
	}
	if q := finding.ShellQuote(doc); strings.Contains(cmd, q) {
		return strings.ReplaceAll(cmd, q, policyFile)
	}
	return strings.ReplaceAll(cmd, doc, policyFile)
}

// limitReasons keeps at most n reasons of at most size bytes each.
func limitReasons(a finding.Alert, n, size int) finding.Alert {
	rs := a.Finding.Reasons
	var out []string
	for i, r := range rs {
		if i == n {
			out = append(out, fmt.Sprintf("[%d more reasons left out to fit the SNS message size limit]", len(rs)-n))
			break
		}
		out = append(out, cutText(r, size))
	}
	a.Finding.Reasons = out
	return a
}

// limitText cuts every free text of the finding and outcome to size bytes.
// Commands that would be cut are left out instead: a cut command is wrong.
func limitText(a finding.Alert, size int) finding.Alert {
	f := &a.Finding
	for _, s := range []*string{&f.Summary, &f.Actor, &f.ActorType, &f.SourceIP, &f.UserAgent, &f.Target,
		&f.Unresolved, &f.RemediationNote, &f.EventName, &f.EventID, &f.Account, &f.Region, &f.Rule,
		&a.Outcome.Reason, &a.Outcome.Exemption, &a.Outcome.Error, &a.Outcome.Mode, &a.Function} {
		*s = cutText(*s, size)
	}
	if len(a.Outcome.Undo) > size {
		a.Outcome.Undo = ""
		a.Outcome.Reason = cutText(a.Outcome.Reason+" [undo command left out to fit the SNS message size limit]", 2*size)
	}
	if p := f.Policy; p != nil {
		c := *p
		c.ARN, c.Name, c.VersionID, c.Source = cutText(c.ARN, size), cutText(c.Name, size), cutText(c.VersionID, size), cutText(c.Source, size)
		f.Policy = &c
	}
	f.Remediation = limitRemediation(f.Remediation, size)
	a.Outcome.Plan = limitRemediation(a.Outcome.Plan, size)
	return a
}

func limitRemediation(r *finding.Remediation, size int) *finding.Remediation {
	if r == nil {
		return nil
	}
	c := *r
	c.Step = limitStep(r.Step, size)
	c.Description, c.Deferred = cutText(r.Description, size), cutText(r.Deferred, size)
	if r.Undo != nil {
		u := limitStep(*r.Undo, size)
		c.Undo = &u
	}
	return &c
}

func limitStep(s finding.Step, size int) finding.Step {
	c := s
	c.Parameters = map[string]string{}
	for k, v := range s.Parameters {
		c.Parameters[cutText(k, size)] = cutText(v, size)
	}
	if len(c.Command) > size {
		c.Command = ""
	}
	return c
}

// cutText keeps at most n bytes of s, on a rune boundary, marking the cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "..."
	if n <= len(mark) {
		return cutBytes(s, n)
	}
	return cutBytes(s, n-len(mark)) + mark
}

// cutBytes keeps at most n bytes of s without splitting a UTF-8 sequence.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
