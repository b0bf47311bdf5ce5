package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// apiEvent is a successful call of service by identity (JSON members).
func apiEvent(service, name, identity, params, extra string) string {
	return fmt.Sprintf(`{"eventVersion":"1.09",%s,"eventTime":"2026-11-01T10:00:00Z","eventSource":"%s.amazonaws.com","eventName":%q,`+
		`"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15","requestParameters":%s,"responseElements":null,%s`+
		`"eventID":"e-%s","eventType":"AwsApiCall","readOnly":false,"recipientAccountId":"111122223333"}`,
		identity, service, name, params, extra, strings.ToLower(name))
}

const (
	rootIdentity = `"userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":"ASIAROOT"}`
	roleIdentity = `"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/admin/eve","accountId":"111122223333","accessKeyId":"ASIAEVE",` +
		`"sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/admin","userName":"admin"}}}`
)

// TestIdentityRules: each identity rule's severities, on the case that
// decides each, and the look-alikes that fire nothing.
func TestIdentityRules(t *testing.T) {
	login := func(identity, mfa, outcome string) string {
		return fmt.Sprintf(`{"eventVersion":"1.08",%s,"eventTime":"2026-11-01T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",`+
			`"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","requestParameters":null,"responseElements":{"ConsoleLogin":%q},`+
			`"additionalEventData":{"MFAUsed":%q},"eventID":"e-login","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"}`, identity, outcome, mfa)
	}
	for _, tc := range []struct {
		name string
		rule *Rule
		rec  string
		want severity.Severity
	}{
		{"IAM user, no MFA", consoleLoginNoMFA, login(userIdentity, "No", "Success"), severity.Medium},
		{"IAM user with MFA", consoleLoginNoMFA, login(userIdentity, "Yes", "Success"), severity.None},
		{"IAM user, failed", consoleLoginNoMFA, login(userIdentity, "No", "Failure"), severity.None},
		{"Identity Center session, no MFA field", consoleLoginNoMFA, login(roleIdentity, "No", "Success"), severity.None},
		{"root, no MFA: root-console-login's", consoleLoginNoMFA, login(rootIdentity, "No", "Success"), severity.None},

		{"root's device", mfaRemoved, apiEvent("iam", "DeactivateMFADevice", rootIdentity, `{"serialNumber":"arn:aws:iam::111122223333:mfa/root-account-mfa-device"}`, ""), severity.Critical},
		{"another user's device", mfaRemoved, apiEvent("iam", "DeactivateMFADevice", userIdentity, `{"userName":"bob","serialNumber":"arn:aws:iam::111122223333:mfa/bob"}`, ""), severity.High},
		{"own device", mfaRemoved, apiEvent("iam", "DeactivateMFADevice", userIdentity, `{"userName":"alice","serialNumber":"arn:aws:iam::111122223333:mfa/alice"}`, ""), severity.Medium},
		{"own virtual device deleted", mfaRemoved, apiEvent("iam", "DeleteVirtualMFADevice", userIdentity, `{"serialNumber":"arn:aws:iam::111122223333:mfa/alice"}`, ""), severity.Medium},
		{"another's virtual device deleted by a role", mfaRemoved, apiEvent("iam", "DeleteVirtualMFADevice", roleIdentity, `{"serialNumber":"arn:aws:iam::111122223333:mfa/alice"}`, ""), severity.High},

		{"password for another user", loginProfile, apiEvent("iam", "CreateLoginProfile", userIdentity, `{"userName":"bob","passwordResetRequired":false}`, ""), severity.High},
		{"password changed for another user", loginProfile, apiEvent("iam", "UpdateLoginProfile", roleIdentity, `{"userName":"bob"}`, ""), severity.High},
		{"own password", loginProfile, apiEvent("iam", "UpdateLoginProfile", userIdentity, `{"userName":"alice"}`, ""), severity.Low},
		{"own password, no userName", loginProfile, apiEvent("iam", "CreateLoginProfile", userIdentity, `{}`, ""), severity.Low},

		{"federation token, no session policy", federationToken, apiEvent("sts", "GetFederationToken", userIdentityKey("AKIAEXAMPLE"), `{"name":"x"}`, ""), severity.Medium},
		{"federation token with an admin session policy", federationToken, apiEvent("sts", "GetFederationToken", userIdentityKey("AKIAEXAMPLE"),
			`{"name":"x","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}`, ""), severity.Critical},
		{"federation token with AdministratorAccess by ARN", federationToken, apiEvent("sts", "GetFederationToken", userIdentityKey("AKIAEXAMPLE"),
			`{"name":"x","policyArns":[{"arn":"arn:aws:iam::aws:policy/AdministratorAccess"}]}`, ""), severity.Critical},
		{"federation token with a read-only session policy", federationToken, apiEvent("sts", "GetFederationToken", userIdentityKey("AKIAEXAMPLE"),
			`{"name":"x","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}"}`, ""), severity.Medium},
		{"federation token from temporary credentials: not a long-term key", federationToken, apiEvent("sts", "GetFederationToken", userIdentityKey("ASIAEXAMPLE"), `{"name":"x"}`, ""), severity.None},
		{"sign-in token", federationToken, apiEvent("signin", "GetSigninToken", `"userIdentity":{"type":"FederatedUser","arn":"arn:aws:sts::111122223333:federated-user/x","accountId":"111122223333"}`, `null`, ""), severity.High},

		{"password policy deleted", passwordPolicy, apiEvent("iam", "DeleteAccountPasswordPolicy", userIdentity, `null`, ""), severity.Medium},
		{"password policy below CIS", passwordPolicy, apiEvent("iam", "UpdateAccountPasswordPolicy", userIdentity, `{"minimumPasswordLength":8,"passwordReusePrevention":24}`, ""), severity.Low},
		{"password policy without reuse prevention", passwordPolicy, apiEvent("iam", "UpdateAccountPasswordPolicy", userIdentity, `{"minimumPasswordLength":14}`, ""), severity.Low},
		{"password policy at the CIS baseline", passwordPolicy, apiEvent("iam", "UpdateAccountPasswordPolicy", userIdentity, `{"minimumPasswordLength":14,"passwordReusePrevention":24}`, ""), severity.None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.rule.Evaluate(t.Context(), record(t, tc.rec), nil)
			got := severity.None
			if len(fs) > 1 {
				t.Fatalf("Evaluate = %d findings, want at most 1", len(fs))
			}
			if len(fs) == 1 {
				got = fs[0].Severity
				if fs[0].Remediation == nil && fs[0].RemediationNote == "" {
					t.Errorf("finding has neither a plan nor a note saying what to do: %+v", fs[0])
				}
			}
			if got != tc.want {
				t.Errorf("Evaluate(%s) = %s, want %s (%+v)", tc.name, got, tc.want, fs)
			}
		})
	}
}

func userIdentityKey(key string) string {
	return `"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice","accessKeyId":"` + key + `"}`
}

// TestLoginProfilePlan: a password another principal created is deleted,
// with an undo that creates a new one that must be changed at first sign-in,
// and the event's time for the executor, kept out of the command.
func TestLoginProfilePlan(t *testing.T) {
	fs := loginProfile.Evaluate(t.Context(), record(t, apiEvent("iam", "CreateLoginProfile", userIdentity, `{"userName":"bob o'neil"}`, "")), nil)
	if len(fs) != 1 || fs[0].Remediation == nil {
		t.Fatalf("Evaluate = %+v, want one finding with a plan", fs)
	}
	r := fs[0].Remediation
	if r.Command != `aws iam delete-login-profile --user-name 'bob o'\''neil'` || r.Parameters["EventTime"] != "2026-11-01T10:00:00Z" {
		t.Errorf("plan = %+v", r)
	}
	if r.Undo == nil || r.Undo.Command != `aws iam create-login-profile --user-name 'bob o'\''neil' --password 'NEW-PASSWORD' --password-reset-required` {
		t.Errorf("undo = %+v", r.Undo)
	}
	if upd := loginProfile.Evaluate(t.Context(), record(t, apiEvent("iam", "UpdateLoginProfile", userIdentity, `{"userName":"bob"}`, "")), nil); len(upd) != 1 || upd[0].Remediation != nil {
		t.Errorf("UpdateLoginProfile = %+v, want notify only (the old password cannot come back)", upd)
	}
}
