package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// IdentityGuard is the function for the account owner's practices around
// people's credentials: MFA, console passwords, trust, federation.
var IdentityGuard = &Family{ID: "identity-guard",
	Summary: "sign-ins without MFA, MFA removed, console passwords, role trust, federation and the password policy; notify, optionally delete a login profile or trim a trust policy"}

// mfaHowTo says how to require MFA, for alerts about sign-ins without it.
const mfaHowTo = "Require MFA for every console user: assign an MFA device (aws iam enable-mfa-device, or the console's Security " +
	"credentials page), and attach a policy that denies everything but managing one's own MFA when aws:MultiFactorAuthPresent is " +
	"false (AWS documents it as \"AWS: Allows MFA-authenticated IAM users to manage their own credentials\"); better still, move " +
	"people to IAM Identity Center, which enforces MFA for all."

var consoleLoginNoMFA = &Rule{
	ID:          "console-login-no-mfa",
	Title:       "IAM user signed in to the console without MFA",
	Description: "An IAM user signed in to the AWS Management Console with a password alone. AWS advises MFA for every console user. Federated and IAM Identity Center sign-ins are not IAM users and do not fire. Medium; notify.",
	FiresOn:     "a successful `ConsoleLogin` of an IAM user (`userIdentity.type` IAMUser) whose `additionalEventData.MFAUsed` is No",
	Severities:  "medium",
	NoRollback:  "a sign-in cannot be undone; the alert says how to require MFA",
	Family:      IdentityGuard,
	Patterns:    []eventpattern.Pattern{consoleLogins("IAMUser")},
	evaluate:    evaluateConsoleLoginNoMFA,
}

func evaluateConsoleLoginNoMFA(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.UserIdentity.Type != "IAMUser" || rec.EventName != "ConsoleLogin" || rec.Failed() || rec.MFAUsed() {
		return nil
	}
	if v, ok := rec.AdditionalEventDataString("MFAUsed"); !ok || !strings.EqualFold(v, "No") {
		return nil // MFAUsed absent: the event does not say, and iamguard does not guess
	}
	f := newFinding("console-login-no-mfa", rec)
	f.Target = f.Actor
	f.Severity = severity.Medium
	f.Summary = fmt.Sprintf("IAM user %s signed in to the console WITHOUT MFA in %s from %s", actorName(rec), f.Account, orUnknown(rec.SourceIPAddress))
	f.Reasons = append(f.Reasons, "the sign-in used a password alone: anyone who learns or guesses it has this user's console access",
		"AWS advises MFA for every IAM user with console access")
	f.RemediationNote = mfaHowTo
	return []finding.Finding{f}
}

var mfaRemoved = &Rule{
	ID:    "mfa-removed",
	Title: "MFA device deactivated or deleted",
	Description: "An MFA device was deactivated or a virtual MFA device deleted. Critical for the root user's device, high when the " +
		"caller is not the device's user, medium for one's own. Notify: MFA cannot be put back without the device.",
	FiresOn:    "a successful `DeactivateMFADevice` or `DeleteVirtualMFADevice`",
	Severities: "critical for the root user's device; high when the caller is not the device's user; medium for one's own",
	NoRollback: "MFA cannot be put back without the device itself: the alert says to enable a new device",
	Family:     IdentityGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "DeactivateMFADevice", "DeleteVirtualMFADevice")},
	evaluate:   evaluateMFARemoved,
}

func evaluateMFARemoved(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() || (rec.EventName != "DeactivateMFADevice" && rec.EventName != "DeleteVirtualMFADevice") {
		return nil
	}
	f := newFinding("mfa-removed", rec)
	serial := rec.RequestParam("serialNumber")
	owner := rec.RequestParam("userName")
	device := lastSegment(serial)
	id := rec.UserIdentity
	// The root user's virtual device is mfa/root-account-mfa-device; a root
	// caller deactivating a device without naming a user (or naming the
	// console's "AWS ROOT USER") acts on its own. A DeleteVirtualMFADevice
	// names only the device, whose name its creator chose.
	root := strings.EqualFold(device, "root-account-mfa-device") ||
		(rec.EventName == "DeactivateMFADevice" && id.Type == "Root" && (owner == "" || strings.EqualFold(owner, "AWS ROOT USER")))
	verb := "deactivated"
	if rec.EventName == "DeleteVirtualMFADevice" {
		verb = "deleted virtual"
	}
	f.Target = serial
	switch {
	case root:
		f.Severity = severity.Critical
		f.Target = fmt.Sprintf("arn:%s:iam::%s:root", partition(rec), f.Account)
		f.Summary = fmt.Sprintf("%s %s the root user's MFA device %s in %s", actorName(rec), verb, orName(serial, "(not named)"), f.Account)
		f.Reasons = append(f.Reasons, "the root user is now protected by its password alone: whoever holds it has unrestricted access to the account")
	case isOwnDevice(id.Type, id.UserName, owner, device):
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s %s its own MFA device %s in %s", actorName(rec), verb, orName(serial, "(not named)"), f.Account)
		f.Reasons = append(f.Reasons, "a user removed its own MFA: its console sign-ins now need a password alone")
	default:
		f.Severity = severity.High
		who := orName(owner, "the device's user (named "+orName(device, "?")+")")
		f.Summary = fmt.Sprintf("%s %s the MFA device %s of %s in %s", actorName(rec), verb, orName(serial, "(not named)"), who, f.Account)
		f.Reasons = append(f.Reasons, "one principal removed another user's MFA: a step before taking over that user's console access with a password")
	}
	if owner != "" && !root {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, owner)
	}
	f.RemediationNote = "MFA cannot be put back without the device: if this was not planned, enable a new MFA device for the user " +
		"(aws iam enable-mfa-device, or the Security credentials page), and review what the user and " + actorName(rec) + " did since. " + mfaHowTo
	return []finding.Finding{f}
}

// isOwnDevice reports whether an IAM user acts on its own device: it named
// itself (or no one), or the virtual device carries its name.
func isOwnDevice(callerType, caller, owner, device string) bool {
	if callerType != "IAMUser" || caller == "" {
		return false
	}
	if owner != "" {
		return owner == caller
	}
	return device == "" || device == caller
}

var passwordPolicy = &Rule{
	ID:    "password-policy",
	Title: "Account password policy weakened",
	Description: "The account password policy was deleted (medium) or set below the CIS AWS Foundations baseline, a minimum length " +
		"of 14 and reuse prevention of 24 (low, saying what is below). Notify.",
	FiresOn:    "a successful `DeleteAccountPasswordPolicy`, or `UpdateAccountPasswordPolicy` below the CIS baseline",
	Severities: "medium when the policy is deleted; low when it is set below a minimum length of 14 or reuse prevention of 24",
	NoRollback: "the previous policy is not in the event; the alert gives the command that sets the CIS baseline",
	Family:     IdentityGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy")},
	evaluate:   evaluatePasswordPolicy,
}

// The CIS AWS Foundations Benchmark's password policy baseline.
const (
	cisMinLength      = 14
	cisReusePrevented = 24
)

func evaluatePasswordPolicy(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	f := newFinding("password-policy", rec)
	f.Target = fmt.Sprintf("arn:%s:iam::%s:root", partition(rec), f.Account)
	f.RemediationNote = fmt.Sprintf("set the baseline again: aws iam update-account-password-policy --minimum-password-length %d "+
		"--password-reuse-prevention %d --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters",
		cisMinLength, cisReusePrevented)
	switch rec.EventName {
	case "DeleteAccountPasswordPolicy":
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s deleted the account password policy of %s", actorName(rec), f.Account)
		f.Reasons = append(f.Reasons, "without a password policy IAM accepts any password of 8 characters or more, reused at will")
	case "UpdateAccountPasswordPolicy":
		var below []string
		if n, err := strconv.Atoi(rec.RequestParam("minimumPasswordLength")); err != nil || n < cisMinLength {
			below = append(below, fmt.Sprintf("minimum length %s, below %d", orName(rec.RequestParam("minimumPasswordLength"), "not set (IAM's default is 8)"), cisMinLength))
		}
		if n, err := strconv.Atoi(rec.RequestParam("passwordReusePrevention")); err != nil || n < cisReusePrevented {
			below = append(below, fmt.Sprintf("reuse prevention %s, below %d", orName(rec.RequestParam("passwordReusePrevention"), "not set (passwords may be reused)"), cisReusePrevented))
		}
		if len(below) == 0 {
			return nil
		}
		f.Severity = severity.Low
		f.Summary = fmt.Sprintf("%s set the password policy of %s below the CIS baseline: %s", actorName(rec), f.Account, strings.Join(below, "; "))
		f.Reasons = append(f.Reasons, below...)
	default:
		return nil
	}
	return []finding.Finding{f}
}

var federationToken = &Rule{
	ID:    "federation-token",
	Title: "Federation token or console sign-in token issued",
	Description: "An IAM user's long-term key asked STS for a federation token (medium; the severity of its session policy when that " +
		"rates high or critical), or a console sign-in token was requested from temporary credentials (high): both turn keys into " +
		"sessions that outlive the key's deactivation, a known persistence step. Notify.",
	FiresOn: "a successful `GetFederationToken` by an IAM user's long-term key (AKIA…), or `GetSigninToken`",
	Severities: "medium; the session policy's severity when it rates high or critical (judged as `wildcard-policy` judges); high for GetSigninToken, " +
		"except the IAM Identity Center portal's own (an AWSReservedSSO_ session with the portal's user agent)",
	NoRollback: "issued credentials cannot be revoked one by one: the alert says how to revoke the user's sessions",
	Family:     IdentityGuard,
	Patterns: []eventpattern.Pattern{apiCalls("aws.sts", "sts.amazonaws.com", "GetFederationToken"), {
		"source":      strs("aws.signin"),
		"detail-type": strs(DetailTypeSignIn, DetailTypeSignInDoc, DetailTypeAPICall),
		"detail": map[string]any{
			"eventSource": strs("signin.amazonaws.com"),
			"eventName":   strs("GetSigninToken"),
			"errorCode":   successOnly,
		},
	}},
	Lookups:  action.PolicyDocumentLookups,
	evaluate: evaluateFederationToken,
}

func evaluateFederationToken(ctx context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	id := rec.UserIdentity
	f := newFinding("federation-token", rec)
	f.Target = f.Actor
	f.RemediationNote = "Issued temporary credentials cannot be revoked one by one. If this was not expected, deactivate the user's " +
		"access key (aws iam update-access-key --status Inactive) and deny the sessions issued before now with a policy on the user " +
		"conditioned on aws:TokenIssueTime (the console's \"Revoke active sessions\" does this for roles); then review CloudTrail for " +
		"what the federated sessions did (their userIdentity.type is FederatedUser)."
	switch rec.EventName {
	case "GetSigninToken":
		if isIdentityCenterPortal(rec.UserIdentity.ARN, rec.UserAgent) {
			return nil // every IAM Identity Center console sign-in makes one
		}
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s requested a console sign-in token in %s", actorName(rec), f.Account)
		f.Reasons = append(f.Reasons, "a sign-in token turns temporary credentials into a console session (the way aws_consoler and similar tools do): an attacker with keys gets the console")
		return []finding.Finding{f}
	case "GetFederationToken":
	default:
		return nil
	}
	if id.Type != "IAMUser" || !strings.HasPrefix(id.AccessKeyID, "AKIA") {
		return nil
	}
	f.Severity = severity.Medium
	name := rec.RequestParam("name")
	f.Summary = fmt.Sprintf("%s created federated session %s with its long-term key %s in %s", actorName(rec), orName(name, "(unnamed)"), id.AccessKeyID, f.Account)
	f.Reasons = append(f.Reasons, "a federation token made from a long-term key lives on (up to 36 hours) after the key is deactivated: a known way to keep access (MITRE ATT&CK T1550.001, Stratus aws.persistence.sts-federation-token)")
	docs, unresolved := sessionPolicies(ctx, ev)
	for _, d := range docs {
		v, err := judge(d.doc)
		if err != nil {
			unresolved = append(unresolved, d.what+" could not be read: "+err.Error())
			continue
		}
		if v.Severity >= severity.High && v.Severity > f.Severity {
			f.Severity = v.Severity
		}
		if v.Severity >= severity.Low {
			for _, r := range v.Reasons() {
				f.Reasons = append(f.Reasons, d.what+": "+r)
			}
		}
	}
	if len(unresolved) > 0 {
		f.Unresolved = strings.Join(unresolved, "; ")
		f.Reasons = append(f.Reasons, "iamguard could not judge every session policy: "+f.Unresolved)
	}
	return []finding.Finding{f}
}

type sessionPolicy struct{ what, doc string }

// sessionPolicies are the documents a GetFederationToken passes: the inline
// policy (JSON text, or an object an exporter decoded) and each managed
// policy named in policyArns, found through the resolver.
func sessionPolicies(ctx context.Context, ev *evaluation) (docs []sessionPolicy, unresolved []string) {
	rec := ev.rec
	if doc := policyDocumentParam(rec, "policy"); doc != "" {
		docs = append(docs, sessionPolicy{"the session policy", doc})
	}
	raw := rec.RequestParamRaw("policyArns")
	if raw == nil || string(raw) == "null" {
		return docs, unresolved
	}
	var arns []struct {
		ARN string `json:"arn"`
	}
	if err := json.Unmarshal(raw, &arns); err != nil {
		return docs, append(unresolved, "policyArns is not a list of {arn}: "+err.Error())
	}
	for _, a := range arns {
		v, err := ev.resolver.PolicyVersion(ctx, a.ARN, "")
		switch {
		case errors.Is(err, ErrNotFound):
			unresolved = append(unresolved, "the document of session policy "+a.ARN+" was not found")
		case err != nil:
			unresolved = append(unresolved, "looking up session policy "+a.ARN+" failed: "+err.Error())
		default:
			docs = append(docs, sessionPolicy{"session policy " + a.ARN, v.Document})
		}
	}
	return docs, unresolved
}

// isIdentityCenterPortal reports whether a call is the IAM Identity Center
// portal signing a user in to the console: a session of an
// AWSReservedSSO_ role, made by the portal's client (user agent Jersey/...,
// as Panther's rule for GetSigninToken documents). Both must hold: a user
// agent alone is the caller's to choose.
func isIdentityCenterPortal(actorARN, userAgent string) bool {
	return strings.Contains(actorARN, ":assumed-role/AWSReservedSSO_") && strings.HasPrefix(userAgent, "Jersey/")
}
