package member

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

type fakeSTS struct {
	STSAPI
	in  *sts.AssumeRoleInput
	err error
}

func (f *fakeSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	f.in = in
	if f.err != nil {
		return nil, f.err
	}
	exp := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{AccessKeyId: aws.String("ASIA1"), SecretAccessKey: aws.String("s"),
		SessionToken: aws.String("t"), Expiration: &exp}}, nil
}

func TestAssume(t *testing.T) {
	f := &fakeSTS{}
	c, err := Assumer{API: f}.Assume(t.Context(), "arn:aws:iam::444455556666:role/Iamguard-responder", "iamguard-e1")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "ASIA1" || !c.CanExpire || aws.ToString(f.in.RoleSessionName) != "iamguard-e1" || aws.ToInt32(f.in.DurationSeconds) != SessionSeconds {
		t.Errorf("Assume = %+v, input %+v", c, f.in)
	}
	f.err = errors.New("AccessDenied")
	if _, err := (Assumer{API: f}).Assume(t.Context(), "arn:aws:iam::999988887777:role/Iamguard-responder", "iamguard-e2"); err == nil {
		t.Error("Assume hid STS's refusal")
	}
}

type fakeOrg struct {
	OrganizationsAPI
	parents map[string]orgtypes.Parent
}

func (f fakeOrg) ListParents(_ context.Context, in *organizations.ListParentsInput, _ ...func(*organizations.Options)) (*organizations.ListParentsOutput, error) {
	p, ok := f.parents[aws.ToString(in.ChildId)]
	if !ok {
		return &organizations.ListParentsOutput{}, nil
	}
	return &organizations.ListParentsOutput{Parents: []orgtypes.Parent{p}}, nil
}

func TestParents(t *testing.T) {
	tree := Tree{API: fakeOrg{parents: map[string]orgtypes.Parent{
		"444455556666":        {Id: aws.String("ou-ab12-child0001"), Type: orgtypes.ParentTypeOrganizationalUnit},
		"ou-ab12-child0001":   {Id: aws.String("ou-ab12-parent001"), Type: orgtypes.ParentTypeOrganizationalUnit},
		"ou-ab12-parent001":   {Id: aws.String("r-ab12"), Type: orgtypes.ParentTypeRoot},
		"r-ab12":              {Id: aws.String("never-asked"), Type: orgtypes.ParentTypeRoot},
		"111122223333":        {Id: aws.String("r-ab12"), Type: orgtypes.ParentTypeRoot},
		"ou-loop-aaaaaaaaaaa": {Id: aws.String("ou-loop-aaaaaaaaaaa"), Type: orgtypes.ParentTypeOrganizationalUnit},
	}}}
	for account, want := range map[string][]string{
		"444455556666": {"r-ab12", "ou-ab12-parent001", "ou-ab12-child0001"},
		"111122223333": {"r-ab12"},
		"777788889999": nil,
	} {
		got, err := tree.Parents(t.Context(), account)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Parents(%s) = %v, %v; want %v", account, got, err, want)
		}
	}
	if got, _ := tree.Parents(t.Context(), "ou-loop-aaaaaaaaaaa"); len(got) != maxDepth {
		t.Errorf("a cycle gave %d parents, want the walk bounded at %d", len(got), maxDepth)
	}
}
