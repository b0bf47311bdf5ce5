package rules

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

func TestTableContract(t *testing.T) {
	var ids []string
	for _, r := range Table() {
		ids = append(ids, r.ID)
		if r.Title == "" || r.Description == "" || r.Family == nil || len(r.Patterns) == 0 || r.evaluate == nil {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
		// The README's rules table is rendered from these (make docs).
		if r.FiresOn == "" || r.Severities == "" || (len(r.Actions) == 0 && r.NoRollback == "") {
			t.Errorf("rule %s lacks FiresOn, Severities or (having no Actions) NoRollback: %+v", r.ID, r)
		}
		for _, s := range []string{r.FiresOn, r.Severities, r.NoRollback} {
			if strings.ContainsAny(s, "|\n") {
				t.Errorf("rule %s: %q would break a markdown table row", r.ID, s)
			}
		}
		for i, p := range r.Patterns {
			if err := p.Validate(); err != nil {
				t.Errorf("rule %s pattern %d: %v", r.ID, i, err)
			}
			for _, path := range p.Paths() {
				if !slices.ContainsFunc(RoutingPaths, func(rp []string) bool { return slices.Equal(rp, path) }) {
					t.Errorf("rule %s pattern %d tests %v, which routing summaries do not carry", r.ID, i, path)
				}
			}
		}
	}
	want := []string{"root-console-login", "root-activity", "access-key-created", "exposed-key", "wildcard-policy", "exempt-tag-changed", "permissions-boundary-removed", "admin-group-membership", "identity-provider", "trail-tampering", "detection-disabled", "org-guardrails", "canary", "guardrail-tampering",
		"console-login-no-mfa", "mfa-removed", "login-profile", "trust-policy", "federation-token", "password-policy"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rule IDs are a contract (-want +got):\n%s", diff)
	}
	var fams []string
	for _, f := range Families() {
		fams = append(fams, f.ID)
	}
	if diff := cmp.Diff([]string{"root-activity", "access-keys", "policy-guard", "audit-guard", "identity-guard"}, fams); diff != "" {
		t.Errorf("Families() (-want +got):\n%s", diff)
	}
	if got := len(RootActivity.Rules()); got != 2 {
		t.Errorf("RootActivity.Rules() has %d rules, want 2", got)
	}
	if _, ok := ByID("no-such-rule"); ok {
		t.Error("ByID(no-such-rule) found a rule")
	}
}

// record builds a CloudTrail record from JSON for the unit tests below.
func record(t *testing.T, js string) *cloudtrail.Record {
	t.Helper()
	rec, err := cloudtrail.DecodeRecord([]byte(js))
	if err != nil {
		t.Fatalf("DecodeRecord(%s): %v", js, err)
	}
	return rec
}

const userIdentity = `"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice","accessKeyId":"AKIAEXAMPLE"}`

func iamEvent(name, params, response string) string {
	return fmt.Sprintf(`{"eventVersion":"1.09",%s,"eventTime":"2026-11-01T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":%q,`+
		`"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15","requestParameters":%s,"responseElements":%s,`+
		`"eventID":"e-%s","eventType":"AwsApiCall","readOnly":false,"recipientAccountId":"111122223333"}`,
		userIdentity, name, params, response, strings.ToLower(name))
}

func TestAccessKeyRemediationPlan(t *testing.T) {
	rec := record(t, iamEvent("CreateAccessKey", `{"userName":"bob"}`,
		`{"accessKey":{"accessKeyId":"AKIANEWKEY","status":"Active","userName":"bob"}}`))
	fs := accessKeyCreated.Evaluate(t.Context(), rec, nil)
	if len(fs) != 1 {
		t.Fatalf("Evaluate = %d findings, want 1", len(fs))
	}
	f := fs[0]
	want := &finding.Remediation{
		Step: finding.Step{Action: "iam:UpdateAccessKey",
			Parameters: map[string]string{"UserName": "bob", "AccessKeyId": "AKIANEWKEY", "Status": "Inactive"},
			Command:    "aws iam update-access-key --user-name bob --access-key-id AKIANEWKEY --status Inactive"},
		Description: f.Remediation.Description,
		Undo: &finding.Step{Action: "iam:UpdateAccessKey",
			Parameters: map[string]string{"UserName": "bob", "AccessKeyId": "AKIANEWKEY", "Status": "Active"},
			Command:    "aws iam update-access-key --user-name bob --access-key-id AKIANEWKEY --status Active"},
	}
	if diff := cmp.Diff(want, f.Remediation); diff != "" {
		t.Errorf("remediation (-want +got):\n%s", diff)
	}
	if f.Severity != severity.Medium || f.Target != "arn:aws:iam::111122223333:user/bob" || f.Actor != "arn:aws:iam::111122223333:user/alice" {
		t.Errorf("finding = %s target %s actor %s, want medium, user/bob, user/alice", f.Severity, f.Target, f.Actor)
	}
	if !strings.Contains(f.Remediation.Description, "not deleted") {
		t.Errorf("description %q should say the key is kept", f.Remediation.Description)
	}
}

func TestAccessKeyWithoutResponseIsUnresolved(t *testing.T) {
	rec := record(t, iamEvent("CreateAccessKey", `{"userName":"bob"}`, `null`))
	fs := accessKeyCreated.Evaluate(t.Context(), rec, nil)
	if len(fs) != 1 || fs[0].Remediation != nil || fs[0].Unresolved == "" || fs[0].RemediationNote == "" {
		t.Fatalf("Evaluate = %+v, want one unresolved finding with no plan and a note", fs)
	}
}

func TestFailedCallsNeverFire(t *testing.T) {
	// Every event a rule watches, failed; the params name a target, so that
	// only the errorCode stands between the call and a finding.
	params := `{"userName":"bob","roleName":"r","groupName":"admins","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess","serialNumber":"arn:aws:iam::111122223333:mfa/bob",` +
		`"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",` +
		`"permissionsBoundary":"arn:aws:iam::aws:policy/AdministratorAccess","name":"x"}`
	for _, name := range []string{"CreateAccessKey", "AttachUserPolicy", "PutUserPolicy", "CreatePolicyVersion", "DeactivateMFADevice", "DeleteVirtualMFADevice",
		"CreateLoginProfile", "UpdateLoginProfile", "UpdateAssumeRolePolicy", "DeleteRolePermissionsBoundary", "PutRolePermissionsBoundary", "AddUserToGroup",
		"CreateSAMLProvider", "DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy"} {
		js := strings.Replace(iamEvent(name, params, `null`), `"eventType"`, `"errorCode":"AccessDenied","errorMessage":"no","eventType"`, 1)
		rec := record(t, js)
		for _, r := range Table() {
			if fs := r.Evaluate(t.Context(), rec, nil); len(fs) != 0 {
				t.Errorf("rule %s fired on failed %s: %+v", r.ID, name, fs)
			}
		}
		if fs := NewEngine(Options{}).Evaluate(t.Context(), rec); len(fs) != 0 {
			t.Errorf("engine fired on failed %s", name)
		}
	}
}

func TestPolicyRemediationPlans(t *testing.T) {
	admin := `{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}`
	tests := []struct {
		name, event, params, response string
		wantSeverity                  severity.Severity
		wantAction                    string
		wantParams                    map[string]string
		wantUndo                      string // undo action
		wantNote                      bool   // no plan, a note instead
	}{
		{name: "attach to role", event: "AttachRolePolicy",
			params:       `{"roleName":"app","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`,
			wantSeverity: severity.Critical, wantAction: "iam:DetachRolePolicy",
			wantParams: map[string]string{"RoleName": "app", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
			wantUndo:   "iam:AttachRolePolicy"},
		{name: "attach IAMFullAccess to group", event: "AttachGroupPolicy",
			params:       `{"groupName":"devs","policyArn":"arn:aws:iam::aws:policy/IAMFullAccess"}`,
			wantSeverity: severity.High, wantAction: "iam:DetachGroupPolicy",
			wantParams: map[string]string{"GroupName": "devs", "PolicyArn": "arn:aws:iam::aws:policy/IAMFullAccess"},
			wantUndo:   "iam:AttachGroupPolicy"},
		{name: "inline on user", event: "PutUserPolicy",
			params:       `{"userName":"bob","policyName":"all","policyDocument":"` + admin + `"}`,
			wantSeverity: severity.Critical, wantAction: "iam:DeleteUserPolicy",
			wantParams: map[string]string{"UserName": "bob", "PolicyName": "all"},
			wantUndo:   "iam:PutUserPolicy"},
		{name: "create policy is not in effect", event: "CreatePolicy",
			params:       `{"policyName":"p","policyDocument":"` + admin + `"}`,
			response:     `{"policy":{"arn":"arn:aws:iam::111122223333:policy/p","defaultVersionId":"v1"}}`,
			wantSeverity: severity.Medium, wantNote: true},
		{name: "new default version, previous unknown", event: "CreatePolicyVersion",
			params:       `{"policyArn":"arn:aws:iam::111122223333:policy/p","policyDocument":"` + admin + `","setAsDefault":true}`,
			response:     `{"policyVersion":{"versionId":"v4","isDefaultVersion":true}}`,
			wantSeverity: severity.Critical, wantAction: "iam:SetDefaultPolicyVersion",
			wantParams: map[string]string{"PolicyArn": "arn:aws:iam::111122223333:policy/p"},
			wantUndo:   "iam:SetDefaultPolicyVersion"},
		{name: "new version as a string boolean", event: "CreatePolicyVersion",
			params:       `{"policyArn":"arn:aws:iam::111122223333:policy/p","policyDocument":"` + admin + `","setAsDefault":"false"}`,
			response:     `{"policyVersion":{"versionId":"v4","isDefaultVersion":false}}`,
			wantSeverity: severity.Medium, wantNote: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.response == "" {
				tc.response = "null"
			}
			rec := record(t, iamEvent(tc.event, tc.params, tc.response))
			fs := wildcardPolicy.Evaluate(t.Context(), rec, nil)
			if len(fs) != 1 {
				t.Fatalf("Evaluate = %d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.Severity != tc.wantSeverity {
				t.Errorf("severity = %s, want %s (reasons %q, unresolved %q)", f.Severity, tc.wantSeverity, f.Reasons, f.Unresolved)
			}
			if tc.wantNote {
				if f.Remediation != nil || f.RemediationNote == "" {
					t.Errorf("remediation = %+v, note %q; want none, with a note", f.Remediation, f.RemediationNote)
				}
				return
			}
			if f.Remediation == nil {
				t.Fatalf("no remediation; note %q", f.RemediationNote)
			}
			if f.Remediation.Action != tc.wantAction {
				t.Errorf("action = %s, want %s", f.Remediation.Action, tc.wantAction)
			}
			if diff := cmp.Diff(tc.wantParams, f.Remediation.Parameters); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
			if f.Remediation.Undo == nil || f.Remediation.Undo.Action != tc.wantUndo {
				t.Errorf("undo = %+v, want %s", f.Remediation.Undo, tc.wantUndo)
			}
		})
	}
}

func TestInlineUndoRestoresTheDocument(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`
	rec := record(t, iamEvent("PutRolePolicy", fmt.Sprintf(`{"roleName":"app","policyName":"it's-mine","policyDocument":%q}`, doc), "null"))
	fs := wildcardPolicy.Evaluate(t.Context(), rec, nil)
	if len(fs) != 1 || fs[0].Remediation == nil || fs[0].Remediation.Undo == nil {
		t.Fatalf("Evaluate = %+v, want a plan with an undo", fs)
	}
	undo := fs[0].Remediation.Undo
	if undo.Parameters["PolicyDocument"] != doc || fs[0].Policy.Document != doc {
		t.Errorf("undo document = %q, policy document %q, want %q", undo.Parameters["PolicyDocument"], fs[0].Policy.Document, doc)
	}
	wantCmd := `aws iam put-role-policy --role-name app --policy-name 'it'\''s-mine' --policy-document '` + doc + `'`
	if undo.Command != wantCmd {
		t.Errorf("undo command = %s\nwant %s", undo.Command, wantCmd)
	}
}

// TestStreamHistory shows the offline command's memory: a customer policy
// created earlier in the stream is judged when it is attached, and a rollback
// of a new default version names the default the stream saw before it.
func TestStreamHistory(t *testing.T) {
	arn := "arn:aws:iam::111122223333:policy/ops"
	safe := `{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}`
	admin := `{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}`
	e := NewEngine(Options{})
	ctx := t.Context()
	steps := []struct {
		event, params, response string
		want                    string // severity of the wildcard-policy finding, "" for none
	}{
		{"CreatePolicy", `{"policyName":"ops","policyDocument":"` + safe + `"}`, `{"policy":{"arn":"` + arn + `","defaultVersionId":"v1"}}`, ""},
		{"AttachRolePolicy", `{"roleName":"app","policyArn":"` + arn + `"}`, `null`, ""},
		{"CreatePolicyVersion", `{"policyArn":"` + arn + `","policyDocument":"` + admin + `","setAsDefault":false}`, `{"policyVersion":{"versionId":"v2","isDefaultVersion":false}}`, "medium"},
		{"SetDefaultPolicyVersion", `{"policyArn":"` + arn + `","versionId":"v2"}`, `null`, "critical"},
		{"AttachUserPolicy", `{"userName":"bob","policyArn":"` + arn + `"}`, `null`, "critical"},
		{"SetDefaultPolicyVersion", `{"policyArn":"` + arn + `","versionId":"v1"}`, `null`, ""},
		{"AttachGroupPolicy", `{"groupName":"g","policyArn":"` + arn + `"}`, `null`, ""},
	}
	for i, s := range steps {
		fs := e.Evaluate(ctx, record(t, iamEvent(s.event, s.params, s.response)))
		got := ""
		if len(fs) == 1 {
			got = fs[0].Severity.String()
			if fs[0].Unresolved != "" {
				t.Errorf("step %d %s: unresolved %q, want the stream to resolve it", i, s.event, fs[0].Unresolved)
			}
		} else if len(fs) > 1 {
			t.Fatalf("step %d %s: %d findings", i, s.event, len(fs))
		}
		if got != s.want {
			t.Fatalf("step %d %s: severity %q, want %q", i, s.event, got, s.want)
		}
		if s.event == "SetDefaultPolicyVersion" && got == "critical" {
			r := fs[0].Remediation
			if r == nil || r.Parameters["VersionId"] != "v1" || r.Deferred != "" || r.Undo.Parameters["VersionId"] != "v2" {
				t.Errorf("rollback of v2 = %+v, want SetDefaultPolicyVersion back to v1 with undo to v2", r)
			}
		}
	}
}

type failingResolver struct{ err error }

func (f failingResolver) PolicyVersion(context.Context, string, string) (PolicyVersion, error) {
	return PolicyVersion{}, f.err
}

func TestUnresolvedIsReportedNotDropped(t *testing.T) {
	rec := record(t, iamEvent("AttachUserPolicy", `{"userName":"bob","policyArn":"arn:aws:iam::111122223333:policy/unknown"}`, "null"))
	for _, tc := range []struct {
		name     string
		resolver Resolver
		want     string
	}{
		{"not found", nil, "was not found"},
		{"lookup fails", failingResolver{errors.New("iam: Throttling: Rate exceeded")}, "Throttling"},
	} {
		fs := NewEngine(Options{Resolver: tc.resolver}).Evaluate(t.Context(), rec)
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings, want 1", tc.name, len(fs))
		}
		f := fs[0]
		if f.Severity != severity.Medium || !strings.Contains(f.Unresolved, tc.want) || f.Remediation == nil {
			t.Errorf("%s: severity %s unresolved %q remediation %v; want medium, %q, and a detach plan", tc.name, f.Severity, f.Unresolved, f.Remediation, tc.want)
		}
	}
}

func TestOmittedParametersAreUnresolved(t *testing.T) {
	rec := record(t, iamEvent("PutUserPolicy", `{"omitted":true,"originalSize":133245}`, "null"))
	fs := wildcardPolicy.Evaluate(t.Context(), rec, nil)
	if len(fs) != 1 || fs[0].Unresolved == "" || !strings.Contains(fs[0].Unresolved, "omitted") {
		t.Fatalf("Evaluate = %+v, want one finding saying the parameters were omitted", fs)
	}
}

func TestRootActivitySeverities(t *testing.T) {
	root := `"userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","principalId":"111122223333","accessKeyId":"ASIAEXAMPLE"}`
	ev := func(source, name, extra string) *cloudtrail.Record {
		id, eventType := root, "AwsApiCall"
		switch extra {
		case "service-event":
			eventType, extra = "AwsServiceEvent", ""
		case "invoked-by":
			id, extra = strings.Replace(root, `"type":"Root"`, `"type":"Root","invokedBy":"cloudtrail.amazonaws.com"`, 1), ""
		case "console":
			// Older records mark root's own console calls this way.
			id, extra = strings.Replace(root, `"type":"Root"`, `"type":"Root","invokedBy":"signin.amazonaws.com"`, 1), ""
		}
		return record(t, fmt.Sprintf(`{%s,"eventSource":%q,"eventName":%q,"eventType":%q,"eventTime":"2026-11-01T10:00:00Z","recipientAccountId":"111122223333"%s}`, id, source, name, eventType, extra))
	}
	tests := []struct {
		rec  *cloudtrail.Record
		want string
	}{
		{ev("iam.amazonaws.com", "CreateAccessKey", ""), "critical"},
		{ev("iam.amazonaws.com", "AttachUserPolicy", ""), "critical"},
		{ev("kms.amazonaws.com", "PutKeyPolicy", ""), "critical"},
		{ev("s3.amazonaws.com", "PutBucketPolicy", ""), "critical"},
		{ev("iam.amazonaws.com", "ListUsers", ""), "high"},
		{ev("ec2.amazonaws.com", "RunInstances", ""), "high"},
		{ev("s3.amazonaws.com", "ListBuckets", "service-event"), ""},
		{ev("s3.amazonaws.com", "ListBuckets", "invoked-by"), ""},
		{ev("s3.amazonaws.com", "ListBuckets", "console"), "high"},
		{ev("iam.amazonaws.com", "EnableMFADevice", "console"), "critical"},
		{ev("ec2.amazonaws.com", "RunInstances", `,"errorCode":"Client.UnauthorizedOperation"`), ""},
	}
	for i, tc := range tests {
		fs := rootActivity.Evaluate(t.Context(), tc.rec, nil)
		got := ""
		if len(fs) > 0 {
			got = fs[0].Severity.String()
			if fs[0].Remediation != nil || !strings.Contains(fs[0].RemediationNote, "root") {
				t.Errorf("case %d: root finding must carry no plan and say what to do: %+v", i, fs[0])
			}
		}
		if got != tc.want {
			t.Errorf("case %d %s: severity %q, want %q", i, tc.rec.EventName, got, tc.want)
		}
	}
}

// TestPolicyDocumentAsObject: an exporter that decoded policyDocument into an
// object must not hide the document from the rule.
func TestPolicyDocumentAsObject(t *testing.T) {
	rec := record(t, iamEvent("PutRolePolicy", `{"roleName":"app","policyName":"p","policyDocument":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}`, "null"))
	fs := wildcardPolicy.Evaluate(t.Context(), rec, nil)
	if len(fs) != 1 || fs[0].Severity != severity.Critical || fs[0].Unresolved != "" {
		t.Fatalf("Evaluate = %+v, want one critical finding", fs)
	}
}
