package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// rootNote is what the owner must do instead of a rollback: no IAM role can
// restrict or change the root user.
const rootNote = "No IAM remediation exists for the root user: an IAM role cannot restrict, sign out or change root credentials. " +
	"If this was not a planned root task, sign in as root now, change the root password, check the root MFA devices and access keys " +
	"(Security credentials page), review CloudTrail for what this session did, and consider centralized root access in AWS Organizations " +
	"so that member accounts have no root credentials at all."

var rootConsoleLogin = &Rule{
	ID:    "root-console-login",
	Title: "Root user console sign-in",
	Description: "The root user signed in to the AWS Management Console, or tried to. AWS advises using the root user only for the " +
		"few tasks that require it. Critical without MFA, high with MFA, medium for a failed attempt.",
	FiresOn:    "`ConsoleLogin` by the root user",
	Severities: "critical without MFA; high with MFA; medium for a failed attempt",
	NoRollback: "no IAM role can restrict or change the root user; the finding says what the owner must do",
	Family:     RootActivity,
	Patterns:   []eventpattern.Pattern{consoleLogins("Root")},
	evaluate:   evaluateRootConsoleLogin,
}

func evaluateRootConsoleLogin(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.UserIdentity.Type != "Root" || rec.EventName != "ConsoleLogin" {
		return nil
	}
	f := newFinding("root-console-login", rec)
	f.Target = f.Actor
	failed := rec.Failed()
	mfa := rec.MFAUsed()
	switch {
	case failed:
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("Failed root console sign-in to %s from %s", f.Account, orUnknown(rec.SourceIPAddress))
		reason := "someone tried to sign in as the root user and failed"
		if rec.ErrorMessage != "" {
			reason += " (" + rec.ErrorMessage + ")"
		}
		f.Reasons = append(f.Reasons, reason+"; repeated attempts suggest password guessing")
	case !mfa:
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("Root console sign-in WITHOUT MFA to %s from %s", f.Account, orUnknown(rec.SourceIPAddress))
		f.Reasons = append(f.Reasons, "the root user signed in without multi-factor authentication: anyone holding the root password has unrestricted access to the account",
			"AWS advises MFA on the root user and using it only for the tasks that require it")
	default:
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("Root console sign-in with MFA to %s from %s", f.Account, orUnknown(rec.SourceIPAddress))
		f.Reasons = append(f.Reasons, "the root user signed in (with MFA); the root user has unrestricted access and should be used only for the few tasks that require it")
	}
	f.RemediationNote = rootNote
	return []finding.Finding{f}
}

var rootActivity = &Rule{
	ID:    "root-activity",
	Title: "Root user activity",
	Description: "The root user made a call other than signing in, including console calls that older records mark as invoked by " +
		"signin.amazonaws.com. Excludes calls other AWS services make on root's behalf (any other invokedBy) and AWS service events, " +
		"as the CIS benchmark's root-usage check does. Critical for calls that create or change credentials or permissions, high otherwise.",
	FiresOn: "any other successful call by the root user, console calls with `invokedBy` signin.amazonaws.com included, except calls " +
		"other AWS services make for it (any other `invokedBy`) and service events (the CIS root-usage definition)",
	Severities: "critical when it creates or changes credentials or permissions (root access key, MFA, password, any " +
		"IAM/SSO/Organizations write, any `*Policy`/grant write); high otherwise",
	NoRollback: "no IAM role can restrict the root user; the finding says what the owner must do",
	Family:     RootActivity,
	Patterns: []eventpattern.Pattern{{
		// Root acts through every service: any AWS source, CloudTrail's
		// detail-types only, never a custom event.
		"source":      []any{map[string]any{"prefix": "aws."}},
		"detail-type": strs(DetailTypeAPICall, DetailTypeConsoleCall, DetailTypeSignIn, DetailTypeSignInDoc),
		"detail": map[string]any{
			"userIdentity": map[string]any{
				"type":      strs("Root"),
				"invokedBy": []any{map[string]any{"exists": false}, consoleInvoker},
			},
			"eventType": []any{map[string]any{"anything-but": "AwsServiceEvent"}},
			"eventName": []any{map[string]any{"anything-but": "ConsoleLogin"}},
			"errorCode": successOnly,
		},
	}},
	evaluate: evaluateRootActivity,
}

// consoleInvoker is the invokedBy that older CloudTrail records (the public
// samples show it up to 2020) put on calls made in the console itself: on a
// root call it is root acting, not another AWS service acting for root, so
// root-activity keeps it. Every other invokedBy names a service working on
// root's behalf.
const consoleInvoker = "signin.amazonaws.com"

func evaluateRootActivity(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	id := rec.UserIdentity
	if id.Type != "Root" || (id.InvokedBy != "" && id.InvokedBy != consoleInvoker) || rec.EventType == "AwsServiceEvent" || rec.EventName == "ConsoleLogin" || rec.Failed() {
		return nil
	}
	f := newFinding("root-activity", rec)
	f.Target = f.Actor
	service := strings.TrimSuffix(rec.EventSource, ".amazonaws.com")
	if changesAccess(rec) {
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("Root user changed credentials or permissions: %s (%s) in %s", rec.EventName, service, f.Account)
		f.Reasons = append(f.Reasons, fmt.Sprintf("the root user called %s, which creates or changes credentials or permissions", rec.EventName))
		if rec.EventName == "CreateAccessKey" {
			f.Reasons = append(f.Reasons, "root access keys give unrestricted, long-lived programmatic access; AWS advises never to create them")
		}
	} else {
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("Root user called %s (%s) in %s", rec.EventName, service, f.Account)
		f.Reasons = append(f.Reasons, fmt.Sprintf("the root user called %s; use the root user only for the tasks that require it", rec.EventName))
	}
	// AKIA marks a long-term access key; console and STS sessions use ASIA keys.
	if strings.HasPrefix(id.AccessKeyID, "AKIA") {
		f.Reasons = append(f.Reasons, "the call was signed with a long-term root access key ("+id.AccessKeyID+"): delete root access keys")
	}
	f.RemediationNote = rootNote
	return []finding.Finding{f}
}

// credentialEvents are calls outside the Create/Update/... naming pattern that
// still create or change credentials.
var credentialEvents = map[string]bool{
	"PasswordUpdated":    true,
	"ChangePassword":     true,
	"EnableMFADevice":    true,
	"ResyncMFADevice":    true,
	"GetFederationToken": true,
}

// accessServices are those whose every write changes who can do what.
var accessServices = map[string]bool{
	"iam.amazonaws.com":           true,
	"sso.amazonaws.com":           true,
	"organizations.amazonaws.com": true,
	"identitystore.amazonaws.com": true,
	"signin.amazonaws.com":        true,
}

// writePrefixes mark an API name as a write.
var writePrefixes = []string{"Create", "Update", "Delete", "Put", "Attach", "Detach", "Add", "Remove", "Set", "Enable", "Disable",
	"Deactivate", "Upload", "Change", "Reset", "Tag", "Untag", "Associate", "Disassociate", "Register", "Deregister", "Invite",
	"Accept", "Leave", "Move", "Replace", "Grant", "Revoke", "Modify", "Provision"}

// changesAccess decides whether a root call creates or changes credentials or
// permissions: any write to an identity service, any call whose name says it
// writes a policy or grant anywhere (PutBucketPolicy, PutKeyPolicy,
// CreateGrant), and the sign-in credential events.
func changesAccess(rec *cloudtrail.Record) bool {
	name := rec.EventName
	if credentialEvents[name] {
		return true
	}
	write := false
	for _, p := range writePrefixes {
		if strings.HasPrefix(name, p) {
			write = true
			break
		}
	}
	if !write {
		return false
	}
	if accessServices[rec.EventSource] {
		return true
	}
	for _, w := range []string{"Policy", "Permission", "Grant", "Acl", "AccessKey", "Credential", "Password", "Trust"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown address"
	}
	return s
}
