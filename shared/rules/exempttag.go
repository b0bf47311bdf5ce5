package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// TagNamespace is the tag-key prefix iamguard reserves: its exemption tag
// (iamguard:exempt by default) lives there, and the exempt-tag-changed rule
// watches every key in it. A custom exempt tag outside it is not watched.
const TagNamespace = "iamguard:"

var exemptTagChanged = &Rule{
	ID:    "exempt-tag-changed",
	Title: "iamguard tag changed",
	Description: "A tag in the iamguard: namespace was set on or removed from a user, role or policy, or a user, role or policy was " +
		"created already carrying one. Tagging a target " +
		"iamguard:exempt=true stops iamguard (and the IAM conditions on its roles) from rolling back changes to it, so " +
		"setting it is how a guarded change would be prepared: high when an exemption is granted, medium for any other " +
		"change to an iamguard tag. Notify only.",
	FiresOn: "a successful `Tag{User,Role,Policy}` or `Untag{User,Role,Policy}` touching a key in the `iamguard:` namespace, or a " +
		"`Create{User,Role,Policy}` whose tags hold one, other than the canary's `iamguard:canary` on a policy (rule `canary`)",
	Severities: "high when an exemption is granted (`iamguard:exempt=true`: an attacker who can tag would exempt a principal before " +
		"escalating it); medium for any other change",
	NoRollback: "iamguard does not change tags; the finding says how to remove the tag and suggests an SCP on `aws:RequestTag/iamguard:exempt`",
	Family:     PolicyGuard,
	Patterns: []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", "TagUser", "TagRole", "TagPolicy", "UntagUser", "UntagRole", "UntagPolicy",
		"CreateUser", "CreateRole", "CreatePolicy")},
	evaluate: evaluateExemptTagChanged,
}

type tagParam struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func evaluateExemptTagChanged(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	untag := strings.HasPrefix(rec.EventName, "Untag")
	create := strings.HasPrefix(rec.EventName, "Create")
	kind := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(rec.EventName, "Untag"), "Tag"), "Create")
	var keys []string
	granted := false
	if untag {
		var tagKeys []string
		if err := json.Unmarshal(rec.RequestParamRaw("tagKeys"), &tagKeys); err != nil {
			return nil
		}
		for _, k := range tagKeys {
			if inNamespace(k) && !canaryKey(kind, k) {
				keys = append(keys, k)
			}
		}
	} else {
		var tags []tagParam
		raw := rec.RequestParamRaw("tags")
		if create && len(raw) == 0 {
			return nil // created without tags
		}
		if err := json.Unmarshal(raw, &tags); err != nil {
			return nil
		}
		for _, t := range tags {
			if inNamespace(t.Key) && !canaryKey(kind, t.Key) {
				keys = append(keys, t.Key+"="+t.Value)
				granted = granted || strings.EqualFold(strings.TrimSpace(t.Value), "true")
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	f := newFinding("exempt-tag-changed", rec)
	var name string
	switch kind {
	case "User":
		name = rec.RequestParam("userName")
		f.Target = fmt.Sprintf("arn:%s:iam::%s:user/%s", partition(rec), f.Account, name)
	case "Role":
		name = rec.RequestParam("roleName")
		f.Target = fmt.Sprintf("arn:%s:iam::%s:role/%s", partition(rec), f.Account, name)
	case "Policy":
		f.Target = rec.RequestParam("policyArn")
		if create {
			f.Target = rec.ResponseParam("policy", "arn")
		}
		name = lastSegment(f.Target)
		if name == "" {
			name = rec.RequestParam("policyName")
		}
	default:
		return nil
	}
	what := strings.ToLower(kind) + " " + name
	switch {
	case create && granted:
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s created %s already exempt from iamguard (%s) in %s", actorName(rec), what, strings.Join(keys, ", "), f.Account)
		f.Reasons = append(f.Reasons, "created with an iamguard exemption tag set to true, "+what+" is never rolled back by iamguard: "+
			"a principal born exempt is a guarded change prepared in one call",
			"only the break-glass path should carry this tag")
	case create:
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s created %s with iamguard tag %s in %s", actorName(rec), what, strings.Join(keys, ", "), f.Account)
		f.Reasons = append(f.Reasons, "a tag in iamguard's namespace was set on the new "+strings.ToLower(kind))
	case untag:
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s removed iamguard tag %s from %s in %s", actorName(rec), strings.Join(keys, ", "), what, f.Account)
		f.Reasons = append(f.Reasons, "an iamguard tag was removed; if it was an exemption, iamguard will roll back changes to "+what+" again")
	case granted:
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s exempted %s from iamguard (%s) in %s", actorName(rec), what, strings.Join(keys, ", "), f.Account)
		f.Reasons = append(f.Reasons, "with an iamguard exemption tag set to true, iamguard only reports changes to "+what+" and never rolls them back",
			"an attacker who can tag can exempt a principal first and escalate it next; only the break-glass path should carry this tag")
	default:
		f.Severity = severity.Medium
		f.Summary = fmt.Sprintf("%s set iamguard tag %s on %s in %s", actorName(rec), strings.Join(keys, ", "), what, f.Account)
		f.Reasons = append(f.Reasons, "a tag in iamguard's namespace changed on "+what)
	}
	f.RemediationNote = "iamguard does not change tags. If this was not agreed, remove the tag (aws iam untag-" + strings.ToLower(kind) +
		") and review what " + actorName(rec) + " and " + what + " did since; an SCP denying iam:Tag* with aws:RequestTag/iamguard:exempt outside the break-glass process prevents it."
	return []finding.Finding{f}
}

func inNamespace(key string) bool {
	return len(key) >= len(TagNamespace) && strings.EqualFold(key[:len(TagNamespace)], TagNamespace)
}

// canaryKey reports whether key on a resource of kind is the canary's tag
// on a policy: the heartbeat, which rule canary judges, not an exemption.
func canaryKey(kind, key string) bool {
	return kind == "Policy" && key == CanaryTagKey
}
