package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/severity"
)

// trailEvent is a CloudTrail API call by alice in eu-west-1.
func trailEvent(name, params string) string {
	return fmt.Sprintf(`{"eventVersion":"1.09",%s,"eventTime":"2026-11-01T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":%q,`+
		`"awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15","requestParameters":%s,"responseElements":null,`+
		`"eventID":"e-%s","eventType":"AwsApiCall","readOnly":false,"recipientAccountId":"111122223333"}`,
		userIdentity, name, params, strings.ToLower(name))
}

// TestTrailTampering: each kind of change with the severity, target and
// response it gets, and the look-alikes that fire nothing.
func TestTrailTampering(t *testing.T) {
	for _, tc := range []struct {
		name, event, params string
		want                severity.Severity // None: no finding
		wantTarget          string
		wantPlan            string // the plan's command, "" for none
		wantInSummary       string
	}{
		{name: "stop by name", event: "StopLogging", params: `{"name":"main"}`, want: severity.Critical,
			wantTarget: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main", wantPlan: "aws cloudtrail start-logging --name main --region eu-west-1"},
		{name: "stop by ARN in another Region: started in its home Region", event: "StopLogging",
			params: `{"name":"arn:aws:cloudtrail:us-east-2:111122223333:trail/org"}`, want: severity.Critical,
			wantTarget: "arn:aws:cloudtrail:us-east-2:111122223333:trail/org", wantPlan: "aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-2:111122223333:trail/org --region us-east-2"},
		{name: "stop without a name: unresolved, no plan", event: "StopLogging", params: `{}`, want: severity.Critical},
		{name: "delete", event: "DeleteTrail", params: `{"name":"main"}`, want: severity.Critical, wantInSummary: "deleted CloudTrail trail main"},
		{name: "update: single-Region", event: "UpdateTrail", params: `{"name":"main","isMultiRegionTrail":false}`, want: severity.High, wantInSummary: "multi-Region logging turned off"},
		{name: "update: no global events", event: "UpdateTrail", params: `{"name":"main","includeGlobalServiceEvents":false}`, want: severity.High},
		{name: "update: validation off", event: "UpdateTrail", params: `{"name":"main","enableLogFileValidation":false}`, want: severity.High},
		{name: "update: another bucket", event: "UpdateTrail", params: `{"name":"main","s3BucketName":"attacker-bucket"}`, want: severity.High, wantInSummary: "attacker-bucket"},
		{name: "update: CloudWatch Logs removed", event: "UpdateTrail", params: `{"name":"main","cloudWatchLogsLogGroupArn":""}`, want: severity.High},
		{name: "update that turns things on", event: "UpdateTrail", params: `{"name":"main","isMultiRegionTrail":true,"enableLogFileValidation":true}`},
		{name: "update: the console's empty kmsKeyId alone", event: "UpdateTrail", params: `{"name":"main","kmsKeyId":""}`},
		{name: "selectors: management off", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":false}]}`, want: severity.High},
		{name: "selectors: read-only", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"ReadOnly","includeManagementEvents":true}]}`, want: severity.High},
		{name: "selectors: data events added, management kept", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"dataResources":[{"type":"AWS::S3::Object","values":["arn:aws:s3"]}]}]}`},
		{name: "selectors: write-only still records writes", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"WriteOnly"}]}`},
		{name: "advanced: data only", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]}]}]}`, want: severity.High},
		{name: "advanced: management, reads only", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"readOnly","equals":["true"]}]}]}`, want: severity.High},
		{name: "advanced: management kept", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}`},
		{name: "selectors unreadable: reported, medium", event: "PutEventSelectors", params: `{"trailName":"main","eventSelectors":"all"}`, want: severity.Medium},
		{name: "lake store deleted", event: "DeleteEventDataStore", params: `{"eventDataStore":"arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/abc"}`, want: severity.High},
		{name: "lake ingestion stopped", event: "StopEventDataStoreIngestion", params: `{"eventDataStore":"abc"}`, want: severity.High},
		{name: "start logging", event: "StartLogging", params: `{"name":"main"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := trailTampering.Evaluate(t.Context(), record(t, trailEvent(tc.event, tc.params)), nil)
			if tc.want == severity.None {
				if len(fs) != 0 {
					t.Fatalf("Evaluate = %+v, want no finding", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Severity != tc.want {
				t.Fatalf("Evaluate = %+v, want one %s finding", fs, tc.want)
			}
			f := fs[0]
			if tc.wantTarget != "" && f.Target != tc.wantTarget {
				t.Errorf("target = %s, want %s", f.Target, tc.wantTarget)
			}
			switch {
			case tc.wantPlan != "" && (f.Remediation == nil || f.Remediation.Command != tc.wantPlan):
				t.Errorf("plan = %+v, want %q", f.Remediation, tc.wantPlan)
			case tc.wantPlan == "" && f.Remediation != nil:
				t.Errorf("plan = %+v, want none", f.Remediation)
			case tc.wantPlan == "" && f.RemediationNote == "":
				t.Error("no plan and no note saying what to do")
			}
			if f.Remediation != nil && (f.Remediation.Undo == nil || !strings.HasPrefix(f.Remediation.Undo.Command, "aws cloudtrail stop-logging ")) {
				t.Errorf("undo = %+v, want stop-logging", f.Remediation.Undo)
			}
			if !strings.Contains(f.Summary, tc.wantInSummary) {
				t.Errorf("summary %q lacks %q", f.Summary, tc.wantInSummary)
			}
		})
	}
}

// TestTrailTamperingFailedCallsFireNothing: a failed call changed nothing.
func TestTrailTamperingFailedCallsFireNothing(t *testing.T) {
	ev := strings.Replace(trailEvent("StopLogging", `{"name":"main"}`), `"eventType"`, `"errorCode":"AccessDenied","eventType"`, 1)
	if fs := trailTampering.Evaluate(t.Context(), record(t, ev), nil); len(fs) != 0 {
		t.Errorf("Evaluate(failed StopLogging) = %+v, want none", fs)
	}
}

// TestDeleteOfTheStacksTrail: the alert says when the deleted trail is the
// one iamguard's stack created.
func TestDeleteOfTheStacksTrail(t *testing.T) {
	fs := trailTampering.Evaluate(t.Context(), record(t, trailEvent("DeleteTrail", `{"name":"Iamguard-trail"}`)), nil)
	if len(fs) != 1 || !strings.Contains(strings.Join(fs[0].Reasons, " "), "redeploying the stack") {
		t.Errorf("Evaluate = %+v, want a reason saying the stack recreates it", fs)
	}
	if !strings.Contains(fs[0].RemediationNote, "create-trail --name Iamguard-trail") {
		t.Errorf("note %q lacks the command to recreate the trail", fs[0].RemediationNote)
	}
}
