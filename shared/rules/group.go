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

var adminGroupMembership = &Rule{
	ID:    "admin-group-membership",
	Title: "User added to a group with high-risk access",
	Description: "A user was added to a group whose attached and inline policies rate high or critical (that severity): the user " +
		"now holds the group's access. The group's policies come from IAM in the Lambda and from the stream's history offline; " +
		"when they cannot be found the finding says so (medium). The rollback removes the user from the group.",
	FiresOn:    "a successful `AddUserToGroup` into a group whose policies rate high or critical, or whose policies cannot be found",
	Severities: "the group's highest policy severity when high or critical; medium when the group's policies cannot be found",
	NoRollback: "a group whose policies iamguard could not judge: it reports, never removes blindly",
	Family:     PolicyGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "AddUserToGroup")},
	Actions:    []*action.Action{action.RemoveUserFromGroup},
	Lookups:    append(append([]action.Call{}, action.GroupPolicyLookups...), action.PolicyDocumentLookups...),
	evaluate:   evaluateAdminGroupMembership,
}

func evaluateAdminGroupMembership(ctx context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() || rec.EventName != "AddUserToGroup" {
		return nil
	}
	group, user := rec.RequestParam("groupName"), rec.RequestParam("userName")
	f := newFinding("admin-group-membership", rec)
	if user != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, user)
	}
	if group != "" {
		// A group cannot carry the exempt tag: an exemptTargets pattern on
		// the group exempts its memberships.
		f.OtherTargets = []string{fmt.Sprintf("arn:%s:iam::%s:group/%s", partition(rec), f.Account, group)}
	}
	gp, err := groupPolicies(ctx, ev, f.Account, group)
	var unresolved []string
	if err != nil {
		unresolved = append(unresolved, "the policies of group "+orName(group, "(not named)")+" could not be found ("+err.Error()+")")
	}
	for _, arn := range gp.Attached {
		v, err := ev.resolver.PolicyVersion(ctx, arn, "")
		if err != nil {
			unresolved = append(unresolved, "the document of "+arn+" could not be found")
			continue
		}
		judgeInto(&f, "attached policy "+arn, v.Document, &unresolved)
	}
	for _, p := range gp.Inline {
		judgeInto(&f, "inline policy "+p.Name, p.Document, &unresolved)
	}
	if gp.Partial && f.Severity < severity.High {
		unresolved = append(unresolved, "the stream shows only the policies attached to group "+group+" while it ran; it may hold others attached before")
	}
	switch {
	case f.Severity >= severity.High:
	case len(unresolved) > 0:
		f.Severity = severity.Medium
		f.Unresolved = strings.Join(unresolved, "; ")
		f.Reasons = append(f.Reasons, "iamguard could not judge the group's access: "+f.Unresolved)
	default:
		return nil
	}
	if gp.Partial && f.Unresolved == "" {
		f.Reasons = append(f.Reasons, "the group's policies are those the stream showed being attached or written; it may hold others attached before")
	}
	f.Summary = fmt.Sprintf("%s added user %s to group %s in %s (%s)", actorName(rec), orName(user, "(not named)"), orName(group, "(not named)"), f.Account, groupAccessWords(f))
	if f.Unresolved != "" || user == "" || group == "" {
		f.RemediationNote = "check the group's policies (aws iam list-attached-group-policies / list-group-policies --group-name GROUP) and, if it grants more than the user needs, remove the user: aws iam remove-user-from-group"
		return []finding.Finding{f}
	}
	a := action.RemoveUserFromGroup
	f.Remediation = a.Plan(fmt.Sprintf("remove user %s from group %s (the user keeps its own policies and keys)", user, group), "GroupName", group, "UserName", user)
	f.Remediation.Undo = a.UndoStep("GroupName", group, "UserName", user)
	return []finding.Finding{f}
}

// groupPolicies asks the resolver, when it knows groups, for a group's
// policies.
func groupPolicies(ctx context.Context, ev *evaluation, account, group string) (GroupPolicies, error) {
	if group == "" {
		return GroupPolicies{}, errors.New("the event does not name the group")
	}
	gr, ok := ev.resolver.(GroupResolver)
	if !ok {
		return GroupPolicies{}, NotFound("nothing here knows the policies of groups")
	}
	return gr.GroupPolicies(ctx, account, group)
}

// judgeInto raises f to a document's severity when it is high or critical,
// with its reasons under the document's name.
func judgeInto(f *finding.Finding, what, doc string, unresolved *[]string) {
	v, err := judge(doc)
	if err != nil {
		*unresolved = append(*unresolved, what+" could not be read: "+err.Error())
		return
	}
	if v.Severity < severity.High {
		return
	}
	f.Severity = max(f.Severity, v.Severity)
	for _, r := range v.Reasons() {
		f.Reasons = append(f.Reasons, what+": "+r)
	}
}

func groupAccessWords(f finding.Finding) string {
	if f.Unresolved != "" {
		return "the group's access could not be judged"
	}
	return "the group grants " + accessWords(f)
}
