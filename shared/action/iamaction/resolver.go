package iamaction

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamguard/iamguard/shared/rules"
)

// PolicyReader is what Resolver calls: action.PolicyDocumentLookups.
type PolicyReader interface {
	GetPolicy(ctx context.Context, in *iam.GetPolicyInput, optFns ...func(*iam.Options)) (*iam.GetPolicyOutput, error)
	GetPolicyVersion(ctx context.Context, in *iam.GetPolicyVersionInput, optFns ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error)
}

var _ PolicyReader = (*iam.Client)(nil)

// Resolver resolves managed policy documents from IAM: GetPolicy for the
// default version, GetPolicyVersion for the document. The policy-guard
// function puts it behind the embedded AWS managed-policy snapshot.
type Resolver struct {
	API PolicyReader
	// Groups reads groups' policies for rules that judge a group; nil in a
	// function whose rules never do.
	Groups GroupReader
}

// PolicyVersion implements rules.Resolver.
func (r Resolver) PolicyVersion(ctx context.Context, policyARN, versionID string) (rules.PolicyVersion, error) {
	isDefault := false
	if versionID == "" {
		out, err := r.API.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(policyARN)})
		if err != nil {
			return rules.PolicyVersion{}, notFoundOr(err, "get policy "+policyARN)
		}
		if out.Policy == nil || aws.ToString(out.Policy.DefaultVersionId) == "" {
			return rules.PolicyVersion{}, rules.NotFound("IAM returned no default version")
		}
		versionID = aws.ToString(out.Policy.DefaultVersionId)
		isDefault = true
	}
	doc, def, err := versionDocument(ctx, r.API, policyARN, versionID)
	if err != nil {
		return rules.PolicyVersion{}, err
	}
	return rules.PolicyVersion{PolicyARN: policyARN, VersionID: versionID, Document: doc, Default: isDefault || def, Source: "iam"}, nil
}

// versionDocument fetches one version's document, URL-decoded: IAM
// returns documents URL-encoded and the SDK does not decode them.
func versionDocument(ctx context.Context, api interface {
	GetPolicyVersion(context.Context, *iam.GetPolicyVersionInput, ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error)
}, policyARN, versionID string) (doc string, isDefault bool, err error) {
	out, err := api.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(policyARN), VersionId: aws.String(versionID)})
	if err != nil {
		return "", false, notFoundOr(err, fmt.Sprintf("get policy %s version %s", policyARN, versionID))
	}
	if out.PolicyVersion == nil || out.PolicyVersion.Document == nil {
		return "", false, rules.NotFound("IAM returned no document for " + versionID)
	}
	decoded, err := url.QueryUnescape(aws.ToString(out.PolicyVersion.Document))
	if err != nil {
		return "", false, fmt.Errorf("get policy %s version %s: document is not URL-encoded text: %w", policyARN, versionID, err)
	}
	return decoded, out.PolicyVersion.IsDefaultVersion, nil
}

func notFoundOr(err error, what string) error {
	var nse *types.NoSuchEntityException
	if errors.As(err, &nse) {
		msg := "NoSuchEntity"
		if nse.Message != nil {
			msg = *nse.Message
		}
		return rules.NotFound("IAM: " + msg)
	}
	return fmt.Errorf("%s: %w", what, err)
}
