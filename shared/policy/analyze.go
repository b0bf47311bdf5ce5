package policy

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/iamguard/iamguard/shared/severity"
)

// The kinds of Finding, from the most to the least severe.
const (
	// KindAdmin marks an Allow of every action on every resource with no
	// Condition (critical).
	KindAdmin = "admin"
	// KindAdminConditional marks the same under a Condition, such as MFA (high).
	// A Condition that never restricts (see conditionVacuous) counts as none.
	KindAdminConditional = "admin-conditional"
	// KindNotAction marks an Allow with NotAction, that is every action but a
	// few, on every resource (high) or on a whole-service resource wildcard
	// (medium; high when the service is one of the high-risk ones below, such
	// as "arn:aws:iam::*:*", and NotAction spares all of its actions).
	KindNotAction = "not-action"
	// KindServiceWildcard marks every action of a service, such as "iam:*":
	// high for iam, sts, organizations, kms, cloudtrail and sso on every resource
	// or on every resource of that same service ("iam:*" or "*" on
	// "arn:aws:iam::111122223333:*": IAM administrator), medium for other
	// services or on a whole-service resource wildcard of another service.
	KindServiceWildcard = "service-wildcard"
	// KindPrivilegeEscalation marks actions allowed on every resource, or on
	// a resource pattern as broad for them (every resource of their service,
	// or for IAM actions every user, role, group or policy they act on), that
	// complete one or more of EscalationPaths (high). One named user or role
	// ("arn:aws:iam::111122223333:user/alice") is not broad.
	KindPrivilegeEscalation = "privilege-escalation"
	// KindActionWildcard marks a wildcard inside action names that cannot be
	// shown to reach only reads, on every resource: medium when its literal
	// part is empty or starts with a verb that changes things ("s3:Put*",
	// "s3:*Object"), low otherwise ("athena:Batch*", "iam:Simulate*").
	KindActionWildcard = "action-wildcard"
	// KindReadWildcard marks wildcards that reach only read-style actions,
	// such as "s3:Get*" or "ec2:Describe*", on every resource (low).
	KindReadWildcard = "read-wildcard"
	// KindResourceWildcard marks named actions on every resource that complete
	// no escalation path, such as "sns:Publish" on "*" (info).
	KindResourceWildcard = "resource-wildcard"
	// KindEscalationBlocked marks escalation paths that the actions allowed
	// would complete but for a statement's Condition that provably blocks
	// them, such as iam:PassRole limited by iam:PassedToService to services
	// that no path passes roles to (info; the Reason says which condition).
	KindEscalationBlocked = "escalation-blocked"
)

// Verdict is what Analyze concludes about a document.
type Verdict struct {
	Severity severity.Severity // highest of Findings; severity.None when nothing is dangerous
	Findings []Finding         // highest severity first; ties in statement order
}

// Finding is one dangerous Allow statement, or one group of escalation
// paths that begin at the same statement.
type Finding struct {
	Statement  int   // index of the statement; the first one for a multi-statement escalation
	Statements []int // every statement that contributes, ascending
	Sid        string
	Severity   severity.Severity
	Kind       string   // one of the Kind constants
	Reason     string   // one plain English sentence
	Actions    []string // the action patterns that earned the finding, as written (for NotAction, the NotAction list)
	Resources  []string // the resources that make the statement broad, as written (for NotResource, the NotResource list)
	Paths      []string // for KindPrivilegeEscalation, the names of every completed path, in table order
}

// Reasons returns the Reason of each finding, in order.
func (v Verdict) Reasons() []string {
	if len(v.Findings) == 0 {
		return nil
	}
	out := make([]string, len(v.Findings))
	for i, f := range v.Findings {
		out[i] = f.Reason
	}
	return out
}

// maxListed caps the names and patterns quoted in one Reason.
const maxListed = 5

// Resource scope of an Allow statement.
const (
	scopeNone    = iota // specific resources, or none at all
	scopeService        // a wildcard over the resources of a whole service
	scopeAll            // every resource
)

type stmtState struct {
	effective bool     // an Allow that no Deny removes entirely
	broad     bool     // some Resource is broad for some service (parseBroad), though not every resource
	scope     int      // scopeNone, scopeService or scopeAll
	resources []string // the resources that give the scope, as written
	kind      string   // the kind of the statement's own finding, if any
}

// Analyze scores a policy document. Only Allow statements produce findings.
// A Deny without a Condition that covers every action and resource of an
// Allow statement removes that Allow; a Deny that covers it only in part
// changes nothing, except that actions it denies on every resource do not
// count towards escalation paths. Conditions never lower a statement's own
// finding, except that administrator access under a Condition is high
// instead of critical (unless the Condition never restricts anything, see
// conditionVacuous). Escalation paths count conditional Allow statements
// too, as Prowler does, unless the Condition provably blocks the path (see
// condition.go: iam:PassedToService, iam:PolicyARN, iam:PermissionsBoundary,
// aws:CalledVia, aws:ViaAWSService, resource tags, ecs:container-name); a
// path blocked so is reported at info (KindEscalationBlocked) with the
// reason.
//
// Analyze never fails: statements it cannot make sense of (a document built
// by hand with Effect "Maybe") are skipped.
func Analyze(d *Document) Verdict { return AnalyzeWith(d, Options{}) }

// AnalyzeWith is Analyze with options: Options.Policy lets conditions that
// name managed policies (iam:PolicyARN) be judged by what those policies grant.
func AnalyzeWith(d *Document, opts Options) Verdict {
	if d == nil || len(d.Statements) == 0 {
		return Verdict{}
	}
	var stateBuf [32]stmtState
	var states []stmtState
	if n := len(d.Statements); n <= len(stateBuf) {
		states = stateBuf[:n]
	} else {
		states = make([]stmtState, n)
	}
	var denyBuf [16]int
	denies := denyBuf[:0]
	var normBuf [16][]string
	norms := normBuf[:0] // each Deny's Action, normalised once, not once per Allow action
	for i := range d.Statements {
		if s := &d.Statements[i]; s.IsDeny() && len(s.Condition) == 0 {
			denies = append(denies, i)
			var n []string
			if s.Action != nil {
				n = make([]string, len(s.Action))
				for j, q := range s.Action {
					n[j] = normAction(q)
				}
			}
			norms = append(norms, n)
		}
	}
	anyBroad := false
	denyBudget := maxDenyChecks
	for i := range d.Statements {
		s := &d.Statements[i]
		if !s.IsAllow() || (s.Action == nil) == (s.NotAction == nil) {
			continue
		}
		if len(denies) > 0 && removedByDeny(d, s, denies, norms, &denyBudget) {
			continue
		}
		st := &states[i]
		st.effective = true
		st.scope, st.resources = resourceScope(s)
		if st.scope != scopeAll {
			st.broad = anyBroadResource(s.Resource)
		}
		anyBroad = anyBroad || st.scope == scopeAll || st.broad
	}

	var esc escResult
	if anyBroad {
		esc.an = analysis{d: d, opts: opts}
		esc.run(states, denies)
	}
	var findings []Finding
	ids := make([]int, len(d.Statements))
	for i := range ids {
		ids[i] = i
	}
	for i := range d.Statements {
		if f, ok := statementFinding(d, i, &states[i], &esc, ids); ok {
			if findings == nil {
				findings = make([]Finding, 0, 8)
			}
			states[i].kind = f.Kind
			findings = append(findings, f)
		}
	}
	findings = esc.appendFindings(findings, d, states)
	findings = esc.appendBlocked(findings, d, states)
	if len(findings) == 0 {
		return Verdict{}
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity) - int(a.Severity)
		}
		return a.Statement - b.Statement
	})
	return Verdict{Severity: findings[0].Severity, Findings: findings}
}

// resourceScope says how broad the resources of an Allow statement are and
// which of them make it so.
func resourceScope(s *Statement) (int, []string) {
	if s.NotResource != nil {
		for _, r := range s.NotResource {
			if isAllStars(r) {
				return scopeNone, nil // every resource is excluded
			}
		}
		return scopeAll, s.NotResource
	}
	var all, svc []string
	for i, r := range s.Resource {
		if !hasWildcard(r) {
			continue
		}
		if allResources(r) {
			all = appendSub(all, s.Resource, i)
		} else if _, ok := serviceWideResource(r); ok {
			svc = appendSub(svc, s.Resource, i)
		}
	}
	switch {
	case all != nil:
		return scopeAll, all
	case svc != nil:
		return scopeService, svc
	}
	return scopeNone, nil
}

// anyBroadResource reports whether some resource pattern covers all of a
// service, or of an IAM resource type (parseBroad).
func anyBroadResource(rs []string) bool {
	for _, r := range rs {
		if _, ok := parseReach(r); ok {
			return true
		}
	}
	return false
}

// highOnService reports whether a statement whose resources cover the whole
// of a service (scopeService) allows every action of that service, when it is
// one of highRiskServices: "iam:*" or "*" on "arn:aws:iam::111122223333:*"
// is IAM administrator access, which is as good as account administrator.
// For a NotAction statement, the NotAction list must spare every action of
// the service.
func highOnService(s *Statement, st *stmtState) bool {
	for _, r := range st.resources {
		b, ok := parseBroad(r)
		if !ok || !b.whole {
			continue
		}
		for _, h := range highRiskServices {
			if !strings.EqualFold(b.service, h[:len(h)-2]) {
				continue
			}
			if s.NotAction != nil {
				if !slices.ContainsFunc(s.NotAction, func(q string) bool { return overlaps(normAction(q), h) }) {
					return true
				}
				continue
			}
			for _, p := range s.Action {
				if actionCovers(normAction(p), h) {
					return true
				}
			}
		}
	}
	return false
}

// appendSub appends src[i] to dst, sharing src's memory while dst is empty so
// that the common single-entry case allocates nothing.
func appendSub(dst, src []string, i int) []string {
	if dst == nil {
		return src[i : i+1 : i+1]
	}
	return append(dst, src[i])
}

// Action pattern classes, least broad first.
type actionClass int

const (
	clsSpecific    actionClass = iota // no wildcard: "sns:Publish"
	clsRead                           // "s3:Get*"
	clsWildLow                        // "athena:Batch*"
	clsWildMedium                     // "s3:Put*", "s3:*Object"
	clsService                        // "s3:*"
	clsHighService                    // "iam:*"
	clsAdmin                          // "*", "*:*", "*:?*" and others that match every action
)

// highRiskServices are the services whose "svc:*" on every resource is high:
// each one alone can take over or blind the account. IAM Identity Center
// (sso) is one of them: it decides who is administrator in every account of
// the organization, by more actions than the escalation table names (an
// existing permission set assigned to oneself, a customer-managed policy
// referenced by name, a permissions boundary removed).
var highRiskServices = [...]string{"iam:*", "sts:*", "organizations:*", "kms:*", "cloudtrail:*", "sso:*"}

// readPrefixes begin the names of read-style actions.
var readPrefixes = [...]string{
	"Get", "List", "Describe", "Head", "Search", "View", "Lookup", "Select", "Scan", "Query", "BatchGet", "Check",
}

// writeVerbs begin the names of actions that change things. A wildcard whose
// literal part starts with one of them reaches writes for sure. The list
// leaves out verbs that AWS also uses for reads (Batch, Admin, Request,
// Deliver, Receive, Download), so that ReadOnlyAccess stays low.
var writeVerbs = [...]string{
	"Accept", "Activate", "Add", "Allocate", "Apply", "Assign", "Associate", "Assume", "Attach", "Authorize",
	"Cancel", "Change", "Copy", "Create", "Deactivate", "Decrypt", "Delete", "Deploy", "Deregister", "Detach",
	"Disable", "Disassociate", "Edit", "Enable", "Encrypt", "Execute", "Export", "Grant", "Import", "Invoke",
	"Modify", "Move", "Pass", "Promote", "Publish", "Purchase", "Put", "Reboot", "Register", "Reject",
	"Release", "Remove", "Replace", "Reset", "Restore", "Revoke", "Rotate", "Run", "Send", "Set", "Sign",
	"Start", "Stop", "Tag", "Terminate", "Untag", "Update", "Upload", "Write",
}

func classifyAction(p string) actionClass {
	if !hasWildcard(p) {
		return clsSpecific
	}
	p = normAction(p)
	if actionCovers(p, "*:*") {
		return clsAdmin
	}
	for _, h := range highRiskServices {
		if actionCovers(p, h) {
			return clsHighService
		}
	}
	name := p
	if i := strings.IndexByte(p, ':'); i >= 0 {
		name = p[i+1:]
		if isAllStars(name) {
			return clsService
		}
	} else if lit := literalPrefix(p); len(lit) < len(p) && actionCovers(p, lit+":*") {
		return clsService // "s3*" reaches every s3 action
	}
	lit := literalPrefix(name)
	switch {
	case hasPrefixFold(lit, readPrefixes[:]):
		return clsRead
	case lit == "" || hasPrefixFold(lit, writeVerbs[:]):
		return clsWildMedium
	}
	return clsWildLow
}

// literalPrefix returns s up to its first wildcard.
func literalPrefix(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return s[:i]
		}
	}
	return s
}

func hasPrefixFold(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// statementFinding scores one statement on its own. ids holds 0..n-1, so
// that each finding's Statements can share it instead of allocating.
func statementFinding(d *Document, i int, st *stmtState, esc *escResult, ids []int) (Finding, bool) {
	s := &d.Statements[i]
	if !st.effective || st.scope == scopeNone {
		return Finding{}, false
	}
	f := Finding{Statement: i, Statements: ids[i : i+1 : i+1], Sid: s.Sid, Resources: st.resources}
	var buf [256]byte
	b := appendWhere(buf[:0], d, i)

	if s.NotAction != nil {
		for _, p := range s.NotAction {
			if actionCovers(p, "*:*") || matchesAllActions(p) {
				return Finding{}, false // excludes every action: allows nothing
			}
		}
		f.Kind, f.Actions = KindNotAction, s.NotAction
		f.Severity = severity.High
		if st.scope != scopeAll && !highOnService(s, st) {
			f.Severity = severity.Medium
		}
		b = append(b, " allows every action except "...)
		b = appendQuoted(b, s.NotAction)
		b = append(b, " (NotAction) on "...)
		b = appendCondition(appendOn(b, s, st), s)
		f.Reason = string(b)
		return f, true
	}

	best := clsSpecific
	for _, p := range s.Action {
		if c := classifyAction(p); c > best {
			best = c
		}
	}
	pick := func(lo, hi actionClass) []string {
		var out []string
		for _, p := range s.Action {
			if c := classifyAction(p); lo <= c && c <= hi {
				out = append(out, p)
			}
		}
		return out
	}
	switch {
	case st.scope == scopeService && best < clsService:
		return Finding{}, false
	case st.scope == scopeService || best == clsService || best == clsHighService:
		f.Kind, f.Severity = KindServiceWildcard, severity.Medium
		if best == clsHighService && st.scope == scopeAll || st.scope == scopeService && highOnService(s, st) {
			f.Severity = severity.High
		}
		f.Actions = pick(clsService, clsAdmin)
		switch {
		case best == clsAdmin:
			b = append(b, " allows every action ("...)
		case len(f.Actions) == 1:
			b = append(b, " allows every action of a whole service ("...)
		default:
			b = append(b, " allows every action of whole services ("...)
		}
		b = appendQuoted(b, f.Actions)
		b = append(b, ") on "...)
		b = appendCondition(appendOn(b, s, st), s)
	case best == clsAdmin:
		f.Actions = pick(clsAdmin, clsAdmin)
		b = append(b, " allows every action ("...)
		b = appendQuoted(b, f.Actions)
		b = append(b, ") on "...)
		b = appendOn(b, s, st)
		switch {
		case len(s.Condition) == 0:
			f.Kind, f.Severity = KindAdmin, severity.Critical
			b = append(b, ": administrator access"...)
		case conditionVacuous(s.Condition):
			f.Kind, f.Severity = KindAdmin, severity.Critical
			b = appendCondition(b, s)
			b = append(b, " that always holds: administrator access"...)
		default:
			f.Kind, f.Severity = KindAdminConditional, severity.High
			b = appendCondition(b, s)
			b = append(b, ": administrator access whenever the condition holds"...)
		}
	case best == clsWildMedium || best == clsWildLow:
		f.Kind, f.Severity = KindActionWildcard, severity.Low
		if best == clsWildMedium {
			f.Severity = severity.Medium
		}
		f.Actions = pick(clsWildLow, clsWildMedium)
		b = append(b, " allows wildcard actions that are not limited to reads ("...)
		b = appendQuoted(b, f.Actions)
		b = append(b, ") on "...)
		b = appendCondition(appendOn(b, s, st), s)
	case best == clsRead:
		f.Kind, f.Severity = KindReadWildcard, severity.Low
		f.Actions = pick(clsRead, clsRead)
		b = append(b, " allows read-only wildcard actions ("...)
		b = appendQuoted(b, f.Actions)
		b = append(b, ") on "...)
		b = appendCondition(appendOn(b, s, st), s)
	default:
		// Named actions: worth noting only if they are not already part of a
		// completed escalation path, which gets its own finding.
		f.Actions = s.Action
		if !esc.completed.isEmpty() {
			x := escalation()
			f.Actions = nil
			for _, p := range s.Action {
				if id, ok := x.lookupLiteral(p); ok && esc.completed.has(id) {
					continue
				}
				f.Actions = append(f.Actions, p)
			}
			if f.Actions == nil {
				return Finding{}, false
			}
		}
		f.Kind, f.Severity = KindResourceWildcard, severity.Info
		b = append(b, " allows "...)
		b = appendQuoted(b, f.Actions)
		b = append(b, " on "...)
		b = appendCondition(appendOn(b, s, st), s)
	}
	f.Reason = string(b)
	return f, true
}

// escResult is the escalation analysis of one document.
type escResult struct {
	allowed   bitset // table actions allowed on every resource, where no Condition blocks them
	loose     bitset // the same, Conditions ignored
	completed bitset // actions of completed paths
	paths     bitset // completed paths
	blocked   bitset // paths that complete only when Conditions are ignored
	byName    bitset // actions allowed only on resources with names the caller chooses
	who       [maxEscActions]escRef
	// blockedBy holds, per table action, 1 + the first statement whose
	// Condition kept it out of allowed (0 when none did).
	blockedBy [maxEscActions]int16
	// passes are the grants of iam:PassRole that iam:PassedToService limits
	// (the first len(passes) of them; any further one counts as unlimited);
	// allowed holds PassRole only when some grant is not limited so. An
	// array, not a slice: appending to a slice field would move the whole
	// result, and the statement states it points to, to the heap.
	passes  [8]escRef
	nPasses int
	an      analysis
}

// escRef names the first statement, and its Action pattern, that allows a
// table action; pat is -1 for a NotAction statement. res is the index of the
// Resource that is broad for the action, or -1 when the statement reaches
// every resource.
type escRef struct{ stmt, pat, res int32 }

// offer records that statement stmt allows table action id (through pattern
// pat, on Resource res) unless its Condition blocks it; viaName says that
// res reaches the action only because the caller names the resource.
func (r *escResult) offer(x *escIndex, id, stmt, pat, res int, viaName bool) {
	r.loose.add(id)
	s := &r.an.d.Statements[stmt]
	if len(s.Condition) > 0 {
		c := r.an.cond(stmt)
		why := c.blocks(&r.an, &x.actions[id])
		if why == "" && id == x.passRole && c.passTo != nil && r.nPasses < len(r.passes) {
			r.passes[r.nPasses] = escRef{int32(stmt), int32(pat), int32(res)}
			r.nPasses++
			return
		}
		if why != "" {
			if r.blockedBy[id] == 0 {
				r.blockedBy[id] = int16(stmt + 1)
			}
			return
		}
	}
	if viaName {
		if r.allowed.has(id) {
			return
		}
		r.byName.add(id)
	} else {
		r.byName.remove(id)
	}
	r.allowed.add(id)
	r.who[id] = escRef{int32(stmt), int32(pat), int32(res)}
}

// viaName reports whether Resource k of bs is one that reaches an action only
// because the caller names the resource ("function:*sagemaker*").
func viaName(bs []stmtBroad, k int) bool {
	for _, b := range bs {
		if b.idx == k {
			return b.b.named && !b.b.typeWide
		}
	}
	return false
}

// passFor returns the limited PassRole grant that path pi can use when
// allowed lacks PassRole, or -1.
func (r *escResult) passFor(x *escIndex, pi int) int {
	if x.passRole < 0 || !x.need[pi].has(x.passRole) || r.allowed.has(x.passRole) {
		return -1
	}
	for k, g := range r.passes[:r.nPasses] {
		if c := r.an.cond(int(g.stmt)); c.passAllows(escalationPaths[pi].PassTo) {
			return k
		}
	}
	return -1
}

// ref is who for the paths of pi: the PassRole grant it uses may be a
// limited one.
func (r *escResult) ref(x *escIndex, pi, id int) escRef {
	if id == x.passRole {
		if k := r.passFor(x, pi); k >= 0 {
			return r.passes[k]
		}
	}
	return r.who[id]
}

// runDocument reads a literal SSM document ARN, such as
// "arn:aws:ssm:*::document/AWS-RunShellScript", for reachSendCommand.
func runDocument(res string) broadRes {
	_, part, _ := strings.Cut(res, ":document/")
	return broadRes{service: "ssm", named: true, typ: "document", part: "document/" + part}
}

// stmtBroad is one Resource of a statement that parseReach accepts.
type stmtBroad struct {
	b   broadRes
	idx int
}

// reach returns the index of the first of bs that is broad for table action
// a, or -2 when none is; every is true for a statement on every resource,
// which reaches everything (-1).
func reach(every bool, bs []stmtBroad, a *escAction) int {
	if every {
		return -1
	}
	if a.sendCommand {
		return reachSendCommand(bs)
	}
	for _, b := range bs {
		if b.b.reaches(a) {
			return b.idx
		}
	}
	return -2
}

// reachSendCommand: ssm:SendCommand names the instances and the document to
// run. Every instance ("arn:aws:ec2:*:*:instance/*", or SSM's
// managed-instance/*) with every document, or with AWS-RunShellScript or
// AWS-RunPowerShellScript, which run any command, is every target.
func reachSendCommand(bs []stmtBroad) int {
	inst, docs := -2, false
	for _, b := range bs {
		switch {
		case b.b.whole && strings.EqualFold(b.b.service, "ssm"):
			return b.idx
		case !b.b.named:
		case b.b.typeWide && (strings.EqualFold(b.b.service, "ec2") && b.b.typ == "instance" ||
			strings.EqualFold(b.b.service, "ssm") && b.b.typ == "managed-instance"):
			if inst < 0 {
				inst = b.idx
			}
		case strings.EqualFold(b.b.service, "ssm") && b.b.typ == "document" &&
			(b.b.typeWide || glob(b.b.part, "document/AWS-RunShellScript", false) || glob(b.b.part, "document/AWS-RunPowerShellScript", false)):
			docs = true
		}
	}
	if docs {
		return inst
	}
	return -2
}

// run gathers the union of actions that the effective Allow statements grant
// on every resource, or on a resource broad for the action, takes away what
// unconditional Deny statements deny on every resource, and records which
// paths are complete, and which would be but for a Condition.
func (r *escResult) run(states []stmtState, denies []int) {
	x := escalation()
	d := r.an.d
	var bsBuf [4]stmtBroad
	for i := range d.Statements {
		st := &states[i]
		if !st.effective || st.scope != scopeAll && !st.broad {
			continue
		}
		s := &d.Statements[i]
		every := st.scope == scopeAll
		bs := bsBuf[:0]
		if !every {
			for k, res := range s.Resource {
				if b, ok := parseReach(res); ok {
					bs = append(bs, stmtBroad{b, k})
				} else if strings.Contains(res, ":document/AWS-Run") {
					// A named shell document: literal, yet any command.
					bs = append(bs, stmtBroad{runDocument(res), k})
				}
			}
		}
		if s.NotAction != nil {
			for id := range x.actions {
				a := &x.actions[id]
				if r.allowed.has(id) && !r.byName.has(id) || !notActionAllows(s.NotAction, *a) {
					continue
				}
				if k := reach(every, bs, a); k >= -1 {
					r.offer(x, id, i, -1, k, viaName(bs, k))
				}
			}
			continue
		}
		for pi, p := range s.Action {
			if !hasWildcard(p) {
				if id, ok := x.lookupLiteral(p); ok && (!r.allowed.has(id) || r.byName.has(id)) {
					if k := reach(every, bs, &x.actions[id]); k >= -1 {
						r.offer(x, id, i, pi, k, viaName(bs, k))
					}
				}
				continue
			}
			p = normAction(p)
			for _, id := range x.candidates(p) {
				if (!r.allowed.has(id) || r.byName.has(id)) && actionCovers(p, x.actions[id].name) {
					if k := reach(every, bs, &x.actions[id]); k >= -1 {
						r.offer(x, id, i, pi, k, viaName(bs, k))
					}
				}
			}
		}
	}
	if r.loose.isEmpty() {
		return
	}
	for _, di := range denies {
		ds := &d.Statements[di]
		if !denyReachesEverything(ds) {
			continue
		}
		for id, a := range x.actions {
			if r.loose.has(id) && denyHits(ds, a) {
				r.allowed.remove(id)
				r.loose.remove(id)
				if id == x.passRole {
					r.nPasses = 0
				}
			}
		}
	}
	for pi := range x.need {
		if pi >= maxEscActions {
			break
		}
		need := &x.need[pi]
		have := r.allowed
		if !x.namedPaths.has(pi) {
			for k := range have {
				have[k] &^= r.byName[k] // a name of one's choosing only serves paths that create the resource
			}
		}
		done := have.contains(need)
		if !done && r.passFor(x, pi) >= 0 {
			have.add(x.passRole)
			done = have.contains(need)
		}
		switch {
		case done:
			r.paths.add(pi)
			r.completed.union(need)
		case r.loose.contains(need):
			r.blocked.add(pi)
		}
	}
}

// notActionAllows reports whether an Allow with NotAction nots allows every
// action that table action a stands for.
func notActionAllows(nots []string, a escAction) bool {
	for _, q := range nots {
		if a.wild && overlaps(q, a.name) || !a.wild && MatchAction(q, a.name) {
			return false
		}
	}
	return true
}

// denyReachesEverything reports whether a Deny applies to every resource.
func denyReachesEverything(ds *Statement) bool {
	if ds.Resource == nil && ds.NotResource == nil {
		return true // a trust policy: the resource is the role itself
	}
	for _, r := range ds.Resource {
		if isAllStars(r) {
			return true
		}
	}
	return false
}

// denyHits reports whether a Deny takes away at least part of what table
// action a stands for; for a wildcard entry such as "iam:*", any part is
// enough to break the path.
func denyHits(ds *Statement, a escAction) bool {
	if ds.NotAction != nil {
		for _, y := range ds.NotAction {
			if actionCovers(y, a.name) {
				return false
			}
		}
		return true
	}
	for _, q := range ds.Action {
		if matchesAllActions(q) || a.wild && overlaps(q, a.name) || !a.wild && MatchAction(q, a.name) {
			return true
		}
	}
	return false
}

// escGroup gathers the completed paths that begin at one statement.
type escGroup struct {
	first int
	stmts []int
	paths []string
	acts  []string
	res   []string
	every bool       // some action is allowed on every resource
	broad []escBroad // the narrower broad resources, in order of first use
}

// escBroad is a resource broad for some action of a group, as written and
// as parseBroad reads it.
type escBroad struct {
	res string
	b   broadRes
}

// appendFindings adds one privilege-escalation finding per statement at which
// completed paths begin. A group made only of administrator statements adds
// nothing: their own finding already says more.
func (r *escResult) appendFindings(findings []Finding, d *Document, states []stmtState) []Finding {
	if r.paths.isEmpty() {
		return findings
	}
	x := escalation()
	var groups []*escGroup
	for pi := range x.need {
		if pi >= maxEscActions || !r.paths.has(pi) {
			continue
		}
		need := &x.need[pi]
		first := len(d.Statements)
		for id := range x.actions {
			if need.has(id) {
				first = min(first, int(r.ref(x, pi, id).stmt))
			}
		}
		var g *escGroup
		for _, h := range groups {
			if h.first == first {
				g = h
			}
		}
		if g == nil {
			g = &escGroup{first: first}
			groups = append(groups, g)
		}
		g.paths = append(g.paths, escalationPaths[pi].Name)
		for id, a := range x.actions {
			if !need.has(id) {
				continue
			}
			w := r.ref(x, pi, id)
			if !slices.Contains(g.stmts, int(w.stmt)) {
				g.stmts = append(g.stmts, int(w.stmt))
			}
			if w.res < 0 {
				g.every = true
				for _, res := range states[w.stmt].resources {
					if !slices.Contains(g.res, res) {
						g.res = append(g.res, res)
					}
				}
			} else if res := d.Statements[w.stmt].Resource[w.res]; !slices.Contains(g.res, res) {
				g.res = append(g.res, res)
				b, ok := parseReach(res)
				if !ok {
					b = runDocument(res)
				}
				g.broad = append(g.broad, escBroad{res, b})
			}
			act := a.name
			if w.pat >= 0 {
				act = d.Statements[w.stmt].Action[w.pat]
			}
			if !slices.Contains(g.acts, act) {
				g.acts = append(g.acts, act)
			}
		}
	}
	for _, g := range groups {
		slices.Sort(g.stmts)
		admin := true
		for _, i := range g.stmts {
			if k := states[i].kind; k != KindAdmin && k != KindAdminConditional {
				admin = false
			}
		}
		if admin {
			continue
		}
		findings = append(findings, Finding{
			Statement:  g.first,
			Statements: g.stmts,
			Sid:        d.Statements[g.first].Sid,
			Severity:   severity.High,
			Kind:       KindPrivilegeEscalation,
			Reason:     escReason(d, g),
			Actions:    g.acts,
			Resources:  g.res,
			Paths:      g.paths,
		})
	}
	return findings
}

// appendBlocked adds one escalation-blocked finding per statement whose
// Condition keeps paths from completing: the first such statement of each
// blocked path.
func (r *escResult) appendBlocked(findings []Finding, d *Document, states []stmtState) []Finding {
	if r.blocked.isEmpty() {
		return findings
	}
	x := escalation()
	type group struct {
		stmt  int
		why   string
		acts  []string
		paths []string
	}
	var groups []*group
	for pi := range x.need {
		if pi >= maxEscActions || !r.blocked.has(pi) {
			continue
		}
		stmt, why, act := -1, "", ""
		for id := range x.actions {
			if !x.need[pi].has(id) || r.allowed.has(id) {
				continue
			}
			switch {
			case r.blockedBy[id] > 0:
				k := int(r.blockedBy[id]) - 1
				if stmt < 0 || k < stmt {
					stmt, act = k, x.actions[id].name
					why = r.an.cond(k).blocks(&r.an, &x.actions[id])
				}
			case id == x.passRole && r.nPasses > 0:
				k := int(r.passes[0].stmt)
				if stmt < 0 || k < stmt {
					stmt, act = k, x.actions[id].name
					why = r.an.cond(k).passWhy()
				}
			}
		}
		if stmt < 0 {
			continue // blocked by a Condition that allowed holds anyway; cannot happen
		}
		var g *group
		for _, h := range groups {
			if h.stmt == stmt && h.why == why {
				g = h
			}
		}
		if g == nil {
			g = &group{stmt: stmt, why: why}
			groups = append(groups, g)
		}
		if !slices.Contains(g.acts, act) {
			g.acts = append(g.acts, act)
		}
		g.paths = append(g.paths, escalationPaths[pi].Name)
	}
	for _, g := range groups {
		b := appendWhere(nil, d, g.stmt)
		b = append(b, " allows "...)
		b = appendQuoted(b, g.acts)
		b = append(b, ", but "...)
		b = append(b, g.why...)
		b = append(b, ": that blocks privilege escalation via "...)
		b = appendNames(b, g.paths)
		findings = append(findings, Finding{
			Statement:  g.stmt,
			Statements: []int{g.stmt},
			Sid:        d.Statements[g.stmt].Sid,
			Severity:   severity.Info,
			Kind:       KindEscalationBlocked,
			Reason:     string(b),
			Actions:    g.acts,
			Resources:  states[g.stmt].resources,
			Paths:      g.paths,
		})
	}
	return findings
}

func escReason(d *Document, g *escGroup) string {
	var buf [256]byte
	b := buf[:0]
	if len(g.stmts) == 1 {
		b = appendWhere(b, d, g.stmts[0])
		b = append(b, " allows "...)
	} else {
		b = append(b, "statements "...)
		for k, i := range g.stmts {
			switch {
			case k == 0:
			case k == len(g.stmts)-1:
				b = append(b, " and "...)
			default:
				b = append(b, ", "...)
			}
			b = strconv.AppendInt(b, int64(i), 10)
			if sid := d.Statements[i].Sid; sid != "" {
				b = append(b, " ("...)
				b = appendQuote(b, sid)
				b = append(b, ')')
			}
		}
		b = append(b, " together allow "...)
	}
	b = appendQuoted(b, g.acts)
	b = append(b, " on "...)
	n := len(g.broad)
	if g.every {
		n++
		b = append(b, "every resource"...)
	}
	for k, e := range g.broad {
		switch i := k + n - len(g.broad); {
		case i == 0:
		case i == maxListed:
			b = append(b, " and "...)
			b = strconv.AppendInt(b, int64(n-maxListed), 10)
			b = append(b, " more"...)
		case i == n-1:
			b = append(b, " and "...)
		default:
			b = append(b, ", "...)
		}
		if k+n-len(g.broad) >= maxListed {
			break
		}
		b = appendBroad(b, e.b)
		b = append(b, " ("...)
		b = appendQuote(b, e.res)
		b = append(b, ')')
	}
	b = append(b, ": privilege escalation via "...)
	b = appendNames(b, g.paths)
	return string(b)
}

// maxDenyChecks bounds the Allow-by-Deny pairs one document is checked for:
// far beyond the largest document IAM accepts (a few hundred statements),
// far below what would stall iamguard check on a forged one.
const maxDenyChecks = 1 << 20

// removedByDeny reports whether the unconditional Deny statements take away
// everything that Allow statement s grants.
func removedByDeny(d *Document, s *Statement, denies []int, norms [][]string, budget *int) bool {
	var okBuf [16]bool
	var ok []bool
	if len(denies) <= len(okBuf) {
		ok = okBuf[:len(denies)]
	} else {
		ok = make([]bool, len(denies))
	}
	anyOK := false
	// Every Allow is held against every Deny: bounded, so that a hostile
	// document of thousands of each costs milliseconds, not minutes. Past
	// the budget, Denies stop removing Allows: the findings stay, the
	// conservative side.
	if *budget < len(denies) {
		return false
	}
	*budget -= len(denies)
	for k, di := range denies {
		ok[k] = denyCoversResources(&d.Statements[di], s)
		anyOK = anyOK || ok[k]
	}
	if !anyOK {
		return false
	}
	if s.NotAction != nil {
		for k, di := range denies {
			if ok[k] && denyCoversNotAction(&d.Statements[di], s.NotAction) {
				return true
			}
		}
		return false
	}
	for _, a := range s.Action {
		covered := false
		for k, di := range denies {
			if ok[k] && denyCoversAction(&d.Statements[di], norms[k], a) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// denyCoversAction reports whether a Deny denies every action that allow
// pattern a can match.
func denyCoversAction(ds *Statement, normAct []string, a string) bool {
	if ds.NotAction != nil {
		// Denies everything except NotAction: a must share nothing with it.
		for _, y := range ds.NotAction {
			if overlaps(y, a) {
				return false
			}
		}
		return true
	}
	for _, q := range normAct {
		if actionCovers(q, a) {
			return true
		}
	}
	return false
}

// denyCoversNotAction reports whether a Deny denies everything an Allow with
// NotAction nots allows, that is every action outside nots.
func denyCoversNotAction(ds *Statement, nots []string) bool {
	if ds.NotAction != nil {
		// Outside nots ⊆ outside ds.NotAction when ds.NotAction ⊆ nots.
		for _, y := range ds.NotAction {
			if !slices.ContainsFunc(nots, func(x string) bool { return actionCovers(x, y) }) {
				return false
			}
		}
		return true
	}
	for _, q := range ds.Action {
		if actionCovers(q, "*:*") || matchesAllActions(q) {
			return true
		}
	}
	return false
}

// denyCoversResources reports whether a Deny applies to every resource, and
// every principal, that Allow statement s names.
func denyCoversResources(ds, s *Statement) bool {
	if (s.Principal != nil || s.NotPrincipal != nil) && !principalCovers(ds, s) {
		return false
	}
	if denyReachesEverything(ds) {
		return true
	}
	switch {
	case s.Resource != nil && ds.Resource != nil:
		for _, r := range s.Resource {
			if !slices.ContainsFunc(ds.Resource, func(q string) bool { return resourceCovers(q, r) }) {
				return false
			}
		}
		return true
	case s.NotResource != nil && ds.NotResource != nil:
		// Outside s.NotResource ⊆ outside ds.NotResource when ds.NotResource ⊆ s.NotResource.
		for _, y := range ds.NotResource {
			if !slices.ContainsFunc(s.NotResource, func(x string) bool { return resourceCovers(x, y) }) {
				return false
			}
		}
		return true
	}
	return false
}

// principalCovers reports whether a Deny's principals include every
// principal that Allow statement s names.
func principalCovers(ds, s *Statement) bool {
	switch {
	case ds.Principal == nil && ds.NotPrincipal == nil:
		return true
	case ds.NotPrincipal != nil:
		return false
	case ds.Principal.Wildcard:
		return true
	case s.NotPrincipal != nil || s.Principal.Wildcard:
		return false
	}
	for k, vs := range s.Principal.Values {
		dv := ds.Principal.Values[k]
		if slices.Contains(dv, "*") {
			continue
		}
		for _, v := range vs {
			if !slices.Contains(dv, v) {
				return false
			}
		}
	}
	return true
}

// appendWhere names statement i for a Reason: `statement 2 ("S3")`. It uses
// the position, not Statement.Index, so that documents built by hand read right.
func appendWhere(b []byte, d *Document, i int) []byte {
	b = append(b, "statement "...)
	b = strconv.AppendInt(b, int64(i), 10)
	if sid := d.Statements[i].Sid; sid != "" {
		b = append(b, " ("...)
		b = appendQuote(b, sid)
		b = append(b, ')')
	}
	return b
}

// appendQuoted lists values in double quotes, at most maxListed of them.
func appendQuoted(b []byte, vs []string) []byte {
	for i, v := range vs {
		if i == maxListed {
			b = append(b, " and "...)
			b = strconv.AppendInt(b, int64(len(vs)-maxListed), 10)
			return append(b, " more"...)
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendQuote(b, v)
	}
	return b
}

// appendQuote is strconv.AppendQuote with a fast path for the plain ASCII
// that action names and ARNs are made of.
func appendQuote(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendNames lists path names, at most maxListed of them: "A, B and C".
func appendNames(b []byte, vs []string) []byte {
	for i, v := range vs {
		switch {
		case i == maxListed:
			b = append(b, " and "...)
			b = strconv.AppendInt(b, int64(len(vs)-maxListed), 10)
			return append(b, " more"...)
		case i == 0:
		case i == len(vs)-1:
			b = append(b, " and "...)
		default:
			b = append(b, ", "...)
		}
		b = append(b, v...)
	}
	return b
}

// appendOn describes the resources that make a statement broad.
func appendOn(b []byte, s *Statement, st *stmtState) []byte {
	switch {
	case st.scope == scopeService:
		b = append(b, "every resource of a whole service ("...)
		b = appendQuoted(b, st.resources)
		return append(b, ')')
	case s.NotResource != nil:
		b = append(b, "every resource except "...)
		b = appendQuoted(b, s.NotResource)
		return append(b, " (NotResource)"...)
	}
	b = append(b, "every resource ("...)
	b = appendQuoted(b, st.resources)
	return append(b, ')')
}

// appendCondition adds " under a condition on aws:MultiFactorAuthPresent" for
// a statement with a Condition, naming up to three condition keys.
func appendCondition(b []byte, s *Statement) []byte {
	if len(s.Condition) == 0 {
		return b
	}
	b = append(b, " under a condition"...)
	var keys []string
	if len(s.Condition) == 1 {
		for _, m := range s.Condition {
			if len(m) == 1 {
				for k := range m {
					return append(append(b, " on "...), k...)
				}
			}
		}
	}
	for _, op := range slices.Sorted(maps.Keys(s.Condition)) {
		for k := range s.Condition[op] {
			keys = append(keys, k)
		}
	}
	// Sorted and compacted, not searched key by key: a statement with
	// thousands of keys costs k log k.
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for i, k := range keys {
		switch {
		case i == 3:
			b = append(b, " and "...)
			b = strconv.AppendInt(b, int64(len(keys)-3), 10)
			return append(b, " more keys"...)
		case i == 0:
			b = append(b, " on "...)
		default:
			b = append(b, ", "...)
		}
		b = append(b, k...)
	}
	return b
}
