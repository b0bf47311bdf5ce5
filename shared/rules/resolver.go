package rules

import (
	"context"
	"errors"
	"fmt"

	"github.com/iamguard/iamguard/shared/awspolicies"
)

// ErrNotFound is returned by a Resolver that does not know the policy or
// version asked for. Other errors mean the lookup itself failed.
var ErrNotFound = errors.New("policy document not found")

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	PolicyARN string
	VersionID string
	Document  string // JSON text, already URL-decoded
	Default   bool
	Source    string // aws-managed-snapshot, cloudtrail-stream, iam
}

// Resolver finds the document of a managed policy that an event names but does
// not carry (AttachUserPolicy, SetDefaultPolicyVersion).
type Resolver interface {
	// PolicyVersion returns version versionID of the policy, or its default
	// version when versionID is empty. It returns an error wrapping
	// ErrNotFound when it does not know the policy or version.
	PolicyVersion(ctx context.Context, policyARN, versionID string) (PolicyVersion, error)
}

// Resolvers tries each Resolver in turn and returns the first document found.
type Resolvers []Resolver

// PolicyVersion implements Resolver. When every resolver says ErrNotFound the
// error says so; a failing resolver's error is kept so that the finding can
// say what went wrong.
func (rs Resolvers) PolicyVersion(ctx context.Context, policyARN, versionID string) (PolicyVersion, error) {
	var errs []error
	for _, r := range rs {
		if r == nil {
			continue
		}
		v, err := r.PolicyVersion(ctx, policyARN, versionID)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, ErrNotFound) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return PolicyVersion{}, errors.Join(errs...)
	}
	return PolicyVersion{}, fmt.Errorf("%s %s: %w", policyARN, versionLabel(versionID), ErrNotFound)
}

func versionLabel(versionID string) string {
	if versionID == "" {
		return "default version"
	}
	return "version " + versionID
}

// AWSManaged resolves AWS managed policies from the snapshot embedded in the
// binary. It knows only each policy's default version at snapshot time.
type AWSManaged struct{}

// PolicyVersion implements Resolver.
func (AWSManaged) PolicyVersion(_ context.Context, policyARN, versionID string) (PolicyVersion, error) {
	p, ok, err := awspolicies.Lookup(policyARN)
	if err != nil {
		return PolicyVersion{}, err
	}
	if !ok || (versionID != "" && versionID != p.VersionID) {
		return PolicyVersion{}, fmt.Errorf("%s %s in the AWS managed-policy snapshot: %w", policyARN, versionLabel(versionID), ErrNotFound)
	}
	return PolicyVersion{PolicyARN: policyARN, VersionID: p.VersionID, Document: string(p.Document), Default: true, Source: "aws-managed-snapshot"}, nil
}
