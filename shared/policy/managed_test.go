package policy

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/severity"
)

// managedPolicies is the snapshot in testdata/aws-managed-policies.json.gz;
// see testdata/PROVENANCE.md.
type managedPolicies struct {
	Source   string `json:"source"`
	Policies map[string]struct {
		VersionID string          `json:"versionId"`
		Document  json.RawMessage `json:"document"`
	} `json:"policies"`
}

func loadManaged(t testing.TB) managedPolicies {
	t.Helper()
	f, err := os.Open("testdata/aws-managed-policies.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var m managedPolicies
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		t.Fatalf("decode testdata/aws-managed-policies.json.gz: %v", err)
	}
	if len(m.Policies) < 1000 {
		t.Fatalf("testdata/aws-managed-policies.json.gz holds %d policies, want more than 1000", len(m.Policies))
	}
	return m
}

// TestManagedPolicies parses every AWS managed policy in the snapshot, checks
// that each survives a round trip, and pins the verdicts of well-known ones.
func TestManagedPolicies(t *testing.T) {
	m := loadManaged(t)
	verdicts := make(map[string]Verdict, len(m.Policies))
	var critical []string
	for arn, p := range m.Policies {
		d, err := Parse(string(p.Document))
		if err != nil {
			t.Errorf("Parse(%s %s) error = %v", arn, p.VersionID, err)
			continue
		}
		b, err := d.MarshalJSON()
		if err != nil {
			t.Errorf("MarshalJSON(%s) error = %v", arn, err)
			continue
		}
		again, err := Parse(string(b))
		if err != nil {
			t.Errorf("Parse(MarshalJSON(%s)) error = %v", arn, err)
			continue
		}
		if diff := cmp.Diff(d, again); diff != "" {
			t.Errorf("Parse(MarshalJSON(%s)) mismatch (-want +got):\n%s", arn, diff)
		}
		v := Analyze(d)
		verdicts[arn] = v
		if v.Severity == severity.Critical {
			critical = append(critical, arn)
		}
	}
	// Only AdministratorAccess grants "*" on "*" without a condition.
	if diff := cmp.Diff([]string{"arn:aws:iam::aws:policy/AdministratorAccess"}, critical); diff != "" {
		t.Errorf("critical managed policies mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		name  string
		want  severity.Severity
		kinds []string // the kinds of all findings, in order; checked when not nil
	}{
		{"AdministratorAccess", severity.Critical, []string{KindAdmin}},
		{"IAMFullAccess", severity.High, []string{KindServiceWildcard, KindPrivilegeEscalation}},
		{"PowerUserAccess", severity.High, []string{KindNotAction, KindPrivilegeEscalation, KindResourceWildcard}},
		{"AWSMcpServiceActionsFullAccess", severity.High, []string{KindAdminConditional}}, // "*" on "*" if aws:IsMcpServiceAction
		{"AWSOrganizationsFullAccess", severity.High, nil},
		{"AWSLambda_FullAccess", severity.High, []string{KindPrivilegeEscalation, KindServiceWildcard}}, // PassRole + lambda:*
		{"EC2InstanceConnect", severity.High, []string{KindPrivilegeEscalation}},                        // SendSSHPublicKey + DescribeInstances
		{"AmazonS3FullAccess", severity.Medium, []string{KindServiceWildcard}},
		{"DatabaseAdministrator", severity.Medium, nil},
		// Read-only policies hold wildcards such as "s3:Get*", and a few
		// such as "athena:Batch*" whose reach is unknown: low, never more.
		{"ReadOnlyAccess", severity.Low, []string{KindActionWildcard, KindActionWildcard}},
		{"ViewOnlyAccess", severity.Low, []string{KindReadWildcard}},
		{"SecurityAudit", severity.Low, nil},
		{"IAMReadOnlyAccess", severity.Low, []string{KindReadWildcard}},
		{"AmazonS3ReadOnlyAccess", severity.Low, []string{KindReadWildcard}},
		// Deny only.
		{"AWSCompromisedKeyQuarantineV2", severity.None, []string{}},
		{"AWSDenyAll", severity.None, []string{}},
	}
	for _, tc := range tests {
		var v Verdict
		found := false
		for arn, got := range verdicts {
			if strings.HasSuffix(arn, "/"+tc.name) {
				v, found = got, true
			}
		}
		if !found {
			t.Errorf("managed policy %s is not in the snapshot", tc.name)
			continue
		}
		if v.Severity != tc.want {
			t.Errorf("Analyze(%s).Severity = %v, want %v; reasons: %q", tc.name, v.Severity, tc.want, v.Reasons())
		}
		if tc.kinds != nil {
			got := []string{}
			for _, f := range v.Findings {
				got = append(got, f.Kind)
			}
			if diff := cmp.Diff(tc.kinds, got); diff != "" {
				t.Errorf("Analyze(%s) kinds mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}
}

// TestManagedVerdictTable pins the verdict of every AWS managed policy in the
// snapshot: testdata/managed-verdicts.tsv holds, per policy, its severity,
// the kinds of its findings and the escalation paths it completes. A change
// to the analysis that moves any verdict shows up as a diff of that table;
// `go test ./shared/policy -update` rewrites it, and the commit that does so
// says why each line moved.
func TestManagedVerdictTable(t *testing.T) {
	m := loadManaged(t)
	arns := slices.Sorted(maps.Keys(m.Policies))
	var b strings.Builder
	b.WriteString("# policy\tseverity\tkinds\tpaths\tpaths a Condition blocks (go test ./shared/policy -update rewrites this file)\n")
	for _, arn := range arns {
		d, err := Parse(string(m.Policies[arn].Document))
		if err != nil {
			t.Fatalf("Parse(%s): %v", arn, err)
		}
		v := managedAnalyze(m, d)
		var kinds, paths, blocked []string
		for _, f := range v.Findings {
			if !slices.Contains(kinds, f.Kind) {
				kinds = append(kinds, f.Kind)
			}
			to := &paths
			if f.Kind == KindEscalationBlocked {
				to = &blocked
			}
			for _, p := range f.Paths {
				if !slices.Contains(*to, p) {
					*to = append(*to, p)
				}
			}
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", strings.TrimPrefix(arn, "arn:aws:iam::aws:policy/"), v.Severity,
			strings.Join(kinds, ","), strings.Join(paths, ","), strings.Join(blocked, ","))
	}
	golden.Check(t, "testdata/managed-verdicts.tsv", []byte(b.String()))
}

// managedAnalyze judges a managed policy as the rules do: with the catalogue
// at hand for conditions that name other managed policies.
func managedAnalyze(m managedPolicies, d *Document) Verdict {
	return AnalyzeWith(d, Options{Policy: func(arn string) (*Document, bool) {
		p, ok := m.Policies[arn]
		if !ok {
			return nil, false
		}
		d, err := Parse(string(p.Document))
		return d, err == nil
	}})
}
