package eventpattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match reports whether the event matches the pattern. The event is a JSON
// object decoded with encoding/json, with numbers as float64 or json.Number.
// Parts of the pattern that Validate would reject never match, and an empty
// pattern matches nothing.
func (p Pattern) Match(event map[string]any) bool {
	return matchObject(p, event)
}

// MatchJSON decodes the event, which must be one JSON object, and reports
// whether it matches the pattern.
func (p Pattern) MatchJSON(event []byte) (bool, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false, fmt.Errorf("eventpattern: decode event: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return false, errors.New("eventpattern: decode event: unexpected data after the JSON object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return false, fmt.Errorf("eventpattern: decode event: want a JSON object, got %s", typeName(v))
	}
	return p.Match(m), nil
}

// matchObject applies the fields of p (AND) to obj, which is nil when the
// event has no object at this level.
func matchObject(p, obj map[string]any) bool {
	if len(p) == 0 {
		return false
	}
	for k, pv := range p {
		if k == orKey {
			if !matchOr(pv, obj) {
				return false
			}
			continue
		}
		v, present := obj[k]
		if sub, ok := asObject(pv); ok {
			if !matchNested(sub, v, present) {
				return false
			}
			continue
		}
		list, ok := pv.([]any)
		if !ok || !matchLeaf(list, v, present) {
			return false
		}
	}
	return true
}

func matchOr(pv any, obj map[string]any) bool {
	list, ok := pv.([]any)
	if !ok || len(list) < 2 {
		return false
	}
	for _, b := range list {
		if sub, ok := asObject(b); ok && matchObject(sub, obj) {
			return true
		}
	}
	return false
}

// matchNested applies a nested pattern to the event value v. Over an array,
// the whole sub-pattern must match within one object element. Where there is
// no object to descend into, every field below is absent.
func matchNested(sub map[string]any, v any, present bool) bool {
	if present {
		switch x := v.(type) {
		case map[string]any:
			return matchObject(sub, x)
		case []any:
			if sawObject, matched := matchInArray(sub, x); sawObject {
				return matched
			}
		}
	}
	return matchObject(sub, nil)
}

func matchInArray(sub map[string]any, arr []any) (sawObject, matched bool) {
	for _, e := range arr {
		switch x := e.(type) {
		case map[string]any:
			sawObject = true
			if matchObject(sub, x) {
				return true, true
			}
		case []any:
			saw, m := matchInArray(sub, x)
			if m {
				return true, true
			}
			sawObject = sawObject || saw
		}
	}
	return sawObject, false
}

// matchLeaf applies a list of alternatives (OR) to the event value v.
func matchLeaf(list []any, v any, present bool) bool {
	for _, alt := range list {
		if op, ok := asObject(alt); ok && len(op) == 1 {
			if want, isExists := op[opExists]; isExists {
				if b, ok := want.(bool); ok && b == hasLeaf(v, present) {
					return true
				}
				continue
			}
		}
		if present && anyLeafMatches(alt, v) {
			return true
		}
	}
	return false
}

// hasLeaf reports whether the event has a leaf value at this path: objects
// are not leaves, and an array holds leaves only through its elements.
func hasLeaf(v any, present bool) bool {
	if !present {
		return false
	}
	switch x := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range x {
			if hasLeaf(e, true) {
				return true
			}
		}
		return false
	}
	return true
}

func anyLeafMatches(alt, v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range x {
			if anyLeafMatches(alt, e) {
				return true
			}
		}
		return false
	}
	return matchValue(alt, v)
}

// matchValue applies one alternative to one leaf value.
func matchValue(alt, leaf any) bool {
	switch a := alt.(type) {
	case string:
		s, ok := leaf.(string)
		return ok && s == a
	case bool:
		b, ok := leaf.(bool)
		return ok && b == a
	case nil:
		return leaf == nil
	case map[string]any:
		return matchOperator(a, leaf)
	case Pattern:
		return matchOperator(a, leaf)
	}
	f, ok := toFloat(alt)
	if !ok {
		return false
	}
	g, ok := toFloat(leaf)
	return ok && f == g
}

func matchOperator(op map[string]any, leaf any) bool {
	if len(op) != 1 {
		return false
	}
	for name, arg := range op {
		switch name {
		case opPrefix:
			s, ok := leaf.(string)
			return ok && matchAffix(arg, s, strings.HasPrefix, hasPrefixFold)
		case opSuffix:
			s, ok := leaf.(string)
			return ok && matchAffix(arg, s, strings.HasSuffix, hasSuffixFold)
		case opIgnoreCase:
			s, ok := leaf.(string)
			t, ok2 := arg.(string)
			return ok && ok2 && strings.EqualFold(s, t)
		case opWildcard:
			s, ok := leaf.(string)
			w, ok2 := arg.(string)
			return ok && ok2 && matchWildcard(s, w)
		case opAnythingBut:
			return matchAnythingBut(arg, leaf)
		case opNumeric:
			f, ok := toFloat(leaf)
			return ok && matchNumeric(arg, f)
		case opCIDR:
			s, ok := leaf.(string)
			c, ok2 := arg.(string)
			return ok && ok2 && matchCIDR(s, c)
		}
	}
	return false
}

// matchAffix applies a prefix or suffix operand, either a string or
// {"equals-ignore-case": string}.
func matchAffix(arg any, s string, exact, fold func(s, affix string) bool) bool {
	switch a := arg.(type) {
	case string:
		return exact(s, a)
	case map[string]any:
		return matchAffixFold(a, s, fold)
	case Pattern:
		return matchAffixFold(a, s, fold)
	}
	return false
}

func matchAffixFold(inner map[string]any, s string, fold func(s, affix string) bool) bool {
	if len(inner) != 1 {
		return false
	}
	t, ok := inner[opIgnoreCase].(string)
	return ok && fold(s, t)
}

// matchAnythingBut matches any present JSON value that arg does not exclude.
func matchAnythingBut(arg, leaf any) bool {
	if !isScalar(leaf) {
		return false
	}
	switch a := arg.(type) {
	case string:
		s, ok := leaf.(string)
		return !ok || s != a
	case []any:
		if len(a) == 0 {
			return false
		}
		for _, e := range a {
			if _, ok := e.(string); !ok {
				if _, ok := toFloat(e); !ok {
					return false // invalid list: never match
				}
			}
			if matchValue(e, leaf) {
				return false
			}
		}
		return true
	case map[string]any:
		return matchAnythingButObject(a, leaf)
	case Pattern:
		return matchAnythingButObject(a, leaf)
	}
	f, ok := toFloat(arg)
	if !ok {
		return false
	}
	g, ok := toFloat(leaf)
	return !ok || g != f
}

func matchAnythingButObject(obj map[string]any, leaf any) bool {
	if len(obj) != 1 {
		return false
	}
	for name, arg := range obj {
		var excluded func(s, operand string) bool
		switch name {
		case opPrefix:
			excluded = strings.HasPrefix
		case opSuffix:
			excluded = strings.HasSuffix
		case opIgnoreCase:
			excluded = strings.EqualFold
		case opWildcard:
			excluded = matchWildcard
		default:
			return false
		}
		s, isString := leaf.(string)
		switch a := arg.(type) {
		case string:
			return !isString || !excluded(s, a)
		case []any:
			if len(a) == 0 {
				return false
			}
			for _, e := range a {
				t, ok := e.(string)
				if !ok {
					return false // invalid list: never match
				}
				if isString && excluded(s, t) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// isScalar reports whether v is a JSON string, number, boolean or null.
func isScalar(v any) bool {
	switch v.(type) {
	case nil, string, bool:
		return true
	}
	_, ok := toFloat(v)
	return ok
}

// matchNumeric applies [op, n, op, n, ...] comparisons (AND) to f.
func matchNumeric(arg any, f float64) bool {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 {
		return false
	}
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		n, ok2 := toFloat(list[i+1])
		if !ok || !ok2 {
			return false
		}
		var holds bool
		switch op {
		case "=":
			holds = f == n
		case "<":
			holds = f < n
		case "<=":
			holds = f <= n
		case ">":
			holds = f > n
		case ">=":
			holds = f >= n
		}
		if !holds {
			return false
		}
	}
	return true
}

// matchCIDR reports whether the address s lies in the block c. An
// IPv4-mapped IPv6 address is taken as its IPv4 address.
func matchCIDR(s, c string) bool {
	prefix, err := netip.ParsePrefix(c)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	return prefix.Masked().Contains(addr.Unmap())
}

// matchWildcard reports whether s matches the wildcard pattern w, where "*"
// matches any run of bytes (possibly empty), "\*" a literal "*" and "\\" a
// literal "\". It backtracks only to the most recent "*", so it runs in
// O(len(s)*len(w)) at worst.
func matchWildcard(s, w string) bool {
	i, j := 0, 0        // positions in w and s
	star, mark := -1, 0 // position in w after the last "*", and where in s it resumed
	for j < len(s) {
		if i < len(w) && w[i] == '*' {
			i++
			star, mark = i, j
			continue
		}
		if i < len(w) {
			lit, width := w[i], 1
			if lit == '\\' && i+1 < len(w) {
				lit, width = w[i+1], 2
			}
			if lit == s[j] {
				i += width
				j++
				continue
			}
		}
		if star < 0 {
			return false
		}
		mark++
		i, j = star, mark
	}
	for i < len(w) && w[i] == '*' {
		i++
	}
	return i == len(w)
}

// hasPrefixFold reports whether s begins with prefix under Unicode simple
// case folding, rune by rune, so that case variants of different byte
// lengths (such as "K" and the Kelvin sign) still match.
func hasPrefixFold(s, prefix string) bool {
	for _, pr := range prefix {
		if s == "" {
			return false
		}
		r, size := utf8.DecodeRuneInString(s)
		if !runeEqualFold(r, pr) {
			return false
		}
		s = s[size:]
	}
	return true
}

// hasSuffixFold is hasPrefixFold from the end.
func hasSuffixFold(s, suffix string) bool {
	for suffix != "" {
		if s == "" {
			return false
		}
		sr, ssize := utf8.DecodeLastRuneInString(suffix)
		r, size := utf8.DecodeLastRuneInString(s)
		if !runeEqualFold(r, sr) {
			return false
		}
		s, suffix = s[:len(s)-size], suffix[:len(suffix)-ssize]
	}
	return true
}

// runeEqualFold reports whether a and b are in the same simple case-folding
// orbit, as strings.EqualFold decides for each rune.
func runeEqualFold(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
