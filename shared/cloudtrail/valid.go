package cloudtrail

import "encoding/binary"

// Words of eight bytes, for scanning strings eight bytes at a time.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// zeroBytes has the high bit set in the lowest byte of x that is zero, and
// possibly in higher bytes (a borrow may carry up); it is 0 when no byte is.
func zeroBytes(x uint64) uint64 { return (x - lowBits) &^ x & highBits }

// maxNesting is encoding/json's bound on nesting: a value nested deeper is
// not valid JSON to it.
const maxNesting = 10000

// valid reports whether b is valid JSON exactly as json.Valid does, several
// times faster: a record is mostly string contents, which valid passes over
// eight bytes at a time, where encoding/json's scanner steps through a state
// function per byte. Like json.Valid, it accepts invalid UTF-8 in strings.
func valid(b []byte) bool {
	var sb [64]byte
	stack := sb[:0] // the open brackets
	var ok bool
	i := skipSpace(b, 0)
	for {
		// A value starts at b[i]. An object or array goes on with its first
		// element.
		if i >= len(b) {
			return false
		}
		switch c := b[i]; c {
		case '{', '[':
			if len(stack) >= maxNesting {
				return false
			}
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == c+2 { // '{'+2 == '}', '['+2 == ']'
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i, ok = validKey(b, i); !ok {
					return false
				}
			}
			continue
		case '"':
			if i, ok = validString(b, i); !ok {
				return false
			}
		case 't':
			if !hasPrefix(b[i:], "true") {
				return false
			}
			i += 4
		case 'f':
			if !hasPrefix(b[i:], "false") {
				return false
			}
			i += 5
		case 'n':
			if !hasPrefix(b[i:], "null") {
				return false
			}
			i += 4
		default:
			if i, ok = validNumber(b, i); !ok {
				return false
			}
		}
		// A value ended: close what it ends, then find the next element.
		for {
			i = skipSpace(b, i)
			if len(stack) == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			top := stack[len(stack)-1]
			if b[i] == top+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return false
			}
			i = skipSpace(b, i+1)
			if top == '{' {
				if i, ok = validKey(b, i); !ok {
					return false
				}
			}
			break
		}
	}
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// validKey checks an object key at b[i] and the colon after it, and returns
// the index of the value that follows.
func validKey(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	i, ok := validString(b, i)
	if !ok {
		return i, false
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return i, false
	}
	return skipSpace(b, i+1), true
}

// validString checks the string whose opening quote is b[i] and returns the
// index just past its closing quote.
func validString(b []byte, i int) (int, bool) {
	i++
	for {
		// Find the next quote, backslash or control character, eight
		// bytes at a time.
		for ; i+8 <= len(b); i += 8 {
			x := binary.LittleEndian.Uint64(b[i:])
			// (x - 0x20...) &^ x flags the lowest byte below 0x20 exactly,
			// as zeroBytes does the lowest zero byte.
			if zeroBytes(x^(lowBits*'"'))|zeroBytes(x^(lowBits*'\\'))|((x-lowBits*0x20)&^x&highBits) != 0 {
				break
			}
		}
		for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
			i++
		}
		if i >= len(b) || b[i] < 0x20 {
			return i, false
		}
		if b[i] == '"' {
			return i + 1, true
		}
		// An escape.
		if i+1 >= len(b) {
			return i, false
		}
		switch b[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if _, ok := hex4(b[i+2:]); !ok {
				return i, false
			}
			i += 6
		default:
			return i, false
		}
	}
}

// validNumber checks the number at b[i], JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return i, false
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}
