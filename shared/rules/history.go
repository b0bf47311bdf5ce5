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
	// What the stream showed of principals, for what a change added
	// (Change): inline documents, trust policies, permissions boundaries,
	// and the principals it saw created (which had nothing before).
	inline     map[string]string // principalKey/policy name -> document
	trust      map[string]string // principalKey of a role -> trust policy
	boundaries map[string]string // principalKey -> boundary ARN, "" when removed
	created    map[string]bool   // principalKey -> the stream shows its creation
}

// principalKey names a user, role or group in History: account, kind (User,
// Role, Group) and name, which IAM compares without regard to case.
func principalKey(account, kind, name string) string {
	return account + "/" + kind + "/" + strings.ToLower(name)
}

// groupState is what the stream showed of a group's policies.
type groupState struct {
	attached map[string]bool   // managed policy ARNs
	inline   map[string]string // inline policy name -> document
}

// NewHistory returns an empty History.
func NewHistory() *History {
	return &History{versions: map[string]map[string]string{}, defaults: map[string]string{}, groups: map[string]*groupState{},
		inline: map[string]string{}, trust: map[string]string{}, boundaries: map[string]string{}, created: map[string]bool{}}
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
	case "CreateUser", "CreateRole", "CreateGroup":
		kind := strings.TrimPrefix(rec.EventName, "Create")
		name := rec.RequestParam(principalKinds[kind].param)
		if name == "" {
			return
		}
		key := principalKey(rec.Account(), kind, name)
		h.created[key] = true
		h.boundaries[key] = rec.RequestParam("permissionsBoundary")
		if kind == "Role" {
			h.trust[key] = policyDocumentParam(rec, "assumeRolePolicyDocument")
		}
	case "UpdateAssumeRolePolicy":
		if name, doc := rec.RequestParam("roleName"), policyDocument(rec); name != "" && doc != "" {
			h.trust[principalKey(rec.Account(), "Role", name)] = doc
		}
	case "PutUserPermissionsBoundary", "PutRolePermissionsBoundary", "DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary":
		kind, _ := boundaryKind(rec.EventName)
		if name := rec.RequestParam(principalKinds[kind].param); name != "" {
			h.boundaries[principalKey(rec.Account(), kind, name)] = rec.RequestParam("permissionsBoundary")
		}
	case "DeleteUser", "DeleteRole", "DeleteGroup":
		kind := strings.TrimPrefix(rec.EventName, "Delete")
		if name := rec.RequestParam(principalKinds[kind].param); name != "" {
			key := principalKey(rec.Account(), kind, name)
			delete(h.created, key)
			delete(h.trust, key)
			delete(h.boundaries, key)
		}
	case "PutUserPolicy", "PutRolePolicy", "DeleteUserPolicy", "DeleteRolePolicy":
		h.observeInline(rec)
	case "AttachGroupPolicy", "DetachGroupPolicy":
		if g, arn := rec.RequestParam("groupName"), rec.RequestParam("policyArn"); g != "" && arn != "" {
			h.group(groupKey(rec.Account(), g)).attached[arn] = rec.EventName == "AttachGroupPolicy"
		}
	case "PutGroupPolicy":
		h.observeInline(rec)
		if g, name, doc := rec.RequestParam("groupName"), rec.RequestParam("policyName"), policyDocument(rec); g != "" && name != "" && doc != "" {
			h.group(groupKey(rec.Account(), g)).inline[name] = doc
		}
	case "DeleteGroupPolicy":
		h.observeInline(rec)
		if g, name := rec.RequestParam("groupName"), rec.RequestParam("policyName"); g != "" && name != "" {
			delete(h.group(groupKey(rec.Account(), g)).inline, name)
		}
	}
}

// observeInline records a Put*Policy's document, or a Delete*Policy's
// removal, under the principal and policy name. Called with h.mu held.
func (h *History) observeInline(rec *cloudtrail.Record) {
	kind := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(rec.EventName, "Put"), "Delete"), "Policy")
	pk, ok := principalKinds[kind]
	if !ok {
		return
	}
	who, name := rec.RequestParam(pk.param), rec.RequestParam("policyName")
	if who == "" || name == "" {
		return
	}
	key := principalKey(rec.Account(), kind, who) + "/" + name
	if strings.HasPrefix(rec.EventName, "Delete") {
		h.inline[key] = ""
		return
	}
	if doc := policyDocument(rec); doc != "" {
		h.inline[key] = doc
	}
}

// Prior is what the stream showed of a document before a change: the
// document, and where it comes from, or why it is not known.
type Prior struct {
	Known    bool
	Assumed  bool   // the document is the likeliest one, not one an event showed in effect
	Document string // "" with Known: there was none (a principal created in the stream, a deleted policy)
	Label    string // "version v2, the default before this change, as an earlier event showed it"
}

// InlineBefore is the inline policy name of a user, role or group as the
// stream last showed it.
func (h *History) InlineBefore(account, kind, principal, name string) Prior {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := principalKey(account, kind, principal)
	if doc, ok := h.inline[key+"/"+name]; ok {
		if doc == "" {
			return Prior{Known: true, Label: "no inline policy of that name (an earlier event deleted it)"}
		}
		return Prior{Known: true, Document: doc, Label: "the inline policy's previous document, as an earlier event showed it"}
	}
	if h.created[key] {
		return Prior{Known: true, Label: "no inline policy of that name (an earlier event created the " + strings.ToLower(kind) + " without it)"}
	}
	return Prior{Label: "the inline policy's previous document is not known: the event does not carry it, and no earlier event seen shows it"}
}

// TrustBefore is a role's trust policy as the stream last showed it.
func (h *History) TrustBefore(account, role string) Prior {
	h.mu.Lock()
	defer h.mu.Unlock()
	if doc, ok := h.trust[principalKey(account, "Role", role)]; ok && doc != "" {
		return Prior{Known: true, Document: doc, Label: "the role's previous trust policy, as an earlier event showed it"}
	}
	return Prior{Label: "the role's previous trust policy is not known: the event does not carry it, and no earlier event seen shows it"}
}

// BoundaryBefore is the permissions boundary ARN of a user or role as the
// stream last showed it ("" with Known: none).
func (h *History) BoundaryBefore(account, kind, name string) (arn string, known bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	arn, known = h.boundaries[principalKey(account, kind, name)]
	return arn, known
}

// DefaultBefore is the document of a policy's default version as the stream
// last showed it, unless that version is newVersion.
func (h *History) DefaultBefore(policyARN, newVersion string) Prior {
	h.mu.Lock()
	defer h.mu.Unlock()
	def, ok := h.defaults[policyARN]
	if !ok || def == newVersion {
		return Prior{Label: "the default version before this change is not known: IAM does not record it, and no earlier event seen shows it"}
	}
	doc, ok := h.versions[policyARN][def]
	if !ok {
		return Prior{Label: "the document of " + def + ", the default before this change, is not known: no earlier event seen shows its document"}
	}
	return Prior{Known: true, Document: doc, Label: "version " + def + ", the default before this change, as an earlier event showed it"}
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
