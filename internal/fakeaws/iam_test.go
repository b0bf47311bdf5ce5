package fakeaws_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

const (
	customerARN = "arn:aws:iam::123456789012:policy/team/deploy"
	adminARN    = "arn:aws:iam::aws:policy/AdministratorAccess"
	readOnlyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	// tricky has spaces, a plus, a percent sign, a newline, XML
	// metacharacters and non-ASCII text: all must survive URL-encoding.
	tricky = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"a+b 100% <ok> & 'é'\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}"
	v1Doc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	v2Doc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// newIAM starts a server with a standard cast and returns it with a real
// IAM client pointed at it.
func newIAM(t *testing.T) (*fakeaws.Server, *iam.Client) {
	t.Helper()
	s := fakeaws.New()
	s.Start(t)
	s.AddUser("alice", map[string]string{"team": "dev", "iamguard:exempt": "false"})
	s.AddUser("bob", nil)
	s.AddAccessKey("alice", "AKIAALICE1", "Active")
	s.AddAccessKey("alice", "AKIAALICE2", "Inactive")
	s.AddAccessKey("bob", "AKIABOB1", "")
	s.AddRole("app", map[string]string{"env": "prod"}, false)
	s.AddRole("AWSServiceRoleForSupport", nil, true)
	s.AddGroup("admins")
	s.AddManagedPolicy(customerARN,
		fakeaws.PolicyVersion{VersionID: "v1", Document: v1Doc, Default: true},
		fakeaws.PolicyVersion{VersionID: "v2", Document: v2Doc})
	s.TagPolicy(customerARN, map[string]string{"owner": "platform"})
	s.AttachPolicy(fakeaws.KindUser, "alice", adminARN)
	s.AttachPolicy(fakeaws.KindRole, "app", customerARN)
	s.AttachPolicy(fakeaws.KindRole, "AWSServiceRoleForSupport", "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy")
	s.AttachPolicy(fakeaws.KindGroup, "admins", adminARN)
	s.PutInlinePolicy(fakeaws.KindUser, "alice", "escalate", tricky)
	s.PutInlinePolicy(fakeaws.KindRole, "app", "inline", v1Doc)
	s.PutInlinePolicy(fakeaws.KindGroup, "admins", "inline", v2Doc)
	cfg, err := s.AWSConfig(t.Context())
	if err != nil {
		t.Fatalf("AWSConfig: %v", err)
	}
	return s, iam.NewFromConfig(cfg)
}

func unescape(t *testing.T, doc *string) string {
	t.Helper()
	got, err := url.QueryUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatalf("url.QueryUnescape(%q): %v", aws.ToString(doc), err)
	}
	return got
}

func date(t *time.Time) string { return aws.ToTime(t).UTC().Format(time.RFC3339) }

// TestIAMReads checks that every read action round-trips through the real
// client, documents included.
func TestIAMReads(t *testing.T) {
	_, c := newIAM(t)
	ctx := t.Context()
	tests := []struct {
		name string
		call func(ctx context.Context, t *testing.T) any
		want any
	}{
		{"ListAccessKeys", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, k := range out.AccessKeyMetadata {
				got = append(got, aws.ToString(k.UserName)+"/"+aws.ToString(k.AccessKeyId)+"/"+string(k.Status)+"/"+date(k.CreateDate))
			}
			return []any{got, out.IsTruncated}
		}, []any{[]string{"alice/AKIAALICE1/Active/2024-01-01T00:00:00Z", "alice/AKIAALICE2/Inactive/2024-01-01T00:00:00Z"}, false}},
		{"ListAccessKeys other user", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("bob")})
			if err != nil {
				t.Fatal(err)
			}
			return len(out.AccessKeyMetadata)
		}, 1},
		{"GetUserPolicy", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("escalate")})
			if err != nil {
				t.Fatal(err)
			}
			return []string{aws.ToString(out.UserName), aws.ToString(out.PolicyName), unescape(t, out.PolicyDocument)}
		}, []string{"alice", "escalate", tricky}},
		{"GetRolePolicy", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline")})
			if err != nil {
				t.Fatal(err)
			}
			return []string{aws.ToString(out.RoleName), aws.ToString(out.PolicyName), unescape(t, out.PolicyDocument)}
		}, []string{"app", "inline", v1Doc}},
		{"GetGroupPolicy", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("inline")})
			if err != nil {
				t.Fatal(err)
			}
			return []string{aws.ToString(out.GroupName), aws.ToString(out.PolicyName), unescape(t, out.PolicyDocument)}
		}, []string{"admins", "inline", v2Doc}},
		{"GetPolicy", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(customerARN)})
			if err != nil {
				t.Fatal(err)
			}
			p := out.Policy
			return []any{aws.ToString(p.PolicyName), aws.ToString(p.Path), aws.ToString(p.Arn), aws.ToString(p.DefaultVersionId),
				aws.ToInt32(p.AttachmentCount), p.IsAttachable, len(p.Tags), aws.ToString(p.PolicyId) != ""}
		}, []any{"deploy", "/team/", customerARN, "v1", int32(1), true, 1, true}},
		{"GetPolicyVersion", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v2")})
			if err != nil {
				t.Fatal(err)
			}
			v := out.PolicyVersion
			return []any{aws.ToString(v.VersionId), v.IsDefaultVersion, date(v.CreateDate), unescape(t, v.Document)}
		}, []any{"v2", false, "2024-01-01T01:00:00Z", v2Doc}},
		{"ListPolicyVersions", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(customerARN)})
			if err != nil {
				t.Fatal(err)
			}
			var got []any
			for _, v := range out.Versions {
				got = append(got, aws.ToString(v.VersionId), v.IsDefaultVersion, date(v.CreateDate), v.Document == nil)
			}
			return append(got, out.IsTruncated)
		}, []any{"v2", false, "2024-01-01T01:00:00Z", true, "v1", true, "2024-01-01T00:00:00Z", true, false}},
		{"ListUserTags", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			return tagMap(out.Tags)
		}, map[string]string{"team": "dev", "iamguard:exempt": "false"}},
		{"ListUserTags none", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("bob")})
			if err != nil {
				t.Fatal(err)
			}
			return len(out.Tags)
		}, 0},
		{"ListRoleTags", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("app")})
			if err != nil {
				t.Fatal(err)
			}
			return tagMap(out.Tags)
		}, map[string]string{"env": "prod"}},
		{"ListPolicyTags", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(customerARN)})
			if err != nil {
				t.Fatal(err)
			}
			return tagMap(out.Tags)
		}, map[string]string{"owner": "platform"}},
		{"GetUser", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			u := out.User
			return []any{aws.ToString(u.UserName), aws.ToString(u.Arn), aws.ToString(u.Path), len(aws.ToString(u.UserId)), date(u.CreateDate), tagMap(u.Tags)}
		}, []any{"alice", "arn:aws:iam::123456789012:user/alice", "/", 21, "2024-01-01T00:00:00Z", map[string]string{"team": "dev", "iamguard:exempt": "false"}}},
		{"GetRole", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
			if err != nil {
				t.Fatal(err)
			}
			r := out.Role
			return []any{aws.ToString(r.RoleName), aws.ToString(r.Arn), aws.ToString(r.Path), aws.ToInt32(r.MaxSessionDuration), tagMap(r.Tags),
				unescape(t, r.AssumeRolePolicyDocument)}
		}, []any{"app", "arn:aws:iam::123456789012:role/app", "/", int32(3600), map[string]string{"env": "prod"},
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}},
		{"GetRole service-linked", func(ctx context.Context, t *testing.T) any {
			out, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForSupport")})
			if err != nil {
				t.Fatal(err)
			}
			return []string{aws.ToString(out.Role.Path), aws.ToString(out.Role.Arn)}
		}, []string{"/aws-service-role/", "arn:aws:iam::123456789012:role/aws-service-role/AWSServiceRoleForSupport"}},
		{"ListAttachedUserPolicies", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range out.AttachedPolicies {
				got = append(got, aws.ToString(p.PolicyName), aws.ToString(p.PolicyArn))
			}
			return got
		}, []string{"AdministratorAccess", adminARN}},
		{"ListRolePolicies", func(ctx context.Context, t *testing.T) any {
			out, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")})
			if err != nil {
				t.Fatal(err)
			}
			return out.PolicyNames
		}, []string{"inline"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.call(ctx, t)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: got %v, want %v (-want +got):\n%s", tc.name, got, tc.want, diff)
			}
		})
	}
}

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// TestIAMWrites checks that every write action changes the state as IAM
// would, and records exactly the parameters sent.
func TestIAMWrites(t *testing.T) {
	tests := []struct {
		name       string
		call       func(ctx context.Context, c *iam.Client) error
		wantParams map[string]string
		check      func(t *testing.T, s *fakeaws.Server)
	}{
		{"UpdateAccessKey",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIAALICE1"), Status: types.StatusTypeInactive})
				return err
			},
			map[string]string{"UserName": "alice", "AccessKeyId": "AKIAALICE1", "Status": "Inactive"},
			func(t *testing.T, s *fakeaws.Server) {
				if got, ok := s.AccessKeyStatus("alice", "AKIAALICE1"); got != "Inactive" || !ok {
					t.Errorf("AccessKeyStatus(alice, AKIAALICE1) = %q, %v, want Inactive, true", got, ok)
				}
				if got, _ := s.AccessKeyStatus("alice", "AKIAALICE2"); got != "Inactive" {
					t.Errorf("AccessKeyStatus(alice, AKIAALICE2) = %q, want Inactive (untouched)", got)
				}
			}},
		{"DetachUserPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(adminARN)})
				return err
			},
			map[string]string{"UserName": "alice", "PolicyArn": adminARN},
			func(t *testing.T, s *fakeaws.Server) { wantAttached(t, s, fakeaws.KindUser, "alice") }},
		{"DetachRolePolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(customerARN)})
				return err
			},
			map[string]string{"RoleName": "app", "PolicyArn": customerARN},
			func(t *testing.T, s *fakeaws.Server) { wantAttached(t, s, fakeaws.KindRole, "app") }},
		{"DetachGroupPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: aws.String(adminARN)})
				return err
			},
			map[string]string{"GroupName": "admins", "PolicyArn": adminARN},
			func(t *testing.T, s *fakeaws.Server) { wantAttached(t, s, fakeaws.KindGroup, "admins") }},
		{"AttachUserPolicy AWS managed, unseeded",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(readOnlyARN)})
				return err
			},
			map[string]string{"UserName": "alice", "PolicyArn": readOnlyARN},
			func(t *testing.T, s *fakeaws.Server) {
				wantAttached(t, s, fakeaws.KindUser, "alice", adminARN, readOnlyARN)
			}},
		{"AttachUserPolicy again is a no-op",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(adminARN)})
				return err
			},
			map[string]string{"UserName": "alice", "PolicyArn": adminARN},
			func(t *testing.T, s *fakeaws.Server) { wantAttached(t, s, fakeaws.KindUser, "alice", adminARN) }},
		{"AttachRolePolicy customer managed",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSDenyAll")})
				return err
			},
			map[string]string{"RoleName": "app", "PolicyArn": "arn:aws:iam::aws:policy/AWSDenyAll"},
			func(t *testing.T, s *fakeaws.Server) {
				wantAttached(t, s, fakeaws.KindRole, "app", customerARN, "arn:aws:iam::aws:policy/AWSDenyAll")
			}},
		{"AttachGroupPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: aws.String(customerARN)})
				return err
			},
			map[string]string{"GroupName": "admins", "PolicyArn": customerARN},
			func(t *testing.T, s *fakeaws.Server) {
				wantAttached(t, s, fakeaws.KindGroup, "admins", adminARN, customerARN)
			}},
		{"PutUserPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("deny"), PolicyDocument: aws.String(tricky)})
				return err
			},
			map[string]string{"UserName": "bob", "PolicyName": "deny", "PolicyDocument": tricky},
			func(t *testing.T, s *fakeaws.Server) { wantInline(t, s, fakeaws.KindUser, "bob", "deny", tricky) }},
		{"PutRolePolicy replaces",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(v2Doc)})
				return err
			},
			map[string]string{"RoleName": "app", "PolicyName": "inline", "PolicyDocument": v2Doc},
			func(t *testing.T, s *fakeaws.Server) { wantInline(t, s, fakeaws.KindRole, "app", "inline", v2Doc) }},
		{"PutGroupPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("more"), PolicyDocument: aws.String(v1Doc)})
				return err
			},
			map[string]string{"GroupName": "admins", "PolicyName": "more", "PolicyDocument": v1Doc},
			func(t *testing.T, s *fakeaws.Server) { wantInline(t, s, fakeaws.KindGroup, "admins", "more", v1Doc) }},
		{"DeleteUserPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("escalate")})
				return err
			},
			map[string]string{"UserName": "alice", "PolicyName": "escalate"},
			func(t *testing.T, s *fakeaws.Server) { wantNoInline(t, s, fakeaws.KindUser, "alice", "escalate") }},
		{"DeleteRolePolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline")})
				return err
			},
			map[string]string{"RoleName": "app", "PolicyName": "inline"},
			func(t *testing.T, s *fakeaws.Server) { wantNoInline(t, s, fakeaws.KindRole, "app", "inline") }},
		{"DeleteGroupPolicy",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("inline")})
				return err
			},
			map[string]string{"GroupName": "admins", "PolicyName": "inline"},
			func(t *testing.T, s *fakeaws.Server) { wantNoInline(t, s, fakeaws.KindGroup, "admins", "inline") }},
		{"SetDefaultPolicyVersion",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v2")})
				return err
			},
			map[string]string{"PolicyArn": customerARN, "VersionId": "v2"},
			func(t *testing.T, s *fakeaws.Server) {
				if got, ok := s.DefaultVersion(customerARN); got != "v2" || !ok {
					t.Errorf("DefaultVersion(%s) = %q, %v, want v2, true", customerARN, got, ok)
				}
			}},
		{"CreatePolicyVersion as default",
			func(ctx context.Context, c *iam.Client) error {
				out, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(customerARN), PolicyDocument: aws.String(tricky), SetAsDefault: true})
				if err == nil && (aws.ToString(out.PolicyVersion.VersionId) != "v3" || !out.PolicyVersion.IsDefaultVersion) {
					err = errors.New("CreatePolicyVersion answered " + aws.ToString(out.PolicyVersion.VersionId) + ", want default v3")
				}
				return err
			},
			map[string]string{"PolicyArn": customerARN, "PolicyDocument": tricky, "SetAsDefault": "true"},
			func(t *testing.T, s *fakeaws.Server) {
				if got, _ := s.DefaultVersion(customerARN); got != "v3" {
					t.Errorf("DefaultVersion(%s) = %q, want v3", customerARN, got)
				}
			}},
		{"DeletePolicyVersion non-default",
			func(ctx context.Context, c *iam.Client) error {
				_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v2")})
				return err
			},
			map[string]string{"PolicyArn": customerARN, "VersionId": "v2"},
			func(t *testing.T, s *fakeaws.Server) {
				var got []string
				for _, v := range s.PolicyVersions(customerARN) {
					got = append(got, v.VersionID)
				}
				if diff := cmp.Diff([]string{"v1"}, got); diff != "" {
					t.Errorf("PolicyVersions(%s) = %v, want [v1]", customerARN, got)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newIAM(t)
			if err := tc.call(t.Context(), c); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			calls := s.Calls()
			if len(calls) != 1 {
				t.Fatalf("Calls() = %+v, want exactly one", calls)
			}
			if calls[0].Service != fakeaws.ServiceIAM || calls[0].Error != "" {
				t.Errorf("call = %+v, want service iam and no error", calls[0])
			}
			if diff := cmp.Diff(tc.wantParams, calls[0].Params); diff != "" {
				t.Errorf("%s params = %v, want %v (-want +got):\n%s", calls[0].Action, calls[0].Params, tc.wantParams, diff)
			}
			tc.check(t, s)
		})
	}
}

func wantAttached(t *testing.T, s *fakeaws.Server, kind, name string, want ...string) {
	t.Helper()
	got := s.Attached(kind, name)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Attached(%s, %s) = %v, want %v", kind, name, got, want)
	}
}

func wantInline(t *testing.T, s *fakeaws.Server, kind, principal, name, want string) {
	t.Helper()
	if got, ok := s.InlinePolicy(kind, principal, name); got != want || !ok {
		t.Errorf("InlinePolicy(%s, %s, %s) = %q, %v, want %q, true", kind, principal, name, got, ok, want)
	}
}

func wantNoInline(t *testing.T, s *fakeaws.Server, kind, principal, name string) {
	t.Helper()
	if got, ok := s.InlinePolicy(kind, principal, name); ok {
		t.Errorf("InlinePolicy(%s, %s, %s) = %q, true, want it deleted", kind, principal, name, got)
	}
}

// TestIAMErrors checks that each failure arrives as the SDK's modelled
// error type, with the code IAM uses, and changes nothing.
func TestIAMErrors(t *testing.T) {
	var (
		nse *types.NoSuchEntityException
		ume *types.UnmodifiableEntityException
		dce *types.DeleteConflictException
		lee *types.LimitExceededException
		iie *types.InvalidInputException
		mpd *types.MalformedPolicyDocumentException
	)
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *iam.Client) error
		target   any // pointer to the modelled error type, or nil for a generic API error
		wantCode string
	}{
		{"UpdateAccessKey unknown key", func(ctx context.Context, c *iam.Client) error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIANOPE"), Status: types.StatusTypeInactive})
			return err
		}, &nse, "NoSuchEntity"},
		{"UpdateAccessKey key of another user", func(ctx context.Context, c *iam.Client) error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIABOB1"), Status: types.StatusTypeInactive})
			return err
		}, &nse, "NoSuchEntity"},
		{"UpdateAccessKey unknown user", func(ctx context.Context, c *iam.Client) error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("carol"), AccessKeyId: aws.String("AKIAALICE1"), Status: types.StatusTypeInactive})
			return err
		}, &nse, "NoSuchEntity"},
		{"UpdateAccessKey without UserName (role credentials)", func(ctx context.Context, c *iam.Client) error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String("AKIAALICE1"), Status: types.StatusTypeInactive})
			return err
		}, nil, "ValidationError"},
		{"UpdateAccessKey bad status", func(ctx context.Context, c *iam.Client) error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIAALICE1"), Status: "Off"})
			return err
		}, nil, "ValidationError"},
		{"ListAccessKeys unknown user", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("carol")})
			return err
		}, &nse, "NoSuchEntity"},
		{"DetachUserPolicy not attached", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(adminARN)})
			return err
		}, &nse, "NoSuchEntity"},
		{"DetachRolePolicy unknown role", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("ghost"), PolicyArn: aws.String(adminARN)})
			return err
		}, &nse, "NoSuchEntity"},
		{"DetachRolePolicy service-linked", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSupport"),
				PolicyArn: aws.String("arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy")})
			return err
		}, &ume, "UnmodifiableEntity"},
		{"DetachGroupPolicy unknown group", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("ghosts"), PolicyArn: aws.String(adminARN)})
			return err
		}, &nse, "NoSuchEntity"},
		{"DetachUserPolicy malformed ARN", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("AdministratorAccess")})
			return err
		}, &iie, "InvalidInput"},
		{"AttachRolePolicy service-linked", func(ctx context.Context, c *iam.Client) error {
			_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSupport"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSDenyAll")})
			return err
		}, &ume, "UnmodifiableEntity"},
		{"AttachUserPolicy unknown customer policy", func(ctx context.Context, c *iam.Client) error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"PutRolePolicy service-linked", func(ctx context.Context, c *iam.Client) error {
			_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSupport"), PolicyName: aws.String("AWSRevokeOlderSessions"), PolicyDocument: aws.String(v1Doc)})
			return err
		}, &ume, "UnmodifiableEntity"},
		{"PutUserPolicy malformed", func(ctx context.Context, c *iam.Client) error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("x"), PolicyDocument: aws.String("{not json")})
			return err
		}, &mpd, "MalformedPolicyDocument"},
		{"PutUserPolicy over 2048 characters", func(ctx context.Context, c *iam.Client) error {
			big := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 2048) + `","Effect":"Deny","Action":"*","Resource":"*"}]}`
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("x"), PolicyDocument: aws.String(big)})
			return err
		}, &lee, "LimitExceeded"},
		{"DeleteRolePolicy service-linked", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSupport"), PolicyName: aws.String("x")})
			return err
		}, &ume, "UnmodifiableEntity"},
		{"DeleteUserPolicy unknown policy", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"DeleteGroupPolicy unknown group", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("ghosts"), PolicyName: aws.String("inline")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetUserPolicy unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetRolePolicy unknown role", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("ghost"), PolicyName: aws.String("inline")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetGroupPolicy unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetPolicy unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetPolicyVersion unknown version", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v9")})
			return err
		}, &nse, "NoSuchEntity"},
		{"ListPolicyVersions unknown policy", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"SetDefaultPolicyVersion unknown version", func(ctx context.Context, c *iam.Client) error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v9")})
			return err
		}, &nse, "NoSuchEntity"},
		{"DeletePolicyVersion default", func(ctx context.Context, c *iam.Client) error {
			_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(customerARN), VersionId: aws.String("v1")})
			return err
		}, &dce, "DeleteConflict"},
		{"ListUserTags unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("carol")})
			return err
		}, &nse, "NoSuchEntity"},
		{"ListRoleTags unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("ghost")})
			return err
		}, &nse, "NoSuchEntity"},
		{"ListPolicyTags unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetUser unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("carol")})
			return err
		}, &nse, "NoSuchEntity"},
		{"GetUser without UserName (role credentials)", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetUser(ctx, &iam.GetUserInput{})
			return err
		}, nil, "ValidationError"},
		{"GetRole unknown", func(ctx context.Context, c *iam.Client) error {
			_, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ghost")})
			return err
		}, &nse, "NoSuchEntity"},
		// ListAccessKeys does not model InvalidInput, so the SDK reports it
		// as a plain API error with that code.
		{"ListAccessKeys bad marker", func(ctx context.Context, c *iam.Client) error {
			_, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice"), Marker: aws.String("x")})
			return err
		}, nil, "InvalidInput"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newIAM(t)
			before := snapshot(s)
			err := tc.call(t.Context(), c)
			if err == nil {
				t.Fatalf("%s: got no error, want %s", tc.name, tc.wantCode)
			}
			switch target := tc.target.(type) {
			case nil:
			case **types.NoSuchEntityException:
				wantAs(t, err, target)
			case **types.UnmodifiableEntityException:
				wantAs(t, err, target)
			case **types.DeleteConflictException:
				wantAs(t, err, target)
			case **types.LimitExceededException:
				wantAs(t, err, target)
			case **types.InvalidInputException:
				wantAs(t, err, target)
			case **types.MalformedPolicyDocumentException:
				wantAs(t, err, target)
			default:
				t.Fatalf("unhandled target %T", target)
			}
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.wantCode {
				t.Errorf("%s: got error %v, want API error code %s", tc.name, err, tc.wantCode)
			}
			if calls := s.Calls(); len(calls) != 1 || calls[0].Error != tc.wantCode {
				t.Errorf("%s: Calls() = %+v, want one call recorded with error %s (not retried)", tc.name, calls, tc.wantCode)
			}
			if diff := cmp.Diff(before, snapshot(s)); diff != "" {
				t.Errorf("%s changed the state (-before +after):\n%s", tc.name, diff)
			}
		})
	}
}

func wantAs[T error](t *testing.T, err error, target *T) {
	t.Helper()
	if !errors.As(err, target) {
		t.Errorf("got error %T %v, want it to be a %T", err, err, *target)
	}
}

// snapshot is the part of a newIAM server's state that the error cases
// could touch.
func snapshot(s *fakeaws.Server) map[string]any {
	st := func(user, key string) string { v, _ := s.AccessKeyStatus(user, key); return v }
	return map[string]any{
		"keys":     []string{st("alice", "AKIAALICE1"), st("alice", "AKIAALICE2"), st("bob", "AKIABOB1")},
		"alice":    s.Attached(fakeaws.KindUser, "alice"),
		"bob":      s.Attached(fakeaws.KindUser, "bob"),
		"app":      s.Attached(fakeaws.KindRole, "app"),
		"slr":      s.Attached(fakeaws.KindRole, "AWSServiceRoleForSupport"),
		"admins":   s.Attached(fakeaws.KindGroup, "admins"),
		"inline":   []any{s.InlinePolicyNames(fakeaws.KindUser, "alice"), s.InlinePolicyNames(fakeaws.KindUser, "bob"), s.InlinePolicyNames(fakeaws.KindRole, "app"), s.InlinePolicyNames(fakeaws.KindGroup, "admins")},
		"versions": s.PolicyVersions(customerARN),
	}
}

// TestIAMQuotas checks the limits a rollback or quarantine can run into.
func TestIAMQuotas(t *testing.T) {
	s, c := newIAM(t)
	ctx := t.Context()
	for i := range 9 { // alice already has one
		arn := "arn:aws:iam::aws:policy/P" + string(rune('A'+i))
		if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatalf("AttachUserPolicy %d: %v", i, err)
		}
	}
	_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSDenyAll")})
	var lee *types.LimitExceededException
	if !errors.As(err, &lee) {
		t.Errorf("11th AttachUserPolicy: got %v, want LimitExceededException", err)
	}
	if got := len(s.Attached(fakeaws.KindUser, "alice")); got != 10 {
		t.Errorf("len(Attached(user, alice)) = %d, want 10", got)
	}

	for i := 3; i <= 5; i++ {
		if _, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(customerARN), PolicyDocument: aws.String(v1Doc)}); err != nil {
			t.Fatalf("CreatePolicyVersion v%d: %v", i, err)
		}
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(customerARN), PolicyDocument: aws.String(v1Doc)})
	if !errors.As(err, &lee) {
		t.Errorf("6th CreatePolicyVersion: got %v, want LimitExceededException", err)
	}
}

// TestIAMPagination checks MaxItems and Marker through the SDK paginators.
func TestIAMPagination(t *testing.T) {
	s, c := newIAM(t)
	for _, id := range []string{"AKIAALICE3", "AKIAALICE4", "AKIAALICE5"} {
		s.AddAccessKey("alice", id, "Active")
	}
	var got []string
	pages := 0
	p := iam.NewListAccessKeysPaginator(c, &iam.ListAccessKeysInput{UserName: aws.String("alice"), MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("ListAccessKeys page %d: %v", pages+1, err)
		}
		pages++
		for _, k := range out.AccessKeyMetadata {
			got = append(got, aws.ToString(k.AccessKeyId))
		}
	}
	want := []string{"AKIAALICE1", "AKIAALICE2", "AKIAALICE3", "AKIAALICE4", "AKIAALICE5"}
	if diff := cmp.Diff(want, got); diff != "" || pages != 3 {
		t.Errorf("paginated ListAccessKeys = %v in %d pages, want %v in 3 (-want +got):\n%s", got, pages, want, diff)
	}
	if calls := s.CallsTo("ListAccessKeys"); len(calls) != 3 || calls[1].Params["Marker"] == "" {
		t.Errorf("CallsTo(ListAccessKeys) = %+v, want 3 calls, the later ones with a Marker", calls)
	}
}
