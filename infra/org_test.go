package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
)

// The organisation combinations the tests synthesize.
const (
	synthOrg       = "org"        // remediate two rules, a forward Region, overrides
	synthOrgNotify = "org-notify" // notify only, us-east-1 only
	// synthOrgWide: every remediable rule and six forward Regions; only its
	// member template is built here (memberTemplate). The central role's
	// overflow policies are checked by TestWideRemediateIsNagClean.
	synthOrgWide = "org-wide" // every remediable rule, six forward Regions: past the inline policies' limit
)

// wideRegions are the org-wide combination's forward Regions.
var wideRegions = []any{"us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"}

const (
	testOrgID = "o-a1b2c3d4e5"
	testOU    = "ou-ab12-34cd56ef"
	testRoot  = "r-ab12"
	testB     = "444455556666"
)

func init() {
	contexts[synthOrg] = struct {
		overlay map[string]any
		bundle  bool
	}{overlay: map[string]any{
		KeyOrganizationID: testOrgID,
		KeyMemberOUs:      []any{testOU, testRoot},
		KeyRemediate:      []any{"access-key-created", "wildcard-policy"},
		KeyForwardRegions: []any{fullRegion},
		KeyAccountOverrides: `{"` + testB + `": {"remediate": ["wildcard-policy"], "exemptTargets": ["arn:aws:iam::` + testB + `:role/ops"]},` +
			`"` + testOU + `": {"dryRun": true}}`,
	}}
	contexts[synthOrgNotify] = struct {
		overlay map[string]any
		bundle  bool
	}{overlay: map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU}}
	contexts[synthOrgWide] = struct {
		overlay map[string]any
		bundle  bool
	}{overlay: map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU, KeyRemediate: toAny(remediableRules()), KeyForwardRegions: wideRegions}}
}

// normalizedResources is a template's resources without what does not
// describe them (CDK's path metadata, the functions' code assets, whose
// hashes follow the source).
func normalizedResources(res map[string]map[string]any) map[string]any {
	out := map[string]any{}
	for id, r := range res {
		c := map[string]any{}
		for k, v := range r {
			if k != "Metadata" {
				c[k] = v
			}
		}
		if p, ok := c["Properties"].(map[string]any); ok && r["Type"] == "AWS::Lambda::Function" {
			q := map[string]any{}
			for k, v := range p {
				if k != "Code" {
					q[k] = v
				}
			}
			c["Properties"] = q
		}
		out[id] = c
	}
	return out
}

// TestSingleAccountUnchanged: without the organisation keys, every stack
// synthesizes exactly the resources it did before the organisation shape
// existed. testdata/single-account-*.json hold, per stack and logical ID, the
// SHA-256 of each normalized resource (JSON, keys sorted), computed from the
// templates of commit f5e9c66 (main before this branch) by this function's
// twin; a difference names the resources that changed.
func TestSingleAccountUnchanged(t *testing.T) {
	for _, name := range []string{synthDefaults, synthFull} {
		t.Run(name, func(t *testing.T) {
			s := synth(t, name)
			got := map[string]map[string]string{}
			for id, tp := range s.templates {
				got[id] = resourceDigests(t, normalizedResources(tp.resources))
			}
			data, err := os.ReadFile(filepath.Join("testdata", "single-account-"+name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]map[string]string
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("single-account resources changed (-before +now, by SHA-256):\n%s", diff)
			}
		})
	}
}

// resourceDigests returns each resource's SHA-256, of its JSON after a
// round trip (as the goldens were made).
func resourceDigests(t *testing.T, res map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id, r := range res {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		b, _ = json.Marshal(v)
		h := sha256.Sum256(b)
		out[id] = hex.EncodeToString(h[:])
	}
	return out
}

func TestOrganizationContext(t *testing.T) {
	tests := []struct {
		name string
		ctx  map[string]any
		want string // "" for valid
	}{
		{"both", map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU + "," + testRoot}, ""},
		{"neither", map[string]any{}, ""},
		{"organisation alone", map[string]any{KeyOrganizationID: testOrgID}, "context memberOrganizationalUnits: required"},
		{"OUs alone", map[string]any{KeyMemberOUs: []any{testOU}}, "context organizationId: required"},
		{"bad IDs", map[string]any{KeyOrganizationID: "org-1", KeyMemberOUs: "ou-x"}, `"ou-x" is not an organisational unit ID`},
		{"overrides without an organisation", map[string]any{KeyAccountOverrides: map[string]any{testB: map[string]any{"dryRun": true}}}, "needs organizationId"},
		{"override widens remediate", map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU, KeyRemediate: "wildcard-policy",
			KeyAccountOverrides: `{"` + testB + `": {"remediate": ["access-key-created"]}}`}, `rule "access-key-created" is not in remediate`},
		{"override with an unknown field", map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU,
			KeyAccountOverrides: map[string]any{testB: map[string]any{"mode": "off"}}}, `unknown field "mode"`},
		{"override of no account", map[string]any{KeyOrganizationID: testOrgID, KeyMemberOUs: testOU,
			KeyAccountOverrides: map[string]any{"prod": map[string]any{}}}, `"prod" is not an account ID`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := SettingsFromContext(tc.ctx)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("SettingsFromContext = %v, want valid", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("SettingsFromContext = %v, want an error containing %q", err, tc.want)
			case tc.want == "" && (s.Organization() != (tc.ctx[KeyOrganizationID] != nil)):
				t.Errorf("Organization() = %v", s.Organization())
			}
		})
	}
}

// TestOverridesEnv: what the functions are told per account follows the
// context's overrides, and shared/config reads it back.
func TestOverridesEnv(t *testing.T) {
	s, err := SettingsFromContext(contexts[synthOrg].overlay)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rules.PolicyGuard.Rules() {
		ids = append(ids, r.ID)
	}
	env := s.overridesEnv(append(ids, "access-key-created"))
	got, err := config.ParseAccountOverrides(env)
	if err != nil {
		t.Fatalf("config rejects %s: %v", env, err)
	}
	want := map[string]config.AccountOverride{
		testB:  {Modes: map[string]finding.Mode{"access-key-created": finding.ModeNotify}, ExemptTargets: []string{"arn:aws:iam::" + testB + ":role/ops"}},
		testOU: {Modes: map[string]finding.Mode{"access-key-created": finding.ModeDryRun, "wildcard-policy": finding.ModeDryRun}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("overrides (-want +got):\n%s", diff)
	}
}

// TestOrganizationCentral: the central stack's bus, its rules, alarms,
// roles, environment and StackSet.
func TestOrganizationCentral(t *testing.T) {
	for _, name := range []string{synthOrg, synthOrgNotify} {
		t.Run(name, func(t *testing.T) {
			s := synth(t, name)
			if len(s.nagErrors) > 0 {
				t.Errorf("cdk-nag AwsSolutions errors:\n%s", strings.Join(s.nagErrors, "\n"))
			}
			tp := s.main()
			st := s.stacks.Settings
			buses := tp.ofType("AWS::Events::EventBus")
			if len(buses) != 1 {
				t.Fatalf("%d event buses, want 1", len(buses))
			}
			var busID string
			for id, b := range buses {
				busID = id
				if got := props(b)["Name"]; got != "Iamguard-org" {
					t.Errorf("bus name %v, want Iamguard-org", got)
				}
			}
			policies := tp.ofType("AWS::Events::EventBusPolicy")
			if len(policies) != 1 {
				t.Fatalf("%d bus policies, want 1", len(policies))
			}
			for _, p := range policies {
				got := tp.canon(props(p)["Statement"])
				want := map[string]any{"Sid": "AllowTheOrganizationToPutEvents", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents",
					"Resource": "{OrgBus.Arn}", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": testOrgID}}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("bus policy statement (-want +got):\n%s", diff)
				}
			}
			// Every pattern on both buses, to the same function.
			type key struct{ pattern, target string }
			onDefault, onOrg := map[key]int{}, map[key]int{}
			for _, r := range tp.ofType("AWS::Events::Rule") {
				p := props(r)
				targets := tp.canon(p["Targets"]).([]any)
				k := key{jsonText(p["EventPattern"]), targets[0].(map[string]any)["Arn"].(string)}
				if bus, ok := p["EventBusName"]; ok {
					if tp.str(bus) != "{OrgBus}" {
						t.Errorf("rule %v on bus %v", p["Name"], tp.canon(bus))
					}
					onOrg[k]++
				} else {
					onDefault[k]++
				}
			}
			if len(onDefault) == 0 || !cmp.Equal(onDefault, onOrg) {
				t.Errorf("rules on the default bus and on the organisation's differ:\n%s", cmp.Diff(onDefault, onOrg))
			}
			// Every organisation rule in exactly one FailedInvocations alarm, by bus and name.
			watched := map[string]int{}
			for _, a := range tp.ofType("AWS::CloudWatch::Alarm") {
				metrics, _ := tp.canon(props(a)["Metrics"]).([]any)
				for _, m := range metrics {
					ms, ok := m.(map[string]any)["MetricStat"].(map[string]any)
					if !ok {
						continue
					}
					metric := ms["Metric"].(map[string]any)
					if metric["MetricName"] != "FailedInvocations" {
						continue
					}
					dims := map[string]string{}
					for _, d := range metric["Dimensions"].([]any) {
						d := d.(map[string]any)
						dims[d["Name"].(string)] = tp.str(d["Value"])
					}
					if dims["EventBusName"] != "" {
						if dims["EventBusName"] != "{OrgBus}" {
							t.Errorf("alarm dimension EventBusName %q", dims["EventBusName"])
						}
						watched[dims["RuleName"]]++
					}
				}
			}
			n := 0
			for _, r := range tp.ofType("AWS::Events::Rule") {
				if p := props(r); p["EventBusName"] != nil {
					n++
					if watched[p["Name"].(string)] != 1 {
						t.Errorf("organisation rule %s is in %d FailedInvocations alarms, want 1", p["Name"], watched[p["Name"].(string)])
					}
				}
			}
			if n != len(watched) {
				t.Errorf("alarms watch %d organisation rules; the stack has %d", len(watched), n)
			}
			_ = busID

			// Roles: the acting functions may assume the responder role
			// in the organisation only; root-activity not at all.
			fns := tp.functionsByFamily(t)
			var actingRoles []string
			for _, f := range rules.Families() {
				roleID := roleOf(tp, fns[f.ID])
				var found *stmt
				for _, x := range tp.roleStatements(t, roleID) {
					if x.Sid == assumeResponderSid {
						found = &x
					}
				}
				if len(f.Actions()) == 0 {
					if found != nil {
						t.Errorf("%s may assume the responder role; it never acts", f.ID)
					}
					continue
				}
				actingRoles = append(actingRoles, "{"+tp.name(roleID)+".Arn}")
				want := stmt{Sid: assumeResponderSid, Effect: "Allow", Actions: []string{"sts:AssumeRole"},
					Resources: []string{"arn:{AWS::Partition}:iam::*:role/Iamguard-responder"},
					Condition: `{"StringEquals":{"aws:ResourceOrgID":"` + testOrgID + `"}}`}
				if found == nil || !cmp.Equal(*found, want, cmp.Comparer(func(a, b string) bool { return a == b })) {
					t.Errorf("%s: assume statement %+v, want %+v", f.ID, found, want)
				}
				env := props(tp.resources[fns[f.ID]])["Environment"].(map[string]any)["Variables"].(map[string]any)
				if env[config.EnvOrganizationID] != testOrgID || env[config.EnvResponderRole] != "Iamguard-responder" {
					t.Errorf("%s: environment %v lacks the organisation", f.ID, env)
				}
				checkOrgConfig(t, f.ID, env)
				if f == rules.AuditGuard {
					sub, _ := env[config.EnvDeployRoles].(map[string]any)["Fn::Sub"].(string)
					if !strings.Contains(sub, ",arn:${AWS::Partition}:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember") {
						t.Errorf("audit-guard's deploy roles %q lack the StackSets member role", sub)
					}
				}
				var lists *stmt
				for _, x := range tp.roleStatements(t, roleID) {
					if x.Sid == listParentsSid {
						lists = &x
					}
				}
				if wantList := name == synthOrg; (lists != nil) != wantList {
					t.Errorf("%s: ListParents statement %+v; want one exactly when an override names an OU", f.ID, lists)
				} else if lists != nil && (!slices.Equal(lists.Actions, []string{"organizations:ListParents"}) ||
					!slices.Equal(lists.Resources, []string{"arn:{AWS::Partition}:organizations::*:account/" + testOrgID + "/*", "arn:{AWS::Partition}:organizations::*:ou/" + testOrgID + "/*"})) {
					t.Errorf("%s: ListParents statement %+v", f.ID, *lists)
				}
			}

			// The StackSet.
			sets := tp.ofType("AWS::CloudFormation::StackSet")
			if len(sets) != 1 {
				t.Fatalf("%d StackSets, want 1", len(sets))
			}
			for _, set := range sets {
				p := tp.canon(props(set)).(map[string]any)
				body, _ := props(set)["TemplateBody"].(string)
				delete(p, "TemplateBody")
				if url, hasURL := p["TemplateURL"]; hasURL {
					t.Errorf("TemplateURL %v with a template that fits TemplateBody", url)
				}
				params := map[string]string{}
				for _, x := range p["Parameters"].([]any) {
					x := x.(map[string]any)
					params[x["ParameterKey"].(string)] = x["ParameterValue"].(string)
				}
				delete(p, "Parameters")
				want := map[string]any{
					"StackSetName": "Iamguard-member", "PermissionModel": "SERVICE_MANAGED", "CallAs": "DELEGATED_ADMIN",
					"Description":      p["Description"],
					"AutoDeployment":   map[string]any{"Enabled": true, "RetainStacksOnAccountRemoval": false},
					"Capabilities":     []any{"CAPABILITY_NAMED_IAM"},
					"ManagedExecution": map[string]any{"Active": true},
					"OperationPreferences": map[string]any{"RegionConcurrencyType": "PARALLEL", "MaxConcurrentPercentage": float64(100),
						"FailureTolerancePercentage": float64(10)},
					"StackInstancesGroup": []any{map[string]any{
						"DeploymentTargets": map[string]any{"OrganizationalUnitIds": toAny(st.MemberOUs), "Accounts": []any{"{AWS::AccountId}"}, "AccountFilterType": "DIFFERENCE"},
						"Regions":           toAny(append([]string{HomeRegion}, st.ForwardRegions...)),
					}},
				}
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("StackSet (-want +got):\n%s", diff)
				}
				wantParams := map[string]string{paramCentralBus: "{OrgBus.Arn}", paramCentralRoles: strings.Join(actingRoles, ",")}
				if diff := cmp.Diff(wantParams, params); diff != "" {
					t.Errorf("StackSet parameters (-want +got):\n%s", diff)
				}
				if len(body) == 0 || len(body) > maxTemplateBody {
					t.Errorf("TemplateBody is %d bytes; CloudFormation takes 1 to %d", len(body), maxTemplateBody)
				}
				t.Logf("member TemplateBody: %d bytes", len(body))
			}
		})
	}
}

func toAny(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// checkOrgConfig feeds a function's organisation variables to shared/config.
func checkOrgConfig(t *testing.T, family string, env map[string]any) {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string {
		switch k {
		case config.EnvTopicARN:
			return "arn:aws:sns:us-east-1:111122223333:iamguard-Alerts"
		case config.EnvOrganizationID, config.EnvResponderRole, config.EnvAccountOverrides, config.EnvModes:
			s, _ := env[k].(string)
			return s
		}
		return ""
	})
	if err != nil {
		t.Errorf("%s: shared/config rejects the organisation variables: %v", family, err)
		return
	}
	if !cfg.Organization() || cfg.ResponderRoleARN(testB) != "arn:aws:iam::"+testB+":role/Iamguard-responder" {
		t.Errorf("%s: config %+v", family, cfg)
	}
}

// memberTemplate is the template the StackSet deploys, as the central
// template hands it over.
func memberTemplate(t *testing.T, name string) (*tmpl, string) {
	t.Helper()
	if name == synthOrgWide {
		skipSynthIfShort(t)
		st, err := SettingsFromContext(contexts[name].overlay)
		if err != nil {
			t.Fatal(err)
		}
		body, err := memberTemplateBody(st, "Iamguard")
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(body), &raw); err != nil {
			t.Fatal(err)
		}
		return newTmpl(t, memberStackID, raw), body
	}
	s := synth(t, name)
	tp := s.main()
	for _, set := range tp.ofType("AWS::CloudFormation::StackSet") {
		body, ok := props(set)["TemplateBody"].(string)
		if !ok {
			var err error
			if body, err = memberTemplateBody(s.stacks.Settings, "Iamguard"); err != nil {
				t.Fatal(err)
			}
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(body), &raw); err != nil {
			t.Fatal(err)
		}
		return newTmpl(t, memberStackID, raw), body
	}
	t.Fatal("no StackSet")
	return nil, ""
}

// TestMemberTemplate: the forwarding rules per Region, and the responder
// role: trust limited to the central roles, exactly the calls of the rules
// in remediate mode (and every rule's lookups), in us-east-1 only.
func TestMemberTemplate(t *testing.T) {
	for _, name := range []string{synthOrg, synthOrgNotify, synthOrgWide} {
		t.Run(name, func(t *testing.T) {
			st, err := SettingsFromContext(contexts[name].overlay)
			if err != nil {
				t.Fatal(err)
			}
			mt, _ := memberTemplate(t, name)
			var doc map[string]any
			// Conditions are outside Resources: read them from the raw body.
			_, body := memberTemplate(t, name)
			_ = json.Unmarshal([]byte(body), &doc)
			cond := doc["Conditions"].(map[string]any)["InHomeRegion"]
			if got := jsonText(cond); got != `{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}` {
				t.Errorf("condition InHomeRegion = %s", got)
			}
			if _, ok := doc["Rules"]; ok {
				t.Error("the member template has Rules (CDK's bootstrap check): member accounts have no CDK bootstrap")
			}

			// Forwarding: one rule per table pattern; IAM-pinned ones in us-east-1 only.
			want := map[string]bool{} // pattern -> home only
			for _, r := range rules.Table() {
				for _, p := range r.Patterns {
					want[jsonText(p)] = onlyIAM(p)
				}
			}
			got := map[string]bool{}
			var forwardRole string
			for id, r := range mt.ofType("AWS::Events::Rule") {
				p := props(r)
				got[jsonText(p["EventPattern"])] = r["Condition"] == "InHomeRegion"
				if !strings.HasPrefix(p["Name"].(string), "Iamguard-fwd-") {
					t.Errorf("rule %s named %v", id, p["Name"])
				}
				tg := mt.canon(p["Targets"]).([]any)[0].(map[string]any)
				if tg["Arn"] != "{"+paramCentralBus+"}" || tg["DeadLetterConfig"] == nil {
					t.Errorf("rule %s targets %v", id, tg)
				}
				forwardRole = strings.TrimSuffix(strings.TrimPrefix(tg["RoleArn"].(string), "{"), ".Arn}")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("forwarding rules (pattern -> us-east-1 only) (-want +got):\n%s", diff)
			}
			fr := mt.roleStatements(t, mt.byName(t, forwardRole))
			if len(fr) != 1 || !slices.Equal(fr[0].Actions, []string{"events:PutEvents"}) || !slices.Equal(fr[0].Resources, []string{"{" + paramCentralBus + "}"}) {
				t.Errorf("forward role statements %+v, want only events:PutEvents on the central bus", fr)
			}

			// The responder role.
			roles := map[string]map[string]any{}
			for id, r := range mt.ofType("AWS::IAM::Role") {
				if props(r)["RoleName"] == "Iamguard-responder" {
					roles[id] = r
				}
			}
			if len(roles) != 1 {
				t.Fatalf("%d responder roles, want 1", len(roles))
			}
			for id, r := range roles {
				if r["Condition"] != "InHomeRegion" {
					t.Errorf("responder role condition %v, want InHomeRegion (IAM is global)", r["Condition"])
				}
				trust := mt.statements(props(r)["AssumeRolePolicyDocument"])
				wantTrust := []stmt{{Sid: "OnlyTheCentralFunctions", Effect: "Allow", Principal: `{"AWS":{"` + paramCentralRoles + `}"}`,
					Actions: []string{"sts:AssumeRole"}, Condition: `{"StringEquals":{"aws:PrincipalOrgID":"` + testOrgID + `"}}`}}
				wantTrust[0].Principal = `{"AWS":"{` + paramCentralRoles + `}"}`
				if diff := cmp.Diff(wantTrust, trust); diff != "" {
					t.Errorf("responder trust (-want +got):\n%s", diff)
				}
				var gotActions, changes []string
				held := mt.roleStatements(t, id)
				inline, _ := json.Marshal(props(r)["Policies"])
				managed := 0
				for _, mp := range mt.ofType("AWS::IAM::ManagedPolicy") {
					if jsonText(props(mp)["Roles"]) != `[{"Ref":"`+id+`"}]` || mp["Condition"] != "InHomeRegion" {
						t.Errorf("managed policy attached to %s, condition %v", jsonText(props(mp)["Roles"]), mp["Condition"])
					}
					doc, _ := json.Marshal(props(mp)["PolicyDocument"])
					if len(doc) > 6144 {
						t.Errorf("a responder managed policy has %d characters; IAM allows 6,144", len(doc))
					}
					held = append(held, mt.statements(props(mp)["PolicyDocument"])...)
					managed++
				}
				if len(inline) > 10240 || managed > 10 {
					t.Errorf("responder: %d characters inline, %d managed policies; IAM allows 10,240 and 10", len(inline), managed)
				}
				if (name == synthOrgWide) != (managed > 1) {
					t.Errorf("%s: %d managed policies; want them only past the inline limit", name, managed)
				}
				for _, x := range held {
					gotActions = append(gotActions, x.Actions...)
					for _, res := range x.Resources {
						if res != "*" && !strings.Contains(res, "{AWS::AccountId}") && !strings.Contains(res, ":aws:policy/") {
							t.Errorf("statement %s names %s, not this account's", x.Sid, res)
						}
					}
					if strings.HasPrefix(x.Sid, "Change") {
						changes = append(changes, x.Actions...)
						if strings.HasSuffix(x.Sid, "UnlessExempt") && !strings.Contains(x.Condition, `"StringNotEqualsIgnoreCase":{"aws:ResourceTag/`+st.ExemptTag+`":"true"}`) {
							t.Errorf("statement %s lacks the exempt-tag condition: %s", x.Sid, x.Condition)
						}
					}
				}
				sort.Strings(gotActions)
				wantActions := wantResponderActions(st)
				if diff := cmp.Diff(wantActions, gotActions); diff != "" {
					t.Errorf("responder actions (-want +got):\n%s", diff)
				}
				if name == synthOrgNotify && len(changes) > 0 {
					t.Errorf("notify-only organisation: the responder may change %v", changes)
				}
				if name == synthOrg && (!slices.Contains(changes, "iam:DetachUserPolicy") || !slices.Contains(changes, "iam:UpdateAccessKey") || slices.Contains(changes, "iam:DeleteLoginProfile")) {
					t.Errorf("responder changes %v: want wildcard-policy's and access-key-created's, not login-profile's", changes)
				}
			}
		})
	}
}

// wantResponderActions computes, independently of infra's code, the calls
// the responder role must grant: every rule's lookups, the remediate rules'
// actions' calls (their changes only where some account remediates), and
// LookupEvents when rollbacks are confirmed.
func wantResponderActions(s Settings) []string {
	set := map[string]bool{}
	anyRemediate := false
	for _, r := range rules.Table() {
		for _, c := range r.Lookups {
			set[c.Op] = true
		}
		if !slices.Contains(s.Remediate, r.ID) {
			continue
		}
		changes := s.ModeFor(r.ID) == finding.ModeRemediate
		anyRemediate = anyRemediate || changes
		for _, a := range r.Actions {
			for _, c := range a.Calls {
				if !c.Changes || changes {
					set[c.Op] = true
				}
			}
		}
	}
	if anyRemediate && s.ConfirmWithCloudTrail {
		set["cloudtrail:LookupEvents"] = true
	}
	var out []string
	for op := range set {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// TestOrganizationCfnLint runs cfn-lint over the organisation's templates
// (the central, forwarding and member templates), when cfn-lint is on PATH
// (CI has it; make cfn-lint lints cdk.json's single-account synthesis).
func TestOrganizationCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint not on PATH")
	}
	dir := t.TempDir()
	var files []string
	for _, name := range []string{synthOrg, synthOrgNotify} {
		s := synth(t, name)
		for id, tp := range s.templates {
			data, err := json.Marshal(*tp.assert.ToJSON())
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, name+"-"+id+".template.json")
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, dst)
		}
		_, body := memberTemplate(t, name)
		dst := filepath.Join(dir, name+"-member.template.json")
		if err := os.WriteFile(dst, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, dst)
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable"}, files...)...).CombinedOutput()
	var bad []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, ":E") || strings.Contains(line, ":error") {
			bad = append(bad, line)
		}
	}
	if len(bad) > 0 || (err != nil && len(out) == 0) {
		t.Errorf("cfn-lint errors (%v):\n%s", err, strings.Join(bad, "\n"))
	}
	t.Logf("cfn-lint: %d templates; output:\n%s", len(files), out)
}

// TestMemberTemplateByURL: a member template over TemplateBody's limit goes
// to the StackSet as a file asset (TemplateURL), whole. The limit is lowered
// here: reaching 51,200 bytes takes a dozen Regions.
func TestMemberTemplateByURL(t *testing.T) {
	saved := templateBodyLimit
	templateBodyLimit = 1000
	defer func() { templateBodyLimit = saved }()
	app, _ := newTestApp(t, contexts[synthOrgNotify].overlay, false)
	st, err := build(app, "..")
	if err != nil {
		t.Fatal(err)
	}
	tp := newTmpl(t, mainStackID, *assertions.Template_FromStack(st.Main, nil).ToJSON())
	for _, set := range tp.ofType("AWS::CloudFormation::StackSet") {
		p := props(set)
		if _, ok := p["TemplateBody"]; ok {
			t.Error("TemplateBody set past the limit")
		}
		url := jsonText(p["TemplateURL"])
		if !strings.Contains(url, "cdk-hnb659fds-assets") || !strings.Contains(url, ".json") {
			t.Errorf("TemplateURL = %s, want the CDK assets bucket's object", url)
		}
	}
	asm := app.Synth(nil)
	var found bool
	entries, _ := filepath.Glob(filepath.Join(*asm.Directory(), "asset.*.json"))
	for _, e := range entries {
		data, err := os.ReadFile(e)
		var v map[string]any
		if err == nil && json.Unmarshal(data, &v) == nil && v["Resources"] != nil {
			found = true
		}
	}
	if !found {
		t.Errorf("no staged member template asset in %s", *asm.Directory())
	}
}
