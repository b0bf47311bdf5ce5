package rules

import (
	"context"
	"fmt"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

var accessKeyCreated = &Rule{
	ID:    "access-key-created",
	Title: "Access key created",
	Description: "A new long-term access key was created. Critical when it is the root user's, medium when one principal creates a " +
		"key for another user (a classic persistence step), low when a user creates its own. The rollback deactivates exactly that " +
		"key (never deletes it), so it can be turned back on.",
	FiresOn:    "a successful `CreateAccessKey`",
	Severities: "critical for a root key; medium when a principal creates a key for another user; low for a user's own key",
	NoRollback: "a root key: an IAM role cannot manage root credentials, so the finding says what the owner must do",
	Family:     AccessKeys,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "CreateAccessKey")},
	Actions:    []*action.Action{action.UpdateAccessKey},
	evaluate:   evaluateAccessKeyCreated,
}

func evaluateAccessKeyCreated(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.EventName != "CreateAccessKey" || rec.Failed() {
		return nil
	}
	f := newFinding("access-key-created", rec)
	id := rec.UserIdentity
	keyID := rec.ResponseParam("accessKey", "accessKeyId")
	owner := rec.ResponseParam("accessKey", "userName")
	if owner == "" {
		owner = rec.RequestParam("userName")
	}
	// Without a userName parameter IAM creates the key for the caller: for
	// the root user, a root access key.
	rootKey := id.Type == "Root" && rec.RequestParam("userName") == ""
	keyLabel := keyID
	if keyLabel == "" {
		keyLabel = "(key ID not in the event)"
	}
	switch {
	case rootKey:
		f.Severity = severity.Critical
		f.Target = fmt.Sprintf("arn:%s:iam::%s:root", partition(rec), f.Account)
		f.Summary = fmt.Sprintf("Root access key %s created in %s", keyLabel, f.Account)
		f.Reasons = append(f.Reasons, "an access key for the root user gives unrestricted, long-lived programmatic access to the account; AWS advises never to create one")
		f.RemediationNote = "An IAM role cannot manage root credentials. Sign in as the root user, open Security credentials, and deactivate then delete access key " +
			keyLabel + ". With centralized root access in AWS Organizations, the management account can delete it with sts:AssumeRoot and the IAMDeleteRootUserCredentials task policy."
		return []finding.Finding{f}
	case owner != "" && owner != id.UserName:
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s created access key %s for user %s in %s", actorName(rec), keyLabel, owner, f.Account)
		f.Reasons = append(f.Reasons, fmt.Sprintf("%s created a long-term access key for another user (%s): a common way to keep access to an account", actorName(rec), owner))
	default:
		if owner == "" {
			owner = id.UserName
		}
		f.Severity = severity.Low
		f.Summary = fmt.Sprintf("User %s created its own access key %s in %s", owner, keyLabel, f.Account)
		f.Reasons = append(f.Reasons, "a new long-term access key exists; prefer short-lived credentials (IAM roles, IAM Identity Center) and review who holds it")
	}
	if owner != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, owner)
	}
	if keyID == "" || owner == "" {
		f.Unresolved = "the event does not name the new key or its user (responseElements missing or omitted)"
		f.RemediationNote = "no rollback can be planned without the key ID and user name; list the user's keys with: aws iam list-access-keys --user-name USER"
		return []finding.Finding{f}
	}
	a := action.UpdateAccessKey
	f.Remediation = a.Plan(fmt.Sprintf("deactivate access key %s of user %s (it is kept, not deleted, so it can be turned back on)", keyID, owner),
		"UserName", owner, "AccessKeyId", keyID, "Status", "Inactive")
	f.Remediation.Undo = a.UndoStep("UserName", owner, "AccessKeyId", keyID, "Status", "Active")
	return []finding.Finding{f}
}
