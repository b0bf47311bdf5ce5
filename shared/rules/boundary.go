package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

var permissionsBoundaryRemoved = &Rule{
	ID:    "permissions-boundary-removed",
	Title: "Permissions boundary removed or made permissive",
	Description: "A user's or role's permissions boundary was deleted (high: whatever its policies grant now applies in full), or " +
		"set to a policy that itself grants high or critical access (that severity: a boundary that allows everything bounds " +
		"nothing). Notify: the previous boundary is not in the event (offline, the stream's history may hold it).",
	FiresOn:    "a successful `DeleteUserPermissionsBoundary` or `DeleteRolePermissionsBoundary`; `PutUserPermissionsBoundary` or `PutRolePermissionsBoundary` with a boundary that rates high or critical",
	Severities: "high when a boundary is deleted, or put with a policy the analysis rates high or critical; info (\"no new access\") when the boundary it replaced allowed as much, or there was none",
	NoRollback: "the previous boundary is not in the event: the alert gives the command to put one back",
	Family:     PolicyGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary", "PutUserPermissionsBoundary", "PutRolePermissionsBoundary")},
	Lookups:    action.PolicyDocumentLookups,
	evaluate:   evaluatePermissionsBoundary,
}

func evaluatePermissionsBoundary(ctx context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	kind, ok := boundaryKind(rec.EventName)
	if !ok {
		return nil
	}
	pk := principalKinds[kind]
	name := rec.RequestParam(pk.param)
	f := newFinding("permissions-boundary-removed", rec)
	if name != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:%s/%s", partition(rec), f.Account, pk.arnType, name)
	}
	what := strings.ToLower(kind) + " " + orName(name, "(not named)")
	put := "aws iam put-" + strings.ToLower(kind) + "-permissions-boundary --" + strings.ToLower(kind) + "-name " + finding.ShellQuote(orName(name, "NAME")) + " --permissions-boundary BOUNDARY_POLICY_ARN"
	prev, prevKnown := "", false
	if name != "" {
		prev, prevKnown = ev.history.BoundaryBefore(f.Account, kind, name)
	}
	if strings.HasPrefix(rec.EventName, "Delete") {
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s removed the permissions boundary of %s in %s", actorName(rec), what, f.Account)
		f.Reasons = append(f.Reasons, "without its boundary, everything the "+strings.ToLower(kind)+"'s policies grant applies in full: a boundary is what keeps delegated administrators from escalating")
		if prevKnown && prev != "" {
			f.Policy = &finding.PolicyRef{ARN: prev, Name: lastSegment(prev), Source: "cloudtrail-stream"}
			f.Change = &finding.Change{Known: true, Before: "the boundary " + prev + ", as an earlier event showed it", Removed: []string{"- boundary " + prev}}
			f.RemediationNote = "put the previous boundary back: " + strings.Replace(put, "BOUNDARY_POLICY_ARN", finding.ShellQuote(prev), 1)
		} else {
			f.Change = &finding.Change{Before: "the previous boundary is not known: the event does not carry it, and no earlier event seen shows it"}
			f.RemediationNote = "the previous boundary is not in the event (iamguard check over the history shows the Put that set it); put it back: " + put
		}
		return []finding.Finding{f}
	}
	arn := rec.RequestParam("permissionsBoundary")
	f.Policy = &finding.PolicyRef{ARN: arn, Name: lastSegment(arn)}
	v, err := ev.resolver.PolicyVersion(ctx, arn, "")
	if err != nil {
		f.Severity = severity.Medium
		f.Unresolved = "the boundary's document was not found"
		if !errors.Is(err, ErrNotFound) {
			f.Unresolved = "looking up the boundary's document failed: " + err.Error()
		}
		f.Summary = fmt.Sprintf("%s set the permissions boundary of %s to %s in %s (iamguard could not judge it)", actorName(rec), what, orName(arn, "(not named)"), f.Account)
		f.Reasons = append(f.Reasons, "iamguard could not judge the boundary: "+f.Unresolved)
		f.RemediationNote = "check what the boundary allows: aws iam get-policy-version"
		return []finding.Finding{f}
	}
	f.Policy.VersionID, f.Policy.Document, f.Policy.Source = v.VersionID, v.Document, v.Source
	verdict, err := judge(v.Document)
	if err != nil || verdict.Severity < severity.High {
		return nil
	}
	// The scale: a boundary that bounds nothing is as bad as one
	// removed (high), whatever the document rates on its own.
	f.Severity = severity.High
	f.Change = boundaryChange(ctx, ev, prev, prevKnown, arn, v.Document)
	if noNewAccess(&f) {
		f.Summary = fmt.Sprintf("%s set the permissions boundary of %s to %s in %s, which allows nothing the boundary before it did not", actorName(rec), what, lastSegment(arn), f.Account)
		return []finding.Finding{f}
	}
	f.Summary = fmt.Sprintf("%s set the permissions boundary of %s to %s in %s, which bounds nothing (it grants %s)", actorName(rec), what, lastSegment(arn), f.Account, map[bool]string{true: "administrator access", false: "high-risk access"}[verdict.Severity == severity.Critical])
	f.Reasons = append(f.Reasons, "a boundary only limits what it does not allow; this one allows what the policy analysis rates "+verdict.Severity.String()+":")
	f.Reasons = append(f.Reasons, verdict.Reasons()...)
	f.RemediationNote = "put a boundary that limits the " + strings.ToLower(kind) + " back: " + put
	return []finding.Finding{f}
}

// boundaryKind is User or Role for a boundary event.
func boundaryKind(event string) (string, bool) {
	for _, k := range []string{"User", "Role"} {
		if event == "Delete"+k+"PermissionsBoundary" || event == "Put"+k+"PermissionsBoundary" {
			return k, true
		}
	}
	return "", false
}

// boundaryChange compares a new boundary with the one before it. A boundary
// only limits: a principal that had none had no limit, so any new boundary
// adds no access.
func boundaryChange(ctx context.Context, ev *evaluation, prev string, known bool, arn, doc string) *finding.Change {
	switch {
	case !known:
		return &finding.Change{Before: "the previous boundary is not known: the event does not carry it, and no earlier event seen shows it"}
	case prev == "":
		return &finding.Change{Known: true, NoNewAccess: true, Before: "no boundary (the principal had no limit), as an earlier event showed it"}
	case prev == arn:
		return &finding.Change{Known: true, NoNewAccess: true, Before: "the same boundary " + prev + ", as an earlier event showed it"}
	}
	v, err := ev.resolver.PolicyVersion(ctx, prev, "")
	if err != nil {
		return &finding.Change{Before: "the previous boundary " + prev + " (its document was not found)"}
	}
	return describeChange(Prior{Known: true, Document: v.Document, Label: "the previous boundary " + prev}, doc)
}
