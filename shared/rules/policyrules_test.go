package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// TestPolicyGuardIdentityRules: permissions-boundary-removed,
// identity-provider and trust-policy on the case that decides each severity,
// and their look-alikes.
func TestPolicyGuardIdentityRules(t *testing.T) {
	doc := func(action string) string {
		return fmt.Sprintf(`"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"%s\",\"Resource\":\"*\"}]}"`, action)
	}
	trust := func(principal string) string {
		return fmt.Sprintf(`"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":%s,\"Action\":\"sts:AssumeRole\"}]}"`,
			strings.ReplaceAll(principal, `"`, `\"`))
	}
	for _, tc := range []struct {
		name     string
		rule     *Rule
		rec      string
		settings Settings
		want     severity.Severity
	}{
		{"boundary deleted from a role", permissionsBoundaryRemoved, apiEvent("iam", "DeleteRolePermissionsBoundary", userIdentity, `{"roleName":"app"}`, ""), Settings{}, severity.High},
		{"boundary deleted from a user", permissionsBoundaryRemoved, apiEvent("iam", "DeleteUserPermissionsBoundary", userIdentity, `{"userName":"bob"}`, ""), Settings{}, severity.High},
		{"admin boundary put", permissionsBoundaryRemoved, apiEvent("iam", "PutRolePermissionsBoundary", userIdentity, `{"roleName":"app","permissionsBoundary":"arn:aws:iam::aws:policy/AdministratorAccess"}`, ""), Settings{}, severity.High},
		{"read-only boundary put", permissionsBoundaryRemoved, apiEvent("iam", "PutUserPermissionsBoundary", userIdentity, `{"userName":"bob","permissionsBoundary":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`, ""), Settings{}, severity.None},
		{"unknown boundary put", permissionsBoundaryRemoved, apiEvent("iam", "PutUserPermissionsBoundary", userIdentity, `{"userName":"bob","permissionsBoundary":"arn:aws:iam::111122223333:policy/mine"}`, ""), Settings{}, severity.Medium},

		{"SAML provider created", identityProvider, apiEvent("iam", "CreateSAMLProvider", userIdentity, `{"name":"okta","sAMLMetadataDocument":"<x/>"}`, ""), Settings{}, severity.High},
		{"OIDC thumbprint changed", identityProvider, apiEvent("iam", "UpdateOpenIDConnectProviderThumbprint", userIdentity, `{"openIDConnectProviderArn":"arn:aws:iam::111122223333:oidc-provider/example.com"}`, ""), Settings{}, severity.High},
		{"trust anchor on an external bundle", identityProvider, apiEvent("rolesanywhere", "CreateTrustAnchor", userIdentity, `{"name":"x","source":{"sourceType":"CERTIFICATE_BUNDLE","sourceData":{"x509CertificateData":"..."}}}`, ""), Settings{}, severity.High},
		{"trust anchor on this account's private CA", identityProvider, apiEvent("rolesanywhere", "CreateTrustAnchor", userIdentity, `{"name":"x","source":{"sourceType":"AWS_ACM_PCA","sourceData":{"acmPcaArn":"arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/1"}}}`, ""), Settings{}, severity.None},
		{"trust anchor on another account's private CA", identityProvider, apiEvent("rolesanywhere", "CreateTrustAnchor", userIdentity, `{"name":"x","source":{"sourceType":"AWS_ACM_PCA","sourceData":{"acmPcaArn":"arn:aws:acm-pca:us-east-1:999988887777:certificate-authority/1"}}}`, ""), Settings{}, severity.High},
		{"permission set given AdministratorAccess", identityProvider, apiEvent("sso", "AttachManagedPolicyToPermissionSet", userIdentity, `{"permissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1/ps-1","managedPolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`, ""), Settings{}, severity.Critical},
		{"permission set given iam:*", identityProvider, apiEvent("sso", "PutInlinePolicyToPermissionSet", userIdentity, `{"permissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1/ps-1","inlinePolicy":`+doc("iam:*")+`}`, ""), Settings{}, severity.High},
		{"permission set given a specific action", identityProvider, apiEvent("sso", "PutInlinePolicyToPermissionSet", userIdentity, `{"permissionSetArn":"arn:aws:sso:::permissionSet/ssoins-1/ps-1","inlinePolicy":`+doc("s3:GetObject")+`}`, ""), Settings{}, severity.None},

		{"role trusting anyone", trustPolicy, apiEvent("iam", "CreateRole", userIdentity, `{"roleName":"r","assumeRolePolicyDocument":`+trust(`"*"`)+`}`, ""), Settings{}, severity.Critical},
		{"role trusting another account", trustPolicy, apiEvent("iam", "UpdateAssumeRolePolicy", userIdentity, `{"roleName":"r","policyDocument":`+trust(`{"AWS":"arn:aws:iam::999988887777:root"}`)+`}`, ""), Settings{}, severity.High},
		{"role trusting a trusted account", trustPolicy, apiEvent("iam", "UpdateAssumeRolePolicy", userIdentity, `{"roleName":"r","policyDocument":`+trust(`{"AWS":"arn:aws:iam::999988887777:root"}`)+`}`, ""), Settings{TrustedAccounts: []string{"999988887777"}}, severity.None},
		{"role trusting a service", trustPolicy, apiEvent("iam", "CreateRole", userIdentity, `{"roleName":"r","assumeRolePolicyDocument":`+trust(`{"Service":"lambda.amazonaws.com"}`)+`}`, ""), Settings{}, severity.None},
		{"trust policy that is not JSON", trustPolicy, apiEvent("iam", "UpdateAssumeRolePolicy", userIdentity, `{"roleName":"r","policyDocument":"{oops"}`, ""), Settings{}, severity.Medium},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.rule.EvaluateWith(t.Context(), record(t, tc.rec), nil, tc.settings)
			got := severity.None
			if len(fs) == 1 {
				got = fs[0].Severity
			}
			if len(fs) > 1 || got != tc.want {
				t.Errorf("Evaluate = %+v, want one finding of %s (or none for none)", fs, tc.want)
			}
		})
	}
}

// TestExposedKeyHealthEvents: the Health event's key is planned for
// deactivation with its user left to IAM; an unreadable event is still
// reported; another Health event is not this rule's.
func TestExposedKeyHealthEvents(t *testing.T) {
	health := func(code, entities string) string {
		return `{"version":"0","id":"ev-1","detail-type":"AWS Health Event","source":"aws.health","account":"111122223333","time":"2026-11-01T10:00:00Z",` +
			`"region":"us-east-1","resources":[],"detail":{"eventTypeCode":"` + code + `","service":"RISK","affectedEntities":` + entities +
			`,"eventMetadata":{"userName":"mallory"}}}`
	}
	fs := exposedKey.Evaluate(t.Context(), record(t, health("AWS_RISK_CREDENTIALS_EXPOSED", `[{"entityValue":"AKIAIOSFODNN7EXAMPLE"}]`)), nil)
	if len(fs) != 1 || fs[0].Severity != severity.Critical || fs[0].Remediation == nil || fs[0].EventID != "ev-1" || fs[0].EventTime.IsZero() {
		t.Fatalf("Evaluate = %+v, want one critical finding with a plan, the envelope's ID and time", fs)
	}
	r := fs[0].Remediation
	if r.Command != "aws iam update-access-key --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive" || r.Parameters["UserName"] != "" || r.Deferred == "" {
		t.Errorf("plan = %+v, want the key alone, its user deferred to IAM (not the event's word)", r)
	}
	if !strings.Contains(fs[0].RemediationNote, "lookup-events") || !strings.Contains(fs[0].Summary, "mallory") {
		t.Errorf("finding lacks the leaked-key plan or the event's user: %+v", fs[0])
	}
	for name, ev := range map[string]string{
		"no entities": health("AWS_RISK_CREDENTIALS_EXPOSED", `[]`),
		"not a key":   health("AWS_RISK_CREDENTIALS_EXPOSED", `[{"entityValue":"ACCESS_KEY_ID_HERE"}]`),
	} {
		fs := exposedKey.Evaluate(t.Context(), record(t, ev), nil)
		if len(fs) != 1 || fs[0].Severity != severity.Critical || fs[0].Remediation != nil || fs[0].Unresolved == "" {
			t.Errorf("%s: Evaluate = %+v, want one critical, unresolved finding with no plan", name, fs)
		}
	}
	if fs := exposedKey.Evaluate(t.Context(), record(t, health("AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED", `[{"entityValue":"i-1"}]`)), nil); len(fs) != 0 {
		t.Errorf("another Health event = %+v, want none", fs)
	}
}
