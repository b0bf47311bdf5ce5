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
		{name: "update: a bucket, as the console sends on every save: medium", event: "UpdateTrail", params: `{"name":"main","s3BucketName":"attacker-bucket"}`, want: severity.Medium, wantInSummary: "attacker-bucket"},
		{name: "update: validation on, same bucket (a console save)", event: "UpdateTrail", params: `{"name":"main","s3BucketName":"b","kmsKeyId":"","enableLogFileValidation":true}`, want: severity.Medium},
		{name: "update: organisation trail cut to one account", event: "UpdateTrail", params: `{"name":"main","isOrganizationTrail":false}`, want: severity.High, wantInSummary: "organisation"},
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
		{name: "advanced: management of one source only", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","equals":["s3.amazonaws.com"]}]}]}`, want: severity.High},
		{name: "advanced: management without IAM's", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEquals":["iam.amazonaws.com"]}]}]}`, want: severity.High},
		{name: "advanced: management without KMS (AWS's documented exclusion)", event: "PutEventSelectors",
			params: `{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEquals":["kms.amazonaws.com"]}]}]}`},
		{name: "basic: KMS and RDS Data API events left out", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"excludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]}`},
		{name: "basic: IAM's events left out", event: "PutEventSelectors",
			params: `{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"excludeManagementEventSources":["iam.amazonaws.com"]}]}`, want: severity.High},
		{name: "stop of another account's trail: no plan", event: "StopLogging", params: `{"name":"arn:aws:cloudtrail:us-east-2:999999999999:trail/x"}`, want: severity.Critical},
		{name: "stop of something that is not a trail: no plan", event: "StopLogging", params: `{"name":"arn:aws:s3:::bucket/x"}`, want: severity.Critical},
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

// TestTrailNamesAreChecked: a plan names only this account's trails, in a
// Region-shaped Region; anything else is reported unresolved, with no plan.
func TestTrailNamesAreChecked(t *testing.T) {
	for _, tc := range []struct{ name, params, wantUnresolved string }{
		{"another account", `{"name":"arn:aws:cloudtrail:us-east-2:999999999999:trail/x"}`, "account 999999999999"},
		{"not a trail", `{"name":"arn:aws:s3:::bucket/x"}`, "not a trail ARN"},
		{"no name", `{}`, "does not name the trail"},
		{"a Region that is no Region", `{"name":"arn:aws:cloudtrail:$(id):111122223333:trail/x"}`, "no valid Region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := trailTampering.Evaluate(t.Context(), record(t, trailEvent("StopLogging", tc.params)), nil)
			if len(fs) != 1 || fs[0].Remediation != nil || !strings.Contains(fs[0].Unresolved, tc.wantUnresolved) {
				t.Errorf("Evaluate = %+v, want critical, unresolved %q, no plan", fs, tc.wantUnresolved)
			}
		})
	}
	for _, r := range []string{"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5"} {
		if !validRegion(r) {
			t.Errorf("validRegion(%s) = false", r)
		}
	}
	for _, r := range []string{"", "us-east", "US-EAST-1", "us-east-1a", "x-y-1;rm", "us--1"} {
		if validRegion(r) {
			t.Errorf("validRegion(%q) = true", r)
		}
	}
}
