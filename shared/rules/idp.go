package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// identityProviderEvents are the IAM calls that add or change a way in from
// outside AWS's own sign-in.
var identityProviderEvents = []string{"CreateSAMLProvider", "UpdateSAMLProvider", "CreateOpenIDConnectProvider",
	"AddClientIDToOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint"}

var identityProvider = &Rule{
	ID:    "identity-provider",
	Title: "Identity provider or federation path added or changed",
	Description: "A SAML or OpenID Connect provider was created or changed (high: whoever controls it signs in as any role that " +
		"trusts it), an IAM Roles Anywhere trust anchor on an external certificate bundle or a profile was created or changed " +
		"(high: certificates from outside AWS become credentials), or an IAM Identity Center permission set was given a policy " +
		"(the policy's severity, judged as wildcard-policy judges). Notify.",
	FiresOn: "a successful IAM `CreateSAMLProvider`, `UpdateSAMLProvider`, `CreateOpenIDConnectProvider`, `AddClientIDToOpenIDConnectProvider`, " +
		"`UpdateOpenIDConnectProviderThumbprint`; IAM Roles Anywhere `CreateTrustAnchor`, `UpdateTrustAnchor` (external certificate bundle), " +
		"`CreateProfile`, `UpdateProfile`; IAM Identity Center `AttachManagedPolicyToPermissionSet`, `PutInlinePolicyToPermissionSet`",
	Severities: "high for IAM and Roles Anywhere changes; a permission set's policy's own severity (low and up)",
	NoRollback: "a provider, trust anchor or permission set may be in use: iamguard reports it with the command to remove it",
	Family:     PolicyGuard,
	Patterns: []eventpattern.Pattern{
		apiCalls("aws.iam", "iam.amazonaws.com", identityProviderEvents...),
		apiCalls("aws.rolesanywhere", "rolesanywhere.amazonaws.com", "CreateTrustAnchor", "UpdateTrustAnchor", "CreateProfile", "UpdateProfile"),
		apiCalls("aws.sso", "sso.amazonaws.com", "AttachManagedPolicyToPermissionSet", "PutInlinePolicyToPermissionSet"),
	},
	Lookups:  action.PolicyDocumentLookups,
	evaluate: evaluateIdentityProvider,
}

func evaluateIdentityProvider(ctx context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() {
		return nil
	}
	f := newFinding("identity-provider", rec)
	switch rec.EventSource {
	case "iam.amazonaws.com":
		if !slices.Contains(identityProviderEvents, rec.EventName) {
			return nil
		}
		if rec.UserIdentity.InvokedBy == "sso.amazonaws.com" && strings.Contains(rec.UserIdentity.ARN, ":assumed-role/AWSServiceRoleForSSO/") {
			return nil // IAM Identity Center keeping its own SAML provider (AWSSSO_..._DO_NOT_DELETE)
		}
		provider := orName(rec.RequestParam("sAMLProviderArn"), orName(rec.RequestParam("openIDConnectProviderArn"),
			orName(rec.RequestParam("name"), orName(rec.RequestParam("url"), rec.ResponseParam("sAMLProviderArn")))))
		if arn := rec.ResponseParam("openIDConnectProviderArn"); arn != "" {
			provider = arn
		}
		f.Target = provider
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s called %s for identity provider %s in %s", actorName(rec), rec.EventName, orName(provider, "(not named)"), f.Account)
		f.Reasons = append(f.Reasons, "whoever controls an identity provider's keys (or the client IDs and thumbprints it accepts) can sign in as any role whose trust names it: a persistence path outside IAM users and keys")
		f.RemediationNote = "if this was not planned, list the roles that trust the provider (their trust policies name it under Federated) and delete it: aws iam delete-saml-provider / delete-open-id-connect-provider"
	case "rolesanywhere.amazonaws.com":
		if !slices.Contains([]string{"CreateTrustAnchor", "UpdateTrustAnchor", "CreateProfile", "UpdateProfile"}, rec.EventName) {
			return nil
		}
		if rec.EventName == "CreateTrustAnchor" || rec.EventName == "UpdateTrustAnchor" {
			if t, ca := trustAnchorSource(rec); t == "AWS_ACM_PCA" {
				if a, ok := awsarn.Parse(ca); ok && a.Account == rec.Account() {
					return nil // a private CA of this account: its certificates stay under its control
				}
			}
		}
		f.Target = orName(rec.ResponseParam("trustAnchor", "trustAnchorArn"), orName(rec.ResponseParam("profile", "profileArn"), rec.RequestParam("name")))
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s called IAM Roles Anywhere %s in %s", actorName(rec), rec.EventName, f.Account)
		f.Reasons = append(f.Reasons, "IAM Roles Anywhere turns X.509 certificates into AWS credentials: a trust anchor on an external certificate bundle lets whoever holds that CA's key obtain the profile's roles from anywhere (Stratus aws.persistence.rolesanywhere-create-trust-anchor)")
		f.RemediationNote = "if this was not planned, disable or delete the trust anchor and profile: aws rolesanywhere disable-trust-anchor --trust-anchor-id ID"
	case "sso.amazonaws.com":
		if rec.EventName != "AttachManagedPolicyToPermissionSet" && rec.EventName != "PutInlinePolicyToPermissionSet" {
			return nil
		}
		set := rec.RequestParam("permissionSetArn")
		f.Target = set
		docs, unresolved := permissionSetPolicies(ctx, ev)
		for _, d := range docs {
			v, err := judge(d.doc)
			if err != nil {
				unresolved = append(unresolved, d.what+" could not be read: "+err.Error())
				continue
			}
			if v.Severity > f.Severity {
				f.Severity = v.Severity
			}
			for _, r := range v.Reasons() {
				f.Reasons = append(f.Reasons, d.what+": "+r)
			}
		}
		switch {
		case len(unresolved) > 0:
			f.Severity = max(f.Severity, severity.Medium)
			f.Unresolved = unresolved[0]
			f.Reasons = append(f.Reasons, "iamguard could not judge the policy: "+f.Unresolved)
		case f.Severity < severity.Low:
			return nil
		}
		f.Summary = fmt.Sprintf("%s gave IAM Identity Center permission set %s a policy in %s (%s)", actorName(rec), orName(lastSegment(set), "(not named)"), f.Account, accessWords(f))
		f.RemediationNote = "the permission set's policy applies in every account it is assigned to: if this was not planned, detach it (aws sso-admin detach-managed-policy-from-permission-set / delete-inline-policy-from-permission-set) and provision the permission set again"
	default:
		return nil
	}
	return []finding.Finding{f}
}

// trustAnchorSource is the kind of CA a trust anchor trusts, from
// requestParameters.source: AWS_ACM_PCA (a private CA in AWS, whose ARN it
// returns too; one shared from another account through AWS RAM is not this
// account's) or CERTIFICATE_BUNDLE (any CA outside); "" when the event does
// not say.
func trustAnchorSource(rec *cloudtrail.Record) (sourceType, acmPcaARN string) {
	var src struct {
		SourceType string `json:"sourceType"`
		SourceData struct {
			AcmPcaArn string `json:"acmPcaArn"`
		} `json:"sourceData"`
	}
	if raw := rec.RequestParamRaw("source"); raw != nil && json.Unmarshal(raw, &src) == nil {
		return src.SourceType, src.SourceData.AcmPcaArn
	}
	return "", ""
}

// permissionSetPolicies are the documents an Identity Center event gives a
// permission set: the inline policy, or the managed policy by ARN.
func permissionSetPolicies(ctx context.Context, ev *evaluation) (docs []sessionPolicy, unresolved []string) {
	rec := ev.rec
	if doc := policyDocumentParam(rec, "inlinePolicy"); doc != "" {
		return append(docs, sessionPolicy{"the inline policy", doc}), nil
	}
	arn := rec.RequestParam("managedPolicyArn")
	if arn == "" {
		return nil, []string{"the event carries no policy"}
	}
	v, err := ev.resolver.PolicyVersion(ctx, arn, "")
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, []string{"the document of " + arn + " was not found"}
	case err != nil:
		return nil, []string{"looking up " + arn + " failed: " + err.Error()}
	}
	return append(docs, sessionPolicy{arn, v.Document}), nil
}
