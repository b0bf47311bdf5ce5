package remediate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/policy"
	"github.com/iamguard/iamguard/shared/severity"
)

// Remediator decides each finding's outcome and carries out rollbacks.
type Remediator struct {
	cfg config.Config
	api IAMAPI
}

// New returns a Remediator. api may be nil for a function whose rules never
// remediate (root-activity); a plan that needs IAM then fails, reported.
func New(cfg config.Config, api IAMAPI) *Remediator {
	return &Remediator{cfg: cfg, api: api}
}

// IsSelf reports whether a finding's actor is one of iamguard's own roles: the
// event is iamguard's own rollback and must be ignored, not judged again.
func (r *Remediator) IsSelf(f finding.Finding) bool {
	return r.IsSelfActor(f.Actor, f.ActorIssuer)
}

// IsSelfActor reports whether an actor ARN, or the role or user that issued
// its session (issuer, "" if none), is one of iamguard's own roles. The
// guard asks before evaluating an event, so that iamguard's own rollbacks
// cost no IAM lookup either.
func (r *Remediator) IsSelfActor(actor, issuer string) bool {
	for _, p := range r.cfg.SelfRoleARNs {
		if (issuer != "" && Glob(p, issuer)) || (actor != "" && Glob(p, actor)) {
			return true
		}
	}
	return false
}

// Handle decides and, where allowed, carries out the rollback of one finding.
// It never returns an error: a failure is an finding.Outcome that the alert reports.
func (r *Remediator) Handle(ctx context.Context, f finding.Finding) finding.Outcome {
	mode := r.cfg.ModeFor(f.Rule)
	o := finding.Outcome{Mode: string(mode), Plan: f.Remediation}
	switch {
	case mode == finding.ModeNotify:
		o.Status, o.Reason = finding.StatusNotified, "rule "+f.Rule+" is in notify mode: nothing was changed"
		return o
	case f.Remediation == nil:
		o.Status = finding.StatusSkipped
		o.Reason = "no rollback exists for this change"
		if f.RemediationNote != "" {
			o.Reason += ": " + f.RemediationNote
		}
		return o
	case f.Severity < r.cfg.RemediateMinSeverity:
		o.Status = finding.StatusNotified
		o.Reason = fmt.Sprintf("severity %s is below the remediation threshold (%s): nothing was changed", f.Severity, r.cfg.RemediateMinSeverity)
		return o
	case f.Unresolved != "":
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: iamguard could not judge the change ("+f.Unresolved+")"
		return o
	case f.ActorType == "Root" && strings.HasSuffix(f.Target, ":root"):
		o.Status, o.Reason = finding.StatusSkipped, "iamguard never acts on root credentials"
		return o
	}
	if ex := r.exemptByPattern(f); ex != "" {
		o.Status, o.Exemption = finding.StatusSkipped, ex
		o.Reason = "exempt (" + ex + "): notified, never touched"
		return o
	}
	if r.api == nil {
		o.Status, o.Reason = finding.StatusFailed, "this function has no IAM client"
		o.Error = "remediation is not wired for rule " + f.Rule
		return o
	}
	ex, err := r.exemptByTag(ctx, f)
	switch {
	case err != nil:
		// Unsure whether the target is a break-glass path: do not act.
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: the exemption tag could not be checked, and iamguard never acts when unsure"
		o.Error = err.Error()
		return o
	case ex != "":
		o.Status, o.Exemption = finding.StatusSkipped, ex
		o.Reason = "exempt (" + ex + "): notified, never touched"
		return o
	}
	return r.execute(ctx, f, mode == finding.ModeDryRun)
}

func (r *Remediator) exemptByPattern(f finding.Finding) string {
	for _, p := range r.cfg.ExemptPrincipals {
		if Glob(p, f.Actor) || (f.ActorIssuer != "" && Glob(p, f.ActorIssuer)) {
			return "exempt principal " + p
		}
	}
	for _, p := range r.cfg.ExemptTargets {
		if Glob(p, f.Target) {
			return "exempt target " + p
		}
	}
	return ""
}

// exemptByTag looks the exempt tag up on the target user, role or policy.
// Groups cannot carry tags in IAM; exempt them by pattern.
func (r *Remediator) exemptByTag(ctx context.Context, f finding.Finding) (string, error) {
	kind, name := targetKind(f.Target)
	var tags []types.Tag
	switch kind {
	case "user":
		out, err := r.api.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String(name)})
		if err != nil {
			return "", tagError(err, f.Target)
		}
		tags = out.Tags
	case "role":
		out, err := r.api.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
		if err != nil {
			return "", tagError(err, f.Target)
		}
		tags = out.Tags
	case "policy":
		out, err := r.api.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(f.Target)})
		if err != nil {
			return "", tagError(err, f.Target)
		}
		tags = out.Tags
	default:
		return "", nil
	}
	for _, t := range tags {
		if aws.ToString(t.Key) == r.cfg.ExemptTag && strings.EqualFold(aws.ToString(t.Value), "true") {
			return "target tag " + r.cfg.ExemptTag + "=true", nil
		}
	}
	return "", nil
}

// tagError lets a vanished target through (the rollback will find it gone
// and say so) and fails on anything else.
func tagError(err error, target string) error {
	var nse *types.NoSuchEntityException
	if errors.As(err, &nse) {
		return nil
	}
	return fmt.Errorf("list tags of %s: %w", target, err)
}

// targetKind splits arn:aws:iam::ACCOUNT:user/path/name into ("user", "name").
func targetKind(arn string) (kind, name string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" {
		return "", ""
	}
	resource := parts[5]
	kind, rest, ok := strings.Cut(resource, "/")
	if !ok {
		return kind, ""
	}
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		rest = rest[i+1:]
	}
	return kind, rest
}

// execute runs (or, in dry-run, describes) the plan. Every branch first
// reads the current state, so a repeated delivery, or a change someone made
// since, is never undone blindly.
func (r *Remediator) execute(ctx context.Context, f finding.Finding, dryRun bool) finding.Outcome {
	plan := *f.Remediation
	o := finding.Outcome{Mode: string(finding.ModeRemediate), Plan: &plan}
	if dryRun {
		o.Mode = string(finding.ModeDryRun)
	}
	p := plan.Parameters
	action := strings.TrimPrefix(plan.Action, "iam:")
	var err error
	var state string // non-empty: nothing to do, and why
	switch {
	case action == "UpdateAccessKey":
		state, err = r.checkAccessKey(ctx, p["UserName"], p["AccessKeyId"])
		if err == nil && state == "" && !dryRun {
			_, err = r.api.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(p["UserName"]),
				AccessKeyId: aws.String(p["AccessKeyId"]), Status: types.StatusTypeInactive})
		}
	case strings.HasPrefix(action, "Detach") && strings.HasSuffix(action, "Policy"):
		if !dryRun {
			err = r.detach(ctx, action, p)
		}
	case strings.HasPrefix(action, "Delete") && strings.HasSuffix(action, "Policy"):
		var doc string
		if f.Policy != nil {
			doc = f.Policy.Document
		}
		state, err = r.checkInline(ctx, action, p, doc)
		if err == nil && state == "" && !dryRun {
			err = r.deleteInline(ctx, action, p)
		}
	case action == "SetDefaultPolicyVersion":
		var restore string
		restore, state, err = r.chooseVersion(ctx, f)
		if err == nil && state == "" {
			plan.Step = finding.NewStep("iam:SetDefaultPolicyVersion", "PolicyArn", p["PolicyArn"], "VersionId", restore)
			plan.Deferred = ""
			plan.Description = fmt.Sprintf("set the default version of %s back to %s", p["PolicyArn"], restore)
			if !dryRun {
				_, err = r.api.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(p["PolicyArn"]), VersionId: aws.String(restore)})
			}
		}
	default:
		o.Status, o.Reason = finding.StatusSkipped, "iamguard does not carry out "+plan.Action
		return o
	}
	return finish(o, plan, state, err, dryRun)
}

func finish(o finding.Outcome, plan finding.Remediation, state string, err error, dryRun bool) finding.Outcome {
	var nse *types.NoSuchEntityException
	var ume *types.UnmodifiableEntityException
	switch {
	case errors.Is(err, errNoSafeVersion):
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: "+err.Error()
	case errors.As(err, &ume):
		o.Status, o.Reason = finding.StatusSkipped, "not rolled back: the target is a service-linked role, which IAM does not let anyone change"
	case errors.As(err, &nse):
		o.Status, o.Reason = finding.StatusAlreadyUndone, "nothing to undo: IAM says it no longer exists ("+apiMessage(err)+")"
	case err != nil:
		o.Status, o.Reason, o.Error = finding.StatusFailed, "the rollback failed: "+plan.Description, err.Error()
	case state != "":
		o.Status, o.Reason = finding.StatusAlreadyUndone, state
		if plan.Undo != nil && !dryRun {
			// The state may be iamguard's own doing: an earlier delivery
			// of this event rolled it back and then failed to publish.
			o.Undo = plan.Undo.Command
			o.Reason += "; if iamguard did this on an earlier delivery of the event, the undo command below reverses it"
		}
	case dryRun:
		o.Status, o.Reason = finding.StatusDryRun, "dry-run: would "+plan.Description+" ("+plan.Command+")"
	default:
		o.Status, o.Reason = finding.StatusDone, "rolled back: "+plan.Description
		if plan.Undo != nil {
			o.Undo = plan.Undo.Command
		}
	}
	return o
}

func apiMessage(err error) string {
	var nse *types.NoSuchEntityException
	if errors.As(err, &nse) && nse.Message != nil {
		return *nse.Message
	}
	return "NoSuchEntity"
}

// checkAccessKey finds the key: gone or already inactive means done.
func (r *Remediator) checkAccessKey(ctx context.Context, user, keyID string) (string, error) {
	p := iam.NewListAccessKeysPaginator(r.api, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list access keys of %s: %w", user, err)
		}
		for _, k := range out.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) != keyID {
				continue
			}
			if k.Status == types.StatusTypeInactive {
				return "nothing to undo: access key " + keyID + " is already inactive", nil
			}
			return "", nil
		}
	}
	return "nothing to undo: user " + user + " no longer has access key " + keyID, nil
}

func (r *Remediator) detach(ctx context.Context, action string, p map[string]string) error {
	arn := aws.String(p["PolicyArn"])
	var err error
	switch action {
	case "DetachUserPolicy":
		_, err = r.api.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyArn: arn})
	case "DetachRolePolicy":
		_, err = r.api.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyArn: arn})
	case "DetachGroupPolicy":
		_, err = r.api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyArn: arn})
	default:
		return fmt.Errorf("unknown detach action %s", action)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, p["PolicyArn"], err)
	}
	return nil
}

// checkInline reads the inline policy: gone means done; a document other
// than the one the event wrote means someone changed it since, and iamguard
// does not delete what it did not judge.
func (r *Remediator) checkInline(ctx context.Context, action string, p map[string]string, flagged string) (string, error) {
	name := aws.String(p["PolicyName"])
	var current *string
	var err error
	switch action {
	case "DeleteUserPolicy":
		var out *iam.GetUserPolicyOutput
		if out, err = r.api.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	case "DeleteRolePolicy":
		var out *iam.GetRolePolicyOutput
		if out, err = r.api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	case "DeleteGroupPolicy":
		var out *iam.GetGroupPolicyOutput
		if out, err = r.api.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: name}); err == nil {
			current = out.PolicyDocument
		}
	default:
		return "", fmt.Errorf("unknown delete action %s", action)
	}
	if err != nil {
		var nse *types.NoSuchEntityException
		if errors.As(err, &nse) {
			return "nothing to undo: inline policy " + p["PolicyName"] + " no longer exists", nil
		}
		return "", fmt.Errorf("read inline policy %s: %w", p["PolicyName"], err)
	}
	doc, err := url.QueryUnescape(aws.ToString(current))
	if err != nil {
		doc = aws.ToString(current)
	}
	if flagged != "" && !sameJSON(doc, flagged) {
		return "nothing to undo: inline policy " + p["PolicyName"] + " has changed since the event, so iamguard leaves it alone", nil
	}
	return "", nil
}

func (r *Remediator) deleteInline(ctx context.Context, action string, p map[string]string) error {
	name := aws.String(p["PolicyName"])
	var err error
	switch action {
	case "DeleteUserPolicy":
		_, err = r.api.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(p["UserName"]), PolicyName: name})
	case "DeleteRolePolicy":
		_, err = r.api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(p["RoleName"]), PolicyName: name})
	case "DeleteGroupPolicy":
		_, err = r.api.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String(p["GroupName"]), PolicyName: name})
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, p["PolicyName"], err)
	}
	return nil
}

// chooseVersion picks the version to restore: the plan's, when the stream
// knew the previous default, otherwise the newest version older than the
// flagged one whose document iamguard would not itself roll back.
func (r *Remediator) chooseVersion(ctx context.Context, f finding.Finding) (restore, state string, err error) {
	p := f.Remediation.Parameters
	arn := p["PolicyArn"]
	flagged := ""
	if f.Remediation.Undo != nil {
		flagged = f.Remediation.Undo.Parameters["VersionId"]
	}
	var versions []types.PolicyVersion
	pg := iam.NewListPolicyVersionsPaginator(r.api, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		if err != nil {
			return "", "", fmt.Errorf("list versions of %s: %w", arn, err)
		}
		versions = append(versions, out.Versions...)
	}
	var current *types.PolicyVersion
	for i := range versions {
		if versions[i].IsDefaultVersion {
			current = &versions[i]
		}
	}
	if current == nil {
		return "", "", fmt.Errorf("list versions of %s: IAM reported no default version", arn)
	}
	if flagged != "" && aws.ToString(current.VersionId) != flagged {
		return "", fmt.Sprintf("nothing to undo: the default version of %s is now %s, not the flagged %s", arn, aws.ToString(current.VersionId), flagged), nil
	}
	if v := p["VersionId"]; v != "" {
		for _, pv := range versions {
			if aws.ToString(pv.VersionId) == v {
				return v, "", nil
			}
		}
	}
	// Newest first among every other version, older or newer than the
	// flagged one: the classic escalation sets an old, permissive version
	// as the default, and then the safe version to go back to is newer.
	var candidates []types.PolicyVersion
	for _, pv := range versions {
		if pv.IsDefaultVersion {
			continue
		}
		candidates = append(candidates, pv)
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		a, b := candidates[i].CreateDate, candidates[j].CreateDate
		return a != nil && (b == nil || a.After(*b))
	})
	for _, pv := range candidates {
		id := aws.ToString(pv.VersionId)
		doc, _, err := getVersionDocument(ctx, r.api, arn, id)
		if err != nil {
			return "", "", err
		}
		d, err := policy.Parse(doc)
		if err != nil {
			continue // a version iamguard cannot read is not one it restores
		}
		if policy.Analyze(d).Severity < safeVersionBelow {
			return id, "", nil
		}
	}
	return "", "", fmt.Errorf("policy %s has no other version that grants less than %s access: %w", arn, safeVersionBelow, errNoSafeVersion)
}

// safeVersionBelow: a version restored by a rollback grants at most
// read-style wildcards (low). Restoring anything broader would swap one
// dangerous default for another that iamguard, ignoring its own rollbacks,
// would not judge again.
const safeVersionBelow = severity.Medium

var errNoSafeVersion = errors.New("no safe version to restore; fix the policy or detach it by hand")

// sameJSON compares two policy documents by value, not by spelling.
func sameJSON(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return reflect.DeepEqual(va, vb)
}

// Glob matches an ARN against a pattern where * matches any run of
// characters and ? any one; matching is case-sensitive, as ARNs are.
func Glob(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}
