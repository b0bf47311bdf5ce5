package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/finding"
)

// TestPlansNameDeclaredActions: over every sample in events/, each plan a
// rule makes names one of the actions the rule declares (the only ones its
// function carries out and its role grants), and its undo step is that
// action's Undo operation. A rule that declares an action plans it on some
// sample, so no role holds a grant nothing uses.
func TestPlansNameDeclaredActions(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(eventsDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	// The whole corpus as one stream: what the samples show of groups'
	// policies is known when a sample adds a user to one, as it is to
	// iamguard check over a trail's history (and to IAM in the Lambda).
	stream := NewHistory()
	for _, path := range paths {
		rec, _ := readOne(t, path)
		stream.Observe(rec)
	}
	planned := map[*action.Action]bool{}
	for _, path := range paths {
		rec, _ := readOne(t, path)
		for _, r := range Table() {
			for _, f := range r.EvaluateWith(t.Context(), rec, Resolvers{stream, AWSManaged{}}, sampleSettings) {
				if f.Remediation == nil {
					continue
				}
				i := slices.IndexFunc(r.Actions, func(a *action.Action) bool { return a.ID == f.Remediation.Action })
				if i < 0 {
					t.Errorf("%s: rule %s plans %s, which it does not declare", filepath.Base(path), r.ID, f.Remediation.Action)
					continue
				}
				a := r.Actions[i]
				planned[a] = true
				if u := f.Remediation.Undo; u != nil && u.Action != a.Undo {
					t.Errorf("%s: rule %s plans %s with undo %s, want %s", filepath.Base(path), r.ID, a.ID, u.Action, a.Undo)
				}
				// The CLI's command for the service (config is configservice).
				cli := strings.Fields(finding.NewStep(a.ID).Command)[1]
				if !strings.HasPrefix(f.Remediation.Command, "aws "+cli+" ") {
					t.Errorf("%s: command %q is not an aws %s command", filepath.Base(path), f.Remediation.Command, cli)
				}
			}
		}
	}
	for _, r := range Table() {
		for _, a := range r.Actions {
			if !planned[a] {
				t.Errorf("rule %s declares %s but plans it on no sample in events/: add a sample or drop the action", r.ID, a.ID)
			}
		}
	}
}

// TestActionsAreRegistered: every action a rule names is in the registry,
// complete enough to render its docs and grants.
func TestActionsAreRegistered(t *testing.T) {
	for _, r := range Table() {
		for _, a := range r.Actions {
			if got, ok := action.ByID(a.ID); !ok || got != a {
				t.Errorf("rule %s: action %s is not the registered one", r.ID, a.ID)
			}
			if a.Summary == "" || a.Check == "" || a.AlreadyDone == "" {
				t.Errorf("action %s lacks its summary, check or already-done text", a.ID)
			}
			changes := 0
			for _, c := range a.Calls {
				if c.Service() != a.Service() || len(c.On) == 0 {
					t.Errorf("action %s: call %s is of another service or names no resource", a.ID, c.Op)
				}
				if c.Changes {
					if c.Op != a.ID && !slices.Contains(a.Completes, c.Op) {
						t.Errorf("action %s changes through %s, not its own operation nor one it declares in Completes", a.ID, c.Op)
					}
					if c.Op == a.ID {
						changes++
					}
				}
			}
			if changes != 1 {
				t.Errorf("action %s makes its own changing call %d times, want once", a.ID, changes)
			}
		}
	}
	if _, err := os.Stat(eventsDir); err != nil {
		t.Fatal(err)
	}
}

// TestEveryRegisteredActionIsPlanned: no registered action is one that no
// rule declares (its executor would be wired for nothing).
func TestEveryRegisteredActionIsPlanned(t *testing.T) {
	for _, a := range action.All() {
		declared := false
		for _, r := range Table() {
			declared = declared || slices.Contains(r.Actions, a)
		}
		if !declared {
			t.Errorf("action %s is registered but no rule declares it", a.ID)
		}
	}
}
