package policy

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

func TestAnalyzeTrust(t *testing.T) {
	s := TrustSettings{Account: "111122223333", TrustedAccounts: []string{"444455556666"}, TrustedOrgID: "o-abc123"}
	stmt := func(principal, cond string) string {
		if cond != "" {
			cond = `,"Condition":` + cond
		}
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"` + cond + `}]}`
	}
	gh := `{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}`
	web := func(cond string) string {
		if cond != "" {
			cond = `,"Condition":` + cond
		}
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + gh + `,"Action":"sts:AssumeRoleWithWebIdentity"` + cond + `}]}`
	}
	for _, tc := range []struct {
		name, doc string
		want      severity.Severity // the highest opening; None: no opening
	}{
		{"anyone", stmt(`"*"`, ""), severity.Critical},
		{"any AWS principal", stmt(`{"AWS":"*"}`, ""), severity.Critical},
		{"anyone who knows an external ID", stmt(`{"AWS":"*"}`, `{"StringEquals":{"sts:ExternalId":"x"}}`), severity.High},
		{"anyone among this account's SSO admins (AWS's own pattern)", stmt(`{"AWS":"*"}`,
			`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*"}}`), severity.None},
		{"anyone among another account's roles", stmt(`{"AWS":"*"}`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::999988887777:role/*"}}`), severity.High},
		{"anyone, IfExists lets a request without the key in", stmt(`"*"`, `{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}`), severity.Critical},
		{"anyone, Null is no confinement", stmt(`"*"`, `{"Null":{"sts:ExternalId":"false"}}`), severity.Critical},
		{"anyone in any organisation", stmt(`"*"`, `{"StringLike":{"aws:PrincipalOrgID":"o-*"}}`), severity.High},
		{"anyone of another account", stmt(`"*"`, `{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}`), severity.High},
		{"anyone of a trusted account", stmt(`"*"`, `{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}`), severity.None},
		{"another account, organisation test that lets requests without it in", stmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, `{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123"}}`), severity.High},
		{"a deleted principal's unique ID", stmt(`{"AWS":"AROAEXAMPLEID0000001"}`, ""), severity.None},
		{"anyone in the organisation", stmt(`"*"`, `{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}`), severity.None},
		{"another account", stmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, ""), severity.High},
		{"another account by ID", stmt(`{"AWS":"999988887777"}`, ""), severity.High},
		{"another account limited to the trusted organisation", stmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, `{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}`), severity.None},
		{"another account limited to another organisation", stmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, `{"StringEquals":{"aws:PrincipalOrgID":"o-other"}}`), severity.High},
		{"a trusted account", stmt(`{"AWS":"arn:aws:iam::444455556666:role/ci"}`, ""), severity.None},
		{"this account", stmt(`{"AWS":"arn:aws:iam::111122223333:root"}`, ""), severity.None},
		{"a service", stmt(`{"Service":"lambda.amazonaws.com"}`, ""), severity.None},
		{"GitHub with no condition", web(""), severity.High},
		{"GitHub with an audience only", web(`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}`), severity.High},
		{"GitHub, any repository", web(`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}`), severity.High},
		{"GitHub, any repository's main branch", web(`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"*:ref:refs/heads/main"}}`), severity.High},
		{"GitHub, a negated subject is no subject", web(`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}}`), severity.High},
		{"Cognito without an identity pool", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`, severity.High},
		{"Cognito with its identity pool", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"}}}]}`, severity.None},
		{"GitHub, one repository, any branch", web(`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:*"}}`), severity.None},
		{"a Deny opens nothing", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}`, severity.None},
		{"tagging alone opens nothing", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}]}`, severity.None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			got := severity.None
			for _, o := range AnalyzeTrust(d, s) {
				got = max(got, o.Severity)
				if o.Reason == "" {
					t.Errorf("opening %+v has no reason", o)
				}
			}
			if got != tc.want {
				t.Errorf("AnalyzeTrust = %s, want %s (%+v)", got, tc.want, AnalyzeTrust(d, s))
			}
		})
	}
}

func TestTrimTrust(t *testing.T) {
	s := TrustSettings{Account: "111122223333"}
	doc := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},` +
		`{"Sid":"Backdoor","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::999988887777:root"]},"Action":"sts:AssumeRole"},` +
		`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	trimmed, removed := TrimTrust(d, AnalyzeTrust(d, s))
	if len(removed) != 2 {
		t.Errorf("removed %q, want the foreign account and the wildcard statement", removed)
	}
	b, err := trimmed.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if strings.Contains(got, "999988887777") || strings.Contains(got, `"Principal":"*"`) || !strings.Contains(got, "ec2.amazonaws.com") || !strings.Contains(got, "111122223333:root") || !strings.Contains(got, `"Sid":"Backdoor"`) {
		t.Errorf("trimmed = %s", got)
	}
	again, _ := Parse(got)
	if o := AnalyzeTrust(again, s); len(o) != 0 {
		t.Errorf("the trimmed document still opens: %+v", o)
	}
	// Everything removed: a statement that denies every assumption stands in.
	only, _ := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`)
	empty, _ := TrimTrust(only, AnalyzeTrust(only, s))
	if b, _ := empty.MarshalJSON(); !strings.Contains(string(b), `"Effect":"Deny"`) {
		t.Errorf("a fully trimmed document = %s, want a Deny", b)
	}
}

// TestTrimTrustKeepsWhatConfines: a statement confined to this account's
// principals is not trimmed, and TrimTrust never panics on openings that do
// not match the document.
func TestTrimTrustKeepsWhatConfines(t *testing.T) {
	s := TrustSettings{Account: "111122223333"}
	d, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",` +
		`"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*"}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if o := AnalyzeTrust(d, s); len(o) != 0 {
		t.Fatalf("AnalyzeTrust = %+v, want nothing to trim", o)
	}
	trimmed, removed := TrimTrust(d, []Opening{{Statement: 7, Key: "AWS", Value: "x"}, {Statement: 0, Key: "Nope", Value: "y"}})
	if len(trimmed.Statements) != 1 || len(removed) != 0 {
		t.Errorf("TrimTrust with stray openings = %d statements, removed %q; want the document unchanged", len(trimmed.Statements), removed)
	}
	noPrincipal := &Document{Version: "2012-10-17", Statements: []Statement{{Effect: "Allow", Action: []string{"sts:AssumeRole"}}}}
	if got, _ := TrimTrust(noPrincipal, []Opening{{Statement: 0, Key: "AWS", Value: "*"}}); len(got.Statements) != 1 {
		t.Errorf("a statement without a principal was removed")
	}
}

// FuzzTrust: on any document IAM would accept, AnalyzeTrust and TrimTrust
// never panic, the trimmed document can be written and read back, and it
// opens nothing.
func FuzzTrust(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999988887777:root","111122223333"],"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"NotAction":"iam:*","Resource":"*"}]}`,
	} {
		f.Add(seed)
	}
	s := TrustSettings{Account: "111122223333", TrustedAccounts: []string{"444455556666"}, TrustedOrgID: "o-abc123def4"}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(text)
		if err != nil {
			return
		}
		trimmed, _ := TrimTrust(d, AnalyzeTrust(d, s))
		b, err := trimmed.MarshalJSON()
		if err != nil {
			t.Fatalf("the trimmed document cannot be written: %v", err)
		}
		again, err := Parse(string(b))
		if err != nil {
			t.Fatalf("the trimmed document %s does not parse: %v", b, err)
		}
		if o := AnalyzeTrust(again, s); len(o) != 0 {
			t.Fatalf("the trimmed document %s still opens: %+v", b, o)
		}
	})
}
