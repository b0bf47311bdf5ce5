package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	const (
		readS3  = `{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::reports/*"}`
		passAny = `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`
		denyIAM = `{"Effect":"Deny","Action":"iam:*","Resource":"*"}`
	)
	tests := []struct {
		name          string
		before, after string
		added         []string
		removed       []string
		noNew         bool
	}{
		{
			name:   "a statement added",
			before: doc(readS3),
			after:  doc(readS3, passAny),
			added:  []string{"iam:PassRole on *"},
		},
		{
			name:    "a statement removed: nothing new",
			before:  doc(readS3, passAny),
			after:   doc(readS3),
			removed: []string{"iam:PassRole on *"},
			noNew:   true,
		},
		{
			name:   "the same grants, reordered and reformatted: nothing new",
			before: doc(readS3, passAny),
			after:  doc(passAny, `{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::reports/*"]}`),
			noNew:  true,
		},
		{
			name:   "narrowed from s3:* to two actions: nothing new, though the lines differ",
			before: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::reports/*"}`),
			after:  doc(readS3),
			added:  []string{"s3:GetObject on arn:aws:s3:::reports/*", "s3:ListBucket on arn:aws:s3:::reports/*"},
			removed: []string{
				"s3:* on arn:aws:s3:::reports/*",
			},
			noNew: true,
		},
		{
			name:    "a resource widened",
			before:  doc(readS3),
			after:   doc(`{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}`),
			added:   []string{"s3:GetObject on *", "s3:ListBucket on *"},
			removed: []string{"s3:GetObject on arn:aws:s3:::reports/*", "s3:ListBucket on arn:aws:s3:::reports/*"},
		},
		{
			name:    "a condition dropped adds access",
			before:  doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}`),
			after:   doc(passAny),
			added:   []string{"iam:PassRole on *"},
			removed: []string{`iam:PassRole on * under {"StringEquals":{"iam:PassedToService":["lambda.amazonaws.com"]}}`},
		},
		{
			name:    "a condition added takes access away",
			before:  doc(passAny),
			after:   doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}`),
			added:   []string{`iam:PassRole on * under {"StringEquals":{"iam:PassedToService":["lambda.amazonaws.com"]}}`},
			removed: []string{"iam:PassRole on *"},
			noNew:   true,
		},
		{
			name:    "a Deny removed adds access",
			before:  doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, denyIAM),
			after:   doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`),
			removed: []string{"deny iam:* on *"},
		},
		{
			name:    "a Deny widened: nothing new",
			before:  doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}`),
			after:   doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, denyIAM),
			added:   []string{"deny iam:* on *"},
			removed: []string{"deny iam:CreateUser on *"},
			noNew:   true,
		},
		{
			name:    "a trust policy opened to another account",
			before:  doc(`{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}`),
			after:   doc(`{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com","AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}`),
			added:   []string{"sts:AssumeRole for AWS:arn:aws:iam::444455556666:root"},
			removed: nil,
		},
		{
			name:   "NotAction is compared whole",
			before: doc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`),
			after:  doc(`{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}`),
			added:  []string{"all but iam:*, organizations:* on *"},
			removed: []string{
				"all but iam:* on *",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Parse(tc.before)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(tc.after)
			if err != nil {
				t.Fatal(err)
			}
			c := Compare(b, a)
			if diff := cmp.Diff(tc.added, grantLines(c.Added)); diff != "" {
				t.Errorf("Added (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.removed, grantLines(c.Removed)); diff != "" {
				t.Errorf("Removed (-want +got):\n%s", diff)
			}
			if c.NoNewAccess != tc.noNew {
				t.Errorf("NoNewAccess = %v, want %v", c.NoNewAccess, tc.noNew)
			}
		})
	}
}

// TestCompareLargeDocuments: beyond maxGrants a document is compared
// statement by statement and never said to add nothing.
func TestCompareLargeDocuments(t *testing.T) {
	acts := make([]string, 60)
	res := make([]string, 60)
	for i := range acts {
		acts[i] = `"s3:Get` + strings.Repeat("x", i) + `"`
		res[i] = `"arn:aws:s3:::b` + strings.Repeat("y", i) + `"`
	}
	big := doc(`{"Effect":"Allow","Action":[` + strings.Join(acts, ",") + `],"Resource":[` + strings.Join(res, ",") + `]}`)
	d, err := Parse(big)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := Grants(d); ok || len(g) != 1 {
		t.Fatalf("Grants(3600-grant document) = %d grants, ok %v; want 1 whole statement, false", len(g), ok)
	}
	if c := Compare(d, d); c.NoNewAccess || len(c.Added) != 0 {
		t.Errorf("Compare(big, big) = %+v; want no lines and NoNewAccess false", c)
	}
}

func grantLines(gs []Grant) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.String())
	}
	return out
}
