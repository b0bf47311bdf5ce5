package policy

import "testing"

// TestMatchesAllActions checks that every pattern said to match every action
// does match a spread of real and shortest action names, and that the others
// are not said to.
func TestMatchesAllActions(t *testing.T) {
	names := []string{"s:a", "s3:GetObject", "iam:PassRole", "ec2-instance-connect:SendSSHPublicKey", "a:bc", "ab:c"}
	for _, p := range []string{"*", "*:*", "**", "*?", "*:?*", "?*:*", "*:*?", "?*:?*", "*??", "*???", "?*?"} {
		if !matchesAllActions(p) {
			t.Errorf("matchesAllActions(%q) = false, want true", p)
		}
		for _, n := range names {
			if !MatchAction(p, n) {
				t.Errorf("matchesAllActions(%q) but MatchAction(%q, %q) = false", p, p, n)
			}
		}
	}
	for _, p := range []string{"?:*", "*:??*", "????*", "s*:*", "*:Get*", "*:*:*", "?", "", "iam:*"} {
		if matchesAllActions(p) {
			t.Errorf("matchesAllActions(%q) = true, want false", p)
		}
	}
}

func TestParseBroad(t *testing.T) {
	tests := []struct {
		r     string
		ok    bool
		whole bool
		types uint8
	}{
		{"arn:aws:iam::111122223333:*", true, true, 0},
		{"arn:aws:iam::*:*", true, true, 0},
		{"arn:*:iam::*:*/*", true, true, 0},
		{"arn:aws:iam::111122223333:user/*", true, false, iamUser},
		{"arn:aws:iam::111122223333:role/*", true, false, iamRole},
		{"arn:aws:iam::111122223333:group/*", true, false, iamGroup},
		{"arn:aws:iam::111122223333:policy/*", true, false, iamPolicy},
		{"arn:aws:ec2:*:*:*", true, true, 0},
		{"arn:aws:lambda:us-east-1:111122223333:*", true, true, 0},
		{"arn:aws:s3:::*", true, true, 0},
		{"arn:aws:iam::111122223333:user/alice", false, false, 0},
		{"arn:aws:iam::111122223333:role/app/*", false, false, 0},
		{"arn:aws:iam::1111*:user/*", false, false, 0},
		{"arn:aws:s3:::bucket/*", false, false, 0},
		{"arn:aws:ec2:*:*:instance/*", false, false, 0},
		{"arn:aws:lambda:*:*:function:*", false, false, 0},
		{"*", false, false, 0},
		{"arn:aws:*:*:*:*", false, false, 0},
	}
	for _, tc := range tests {
		b, ok := parseBroad(tc.r)
		if ok != tc.ok || b.whole != tc.whole || b.types != tc.types {
			t.Errorf("parseBroad(%q) = %+v, %v; want whole %v, types %b, %v", tc.r, b, ok, tc.whole, tc.types, tc.ok)
		}
	}
}
