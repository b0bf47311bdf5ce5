package rules

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/awspolicies"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/severity"
)

// PolicyEvents are the IAM calls that put a policy document into effect, or
// prepare one. The wildcard-policy rule routes exactly these.
var PolicyEvents = []string{
	"AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy",
	"PutUserPolicy", "PutRolePolicy", "PutGroupPolicy",
	"CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion",
}

var wildcardPolicy = &Rule{
	ID:    "wildcard-policy",
	Title: "Policy grants dangerous access",
	Description: "A policy that grants administrator access, a service-wide wildcard, NotAction, or a privilege-escalation path was " +
		"attached, written inline, created or made a default version. Severity is the document's; a document not yet in effect " +
		"(CreatePolicy, a non-default CreatePolicyVersion) is capped at medium. The rollback detaches the managed policy, deletes the " +
		"inline policy (keeping its document to restore) or sets the previous default version back.",
	FiresOn: "a successful `Attach{User,Role,Group}Policy`, `Put{User,Role,Group}Policy`, `CreatePolicy`, `CreatePolicyVersion` or " +
		"`SetDefaultPolicyVersion` whose document grants dangerous access",
	Severities: "the document's (see below), capped at medium while it is not in effect (`CreatePolicy`, a non-default version); " +
		"info (\"no new access\") for a new default version or inline document that grants nothing the one it replaced did not",
	NoRollback: "`CreatePolicy` and a non-default `CreatePolicyVersion`: they grant nothing until attached or made default, which this rule catches",
	Family:     PolicyGuard,
	Patterns:   []eventpattern.Pattern{apiCalls("aws.iam", "iam.amazonaws.com", PolicyEvents...)},
	Actions: []*action.Action{
		action.DetachUserPolicy, action.DetachRolePolicy, action.DetachGroupPolicy,
		action.DeleteUserPolicy, action.DeleteRolePolicy, action.DeleteGroupPolicy,
		action.SetDefaultPolicyVersion,
	},
	Lookups:  action.PolicyDocumentLookups,
	evaluate: evaluateWildcardPolicy,
}

// principalKinds maps the word in an IAM API name to the request parameter
// that names the principal and the ARN resource type.
var principalKinds = map[string]struct {
	param, apiParam, arnType string
	detach, deleteInline     *action.Action
}{
	"User":  {"userName", "UserName", "user", action.DetachUserPolicy, action.DeleteUserPolicy},
	"Role":  {"roleName", "RoleName", "role", action.DetachRolePolicy, action.DeleteRolePolicy},
	"Group": {"groupName", "GroupName", "group", action.DetachGroupPolicy, action.DeleteGroupPolicy},
}

// policyChange is what one policy event did, before the document is judged.
type policyChange struct {
	kind         string // User, Role or Group for Attach/Put
	principal    string
	ref          finding.PolicyRef
	inEffect     bool
	notInEffect  string // why the document does not take effect yet
	newVersionID string // the version the event made (CreatePolicyVersion) or chose (SetDefaultPolicyVersion)
	document     string
	unresolved   string
}

func evaluateWildcardPolicy(ctx context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	// Organizations has CreatePolicy and UpdatePolicy too: a service control
	// policy is not an IAM grant (org-guardrails judges those).
	if rec.Failed() || rec.EventSource != "iam.amazonaws.com" {
		return nil
	}
	ch, ok := describePolicyChange(ctx, ev)
	if !ok {
		return nil
	}
	f := newFinding("wildcard-policy", rec)
	f.Policy = &ch.ref
	f.Target = changeTarget(rec, ch)

	var verdict policy.Verdict
	if ch.unresolved == "" {
		v, err := judge(ch.document)
		if err != nil {
			ch.unresolved = "the policy document could not be read: " + err.Error()
		} else {
			verdict = v
		}
	}
	if ch.unresolved != "" {
		// Never drop what cannot be judged: report it at medium so that a
		// default --min-severity still shows it.
		f.Severity = severity.Medium
		f.Unresolved = ch.unresolved
		f.Reasons = append(f.Reasons, "iamguard could not judge this policy: "+ch.unresolved)
	} else {
		if verdict.Severity < severity.Low {
			return nil
		}
		f.Severity = verdict.Severity
		f.Reasons = append(f.Reasons, verdict.Reasons()...)
		if !ch.inEffect && f.Severity > severity.Medium {
			f.Severity = severity.Medium
			f.Reasons = append(f.Reasons, "capped at medium: "+ch.notInEffect)
		}
		if ch.inEffect {
			if prior, ok := priorPolicy(ctx, ev, ch); ok {
				f.Change = describeChange(prior, ch.document)
			}
		}
	}
	planPolicyRemediation(rec, ev.history, ch, &f)
	noNewAccess(&f)
	f.Summary = changeSummary(rec, ch, f)
	return []finding.Finding{f}
}

// describePolicyChange reads what the event did and finds its document.
func describePolicyChange(ctx context.Context, ev *evaluation) (policyChange, bool) {
	rec := ev.rec
	name := rec.EventName
	var ch policyChange
	if rec.RequestParametersOmitted() {
		ch.unresolved = "CloudTrail omitted the request parameters (too large)"
	}
	switch {
	case strings.HasPrefix(name, "Attach") && strings.HasSuffix(name, "Policy"):
		ch.kind = strings.TrimSuffix(strings.TrimPrefix(name, "Attach"), "Policy")
		pk, ok := principalKinds[ch.kind]
		if !ok {
			return ch, false
		}
		ch.principal = rec.RequestParam(pk.param)
		ch.ref.ARN = rec.RequestParam("policyArn")
		ch.ref.Name = lastSegment(ch.ref.ARN)
		ch.inEffect = true
		if ch.unresolved == "" {
			resolveVersion(ctx, ev, &ch, "")
		}
	case strings.HasPrefix(name, "Put") && strings.HasSuffix(name, "Policy"):
		ch.kind = strings.TrimSuffix(strings.TrimPrefix(name, "Put"), "Policy")
		pk, ok := principalKinds[ch.kind]
		if !ok {
			return ch, false
		}
		ch.principal = rec.RequestParam(pk.param)
		ch.ref.Name = rec.RequestParam("policyName")
		ch.ref.Source = "event"
		ch.document = policyDocument(rec)
		ch.ref.Document = ch.document
		ch.inEffect = true
	case name == "CreatePolicy":
		ch.ref.Name = rec.RequestParam("policyName")
		ch.ref.ARN = rec.ResponseParam("policy", "arn")
		ch.ref.VersionID = rec.ResponseParam("policy", "defaultVersionId")
		ch.ref.Source = "event"
		ch.document = policyDocument(rec)
		ch.notInEffect = "a new managed policy is attached to no one yet"
	case name == "CreatePolicyVersion":
		ch.ref.ARN = rec.RequestParam("policyArn")
		ch.ref.Name = lastSegment(ch.ref.ARN)
		ch.newVersionID = rec.ResponseParam("policyVersion", "versionId")
		ch.ref.VersionID = ch.newVersionID
		ch.ref.Source = "event"
		ch.document = policyDocument(rec)
		ch.inEffect = isTrue(rec.RequestParam("setAsDefault")) || isTrue(rec.ResponseParam("policyVersion", "isDefaultVersion"))
		ch.notInEffect = "the new version was not made the default, so it grants nothing until someone sets it as default"
	case name == "SetDefaultPolicyVersion":
		ch.ref.ARN = rec.RequestParam("policyArn")
		ch.ref.Name = lastSegment(ch.ref.ARN)
		ch.newVersionID = rec.RequestParam("versionId")
		ch.inEffect = true
		if ch.unresolved == "" {
			resolveVersion(ctx, ev, &ch, ch.newVersionID)
		}
	default:
		return ch, false
	}
	if ch.unresolved == "" && ch.document == "" {
		ch.unresolved = "the event carries no policy document"
	}
	return ch, true
}

func resolveVersion(ctx context.Context, ev *evaluation, ch *policyChange, versionID string) {
	if ch.ref.ARN == "" {
		ch.unresolved = "the event names no policy ARN"
		return
	}
	v, err := ev.resolver.PolicyVersion(ctx, ch.ref.ARN, versionID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			ch.unresolved = "the document of " + ch.ref.ARN + " " + versionLabel(versionID) + " was not found (" + err.Error() + ")"
		} else {
			ch.unresolved = "looking up the document failed: " + err.Error()
		}
		return
	}
	ch.document = v.Document
	ch.ref.VersionID = v.VersionID
	ch.ref.Source = v.Source
}

func changeTarget(rec *cloudtrail.Record, ch policyChange) string {
	if pk, ok := principalKinds[ch.kind]; ok && ch.principal != "" {
		return fmt.Sprintf("arn:%s:iam::%s:%s/%s", partition(rec), rec.Account(), pk.arnType, ch.principal)
	}
	return ch.ref.ARN
}

func changeSummary(rec *cloudtrail.Record, ch policyChange, f finding.Finding) string {
	grants := "grants " + accessWords(f)
	switch {
	case strings.HasPrefix(rec.EventName, "Attach"):
		return fmt.Sprintf("%s attached to %s %s in %s (%s)", orName(ch.ref.Name, ch.ref.ARN), strings.ToLower(ch.kind), ch.principal, f.Account, grants)
	case strings.HasPrefix(rec.EventName, "Put"):
		return fmt.Sprintf("Inline policy %s written on %s %s in %s (%s)", ch.ref.Name, strings.ToLower(ch.kind), ch.principal, f.Account, grants)
	case rec.EventName == "CreatePolicy":
		return fmt.Sprintf("Managed policy %s created in %s (%s)", ch.ref.Name, f.Account, grants)
	case rec.EventName == "CreatePolicyVersion" && ch.inEffect:
		return fmt.Sprintf("New default version %s of policy %s in %s (%s)", orName(ch.newVersionID, "?"), ch.ref.Name, f.Account, grants)
	case rec.EventName == "CreatePolicyVersion":
		return fmt.Sprintf("New non-default version %s of policy %s in %s (%s)", orName(ch.newVersionID, "?"), ch.ref.Name, f.Account, grants)
	default:
		return fmt.Sprintf("Policy %s default version set to %s in %s (%s)", ch.ref.Name, ch.newVersionID, f.Account, grants)
	}
}

func accessWords(f finding.Finding) string {
	if f.Unresolved != "" {
		return "document unresolved"
	}
	if f.Change != nil && f.Change.NoNewAccess && !f.Change.Assumed {
		return "no new access"
	}
	switch f.Severity {
	case severity.Critical:
		return "administrator access"
	case severity.High:
		return "high-risk access"
	case severity.Medium:
		return "broad access"
	default:
		return "wildcard access"
	}
}

// planPolicyRemediation writes the rollback plan, or why there is none.
func planPolicyRemediation(rec *cloudtrail.Record, h *History, ch policyChange, f *finding.Finding) {
	pk, hasPrincipal := principalKinds[ch.kind]
	switch {
	case strings.HasPrefix(rec.EventName, "Attach"):
		if !hasPrincipal || ch.principal == "" || ch.ref.ARN == "" {
			f.RemediationNote = "the event does not name the policy and principal, so no detach can be planned"
			return
		}
		f.Remediation = pk.detach.Plan(fmt.Sprintf("detach %s from %s %s", ch.ref.ARN, strings.ToLower(ch.kind), ch.principal),
			pk.apiParam, ch.principal, "PolicyArn", ch.ref.ARN)
		f.Remediation.Undo = pk.detach.UndoStep(pk.apiParam, ch.principal, "PolicyArn", ch.ref.ARN)
	case strings.HasPrefix(rec.EventName, "Put"):
		if !hasPrincipal || ch.principal == "" || ch.ref.Name == "" {
			f.RemediationNote = "the event does not name the inline policy and principal, so no delete can be planned"
			return
		}
		f.Remediation = pk.deleteInline.Plan(fmt.Sprintf("delete inline policy %s from %s %s; its document is kept in this alert so that it can be put back", ch.ref.Name, strings.ToLower(ch.kind), ch.principal),
			pk.apiParam, ch.principal, "PolicyName", ch.ref.Name)
		if ch.document != "" {
			f.Remediation.Undo = pk.deleteInline.UndoStep(pk.apiParam, ch.principal, "PolicyName", ch.ref.Name, "PolicyDocument", ch.document)
		}
	case rec.EventName == "CreatePolicy":
		f.RemediationNote = "nothing to roll back: a new managed policy grants nothing until it is attached; an attachment is caught by this rule"
	case rec.EventName == "CreatePolicyVersion" && !ch.inEffect:
		f.RemediationNote = "nothing to roll back: the version is not the default; setting it as default is caught by this rule"
	default: // a new default version, by CreatePolicyVersion or SetDefaultPolicyVersion
		if ch.ref.ARN == "" {
			f.RemediationNote = "the event names no policy ARN, so no rollback can be planned"
			return
		}
		prev, known := h.DefaultVersion(ch.ref.ARN)
		if known && prev == ch.newVersionID {
			known = false
		}
		a := action.SetDefaultPolicyVersion
		var r *finding.Remediation
		if known {
			r = a.Plan(fmt.Sprintf("set the default version of %s back to %s, the default before this change", ch.ref.ARN, prev),
				"PolicyArn", ch.ref.ARN, "VersionId", prev)
		} else {
			r = a.Plan(fmt.Sprintf("set the default version of %s back to the previous default", ch.ref.ARN), "PolicyArn", ch.ref.ARN)
			r.Deferred = "VersionId: the newest other version (older or newer) whose document rates below medium, found with iam:ListPolicyVersions and iam:GetPolicyVersion at remediation time"
		}
		if ch.newVersionID != "" {
			r.Undo = a.UndoStep("PolicyArn", ch.ref.ARN, "VersionId", ch.newVersionID)
		}
		f.Remediation = r
	}
}

func lastSegment(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func orName(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// policyDocument is the document a Put*Policy or CreatePolicy* event carries:
// CloudTrail records it as JSON text, but an exporter that decoded it leaves
// an object, which is judged just the same.
func policyDocument(rec *cloudtrail.Record) string { return policyDocumentParam(rec, "policyDocument") }

// policyDocumentParam is the policy document in request parameter name: JSON
// text as CloudTrail records it, or an object an exporter decoded.
func policyDocumentParam(rec *cloudtrail.Record, name string) string {
	if doc := rec.RequestParam(name); doc != "" {
		return doc
	}
	if raw := bytes.TrimSpace(rec.RequestParamRaw(name)); len(raw) > 0 && raw[0] == '{' {
		return string(raw)
	}
	return ""
}

// verdicts caches the verdicts of documents already judged: an export or a
// warm Lambda meets the same managed policies (SecurityAudit, ReadOnlyAccess)
// again and again. Bounded; a Verdict is never modified after Analyze.
var verdicts = struct {
	sync.Mutex
	m map[string]policy.Verdict
}{m: map[string]policy.Verdict{}}

const maxCachedVerdicts = 512

// analyzeOptions lets conditions that name AWS managed policies
// (iam:PolicyARN, iam:PermissionsBoundary) be judged by the embedded
// snapshot's documents. A customer managed policy is not looked up: its
// conditions keep the conservative reading.
var analyzeOptions = policy.Options{Policy: func(arn string) (*policy.Document, bool) {
	p, ok, err := awspolicies.Lookup(arn)
	if err != nil || !ok {
		return nil, false
	}
	d, err := policy.Parse(p.Text)
	return d, err == nil
}}

func judge(text string) (policy.Verdict, error) {
	verdicts.Lock()
	v, ok := verdicts.m[text]
	verdicts.Unlock()
	if ok {
		return v, nil
	}
	doc, err := policy.Parse(text)
	if err != nil {
		return policy.Verdict{}, err
	}
	v = policy.AnalyzeWith(doc, analyzeOptions)
	verdicts.Lock()
	if len(verdicts.m) < maxCachedVerdicts {
		verdicts.m[text] = v
	}
	verdicts.Unlock()
	return v, nil
}

// priorPolicy is the document a change replaced, as the stream showed it:
// the previous default version for a new default, the inline policy's
// previous document for Put*Policy. ok is false for changes that replace
// nothing (Attach*Policy adds a whole policy).
func priorPolicy(ctx context.Context, ev *evaluation, ch policyChange) (Prior, bool) {
	rec := ev.rec
	switch {
	case rec.EventName == "CreatePolicyVersion" || rec.EventName == "SetDefaultPolicyVersion":
		if ch.ref.ARN == "" {
			return Prior{Label: "the event names no policy"}, true
		}
		p := ev.history.DefaultBefore(ch.ref.ARN, ch.newVersionID)
		if !p.Known && rec.EventName == "CreatePolicyVersion" {
			if older, ok := olderVersion(ctx, ev, ch.ref.ARN, ch.newVersionID); ok {
				return older, true
			}
		}
		return p, true
	case strings.HasPrefix(rec.EventName, "Put"):
		if ch.principal == "" || ch.ref.Name == "" {
			return Prior{Label: "the event names no principal or policy"}, true
		}
		return ev.history.InlineBefore(rec.Account(), ch.kind, ch.principal, ch.ref.Name), true
	}
	return Prior{}, false
}

// olderVersion finds, through the resolver (IAM in the Lambda), the newest
// version older than a new default "vN": the likeliest previous default, since
// tools that write policies make each new version the default. IAM does not
// record which version was the default before, so the Prior is Assumed: it
// is compared with, but never makes a change "no new access".
func olderVersion(ctx context.Context, ev *evaluation, arn, newVersion string) (Prior, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(newVersion, "v"))
	if err != nil || !strings.HasPrefix(newVersion, "v") {
		return Prior{}, false
	}
	// IAM keeps at most five versions of a policy.
	for k := n - 1; k >= 1 && k >= n-5; k-- {
		id := "v" + strconv.Itoa(k)
		v, err := ev.resolver.PolicyVersion(ctx, arn, id)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				continue // deleted: try the one before
			}
			return Prior{}, false
		}
		return Prior{Known: true, Assumed: true, Document: v.Document,
			Label: "version " + id + ", the newest older version (assumed to be the default before: IAM does not record which was)"}, true
	}
	return Prior{}, false
}
