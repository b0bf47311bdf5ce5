package policy

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parser is a small JSON reader specialised for policy documents. Writing it
// by hand, rather than decoding with encoding/json, gives exact error
// positions, detects repeated elements, keeps number text as written, and
// returns strings that are slices of the input when they hold no escapes.
//
// A JSON syntax error stops the parse (syn). A structural error, such as
// Action being a number, is remembered (sem) while the parse goes on, so that
// a syntax error later in the text is the one reported, as encoding/json does.
type parser struct {
	s     string
	i     int
	depth int
	syn   *ParseError
	sem   *ParseError

	// Lists are read into scratch and then copied to arena, a few large
	// backing arrays shared by every list of the document, so that a
	// 6 KB policy costs a handful of allocations instead of hundreds.
	scratch []string
	arena   []string
}

// keep copies vals into the arena and returns a slice of exactly their
// length and capacity, so that appending to it never touches a neighbour.
func (p *parser) keep(vals []string) []string {
	n := len(vals)
	if n == 0 {
		return []string{}
	}
	if cap(p.arena)-len(p.arena) < n {
		p.arena = make([]string, 0, max(n, min(1024, max(16, len(p.s)/24))))
	}
	start := len(p.arena)
	p.arena = append(p.arena, vals...)
	return p.arena[start : start+n : start+n]
}

// keep1 is keep for a single value.
func (p *parser) keep1(v string) []string {
	if len(p.arena) == cap(p.arena) {
		p.arena = make([]string, 0, min(1024, max(16, len(p.s)/24)))
	}
	p.arena = append(p.arena, v)
	n := len(p.arena)
	return p.arena[n-1 : n : n]
}

// maxDepth bounds nesting. Policies nest four levels deep at most.
const maxDepth = 64

func (p *parser) fail(msg string) {
	if p.syn == nil {
		p.syn = &ParseError{Offset: p.i, Statement: -1, Msg: msg}
	}
	p.i = len(p.s) // stop every loop
}

func (p *parser) invalid(msg string) {
	if p.sem == nil {
		p.sem = &ParseError{Offset: -1, Statement: -1, Msg: msg}
	}
}

func (p *parser) ws() { p.i = skipSpace(p.s, p.i) }

// peek returns the next non-space byte, or 0 at the end of the input (a NUL
// byte in the input is never valid where peek is used, so the two need no
// telling apart there).
func (p *parser) peek() byte {
	p.ws()
	if p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

// kind names the JSON type of the value that starts at the next byte.
func (p *parser) kind() string {
	switch c := p.peek(); {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || '0' <= c && c <= '9':
		return "number"
	default:
		return "invalid value"
	}
}

func describe(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("character %q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// unexpected fails at the current byte, which is not what the grammar wants.
func (p *parser) unexpected(want string) {
	if p.i >= len(p.s) {
		p.fail("unexpected end of input, want " + want)
		return
	}
	p.fail("unexpected " + describe(p.s[p.i]) + ", want " + want)
}

// end checks that only white space follows the document.
func (p *parser) end() {
	if p.ws(); p.syn == nil && p.i < len(p.s) {
		p.unexpected("end of input after the document")
	}
}

// beginObject consumes '{' and reports whether a member follows.
func (p *parser) beginObject() bool {
	if p.peek() != '{' {
		p.unexpected("'{'")
		return false
	}
	p.i++
	p.depth++
	if p.depth > maxDepth {
		p.fail("nesting deeper than 64 levels")
		return false
	}
	if p.peek() == '}' {
		p.i++
		p.depth--
		return false
	}
	return p.syn == nil
}

// key reads a member name and the ':' after it.
func (p *parser) key() (string, bool) {
	if p.peek() != '"' {
		p.unexpected("a member name in double quotes")
		return "", false
	}
	k := p.str()
	if p.peek() != ':' {
		p.unexpected("':' after a member name")
		return "", false
	}
	p.i++
	return k, p.syn == nil
}

// nextMember consumes the ',' or '}' after a member's value and reports
// whether another member follows.
func (p *parser) nextMember() bool {
	if p.syn != nil {
		return false
	}
	switch p.peek() {
	case ',':
		p.i++
		return true
	case '}':
		p.i++
		p.depth--
		return false
	}
	p.unexpected("',' or '}' after an object member")
	return false
}

// beginArray consumes '[' and reports whether an element follows.
func (p *parser) beginArray() bool {
	if p.peek() != '[' {
		p.unexpected("'['")
		return false
	}
	p.i++
	p.depth++
	if p.depth > maxDepth {
		p.fail("nesting deeper than 64 levels")
		return false
	}
	if p.peek() == ']' {
		p.i++
		p.depth--
		return false
	}
	return p.syn == nil
}

// nextElement consumes the ',' or ']' after an array element and reports
// whether another element follows.
func (p *parser) nextElement() bool {
	if p.syn != nil {
		return false
	}
	switch p.peek() {
	case ',':
		p.i++
		return true
	case ']':
		p.i++
		p.depth--
		return false
	}
	p.unexpected("',' or ']' after an array element")
	return false
}

// str reads a string whose opening quote is the next byte. Invalid UTF-8 and
// unpaired surrogate escapes become U+FFFD, as in encoding/json, so the
// result is always valid UTF-8.
func (p *parser) str() string {
	if p.peek() != '"' {
		p.unexpected("a string")
		return ""
	}
	start := p.i + 1
	i := start
	for i < len(p.s) {
		c := p.s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return p.s[start:i]
		case c == '\\':
			return p.strSlow(start, i)
		case c < 0x20:
			p.i = i
			p.fail(fmt.Sprintf("control character 0x%02x in a string", c))
			return ""
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRuneInString(p.s[i:])
			if r == utf8.RuneError && n == 1 {
				return p.strSlow(start, i)
			}
			i += n
		}
	}
	p.i = len(p.s)
	p.fail("unexpected end of input in a string")
	return ""
}

// strSlow finishes a string that holds escapes or invalid UTF-8; s[start:i]
// has already been checked and needs no change.
func (p *parser) strSlow(start, i int) string {
	b := make([]byte, 0, len(p.s[start:i])+16)
	b = append(b, p.s[start:i]...)
	for i < len(p.s) {
		c := p.s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(b)
		case c < 0x20:
			p.i = i
			p.fail(fmt.Sprintf("control character 0x%02x in a string", c))
			return ""
		case c == '\\':
			if i+1 >= len(p.s) {
				p.i = len(p.s)
				p.fail("unexpected end of input in a string")
				return ""
			}
			switch e := p.s[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(p.s, i+2)
				if !ok {
					p.i = i
					p.fail(`invalid \u escape in a string`)
					return ""
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(0), false
					if i+1 < len(p.s) && p.s[i] == '\\' && p.s[i+1] == 'u' {
						r2, ok2 = hex4(p.s, i+2)
					}
					if c := utf16.DecodeRune(r, r2); ok2 && c != utf8.RuneError {
						r = c
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				p.i = i
				p.fail(fmt.Sprintf("invalid escape %q in a string", p.s[i:i+2]))
				return ""
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(p.s[i:])
			if r == utf8.RuneError && n == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.s[i:i+n]...)
			}
			i += n
		}
	}
	p.i = len(p.s)
	p.fail("unexpected end of input in a string")
	return ""
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// num reads a number and returns its text as written.
func (p *parser) num() string {
	s := p.s
	start := p.i
	i := p.i
	digits := func() bool {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		digits()
	default:
		p.i = i
		p.unexpected("a digit")
		return ""
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			p.i = i
			p.unexpected("a digit after the decimal point")
			return ""
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			p.i = i
			p.unexpected("a digit in the exponent")
			return ""
		}
	}
	p.i = i
	return s[start:i]
}

// literal reads true, false or null and returns its text.
func (p *parser) literal() string {
	for _, w := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(p.s[p.i:], w) {
			p.i += len(w)
			return w
		}
	}
	p.unexpected("a value")
	return ""
}

// skip reads and discards any value.
func (p *parser) skip() {
	switch c := p.peek(); {
	case c == '{':
		if p.beginObject() {
			for {
				if _, ok := p.key(); !ok {
					break
				}
				p.skip()
				if !p.nextMember() {
					break
				}
			}
		}
	case c == '[':
		if p.beginArray() {
			for {
				p.skip()
				if !p.nextElement() {
					break
				}
			}
		}
	case c == '"':
		p.str()
	case c == '-' || '0' <= c && c <= '9':
		p.num()
	default:
		p.literal()
	}
}

// scalar reads a string, number or boolean for a Condition value and returns
// its text; ok is false (and the value skipped) for anything else.
func (p *parser) scalar() (text string, ok bool) {
	switch c := p.peek(); {
	case c == '"':
		return p.str(), true
	case c == '-' || '0' <= c && c <= '9':
		return p.num(), true
	case c == 't' || c == 'f':
		return p.literal(), true
	}
	p.skip()
	return "", false
}

// document reads the top-level object.
func (p *parser) document() *Document {
	if p.peek() != '{' {
		if p.i >= len(p.s) {
			p.unexpected("a policy document")
			return nil
		}
		kind := p.kind()
		p.skip()
		p.end()
		p.invalid("document must be a JSON object, got " + kind)
		return nil
	}
	d := &Document{}
	var seen [3]bool
	if p.beginObject() {
		for {
			k, ok := p.key()
			if !ok {
				break
			}
			el := -1
			for j, name := range [...]string{"Version", "Id", "Statement"} {
				if strings.EqualFold(k, name) {
					el = j
					if seen[j] {
						p.invalid("duplicate " + name + " element")
					}
					seen[j] = true
				}
			}
			switch el {
			case 0:
				d.Version = p.topString("Version")
			case 1:
				d.ID = p.topString("Id")
			case 2:
				d.Statements = p.statements()
			default:
				p.skip()
			}
			if !p.nextMember() {
				break
			}
		}
	}
	p.end()
	if !seen[2] {
		p.invalid("Statement is missing")
	}
	return d
}

func (p *parser) topString(name string) string {
	if p.peek() == '"' {
		return p.str()
	}
	p.invalid(name + " must be a string, got " + p.kind())
	p.skip()
	return ""
}

func (p *parser) statements() []Statement {
	switch p.peek() {
	case '{':
		return []Statement{p.statement(0)}
	case '[':
		// Every statement has one Effect: counting them sizes the slice.
		out := make([]Statement, 0, min(strings.Count(p.s[p.i:], "ffect"), 4096))
		if p.beginArray() {
			for i := 0; ; i++ {
				if p.peek() == '{' {
					out = append(out, p.statement(i))
				} else {
					if p.sem == nil {
						p.sem = &ParseError{Offset: -1, Statement: i, Msg: "must be an object, got " + p.kind()}
					}
					p.skip()
				}
				if !p.nextElement() {
					break
				}
			}
		}
		return out
	}
	p.invalid("Statement must be an object or an array of objects, got " + p.kind())
	p.skip()
	return nil
}

// Statement element numbers, for duplicate detection.
const (
	elSid = iota
	elEffect
	elPrincipal
	elNotPrincipal
	elAction
	elNotAction
	elResource
	elNotResource
	elCondition
	numElements
)

var elementNames = [numElements]string{
	"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
}

func elementOf(key string) int {
	for j, name := range elementNames {
		if len(key) == len(name) && strings.EqualFold(key, name) {
			return j
		}
	}
	return -1
}

// statement reads one statement object. Problems are collected in msg (the
// first wins) and reported once the Sid is known.
func (p *parser) statement(idx int) Statement {
	st := Statement{Index: idx}
	var seen [numElements]bool
	msg := ""
	note := func(m string) {
		if msg == "" {
			msg = m
		}
	}
	if p.beginObject() {
		for {
			k, ok := p.key()
			if !ok {
				break
			}
			el := elementOf(k)
			if el >= 0 {
				if seen[el] {
					note("duplicate " + elementNames[el] + " element")
				}
				seen[el] = true
			}
			switch el {
			case elSid, elEffect:
				name := elementNames[el]
				if p.peek() != '"' {
					note(name + " must be a string, got " + p.kind())
					p.skip()
					break
				}
				if v := p.str(); el == elSid {
					st.Sid = v
				} else {
					st.Effect = v
				}
			case elAction:
				st.Action = p.stringList("Action", note)
			case elNotAction:
				st.NotAction = p.stringList("NotAction", note)
			case elResource:
				st.Resource = p.stringList("Resource", note)
			case elNotResource:
				st.NotResource = p.stringList("NotResource", note)
			case elPrincipal:
				st.Principal = p.principal("Principal", note)
			case elNotPrincipal:
				st.NotPrincipal = p.principal("NotPrincipal", note)
			case elCondition:
				st.Condition = p.condition(note)
			default:
				p.skip()
			}
			if !p.nextMember() {
				break
			}
		}
	}
	if msg == "" {
		hasPrincipal := st.Principal != nil || st.NotPrincipal != nil
		switch {
		case !seen[elEffect]:
			msg = "Effect is missing"
		case !st.IsAllow() && !st.IsDeny():
			msg = fmt.Sprintf("Effect %q is neither Allow nor Deny", st.Effect)
		case st.Action != nil && st.NotAction != nil:
			msg = "has both Action and NotAction"
		case st.Action == nil && st.NotAction == nil:
			msg = "needs Action or NotAction"
		case st.Resource != nil && st.NotResource != nil:
			msg = "has both Resource and NotResource"
		case st.Resource == nil && st.NotResource == nil && !hasPrincipal:
			msg = "needs Resource or NotResource"
		case st.Principal != nil && st.NotPrincipal != nil:
			msg = "has both Principal and NotPrincipal"
		}
	}
	if msg != "" && p.sem == nil {
		p.sem = &ParseError{Offset: -1, Statement: idx, Sid: st.Sid, Msg: msg}
	}
	return st
}

// stringList reads Action, NotAction, Resource or NotResource: a string or a
// non-empty array of strings.
func (p *parser) stringList(name string, note func(string)) []string {
	switch p.peek() {
	case '"':
		return p.keep1(p.str())
	case '[':
		out := p.scratch[:0]
		if p.beginArray() {
			for i := 0; ; i++ {
				if p.peek() == '"' {
					out = append(out, p.str())
				} else {
					note(fmt.Sprintf("%s[%d] must be a string, got %s", name, i, p.kind()))
					p.skip()
				}
				if !p.nextElement() {
					break
				}
			}
		}
		p.scratch = out[:0]
		if len(out) == 0 {
			note(name + " must not be an empty array")
		}
		return p.keep(out) // present even when empty, so that "needs Action" is not reported instead
	}
	note(name + " must be a string or an array of strings, got " + p.kind())
	p.skip()
	return nil
}

// principal reads "*" or a map of principal types to a string or an array
// of strings.
func (p *parser) principal(name string, note func(string)) *Principal {
	switch p.peek() {
	case '"':
		if v := p.str(); v != "*" {
			note(fmt.Sprintf(`%s must be "*" or an object, got string %q`, name, v))
			return nil
		}
		return &Principal{Wildcard: true}
	case '{':
		pr := &Principal{}
		if p.beginObject() {
			for {
				k, ok := p.key()
				if !ok {
					break
				}
				if _, dup := pr.Values[k]; dup {
					note(fmt.Sprintf("%s has a duplicate key %q", name, k))
				}
				var vals []string
				switch p.peek() {
				case '"':
					vals = p.keep1(p.str())
				case '[':
					buf := p.scratch[:0]
					if p.beginArray() {
						for i := 0; ; i++ {
							if p.peek() == '"' {
								buf = append(buf, p.str())
							} else {
								note(fmt.Sprintf("%s[%q][%d] must be a string, got %s", name, k, i, p.kind()))
								p.skip()
							}
							if !p.nextElement() {
								break
							}
						}
					}
					p.scratch = buf[:0]
					vals = p.keep(buf)
				default:
					note(fmt.Sprintf("%s[%q] must be a string or an array of strings, got %s", name, k, p.kind()))
					p.skip()
				}
				if pr.Values == nil {
					pr.Values = make(map[string][]string)
				}
				pr.Values[k] = vals
				if !p.nextMember() {
					break
				}
			}
		}
		return pr
	}
	note(fmt.Sprintf(`%s must be "*" or an object, got %s`, name, p.kind()))
	p.skip()
	return nil
}

// condition reads {operator: {key: value or [values]}}.
func (p *parser) condition(note func(string)) Condition {
	if p.peek() != '{' {
		note("Condition must be an object, got " + p.kind())
		p.skip()
		return nil
	}
	var c Condition
	if p.beginObject() {
		for {
			op, ok := p.key()
			if !ok {
				break
			}
			if _, dup := c[op]; dup {
				note(fmt.Sprintf("Condition has a duplicate operator %q", op))
			}
			var keys map[string][]string
			if p.peek() != '{' {
				note(fmt.Sprintf("Condition[%q] must be an object, got %s", op, p.kind()))
				p.skip()
			} else if p.beginObject() {
				for {
					k, ok := p.key()
					if !ok {
						break
					}
					if _, dup := keys[k]; dup {
						note(fmt.Sprintf("Condition[%q] has a duplicate key %q", op, k))
					}
					vals := p.conditionValues(op, k, note)
					if keys == nil {
						keys = make(map[string][]string)
					}
					keys[k] = vals
					if !p.nextMember() {
						break
					}
				}
			}
			if c == nil {
				c = make(Condition)
			}
			c[op] = keys
			if !p.nextMember() {
				break
			}
		}
	}
	return c
}

func (p *parser) conditionValues(op, key string, note func(string)) []string {
	bad := func(kind string) {
		note(fmt.Sprintf("Condition[%q][%q] must be a string, number, boolean or an array of them, got %s", op, key, kind))
	}
	if p.peek() != '[' {
		kind := p.kind()
		v, ok := p.scalar()
		if !ok {
			bad(kind)
			return nil
		}
		return p.keep1(v)
	}
	vals := p.scratch[:0]
	if p.beginArray() {
		for {
			kind := p.kind()
			if v, ok := p.scalar(); ok {
				vals = append(vals, v)
			} else {
				bad("an array holding " + kind)
			}
			if !p.nextElement() {
				break
			}
		}
	}
	p.scratch = vals[:0]
	return p.keep(vals)
}
