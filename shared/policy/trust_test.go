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
		{"anyone with an external ID", stmt(`{"AWS":"*"}`, `{"StringEquals":{"sts:ExternalId":"x"}}`), severity.None},
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
