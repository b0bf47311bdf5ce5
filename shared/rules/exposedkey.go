package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// exposedKeyCodes are the AWS Health event types by which AWS says a key has
// leaked: AWS_RISK_CREDENTIALS_EXPOSED, and the two AWS's own remediation
// samples treat alike.
var exposedKeyCodes = []string{"AWS_RISK_CREDENTIALS_EXPOSED", "AWS_RISK_CREDENTIALS_COMPROMISED", "AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED"}

var exposedKey = &Rule{
	ID:    "exposed-key",
	Title: "AWS found an access key exposed",
	Description: "AWS reported an access key exposed (the AWS Health event AWS_RISK_CREDENTIALS_EXPOSED), or put one of its " +
		"quarantine policies (AWSCompromisedKeyQuarantine, V2, V3) on a user: critical. The rollback deactivates exactly the key " +
		"the Health event names (never deletes it, never detaches the quarantine policy); the alert is the leaked-key plan.",
	FiresOn: "an AWS Health event `AWS_RISK_CREDENTIALS_EXPOSED` (or `_COMPROMISED`, `_EXPOSURE_SUSPECTED`); AWS's own " +
		"`AttachUserPolicy` or `PutUserPolicy` of `AWSCompromisedKeyQuarantine`, `V2` or `V3`",
	Severities: "critical",
	NoRollback: "a quarantine policy AWS put names the user, not the key: the Health event names the key and is the one rolled back",
	Family:     AccessKeys,
	Patterns: []eventpattern.Pattern{{
		"source":      strs("aws.health"),
		"detail-type": strs("AWS Health Event"),
		"detail":      map[string]any{"eventTypeCode": strs(exposedKeyCodes...)},
	}, apiCalls("aws.iam", "iam.amazonaws.com", "AttachUserPolicy", "PutUserPolicy")},
	Actions:  []*action.Action{action.UpdateAccessKey},
	evaluate: evaluateExposedKey,
}

// healthDetail is what exposed-key reads of an AWS Health event.
type healthDetail struct {
	EventTypeCode    string `json:"eventTypeCode"`
	EventArn         string `json:"eventArn"`
	AffectedEntities []struct {
		EntityValue string `json:"entityValue"`
	} `json:"affectedEntities"`
	EventMetadata struct {
		UserName   string `json:"userName"`
		ExposedURL string `json:"exposedUrl"`
	} `json:"eventMetadata"`
}

// leakedKeyPlan is the leaked-key plan every exposed-key alert carries.
func leakedKeyPlan(key string) string {
	k := orName(key, "KEY")
	return "The leaked-key plan: (1) the key is deactivated (by iamguard when the rule remediates; otherwise: aws iam update-access-key " +
		"--user-name USER --access-key-id " + finding.ShellQuote(k) + " --status Inactive); never delete it before the review, and leave AWS's " +
		"quarantine policy in place. (2) See what the key did: aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=" +
		finding.ShellQuote(k) + " --region REGION, in every Region. (3) Rotate: create a new key, move the applications to it, then delete the " +
		"leaked one. (4) Look for what an attacker leaves behind: new users, access keys, login profiles, roles and trust changes, and policies " +
		"attached since the key leaked (iamguard check over the trail shows them), and remove the secret from where it was published."
}

func evaluateExposedKey(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Envelope != nil && rec.Envelope.Source == "aws.health" {
		return exposedKeyFromHealth(ev)
	}
	if rec.Failed() || rec.EventSource != "iam.amazonaws.com" {
		return nil
	}
	var name string
	switch rec.EventName {
	case "AttachUserPolicy":
		name = lastSegment(rec.RequestParam("policyArn"))
	case "PutUserPolicy":
		name = rec.RequestParam("policyName")
	default:
		return nil
	}
	if !isQuarantinePolicy(name) || !isAWSInternal(rec.UserAgent) {
		return nil
	}
	user := rec.RequestParam("userName")
	f := newFinding("exposed-key", rec)
	f.Severity = severity.Critical
	if user != "" {
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, user)
	}
	f.Summary = fmt.Sprintf("AWS quarantined user %s in %s (%s): one of its access keys has leaked", orName(user, "(not named)"), f.Account, name)
	f.Reasons = append(f.Reasons, "AWS puts "+name+" on a user when it finds one of the user's access keys exposed in public: the key is in someone else's hands",
		"the quarantine policy denies the most abused actions, not everything: the key still works for the rest until it is deactivated")
	f.RemediationNote = "The event does not name the key: the AWS Health event AWS_RISK_CREDENTIALS_EXPOSED (and the support case AWS opens) does, " +
		"and iamguard deactivates it from that event. Do not detach the quarantine policy. " + leakedKeyPlan("")
	return []finding.Finding{f}
}

// isQuarantinePolicy reports whether a policy name is one of AWS's
// compromised-key quarantine policies.
func isQuarantinePolicy(name string) bool {
	switch name {
	case "AWSCompromisedKeyQuarantine", "AWSCompromisedKeyQuarantineV2", "AWSCompromisedKeyQuarantineV3":
		return true
	}
	return false
}

// isAWSInternal reports whether a call was made by AWS itself, which signs
// its quarantine calls with user agent "AWS Internal" or aws-internal/N.
func isAWSInternal(userAgent string) bool {
	return userAgent == "AWS Internal" || strings.HasPrefix(userAgent, "aws-internal/")
}

func exposedKeyFromHealth(ev *evaluation) []finding.Finding {
	rec := ev.rec
	var d healthDetail
	err := json.Unmarshal(rec.Raw, &d)
	if err == nil && !contains(exposedKeyCodes, d.EventTypeCode) {
		return nil
	}
	base := newFinding("exposed-key", rec)
	base.Severity = severity.Critical
	base.Actor, base.ActorType = "aws.health", "AWSService"
	if err != nil || len(d.AffectedEntities) == 0 {
		// A key-exposure event iamguard cannot read is still the most
		// urgent alert there is: never dropped.
		f := base
		f.Summary = fmt.Sprintf("AWS reported an access key exposed in %s, and iamguard could not read which", f.Account)
		f.Unresolved = "the Health event names no affected key"
		if err != nil {
			f.Unresolved = "the Health event's detail could not be read: " + err.Error()
		}
		f.Reasons = append(f.Reasons, "AWS found an access key of this account exposed in public")
		f.RemediationNote = "read the Health event and the support case AWS opened for the key's ID. " + leakedKeyPlan("")
		return []finding.Finding{f}
	}
	var out []finding.Finding
	for _, e := range d.AffectedEntities {
		key := e.EntityValue
		f := base
		f.Reasons = nil
		f.Target = key
		where := ""
		if d.EventMetadata.ExposedURL != "" {
			where = " at " + d.EventMetadata.ExposedURL
		}
		named := ""
		if u := d.EventMetadata.UserName; u != "" {
			// The event's word for the user is shown, not acted on: the
			// executor asks IAM whose key it is.
			named = " (user " + u + ", as the event says)"
		}
		f.Summary = fmt.Sprintf("AWS found access key %s%s exposed (%s) in %s", orName(key, "(not named)"), named, d.EventTypeCode, f.Account)
		f.Reasons = []string{"AWS found the access key exposed in public" + where + ": anyone who copied it acts as its user until it is deactivated"}
		f.RemediationNote = leakedKeyPlan(key)
		if !isAccessKeyID(key) {
			f.Unresolved = "the event names no access key ID (" + orName(key, "none") + ")"
			out = append(out, f)
			continue
		}
		a := action.UpdateAccessKey
		f.Remediation = a.Plan(fmt.Sprintf("deactivate access key %s (it is kept, not deleted, so it can be turned back on)", key), "AccessKeyId", key, "Status", "Inactive")
		f.Remediation.Deferred = "UserName: the key's user, found with iam:GetAccessKeyLastUsed at remediation time"
		out = append(out, f)
	}
	return out
}

// isAccessKeyID reports whether s has the shape of an access key ID: AKIA
// (long-term) or ASIA (temporary) and 16 upper-case letters or digits.
func isAccessKeyID(s string) bool {
	if len(s) != 20 || (!strings.HasPrefix(s, "AKIA") && !strings.HasPrefix(s, "ASIA")) {
		return false
	}
	return strings.Trim(s[4:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "" || strings.Trim(s[4:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == ""
}

func onlyIf(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}
