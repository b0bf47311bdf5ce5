package rules

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

var loginProfile = &Rule{
	ID:    "login-profile",
	Title: "Console password created or changed",
	Description: "A console password (login profile) was created or changed: by one principal for another user it is a second door " +
		"beside the user's keys (high); for one's own user, low. The rollback deletes a password another principal created; a " +
		"changed password is notified only, since the old one cannot be restored.",
	FiresOn:    "a successful `CreateLoginProfile` or `UpdateLoginProfile`",
	Severities: "high when one principal sets another user's password; low for one's own",
	NoRollback: "`UpdateLoginProfile`, and one's own password: the old password cannot be restored",
	Family:     IdentityGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "CreateLoginProfile", "UpdateLoginProfile")},
	Actions:    []*action.Action{action.DeleteLoginProfile},
	evaluate:   evaluateLoginProfile,
}

func evaluateLoginProfile(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() || (rec.EventName != "CreateLoginProfile" && rec.EventName != "UpdateLoginProfile") {
		return nil
	}
	id := rec.UserIdentity
	f := newFinding("login-profile", rec)
	user := rec.RequestParam("userName")
	// IAM user names are unique without regard to case.
	own := user == "" || (id.Type == "IAMUser" && strings.EqualFold(user, id.UserName))
	if user == "" {
		user = id.UserName // no userName: the caller's own password
	}
	if user != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, user)
	}
	created := rec.EventName == "CreateLoginProfile"
	verb := "changed the console password of"
	if created {
		verb = "created a console password for"
	}
	if own {
		f.Severity = severity.Low
		f.Summary = fmt.Sprintf("%s %s itself in %s", actorName(rec), verb, f.Account)
		f.Reasons = append(f.Reasons, "a user set its own console password; make sure it also has MFA")
		f.RemediationNote = "nothing to roll back for one's own password. " + mfaHowTo
		return []finding.Finding{f}
	}
	f.Severity = severity.High
	f.Summary = fmt.Sprintf("%s %s user %s in %s", actorName(rec), verb, orName(user, "(not named)"), f.Account)
	f.Reasons = append(f.Reasons, "one principal set a console password for another user: a second door beside the user's keys, and a known way to keep or gain console access (Stratus aws.persistence.iam-create-user-login-profile, aws.privilege-escalation.iam-update-user-login-profile)")
	if rec.RequestParam("passwordResetRequired") == "false" {
		f.Reasons = append(f.Reasons, "the password does not have to be changed at first sign-in: whoever set it can keep using it")
	}
	switch {
	case !created:
		f.RemediationNote = "the old password cannot be restored: reset it (aws iam update-login-profile --user-name " + finding.ShellQuote(orName(user, "USER")) +
			" --password NEW --password-reset-required) or delete it (aws iam delete-login-profile --user-name " + finding.ShellQuote(orName(user, "USER")) +
			"), tell the user, and review what the console sessions since did"
	case user == "":
		f.Unresolved = "the event does not name the user"
		f.RemediationNote = "no rollback can be planned without the user's name"
	default:
		a := action.DeleteLoginProfile
		f.Remediation = a.Plan(fmt.Sprintf("delete the console password %s created for %s (the user keeps its keys and MFA)", actorName(rec), user), "UserName", user)
		// Not a CLI parameter: the executor leaves a password created after
		// the event alone.
		f.Remediation.Parameters["EventTime"] = rec.EventTime.UTC().Format(time.RFC3339)
		undo := a.UndoStep("UserName", user)
		undo.Command += " --password 'NEW-PASSWORD' --password-reset-required"
		f.Remediation.Undo = undo
	}
	return []finding.Finding{f}
}
