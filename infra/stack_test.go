package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
	"github.com/iamguard/iamguard/shared/rules"
)

// outRoot holds every test app's cloud assembly; TestMain removes it.
var outRoot string

// supportedNode are the Node.js major versions the pinned CDK library (jsii)
// supports: it calls 20 end of life and warns on every start.
var supportedNode = []int{22, 24}

// checkNode requires a supported Node.js on PATH: jsii runs the CDK library
// in it. `make test` and `make synth` install Node.js 22 into a cache
// directory and put it first on PATH (make node).
func checkNode() error {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return fmt.Errorf("Node.js (node on PATH) is required: jsii runs the CDK library in it (make node installs %d): %w", supportedNode[0], err)
	}
	v := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	for _, m := range supportedNode {
		if major == strconv.Itoa(m) {
			return nil
		}
	}
	return fmt.Errorf("node on PATH is %s; the pinned CDK library supports Node.js %v: run the tests through make (make test installs Node.js %d into a cache directory, make node alone does), or put a supported node first on PATH", v, supportedNode, supportedNode[0])
}

func TestMain(m *testing.M) {
	flag.Parse() // for testing.Short
	// jsii runs the CDK library in Node.js: say so, rather than panic in jsii.
	// With -short no test synthesizes, so Node.js is not needed.
	if !testing.Short() {
		if err := checkNode(); err != nil {
			fmt.Fprintln(os.Stderr, "infra tests:", err)
			os.Exit(1)
		}
	}
	dir, err := os.MkdirTemp("", "iamguard-infra-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "infra tests:", err)
		os.Exit(1)
	}
	outRoot = dir
	code := m.Run()
	jsii.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The context combinations the tests synthesize, each once.
const (
	synthDefaults = "defaults" // cdk.json as committed
	synthFull     = "full"     // every optional part, values as -c strings and as JSON
	synthBundled  = "bundled"  // cdk.json plus remediate, with the functions really built
)

// The full combination's values.
const (
	fullSecretName = "iamguard/slack-webhook"
	fullExemptTag  = "security:exempt"
	fullPrincipal  = "arn:aws:iam::111122223333:role/deploy-*"
	fullTarget     = "arn:aws:iam::111122223333:role/breakglass"
	fullRegion     = "eu-west-1"
)

var contexts = map[string]struct {
	overlay map[string]any
	bundle  bool
}{
	synthDefaults: {overlay: map[string]any{}},
	synthFull: {overlay: map[string]any{
		KeyNotifyEmails:           "security@example.com, oncall@example.com",
		KeySlackWorkspaceID:       "T0123ABCDE",
		KeySlackChannelID:         "C0123ABCDE",
		KeySlackWebhookSecretName: fullSecretName,
		KeyRemediate:              []any{"access-key-created", "wildcard-policy"},
		KeyRemediateMinSeverity:   "high",
		KeyDryRun:                 "true",
		KeyExemptPrincipals:       fullPrincipal,
		KeyExemptTargets:          []any{fullTarget},
		KeyExemptTag:              fullExemptTag,
		KeyCreateTrail:            true,
		KeyForwardRegions:         `["` + fullRegion + `"]`,
		KeyLogRetentionDays:       "90",
		KeyReservedConcurrency:    float64(5),
		KeyCanaryMinutes:          "30",
	}},
	synthBundled: {overlay: map[string]any{KeyRemediate: "access-key-created", KeyCanaryMinutes: float64(0)}, bundle: true},
}

// synthesis is one synthesized app: its stacks' templates and cdk-nag's
// unsuppressed errors.
type synthesis struct {
	stacks    *stacks
	outdir    string
	templates map[string]*tmpl // by stack ID
	nagErrors []string
}

var (
	synthMu    sync.Mutex
	synthCache = map[string]*synthesis{}
)

// cdkJSONContext returns the "context" object of the repository's cdk.json,
// so that the tests synthesize what `cdk synth` does.
func cdkJSONContext(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "cdk.json"))
	if err != nil {
		t.Fatalf("read cdk.json: %v", err)
	}
	var doc struct {
		App     string         `json:"app"`
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	if doc.App != "go run ./infra" {
		t.Errorf(`cdk.json "app" = %q, want "go run ./infra"`, doc.App)
	}
	return doc.Context
}

// newTestApp returns an app with cdk.json's context, the overlay, path
// metadata (as the CLI sets it) and, unless bundle, no bundling.
func newTestApp(t *testing.T, overlay map[string]any, bundle bool) (awscdk.App, string) {
	t.Helper()
	skipSynthIfShort(t)
	ctx := cdkJSONContext(t)
	for k, v := range overlay {
		ctx[k] = v
	}
	ctx["aws:cdk:enable-path-metadata"] = true
	if !bundle {
		ctx["aws:cdk:bundling-stacks"] = []any{}
	}
	outdir, err := os.MkdirTemp(outRoot, "cdk.out-")
	if err != nil {
		t.Fatal(err)
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir)}), outdir
}

// skipSynthIfShort skips a test that needs the CDK library: jsii runs it
// in Node.js, and starting it and synthesizing take about 40 s, too slow
// for the fast lane (go test -short, make test-fast).
func skipSynthIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("CDK synthesis (Node.js and jsii, about 40 s): skipped with -short")
	}
}

// synth builds and synthesizes a named context combination once per test
// binary; later calls share the result. A synthesis that failed is cached
// as nil, so later callers fail at once; a skip (checked before the cache
// is touched) is not a failure.
func synth(t *testing.T, name string) *synthesis {
	t.Helper()
	skipSynthIfShort(t)
	synthMu.Lock()
	defer synthMu.Unlock()
	if s, ok := synthCache[name]; ok {
		if s == nil {
			t.Fatalf("synthesis %s failed earlier", name)
		}
		return s
	}
	synthCache[name] = nil
	c := contexts[name]
	app, outdir := newTestApp(t, c.overlay, c.bundle)
	st, err := build(app, "..")
	if err != nil {
		t.Fatalf("build(%s): %v", name, err)
	}
	s := &synthesis{stacks: st, outdir: outdir, templates: map[string]*tmpl{}}
	for _, stack := range append([]awscdk.Stack{st.Main}, st.Forward...) {
		id := *stack.StackName()
		raw := assertions.Template_FromStack(stack, nil).ToJSON()
		s.templates[id] = newTmpl(t, id, *raw)
		msgs := assertions.Annotations_FromStack(stack).FindError(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*")))
		for _, m := range *msgs {
			s.nagErrors = append(s.nagErrors, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
		}
	}
	synthCache[name] = s
	return s
}

func (s *synthesis) main() *tmpl { return s.templates[mainStackID] }

// tmpl is a template as plain JSON, with intrinsic functions rendered as
// readable strings by canon.
type tmpl struct {
	stackID   string
	resources map[string]map[string]any
	assert    assertions.Template
}

func newTmpl(t *testing.T, stackID string, raw map[string]any) *tmpl {
	t.Helper()
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	tp := &tmpl{stackID: stackID, resources: map[string]map[string]any{}}
	for id, r := range doc["Resources"].(map[string]any) {
		tp.resources[id] = r.(map[string]any)
	}
	tp.assert = assertions.Template_FromJSON(&raw, nil)
	return tp
}

// name returns a resource's construct path below the stack, such as
// "AccessKeysLogs", for a logical ID.
func (tp *tmpl) name(logicalID string) string {
	r, ok := tp.resources[logicalID]
	if !ok {
		return logicalID
	}
	md, _ := r["Metadata"].(map[string]any)
	p, _ := md["aws:cdk:path"].(string)
	if p == "" {
		return logicalID
	}
	p = strings.TrimPrefix(p, tp.stackID+"/")
	return strings.TrimSuffix(p, "/Resource")
}

// byName returns the logical ID of the resource at a construct path.
func (tp *tmpl) byName(t *testing.T, name string) string {
	t.Helper()
	for id := range tp.resources {
		if tp.name(id) == name {
			return id
		}
	}
	t.Fatalf("%s: no resource at %s", tp.stackID, name)
	return ""
}

// ofType returns the resources of a type, by logical ID.
func (tp *tmpl) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tp.resources {
		if r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

// canon renders Ref as {name}, Fn::GetAtt as {name.Attr} and Fn::Join as
// the joined string, recursively.
func (tp *tmpl) canon(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if ref, ok := x["Ref"].(string); ok {
				return "{" + tp.name(ref) + "}"
			}
			if ga, ok := x["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
				return "{" + tp.name(ga[0].(string)) + "." + ga[1].(string) + "}"
			}
			if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
				var parts []string
				for _, p := range j[1].([]any) {
					parts = append(parts, fmt.Sprint(tp.canon(p)))
				}
				return strings.Join(parts, j[0].(string))
			}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = tp.canon(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tp.canon(e)
		}
		return out
	}
	return v
}

func (tp *tmpl) str(v any) string {
	s, _ := tp.canon(v).(string)
	return s
}

// stmt is a policy statement in a comparable form.
type stmt struct {
	Sid, Effect, Principal, Condition string
	Actions, Resources                []string
}

func strList(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// statements returns a policy document's statements, sorted by Sid.
func (tp *tmpl) statements(doc any) []stmt {
	d, _ := tp.canon(doc).(map[string]any)
	var out []stmt
	list, _ := d["Statement"].([]any)
	for _, e := range list {
		m := e.(map[string]any)
		s := stmt{
			Sid:       fmt.Sprint(m["Sid"]),
			Effect:    fmt.Sprint(m["Effect"]),
			Principal: jsonText(m["Principal"]),
			Condition: jsonText(m["Condition"]),
			Actions:   strList(m["Action"]),
			Resources: strList(m["Resource"]),
		}
		if m["Sid"] == nil {
			s.Sid = ""
		}
		sort.Strings(s.Actions)
		sort.Strings(s.Resources)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sid < out[j].Sid })
	return out
}

// roleStatements returns every statement the role holds: its inline policies
// and the AWS::IAM::Policy resources attached to it.
func (tp *tmpl) roleStatements(t *testing.T, roleID string) []stmt {
	t.Helper()
	role := props(tp.resources[roleID])
	if arns, ok := role["ManagedPolicyArns"]; ok {
		t.Errorf("%s: role %s has managed policies %v: iamguard's roles use none", tp.stackID, tp.name(roleID), tp.canon(arns))
	}
	var out []stmt
	if inline, ok := role["Policies"].([]any); ok {
		for _, p := range inline {
			out = append(out, tp.statements(p.(map[string]any)["PolicyDocument"])...)
		}
	}
	for _, p := range tp.ofType("AWS::IAM::Policy") {
		pp := props(p)
		for _, r := range pp["Roles"].([]any) {
			if ref, _ := r.(map[string]any)["Ref"].(string); ref == roleID {
				out = append(out, tp.statements(pp["PolicyDocument"])...)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sid < out[j].Sid })
	return out
}

// mustAssert runs an assertions-package check, which panics on failure.
func mustAssert(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	f()
}

// functionsByFamily returns the logical IDs of the functions, by family
// (the function's description starts "iamguard <family>:") or "slack-notify".
func (tp *tmpl) functionsByFamily(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id, r := range tp.ofType("AWS::Lambda::Function") {
		desc, _ := props(r)["Description"].(string)
		fam, _, ok := strings.Cut(strings.TrimPrefix(desc, "iamguard "), ":")
		if !ok || !strings.HasPrefix(desc, "iamguard ") {
			t.Errorf("function %s: description %q does not name its family", tp.name(id), desc)
		}
		out[fam] = id
	}
	return out
}

// familyIDs are the IDs of rules.Families().
func familyIDs() []string {
	var out []string
	for _, f := range rules.Families() {
		out = append(out, f.ID)
	}
	return out
}

// familyRules returns the rules of the family with the ID.
func familyRules(t *testing.T, id string) []*rules.Rule {
	t.Helper()
	f, ok := rules.FamilyByID(id)
	if !ok {
		t.Fatalf("no family %s", id)
	}
	return f.Rules()
}

const (
	arnUser      = "arn:{AWS::Partition}:iam::{AWS::AccountId}:user/*"
	arnRole      = "arn:{AWS::Partition}:iam::{AWS::AccountId}:role/*"
	arnGroup     = "arn:{AWS::Partition}:iam::{AWS::AccountId}:group/*"
	arnPolicy    = "arn:{AWS::Partition}:iam::{AWS::AccountId}:policy/*"
	arnAWSPolicy = "arn:{AWS::Partition}:iam::aws:policy/*"
)

// wantRoleStatements is, typed out, what every function's role holds beyond
// its family's declared calls (TestRolesGrantExactlyTheDeclaredCalls checks
// those): its logs, its failure queue, the alerts, and slack-notify's secret.
func wantRoleStatements(family string) []stmt {
	id := pascal(family)
	allow := func(sid string, actions []string, resources []string, cond string) stmt {
		return stmt{Sid: sid, Effect: "Allow", Actions: actions, Resources: resources, Condition: cond}
	}
	base := []stmt{
		allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, []string{"{" + id + "Logs.Arn}"}, ""),
		allow("SendFailedEvents", []string{"sqs:SendMessage"}, []string{"{" + id + "Failed.Arn}"}, ""),
	}
	if family != slackNotifyDir {
		base = append(base,
			allow("PublishAlerts", []string{"sns:Publish"}, []string{"{Alerts}"}, ""),
			allow("EncryptAlerts", []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{"{AlertsKey.Arn}"}, ""))
	}
	if f, ok := rules.FamilyByID(family); ok && len(f.Actions()) > 0 {
		// A family that can roll back claims and records each outcome:
		// the outcome store's calls, on the one table.
		base = append(base, allow("RecordOutcomes", dynamostore.Calls, []string{"{OutcomeTable.Arn}"}, ""))
	}
	var extra []stmt
	if family == slackNotifyDir {
		extra = []stmt{allow("ReadWebhookSecret", []string{"secretsmanager:GetSecretValue"},
			[]string{"arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:" + fullSecretName + "-??????"}, "")}
	}
	out := append(base, extra...)
	sort.Slice(out, func(i, j int) bool { return out[i].Sid < out[j].Sid })
	return out
}

func roleOf(tp *tmpl, fnID string) string {
	ga, _ := props(tp.resources[fnID])["Role"].(map[string]any)["Fn::GetAtt"].([]any)
	if len(ga) == 0 {
		return ""
	}
	return ga[0].(string)
}

func TestFunctionRolesExactly(t *testing.T) {
	for _, tc := range []struct {
		synth, exemptTag string
		families         []string
	}{
		{synthDefaults, config.DefaultExemptTag, familyIDs()},
		{synthFull, fullExemptTag, append(familyIDs(), slackNotifyDir)},
	} {
		t.Run(tc.synth, func(t *testing.T) {
			tp := synth(t, tc.synth).main()
			fns := tp.functionsByFamily(t)
			if len(fns) != len(tc.families) {
				t.Errorf("functions %v, want one per %v", slices.Sorted(maps.Keys(fns)), tc.families)
			}
			for _, fam := range tc.families {
				role := roleOf(tp, fns[fam])
				if role == "" {
					t.Errorf("%s: function has no role of this stack", fam)
					continue
				}
				var got []stmt
				for _, s := range tp.roleStatements(t, role) {
					if slices.Contains(baseSids, s.Sid) {
						got = append(got, s)
					}
				}
				if diff := cmp.Diff(wantRoleStatements(fam), got); diff != "" {
					t.Errorf("%s role statements (-want +got):\n%s", fam, diff)
				}
			}
		})
	}
}

// ruleARNRef is how a template refers to one of the stack's EventBridge
// rules: {<Rule>Rule.Arn}, numbered when a rule has several patterns.
var ruleARNRef = regexp.MustCompile(`^\{[A-Za-z0-9]+Rule[0-9]*\.Arn\}$`)

// baseSids are the statements every role holds beyond its declared calls.
var baseSids = []string{"EncryptAlerts", "PublishAlerts", "ReadWebhookSecret", "RecordOutcomes", "SendFailedEvents", "WriteOwnLogs",
	"QueueConfirmations", "ReceiveConfirmations", lookupEventsSid}

// grant is one action allowed on one resource, under a condition or none.
type grant struct{ Action, Resource, Condition string }

// TestRolesGrantExactlyTheDeclaredCalls: each family's role, beyond its base
// statements, grants exactly the calls its rules' actions and lookups declare
// (rules.Family.Calls), each on exactly the declared resources of this
// account, every change on a taggable resource under the exempt-tag
// condition; and those calls are exactly the ones the functions' end-to-end
// tests made (functions/testdata/e2e/calls-<family>.txt): declared = granted
// = exercised.
func TestRolesGrantExactlyTheDeclaredCalls(t *testing.T) {
	for _, tc := range []struct {
		synth, exemptTag string
		regions          []string
	}{{synthDefaults, config.DefaultExemptTag, []string{"us-east-1"}}, {synthFull, fullExemptTag, []string{"us-east-1", fullRegion}}} {
		t.Run(tc.synth, func(t *testing.T) {
			tp := synth(t, tc.synth).main()
			fns := tp.functionsByFamily(t)
			unlessExempt := `{"StringNotEqualsIgnoreCase":{"aws:ResourceTag/` + tc.exemptTag + `":"true"}}`
			for _, fam := range rules.Families() {
				var want []grant
				var declared []string
				for _, c := range fam.Calls() {
					declared = append(declared, c.Op)
					for _, r := range c.On {
						for i, region := range tc.regions {
							if i > 0 && !strings.Contains(r.ARN, "{region}") {
								break
							}
							arn := strings.NewReplacer("{partition}", "{AWS::Partition}", "{account}", "{AWS::AccountId}", "{region}", region, "{stack}", mainStackID).Replace(r.ARN)
							cond := ""
							if c.Changes && r.Taggable {
								cond = unlessExempt
							}
							if k, v, ok := strings.Cut(r.RequireTag, "="); ok {
								cond = `{"StringEquals":{"aws:ResourceTag/` + k + `":"` + v + `"}}`
							}
							want = append(want, grant{c.Op, arn, cond})
						}
					}
				}
				var got []grant
				for _, s := range tp.roleStatements(t, roleOf(tp, fns[fam.ID])) {
					if slices.Contains(baseSids, s.Sid) {
						continue
					}
					for _, a := range s.Actions {
						for _, r := range s.Resources {
							got = append(got, grant{a, r, s.Condition})
						}
					}
				}
				sortGrants(want)
				sortGrants(got)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s role's grants differ from its declared calls (-declared +granted):\n%s", fam.ID, diff)
				}
				slices.Sort(declared)
				if e2e, ok := e2eCalls(t, "..", fam.ID); ok {
					if diff := cmp.Diff(e2e, declared, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("%s: declared calls differ from those its end-to-end tests made (-e2e +declared):\n%s", fam.ID, diff)
					}
				} else {
					t.Errorf("%s: no functions/testdata/e2e/calls-%s.txt (go test ./functions -update writes it)", fam.ID, fam.ID)
				}
			}
		})
	}
}

func sortGrants(g []grant) {
	slices.SortFunc(g, func(a, b grant) int {
		return strings.Compare(a.Action+" "+a.Resource+" "+a.Condition, b.Action+" "+b.Resource+" "+b.Condition)
	})
}

// e2eCalls reads the calls a family's function made in the end-to-end tests
// (functions/e2e_test.go writes the file after a full run).
func e2eCalls(t *testing.T, repoRoot, family string) (calls []string, ok bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "functions", "testdata", "e2e", "calls-"+family+".txt"))
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("read the e2e calls of %s: %v", family, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			calls = append(calls, line)
		}
	}
	slices.Sort(calls)
	return slices.Compact(calls), true
}

// TestNoWildcardsInRoles: no iamguard role, in any stack, allows a "*"
// action (or an action with a wildcard) or a bare "*" resource.
func TestNoWildcardsInRoles(t *testing.T) {
	for _, name := range []string{synthDefaults, synthFull} {
		for id, tp := range synth(t, name).templates {
			roles := 0
			for roleID := range tp.ofType("AWS::IAM::Role") {
				roles++
				for _, s := range tp.roleStatements(t, roleID) {
					if s.Effect == "Deny" {
						// The one Deny: this function's code alone may use
						// the role (lambda:SourceFunctionArn).
						fn := strings.TrimSuffix(tp.name(roleID), "Role")
						if s.Sid != "OnlyThisFunctionsCode" || !strings.Contains(s.Condition, `"ArnNotEquals":{"lambda:SourceFunctionArn":`) ||
							!strings.Contains(strings.ReplaceAll(s.Condition, "-", ""), ":function:{AWS::StackName}"+strings.ToLower(fn)+`"`) {
							t.Errorf("%s/%s: role %s has an unexpected Deny: %+v", name, id, tp.name(roleID), s)
						}
						continue
					}
					for _, a := range s.Actions {
						if strings.Contains(a, "*") {
							t.Errorf("%s/%s: role %s allows wildcard action %q", name, id, tp.name(roleID), a)
						}
					}
					for _, r := range s.Resources {
						if r == "*" && !(s.Sid == lookupEventsSid && slices.Equal(s.Actions, []string{"cloudtrail:LookupEvents"})) {
							t.Errorf("%s/%s: role %s statement %s allows resource *", name, id, tp.name(roleID), s.Sid)
						}
					}
					if s.Effect != "Allow" || s.Principal != "" {
						t.Errorf("%s/%s: role %s statement %+v: want Allow statements without principals", name, id, tp.name(roleID), s)
					}
				}
			}
			if roles == 0 {
				t.Errorf("%s/%s: no roles to check", name, id)
			}
		}
	}
}

// TestEventPatternsFromTable: one EventBridge rule per pattern of the rules
// table, its EventPattern equal to the table's as JSON, targeting the rule
// family's function with a retry policy and a dead-letter queue.
func TestEventPatternsFromTable(t *testing.T) {
	tp := synth(t, synthDefaults).main()
	deployed := tp.ofType("AWS::Events::Rule")
	want := 0
	for _, r := range rules.Table() {
		for i, p := range r.Patterns {
			want++
			name := pascal(r.ID) + "Rule"
			if len(r.Patterns) > 1 {
				name += fmt.Sprint(i + 1)
			}
			res := deployed[tp.byName(t, name)]
			pp := props(res)
			if diff := cmp.Diff(jsonValue(t, p), pp["EventPattern"]); diff != "" {
				t.Errorf("%s pattern %d: deployed EventPattern differs from the rules table (-table +deployed):\n%s", r.ID, i+1, diff)
			}
			if pp["State"] != ruleState {
				t.Errorf("%s: State = %v, want %s", r.ID, pp["State"], ruleState)
			}
			fam := pascal(r.Family.ID)
			wantTargets := []any{map[string]any{
				"Id": fam, "Arn": "{" + fam + ".Arn}",
				"RetryPolicy":      map[string]any{"MaximumEventAgeInSeconds": float64(86400), "MaximumRetryAttempts": float64(185)},
				"DeadLetterConfig": map[string]any{"Arn": "{" + fam + "DeadLetters.Arn}"},
			}}
			if diff := cmp.Diff(wantTargets, tp.canon(pp["Targets"])); diff != "" {
				t.Errorf("%s targets (-want +got):\n%s", r.ID, diff)
			}
		}
	}
	if len(deployed) != want {
		t.Errorf("%d EventBridge rules, want %d (one per pattern of the table)", len(deployed), want)
	}
	// Each invocation permission names its rule.
	perms := 0
	for _, p := range tp.ofType("AWS::Lambda::Permission") {
		pp := tp.canon(props(p)).(map[string]any)
		if pp["Principal"] == "events.amazonaws.com" {
			perms++
			if src, _ := pp["SourceArn"].(string); !ruleARNRef.MatchString(src) || pp["Action"] != "lambda:InvokeFunction" {
				t.Errorf("events permission %v: want lambda:InvokeFunction from one rule's ARN", pp)
			}
		}
	}
	if perms != want {
		t.Errorf("%d EventBridge invoke permissions, want %d", perms, want)
	}
}

// jsonValue returns v as encoding/json decodes its JSON text.
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestForwardingStack: the regional stack forwards the table's non-IAM
// patterns, unchanged, to us-east-1's default bus through a role that can
// only put events there.
func TestForwardingStack(t *testing.T) {
	s := synth(t, synthFull)
	tp := s.templates[mainStackID+"Forward-"+fullRegion]
	if tp == nil {
		t.Fatalf("no forwarding stack for %s; stacks: %v", fullRegion, slices.Sorted(maps.Keys(s.templates)))
	}
	if got := *s.stacks.Forward[0].Region(); got != fullRegion {
		t.Errorf("forwarding stack region = %s, want %s", got, fullRegion)
	}
	homeBus := "arn:{AWS::Partition}:events:us-east-1:{AWS::AccountId}:event-bus/default"
	deployed := tp.ofType("AWS::Events::Rule")
	var sources []string
	count := map[string]int{}
	for _, fp := range forwardedPatterns() {
		sources = append(sources, fp.ruleID)
		count[fp.ruleID]++
		name := "Forward" + pascal(fp.ruleID)
		if n := count[fp.ruleID]; n > 1 {
			name += strconv.Itoa(n)
		}
		res := deployed[tp.byName(t, name)]
		pp := props(res)
		if diff := cmp.Diff(jsonValue(t, fp.pattern), pp["EventPattern"]); diff != "" {
			t.Errorf("forwarded %s: pattern differs from the table (-table +deployed):\n%s", fp.ruleID, diff)
		}
		want := []any{map[string]any{
			"Id": "HomeBus", "Arn": homeBus, "RoleArn": "{ForwardRole.Arn}",
			"RetryPolicy":      map[string]any{"MaximumEventAgeInSeconds": float64(86400), "MaximumRetryAttempts": float64(185)},
			"DeadLetterConfig": map[string]any{"Arn": "{ForwardDeadLetters.Arn}"},
		}}
		if diff := cmp.Diff(want, tp.canon(pp["Targets"])); diff != "" {
			t.Errorf("forwarded %s targets (-want +got):\n%s", fp.ruleID, diff)
		}
	}
	// Every pattern not pinned to IAM's source: root's sign-ins and calls,
	// AWS Health's key-exposure events, Roles Anywhere and Identity Center
	// changes, the trail, the detective services (one pattern per service)
	// and Organizations, IAM users' sign-ins and STS and sign-in tokens,
	// whose events arrive in the Region of the call.
	dd := slices.Repeat([]string{"detection-disabled"}, 7)
	wantRules := append([]string{"root-console-login", "root-activity", "exposed-key", "identity-provider", "identity-provider", "trail-tampering"}, dd...)
	wantRules = append(wantRules, "org-guardrails", "org-guardrails")
	// guardrail-tampering: every service of the stack's resources but IAM
	// (EventBridge's twice: two rules, so that each sees the other disabled).
	wantRules = append(wantRules, slices.Repeat([]string{"guardrail-tampering"}, 9)...)
	wantRules = append(wantRules,
		"console-login-no-mfa", "federation-token", "federation-token")
	if diff := cmp.Diff(wantRules, sources); diff != "" {
		t.Errorf("forwarded rules (-want +got):\n%s", diff)
	}
	if len(deployed) != len(sources) {
		t.Errorf("%d rules in the forwarding stack, want %d", len(deployed), len(sources))
	}
	got := tp.roleStatements(t, tp.byName(t, "ForwardRole"))
	want := []stmt{{Sid: "PutEventsOnTheHomeBus", Effect: "Allow", Actions: []string{"events:PutEvents"}, Resources: []string{homeBus}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forward role (-want +got):\n%s", diff)
	}
	checkQueuesAndAlarms(t, tp, "{Alarms}")
	mustAssert(t, "forwarding alarm topic is KMS-encrypted", func() {
		tp.assert.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{
			"KmsMasterKeyId": assertions.Match_AnyValue()})
	})
	if n := len(tp.ofType("AWS::SNS::Subscription")); n != 2 {
		t.Errorf("%d email subscriptions on the forwarding alarm topic, want 2", n)
	}
}

// TestFunctions: runtime, architecture, handler, logging and the exact
// configuration each function receives, which shared/config must accept.
func TestFunctions(t *testing.T) {
	var sessions []string
	for _, f := range rules.Families() {
		sessions = append(sessions, "arn:{AWS::Partition}:sts::{AWS::AccountId}:assumed-role/{"+pascal(f.ID)+"Role}/{AWS::StackName}-"+f.ID)
	}
	selfSessions := strings.Join(sessions, ",")
	for _, tc := range []struct {
		synth     string
		retention float64
		reserved  any
		env       map[string]map[string]any
	}{
		{synthDefaults, 365, nil, map[string]map[string]any{
			rules.RootActivity.ID: {},
			rules.AccessKeys.ID:   {},
			rules.PolicyGuard.ID:  {},
		}},
		{synthBundled, 365, nil, map[string]map[string]any{
			rules.RootActivity.ID: {},
			// Remediate: the rollback waits for CloudTrail's confirmation.
			rules.AccessKeys.ID: {config.EnvModes: "access-key-created=remediate",
				config.EnvConfirmQueueURL: "{AccessKeysConfirm}", config.EnvConfirmMaxMinutes: "60"},
			rules.PolicyGuard.ID: {},
		}},
		{synthFull, 90, float64(5), map[string]map[string]any{
			rules.RootActivity.ID: fullEnv(""),
			rules.AccessKeys.ID:   fullEnv("access-key-created=dry-run"),
			rules.PolicyGuard.ID:  fullEnv("wildcard-policy=dry-run"),
			slackNotifyDir:        {envSlackSecretID: fullSecretName},
		}},
	} {
		t.Run(tc.synth, func(t *testing.T) {
			// A family the case does not name gets the case's defaults.
			for _, f := range rules.Families() {
				if _, ok := tc.env[f.ID]; !ok {
					tc.env[f.ID] = map[string]any{}
					if tc.synth == synthFull {
						tc.env[f.ID] = fullEnv("")
					}
				}
			}
			// audit-guard knows the canary, when there is one.
			if tc.synth != synthBundled {
				tc.env[rules.AuditGuard.ID][config.EnvCanaryPolicyARN] = "{CanaryPolicy}"
				tc.env[rules.AuditGuard.ID][config.EnvCanaryRoleARN] = "{CanaryRole.Arn}"
			}
			// and what the stack deployed (guardrail-tampering).
			tc.env[rules.AuditGuard.ID][config.EnvStackName] = mainStackID
			tc.env[rules.AuditGuard.ID][config.EnvKeyARN] = "{AlertsKey.Arn}"
			tc.env[rules.AuditGuard.ID][config.EnvDeployRoles] = map[string]any{"Fn::Sub": deployRolePattern + "," + execRolePattern}
			// and, in every family that can roll back, the outcome table.
			for _, f := range rules.Families() {
				if len(f.Actions()) > 0 {
					tc.env[f.ID][config.EnvOutcomeTable] = "{OutcomeTable}"
				}
			}
			tp := synth(t, tc.synth).main()
			mustAssert(t, "function count", func() {
				tp.assert.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(float64(len(tc.env))))
			})
			fns := tp.functionsByFamily(t)
			for fam, extra := range tc.env {
				id := fns[fam]
				if id == "" {
					t.Errorf("no %s function", fam)
					continue
				}
				pp := tp.canon(props(tp.resources[id])).(map[string]any)
				name := pascal(fam)
				for k, want := range map[string]any{
					"Runtime":                      "provided.al2023",
					"Architectures":                []any{"arm64"},
					"Handler":                      "bootstrap",
					"LoggingConfig":                map[string]any{"LogFormat": "JSON", "LogGroup": "{" + name + "Logs}"},
					"MemorySize":                   float64(functionMemoryMB),
					"Timeout":                      float64(functionTimeout),
					"ReservedConcurrentExecutions": tc.reserved,
				} {
					if diff := cmp.Diff(want, pp[k]); diff != "" {
						t.Errorf("%s %s (-want +got):\n%s", fam, k, diff)
					}
				}
				want := map[string]any{}
				if fam != slackNotifyDir {
					want = map[string]any{
						config.EnvTopicARN:             "{Alerts}",
						config.EnvDefaultMode:          "notify",
						config.EnvRemediateMinSeverity: "critical",
						config.EnvExemptTag:            config.DefaultExemptTag,
						config.EnvSelfSessions:         selfSessions,
					}
				}
				for k, v := range extra {
					want[k] = v
				}
				got := pp["Environment"].(map[string]any)["Variables"].(map[string]any)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s environment (-want +got):\n%s", fam, diff)
				}
				if fam != slackNotifyDir {
					checkConfigAccepts(t, fam, got, synth(t, tc.synth).stacks.Settings)
				}
				// Each function writes to its own log group, kept as configured.
				lg := props(tp.resources[tp.byName(t, name+"Logs")])
				if lg["RetentionInDays"] != tc.retention {
					t.Errorf("%s log group RetentionInDays = %v, want %v", fam, lg["RetentionInDays"], tc.retention)
				}
			}
			if n := len(tp.ofType("AWS::Logs::LogGroup")); n != len(tc.env) {
				t.Errorf("%d log groups, want one per function (%d)", n, len(tc.env))
			}
		})
	}
}

func fullEnv(modes string) map[string]any {
	env := map[string]any{
		config.EnvRemediateMinSeverity: "high",
		config.EnvExemptTag:            fullExemptTag,
		config.EnvExemptPrincipals:     fullPrincipal,
		config.EnvExemptTargets:        fullTarget,
	}
	if modes != "" {
		env[config.EnvModes] = modes
	}
	return env
}

// checkConfigAccepts feeds a function's environment, with tokens replaced by
// plausible ARNs, to shared/config as the function will, and checks the
// result against the settings.
func checkConfigAccepts(t *testing.T, family string, vars map[string]any, s Settings) {
	t.Helper()
	pairs := []string{"{Alerts}", "arn:aws:sns:us-east-1:111122223333:iamguard-Alerts",
		"{CanaryPolicy}", "arn:aws:iam::111122223333:policy" + rules.CanaryPolicyPath + "iamguard-CanaryPolicy",
		"{CanaryRole.Arn}", "arn:aws:iam::111122223333:role/iamguard-CanaryRole",
		"{AWS::StackName}", "Iamguard", "{OutcomeTable}", "Iamguard-OutcomeTable-1A2B3C4D5E6F",
		"{AlertsKey.Arn}", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"{AWS::Partition}", "aws", "{AWS::AccountId}", "111122223333",
		"{AccessKeysConfirm}", "https://sqs.us-east-1.amazonaws.com/111122223333/Iamguard-AccessKeysConfirm"}
	for _, f := range rules.Families() {
		id := pascal(f.ID) + "Role"
		pairs = append(pairs, "{"+id+".Arn}", "arn:aws:iam::111122223333:role/iamguard-"+id, "{"+id+"}", "iamguard-"+id)
	}
	token := strings.NewReplacer(pairs...)
	cfg, err := config.FromEnv(func(k string) string {
		v, _ := vars[k].(string)
		if m, ok := vars[k].(map[string]any); ok {
			sub, _ := m["Fn::Sub"].(string)
			v = strings.NewReplacer("${AWS::Partition}", "aws", "${AWS::AccountId}", "111122223333").Replace(sub)
		}
		return token.Replace(v)
	})
	if err != nil {
		t.Errorf("%s: shared/config rejects the stack's environment: %v", family, err)
		return
	}
	if family == rules.AuditGuard.ID && (cfg.Rules.Guardrail.StackName != "Iamguard" || cfg.Rules.Guardrail.KeyARN == "" ||
		len(cfg.Rules.Guardrail.DeployRoles) != 2) {
		t.Errorf("%s: guardrail = %+v, want the stack's name, key and deploy role", family, cfg.Rules.Guardrail)
	}
	if f, _ := rules.FamilyByID(family); (cfg.OutcomeTable != "") != (len(f.Actions()) > 0) {
		t.Errorf("%s: outcome table %q, want one exactly when the family can roll back", family, cfg.OutcomeTable)
	}
	if cfg.RemediateMinSeverity != s.RemediateMinSeverity || cfg.ExemptTag != s.ExemptTag || len(cfg.SelfSessions) != len(rules.Families()) {
		t.Errorf("%s: config = %+v, want threshold %s, tag %s, one self session per function", family, cfg, s.RemediateMinSeverity, s.ExemptTag)
	}
	// Each function's own session: its role, named after the function.
	for _, f := range rules.Families() {
		want := "arn:aws:sts::111122223333:assumed-role/iamguard-" + pascal(f.ID) + "Role/Iamguard-" + f.ID
		if !slices.Contains(cfg.SelfSessions, want) {
			t.Errorf("%s: self sessions %q lack %s", family, cfg.SelfSessions, want)
		}
	}
	for _, r := range familyRules(t, family) {
		if got, want := cfg.ModeFor(r.ID), s.ModeFor(r.ID); got != want {
			t.Errorf("%s: mode of %s = %s, want %s", family, r.ID, got, want)
		}
	}
}

// TestAlerts: the key (rotation on, usable by the functions and by
// CloudWatch), the topic it encrypts, and TLS-only publishing.
func TestAlerts(t *testing.T) {
	tp := synth(t, synthDefaults).main()
	mustAssert(t, "every key rotates", func() {
		tp.assert.AllResourcesProperties(jsii.String("AWS::KMS::Key"), map[string]any{"EnableKeyRotation": true})
	})
	mustAssert(t, "topic encrypted with the alerts key", func() {
		tp.assert.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{
			"KmsMasterKeyId": map[string]any{"Fn::GetAtt": []any{tp.byName(t, "AlertsKey"), "Arn"}}})
	})
	key := props(tp.resources[tp.byName(t, "AlertsKey")])
	got := tp.statements(key["KeyPolicy"])
	var arns []string
	for _, f := range rules.Families() {
		arns = append(arns, `"{`+pascal(f.ID)+`Role.Arn}"`)
	}
	roles := `{"AWS":[` + strings.Join(arns, ",") + `]}`
	want := []stmt{
		{Effect: "Allow", Principal: `{"AWS":"arn:{AWS::Partition}:iam::{AWS::AccountId}:root"}`, Actions: []string{"kms:*"}, Resources: []string{"*"}},
		{Sid: "AllowCloudWatchAlarmsToPublish", Effect: "Allow", Principal: `{"Service":"cloudwatch.amazonaws.com"}`,
			Actions: []string{"kms:Decrypt", "kms:GenerateDataKey*"}, Resources: []string{"*"}},
		{Sid: "AllowIamguardFunctionsToPublish", Effect: "Allow", Principal: roles,
			Actions: []string{"kms:Decrypt", "kms:GenerateDataKey*"}, Resources: []string{"*"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts key policy (-want +got):\n%s", diff)
	}
	var topicPolicy []stmt
	for _, p := range tp.ofType("AWS::SNS::TopicPolicy") {
		topicPolicy = append(topicPolicy, tp.statements(props(p)["PolicyDocument"])...)
	}
	wantTopic := []stmt{
		{Sid: "AllowPublishThroughSSLOnly", Effect: "Deny", Principal: `"*"`, Actions: []string{"sns:Publish"}, Resources: []string{"{Alerts}"},
			Condition: `{"Bool":{"aws:SecureTransport":"false"}}`},
		{Sid: "AllowThisAccountsAlarmsToPublish", Effect: "Allow", Principal: `{"Service":"cloudwatch.amazonaws.com"}`,
			Actions: []string{"sns:Publish"}, Resources: []string{"{Alerts}"},
			Condition: `{"ArnLike":{"aws:SourceArn":"arn:{AWS::Partition}:cloudwatch:us-east-1:{AWS::AccountId}:alarm:*"},"StringEquals":{"aws:SourceAccount":"{AWS::AccountId}"}}`},
	}
	if diff := cmp.Diff(wantTopic, topicPolicy); diff != "" {
		t.Errorf("topic policy (-want +got):\n%s", diff)
	}
	if n := len(tp.ofType("AWS::SNS::Subscription")); n != 0 {
		t.Errorf("%d subscriptions with no notifyEmails, want 0", n)
	}
}

// TestNothingLost: queues (encrypted, TLS-only, 14 days), the functions'
// asynchronous configuration and on-failure destinations, the dead-letter
// queues' policies, and an alarm on every function and queue.
func TestNothingLost(t *testing.T) {
	for _, name := range []string{synthDefaults, synthFull} {
		t.Run(name, func(t *testing.T) {
			tp := synth(t, name).main()
			fns := tp.functionsByFamily(t)
			invoke := tp.ofType("AWS::Lambda::EventInvokeConfig")
			if len(invoke) != len(fns) {
				t.Errorf("%d EventInvokeConfigs, want one per function (%d)", len(invoke), len(fns))
			}
			for fam, fnID := range fns {
				fn := pascal(fam)
				found := false
				for _, r := range invoke {
					pp := tp.canon(props(r)).(map[string]any)
					if pp["FunctionName"] != "{"+fn+"}" {
						continue
					}
					found = true
					want := map[string]any{
						"FunctionName": "{" + fn + "}", "Qualifier": "$LATEST",
						"MaximumRetryAttempts": float64(2), "MaximumEventAgeInSeconds": float64(6 * 3600),
						"DestinationConfig": map[string]any{"OnFailure": map[string]any{"Destination": "{" + fn + "Failed.Arn}"}},
					}
					if diff := cmp.Diff(want, pp); diff != "" {
						t.Errorf("%s async configuration (-want +got):\n%s", fam, diff)
					}
				}
				if !found {
					t.Errorf("%s (%s): no asynchronous invocation configuration", fam, fnID)
				}
				for _, metric := range []string{"Errors", "Throttles"} {
					if !hasAlarm(tp, "AWS/Lambda", metric, "FunctionName", "{"+fn+"}", "{Alerts}") {
						t.Errorf("%s: no %s alarm notifying the topic", fam, metric)
					}
				}
			}
			// Each family's dead-letter queue accepts exactly its rules.
			for _, fam := range rules.Families() {
				var want []string
				for _, r := range fam.Rules() {
					for i := range r.Patterns {
						id := pascal(r.ID) + "Rule"
						if len(r.Patterns) > 1 {
							id += strconv.Itoa(i + 1)
						}
						want = append(want, "{"+id+".Arn}")
					}
				}
				q := tp.byName(t, pascal(fam.ID)+"DeadLetters")
				var got []stmt
				for _, p := range tp.ofType("AWS::SQS::QueuePolicy") {
					if tp.canon(props(p)["Queues"]).([]any)[0] == "{"+tp.name(q)+"}" {
						got = append(got, tp.statements(props(p)["PolicyDocument"])...)
					}
				}
				arns, _ := json.Marshal(want)
				wantStmt := stmt{Sid: "AllowIamguardRules", Effect: "Allow", Principal: `{"Service":"events.amazonaws.com"}`,
					Actions: []string{"sqs:SendMessage"}, Resources: []string{"{" + tp.name(q) + ".Arn}"},
					Condition: `{"ArnEquals":{"aws:SourceArn":` + string(arns) + `}}`}
				if !slices.ContainsFunc(got, func(s stmt) bool { return cmp.Equal(s, wantStmt) }) {
					t.Errorf("%s dead-letter queue policy %+v lacks %+v", fam, got, wantStmt)
				}
			}
			checkQueuesAndAlarms(t, tp, "{Alerts}")
		})
	}
}

// checkQueuesAndAlarms: every queue is encrypted, TLS-only, keeps messages
// 14 days, and has an alarm on its first visible message notifying topic.
func checkQueuesAndAlarms(t *testing.T, tp *tmpl, topic string) {
	t.Helper()
	queues := tp.ofType("AWS::SQS::Queue")
	if len(queues) == 0 {
		t.Errorf("%s: no queues", tp.stackID)
	}
	tlsOnly := map[string]bool{}
	for _, p := range tp.ofType("AWS::SQS::QueuePolicy") {
		for _, s := range tp.statements(props(p)["PolicyDocument"]) {
			if s.Effect == "Deny" && s.Condition == `{"Bool":{"aws:SecureTransport":"false"}}` && slices.Equal(s.Actions, []string{"sqs:*"}) {
				for _, q := range tp.canon(props(p)["Queues"]).([]any) {
					tlsOnly[q.(string)] = true
				}
			}
		}
	}
	for id, q := range queues {
		pp := props(q)
		name := tp.name(id)
		if pp["SqsManagedSseEnabled"] != true {
			t.Errorf("%s: queue %s is not encrypted (SqsManagedSseEnabled = %v)", tp.stackID, name, pp["SqsManagedSseEnabled"])
		}
		if pp["MessageRetentionPeriod"] != float64(14*24*3600) {
			t.Errorf("%s: queue %s MessageRetentionPeriod = %v, want 14 days", tp.stackID, name, pp["MessageRetentionPeriod"])
		}
		if !tlsOnly["{"+name+"}"] {
			t.Errorf("%s: queue %s has no policy denying requests without TLS", tp.stackID, name)
		}
		if !hasAlarm(tp, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "{"+name+".QueueName}", topic) {
			t.Errorf("%s: queue %s has no alarm on its first message notifying %s", tp.stackID, name, topic)
		}
	}
	for id, a := range tp.ofType("AWS::CloudWatch::Alarm") {
		pp := tp.canon(props(a)).(map[string]any)
		if tp.name(id) == "BlindAlarm" {
			continue // fires on silence: TestCanary
		}
		if !cmp.Equal(pp["AlarmActions"], []any{topic}) || pp["Threshold"] != float64(0) ||
			pp["ComparisonOperator"] != "GreaterThanThreshold" || pp["TreatMissingData"] != "notBreaching" {
			t.Errorf("%s: alarm %s = %v: want > 0, notifying %s", tp.stackID, tp.name(id), pp, topic)
		}
	}
}

func hasAlarm(tp *tmpl, namespace, metric, dimension, value, topic string) bool {
	for _, a := range tp.ofType("AWS::CloudWatch::Alarm") {
		pp := tp.canon(props(a)).(map[string]any)
		if pp["Namespace"] != namespace || pp["MetricName"] != metric || !cmp.Equal(pp["AlarmActions"], []any{topic}) {
			continue
		}
		if cmp.Equal(pp["Dimensions"], []any{map[string]any{"Name": dimension, "Value": value}}) {
			return true
		}
	}
	return false
}

// TestOptionalParts: email subscriptions, the Chatbot channel, slack-notify
// and the trail, present exactly when their context is.
func TestOptionalParts(t *testing.T) {
	def := synth(t, synthDefaults).main()
	for _, typ := range []string{"AWS::Chatbot::SlackChannelConfiguration", "AWS::CloudTrail::Trail", "AWS::S3::Bucket"} {
		if n := len(def.ofType(typ)); n != 0 {
			t.Errorf("defaults: %d %s, want none", n, typ)
		}
	}
	if n := len(synth(t, synthDefaults).templates); n != 1 {
		t.Errorf("defaults: %d stacks, want 1", n)
	}

	tp := synth(t, synthFull).main()
	var emails []string
	for _, s := range tp.ofType("AWS::SNS::Subscription") {
		pp := tp.canon(props(s)).(map[string]any)
		switch pp["Protocol"] {
		case "email":
			emails = append(emails, pp["Endpoint"].(string))
		case "lambda":
			want := map[string]any{"Protocol": "lambda", "TopicArn": "{Alerts}", "Endpoint": "{SlackNotify.Arn}",
				"RedrivePolicy": map[string]any{"deadLetterTargetArn": "{SlackNotifyUndelivered.Arn}"}}
			if diff := cmp.Diff(want, pp); diff != "" {
				t.Errorf("slack-notify subscription (-want +got):\n%s", diff)
			}
		default:
			t.Errorf("unexpected subscription %v", pp)
		}
	}
	sort.Strings(emails)
	if diff := cmp.Diff([]string{"oncall@example.com", "security@example.com"}, emails); diff != "" {
		t.Errorf("email subscriptions (-want +got):\n%s", diff)
	}

	chat := tp.ofType("AWS::Chatbot::SlackChannelConfiguration")
	if len(chat) != 1 {
		t.Fatalf("%d Chatbot configurations, want 1", len(chat))
	}
	for _, c := range chat {
		pp := tp.canon(props(c)).(map[string]any)
		want := map[string]any{
			"ConfigurationName": mainStackID + "-alerts", "SlackWorkspaceId": "T0123ABCDE", "SlackChannelId": "C0123ABCDE",
			"SnsTopicArns": []any{"{Alerts}"}, "UserRoleRequired": false,
			"GuardrailPolicies": []any{"arn:{AWS::Partition}:iam::aws:policy/ReadOnlyAccess"},
			"IamRoleArn":        "{SlackChannel/ConfigurationRole.Arn}",
		}
		if diff := cmp.Diff(want, pp); diff != "" {
			t.Errorf("Chatbot configuration (-want +got):\n%s", diff)
		}
		if got := tp.roleStatements(t, tp.byName(t, "SlackChannel/ConfigurationRole")); len(got) != 0 {
			t.Errorf("Chatbot role holds %v, want no permissions at all", got)
		}
	}

	mustAssert(t, "trail", func() {
		tp.assert.HasResourceProperties(jsii.String("AWS::CloudTrail::Trail"), map[string]any{
			"IsMultiRegionTrail": true, "EnableLogFileValidation": true, "IncludeGlobalServiceEvents": true, "IsLogging": true,
			"KMSKeyId": map[string]any{"Fn::GetAtt": []any{tp.byName(t, "CloudTrail/Key"), "Arn"}},
		})
	})
	bucket := tp.canon(props(tp.resources[tp.byName(t, "CloudTrail/Bucket")])).(map[string]any)
	wantBucket := map[string]any{
		"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
			"BucketKeyEnabled":              true,
			"ServerSideEncryptionByDefault": map[string]any{"KMSMasterKeyID": "{CloudTrail/Key.Arn}", "SSEAlgorithm": "aws:kms"},
		}}},
		"LoggingConfiguration":           map[string]any{"DestinationBucketName": "{CloudTrail/AccessLogs}", "LogFilePrefix": "trail-bucket/"},
		"OwnershipControls":              map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
		"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
		"VersioningConfiguration":        map[string]any{"Status": "Enabled"},
	}
	if diff := cmp.Diff(wantBucket, bucket); diff != "" {
		t.Errorf("trail bucket (-want +got):\n%s", diff)
	}
	for _, p := range tp.ofType("AWS::S3::BucketPolicy") {
		ok := false
		for _, s := range tp.statements(props(p)["PolicyDocument"]) {
			ok = ok || (s.Effect == "Deny" && s.Condition == `{"Bool":{"aws:SecureTransport":"false"}}`)
		}
		if !ok {
			t.Errorf("bucket policy %s does not deny requests without TLS", tp.name(tp.byName(t, "CloudTrail/Bucket")))
		}
	}
}

// TestCDKNag: cdk-nag's AwsSolutions checks leave no unsuppressed error in
// any stack of any combination.
func TestCDKNag(t *testing.T) {
	for _, name := range []string{synthDefaults, synthFull, synthBundled} {
		t.Run(name, func(t *testing.T) {
			if errs := synth(t, name).nagErrors; len(errs) > 0 {
				t.Errorf("cdk-nag AwsSolutions errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

// TestSuppressions pins every cdk-nag suppression (rule, resource, what it
// applies to): a new one must be added here, and to the README's list.
func TestSuppressions(t *testing.T) {
	s := synth(t, synthFull)
	var got []string
	for id, tp := range s.templates {
		for logical, r := range tp.resources {
			md, _ := r["Metadata"].(map[string]any)
			nag, _ := md["cdk_nag"].(map[string]any)
			list, _ := nag["rules_to_suppress"].([]any)
			for _, e := range list {
				sup := e.(map[string]any)
				if len(fmt.Sprint(sup["reason"])) < 60 {
					t.Errorf("%s %s: reason %q says too little", tp.name(logical), sup["id"], sup["reason"])
				}
				line := fmt.Sprintf("%s %s %s %v", id, tp.name(logical), sup["id"], sup["applies_to"])
				got = append(got, line)
				t.Logf("%s\n\treason: %s", line, sup["reason"])
			}
		}
	}
	sort.Strings(got)
	sqs3 := func(stack, name string) string { return stack + " " + name + " AwsSolutions-SQS3 <nil>" }
	iam5 := func(name, res string) string {
		return mainStackID + " " + name + " AwsSolutions-IAM5 [" + res + "]"
	}
	res := func(arn string) string {
		return "Resource::" + strings.NewReplacer("{AWS::Partition}", "<AWS::Partition>", "{AWS::AccountId}", "<AWS::AccountId>").Replace(arn)
	}
	want := []string{
		sqs3(mainStackID, "RootActivityFailed"), sqs3(mainStackID, "RootActivityDeadLetters"),
		sqs3(mainStackID, "AccessKeysFailed"), sqs3(mainStackID, "AccessKeysDeadLetters"),
		sqs3(mainStackID, "PolicyGuardFailed"), sqs3(mainStackID, "PolicyGuardDeadLetters"),
		sqs3(mainStackID, "SlackNotifyFailed"), sqs3(mainStackID, "SlackNotifyUndelivered"),
		sqs3(mainStackID+"Forward-"+fullRegion, "ForwardDeadLetters"),
	}
	want = append(want, iam5("AccessKeysRole/DefaultPolicy", res(arnUser)))
	for _, k := range []string{arnUser, arnRole, arnGroup, arnPolicy, arnAWSPolicy} {
		want = append(want, iam5("PolicyGuardRole/DefaultPolicy", res(k)))
	}
	want = append(want, sqs3(mainStackID, "IdentityGuardFailed"), sqs3(mainStackID, "IdentityGuardDeadLetters"))
	for _, k := range []string{arnUser, arnRole, arnPolicy, arnAWSPolicy} {
		want = append(want, iam5("IdentityGuardRole/DefaultPolicy", res(k)))
	}
	want = append(want, sqs3(mainStackID, "AuditGuardFailed"), sqs3(mainStackID, "AuditGuardDeadLetters"),
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:cloudtrail:us-east-1:<AWS::AccountId>:trail/* Resource::arn:<AWS::Partition>:cloudtrail:"+fullRegion+":<AWS::AccountId>:trail/*"),
		// Only the stack's own rules (named after it), in the watched Regions.
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:events:us-east-1:<AWS::AccountId>:rule/"+mainStackID+"* Resource::arn:<AWS::Partition>:events:"+fullRegion+":<AWS::AccountId>:rule/"+mainStackID+"*"),
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:config:us-east-1:<AWS::AccountId>:configuration-recorder/* Resource::arn:<AWS::Partition>:config:"+fullRegion+":<AWS::AccountId>:configuration-recorder/*"),
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:guardduty:us-east-1:<AWS::AccountId>:detector/* Resource::arn:<AWS::Partition>:guardduty:"+fullRegion+":<AWS::AccountId>:detector/*"),
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:kms:us-east-1:<AWS::AccountId>:key/* Resource::arn:<AWS::Partition>:kms:"+fullRegion+":<AWS::AccountId>:key/*"),
		iam5("AuditGuardRole/DefaultPolicy", "Resource::arn:<AWS::Partition>:lambda:us-east-1:<AWS::AccountId>:function:"+mainStackID+"* Resource::arn:<AWS::Partition>:lambda:"+fullRegion+":<AWS::AccountId>:function:"+mainStackID+"*"))
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cdk-nag suppressions (-want +got):\n%s", diff)
	}
}

// TestBundling: a real synth builds each bootstrap for Lambda: a static
// linux/arm64 executable at the root of its asset.
func TestBundling(t *testing.T) {
	s := synth(t, synthBundled)
	tp := s.main()
	fns := tp.functionsByFamily(t)
	for fam, id := range fns {
		key := tp.str(props(tp.resources[id])["Code"].(map[string]any)["S3Key"])
		dir := filepath.Join(s.outdir, "asset."+strings.TrimSuffix(key, ".zip"))
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Errorf("%s: asset %s: %v", fam, dir, err)
			continue
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"bootstrap"}) {
			t.Errorf("%s: asset holds %v, want just bootstrap", fam, names)
		}
		path := filepath.Join(dir, "bootstrap")
		info, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", fam, err)
			continue
		}
		if info.Mode()&0o111 == 0 {
			t.Errorf("%s: bootstrap mode %v is not executable", fam, info.Mode())
		}
		f, err := elf.Open(path)
		if err != nil {
			t.Errorf("%s: bootstrap is not an ELF executable: %v", fam, err)
			continue
		}
		if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
			t.Errorf("%s: bootstrap is %v %v, want an arm64 executable", fam, f.Machine, f.Type)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s: bootstrap is dynamically linked (cgo?): provided.al2023 needs a static binary", fam)
			}
		}
		if f.Section(".symtab") != nil {
			t.Errorf("%s: bootstrap keeps its symbol table: want -ldflags=\"-s -w\"", fam)
		}
		f.Close()
		bi, err := buildinfo.ReadFile(path)
		if err != nil {
			t.Errorf("%s: bootstrap has no Go build information: %v", fam, err)
			continue
		}
		settings := map[string]string{}
		for _, kv := range bi.Settings {
			settings[kv.Key] = kv.Value
		}
		// -trimpath keeps -ldflags out of the build information; the
		// missing symbol table above shows -s.
		want := map[string]string{"-tags": "lambda.norpc", "-trimpath": "true",
			"CGO_ENABLED": "0", "GOOS": "linux", "GOARCH": "arm64"}
		for k, v := range want {
			if settings[k] != v {
				t.Errorf("%s: bootstrap built with %s=%q, want %q (the Makefile's flags)", fam, k, settings[k], v)
			}
		}
		if bi.Path != modulePath+"/functions/"+fam {
			t.Errorf("%s: bootstrap is %s, want %s/functions/%s", fam, bi.Path, modulePath, fam)
		}
	}
	if len(fns) != len(rules.Families()) {
		t.Errorf("%d functions bundled, want %d", len(fns), len(rules.Families()))
	}
}

// TestRegionGuard: the main stack refuses any Region but us-east-1, saying why.
func TestRegionGuard(t *testing.T) {
	wantParts := []string{`region "eu-west-1"`, "us-east-1", "IAM is a global service", "would never fire", KeyForwardRegions}
	check := func(t *testing.T, msg string) {
		t.Helper()
		for _, p := range wantParts {
			if !strings.Contains(msg, p) {
				t.Errorf("error %q does not say %q", msg, p)
			}
		}
	}
	t.Run("context", func(t *testing.T) {
		app, _ := newTestApp(t, map[string]any{KeyRegion: "eu-west-1"}, false)
		_, err := build(app, "..")
		if err == nil {
			t.Fatal("build with region eu-west-1 succeeded, want the region guard's error")
		}
		check(t, err.Error())
		var stderr bytes.Buffer
		if code := run(app, &stderr); code != 1 {
			t.Errorf("run = %d, want exit status 1", code)
		}
		check(t, stderr.String())
	})
	t.Run("pinned by default", func(t *testing.T) {
		app, _ := newTestApp(t, nil, false)
		stack := NewIamguardStack(app, "NoEnv", &StackProps{Settings: DefaultSettings(), RepoRoot: ".."})
		if got := *stack.Region(); got != HomeRegion {
			t.Errorf("stack without Env deploys to %q, want %s", got, HomeRegion)
		}
	})
	t.Run("constructor", func(t *testing.T) {
		app, _ := newTestApp(t, nil, false)
		props := &StackProps{
			StackProps: awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}},
			Settings:   DefaultSettings(),
			RepoRoot:   "..",
		}
		check(t, props.Validate().Error())
		defer func() {
			r := recover()
			if r == nil {
				t.Fatal("NewIamguardStack in eu-west-1 did not refuse")
			}
			check(t, fmt.Sprint(r))
		}()
		NewIamguardStack(app, "Wrong", props)
	})
}

// TestBadContext: nonsense in any key is refused, every key named at once.
func TestBadContext(t *testing.T) {
	bad := map[string]any{
		KeyNotifyEmails:           "not-an-email",
		KeySlackWorkspaceID:       "t-lower",
		KeySlackWebhookSecretName: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x",
		KeyRemediate:              "root-activity,no-such-rule",
		KeyRemediateMinSeverity:   "info",
		KeyDryRun:                 "maybe",
		KeyExemptPrincipals:       "deploy-role",
		KeyExemptTargets:          []any{float64(3)},
		KeyExemptTag:              "aws:reserved",
		KeyCreateTrail:            "yes",
		KeyForwardRegions:         "us-east-1,Europe",
		KeyLogRetentionDays:       float64(42),
		KeyReservedConcurrency:    "-1",
		"notifyEmail":             "typo@example.com",
	}
	app, _ := newTestApp(t, bad, false)
	_, err := build(app, "..")
	if err == nil {
		t.Fatal("build with nonsense context succeeded")
	}
	msg := err.Error()
	for key := range bad {
		if !strings.Contains(msg, "context "+key+":") {
			t.Errorf("error does not name %s:\n%s", key, msg)
		}
	}
	// slackChannelId is missing while slackWorkspaceId is set.
	if !strings.Contains(msg, "context "+KeySlackChannelID+": required") {
		t.Errorf("error does not ask for %s:\n%s", KeySlackChannelID, msg)
	}
	t.Logf("the error users see:\n%s", msg)
}

// TestRuleFailuresAlarmed: every EventBridge rule of the main stack is in
// exactly one FailedInvocations alarm (checkQueuesAndAlarms checks that each
// alarm notifies the topic above zero).
func TestRuleFailuresAlarmed(t *testing.T) {
	tp := synth(t, synthDefaults).main()
	seen := map[string]int{}
	for id, a := range tp.ofType("AWS::CloudWatch::Alarm") {
		metrics, _ := tp.canon(props(a)["Metrics"]).([]any)
		var expr string
		for _, m := range metrics {
			if e, ok := m.(map[string]any)["Expression"].(string); ok {
				expr = e
			}
		}
		n := 0
		for _, m := range metrics {
			m := m.(map[string]any)
			if _, ok := m["Expression"]; ok {
				continue
			}
			ms := m["MetricStat"].(map[string]any)
			metric := ms["Metric"].(map[string]any)
			if metric["Namespace"] != "AWS/Events" || metric["MetricName"] != "FailedInvocations" || ms["Stat"] != "Sum" {
				continue
			}
			dims := metric["Dimensions"].([]any)
			d := dims[0].(map[string]any)
			if len(dims) != 1 || d["Name"] != "RuleName" {
				t.Errorf("alarm %s: dimensions %v", tp.name(id), dims)
			}
			seen[strings.Trim(d["Value"].(string), "{}")]++
			if !strings.Contains(expr, "FILL("+m["Id"].(string)+", 0)") {
				t.Errorf("alarm %s: expression %q leaves out %s", tp.name(id), expr, m["Id"])
			}
			n++
		}
		if n > 10 {
			t.Errorf("alarm %s sums %d metrics; CloudWatch allows 10", tp.name(id), n)
		}
	}
	rules := tp.ofType("AWS::Events::Rule")
	for id := range rules {
		if seen[tp.name(id)] != 1 {
			t.Errorf("rule %s is in %d FailedInvocations alarms, want 1", tp.name(id), seen[tp.name(id)])
		}
	}
	if len(seen) != len(rules) {
		t.Errorf("alarms watch %d rules; the stack has %d", len(seen), len(rules))
	}
}

// TestAlertKeyTagged: the alert key carries the tag that the KMS rollbacks'
// statements require, so they reach it and no other key.
func TestAlertKeyTagged(t *testing.T) {
	tp := synth(t, synthDefaults).main()
	k, v, _ := strings.Cut(action.AlertKeyTag, "=")
	key := props(tp.resources[tp.byName(t, "AlertsKey")])
	tags, _ := key["Tags"].([]any)
	if !slices.ContainsFunc(tags, func(x any) bool {
		m, _ := x.(map[string]any)
		return m["Key"] == k && m["Value"] == v
	}) {
		t.Errorf("AlertsKey tags = %v, want %s", tags, action.AlertKeyTag)
	}
	if n := len(tp.ofType("AWS::KMS::Key")); n != 1 {
		t.Errorf("%d KMS keys; the tag must mark exactly the alert key", n)
	}
}

// TestConfirmationQueue: a family with a rule in remediate mode gets a queue
// through which its rollbacks wait for CloudTrail (a dead-letter queue after
// five failed receives, a visibility of six function timeouts, one message
// per invocation), and its role exactly what that takes; a family that never
// rolls back, or a stack with confirmWithCloudTrail off, gets none of it.
func TestConfirmationQueue(t *testing.T) {
	if n := len(synth(t, synthDefaults).main().confirmQueues()); n != 0 {
		t.Errorf("defaults (nothing rolls back): %d confirmation queues, want none", n)
	}
	tp := synth(t, synthBundled).main()
	queues := tp.confirmQueues()
	if len(queues) != 1 || tp.name(queues[0]) != "AccessKeysConfirm" {
		t.Fatalf("bundled (access-key-created remediates): confirmation queues %v, want AccessKeysConfirm", queues)
	}
	q := props(tp.resources[queues[0]])
	if q["VisibilityTimeout"] != float64(6*functionTimeout) || q["SqsManagedSseEnabled"] != true {
		t.Errorf("queue %v: want visibility %d and SQS-managed encryption", q, 6*functionTimeout)
	}
	if rp, _ := q["RedrivePolicy"].(map[string]any); rp["maxReceiveCount"] != float64(5) || tp.canon(rp["deadLetterTargetArn"]) != "{AccessKeysConfirmDeadLetters.Arn}" {
		t.Errorf("redrive %v: want the dead-letter queue after 5 receives", q["RedrivePolicy"])
	}
	fns := tp.functionsByFamily(t)
	var mapped bool
	for _, m := range tp.ofType("AWS::Lambda::EventSourceMapping") {
		p := props(m)
		if tp.canon(p["EventSourceArn"]) == "{AccessKeysConfirm.Arn}" && tp.canon(p["FunctionName"]) == "{"+tp.name(fns[rules.AccessKeys.ID])+"}" && p["BatchSize"] == float64(1) {
			mapped = true
		}
	}
	if !mapped {
		t.Error("no event source mapping from AccessKeysConfirm to access-keys with batch size 1")
	}
	want := []stmt{
		{Sid: lookupEventsSid, Effect: "Allow", Actions: []string{"cloudtrail:LookupEvents"}, Resources: []string{"*"}},
		{Sid: "QueueConfirmations", Effect: "Allow", Actions: []string{"sqs:SendMessage"}, Resources: []string{"{AccessKeysConfirm.Arn}"}},
		{Sid: "ReceiveConfirmations", Effect: "Allow", Actions: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"},
			Resources: []string{"{AccessKeysConfirm.Arn}"}},
	}
	for fam, fn := range fns {
		var got []stmt
		for _, s := range tp.roleStatements(t, roleOf(tp, fn)) {
			if s.Sid == lookupEventsSid || strings.Contains(s.Sid, "Confirmations") {
				got = append(got, s)
			}
		}
		sort.Slice(got, func(i, j int) bool { return got[i].Sid < got[j].Sid })
		w := want
		if fam != rules.AccessKeys.ID {
			w = nil
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s confirmation statements (-want +got):\n%s", fam, diff)
		}
	}
}

// confirmQueues are the logical IDs of the confirmation queues.
func (tp *tmpl) confirmQueues() []string {
	var out []string
	for id := range tp.ofType("AWS::SQS::Queue") {
		if strings.HasSuffix(tp.name(id), "Confirm") {
			out = append(out, id)
		}
	}
	return out
}

// TestOutcomeTable: the table where rollbacks' outcomes are claimed and
// recorded is on demand, keyed as the store writes it, expires items
// through the store's TTL attribute, is encrypted with the alert key (the
// stack's customer managed key), has point-in-time recovery, and is kept
// and protected from deletion, as a security log.
func TestOutcomeTable(t *testing.T) {
	tp := synth(t, synthDefaults).main()
	tables := tp.ofType("AWS::DynamoDB::Table")
	if len(tables) != 1 {
		t.Fatalf("%d DynamoDB tables, want 1", len(tables))
	}
	id := tp.byName(t, "OutcomeTable")
	r := tp.resources[id]
	if r["DeletionPolicy"] != "Retain" || r["UpdateReplacePolicy"] != "Retain" {
		t.Errorf("table DeletionPolicy %v UpdateReplacePolicy %v, want Retain", r["DeletionPolicy"], r["UpdateReplacePolicy"])
	}
	got := tp.canon(props(r)).(map[string]any)
	want := map[string]any{
		"BillingMode": "PAY_PER_REQUEST",
		"KeySchema": []any{
			map[string]any{"AttributeName": dynamostore.PartitionKey, "KeyType": "HASH"},
			map[string]any{"AttributeName": dynamostore.SortKey, "KeyType": "RANGE"},
		},
		"AttributeDefinitions": []any{
			map[string]any{"AttributeName": dynamostore.PartitionKey, "AttributeType": "S"},
			map[string]any{"AttributeName": dynamostore.SortKey, "AttributeType": "S"},
		},
		"TimeToLiveSpecification":          map[string]any{"AttributeName": dynamostore.TTLAttribute, "Enabled": true},
		"SSESpecification":                 map[string]any{"SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": "{AlertsKey.Arn}"},
		"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		"DeletionProtectionEnabled":        true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("OutcomeTable properties (-want +got):\n%s", diff)
	}
	// Only the acting families' roles name the table, and only with the
	// store's calls (TestFunctionRolesExactly holds each role to that).
	for _, f := range rules.Families() {
		role := roleOf(tp, tp.functionsByFamily(t)[f.ID])
		var named bool
		for _, st := range tp.roleStatements(t, role) {
			if slices.Contains(st.Resources, "{OutcomeTable.Arn}") {
				named = true
				if diff := cmp.Diff(dynamostore.Calls, st.Actions); diff != "" || st.Condition != "" {
					t.Errorf("%s: statement %s on the table (-want +got actions):\n%s condition %s", f.ID, st.Sid, diff, st.Condition)
				}
			}
		}
		if named != (len(f.Actions()) > 0) {
			t.Errorf("%s: role names the table = %v, want %v (it can roll back: %v)", f.ID, named, !named, len(f.Actions()) > 0)
		}
	}
}
