// Package awsarn splits Amazon Resource Names into their fields. It is pure
// standard library, so the decision packages (shared/rules, shared/policy)
// may use it without importing the AWS SDK; it checks the shape of an ARN
// only, never whether a partition, service or account exists.
package awsarn

import "strings"

// ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, each field as
// written (any of them may be empty or hold wildcards). Resource is all of
// the text after the fifth colon, colons included.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// Parse splits s into its fields. ok is false unless s begins with "arn:"
// and has at least five more colons.
func Parse(s string) (a ARN, ok bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return ARN{}, false
	}
	return ARN{Partition: p[1], Service: p[2], Region: p[3], Account: p[4], Resource: p[5]}, true
}

// String returns the ARN as text, the inverse of Parse.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// ResourceType returns the type of a type/path/name resource, the text
// before its first slash: "role" for role/emergency/BreakGlass. It is ""
// when the resource has no slash (root, or an SNS topic's name).
func (a ARN) ResourceType() string {
	typ, _, ok := strings.Cut(a.Resource, "/")
	if !ok {
		return ""
	}
	return typ
}

// ResourceName returns the name of a type/path/name resource, the text
// after its last slash: "BreakGlass" for role/emergency/BreakGlass. It is
// "" when the resource has no slash.
func (a ARN) ResourceName() string {
	i := strings.LastIndexByte(a.Resource, '/')
	if i < 0 {
		return ""
	}
	return a.Resource[i+1:]
}
