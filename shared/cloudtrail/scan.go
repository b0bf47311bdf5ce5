package cloudtrail

import (
	"bytes"
	"iter"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the allocation-free JSON helpers that work on a value held
// whole in memory. They are deliberately loose: they find where values begin
// and end and never validate. DecodeRecord validates (valid.go) before it
// trusts them; Peek trusts them as they are, because it only routes.

// class of a byte outside strings, for the skippers.
const (
	clsOther = iota
	clsSpace
	clsQuote
	clsOpen
	clsClose
	clsSep // ',' or ':'
)

var byteClass = func() (t [256]uint8) {
	t[' '], t['\t'], t['\n'], t['\r'] = clsSpace, clsSpace, clsSpace, clsSpace
	t['"'] = clsQuote
	t['{'], t['['] = clsOpen, clsOpen
	t['}'], t[']'] = clsClose, clsClose
	t[','], t[':'] = clsSep, clsSep
	return t
}()

func isSpace(c byte) bool { return byteClass[c] == clsSpace }

// skipSpace returns the index of the first non-whitespace byte of b at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && byteClass[b[i]] == clsSpace {
		i++
	}
	return i
}

// trimSpace trims JSON whitespace from both ends of b.
func trimSpace(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// quoteEnd returns the index just past the quote that closes the string whose
// opening quote is b[open]. It returns -1 if b ends first.
func quoteEnd(b []byte, open int) int {
	e, ok := stringEnd(b, open+1)
	if !ok {
		return -1
	}
	return e
}

// stringEnd scans string contents from b[i], just past the opening quote or
// where an earlier call stopped, and returns the index just past the closing
// quote and true. When b ends first it returns the index to resume at once
// more input follows, and false. A backslash escapes the byte after it.
func stringEnd(b []byte, i int) (int, bool) {
	for {
		k := bytes.IndexByte(b[i:], '"')
		if k < 0 {
			// Resume at a trailing backslash: it may escape what follows.
			for k = len(b); k > i && b[k-1] == '\\'; k-- {
			}
			if (len(b)-k)%2 == 1 {
				return len(b) - 1, false
			}
			return len(b), false
		}
		q := i + k
		n := 0
		for p := q - 1; p >= i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, true
		}
		i = q + 1
	}
}

// skipValue returns the index just past the JSON value that starts at b[i]
// (which must not be whitespace), or -1 if b ends first or no value starts
// there.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch byteClass[b[i]] {
	case clsQuote:
		return quoteEnd(b, i)
	case clsOpen:
		depth := 0
		for i < len(b) {
			switch byteClass[b[i]] {
			case clsQuote:
				e := quoteEnd(b, i)
				if e < 0 {
					return -1
				}
				i = e
				continue
			case clsOpen:
				depth++
			case clsClose:
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	case clsOther:
		j := i
		for j < len(b) && byteClass[b[j]] == clsOther {
			j++
		}
		return j
	}
	return -1
}

// members iterates over the members of a JSON object held in memory.
//
//	it := newMembers(obj)
//	for it.next() { use(it.key, it.val) }
//	if it.bad { ... }
type members struct {
	b        []byte
	i        int
	started  bool
	bad      bool
	key, val []byte // key is the raw text between the quotes; val is the raw value
}

// newMembers starts an iteration over obj, which must begin with '{' after
// optional whitespace; otherwise the iteration is empty and bad.
func newMembers(obj []byte) members {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return members{bad: true, started: true, i: len(obj)}
	}
	return members{b: obj, i: i + 1}
}

func (it *members) next() bool {
	if it.bad {
		return false
	}
	b := it.b
	i := skipSpace(b, it.i)
	if i >= len(b) {
		it.bad = true
		return false
	}
	if b[i] == '}' {
		it.i = len(b)
		it.b = nil
		return false
	}
	if it.started {
		if b[i] != ',' {
			it.bad = true
			return false
		}
		i = skipSpace(b, i+1)
	}
	it.started = true
	if i >= len(b) || b[i] != '"' {
		it.bad = true
		return false
	}
	ke := quoteEnd(b, i)
	if ke < 0 {
		it.bad = true
		return false
	}
	it.key = b[i+1 : ke-1]
	i = skipSpace(b, ke)
	if i >= len(b) || b[i] != ':' {
		it.bad = true
		return false
	}
	i = skipSpace(b, i+1)
	ve := skipValue(b, i)
	if ve < 0 {
		it.bad = true
		return false
	}
	it.val = b[i:ve]
	it.i = ve
	return true
}

// unescapeKey returns the raw key itself when it has no escapes (the common
// case), else its unescaped form built in buf.
func unescapeKey(key []byte, buf *[64]byte) []byte {
	if bytes.IndexByte(key, '\\') < 0 {
		return key
	}
	return appendUnescaped(buf[:0], key)
}

// findMember returns the value of the last member of obj named name. Like
// encoding/json, the last of duplicate keys wins.
func findMember(obj []byte, name string) ([]byte, bool) {
	var val []byte
	found := false
	var kb [64]byte
	for it := newMembers(obj); it.next(); {
		if string(unescapeKey(it.key, &kb)) == name {
			val, found = it.val, true
		}
	}
	return val, found
}

// elements yields the elements of the JSON array arr, held in memory. It
// stops early at malformed input.
func elements(arr []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		i := skipSpace(arr, 0)
		if i >= len(arr) || arr[i] != '[' {
			return
		}
		i = skipSpace(arr, i+1)
		if i < len(arr) && arr[i] == ']' {
			return
		}
		for i < len(arr) {
			e := skipValue(arr, i)
			if e < 0 || !yield(arr[i:e]) {
				return
			}
			i = skipSpace(arr, e)
			if i >= len(arr) || arr[i] != ',' {
				return
			}
			i = skipSpace(arr, i+1)
		}
	}
}

// kind returns the first byte of a trimmed value: '"', '{', '[', 't', 'f',
// 'n', a digit or '-', or 0 if v is empty.
func kind(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

// isString reports whether v is a complete JSON string literal.
func isString(v []byte) bool { return len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' }

// rawString returns the contents of the string literal v, still escaped.
func rawString(v []byte) []byte { return v[1 : len(v)-1] }

// unquote returns the unescaped contents of the string literal v.
func unquote(v []byte) string {
	s := rawString(v)
	if bytes.IndexByte(s, '\\') < 0 {
		return intern(s)
	}
	return string(appendUnescaped(nil, s))
}

// scalar converts a value the way a lenient string field reads it: a string
// unescaped, a number or boolean as its text, and anything else as "".
func scalar(v []byte) string {
	switch c := kind(v); {
	case c == '"':
		if !isString(v) {
			return ""
		}
		return unquote(v)
	case c == 't' && string(v) == "true":
		return "true"
	case c == 'f' && string(v) == "false":
		return "false"
	case c == '-' || (c >= '0' && c <= '9'):
		return string(v)
	}
	return ""
}

// scalarNull is scalar, except that the string "null" (null stringified by
// some exporters) counts as absent.
func scalarNull(v []byte) string {
	if string(v) == `"null"` {
		return ""
	}
	return scalar(v)
}

// truthy reports whether v is true or a string spelling "true" in any case.
func truthy(v []byte) bool {
	if string(v) == "true" {
		return true
	}
	return isString(v) && strings.EqualFold(string(rawString(v)), "true")
}

// isNullish reports whether v carries nothing: absent, null, "null" or "".
func isNullish(v []byte) bool {
	switch string(v) {
	case "", "null", `"null"`, `""`:
		return true
	}
	return false
}

// appendUnescaped appends the unescaped form of the JSON string contents s
// to dst. Malformed escapes are copied through; lone surrogates become U+FFFD,
// as encoding/json does.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			k := bytes.IndexByte(s[i:], '\\')
			if k < 0 {
				return append(dst, s[i:]...)
			}
			dst = append(dst, s[i:i+k]...)
			i += k
			continue
		}
		if i+1 >= len(s) {
			return append(dst, '\\')
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				dst = append(dst, s[i:i+2]...)
				i += 2
				continue
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2, ok := hex4(s[i+2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
							dst = utf8.AppendRune(dst, d)
							i += 6
							continue
						}
					}
				}
				r = unicode.ReplacementChar
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			dst = append(dst, s[i:i+2]...)
		}
		i += 2
	}
	return dst
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
