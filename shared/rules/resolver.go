package rules

import (
	"context"
	"errors"
	"strings"

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

// GroupResolver knows an IAM group's policies: the managed policies attached
// to it and its inline policies. IAM answers in the Lambda; offline, the
// stream's history answers with what it showed.
type GroupResolver interface {
	GroupPolicies(ctx context.Context, account, group string) (GroupPolicies, error)
}

// GroupPolicies are a group's policies as a GroupResolver knows them.
type GroupPolicies struct {
	Attached []string // managed policy ARNs, documents found through a Resolver
	Inline   []InlinePolicy
	Source   string // iam, cloudtrail-stream
	// Partial says the answer may lack policies attached before what the
	// resolver saw (the stream's history).
	Partial bool
}

// InlinePolicy is one inline policy with its document.
type InlinePolicy struct{ Name, Document string }

// Resolvers tries each Resolver in turn and returns the first document found.
type Resolvers []Resolver

// GroupPolicies implements GroupResolver: the first member that knows the
// group answers; when none does the error says so.
func (rs Resolvers) GroupPolicies(ctx context.Context, account, group string) (GroupPolicies, error) {
	var errs []error
	for _, r := range rs {
		gr, ok := r.(GroupResolver)
		if !ok {
			continue
		}
		g, err := gr.GroupPolicies(ctx, account, group)
		if err == nil {
			return g, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return GroupPolicies{}, NotFound("nothing here knows the policies of group " + group)
	}
	return GroupPolicies{}, errors.Join(errs...)
}

// PolicyVersion implements Resolver. When every resolver says ErrNotFound the
// error says so; a failing resolver's error is kept so that the finding can
// say what went wrong.
func (rs Resolvers) PolicyVersion(ctx context.Context, policyARN, versionID string) (PolicyVersion, error) {
	var errs, notFound []error
	for _, r := range rs {
		if r == nil {
			continue
		}
		v, err := r.PolicyVersion(ctx, policyARN, versionID)
		if err == nil {
			return v, nil
		}
		if errors.Is(err, ErrNotFound) {
			notFound = append(notFound, err)
		} else {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return PolicyVersion{}, errors.Join(errs...)
	}
	// Say where it was looked for: each resolver's not-found error names
	// its source (this stream, the snapshot, IAM).
	where := make([]string, 0, len(notFound))
	for _, e := range notFound {
		if msg := e.Error(); msg != "" {
			where = append(where, msg)
		}
	}
	if len(where) == 0 {
		return PolicyVersion{}, NotFound("no source of documents knows it")
	}
	return PolicyVersion{}, &notFoundError{msg: strings.Join(where, "; ")}
}

// NotFound returns an error that is ErrNotFound and says, in a few words,
// where the document was looked for ("not seen in this stream"). Resolvers
// joins these into one sentence for the finding.
func NotFound(where string) error { return &notFoundError{msg: where} }

// notFoundError is ErrNotFound with where it was looked for.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

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
		if !ok && !awspolicies.IsAWSManaged(policyARN) {
			return PolicyVersion{}, NotFound("") // a customer policy: nothing to say
		}
		return PolicyVersion{}, NotFound("not in the AWS managed-policy snapshot")
	}
	return PolicyVersion{PolicyARN: policyARN, VersionID: p.VersionID, Document: p.Text, Default: true, Source: "aws-managed-snapshot"}, nil
}
