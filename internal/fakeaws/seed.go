package fakeaws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Seed is the starting state of a server, as read from a seed file by the
// fakeaws command:
//
//	{
//	  "users": [{"name": "alice", "tags": {"team": "dev"},
//	             "accessKeys": [{"id": "AKIAEXAMPLE", "status": "Active"}],
//	             "attachedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
//	             "inlinePolicies": {"extra": {"Version": "2012-10-17", "Statement": []}}}],
//	  "roles": [{"name": "app", "serviceLinked": false, "tags": {}, "attachedPolicies": [], "inlinePolicies": {}}],
//	  "groups": [{"name": "admins", "attachedPolicies": [], "inlinePolicies": {}}],
//	  "policies": [{"arn": "arn:aws:iam::123456789012:policy/p", "tags": {"k": "v"},
//	                "versions": [{"id": "v1", "document": "{…}", "default": true, "created": "2024-01-01T00:00:00Z"}]}],
//	  "topics": ["arn:aws:sns:us-east-1:123456789012:iamguard"],
//	  "secrets": {"iamguard/slack": "https://hooks.slack.invalid/…"}
//	}
//
// Every field may be left out. A policy document (inline or a version) is a
// JSON string holding the policy text, or the policy itself as a JSON
// object. Unknown fields are errors, so a misspelt key is caught.
type Seed struct {
	Users    []SeedPrincipal   `json:"users,omitempty"`
	Roles    []SeedPrincipal   `json:"roles,omitempty"`
	Groups   []SeedPrincipal   `json:"groups,omitempty"`
	Policies []SeedPolicy      `json:"policies,omitempty"`
	Topics   []string          `json:"topics,omitempty"`
	Secrets  map[string]string `json:"secrets,omitempty"`
}

// SeedPrincipal is a user, role or group in a Seed.
type SeedPrincipal struct {
	Name string            `json:"name"`
	Tags map[string]string `json:"tags,omitempty"` // users and roles
	// ServiceLinked marks a service-linked role (roles only).
	ServiceLinked bool `json:"serviceLinked,omitempty"`
	// AccessKeys are a user's access keys (users only).
	AccessKeys       []SeedAccessKey     `json:"accessKeys,omitempty"`
	AttachedPolicies []string            `json:"attachedPolicies,omitempty"`
	InlinePolicies   map[string]Document `json:"inlinePolicies,omitempty"`
}

// SeedAccessKey is an access key in a Seed; Status "" means Active.
type SeedAccessKey struct {
	ID     string `json:"id"`
	Status string `json:"status,omitempty"`
}

// SeedPolicy is a managed policy in a Seed.
type SeedPolicy struct {
	ARN      string              `json:"arn"`
	Tags     map[string]string   `json:"tags,omitempty"`
	Versions []SeedPolicyVersion `json:"versions,omitempty"`
}

// SeedPolicyVersion is one version of a SeedPolicy; see PolicyVersion for
// the defaults of empty fields.
type SeedPolicyVersion struct {
	ID       string    `json:"id,omitempty"`
	Document Document  `json:"document,omitempty"`
	Default  bool      `json:"default,omitempty"`
	Created  time.Time `json:"created,omitzero"`
}

// Document is policy text. In JSON it is either a string holding the text or
// the policy as an object, which is kept as written.
type Document string

// UnmarshalJSON accepts a JSON string or a JSON object.
func (d *Document) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Document(s)
		return nil
	}
	if len(b) == 0 || b[0] != '{' {
		return fmt.Errorf("policy document: want a JSON string or object, got %.20s", b)
	}
	*d = Document(b)
	return nil
}

// ReadSeed decodes a seed file.
func ReadSeed(r io.Reader) (Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var seed Seed
	if err := dec.Decode(&seed); err != nil {
		return Seed{}, fmt.Errorf("decode seed: %w", err)
	}
	return seed, nil
}

// Load adds everything in seed to the server's state. It checks the whole
// seed first and changes nothing if any part is wrong, reporting every
// problem.
func (s *Server) Load(seed Seed) error {
	if err := seed.check(); err != nil {
		return err
	}
	for _, p := range seed.Policies {
		versions := make([]PolicyVersion, len(p.Versions))
		for i, v := range p.Versions {
			versions[i] = PolicyVersion{VersionID: v.ID, Document: string(v.Document), Default: v.Default, Created: v.Created}
		}
		s.AddManagedPolicy(p.ARN, versions...)
		if len(p.Tags) > 0 {
			s.TagPolicy(p.ARN, p.Tags)
		}
	}
	for _, u := range seed.Users {
		s.AddUser(u.Name, u.Tags)
		for _, k := range u.AccessKeys {
			s.AddAccessKey(u.Name, k.ID, k.Status)
		}
		s.loadPolicies(KindUser, u)
	}
	for _, r := range seed.Roles {
		s.AddRole(r.Name, r.Tags, r.ServiceLinked)
		s.loadPolicies(KindRole, r)
	}
	for _, g := range seed.Groups {
		s.AddGroup(g.Name)
		s.loadPolicies(KindGroup, g)
	}
	for _, t := range seed.Topics {
		s.AddTopic(t)
	}
	for id, v := range seed.Secrets {
		s.SetSecret(id, v)
	}
	return nil
}

func (s *Server) loadPolicies(kind string, p SeedPrincipal) {
	for _, arn := range p.AttachedPolicies {
		s.AttachPolicy(kind, p.Name, arn)
	}
	for _, name := range sortedKeys(p.InlinePolicies) {
		s.PutInlinePolicy(kind, p.Name, name, string(p.InlinePolicies[name]))
	}
}

func (seed Seed) check() error {
	var errs []error
	groups := []struct {
		kind string
		list []SeedPrincipal
	}{{KindUser, seed.Users}, {KindRole, seed.Roles}, {KindGroup, seed.Groups}}
	for _, g := range groups {
		kind := g.kind
		for i, p := range g.list {
			where := fmt.Sprintf("%ss[%d]", kind, i)
			if p.Name == "" {
				errs = append(errs, fmt.Errorf("%s: name is empty", where))
			}
			if p.ServiceLinked && kind != KindRole {
				errs = append(errs, fmt.Errorf("%s %q: only roles can be service-linked", where, p.Name))
			}
			if len(p.AccessKeys) > 0 && kind != KindUser {
				errs = append(errs, fmt.Errorf("%s %q: only users have access keys", where, p.Name))
			}
			if len(p.Tags) > 0 && kind == KindGroup {
				errs = append(errs, fmt.Errorf("%s %q: IAM groups cannot be tagged", where, p.Name))
			}
			for _, k := range p.AccessKeys {
				if k.ID == "" {
					errs = append(errs, fmt.Errorf("%s %q: access key id is empty", where, p.Name))
				}
				if k.Status != "" && k.Status != "Active" && k.Status != "Inactive" {
					errs = append(errs, fmt.Errorf("%s %q: access key %s: status %q is not Active or Inactive", where, p.Name, k.ID, k.Status))
				}
			}
			for _, arn := range p.AttachedPolicies {
				if !validPolicyARN(arn) {
					errs = append(errs, fmt.Errorf("%s %q: %q is not a policy ARN", where, p.Name, arn))
				}
			}
		}
	}
	for i, p := range seed.Policies {
		if !validPolicyARN(p.ARN) {
			errs = append(errs, fmt.Errorf("policies[%d]: %q is not a policy ARN", i, p.ARN))
		}
	}
	return errors.Join(errs...)
}
