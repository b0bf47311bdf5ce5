package awsarn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   ARN
		wantOK bool
		typ    string
		name   string
	}{
		{"arn:aws:iam::111122223333:role/emergency/BreakGlass", ARN{"aws", "iam", "", "111122223333", "role/emergency/BreakGlass"}, true, "role", "BreakGlass"},
		{"arn:aws:iam::111122223333:user/alice", ARN{"aws", "iam", "", "111122223333", "user/alice"}, true, "user", "alice"},
		{"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", ARN{"aws-us-gov", "iam", "", "aws", "policy/ReadOnlyAccess"}, true, "policy", "ReadOnlyAccess"},
		{"arn:aws:iam::111122223333:root", ARN{"aws", "iam", "", "111122223333", "root"}, true, "", ""},
		{"arn:aws:sns:us-east-1:111122223333:alerts", ARN{"aws", "sns", "us-east-1", "111122223333", "alerts"}, true, "", ""},
		{"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*", ARN{"aws", "logs", "us-east-1", "1", "log-group:/aws/lambda/x:*"}, true, "log-group:", "x:*"},
		{"arn:aws:iam::*:role/deploy-*", ARN{"aws", "iam", "", "*", "role/deploy-*"}, true, "role", "deploy-*"},
		{"arn:::::", ARN{}, true, "", ""},
		{"arn:aws:iam::111122223333", ARN{}, false, "", ""},
		{"urn:aws:iam::111122223333:user/alice", ARN{}, false, "", ""},
		{"", ARN{}, false, "", ""},
	} {
		got, ok := Parse(tc.in)
		if ok != tc.wantOK {
			t.Errorf("Parse(%q) ok = %v, want %v", tc.in, ok, tc.wantOK)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
		}
		if !ok {
			continue
		}
		if s := got.String(); s != tc.in {
			t.Errorf("Parse(%q).String() = %q, want the input", tc.in, s)
		}
		if typ := got.ResourceType(); typ != tc.typ {
			t.Errorf("Parse(%q).ResourceType() = %q, want %q", tc.in, typ, tc.typ)
		}
		if name := got.ResourceName(); name != tc.name {
			t.Errorf("Parse(%q).ResourceName() = %q, want %q", tc.in, name, tc.name)
		}
	}
}
