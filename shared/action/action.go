package action

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamguard/iamguard/shared/finding"
)

// Resource is a kind of resource that a call is authorised on.
type Resource struct {
	// Name is how docs and statement IDs call the kind, such as "IAM users".
	Name string
	// ARN is the pattern of every resource of the kind that iamguard may act
	// on, with the placeholders {partition}, {region}, {account} and {stack}
	// (the main stack's name), which the
	// stack fills in (a pattern with {region} is granted in every Region the
	// stack watches).
	ARN string
	// Taggable says that the service evaluates aws:ResourceTag on the
	// resource for the calls made on it, so that a change carries the
	// exempt-tag condition: IAM refuses it on a target tagged exempt even if
	// iamguard's own check failed.
	Taggable bool
	// RequireTag, "key=value", limits the role's statements on the kind to
	// resources carrying that tag (aws:ResourceTag): the kind's ARN pattern
	// alone would reach every resource of the account.
	RequireTag string
	// Why says why a role names every resource of the kind instead of one,
	// for the security review (cdk-nag's AwsSolutions-IAM5); %[1]s is the
	// exempt tag key.
	Why string
}

// Call is one API call an action or a rule's lookup makes.
type Call struct {
	// Op is the IAM action that authorises the call, service:Operation; for
	// every call here it is also the API operation's name.
	Op string
	// On are the resources the call is authorised on.
	On []*Resource
	// Changes says the call changes something (every call but a read).
	Changes bool
}

// MergeCalls merges calls of the same operation, in first-seen order: one
// call per Op, on the union of their resources, changing if any of them does.
func MergeCalls(all []Call) []Call {
	var out []Call
	for _, c := range all {
		i := slices.IndexFunc(out, func(o Call) bool { return o.Op == c.Op })
		if i < 0 {
			out = append(out, Call{Op: c.Op, On: slices.Clone(c.On), Changes: c.Changes})
			continue
		}
		for _, res := range c.On {
			if !slices.Contains(out[i].On, res) {
				out[i].On = append(out[i].On, res)
			}
		}
		out[i].Changes = out[i].Changes || c.Changes
	}
	return out
}

// Service is the service prefix of the call, such as "iam".
func (c Call) Service() string { s, _, _ := strings.Cut(c.Op, ":"); return s }

// Operation is the API operation's name, such as "ListAccessKeys".
func (c Call) Operation() string { _, o, _ := strings.Cut(c.Op, ":"); return o }

// Action is one registered response action: a rollback that iamguard can
// carry out.
type Action struct {
	// ID is the operation that carries out the rollback, service:Operation.
	// Plans name it in Step.Action; it is stable.
	ID string
	// Summary says what the action does, in a few words.
	Summary string
	// Calls are every call the action makes, in the order it makes them:
	// the exempt-tag read, the state read, the change.
	Calls []Call
	// Check says how the action reads the current state before it changes
	// anything, and AlreadyDone which answers mean there is nothing left to
	// do (a repeated delivery of the same event ends there).
	Check, AlreadyDone string
	// Completes lists changing operations, besides the action's own, that
	// the action needs to finish what it undoes (a key whose deletion is
	// cancelled is left disabled, and must be enabled too); Undo must
	// reverse them all.
	Completes []string
	// Undo is the operation that reverses the action; the plan carries the
	// exact command. Empty when the action cannot be undone.
	Undo string
}

// Service is the service whose client carries out the action, such as "iam".
func (a *Action) Service() string { s, _, _ := strings.Cut(a.ID, ":"); return s }

// Plan builds a remediation that carries out the action with the ordered
// parameter pairs kv (name, value, ...), described in words.
func (a *Action) Plan(description string, kv ...string) *finding.Remediation {
	return &finding.Remediation{Step: finding.NewStep(a.ID, kv...), Description: description}
}

// UndoStep builds the step that reverses the action, with the ordered
// parameter pairs kv of the Undo operation.
func (a *Action) UndoStep(kv ...string) *finding.Step {
	if a.Undo == "" {
		return nil
	}
	s := finding.NewStep(a.Undo, kv...)
	return &s
}

// registry holds every action, in registration order.
var registry []*Action

// register adds an action to the registry; package variables call it, so the
// registry is complete before main runs.
func register(a *Action) *Action {
	if a.ID == "" || !strings.Contains(a.ID, ":") || len(a.Calls) == 0 {
		panic(fmt.Sprintf("action: incomplete action %+v", a))
	}
	if slices.ContainsFunc(registry, func(b *Action) bool { return b.ID == a.ID }) {
		panic("action: " + a.ID + " registered twice")
	}
	registry = append(registry, a)
	return a
}

// All returns every registered action, in registration order.
func All() []*Action { return slices.Clone(registry) }

// ByID returns the registered action with the ID.
func ByID(id string) (*Action, bool) {
	for _, a := range registry {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// Expand fills a resource pattern's placeholders.
func Expand(pattern, partition, region, account, stack string) string {
	return strings.NewReplacer("{partition}", partition, "{region}", region, "{account}", account, "{stack}", stack).Replace(pattern)
}
