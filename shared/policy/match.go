package policy

import (
	"strings"
	"unicode/utf8"
)

// MatchAction reports whether the action pattern from a policy, such as
// "iam:*Policy", matches the action name, such as "iam:AttachUserPolicy".
//
// Both the service prefix and the action name are case-insensitive in IAM
// (IAM:listaccesskeys is iam:ListAccessKeys). '*' matches any run of
// characters, including none, and '?' matches exactly one character.
// Matching runs in O(len(pattern)·len(action)) at worst, never exponential time.
func MatchAction(pattern, action string) bool {
	return glob(pattern, action, true)
}

// MatchResource reports whether the resource pattern from a policy matches
// the ARN. Unlike actions, resources are case-sensitive (IAM user names in an
// ARN are).
//
// The pattern and the ARN are compared segment by segment, segments being
// separated by ':'. Within a segment '*' matches any run of characters,
// '/' included, and '?' exactly one character; neither ever matches ':'. The
// one exception is a '*' that ends the pattern: it may also cover the colons
// of the rest of the ARN, so "*" matches every ARN and "arn:aws:s3:::*"
// matches "arn:aws:s3:::bucket/key" and "arn:aws:logs:*:*:log-group:*" matches
// a log stream ARN with more colons after the group name.
func MatchResource(pattern, arn string) bool {
	open := strings.HasSuffix(pattern, "*")
	p, t := pattern, arn
	for {
		pi := strings.IndexByte(p, ':')
		ti := strings.IndexByte(t, ':')
		if pi < 0 {
			// Last pattern segment. If it ends in '*', everything after the
			// segment's own text in the ARN is absorbed by that '*', so only
			// the ARN segment in hand has to match.
			if ti >= 0 {
				if !open {
					return false
				}
				t = t[:ti]
			}
			return glob(p, t, false)
		}
		if ti < 0 {
			return false // the pattern has more segments than the ARN
		}
		if !glob(p[:pi], t[:ti], false) {
			return false
		}
		p, t = p[pi+1:], t[ti+1:]
	}
}

// hasWildcard reports whether s holds a '*' or '?'.
func hasWildcard(s string) bool {
	return strings.IndexByte(s, '*') >= 0 || strings.IndexByte(s, '?') >= 0
}

// isAllStars reports whether s is a non-empty run of '*', which matches
// everything both as an action and as a resource.
func isAllStars(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '*' {
			return false
		}
	}
	return true
}

// lower folds an ASCII letter to lower case. Action names are ASCII; other
// bytes compare as they are.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func byteEq(a, b byte, fold bool) bool {
	if fold {
		return lower(a) == lower(b)
	}
	return a == b
}

// glob matches pattern against s. It is the classic iterative matcher that
// remembers only the most recent '*': when a later '*' is reached, any match
// that needed the earlier '*' to take more can be had by the later '*' taking
// more instead, so no other backtracking is ever needed. '?' and the '*'
// restarts step over whole UTF-8 sequences so that a character is never split.
func glob(pattern, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(pattern) {
			switch c := pattern[pi]; c {
			case '*':
				starP, starS = pi, si
				pi++
				continue
			case '?':
				si += runeLen(s, si)
				pi++
				continue
			default:
				if byteEq(c, s[si], fold) {
					pi++
					si++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS += runeLen(s, starS)
		si = starS
		pi = starP + 1
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

func runeLen(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// covers reports whether every string that pattern a can match is also
// matched by pattern p. It is sound but not complete: a true answer is always
// right, while a false answer means only that no proof was found.
//
// The proof treats the wildcards of a as symbols: p's '*' may absorb any run
// of a's characters and symbols, p's '?' one character or one '?' symbol (but
// never a '*', which may stand for several characters or none), and p's
// literal characters only equal literal characters. If p matches a that way,
// then p matches every expansion of a. The matcher is the same single-restart
// algorithm as glob, which is correct because p's '*' is unrestricted.
func covers(p, a string, fold bool) bool {
	pi, ai := 0, 0
	starP, starA := -1, 0
	for ai < len(a) {
		if pi < len(p) {
			c := p[pi]
			switch {
			case c == '*':
				starP, starA = pi, ai
				pi++
				continue
			case c == '?' && a[ai] != '*':
				ai += runeLen(a, ai)
				pi++
				continue
			case c != '?' && a[ai] != '*' && a[ai] != '?' && byteEq(c, a[ai], fold):
				pi++
				ai++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starA += runeLen(a, starA)
		ai = starA
		pi = starP + 1
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// actionCovers reports whether action pattern p allows everything that action
// pattern a allows (case-insensitive).
func actionCovers(p, a string) bool { return covers(p, a, true) }

// maxOverlapCells bounds the work of overlaps. Real action patterns are short;
// beyond the bound, overlaps answers true, the cautious answer for its callers.
const maxOverlapCells = 1 << 16

// overlaps reports whether some action name is matched by both action
// patterns (case-insensitive). It explores the pairs of positions (i, j) that
// the two patterns can reach together, so it takes O(len(p)·len(q)) time.
func overlaps(p, q string) bool {
	if p == q || isAllStars(p) || isAllStars(q) {
		return true
	}
	w := len(q) + 1
	cells := (len(p) + 1) * w
	if cells > maxOverlapCells {
		return true
	}
	var small [512]bool
	var seen []bool
	if cells <= len(small) {
		seen = small[:cells]
	} else {
		seen = make([]bool, cells)
	}
	var stackBuf [64]int
	stack := append(stackBuf[:0], 0)
	seen[0] = true
	push := func(i, j int) {
		if k := i*w + j; !seen[k] {
			seen[k] = true
			stack = append(stack, k)
		}
	}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := k/w, k%w
		if i == len(p) && j == len(q) {
			return true
		}
		pStar := i < len(p) && p[i] == '*'
		qStar := j < len(q) && q[j] == '*'
		if pStar {
			push(i+1, j) // p's '*' ends here
			if j < len(q) && !qStar {
				push(i, j+1) // p's '*' takes q's next character
			}
		}
		if qStar {
			push(i, j+1)
			if i < len(p) && !pStar {
				push(i+1, j)
			}
		}
		if i < len(p) && j < len(q) && !pStar && !qStar &&
			(p[i] == '?' || q[j] == '?' || lower(p[i]) == lower(q[j])) {
			push(i+1, j+1)
		}
	}
	return false
}

// resourceCovers reports whether resource pattern p matches every ARN that
// resource pattern r matches, under the segment rules of MatchResource. Like
// covers it is sound, not complete.
func resourceCovers(p, r string) bool {
	if p == r || isAllStars(p) {
		return true
	}
	pOpen := strings.HasSuffix(p, "*")
	rOpen := strings.HasSuffix(r, "*")
	for {
		pi := strings.IndexByte(p, ':')
		ri := strings.IndexByte(r, ':')
		if pi < 0 {
			if ri >= 0 || rOpen {
				// r goes on past p's last segment, or may: only p's final
				// '*' can take that, and it absorbs a trailing "*" symbol
				// appended to r's segment just as it absorbs any text.
				if !pOpen {
					return false
				}
				if ri >= 0 {
					r = r[:ri]
				}
			}
			return covers(p, r, false)
		}
		if ri < 0 {
			return false
		}
		if !covers(p[:pi], r[:ri], false) {
			return false
		}
		p, r = p[pi+1:], r[ri+1:]
	}
}

// arnSegment returns the n-th ':'-separated segment of s (0-based), the rest
// of s after it, and whether s has that many segments.
func arnSegment(s string, n int) (seg, rest string, ok bool) {
	for i := 0; i < n; i++ {
		k := strings.IndexByte(s, ':')
		if k < 0 {
			return "", "", false
		}
		s = s[k+1:]
	}
	if k := strings.IndexByte(s, ':'); k >= 0 {
		return s[:k], s[k+1:], true
	}
	return s, "", true
}

// allResources reports whether the resource pattern r reaches every
// resource: "*", "*:*", "arn:*", "arn:aws:*", "arn:*:*:*:*:*" and the like.
// A pattern fixed to one partition ("arn:aws:*") counts: in practice a policy
// only ever meets resources of its own partition.
func allResources(r string) bool {
	if !strings.HasSuffix(r, "*") {
		return false // every such pattern ends in '*'; most ARNs do not
	}
	if isAllStars(r) {
		return true
	}
	seg0, rest, _ := arnSegment(r, 0)
	if !glob(seg0, "arn", false) || !strings.Contains(r, ":") {
		return false
	}
	// Segments 1..5 are partition, service, region, account, resource.
	for i := 1; ; i++ {
		seg, next, _ := arnSegment(rest, 0)
		last := !strings.Contains(rest, ":")
		switch {
		case last:
			if i == 1 {
				return true // "arn:aws*" and the like: it ends in '*'
			}
			return isAllStars(seg)
		case i == 1:
			// any partition
		case i <= 4:
			if !isAllStars(seg) {
				return false
			}
		default:
			return false // a resource part with its own colons is a narrower pattern
		}
		rest = next
	}
}

// serviceWideResource reports whether r is a wildcard over every resource of
// one service, such as "arn:aws:s3:::*", "arn:aws:s3:::*/*" or
// "arn:aws:ec2:*:*:*": an ARN whose resource part (after the fifth ':') holds
// nothing but wildcards and separators. It returns the service segment.
func serviceWideResource(r string) (service string, ok bool) {
	if !strings.HasSuffix(r, "*") {
		return "", false
	}
	var colon [5]int
	n := 0
	for i := 0; i < len(r) && n < len(colon); i++ {
		if r[i] == ':' {
			colon[n] = i
			n++
		}
	}
	if n < len(colon) || !glob(r[:colon[0]], "arn", false) {
		return "", false
	}
	service = r[colon[1]+1 : colon[2]]
	if service == "" {
		return "", false
	}
	for i := colon[4] + 1; i < len(r); i++ {
		if c := r[i]; c != '*' && c != '/' && c != ':' {
			return "", false
		}
	}
	return service, true
}
