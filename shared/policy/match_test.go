package policy

import (
	"slices"
	"strings"
	"testing"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "iam:AttachUserPolicy", true},
		{"*", "", true},
		{"*:*", "s3:GetObject", true},
		{"iam:*", "iam:AttachUserPolicy", true},
		{"iam:*", "iam:", true},
		{"iam:*", "iamx:AttachUserPolicy", false},
		{"iam:*Policy", "iam:AttachUserPolicy", true},
		{"iam:*Policy", "iam:AttachUserPolicyVersion", false},
		{"iam:*Policy*", "iam:CreatePolicyVersion", true},
		{"iam:*AccessKey*", "iam:CreateAccessKey", true},
		{"iam:*AccessKey*", "iam:ListAccessKeys", true},
		{"IAM:listaccesskeys", "iam:ListAccessKeys", true}, // the AWS documentation's own example
		{"iam:ListAccessKeys", "IAM:LISTACCESSKEYS", true},
		{"S3:Get*", "s3:getobject", true},
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:Getbject", false},
		{"s3:Get?bject", "s3:GetXXbject", false},
		{"s3:?", "s3:", false},
		{"s3:??", "s3:ab", true},
		{"*:List*", "dynamodb:ListTables", true},
		{"*:List*", "dynamodb:DescribeTable", false},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"s3:GetObject", "s3:GetObjec", false},
		{"", "", true},
		{"", "s3:GetObject", false},
		{"a*b*c*d", "a-b-c-d", true},
		{"a*b*c*d", "abcdx", false},
		{"**", "anything", true},
		{"*a", "aaaa", true},
		{"*ab", "aaab", true},
		{"*ab", "abba", false},
		{"?", "é", true}, // '?' takes one character, not one byte
		{"??", "é", false},
		{"*??", "€", false},
	}
	for _, tc := range tests {
		if got := MatchAction(tc.pattern, tc.action); got != tc.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}

func TestMatchResource(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::bucket/key", true},
		{"*", "anything:with:colons", true},
		{"**", "arn:aws:iam::111122223333:user/alice", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::bucket/key/deeper", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test/3/object.jpg", true},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/tset/object.jpg", false},
		{"arn:aws:ec2:*:*:*", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", true},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:volume/vol-1", false},
		{"arn:aws:iam::*:role/app-*", "arn:aws:iam::111122223333:role/app-web", true},
		{"arn:aws:iam::*:role/app-*", "arn:aws:iam::111122223333:role/admin", false},
		// Case-sensitive, unlike actions.
		{"arn:aws:iam::111122223333:user/Alice", "arn:aws:iam::111122223333:user/alice", false},
		{"arn:aws:iam::111122223333:user/Alice", "arn:aws:iam::111122223333:user/Alice", true},
		// '*' and '?' inside a segment never cross ':'.
		{"arn:aws:*:us-east-1:111122223333:*", "arn:aws:sqs:us-east-1:111122223333:q", true},
		{"arn:aws:s*:111122223333:q", "arn:aws:sqs:us-east-1:111122223333:q", false},
		{"arn:aws:sqs:us-east-?:111122223333:q", "arn:aws:sqs:us-east-1:111122223333:q", true},
		{"arn:aws:sqs:us-east?1:111122223333:q", "arn:aws:sqs:us-east:1:111122223333:q", false},
		{"arn:aws:sqs:*:q", "arn:aws:sqs:us-east-1:111122223333:q", false},
		// An empty segment is matched by '*'.
		{"arn:aws:s3:*:*:bucket", "arn:aws:s3:::bucket", true},
		// A trailing '*' takes the colons of the resource part.
		{"arn:aws:logs:*:*:log-group:/aws/lambda/*", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:log-stream:2024/01/01", true},
		{"arn:aws:logs:*:*:*", "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s", true},
		{"arn:aws:logs:*:*:log-group:g", "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s", false},
		{"arn:aws:iam::*", "arn:aws:iam::111122223333:user/alice", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false},
		{"arn:aws:s3:::bucket?", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::buck?t", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::*", "arn:aws:s3", false},
		{"", "", true},
	}
	for _, tc := range tests {
		if got := MatchResource(tc.pattern, tc.arn); got != tc.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
		}
	}
}

// TestMatchLinear guards against exponential backtracking: a pattern with
// many stars against a long near-miss must still be fast.
func TestMatchLinear(t *testing.T) {
	pattern := strings.Repeat("a*", 200) + "b"
	text := strings.Repeat("a", 5000)
	if MatchAction(pattern, text) {
		t.Errorf("MatchAction(a*a*...b, aaaa...) = true, want false")
	}
	if MatchResource("arn:"+pattern, "arn:"+text) {
		t.Errorf("MatchResource(arn:a*a*...b, arn:aaaa...) = true, want false")
	}
	if !overlaps(strings.Repeat("*a", 200), strings.Repeat("a*", 200)) {
		t.Errorf("overlaps(*a*a..., a*a*...) = false, want true")
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		p, a string
		want bool
	}{
		{"*", "iam:Attach*", true},
		{"iam:*", "iam:Attach*", true},
		{"iam:*", "iam:CreateUser", true},
		{"IAM:*", "iam:createuser", true},
		{"iam:Attach*", "iam:*", false},
		{"iam:Attach*", "iam:AttachUser*", true},
		{"iam:AttachUser*", "iam:Attach*", false},
		{"iam:*Policy", "iam:Attach*Policy", true},
		{"iam:*Policy", "iam:Attach*", false},
		{"iam:?ttach*", "iam:Attach*", true},
		{"iam:?ttach*", "iam:*ttach*", false}, // '?' cannot stand for a '*' that may be empty
		{"iam:??", "iam:??", true},
		{"iam:??", "iam:?", false},
		{"*:*", "*", false}, // "*" may match names without a colon
		{"*", "*:*", true},
		{"s3:Get*", "s3:Get?bject", true},
		{"s3:GetObject", "s3:Get*", false},
	}
	for _, tc := range tests {
		if got := actionCovers(tc.p, tc.a); got != tc.want {
			t.Errorf("actionCovers(%q, %q) = %v, want %v", tc.p, tc.a, got, tc.want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		p, q string
		want bool
	}{
		{"iam:*", "iam:Put*", true},
		{"iam:Get*", "iam:Put*", false},
		{"iam:*Policy", "iam:Put*", true},
		{"iam:*Policy", "iam:Put*Group", false},
		{"s3:*", "iam:*", false},
		{"*Put*", "iam:*", true},
		{"iam:P?t*", "iam:Put*", true},
		{"iam:PassRole", "IAM:passrole", true},
		{"iam:PassRole", "iam:PassRoles", false},
		{"a?c", "*b*", true},
		{"a?c", "*dd*", false},
	}
	for _, tc := range tests {
		if got := overlaps(tc.p, tc.q); got != tc.want {
			t.Errorf("overlaps(%q, %q) = %v, want %v", tc.p, tc.q, got, tc.want)
		}
		if got := overlaps(tc.q, tc.p); got != tc.want {
			t.Errorf("overlaps(%q, %q) = %v, want %v", tc.q, tc.p, got, tc.want)
		}
	}
}

func TestResourceCovers(t *testing.T) {
	tests := []struct {
		p, r string
		want bool
	}{
		{"*", "arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::*", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", true},
		{"arn:aws:logs:*:*:*", "arn:aws:logs:us-east-1:1:log-group:g:*", true},
		{"arn:aws:logs:*:*:log-group:g", "arn:aws:logs:*:*:log-group:g:*", false},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{"arn:aws:ec2:us-east-1:*:instance/*", "arn:aws:ec2:*:*:instance/*", false},
		{"arn:aws:iam::*:user/Alice", "arn:aws:iam::1:user/alice", false},
	}
	for _, tc := range tests {
		if got := resourceCovers(tc.p, tc.r); got != tc.want {
			t.Errorf("resourceCovers(%q, %q) = %v, want %v", tc.p, tc.r, got, tc.want)
		}
	}
}

func TestResourceClasses(t *testing.T) {
	tests := []struct {
		r           string
		all         bool
		serviceWide bool
	}{
		{"*", true, false},
		{"*:*", true, false},
		{"arn:*", true, false},
		{"arn:aws:*", true, false},
		{"arn:aws:*:*:*:*", true, false},
		{"arn:*:*:*:*:*", true, false},
		{"arn:aws:s3:::*", false, true},
		{"arn:aws:s3:::*/*", false, true},
		{"arn:aws:ec2:*:*:*", false, true},
		{"arn:aws:iam::*:*", false, true},
		{"arn:aws:iam::111122223333:*", false, true},
		{"arn:aws:s3:::reports-*", false, false},
		{"arn:aws:ec2:*:*:instance/*", false, false},
		{"arn:aws:s3:::bucket", false, false},
		{"arn:aws:s3", false, false},
		{"bucket/*", false, false},
	}
	for _, tc := range tests {
		if got := allResources(tc.r); got != tc.all {
			t.Errorf("allResources(%q) = %v, want %v", tc.r, got, tc.all)
		}
		if _, got := serviceWideResource(tc.r); got != tc.serviceWide && !tc.all {
			t.Errorf("serviceWideResource(%q) = %v, want %v", tc.r, got, tc.serviceWide)
		}
	}
}

func TestClassifyAction(t *testing.T) {
	tests := []struct {
		p    string
		want actionClass
	}{
		{"sns:Publish", clsSpecific},
		{"*", clsAdmin},
		{"*:*", clsAdmin},
		{"iam:*", clsHighService},
		{"Iam:*", clsHighService},
		{"i*:*", clsHighService}, // reaches iam:*
		{"kms*", clsHighService},
		{"s3:*", clsService},
		{"s3*", clsService},
		{"s3:Get*", clsRead},
		{"*:List*", clsRead},
		{"s3:Put*", clsWildMedium},
		{"s3:*Object", clsWildMedium},
		{"athena:Batch*", clsWildLow},
	}
	for _, tc := range tests {
		if got := classifyAction(tc.p); got != tc.want {
			t.Errorf("classifyAction(%q) = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestEscalationTableFits(t *testing.T) {
	x := escalation()
	if len(escalationPaths) > maxEscActions {
		t.Errorf("%d escalation paths, want at most %d", len(escalationPaths), maxEscActions)
	}
	n := 0
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, p := range escalationPaths {
		if names[p.Name] {
			t.Errorf("escalation path name %q is used twice", p.Name)
		}
		names[p.Name] = true
		if len(p.Actions) == 0 {
			t.Errorf("escalation path %q has no actions", p.Name)
		}
		if passes := slices.ContainsFunc(p.Actions, func(a string) bool { return strings.EqualFold(a, "iam:PassRole") }); passes != (len(p.PassTo) > 0) {
			t.Errorf("escalation path %q: has iam:PassRole = %v, but PassTo = %q (a PassRole path names the services it passes the role to, and only such a path)", p.Name, passes, p.PassTo)
		}
		for _, svc := range p.PassTo {
			if !strings.HasSuffix(svc, ".amazonaws.com") {
				t.Errorf("escalation path %q: PassTo %q is not a service principal", p.Name, svc)
			}
		}
		for _, a := range p.Actions {
			if !strings.Contains(a, ":") {
				t.Errorf("escalation path %q: action %q has no service prefix", p.Name, a)
			}
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				n++
			}
		}
	}
	if n > maxEscActions || len(x.actions) != n {
		t.Errorf("escalation table has %d distinct actions, index holds %d, capacity %d", n, len(x.actions), maxEscActions)
	}
	got := EscalationPaths()
	got[0].Actions[0] = "changed"
	if escalationPaths[0].Actions[0] == "changed" {
		t.Errorf("EscalationPaths() shares memory with the table")
	}
}
