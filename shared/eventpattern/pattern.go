package eventpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
)

// Pattern is an EventBridge event pattern as a JSON object: each field name
// maps to a []any of values and operators, or to a nested pattern object
// (map[string]any). The same map value is handed to CDK (awsevents.EventPattern
// Detail etc.) and marshalled into the template, so it must stay plain JSON
// types: map[string]any, []any, string, float64, bool, nil. Go integer values
// are accepted as numbers so that literals like []any{">", 0} work.
type Pattern map[string]any

// orKey is the field name that introduces alternatives between sub-patterns.
const orKey = "$or"

// Operator names.
const (
	opPrefix      = "prefix"
	opSuffix      = "suffix"
	opIgnoreCase  = "equals-ignore-case"
	opWildcard    = "wildcard"
	opExists      = "exists"
	opAnythingBut = "anything-but"
	opNumeric     = "numeric"
	opCIDR        = "cidr"
)

// ValidationError reports why a pattern is not a valid EventBridge pattern.
type ValidationError struct {
	// Path is the JSON path of the faulty part, such as
	// "detail.eventName[1]" or "$or[0].source"; empty for the whole pattern.
	Path string
	// Reason says what is wrong there.
	Reason string
}

// Error returns "eventpattern: <path>: <reason>".
func (e *ValidationError) Error() string {
	if e.Path == "" {
		return "eventpattern: " + e.Reason
	}
	return "eventpattern: " + e.Path + ": " + e.Reason
}

func errAt(path, format string, args ...any) error {
	return &ValidationError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// Parse decodes a pattern from JSON text and validates it. When a key
// repeats, the last one wins, as in EventBridge.
func Parse(data []byte) (Pattern, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("eventpattern: parse pattern: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errAt("", "pattern must be a JSON object, got %s", typeName(v))
	}
	p := Pattern(m)
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate reports the first problem found, visiting fields in sorted order,
// as a *ValidationError: an unknown operator, an operand of the wrong type, an
// empty value list or object, a leaf that is not an array, or a value that is
// not a JSON type.
func (p Pattern) Validate() error {
	if len(p) == 0 {
		return errAt("", "pattern is empty")
	}
	return validateObject("", p)
}

func validateObject(path string, obj map[string]any) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := obj[k]
		kp := joinKey(path, k)
		if k == orKey {
			if err := validateOr(kp, v); err != nil {
				return err
			}
			continue
		}
		if sub, ok := asObject(v); ok {
			if len(sub) == 0 {
				return errAt(kp, "empty pattern object")
			}
			if err := validateObject(kp, sub); err != nil {
				return err
			}
			continue
		}
		list, ok := v.([]any)
		if !ok {
			return errAt(kp, "want an array of values or a nested pattern object, got %s", typeName(v))
		}
		if len(list) == 0 {
			return errAt(kp, "empty array of values")
		}
		for i, e := range list {
			if err := validateValue(fmt.Sprintf("%s[%d]", kp, i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateOr(path string, v any) error {
	list, ok := v.([]any)
	if !ok || len(list) < 2 {
		return errAt(path, "want an array of at least two pattern objects")
	}
	for i, b := range list {
		bp := fmt.Sprintf("%s[%d]", path, i)
		sub, ok := asObject(b)
		if !ok {
			return errAt(bp, "want a pattern object, got %s", typeName(b))
		}
		if len(sub) == 0 {
			return errAt(bp, "empty pattern object")
		}
		if err := validateObject(bp, sub); err != nil {
			return err
		}
	}
	return nil
}

// validateValue checks one alternative of a leaf: a JSON scalar or an
// operator object.
func validateValue(path string, v any) error {
	switch x := v.(type) {
	case nil, string, bool:
		return nil
	case map[string]any:
		return validateOperator(path, x)
	case Pattern:
		return validateOperator(path, x)
	}
	if f, ok := toFloat(v); ok {
		return checkFinite(path, "", f)
	}
	return errAt(path, "want a string, number, boolean, null or operator object, got %s", typeName(v))
}

func checkFinite(path, op string, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		if op != "" {
			return errAt(path, "%s: number must be finite, got %v", op, f)
		}
		return errAt(path, "number must be finite, got %v", f)
	}
	return nil
}

func validateOperator(path string, op map[string]any) error {
	if len(op) != 1 {
		return errAt(path, "operator object must have exactly one key, has %d", len(op))
	}
	name, arg := single(op)
	switch name {
	case opPrefix, opSuffix:
		if _, ok := arg.(string); ok {
			return nil
		}
		if inner, ok := asObject(arg); ok && len(inner) == 1 {
			if _, ok := inner[opIgnoreCase].(string); ok {
				return nil
			}
		}
		return errAt(path, `%s: want a string or {"equals-ignore-case": string}, got %s`, name, typeName(arg))
	case opIgnoreCase:
		if _, ok := arg.(string); !ok {
			return errAt(path, "%s: want a string, got %s", name, typeName(arg))
		}
		return nil
	case opWildcard:
		s, ok := arg.(string)
		if !ok {
			return errAt(path, "%s: want a string, got %s", name, typeName(arg))
		}
		return validateWildcard(path, name, s)
	case opExists:
		if _, ok := arg.(bool); !ok {
			return errAt(path, "%s: want true or false, got %s", name, typeName(arg))
		}
		return nil
	case opAnythingBut:
		return validateAnythingBut(path, arg)
	case opNumeric:
		return validateNumeric(path, arg)
	case opCIDR:
		s, ok := arg.(string)
		if !ok {
			return errAt(path, "%s: want a string, got %s", name, typeName(arg))
		}
		if _, err := netip.ParsePrefix(s); err != nil {
			return errAt(path, "%s: %q is not a CIDR block", name, s)
		}
		return nil
	}
	return errAt(path, "unknown operator %q", name)
}

func validateWildcard(path, op, s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return errAt(path, `%s: "\" at offset %d must escape "*" or "\"`, op, i)
			}
			i++
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return errAt(path, `%s: consecutive "*" at offset %d`, op, i)
			}
		}
	}
	return nil
}

func validateAnythingBut(path string, arg any) error {
	const op = opAnythingBut
	switch x := arg.(type) {
	case string:
		return nil
	case []any:
		if len(x) == 0 {
			return errAt(path, "%s: empty list", op)
		}
		strs, nums := 0, 0
		for i, e := range x {
			if _, ok := e.(string); ok {
				strs++
				continue
			}
			f, ok := toFloat(e)
			if !ok {
				return errAt(path, "%s: element %d: want a string or a number, got %s", op, i, typeName(e))
			}
			if err := checkFinite(path, op, f); err != nil {
				return err
			}
			nums++
		}
		if strs > 0 && nums > 0 {
			return errAt(path, "%s: list mixes strings and numbers", op)
		}
		return nil
	case map[string]any:
		return validateAnythingButObject(path, x)
	case Pattern:
		return validateAnythingButObject(path, x)
	}
	if f, ok := toFloat(arg); ok {
		return checkFinite(path, op, f)
	}
	return errAt(path, "%s: want a string, a number, a list of strings or of numbers, or an object with prefix, suffix, equals-ignore-case or wildcard; got %s", op, typeName(arg))
}

func validateAnythingButObject(path string, obj map[string]any) error {
	if len(obj) != 1 {
		return errAt(path, "anything-but: object must have exactly one key, has %d", len(obj))
	}
	name, arg := single(obj)
	op := "anything-but/" + name
	switch name {
	case opPrefix, opSuffix, opIgnoreCase, opWildcard:
	default:
		return errAt(path, "anything-but: unknown operator %q (want prefix, suffix, equals-ignore-case or wildcard)", name)
	}
	check := func(s string) error {
		switch name {
		case opPrefix, opSuffix:
			if s == "" {
				return errAt(path, "%s: empty string", op)
			}
		case opWildcard:
			return validateWildcard(path, op, s)
		}
		return nil
	}
	switch x := arg.(type) {
	case string:
		return check(x)
	case []any:
		if len(x) == 0 {
			return errAt(path, "%s: empty list", op)
		}
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return errAt(path, "%s: element %d: want a string, got %s", op, i, typeName(e))
			}
			if err := check(s); err != nil {
				return err
			}
		}
		return nil
	}
	return errAt(path, "%s: want a string or a list of strings, got %s", op, typeName(arg))
}

// validateNumeric accepts [op, n] for any comparison, or a range
// [">"|">=", low, "<"|"<=", high] with low < high.
func validateNumeric(path string, arg any) error {
	const op = opNumeric
	list, ok := arg.([]any)
	if !ok {
		return errAt(path, "%s: want an array, got %s", op, typeName(arg))
	}
	if len(list) == 0 {
		return errAt(path, "%s: empty array", op)
	}
	if len(list) != 2 && len(list) != 4 {
		return errAt(path, "%s: want [comparison, number] or a range of 4 elements, got %d elements", op, len(list))
	}
	var bounds [2]float64
	for i := 0; i < len(list); i += 2 {
		cmpOp, ok := list[i].(string)
		if !ok {
			return errAt(path, "%s: element %d: want a comparison operator, got %s", op, i, typeName(list[i]))
		}
		switch cmpOp {
		case "=", "<", "<=", ">", ">=":
		default:
			return errAt(path, "%s: unknown comparison %q", op, cmpOp)
		}
		n, ok := toFloat(list[i+1])
		if !ok {
			return errAt(path, "%s: %q must be followed by a number, got %s", op, cmpOp, typeName(list[i+1]))
		}
		if err := checkFinite(path, op, n); err != nil {
			return err
		}
		bounds[i/2] = n
	}
	if len(list) == 4 {
		lo, hi := list[0].(string), list[2].(string)
		if lo != ">" && lo != ">=" {
			return errAt(path, `%s: a range must start with ">" or ">=", got %q`, op, lo)
		}
		if hi != "<" && hi != "<=" {
			return errAt(path, `%s: a range must end with "<" or "<=", got %q`, op, hi)
		}
		if bounds[0] >= bounds[1] {
			return errAt(path, "%s: lower bound %s is not below upper bound %s", op, formatFloat(bounds[0]), formatFloat(bounds[1]))
		}
	}
	return nil
}

// Paths returns every leaf field path the pattern tests, including those
// inside "$or" branches (which add no path element), sorted element by element
// and without duplicates: [["detail","eventName"],["detail-type"],["source"]].
func (p Pattern) Paths() [][]string {
	var out [][]string
	collectPaths(p, nil, &out)
	slices.SortFunc(out, slices.Compare[[]string])
	return slices.CompactFunc(out, slices.Equal[[]string])
}

func collectPaths(obj map[string]any, prefix []string, out *[][]string) {
	for k, v := range obj {
		if k == orKey {
			if list, ok := v.([]any); ok {
				for _, b := range list {
					if sub, ok := asObject(b); ok {
						collectPaths(sub, prefix, out)
					}
				}
				continue
			}
		}
		path := make([]string, len(prefix)+1)
		copy(path, prefix)
		path[len(prefix)] = k
		if sub, ok := asObject(v); ok {
			collectPaths(sub, path, out)
			continue
		}
		*out = append(*out, path)
	}
}

// Clone returns a deep copy of the pattern's maps and slices, so that a rule
// table can hand out patterns that callers may change.
func (p Pattern) Clone() Pattern {
	if p == nil {
		return nil
	}
	return Pattern(cloneObject(p))
}

func cloneObject(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneObject(x)
	case Pattern:
		return x.Clone()
	case []any:
		if x == nil {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// MarshalJSON encodes the pattern with object keys in sorted order at every
// level and without HTML escaping, so that "<=" stays readable and the same
// pattern always yields the same bytes.
func (p Pattern) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any(p)); err != nil {
		return nil, fmt.Errorf("eventpattern: marshal pattern: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// asObject reports whether v is a JSON object, as decoded or as a Pattern.
func asObject(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, true
	case Pattern:
		return x, true
	}
	return nil, false
}

// toFloat returns the value of a JSON number, whether decoded as float64 or
// json.Number, or written in Go as an integer or float32.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	case float32:
		return float64(x), true
	}
	return 0, false
}

// typeName names v's JSON type, or its Go type when it has none.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any, Pattern:
		return "object"
	}
	if _, ok := toFloat(v); ok {
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// single returns the only entry of a one-key object.
func single(m map[string]any) (string, any) {
	for k, v := range m {
		return k, v
	}
	return "", nil
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}
