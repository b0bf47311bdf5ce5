package fakeaws

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The principal kinds that AttachPolicy, PutInlinePolicy, Attached and
// InlinePolicy take.
const (
	KindUser  = "user"
	KindRole  = "role"
	KindGroup = "group"
)

// PolicyVersion is one version of a managed policy, for AddManagedPolicy.
type PolicyVersion struct {
	// VersionID is "v1", "v2"…; empty means v<position, from 1>.
	VersionID string
	// Document is the policy as plain JSON text; the server URL-encodes it
	// in answers, as IAM does.
	Document string
	// Default marks the default version.
	Default bool
	// Created is the version's CreateDate; zero means a fixed date plus one
	// hour per position, so later versions are newer.
	Created time.Time
}

// Quotas IAM enforces that iamguard's rollbacks can run into.
const (
	maxAttachedPolicies = 10 // managed policies per user, role or group (default quota)
	maxPolicyVersions   = 5
	maxManagedPolicy    = 6144 // characters, whitespace excluded
)

// maxInlinePolicy is the aggregate inline policy size per principal, in
// characters, whitespace excluded.
var maxInlinePolicy = map[string]int{KindUser: 2048, KindRole: 10240, KindGroup: 5120}

// defaultDocument stands in when a version is seeded without a document.
const defaultDocument = `{"Version":"2012-10-17","Statement":[]}`

type iamState struct {
	principals map[string]map[string]*principal // kind -> name -> principal
	keys       map[string]*accessKey
	keyOrder   []string
	policies   map[string]*managedPolicy
}

type principal struct {
	kind, name, path, id, arn string
	tags                      map[string]string
	serviceLinked             bool
	attached                  []string          // policy ARNs, in attachment order
	inline                    map[string]string // name -> plain JSON document
	created                   time.Time
}

type accessKey struct {
	user, id, status string
	created          time.Time
}

type managedPolicy struct {
	arn, name, path, id string
	tags                map[string]string
	versions            []*policyVersion
	defaultID           string
	nextVersion         int
	created, updated    time.Time
}

type policyVersion struct {
	id, document string
	created      time.Time
}

func newIAMState() iamState {
	return iamState{
		principals: map[string]map[string]*principal{KindUser: {}, KindRole: {}, KindGroup: {}},
		keys:       map[string]*accessKey{},
		policies:   map[string]*managedPolicy{},
	}
}

// fakeID makes a stable IAM-style unique ID ("AIDA" + 17 characters).
func fakeID(prefix, name string) string {
	sum := sha256.Sum256([]byte(prefix + name))
	return prefix + strings.ToUpper(hex.EncodeToString(sum[:]))[:17]
}

func checkKind(kind string) {
	if _, ok := maxInlinePolicy[kind]; !ok {
		panic(fmt.Sprintf("fakeaws: principal kind %q is not user, role or group", kind))
	}
}

// ensure returns the principal, creating it (untagged, not service-linked)
// if it does not exist. Call with s.mu held.
func (s *Server) ensure(kind, name string) *principal {
	checkKind(kind)
	if p := s.iam.principals[kind][name]; p != nil {
		return p
	}
	p := &principal{kind: kind, name: name, path: "/", inline: map[string]string{}, created: epoch, tags: map[string]string{}}
	switch kind {
	case KindUser:
		p.id = fakeID("AIDA", name)
	case KindRole:
		p.id = fakeID("AROA", name)
	case KindGroup:
		p.id = fakeID("AGPA", name)
	}
	p.arn = fmt.Sprintf("arn:aws:iam::%s:%s/%s", AccountID, kind, name)
	s.iam.principals[kind][name] = p
	return p
}

// AddUser adds an IAM user, or replaces the tags of an existing one.
func (s *Server) AddUser(name string, tags map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensure(KindUser, name).tags = cloneMap(tags)
}

// AddRole adds an IAM role, or replaces the tags of an existing one. A
// service-linked role gets the path /aws-service-role/, and every change
// to it answers UnmodifiableEntity, as in IAM.
func (s *Server) AddRole(name string, tags map[string]string, serviceLinked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ensure(KindRole, name)
	r.tags = cloneMap(tags)
	r.serviceLinked = serviceLinked
	r.path = "/"
	if serviceLinked {
		r.path = "/aws-service-role/"
	}
	r.arn = fmt.Sprintf("arn:aws:iam::%s:role%s%s", AccountID, r.path, name)
}

// AddGroup adds an IAM group.
func (s *Server) AddGroup(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensure(KindGroup, name)
}

// AddAccessKey gives a user (created if missing) an access key with status
// "Active" or "Inactive" ("" means Active), or sets an existing key's status.
func (s *Server) AddAccessKey(user, keyID, status string) {
	if status == "" {
		status = "Active"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensure(KindUser, user)
	if k := s.iam.keys[keyID]; k != nil {
		k.user, k.status = user, status
		return
	}
	s.iam.keys[keyID] = &accessKey{user: user, id: keyID, status: status, created: epoch}
	s.iam.keyOrder = append(s.iam.keyOrder, keyID)
}

// AddManagedPolicy adds a managed policy, replacing any with the same ARN.
// Customer-managed ARNs (arn:aws:iam::ACCOUNT:policy/…) and AWS managed ones
// (arn:aws:iam::aws:policy/…) are both accepted; AWS managed policies need
// seeding only to be read (GetPolicy, GetPolicyVersion…), not to be
// attached. With no versions, v1 holds an empty policy. With no version
// marked Default, the last one is; with several, the last marked one is.
func (s *Server) AddManagedPolicy(arn string, versions ...PolicyVersion) {
	if len(versions) == 0 {
		versions = []PolicyVersion{{VersionID: "v1", Document: defaultDocument, Default: true}}
	}
	path, name := splitPolicyARN(arn)
	p := &managedPolicy{arn: arn, name: name, path: path, id: fakeID("ANPA", arn), tags: map[string]string{}, created: epoch}
	for i, v := range versions {
		id := v.VersionID
		if id == "" {
			id = "v" + strconv.Itoa(i+1)
		}
		created := v.Created
		if created.IsZero() {
			created = epoch.Add(time.Duration(i) * time.Hour)
		}
		doc := v.Document
		if doc == "" {
			doc = defaultDocument
		}
		p.versions = append(p.versions, &policyVersion{id: id, document: doc, created: created})
		if v.Default {
			p.defaultID = id
		}
		if n, ok := versionNumber(id); ok && n >= p.nextVersion {
			p.nextVersion = n + 1
		}
		if created.After(p.updated) {
			p.updated = created
		}
	}
	if p.defaultID == "" {
		p.defaultID = p.versions[len(p.versions)-1].id
	}
	if p.nextVersion == 0 {
		p.nextVersion = len(p.versions) + 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.iam.policies[arn]; old != nil {
		p.tags = old.tags
	}
	s.iam.policies[arn] = p
}

// TagPolicy replaces the tags of a managed policy added with
// AddManagedPolicy (ListPolicyTags answers them). It does nothing for a
// policy that was not added.
func (s *Server) TagPolicy(arn string, tags map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.iam.policies[arn]; p != nil {
		p.tags = cloneMap(tags)
	}
}

// AttachPolicy attaches a managed policy to a user, role or group (kind
// "user", "role" or "group"; the principal is created if missing). Seeding
// checks nothing else: the policy need not exist, and quotas do not apply.
// Like every method that takes a kind, it panics on any other kind: that is
// a bug in the test.
func (s *Server) AttachPolicy(kind, principalName, policyARN string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ensure(kind, principalName)
	if !slices.Contains(p.attached, policyARN) {
		p.attached = append(p.attached, policyARN)
	}
}

// DetachPolicy detaches a managed policy from a user, role or group, as
// someone (or an earlier delivery) did outside the test's view.
func (s *Server) DetachPolicy(kind, principalName, policyARN string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ensure(kind, principalName)
	p.attached = slices.DeleteFunc(p.attached, func(a string) bool { return a == policyARN })
}

// PutInlinePolicy sets an inline policy (plain JSON text) on a user, role or
// group, creating the principal if missing.
func (s *Server) PutInlinePolicy(kind, principalName, policyName, document string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensure(kind, principalName).inline[policyName] = document
}

// AccessKeyStatus returns the status of a user's access key, and whether
// that user has that key.
func (s *Server) AccessKeyStatus(user, keyID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.iam.keys[keyID]
	if k == nil || k.user != user {
		return "", false
	}
	return k.status, true
}

// Attached returns the ARNs of the managed policies attached to a user, role
// or group, in attachment order (nil if the principal does not exist).
func (s *Server) Attached(kind, principalName string) []string {
	checkKind(kind)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.iam.principals[kind][principalName]
	if p == nil {
		return nil
	}
	return slices.Clone(p.attached)
}

// InlinePolicy returns an inline policy's document as plain JSON text, and
// whether it exists.
func (s *Server) InlinePolicy(kind, principalName, policyName string) (string, bool) {
	checkKind(kind)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.iam.principals[kind][principalName]
	if p == nil {
		return "", false
	}
	doc, ok := p.inline[policyName]
	return doc, ok
}

// InlinePolicyNames returns the names of a principal's inline policies,
// sorted.
func (s *Server) InlinePolicyNames(kind, principalName string) []string {
	checkKind(kind)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.iam.principals[kind][principalName]
	if p == nil {
		return nil
	}
	return sortedKeys(p.inline)
}

// DefaultVersion returns the default version ID of a managed policy, and
// whether the policy exists.
func (s *Server) DefaultVersion(policyARN string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.iam.policies[policyARN]
	if p == nil {
		return "", false
	}
	return p.defaultID, true
}

// PolicyVersions returns a managed policy's versions, oldest first.
func (s *Server) PolicyVersions(policyARN string) []PolicyVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.iam.policies[policyARN]
	if p == nil {
		return nil
	}
	out := make([]PolicyVersion, 0, len(p.versions))
	for _, v := range p.versions {
		out = append(out, PolicyVersion{VersionID: v.id, Document: v.document, Default: v.id == p.defaultID, Created: v.created})
	}
	return out
}

// splitPolicyARN returns the path and name of
// arn:aws:iam::ACCOUNT:policy/path/name.
func splitPolicyARN(arn string) (path, name string) {
	_, res, ok := strings.Cut(arn, ":policy/")
	if !ok {
		return "/", arn
	}
	i := strings.LastIndexByte(res, '/')
	return "/" + res[:i+1], res[i+1:]
}

func validPolicyARN(arn string) bool {
	return strings.HasPrefix(arn, "arn:aws:iam::") && strings.Contains(arn, ":policy/")
}

func awsManaged(arn string) bool {
	return strings.HasPrefix(arn, "arn:aws:iam::aws:policy/")
}

func versionNumber(id string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "v"))
	return n, err == nil && strings.HasPrefix(id, "v")
}

// policySize counts a document's characters without whitespace, as IAM's
// size quotas do.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// checkDocument answers MalformedPolicyDocument for text that is not a JSON
// object. (IAM checks the policy grammar too; iamguard only writes policies
// it built itself.)
func checkDocument(doc string) *apiError {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &obj); err != nil {
		return errorf("MalformedPolicyDocument", "Syntax errors in policy.")
	}
	return nil
}

// nameParam is the parameter naming a principal of each kind.
var nameParam = map[string]string{KindUser: "UserName", KindRole: "RoleName", KindGroup: "GroupName"}

// lookup finds a principal or answers NoSuchEntity as IAM words it.
func (s *Server) lookup(kind, name string) (*principal, *apiError) {
	if p := s.iam.principals[kind][name]; p != nil {
		return p, nil
	}
	return nil, errorf("NoSuchEntity", "The %s with name %s cannot be found.", kind, name)
}

// lookupModifiable is lookup plus UnmodifiableEntity for service-linked roles.
func (s *Server) lookupModifiable(kind, name string) (*principal, *apiError) {
	p, e := s.lookup(kind, name)
	if e != nil {
		return nil, e
	}
	if p.serviceLinked {
		return nil, errorf("UnmodifiableEntity", "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
	}
	return p, nil
}

func (s *Server) lookupPolicy(arn string) (*managedPolicy, *apiError) {
	if !validPolicyARN(arn) {
		return nil, errorf("InvalidInput", "ARN %s is not valid.", arn)
	}
	if p := s.iam.policies[arn]; p != nil {
		return p, nil
	}
	return nil, errorf("NoSuchEntity", "Policy %s was not found.", arn)
}

func (p *managedPolicy) version(id string) *policyVersion {
	for _, v := range p.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

// paginate applies MaxItems (1-1000, default 100) and Marker (an offset the
// server handed out) to a list.
func paginate[T any](items []T, p params) (page []T, truncated bool, marker string, e *apiError) {
	limit := 100
	if v, ok := p["MaxItems"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, false, "", errorf("ValidationError", "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", v)
		}
		limit = n
	}
	start := 0
	if m, ok := p["Marker"]; ok {
		n, err := strconv.Atoi(strings.TrimPrefix(m, "fakeaws-"))
		if err != nil || !strings.HasPrefix(m, "fakeaws-") || n < 0 || n > len(items) {
			return nil, false, "", errorf("InvalidInput", "Invalid Marker.")
		}
		start = n
	}
	end := min(start+limit, len(items))
	if end < len(items) {
		return items[start:end], true, "fakeaws-" + strconv.Itoa(end), nil
	}
	return items[start:end], false, "", nil
}

// iamActions are the IAM actions the server answers.
var iamActions = map[string]handlerFunc{
	"UpdateAccessKey":           updateAccessKey,
	"ListAccessKeys":            listAccessKeys,
	"AttachUserPolicy":          attachPolicy(KindUser),
	"AttachRolePolicy":          attachPolicy(KindRole),
	"AttachGroupPolicy":         attachPolicy(KindGroup),
	"DetachUserPolicy":          detachPolicy(KindUser),
	"DetachRolePolicy":          detachPolicy(KindRole),
	"DetachGroupPolicy":         detachPolicy(KindGroup),
	"ListAttachedUserPolicies":  listAttachedPolicies(KindUser),
	"ListAttachedRolePolicies":  listAttachedPolicies(KindRole),
	"ListAttachedGroupPolicies": listAttachedPolicies(KindGroup),
	"PutUserPolicy":             putInlinePolicy(KindUser),
	"PutRolePolicy":             putInlinePolicy(KindRole),
	"PutGroupPolicy":            putInlinePolicy(KindGroup),
	"GetUserPolicy":             getInlinePolicy(KindUser),
	"GetRolePolicy":             getInlinePolicy(KindRole),
	"GetGroupPolicy":            getInlinePolicy(KindGroup),
	"DeleteUserPolicy":          deleteInlinePolicy(KindUser),
	"DeleteRolePolicy":          deleteInlinePolicy(KindRole),
	"DeleteGroupPolicy":         deleteInlinePolicy(KindGroup),
	"ListUserPolicies":          listInlinePolicies(KindUser),
	"ListRolePolicies":          listInlinePolicies(KindRole),
	"ListGroupPolicies":         listInlinePolicies(KindGroup),
	"GetPolicy":                 getPolicy,
	"GetPolicyVersion":          getPolicyVersion,
	"ListPolicyVersions":        listPolicyVersions,
	"SetDefaultPolicyVersion":   setDefaultPolicyVersion,
	"CreatePolicyVersion":       createPolicyVersion,
	"DeletePolicyVersion":       deletePolicyVersion,
	"ListUserTags":              listTags(KindUser),
	"ListRoleTags":              listTags(KindRole),
	"ListPolicyTags":            listPolicyTags,
	"GetUser":                   getUser,
	"GetRole":                   getRole,
}

// errNoUserName is IAM's answer when a call that may name the caller's own
// user is made with role (temporary) credentials, as a Lambda's are.
func errNoUserName() *apiError {
	return errorf("ValidationError", "Must specify userName when calling with non-User credentials")
}

func updateAccessKey(s *Server, p params) (any, *apiError) {
	v, e := p.need("AccessKeyId", "Status")
	if e != nil {
		return nil, e
	}
	keyID, status := v[0], v[1]
	if status != "Active" && status != "Inactive" {
		return nil, errorf("ValidationError", "1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", status)
	}
	user, ok := p["UserName"]
	if !ok {
		return nil, errNoUserName()
	}
	if _, e := s.lookup(KindUser, user); e != nil {
		return nil, e
	}
	k := s.iam.keys[keyID]
	if k == nil || k.user != user {
		return nil, errorf("NoSuchEntity", "The Access Key with id %s cannot be found.", keyID)
	}
	k.status = status
	return nil, nil
}

type accessKeyMetadata struct {
	UserName    string `xml:"UserName"`
	AccessKeyID string `xml:"AccessKeyId"`
	Status      string `xml:"Status"`
	CreateDate  string `xml:"CreateDate"`
}

type listAccessKeysResult struct {
	AccessKeyMetadata members[accessKeyMetadata] `xml:"AccessKeyMetadata"`
	IsTruncated       bool                       `xml:"IsTruncated"`
	Marker            string                     `xml:"Marker,omitempty"`
}

func listAccessKeys(s *Server, p params) (any, *apiError) {
	user, ok := p["UserName"]
	if !ok {
		return nil, errNoUserName()
	}
	if _, e := s.lookup(KindUser, user); e != nil {
		return nil, e
	}
	var all []accessKeyMetadata
	for _, id := range s.iam.keyOrder {
		if k := s.iam.keys[id]; k.user == user {
			all = append(all, accessKeyMetadata{UserName: user, AccessKeyID: id, Status: k.status, CreateDate: isoTime(k.created)})
		}
	}
	page, truncated, marker, e := paginate(all, p)
	if e != nil {
		return nil, e
	}
	return listAccessKeysResult{AccessKeyMetadata: members[accessKeyMetadata]{page}, IsTruncated: truncated, Marker: marker}, nil
}

func attachPolicy(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind], "PolicyArn")
		if e != nil {
			return nil, e
		}
		pr, e := s.lookupModifiable(kind, v[0])
		if e != nil {
			return nil, e
		}
		arn := v[1]
		if !validPolicyARN(arn) {
			return nil, errorf("InvalidInput", "ARN %s is not valid.", arn)
		}
		if s.iam.policies[arn] == nil && !awsManaged(arn) {
			return nil, errorf("NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
		}
		if slices.Contains(pr.attached, arn) {
			return nil, nil // IAM: attaching again succeeds and changes nothing
		}
		if len(pr.attached) >= maxAttachedPolicies {
			return nil, errorf("LimitExceeded", "Cannot exceed quota for PoliciesPer%s: %d", capitalize(kind), maxAttachedPolicies)
		}
		pr.attached = append(pr.attached, arn)
		return nil, nil
	}
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func detachPolicy(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind], "PolicyArn")
		if e != nil {
			return nil, e
		}
		pr, e := s.lookupModifiable(kind, v[0])
		if e != nil {
			return nil, e
		}
		arn := v[1]
		if !validPolicyARN(arn) {
			return nil, errorf("InvalidInput", "ARN %s is not valid.", arn)
		}
		i := slices.Index(pr.attached, arn)
		if i < 0 {
			return nil, errorf("NoSuchEntity", "Policy %s was not found.", arn)
		}
		pr.attached = slices.Delete(pr.attached, i, i+1)
		return nil, nil
	}
}

type attachedPolicy struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type listAttachedPoliciesResult struct {
	AttachedPolicies members[attachedPolicy] `xml:"AttachedPolicies"`
	IsTruncated      bool                    `xml:"IsTruncated"`
	Marker           string                  `xml:"Marker,omitempty"`
}

func listAttachedPolicies(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind])
		if e != nil {
			return nil, e
		}
		pr, e := s.lookup(kind, v[0])
		if e != nil {
			return nil, e
		}
		all := make([]attachedPolicy, 0, len(pr.attached))
		for _, arn := range pr.attached {
			_, name := splitPolicyARN(arn)
			all = append(all, attachedPolicy{PolicyName: name, PolicyArn: arn})
		}
		page, truncated, marker, e := paginate(all, p)
		if e != nil {
			return nil, e
		}
		return listAttachedPoliciesResult{AttachedPolicies: members[attachedPolicy]{page}, IsTruncated: truncated, Marker: marker}, nil
	}
}

func putInlinePolicy(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind], "PolicyName", "PolicyDocument")
		if e != nil {
			return nil, e
		}
		pr, e := s.lookupModifiable(kind, v[0])
		if e != nil {
			return nil, e
		}
		name, doc := v[1], v[2]
		if e := checkDocument(doc); e != nil {
			return nil, e
		}
		total := policySize(doc)
		for n, d := range pr.inline {
			if n != name {
				total += policySize(d)
			}
		}
		if limit := maxInlinePolicy[kind]; total > limit {
			return nil, errorf("LimitExceeded", "Maximum policy size of %d bytes exceeded for %s %s", limit, kind, pr.name)
		}
		pr.inline[name] = doc
		return nil, nil
	}
}

// inlinePolicyResult answers Get{User,Role,Group}Policy; exactly one of the
// principal names is set.
type inlinePolicyResult struct {
	UserName       string `xml:"UserName,omitempty"`
	RoleName       string `xml:"RoleName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func getInlinePolicy(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind], "PolicyName")
		if e != nil {
			return nil, e
		}
		pr, e := s.lookup(kind, v[0])
		if e != nil {
			return nil, e
		}
		doc, ok := pr.inline[v[1]]
		if !ok {
			return nil, errorf("NoSuchEntity", "The %s policy with name %s cannot be found.", kind, v[1])
		}
		out := inlinePolicyResult{PolicyName: v[1], PolicyDocument: iamEscape(doc)}
		switch kind {
		case KindUser:
			out.UserName = pr.name
		case KindRole:
			out.RoleName = pr.name
		case KindGroup:
			out.GroupName = pr.name
		}
		return out, nil
	}
}

func deleteInlinePolicy(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind], "PolicyName")
		if e != nil {
			return nil, e
		}
		pr, e := s.lookupModifiable(kind, v[0])
		if e != nil {
			return nil, e
		}
		if _, ok := pr.inline[v[1]]; !ok {
			return nil, errorf("NoSuchEntity", "The %s policy with name %s cannot be found.", kind, v[1])
		}
		delete(pr.inline, v[1])
		return nil, nil
	}
}

type listInlinePoliciesResult struct {
	PolicyNames members[string] `xml:"PolicyNames"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
}

func listInlinePolicies(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind])
		if e != nil {
			return nil, e
		}
		pr, e := s.lookup(kind, v[0])
		if e != nil {
			return nil, e
		}
		page, truncated, marker, e := paginate(sortedKeys(pr.inline), p)
		if e != nil {
			return nil, e
		}
		return listInlinePoliciesResult{PolicyNames: members[string]{page}, IsTruncated: truncated, Marker: marker}, nil
	}
}

type xmlPolicy struct {
	PolicyName                    string           `xml:"PolicyName"`
	PolicyID                      string           `xml:"PolicyId"`
	Arn                           string           `xml:"Arn"`
	Path                          string           `xml:"Path"`
	DefaultVersionID              string           `xml:"DefaultVersionId"`
	AttachmentCount               int              `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int              `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool             `xml:"IsAttachable"`
	CreateDate                    string           `xml:"CreateDate"`
	UpdateDate                    string           `xml:"UpdateDate"`
	Tags                          *members[xmlTag] `xml:"Tags,omitempty"`
}

func getPolicy(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	count := 0
	for _, byName := range s.iam.principals {
		for _, pr := range byName {
			if slices.Contains(pr.attached, pol.arn) {
				count++
			}
		}
	}
	out := xmlPolicy{PolicyName: pol.name, PolicyID: pol.id, Arn: pol.arn, Path: pol.path, DefaultVersionID: pol.defaultID,
		AttachmentCount: count, IsAttachable: true, CreateDate: isoTime(pol.created), UpdateDate: isoTime(pol.updated)}
	if len(pol.tags) > 0 {
		out.Tags = &members[xmlTag]{tagList(pol.tags)}
	}
	return struct {
		Policy xmlPolicy `xml:"Policy"`
	}{out}, nil
}

type xmlPolicyVersion struct {
	Document         string `xml:"Document,omitempty"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	CreateDate       string `xml:"CreateDate"`
}

func getPolicyVersion(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn", "VersionId")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	ver := pol.version(v[1])
	if ver == nil {
		return nil, errorf("NoSuchEntity", "Policy %s version %s does not exist.", pol.arn, v[1])
	}
	return struct {
		PolicyVersion xmlPolicyVersion `xml:"PolicyVersion"`
	}{xmlPolicyVersion{Document: iamEscape(ver.document), VersionID: ver.id, IsDefaultVersion: ver.id == pol.defaultID, CreateDate: isoTime(ver.created)}}, nil
}

type listPolicyVersionsResult struct {
	Versions    members[xmlPolicyVersion] `xml:"Versions"`
	IsTruncated bool                      `xml:"IsTruncated"`
	Marker      string                    `xml:"Marker,omitempty"`
}

// listPolicyVersions lists newest first, as IAM does, without documents.
func listPolicyVersions(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	all := make([]xmlPolicyVersion, 0, len(pol.versions))
	for i := len(pol.versions) - 1; i >= 0; i-- {
		ver := pol.versions[i]
		all = append(all, xmlPolicyVersion{VersionID: ver.id, IsDefaultVersion: ver.id == pol.defaultID, CreateDate: isoTime(ver.created)})
	}
	page, truncated, marker, e := paginate(all, p)
	if e != nil {
		return nil, e
	}
	return listPolicyVersionsResult{Versions: members[xmlPolicyVersion]{page}, IsTruncated: truncated, Marker: marker}, nil
}

func setDefaultPolicyVersion(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn", "VersionId")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	if pol.version(v[1]) == nil {
		return nil, errorf("NoSuchEntity", "Policy %s version %s does not exist or is not attachable.", pol.arn, v[1])
	}
	pol.defaultID = v[1]
	return nil, nil
}

func createPolicyVersion(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn", "PolicyDocument")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	doc := v[1]
	if e := checkDocument(doc); e != nil {
		return nil, e
	}
	if policySize(doc) > maxManagedPolicy {
		return nil, errorf("LimitExceeded", "Cannot exceed quota for PolicySize: %d", maxManagedPolicy)
	}
	if len(pol.versions) >= maxPolicyVersions {
		return nil, errorf("LimitExceeded", "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxPolicyVersions)
	}
	created := pol.updated.Add(time.Hour)
	ver := &policyVersion{id: "v" + strconv.Itoa(pol.nextVersion), document: doc, created: created}
	pol.nextVersion++
	pol.versions = append(pol.versions, ver)
	pol.updated = created
	if p["SetAsDefault"] == "true" {
		pol.defaultID = ver.id
	}
	return struct {
		PolicyVersion xmlPolicyVersion `xml:"PolicyVersion"`
	}{xmlPolicyVersion{VersionID: ver.id, IsDefaultVersion: ver.id == pol.defaultID, CreateDate: isoTime(ver.created)}}, nil
}

func deletePolicyVersion(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn", "VersionId")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	i := slices.IndexFunc(pol.versions, func(ver *policyVersion) bool { return ver.id == v[1] })
	if i < 0 {
		return nil, errorf("NoSuchEntity", "Policy %s version %s does not exist.", pol.arn, v[1])
	}
	if v[1] == pol.defaultID {
		return nil, errorf("DeleteConflict", "Cannot delete the default version of a policy.")
	}
	pol.versions = slices.Delete(pol.versions, i, i+1)
	return nil, nil
}

type listTagsResult struct {
	Tags        members[xmlTag] `xml:"Tags"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
}

func listTags(kind string) handlerFunc {
	return func(s *Server, p params) (any, *apiError) {
		v, e := p.need(nameParam[kind])
		if e != nil {
			return nil, e
		}
		pr, e := s.lookup(kind, v[0])
		if e != nil {
			return nil, e
		}
		page, truncated, marker, e := paginate(tagList(pr.tags), p)
		if e != nil {
			return nil, e
		}
		return listTagsResult{Tags: members[xmlTag]{page}, IsTruncated: truncated, Marker: marker}, nil
	}
}

func listPolicyTags(s *Server, p params) (any, *apiError) {
	v, e := p.need("PolicyArn")
	if e != nil {
		return nil, e
	}
	pol, e := s.lookupPolicy(v[0])
	if e != nil {
		return nil, e
	}
	page, truncated, marker, e := paginate(tagList(pol.tags), p)
	if e != nil {
		return nil, e
	}
	return listTagsResult{Tags: members[xmlTag]{page}, IsTruncated: truncated, Marker: marker}, nil
}

type xmlUser struct {
	Path       string           `xml:"Path"`
	UserName   string           `xml:"UserName"`
	UserID     string           `xml:"UserId"`
	Arn        string           `xml:"Arn"`
	CreateDate string           `xml:"CreateDate"`
	Tags       *members[xmlTag] `xml:"Tags,omitempty"`
}

func getUser(s *Server, p params) (any, *apiError) {
	name, ok := p["UserName"]
	if !ok {
		return nil, errNoUserName()
	}
	u, e := s.lookup(KindUser, name)
	if e != nil {
		return nil, e
	}
	out := xmlUser{Path: u.path, UserName: u.name, UserID: u.id, Arn: u.arn, CreateDate: isoTime(u.created)}
	if len(u.tags) > 0 {
		out.Tags = &members[xmlTag]{tagList(u.tags)}
	}
	return struct {
		User xmlUser `xml:"User"`
	}{out}, nil
}

type xmlRole struct {
	Path                     string           `xml:"Path"`
	RoleName                 string           `xml:"RoleName"`
	RoleID                   string           `xml:"RoleId"`
	Arn                      string           `xml:"Arn"`
	CreateDate               string           `xml:"CreateDate"`
	AssumeRolePolicyDocument string           `xml:"AssumeRolePolicyDocument"`
	MaxSessionDuration       int              `xml:"MaxSessionDuration"`
	Tags                     *members[xmlTag] `xml:"Tags,omitempty"`
	RoleLastUsed             struct{}         `xml:"RoleLastUsed"`
}

// trustPolicy is the AssumeRolePolicyDocument GetRole answers.
func trustPolicy(r *principal) string {
	service := "lambda.amazonaws.com"
	if r.serviceLinked {
		service = "ops.apigateway.amazonaws.com"
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
}

func getRole(s *Server, p params) (any, *apiError) {
	v, e := p.need("RoleName")
	if e != nil {
		return nil, e
	}
	r, e := s.lookup(KindRole, v[0])
	if e != nil {
		return nil, e
	}
	out := xmlRole{Path: r.path, RoleName: r.name, RoleID: r.id, Arn: r.arn, CreateDate: isoTime(r.created),
		AssumeRolePolicyDocument: iamEscape(trustPolicy(r)), MaxSessionDuration: 3600}
	if len(r.tags) > 0 {
		out.Tags = &members[xmlTag]{tagList(r.tags)}
	}
	return struct {
		Role xmlRole `xml:"Role"`
	}{out}, nil
}
