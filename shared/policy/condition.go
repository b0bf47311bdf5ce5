package policy

import (
	"strings"

	"github.com/iamguard/iamguard/shared/severity"
)

// This file reads the Conditions that decide whether an Allow statement can
// serve an escalation path. A condition lowers nothing unless it provably
// blocks the path; every other condition keeps the conservative treatment
// (the statement counts as if it had none). What counts as proof, per key:
//
//   - iam:PassedToService (StringEquals, StringLike): iam:PassRole reaches only
//     the services named; a path that hands the role to another service
//     (EscalationPath.PassTo) cannot use it. The key is in every PassRole
//     request, so the IfExists forms are read the same way.
//   - iam:PolicyARN (ArnEquals, ArnLike, StringEquals, StringLike, literal
//     values only): Attach*Policy can attach only the policies named. With
//     Options.Policy to look them up, and each of them rated below high, the
//     attach actions escalate nothing.
//   - iam:PermissionsBoundary (same operators): Attach*Policy and Put*Policy
//     reach only principals bounded by the policy named; a boundary rated
//     below high caps whatever is attached.
//   - aws:CalledVia, aws:CalledViaFirst, aws:CalledViaLast (StringEquals,
//     StringLike, any set qualifier), aws:ViaAWSService (Bool true): the
//     caller cannot make the call itself, only a named AWS service can, on its
//     own terms. CloudFormation is the exception: it makes whatever calls a
//     template asks for, so a service list that admits it, or
//     aws:ViaAWSService, blocks nothing when the document also lets the
//     caller create or update stacks.
//   - aws:ResourceTag/K and SERVICE:ResourceTag/K (StringEquals, StringLike,
//     or Null false): only resources that already carry the tag. It blocks
//     when the document allows no tagging action of that service (Tag*,
//     CreateTags, AddTags*), so the caller cannot tag a resource of its
//     choosing into reach.
//   - ecs:container-name (StringEquals, StringLike, literal values): ECS
//     actions reach only the containers named, not any task the caller picks.
//
// Conditions that never block: aws:RequestTag/K and aws:TagKeys (the caller
// writes the request's tags), and any "IfExists" form of the keys above but
// iam:PassedToService (a missing key then passes). A negated operator
// (StringNotEquals, ArnNotLike) never counts as a block either.

// Options adjusts Analyze.
type Options struct {
	// Policy looks up a managed policy's document by ARN, for the
	// iam:PolicyARN and iam:PermissionsBoundary conditions. Nil, or a policy
	// it does not find, keeps the conservative treatment.
	Policy func(arn string) (*Document, bool)
}

// condBlock is what one statement's Condition proves about the escalation
// actions it allows. The zero value blocks nothing.
type condBlock struct {
	read bool // the Condition has been read

	// why, when not "", blocks every escalation action of the statement.
	why string
	// passTo, when not nil, lists the iam:PassedToService values (patterns
	// when passLike) that iam:PassRole is limited to.
	passTo   []string
	passLike bool
	// attach and write, when not "", block the Attach*Policy and (attach
	// and) Put*Policy actions.
	attach, write string
	// tagKey is a resource-tag condition key that blocks the actions of each
	// service that the document cannot tag; tagSvc, when not "", limits that
	// to one service (SERVICE:ResourceTag/K).
	tagKey, tagSvc string
	// container, when not "", blocks ECS actions.
	container string
}

// condOp splits an operator into its base ("StringEquals"), whether it is an
// IfExists form, and whether it is negated.
func condOp(op string) (base string, ifExists, negated bool) {
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:] // ForAnyValue: or ForAllValues:
	}
	base, ifExists = strings.CutSuffix(op, "IfExists")
	negated = strings.Contains(base, "Not") && base != "Null"
	return base, ifExists, negated
}

// readCondition reads the keys of s's Condition that can block escalation.
// Keys that block nothing are ignored: the condition, as a whole, restricts
// at least as much as any one key.
func (a *analysis) readCondition(s *Statement) condBlock {
	c := condBlock{read: true}
	for op, keys := range s.Condition {
		base, ifExists, negated := condOp(op)
		if negated {
			continue
		}
		for k, vs := range keys {
			lk := strings.ToLower(k)
			switch {
			case lk == "iam:passedtoservice" && (base == "StringEquals" || base == "StringLike"):
				c.passTo = append(c.passTo, vs...)
				c.passLike = c.passLike || base == "StringLike"
			case ifExists:
			case lk == "iam:policyarn" && stringOrArn(base) && c.attach == "":
				if ok, rated := a.allBelowHigh(vs); ok {
					c.attach = k + " limits it to " + quoteList(vs) + ", which " + rated
				}
			case lk == "iam:permissionsboundary" && stringOrArn(base) && c.write == "":
				if ok, rated := a.allBelowHigh(vs); ok {
					c.write = k + " limits it to principals bounded by " + quoteList(vs) + ", which " + rated
				}
			case (lk == "aws:calledvia" || lk == "aws:calledviafirst" || lk == "aws:calledvialast") &&
				(base == "StringEquals" || base == "StringLike") && c.why == "":
				if !a.stacksReachable(vs) {
					c.why = k + " limits it to calls made through " + quoteList(vs)
				}
			case lk == "aws:viaawsservice" && base == "Bool" && allTrue(vs) && c.why == "":
				if !a.stacksReachable([]string{"cloudformation.amazonaws.com"}) {
					c.why = k + " limits it to calls AWS services make on the caller's behalf"
				}
			case isResourceTagKey(lk) && c.tagKey == "" &&
				(base == "StringEquals" || base == "StringLike" || base == "Null" && allFalse(vs)):
				c.tagKey = k
				if svc, _, _ := strings.Cut(lk, ":"); svc != "aws" {
					c.tagSvc = svc
				}
			case lk == "ecs:container-name" && (base == "StringEquals" || base == "StringLike") &&
				!anyWildcard(vs) && c.container == "":
				c.container = k + " limits it to the containers " + quoteList(vs)
			}
		}
	}
	return c
}

// blocks returns why the Condition keeps table action e from serving an
// escalation path, or "" when it does not. PassRole is limited per path, by
// passAllows, not here.
func (c *condBlock) blocks(a *analysis, e *escAction) string {
	if c.why != "" {
		return c.why
	}
	svc, name, _ := strings.Cut(strings.ToLower(e.name), ":")
	switch {
	case c.write != "" && svc == "iam" && (strings.HasPrefix(name, "attach") || strings.HasPrefix(name, "put")) && strings.HasSuffix(name, "policy"):
		return c.write
	case c.attach != "" && svc == "iam" && strings.HasPrefix(name, "attach") && strings.HasSuffix(name, "policy"):
		return c.attach
	case c.container != "" && svc == "ecs":
		return c.container
	case c.tagKey != "" && (c.tagSvc == "" || c.tagSvc == e.resService) && !a.canTag(e.resService):
		return c.tagKey + " limits it to resources that already carry the tag, and the policy allows no " + e.resService + " tagging action"
	}
	return ""
}

// passAllows reports whether a PassRole limited by the Condition can hand a
// role to one of services.
func (c *condBlock) passAllows(services []string) bool {
	for _, v := range c.passTo {
		v = strings.TrimSuffix(strings.ToLower(v), ".cn") // China partition: ec2.amazonaws.com.cn
		for _, s := range services {
			if v == s || c.passLike && glob(v, s, true) {
				return true
			}
		}
	}
	return false
}

func stringOrArn(base string) bool {
	switch base {
	case "StringEquals", "StringLike", "ArnEquals", "ArnLike", "StringEqualsIgnoreCase":
		return true
	}
	return false
}

func isResourceTagKey(lk string) bool {
	_, rest, ok := strings.Cut(lk, ":")
	return ok && strings.HasPrefix(rest, "resourcetag/")
}

func allTrue(vs []string) bool {
	for _, v := range vs {
		if !strings.EqualFold(v, "true") {
			return false
		}
	}
	return len(vs) > 0
}

func allFalse(vs []string) bool {
	for _, v := range vs {
		if !strings.EqualFold(v, "false") {
			return false
		}
	}
	return len(vs) > 0
}

func anyWildcard(vs []string) bool {
	for _, v := range vs {
		if hasWildcard(v) {
			return true
		}
	}
	return false
}

func quoteList(vs []string) string {
	return string(appendQuoted(nil, vs))
}

// analysis holds what one Analyze call learns about the whole document, for
// the conditions of its statements.
type analysis struct {
	d    *Document
	opts Options

	conds   []condBlock     // per statement, read on first use
	tagged  map[string]bool // service -> the document allows one of its tagging actions
	stacks  int8            // 0 unknown, 1 the document lets the caller create or update stacks, -1 not
	managed map[string]severity.Severity
}

// allBelowHigh looks up each policy ARN and reports whether all are known and
// rated below high, with a phrase that says so.
func (a *analysis) allBelowHigh(arns []string) (bool, string) {
	if a.opts.Policy == nil || len(arns) == 0 || anyWildcard(arns) {
		return false, ""
	}
	worst := severity.None
	for _, arn := range arns {
		sev, ok := a.managed[arn]
		if !ok {
			d, found := a.opts.Policy(arn)
			if !found || d == nil {
				return false, ""
			}
			// One level only: the named policy's own conditions on
			// iam:PolicyARN are read conservatively.
			sev = Analyze(d).Severity
			if a.managed == nil {
				a.managed = make(map[string]severity.Severity)
			}
			a.managed[arn] = sev
		}
		if sev >= severity.High {
			return false, ""
		}
		worst = max(worst, sev)
	}
	verb := "rate"
	if len(arns) == 1 {
		verb = "rates"
	}
	if worst == severity.None {
		return true, grantPhrase(len(arns))
	}
	return true, verb + " at most " + worst.String()
}

func grantPhrase(n int) string {
	if n == 1 {
		return "grants nothing dangerous"
	}
	return "grant nothing dangerous"
}

// stackActions are the CloudFormation actions that run a template the caller
// writes.
var stackActions = []string{
	"cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:ExecuteChangeSet",
	"cloudformation:CreateStackSet", "cloudformation:UpdateStackSet", "cloudformation:CreateStackInstances",
}

// stacksReachable reports whether one of services (patterns allowed) is
// CloudFormation and the document lets the caller run templates, in which
// case a call "through CloudFormation" is any call the caller wants.
func (a *analysis) stacksReachable(services []string) bool {
	admits := false
	for _, v := range services {
		if glob(strings.ToLower(v), "cloudformation.amazonaws.com", true) {
			admits = true
		}
	}
	if !admits {
		return false
	}
	if a.stacks == 0 {
		a.stacks = -1
		if a.allowsAny(stackActions) {
			a.stacks = 1
		}
	}
	return a.stacks > 0
}

// canTag reports whether the document allows some tagging action of service
// svc, on any resource and under any condition.
func (a *analysis) canTag(svc string) bool {
	if t, ok := a.tagged[svc]; ok {
		return t
	}
	t := a.allowsAny([]string{svc + ":TagResource", svc + ":Tag*", svc + ":CreateTags", svc + ":AddTags*"})
	if a.tagged == nil {
		a.tagged = make(map[string]bool)
	}
	a.tagged[svc] = t
	return t
}

// allowsAny reports whether some Allow statement of the document allows an
// action that one of patterns stands for, whatever its resources and
// conditions.
func (a *analysis) allowsAny(patterns []string) bool {
	for i := range a.d.Statements {
		s := &a.d.Statements[i]
		if !s.IsAllow() {
			continue
		}
		for _, p := range patterns {
			wild := hasWildcard(p)
			if s.NotAction != nil {
				if notActionAllows(s.NotAction, escAction{name: p, wild: wild}) {
					return true
				}
				continue
			}
			for _, q := range s.Action {
				q = normAction(q)
				if wild && overlaps(q, p) || !wild && MatchAction(q, p) {
					return true
				}
			}
		}
	}
	return false
}

// cond returns statement i's Condition as read by readCondition, reading it
// once.
func (a *analysis) cond(i int) *condBlock {
	if a.conds == nil {
		a.conds = make([]condBlock, len(a.d.Statements))
	}
	if c := &a.conds[i]; !c.read {
		*c = a.readCondition(&a.d.Statements[i])
	}
	return &a.conds[i]
}

// passWhy says how iam:PassedToService limits a statement's PassRole.
func (c *condBlock) passWhy() string {
	return "iam:PassedToService limits it to " + quoteList(c.passTo)
}
