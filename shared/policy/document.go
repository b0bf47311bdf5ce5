package policy

import (
	"fmt"
	"net/url"
	"strings"
)

// Document is a parsed IAM policy document.
type Document struct {
	Version    string
	ID         string // the "Id" element; resource-based policies only
	Statements []Statement
}

// Statement is one element of a document's Statement list.
type Statement struct {
	Index int    // 0-based position in the document
	Sid   string // "" when absent
	// Effect is "Allow" or "Deny" as written. IAM compares it
	// case-insensitively and accepts nothing else; Parse rejects anything else.
	Effect string
	// Action, NotAction, Resource and NotResource may be written as a string or
	// an array; both forms parse to a slice. Each is nil when the element is
	// absent and never empty when present.
	Action, NotAction, Resource, NotResource []string
	// Principal and NotPrincipal appear in trust and resource policies; nil
	// when absent.
	Principal, NotPrincipal *Principal
	// Condition is nil when absent or written as {}.
	Condition Condition
}

// Principal is the value of a Principal or NotPrincipal element: "*", or a map
// such as {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com"}.
type Principal struct {
	Wildcard bool                // written as the bare string "*"
	Values   map[string][]string // key ("AWS", "Service", "Federated", "CanonicalUser") -> values; nil when Wildcard or {}
}

// Condition maps an operator ("StringEquals", "ForAnyValue:StringLike",
// "BoolIfExists") to condition keys and their values. Values written as
// numbers or booleans are kept as their JSON text ("3600", "true").
type Condition map[string]map[string][]string

// IsAllow reports whether the statement's Effect is Allow, in any case.
func (s *Statement) IsAllow() bool { return strings.EqualFold(s.Effect, "Allow") }

// IsDeny reports whether the statement's Effect is Deny, in any case.
func (s *Statement) IsDeny() bool { return strings.EqualFold(s.Effect, "Deny") }

// ParseError reports why a text is not a policy document that IAM could
// accept. Its message says what is wrong and where:
//
//	policy: invalid JSON at offset 57: unexpected character 'x' after object member, want ',' or '}'
//	policy: statement 2 ("S3"): Effect "Alow" is neither Allow nor Deny
//	policy: Statement is missing
type ParseError struct {
	// Offset is the byte offset of a JSON syntax error in the JSON text
	// (after URL-decoding or unwrapping a JSON string, if Parse did that), or
	// -1 when the JSON is well-formed but is not a valid policy.
	Offset int
	// Statement is the index of the offending statement, or -1 when the
	// problem lies outside the statements.
	Statement int
	Sid       string // the offending statement's Sid, if it has one
	Msg       string // what is wrong
}

// Error returns the message, starting "policy: ".
func (e *ParseError) Error() string {
	switch {
	case e.Offset >= 0:
		return fmt.Sprintf("policy: invalid JSON at offset %d: %s", e.Offset, e.Msg)
	case e.Statement >= 0 && e.Sid != "":
		return fmt.Sprintf("policy: statement %d (%q): %s", e.Statement, e.Sid, e.Msg)
	case e.Statement >= 0:
		return fmt.Sprintf("policy: statement %d: %s", e.Statement, e.Msg)
	default:
		return "policy: " + e.Msg
	}
}

// Parse reads a policy document. It accepts
//
//   - JSON text, as CloudTrail records it in requestParameters.policyDocument;
//   - URL-encoded JSON text ("%7B%22Version%22..."), as GetPolicyVersion,
//     GetRolePolicy and GetAccountAuthorizationDetails return it;
//   - a document whose JSON is itself wrapped in a JSON string (encoded twice).
//
// It follows the IAM grammar: Statement may be one object or an array;
// Action, NotAction, Resource and NotResource a string or an array of
// strings; Condition values strings, numbers, booleans or arrays of them.
// Element names are matched case-insensitively, unknown elements are ignored,
// and a repeated element is an error, as IAM treats it. A statement needs
// Effect Allow or Deny, exactly one of Action and NotAction, and exactly one
// of Resource and NotResource unless it names a Principal or NotPrincipal
// (trust policies have no Resource).
//
// Every error is a *ParseError.
func Parse(text string) (*Document, error) {
	return parseText(text, false)
}

func parseText(text string, unwrapped bool) (*Document, error) {
	if i := skipSpace(text, 0); i < len(text) && text[i] == '%' {
		dec, err := url.PathUnescape(text)
		if err != nil {
			return nil, &ParseError{Offset: -1, Statement: -1, Msg: "invalid URL encoding: " + err.Error()}
		}
		text = dec
	}
	p := &parser{s: text}
	if i := skipSpace(text, 0); !unwrapped && i < len(text) && text[i] == '"' {
		// Encoded twice: the document is the content of a JSON string.
		p.i = i
		inner := p.str()
		p.end()
		if p.syn != nil {
			return nil, p.syn
		}
		return parseText(inner, true)
	}
	d := p.document()
	if p.syn != nil {
		return nil, p.syn
	}
	if p.sem != nil {
		return nil, p.sem
	}
	return d, nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
