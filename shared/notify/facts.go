package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/finding"
)

// This file holds what every rendering says the same way: the outcome in
// words, the commands an operator may run, the console link, how to exempt.

// StatusText says in a few words what iamguard did.
func StatusText(o finding.Outcome) string {
	switch o.Status {
	case finding.StatusDone:
		return "rolled back"
	case finding.StatusAlreadyUndone:
		return "nothing to roll back: already undone"
	case finding.StatusDryRun:
		return "dry run: nothing changed"
	case finding.StatusNotified:
		return "notified only: nothing changed"
	case finding.StatusSkipped:
		return "rollback skipped: nothing changed"
	case finding.StatusFailed:
		return "rollback FAILED"
	case finding.StatusPending:
		return "rollback waits for CloudTrail to confirm the event: nothing changed yet"
	case "":
		return "not recorded"
	}
	return string(o.Status)
}

// subjectSuffix is added to subjects and titles when iamguard acted, or
// tried to, so that the outcome shows in an inbox without opening the mail.
func subjectSuffix(o finding.Outcome) string {
	switch o.Status {
	case finding.StatusDone:
		return " - rolled back"
	case finding.StatusFailed:
		return " - rollback FAILED"
	case finding.StatusAlreadyUndone:
		return " - already undone"
	case finding.StatusPending:
		return " - rollback pending confirmation"
	case finding.StatusDryRun:
		return " - dry run"
	}
	return ""
}

// The labels of the commands an alert offers.
const (
	LabelUndoRollback = "Undo iamguard's rollback"
	LabelRollBack     = "Roll the change back yourself"
	LabelUndoThat     = "Undo that rollback"
)

// Command is a CLI command the alert offers, with what it is for.
type Command struct {
	Label   string // such as "Undo iamguard's rollback"
	Command string // the AWS CLI command; empty when it did not fit the message
}

// Commands returns what an operator may run: the command that undoes what
// iamguard did; or, when iamguard changed nothing, the planned rollback and
// the command that undoes that rollback. It returns nothing when there is no
// plan (root findings); RemediationNote then says what to do.
func Commands(a finding.Alert) []Command {
	o := a.Outcome
	plan := o.Plan
	if plan == nil {
		plan = a.Finding.Remediation
	}
	switch {
	case o.Undo != "":
		return []Command{{Label: LabelUndoRollback, Command: o.Undo}}
	case o.Status == finding.StatusDone && plan != nil && plan.Undo != nil:
		return []Command{{Label: LabelUndoRollback, Command: plan.Undo.Command}}
	case o.Status == finding.StatusAlreadyUndone || plan == nil:
		return nil
	}
	out := []Command{{Label: LabelRollBack, Command: plan.Command}}
	if plan.Undo != nil {
		out = append(out, Command{Label: LabelUndoThat, Command: plan.Undo.Command})
	}
	return out
}

// deferredNote is what a person must fill in before running a planned
// rollback with a deferred parameter (Commands offered LabelRollBack).
func deferredNote(a finding.Alert) string {
	plan := a.Outcome.Plan
	if plan == nil {
		plan = a.Finding.Remediation
	}
	if plan == nil || plan.Deferred == "" {
		return ""
	}
	name, how, _ := strings.Cut(plan.Deferred, ":")
	return fmt.Sprintf("Before running the rollback, add --%s with %s.", kebab(name), strings.TrimSuffix(strings.TrimSpace(how), "."))
}

// kebab turns an API parameter name such as VersionId into the CLI's version-id.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if 'A' <= r && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// regionRE matches a real Region name; anonymised samples carry placeholders.
var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// consoleRegion is the Region whose CloudTrail console holds the event: the
// finding's, or us-east-1, where IAM (a global service) records its events.
func consoleRegion(f finding.Finding) string {
	if regionRE.MatchString(f.Region) {
		return f.Region
	}
	return "us-east-1"
}

// ConsoleURL links to the event in the CloudTrail console's event history.
func ConsoleURL(f finding.Finding) string {
	region := consoleRegion(f)
	host := region + ".console.aws.amazon.com"
	switch {
	case strings.HasPrefix(region, "cn-"):
		host = region + ".console.amazonaws.cn"
	case strings.HasPrefix(region, "us-gov-"):
		host = "console.amazonaws-us-gov.com"
	}
	if f.EventID == "" {
		// An event iamguard could not read: link the event history, not an
		// event page with no ID.
		return fmt.Sprintf("https://%s/cloudtrailv2/home?region=%s#/events", host, region)
	}
	return fmt.Sprintf("https://%s/cloudtrailv2/home?region=%s#/events/%s", host, region, url.PathEscape(f.EventID))
}

// entity is the IAM entity an ARN names: its kind (user, role, group,
// policy, root) and name.
func entity(arn string) (kind, name string) {
	a, ok := awsarn.Parse(arn)
	if !ok {
		return "", ""
	}
	if a.Resource == "root" {
		return "root", ""
	}
	if !strings.Contains(a.Resource, "/") {
		return "", ""
	}
	return a.ResourceType(), a.ResourceName()
}

// ExemptHint says how to stop iamguard from acting on changes like this one.
// An exemption never silences the alert; it stops the rollback.
func ExemptHint(a finding.Alert) string {
	f := a.Finding
	kind, name := entity(f.Target)
	if kind == "root" || f.ActorType == "Root" {
		return "iamguard never acts on the root user, so there is nothing to exempt. If these alerts are expected, set this rule's mode to off in the stack configuration."
	}
	if ex := a.Outcome.Exemption; ex != "" {
		// Telling how to exempt what already is would send the reader
		// after a change that is in place.
		return "Already exempt (" + ex + "): iamguard reports such changes but never rolls them back. Remove that exemption to have iamguard act on them again."
	}
	if f.Actor == "" && f.Target == "" {
		return "Nothing to exempt: iamguard could not tell who changed what."
	}
	var b strings.Builder
	b.WriteString("If this change is expected, exempt it: iamguard will still report such changes but not roll them back. ")
	tag := exemptTag(a)
	switch kind {
	case "user", "role":
		fmt.Fprintf(&b, "Tag the %s %s=true (aws iam tag-%s --%s-name %s --tags Key=%s,Value=true), or add ",
			kind, tag, kind, kind, finding.ShellQuote(name), finding.ShellQuote(tag))
	default:
		b.WriteString("Add ")
	}
	fmt.Fprintf(&b, "the actor's ARN pattern (%s) to the stack's exemptPrincipals context, or the target's (%s) to exemptTargets.",
		orUnknown(actorPattern(f.Actor)), orUnknown(f.Target))
	return b.String()
}

// actorPattern is the ARN pattern that names the actor across sessions: an
// assumed-role session ARN ends in a session name that changes every time.
func actorPattern(arn string) string {
	if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
		rest := arn[i+len(":assumed-role/"):]
		if role, _, ok := strings.Cut(rest, "/"); ok {
			return arn[:i] + ":assumed-role/" + role + "/*"
		}
	}
	return arn
}

// prettyDocument indents a policy document for reading. Documents come as
// CloudTrail recorded them: JSON, or URL-encoded JSON; anything else (such
// as a truncated document) is shown as it is.
func prettyDocument(doc string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(doc), "", "  ") == nil {
		return buf.String()
	}
	if dec, err := url.QueryUnescape(doc); err == nil && dec != doc {
		buf.Reset()
		if json.Indent(&buf, []byte(dec), "", "  ") == nil {
			return buf.String()
		}
	}
	return doc
}

// policyLine names the policy: ARN or name, version, and where its document
// came from.
func policyLine(p *finding.PolicyRef) string {
	if p == nil {
		return ""
	}
	var parts []string
	switch {
	case p.ARN != "" && p.Name != "" && !strings.HasSuffix(p.ARN, "/"+p.Name):
		parts = append(parts, fmt.Sprintf("%s (%s)", p.ARN, p.Name))
	case p.ARN != "":
		parts = append(parts, p.ARN)
	case p.Name != "":
		parts = append(parts, "inline policy "+p.Name)
	}
	if p.VersionID != "" {
		parts = append(parts, "version "+p.VersionID)
	}
	if p.Source != "" {
		parts = append(parts, "document from "+sourceText(p.Source))
	}
	return strings.Join(parts, ", ")
}

func sourceText(s string) string {
	switch s {
	case "event":
		return "the event itself"
	case "aws-managed-snapshot":
		return "iamguard's snapshot of AWS managed policies"
	case "cloudtrail-stream":
		return "an earlier CloudTrail event"
	case "iam":
		return "IAM"
	}
	return s
}

func when(f finding.Finding) string {
	if f.EventTime.IsZero() {
		return "unknown"
	}
	return f.EventTime.UTC().Format("2006-01-02 15:04:05 UTC")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func severityLabel(a finding.Alert) string {
	return "[" + a.Finding.Severity.Upper() + "]"
}
