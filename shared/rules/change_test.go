package rules

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// quotedDoc is a policy document as CloudTrail records it: JSON text in a
// JSON string.
func quotedDoc(statements ...string) string {
	return strconv.Quote(`{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`)
}

// withResponse gives an apiEvent record its responseElements.
func withResponse(ev, response string) string {
	return strings.Replace(ev, `"responseElements":null`, `"responseElements":`+response, 1)
}

// TestChangeOverTheStream: a change to a document in effect is compared with
// the one it replaced, as the stream showed it; a change that grants nothing
// new is info ("no new access"), without a rollback; one that adds lists what
// it adds; one whose before is unknown says so and keeps the document's
// severity.
func TestChangeOverTheStream(t *testing.T) {
	const (
		admin    = `{"Effect":"Allow","Action":"*","Resource":"*"}`
		readS3   = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}`
		passRole = `{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}`
		policy   = "arn:aws:iam::111122223333:policy/ops"
	)
	createPolicy := withResponse(apiEvent("iam", "CreatePolicy", userIdentity, `{"policyName":"ops","policyDocument":`+quotedDoc(admin)+`}`, ""),
		`{"policy":{"arn":"`+policy+`","defaultVersionId":"v1"}}`)
	newVersion := func(v string, statements ...string) string {
		return withResponse(apiEvent("iam", "CreatePolicyVersion", userIdentity, `{"policyArn":"`+policy+`","setAsDefault":true,"policyDocument":`+quotedDoc(statements...)+`}`, ""),
			`{"policyVersion":{"versionId":"`+v+`","isDefaultVersion":true}}`)
	}
	putInline := func(role string, statements ...string) string {
		return apiEvent("iam", "PutRolePolicy", userIdentity, `{"roleName":"`+role+`","policyName":"inline","policyDocument":`+quotedDoc(statements...)+`}`, "")
	}
	createRole := apiEvent("iam", "CreateRole", userIdentity, `{"roleName":"fresh","assumeRolePolicyDocument":`+
		quotedDoc(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`)+`}`, "")
	trust := func(role, principal string, cond string) string {
		st := `{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"` + cond + `}`
		return apiEvent("iam", "UpdateAssumeRolePolicy", userIdentity, `{"roleName":"`+role+`","policyDocument":`+quotedDoc(st)+`}`, "")
	}
	const outsider = "arn:aws:iam::444455556666:root"

	e := NewEngine(Options{Rules: []*Rule{wildcardPolicy, trustPolicy}})
	steps := []struct {
		name     string
		event    string
		want     severity.Severity // severity.None: no finding
		change   *finding.Change   // compared when not nil (Before checked by prefix)
		rollback bool
	}{
		{name: "CreatePolicy (not in effect): no comparison", event: createPolicy, want: severity.Medium},
		{name: "v2 as admin as v1: no new access", event: newVersion("v2", admin), want: severity.Info,
			change: &finding.Change{Known: true, Before: "version v1, the default before this change", NoNewAccess: true}},
		{name: "v3 adds PassRole beside admin: no new access still", event: newVersion("v3", admin, passRole), want: severity.Info,
			change: &finding.Change{Known: true, Before: "version v2", Added: []string{"+ iam:PassRole on *", "+ ec2:RunInstances on *"}, NoNewAccess: true}},
		{name: "v4 narrows to a read: below low, no finding", event: newVersion("v4", readS3), want: severity.None},
		{name: "v5 back to PassRole: what it added, at the document's severity", event: newVersion("v5", passRole), want: severity.High, rollback: true,
			change: &finding.Change{Known: true, Before: "version v4", Added: []string{"+ iam:PassRole on *", "+ ec2:RunInstances on *"},
				Removed: []string{"- s3:GetObject on arn:aws:s3:::reports/*"}}},
		{name: "inline policy unknown before: said so, severity kept", event: putInline("app", admin), want: severity.Critical, rollback: true,
			change: &finding.Change{Before: "the inline policy's previous document is not known"}},
		{name: "the same inline policy again: no new access", event: putInline("app", admin), want: severity.Info,
			change: &finding.Change{Known: true, Before: "the inline policy's previous document", NoNewAccess: true}},
		{name: "a role created in the stream had no inline policy", event: createRole, want: severity.None},
		{name: "its first inline policy adds all it grants", event: putInline("fresh", passRole), want: severity.High, rollback: true,
			change: &finding.Change{Known: true, Before: "no inline policy of that name", Added: []string{"+ iam:PassRole on *", "+ ec2:RunInstances on *"}}},
		{name: "trust opened to an outsider: what it added", event: trust("fresh", outsider, ""), want: severity.High, rollback: true,
			change: &finding.Change{Known: true, Before: "the role's previous trust policy", Added: []string{"+ sts:AssumeRole for AWS:" + outsider},
				Removed: []string{"- sts:AssumeRole for Service:ec2.amazonaws.com"}}},
		{name: "trust narrowed by an ExternalId: no new access", event: trust("fresh", outsider, `,"Condition":{"StringEquals":{"sts:ExternalId":"x1"}}`), want: severity.Info,
			change: &finding.Change{Known: true, Before: "the role's previous trust policy", NoNewAccess: true,
				Added:   []string{`+ sts:AssumeRole for AWS:` + outsider + ` under {"StringEquals":{"sts:ExternalId":["x1"]}}`},
				Removed: []string{"- sts:AssumeRole for AWS:" + outsider}}},
	}
	for _, s := range steps {
		fs := e.Evaluate(t.Context(), record(t, s.event))
		if s.want == severity.None {
			if len(fs) != 0 {
				t.Errorf("%s: findings %+v, want none", s.name, fs)
			}
			continue
		}
		if len(fs) != 1 {
			t.Errorf("%s: %d findings, want 1: %+v", s.name, len(fs), fs)
			continue
		}
		f := fs[0]
		if f.Severity != s.want {
			t.Errorf("%s: severity %v, want %v; reasons %q", s.name, f.Severity, s.want, f.Reasons)
		}
		if (f.Remediation != nil) != s.rollback {
			t.Errorf("%s: remediation %+v, want one: %v (note %q)", s.name, f.Remediation, s.rollback, f.RemediationNote)
		}
		if s.want == severity.Info && (!strings.HasPrefix(f.Reasons[0], "no new access: compared with ") || !strings.Contains(f.Summary, "no new access")) {
			t.Errorf("%s: reasons %q, summary %q; want a first reason and a summary that say no new access", s.name, f.Reasons, f.Summary)
		}
		if s.change == nil {
			if f.Change != nil {
				t.Errorf("%s: change %+v, want none", s.name, f.Change)
			}
			continue
		}
		if f.Change == nil {
			t.Errorf("%s: no change, want %+v", s.name, s.change)
			continue
		}
		got := *f.Change
		if !strings.HasPrefix(got.Before, s.change.Before) {
			t.Errorf("%s: change.Before = %q, want it to start %q", s.name, got.Before, s.change.Before)
		}
		got.Before = s.change.Before
		if diff := cmp.Diff(*s.change, got); diff != "" {
			t.Errorf("%s: change (-want +got):\n%s", s.name, diff)
		}
	}
}

// versionsResolver answers PolicyVersion from a map of version IDs to
// documents, as IAM's GetPolicyVersion does in the Lambda.
type versionsResolver map[string]string

func (m versionsResolver) PolicyVersion(_ context.Context, arn, id string) (PolicyVersion, error) {
	doc, ok := m[id]
	if !ok {
		return PolicyVersion{}, NotFound("no such version in IAM")
	}
	return PolicyVersion{PolicyARN: arn, VersionID: id, Document: doc, Source: "iam"}, nil
}

// TestChangeAgainstAnAssumedVersion: with no earlier event (the Lambda), a new
// default version is compared with the newest older version IAM still has,
// skipping deleted ones; the comparison is shown but, being assumed, never
// lowers the severity.
func TestChangeAgainstAnAssumedVersion(t *testing.T) {
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	ev := withResponse(apiEvent("iam", "CreatePolicyVersion", userIdentity,
		`{"policyArn":"arn:aws:iam::111122223333:policy/ops","setAsDefault":true,"policyDocument":`+strconv.Quote(admin)+`}`, ""),
		`{"policyVersion":{"versionId":"v4","isDefaultVersion":true}}`)
	for _, tc := range []struct {
		name     string
		versions versionsResolver
		want     finding.Change
	}{
		{"v3 deleted, v2 the same admin", versionsResolver{"v2": admin, "v1": `{"Version":"2012-10-17","Statement":[]}`},
			finding.Change{Known: true, Assumed: true, NoNewAccess: true, Before: "version v2, the newest older version (assumed to be the default before: IAM does not record which was)"}},
		{"v3 read-only", versionsResolver{"v3": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`},
			finding.Change{Known: true, Assumed: true, Before: "version v3, the newest older version (assumed to be the default before: IAM does not record which was)",
				Added: []string{"+ * on *"}, Removed: []string{"- s3:GetObject on *"}}},
		{"no older version left", versionsResolver{},
			finding.Change{Before: "the default version before this change is not known: IAM does not record it, and no earlier event seen shows it"}},
	} {
		fs := wildcardPolicy.Evaluate(t.Context(), record(t, ev), tc.versions)
		if len(fs) != 1 || fs[0].Change == nil {
			t.Fatalf("%s: findings %+v, want one with a change", tc.name, fs)
		}
		if fs[0].Severity != severity.Critical || fs[0].Remediation == nil {
			t.Errorf("%s: severity %v, remediation %v; want critical with a rollback whatever the comparison says", tc.name, fs[0].Severity, fs[0].Remediation)
		}
		if diff := cmp.Diff(tc.want, *fs[0].Change); diff != "" {
			t.Errorf("%s: change (-want +got):\n%s", tc.name, diff)
		}
	}
}
