package rules

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// History remembers the customer-managed policy versions that a stream of
// events created (CreatePolicy, CreatePolicyVersion) and which version is the
// default (SetDefaultPolicyVersion), so that a later event that names a policy
// without carrying its document can still be judged offline. It is a Resolver.
type History struct {
	mu       sync.Mutex
	versions map[string]map[string]string // policy ARN -> version ID -> document
	defaults map[string]string            // policy ARN -> default version ID
	groups   map[string]*groupState       // account/group name -> what the stream showed of its policies
}

// groupState is what the stream showed of a group's policies.
type groupState struct {
	attached map[string]bool   // managed policy ARNs
	inline   map[string]string // inline policy name -> document
}

// NewHistory returns an empty History.
func NewHistory() *History {
	return &History{versions: map[string]map[string]string{}, defaults: map[string]string{}, groups: map[string]*groupState{}}
}

// Observe records what a successful policy event says about policy versions.
// Events of other kinds are ignored.
func (h *History) Observe(rec *cloudtrail.Record) {
	if rec.Failed() || rec.EventSource != "iam.amazonaws.com" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch rec.EventName {
	case "CreatePolicy":
		arn := rec.ResponseParam("policy", "arn")
		doc := policyDocument(rec)
		version := rec.ResponseParam("policy", "defaultVersionId")
		if version == "" {
			version = "v1"
		}
		if arn != "" && doc != "" {
			h.put(arn, version, doc)
			h.defaults[arn] = version
		}
	case "CreatePolicyVersion":
		arn := rec.RequestParam("policyArn")
		doc := policyDocument(rec)
		version := rec.ResponseParam("policyVersion", "versionId")
		if arn != "" && doc != "" && version != "" {
			h.put(arn, version, doc)
			if isTrue(rec.RequestParam("setAsDefault")) || isTrue(rec.ResponseParam("policyVersion", "isDefaultVersion")) {
				h.defaults[arn] = version
			}
		}
	case "SetDefaultPolicyVersion":
		if arn, version := rec.RequestParam("policyArn"), rec.RequestParam("versionId"); arn != "" && version != "" {
			h.defaults[arn] = version
		}
	case "DeletePolicyVersion":
		if arn, version := rec.RequestParam("policyArn"), rec.RequestParam("versionId"); arn != "" {
			delete(h.versions[arn], version)
		}
	case "DeletePolicy":
		arn := rec.RequestParam("policyArn")
		delete(h.versions, arn)
		delete(h.defaults, arn)
	case "AttachGroupPolicy", "DetachGroupPolicy":
		if g, arn := rec.RequestParam("groupName"), rec.RequestParam("policyArn"); g != "" && arn != "" {
			h.group(groupKey(rec.Account(), g)).attached[arn] = rec.EventName == "AttachGroupPolicy"
		}
	case "PutGroupPolicy":
		if g, name, doc := rec.RequestParam("groupName"), rec.RequestParam("policyName"), policyDocument(rec); g != "" && name != "" && doc != "" {
			h.group(groupKey(rec.Account(), g)).inline[name] = doc
		}
	case "DeleteGroupPolicy":
		if g, name := rec.RequestParam("groupName"), rec.RequestParam("policyName"); g != "" && name != "" {
			delete(h.group(groupKey(rec.Account(), g)).inline, name)
		}
	}
}

// groupKey names a group in History: an organisation trail holds groups of
// the same name in several accounts. IAM names are unique without regard to
// case.
func groupKey(account, group string) string { return account + "/" + strings.ToLower(group) }

func (h *History) group(name string) *groupState {
	g := h.groups[name]
	if g == nil {
		g = &groupState{attached: map[string]bool{}, inline: map[string]string{}}
		h.groups[name] = g
	}
	return g
}

// GroupPolicies implements GroupResolver with what the stream showed: only
// the changes it holds, so a group whose policies were attached before the
// stream began is not known (ErrNotFound).
func (h *History) GroupPolicies(_ context.Context, account, group string) (GroupPolicies, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	g, ok := h.groups[groupKey(account, group)]
	if !ok {
		return GroupPolicies{}, NotFound("the stream shows no policy of group " + group)
	}
	out := GroupPolicies{Source: "cloudtrail-stream", Partial: true}
	for arn, on := range g.attached {
		if on {
			out.Attached = append(out.Attached, arn)
		}
	}
	for name, doc := range g.inline {
		out.Inline = append(out.Inline, InlinePolicy{Name: name, Document: doc})
	}
	sort.Strings(out.Attached)
	sort.Slice(out.Inline, func(i, j int) bool { return out.Inline[i].Name < out.Inline[j].Name })
	return out, nil
}

func (h *History) put(arn, version, doc string) {
	m := h.versions[arn]
	if m == nil {
		m = map[string]string{}
		h.versions[arn] = m
	}
	m[version] = doc
}

// DefaultVersion returns the default version of a policy as far as the stream
// has shown, and whether it is known.
func (h *History) DefaultVersion(policyARN string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.defaults[policyARN]
	return v, ok
}

// PolicyVersion implements Resolver from what the stream has shown.
func (h *History) PolicyVersion(_ context.Context, policyARN, versionID string) (PolicyVersion, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	def, hasDefault := h.defaults[policyARN]
	if versionID == "" {
		if !hasDefault {
			return PolicyVersion{}, NotFound("its default version was not seen in this stream")
		}
		versionID = def
	}
	doc, ok := h.versions[policyARN][versionID]
	if !ok {
		return PolicyVersion{}, NotFound("not seen in this stream")
	}
	return PolicyVersion{PolicyARN: policyARN, VersionID: versionID, Document: doc, Default: hasDefault && def == versionID, Source: "cloudtrail-stream"}, nil
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }
