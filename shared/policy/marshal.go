package policy

import (
	"maps"
	"slices"

	"github.com/iamguard/iamguard/internal/jsonstr"
)

// MarshalJSON writes d as canonical, compact JSON: elements in the order
// Version, Id, Statement and, within a statement, Sid, Effect, Principal,
// NotPrincipal, Action, NotAction, Resource, NotResource, Condition; map keys
// sorted; a list of one value written as a plain string; Statement always an
// array; numbers and booleans in conditions written as strings, which IAM
// treats the same. Empty Version, Id and Sid are left out.
//
// For every document that Parse returns, Parse of this output returns an
// equal document, and marshalling that again gives the same bytes.
func (d *Document) MarshalJSON() ([]byte, error) {
	if d == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 128+128*len(d.Statements))
	b = append(b, '{')
	if d.Version != "" {
		b = append(b, `"Version":`...)
		b = jsonstr.AppendQuote(b, d.Version)
		b = append(b, ',')
	}
	if d.ID != "" {
		b = append(b, `"Id":`...)
		b = jsonstr.AppendQuote(b, d.ID)
		b = append(b, ',')
	}
	b = append(b, `"Statement":[`...)
	for i := range d.Statements {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStatement(b, &d.Statements[i])
	}
	b = append(b, "]}"...)
	return b, nil
}

func appendStatement(b []byte, s *Statement) []byte {
	b = append(b, '{')
	if s.Sid != "" {
		b = append(b, `"Sid":`...)
		b = jsonstr.AppendQuote(b, s.Sid)
		b = append(b, ',')
	}
	b = append(b, `"Effect":`...)
	b = jsonstr.AppendQuote(b, s.Effect)
	b = appendPrincipal(b, "Principal", s.Principal)
	b = appendPrincipal(b, "NotPrincipal", s.NotPrincipal)
	b = appendList(b, "Action", s.Action)
	b = appendList(b, "NotAction", s.NotAction)
	b = appendList(b, "Resource", s.Resource)
	b = appendList(b, "NotResource", s.NotResource)
	if len(s.Condition) > 0 {
		b = append(b, `,"Condition":{`...)
		for i, op := range slices.Sorted(maps.Keys(s.Condition)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.AppendQuote(b, op)
			b = append(b, ':')
			b = appendValueMap(b, s.Condition[op])
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendList writes ,"name":value for a present (non-nil) list.
func appendList(b []byte, name string, v []string) []byte {
	if v == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendValues(b, v)
}

// appendValues writes one value as a string and any other number as an array.
func appendValues(b []byte, v []string) []byte {
	if len(v) == 1 {
		return jsonstr.AppendQuote(b, v[0])
	}
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.AppendQuote(b, s)
	}
	return append(b, ']')
}

func appendValueMap(b []byte, m map[string][]string) []byte {
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.AppendQuote(b, k)
		b = append(b, ':')
		b = appendValues(b, m[k])
	}
	return append(b, '}')
}

func appendPrincipal(b []byte, name string, p *Principal) []byte {
	if p == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	if p.Wildcard {
		return append(b, `"*"`...)
	}
	return appendValueMap(b, p.Values)
}
