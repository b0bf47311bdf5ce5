// Package jsonstr writes JSON string literals without encoding/json's
// reflection and allocations, for the hand-written encoders in
// shared/cloudtrail and shared/policy. It is pure standard library.
package jsonstr

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// AppendQuote appends s to dst as a JSON string literal, quotes included.
// It escapes '"', '\\' and control characters; invalid UTF-8 becomes
// \ufffd, as encoding/json writes it. Unlike encoding/json it leaves <, >,
// & and U+2028/U+2029 as they are.
func AppendQuote(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
