package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

// TestCanary: the schedule, the policy that grants nothing, the role that
// may only tag it, and the blind alarm that treats silence as breaching;
// none of them with canaryMinutes 0.
func TestCanary(t *testing.T) {
	for _, tc := range []struct {
		synth   string
		minutes int
	}{{synthDefaults, 60}, {synthFull, 30}, {synthBundled, 0}} {
		t.Run(tc.synth, func(t *testing.T) {
			tp := synth(t, tc.synth).main()
			schedules := tp.ofType("AWS::Scheduler::Schedule")
			alarms := 0
			for id := range tp.ofType("AWS::CloudWatch::Alarm") {
				if tp.name(id) == "BlindAlarm" {
					alarms++
				}
			}
			if tc.minutes == 0 {
				if len(schedules) != 0 || alarms != 0 {
					t.Errorf("canaryMinutes 0: %d schedules, %d blind alarms", len(schedules), alarms)
				}
				return
			}
			if len(schedules) != 1 || alarms != 1 {
				t.Fatalf("%d schedules, %d blind alarms; want one of each", len(schedules), alarms)
			}
			var sched map[string]any
			for _, s := range schedules {
				sched = tp.canon(props(s)).(map[string]any)
			}
			target := sched["Target"].(map[string]any)
			if sched["ScheduleExpression"] != "rate("+itoa(tc.minutes)+" minutes)" || sched["State"] != "ENABLED" ||
				target["Arn"] != canarySDKTarget || target["RoleArn"] != "{CanaryRole.Arn}" {
				t.Errorf("schedule = %v", sched)
			}
			// The input is the TagPolicy request: the canary policy, the key.
			input := tp.str(props(tp.resources[scheduleID(tp)])["Target"].(map[string]any)["Input"])
			var req struct {
				PolicyArn string
				Tags      []struct{ Key, Value string }
			}
			if err := json.Unmarshal([]byte(input), &req); err != nil {
				t.Fatalf("schedule input %q: %v", input, err)
			}
			if req.PolicyArn != "{CanaryPolicy}" || len(req.Tags) != 1 || req.Tags[0].Key != rules.CanaryTagKey || req.Tags[0].Value != "<aws.scheduler.scheduled-time>" {
				t.Errorf("schedule input = %+v", req)
			}

			// The policy: under the canary path, attached to nothing, no Allow.
			pol := props(tp.resources[tp.byName(t, "CanaryPolicy")])
			if pol["Path"] != rules.CanaryPolicyPath || pol["Roles"] != nil || pol["Users"] != nil || pol["Groups"] != nil {
				t.Errorf("canary policy = %v", tp.canon(pol))
			}
			for _, s := range tp.statements(pol["PolicyDocument"]) {
				if s.Effect != "Deny" {
					t.Errorf("canary policy grants %+v", s)
				}
			}

			// The role: assumed by Scheduler for this account only; one
			// statement, the one tag action on the one policy.
			roleID := tp.byName(t, "CanaryRole")
			trust := tp.statements(props(tp.resources[roleID])["AssumeRolePolicyDocument"])
			if len(trust) != 1 || trust[0].Principal != `{"Service":"scheduler.amazonaws.com"}` || trust[0].Condition != `{"StringEquals":{"aws:SourceAccount":"{AWS::AccountId}"}}` {
				t.Errorf("canary role trust = %+v", trust)
			}
			want := []stmt{{Sid: "TagTheCanaryPolicyOnly", Effect: "Allow", Actions: []string{"iam:TagPolicy"}, Resources: []string{"{CanaryPolicy}"},
				Condition: `{"ForAllValues:StringEquals":{"aws:TagKeys":["` + rules.CanaryTagKey + `"]}}`}}
			if diff := cmp.Diff(want, tp.roleStatements(t, roleID)); diff != "" {
				t.Errorf("canary role statements (-want +got):\n%s", diff)
			}

			// The alarm: no heartbeat in the period plus the margin, and
			// missing data counts as none.
			a := tp.canon(props(tp.resources[tp.byName(t, "BlindAlarm")])).(map[string]any)
			wantAlarm := map[string]any{
				"Namespace": guard.MetricNamespace, "MetricName": guard.MetricHeartbeat,
				"Dimensions": []any{map[string]any{"Name": guard.MetricDimension, "Value": rules.AuditGuard.ID},
					map[string]any{"Name": guard.MetricStackDimension, "Value": mainStackID}},
				"Statistic": "Sum", "Period": float64((tc.minutes + 15) * 60), "EvaluationPeriods": float64(1),
				"Threshold": float64(1), "ComparisonOperator": "LessThanThreshold", "TreatMissingData": "breaching",
				"AlarmActions": []any{"{Alerts}"}, "OKActions": []any{"{Alerts}"},
			}
			for k, v := range wantAlarm {
				if diff := cmp.Diff(v, a[k]); diff != "" {
					t.Errorf("blind alarm %s (-want +got):\n%s", k, diff)
				}
			}
			if d, _ := a["AlarmDescription"].(string); !strings.HasPrefix(d, "iamguard is blind") {
				t.Errorf("blind alarm description %q", d)
			}
			mustAssert(t, "outputs", func() {
				tp.assert.HasOutput(jsii.String("CanaryPolicyArn"), map[string]any{"Value": map[string]any{"Ref": tp.byName(t, "CanaryPolicy")}})
				tp.assert.HasOutput(jsii.String("CanaryRoleArn"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{roleID, "Arn"}}})
			})
		})
	}
}

func scheduleID(tp *tmpl) string {
	for id := range tp.ofType("AWS::Scheduler::Schedule") {
		return id
	}
	return ""
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
