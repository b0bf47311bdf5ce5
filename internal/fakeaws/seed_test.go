package fakeaws_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

const seedJSON = `{
  "users": [{"name": "alice", "tags": {"team": "dev"},
             "accessKeys": [{"id": "AKIAALICE1"}, {"id": "AKIAALICE2", "status": "Inactive"}],
             "attachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
             "inlinePolicies": {"obj": {"Version": "2012-10-17", "Statement": []}, "str": "{\"Version\":\"2012-10-17\"}"}}],
  "roles": [{"name": "app", "attachedPolicies": ["arn:aws:iam::123456789012:policy/team/deploy"]},
            {"name": "AWSServiceRoleForSupport", "serviceLinked": true}],
  "groups": [{"name": "admins", "inlinePolicies": {"g": "{}"}}],
  "policies": [{"arn": "arn:aws:iam::123456789012:policy/team/deploy", "tags": {"owner": "platform"},
                "versions": [{"id": "v1", "document": {"Version": "2012-10-17", "Statement": []}},
                             {"id": "v2", "document": "{}", "default": true, "created": "2025-06-01T12:00:00Z"}]}],
  "topics": ["arn:aws:sns:us-east-1:123456789012:iamguard-alerts"],
  "secrets": {"iamguard/slack": "https://hooks.slack.invalid/x"}
}`

func TestLoadSeed(t *testing.T) {
	seed, err := fakeaws.ReadSeed(strings.NewReader(seedJSON))
	if err != nil {
		t.Fatalf("ReadSeed: %v", err)
	}
	s := fakeaws.New()
	if err := s.Load(seed); err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := map[string]any{}
	got["key1"], _ = s.AccessKeyStatus("alice", "AKIAALICE1")
	got["key2"], _ = s.AccessKeyStatus("alice", "AKIAALICE2")
	got["alice"] = s.Attached(fakeaws.KindUser, "alice")
	got["app"] = s.Attached(fakeaws.KindRole, "app")
	got["obj"], _ = s.InlinePolicy(fakeaws.KindUser, "alice", "obj")
	got["str"], _ = s.InlinePolicy(fakeaws.KindUser, "alice", "str")
	got["g"], _ = s.InlinePolicy(fakeaws.KindGroup, "admins", "g")
	got["default"], _ = s.DefaultVersion("arn:aws:iam::123456789012:policy/team/deploy")
	want := map[string]any{
		"key1": "Active", "key2": "Inactive",
		"alice": []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
		"app":   []string{"arn:aws:iam::123456789012:policy/team/deploy"},
		"obj":   `{"Version": "2012-10-17", "Statement": []}`,
		"str":   `{"Version":"2012-10-17"}`,
		"g":     "{}", "default": "v2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state after Load (-want +got):\n%s", diff)
	}

	url := s.Start(t)
	if url == "" {
		t.Fatal("Start returned no URL")
	}
	cfg, err := s.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()
	if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("AWSServiceRoleForSupport"), PolicyArn: aws.String("arn:aws:iam::aws:policy/x")}); err == nil {
		t.Errorf("DetachRolePolicy on the seeded service-linked role: got success, want UnmodifiableEntity")
	}
	out, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/team/deploy")})
	if err != nil || len(out.Tags) != 1 || aws.ToString(out.Tags[0].Value) != "platform" {
		t.Errorf("ListPolicyTags = %+v, %v, want owner=platform", out, err)
	}
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/team/deploy"), VersionId: aws.String("v2")})
	if err != nil || v.PolicyVersion.CreateDate.UTC().Format("2006-01-02T15:04:05Z") != "2025-06-01T12:00:00Z" {
		t.Errorf("GetPolicyVersion v2 = %+v, %v, want CreateDate 2025-06-01T12:00:00Z", v, err)
	}
}

func TestSeedErrors(t *testing.T) {
	tests := []struct {
		name, seed string
		wantInErr  []string
	}{
		{"unknown field", `{"user": []}`, []string{`unknown field "user"`}},
		{"document neither string nor object", `{"policies": [{"arn": "arn:aws:iam::aws:policy/x", "versions": [{"document": 3}]}]}`, []string{"want a JSON string or object"}},
		{"many problems at once", `{
			"users": [{"name": "", "serviceLinked": true}],
			"roles": [{"name": "r", "accessKeys": [{"id": "AKIA"}], "attachedPolicies": ["Admin"]}],
			"groups": [{"name": "g", "tags": {"a": "b"}}],
			"policies": [{"arn": "nope"}]}`,
			[]string{"users[0]: name is empty", "only roles can be service-linked", "only users have access keys", `"Admin" is not a policy ARN`, "groups cannot be tagged", `policies[0]: "nope"`}},
		{"bad key status", `{"users": [{"name": "u", "accessKeys": [{"id": "AKIA", "status": "active"}]}]}`, []string{`status "active" is not Active or Inactive`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := fakeaws.ReadSeed(strings.NewReader(tc.seed))
			if err == nil {
				s := fakeaws.New()
				err = s.Load(seed)
				if err != nil && len(s.Attached(fakeaws.KindRole, "r")) != 0 {
					t.Errorf("Load failed but changed the state")
				}
			}
			if err == nil {
				t.Fatalf("seed %s: got no error, want one", tc.seed)
			}
			for _, w := range tc.wantInErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("seed error = %q, want it to mention %q", err, w)
				}
			}
		})
	}
}
