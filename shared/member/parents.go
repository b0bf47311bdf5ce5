package member

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// OrganizationsAPI is the one AWS Organizations call the package makes.
type OrganizationsAPI interface {
	ListParents(ctx context.Context, in *organizations.ListParentsInput, optFns ...func(*organizations.Options)) (*organizations.ListParentsOutput, error)
}

var _ OrganizationsAPI = (*organizations.Client)(nil)

// maxDepth bounds the walk up the organisation: OUs nest at most five deep
// under the root.
const maxDepth = 6

// Tree finds where an account sits in the organisation, for the overrides
// by organisational unit. A delegated administrator may call ListParents.
type Tree struct{ API OrganizationsAPI }

// NewTree returns a Tree over an Organizations client built from cfg.
func NewTree(cfg aws.Config) Tree { return Tree{API: organizations.NewFromConfig(cfg)} }

// Parents returns the root and the organisational units an account sits
// in, outermost first (r-…, ou-…, ou-…).
func (t Tree) Parents(ctx context.Context, account string) ([]string, error) {
	var chain []string
	child := account
	for range maxDepth {
		out, err := t.API.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child)})
		if err != nil {
			return nil, fmt.Errorf("list the parents of %s: %w", child, err)
		}
		if len(out.Parents) == 0 || out.Parents[0].Id == nil {
			break
		}
		p := out.Parents[0]
		chain = append(chain, *p.Id)
		if p.Type == orgtypes.ParentTypeRoot {
			break
		}
		child = *p.Id
	}
	slices.Reverse(chain)
	return chain, nil
}
