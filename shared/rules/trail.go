package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// AuditGuard is the function that watches what watches: the trail first.
var AuditGuard = &Family{ID: "audit-guard", Summary: "changes that blind CloudTrail; notify, optionally start a stopped trail again"}

// trailEvents are the CloudTrail calls that can stop, remove or narrow what
// the account records.
var trailEvents = []string{"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "DeleteEventDataStore", "StopEventDataStoreIngestion"}

// trailTampering watches the trail. Every CloudTrail event reaches
// EventBridge only while a trail logs, so StopLogging silences every other
// rule. CloudTrail events arrive in the Region of the call, so the pattern is
// not pinned to IAM's Region: the forwarding stacks carry it from every
// Region listed in forwardRegions.
var trailTampering = &Rule{
	ID:    "trail-tampering",
	Title: "CloudTrail logging stopped, deleted or narrowed",
	Description: "A trail was stopped (critical: every rule goes blind; the rollback starts it again in its home Region) or deleted " +
		"(critical; no rollback exists, the alert gives the commands to recreate it), or logging was narrowed: UpdateTrail turning off " +
		"multi-Region, global-service events or log-file validation, or setting the bucket, KMS key or CloudWatch Logs group; event " +
		"selectors that stop recording management events or their writes; a CloudTrail Lake event data store deleted or its ingestion " +
		"stopped (high; notify).",
	FiresOn: "a successful CloudTrail `StopLogging`, `DeleteTrail`, `UpdateTrail`, `PutEventSelectors` (basic or advanced selectors), " +
		"`DeleteEventDataStore` or `StopEventDataStoreIngestion`, in any Region the stack watches (list every Region that holds a trail in `forwardRegions`)",
	Severities: "critical when a trail is stopped or deleted (every rule goes blind); high when an update turns off multi-Region, " +
		"global-service events or log-file validation, or sets the bucket, KMS key or CloudWatch Logs group; high when selectors stop " +
		"recording management events or their writes; high when a CloudTrail Lake store is deleted or stops ingesting",
	NoRollback: "everything but StopLogging: a deleted trail's configuration is gone (the alert gives the commands to recreate it); an " +
		"update's or selector change's previous configuration is not in the event; iamguard does not act on CloudTrail Lake",
	Family: AuditGuard,
	Patterns: []eventpattern.Pattern{{
		"source":      strs("aws.cloudtrail"),
		"detail-type": strs(DetailTypeAPICall),
		"detail": map[string]any{
			"eventSource": strs("cloudtrail.amazonaws.com"),
			"eventName":   strs(trailEvents...),
			"errorCode":   successOnly,
		},
	}},
	Actions:  []*action.Action{action.StartLogging},
	evaluate: evaluateTrailTampering,
}

func evaluateTrailTampering(_ context.Context, ev *evaluation) []finding.Finding {
	rec := ev.rec
	if rec.Failed() || rec.EventSource != "cloudtrail.amazonaws.com" || (rec.EventType != "" && rec.EventType != "AwsApiCall") {
		return nil
	}
	f := newFinding("trail-tampering", rec)
	name := rec.RequestParam("name")
	if name == "" {
		name = rec.RequestParam("trailName")
	}
	region := trailRegion(name, rec.AWSRegion)
	f.Target = trailARN(rec, name, region)
	label := orName(lastSegment(name), "(trail not named in the event)")
	switch rec.EventName {
	case "StopLogging":
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("%s stopped CloudTrail logging on trail %s in %s (%s)", actorName(rec), label, f.Account, region)
		f.Reasons = append(f.Reasons, "a stopped trail records nothing: every rule that depends on CloudTrail, iamguard's included, goes blind from now on",
			"stopping the trail is a classic first step of an attacker hiding what comes next (MITRE ATT&CK T1562.008)")
		if name == "" {
			f.Unresolved = "the event does not name the trail"
			f.RemediationNote = "start the trail by hand: aws cloudtrail start-logging --name TRAIL --region " + finding.ShellQuote(region)
			break
		}
		a := action.StartLogging
		f.Remediation = a.Plan(fmt.Sprintf("start logging again on trail %s in %s", name, region), "Name", name, "Region", region)
		f.Remediation.Undo = a.UndoStep("Name", name, "Region", region)
	case "DeleteTrail":
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("%s deleted CloudTrail trail %s in %s (%s)", actorName(rec), label, f.Account, region)
		f.Reasons = append(f.Reasons, "a deleted trail records nothing and its configuration is gone: events after this one may never reach EventBridge or S3")
		if isStackTrail(label) {
			f.Reasons = append(f.Reasons, "the trail's name is the one iamguard's stack gives the trail it creates (createTrail): redeploying the stack (cdk deploy) recreates it")
		}
		f.RemediationNote = "no rollback exists: a deleted trail cannot be restored. Recreate a multi-Region trail, then start it: " +
			"aws cloudtrail create-trail --name " + finding.ShellQuote(orName(lastSegment(name), "TRAIL")) + " --s3-bucket-name BUCKET " +
			"--is-multi-region-trail --include-global-service-events --enable-log-file-validation --region " + finding.ShellQuote(region) +
			" && aws cloudtrail start-logging --name " + finding.ShellQuote(orName(lastSegment(name), "TRAIL")) + " --region " + finding.ShellQuote(region) +
			" (BUCKET: the deleted trail's bucket, in its CreateTrail or UpdateTrail event; `iamguard check` over the history shows it)"
	case "UpdateTrail":
		narrowed := updateNarrows(rec)
		if len(narrowed) == 0 {
			return nil
		}
		f.Severity = severity.High
		f.Summary = fmt.Sprintf("%s narrowed CloudTrail trail %s in %s: %s", actorName(rec), label, f.Account, strings.Join(narrowed, ", "))
		f.Reasons = append(f.Reasons, narrowed...)
		f.Reasons = append(f.Reasons, "the previous configuration is not in the event; `iamguard check` over the history shows it when it holds the trail's earlier CreateTrail or UpdateTrail")
		f.RemediationNote = "iamguard does not rewrite a trail's configuration: check the trail (aws cloudtrail get-trail --name " + finding.ShellQuote(orName(name, "TRAIL")) +
			" --region " + finding.ShellQuote(region) + ") and put back what was turned off with aws cloudtrail update-trail"
	case "PutEventSelectors":
		why, unresolved := selectorsNarrow(rec)
		switch {
		case unresolved != "":
			f.Severity = severity.Medium
			f.Unresolved = unresolved
			f.Reasons = append(f.Reasons, "iamguard could not read the selectors: "+unresolved)
		case why == "":
			return nil
		default:
			f.Severity = severity.High
			f.Reasons = append(f.Reasons, why, "management events are where IAM, sign-in and configuration changes are recorded: without them iamguard and every other rule goes blind")
		}
		f.Summary = fmt.Sprintf("%s changed the event selectors of trail %s in %s: %s", actorName(rec), label, f.Account, orName(why, "selectors unreadable"))
		f.RemediationNote = "iamguard does not rewrite event selectors: put back a selector that records management events, read and write, with aws cloudtrail put-event-selectors --trail-name " +
			finding.ShellQuote(orName(name, "TRAIL")) + " --region " + finding.ShellQuote(region) + " --event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'"
	case "DeleteEventDataStore", "StopEventDataStoreIngestion":
		store := rec.RequestParam("eventDataStore")
		f.Target = store
		f.Severity = severity.High
		verb := "deleted"
		if rec.EventName == "StopEventDataStoreIngestion" {
			verb = "stopped ingestion into"
		}
		f.Summary = fmt.Sprintf("%s %s CloudTrail Lake event data store %s in %s (%s)", actorName(rec), verb, orName(lastSegment(store), "(not named)"), f.Account, region)
		f.Reasons = append(f.Reasons, "a CloudTrail Lake event data store that is deleted or not ingesting no longer keeps the account's events for search and investigation")
		f.RemediationNote = "iamguard does not act on CloudTrail Lake: restore a deleted store within its 7-day wait (aws cloudtrail restore-event-data-store) or start ingestion again (aws cloudtrail start-event-data-store-ingestion)"
	default:
		return nil
	}
	return []finding.Finding{f}
}

// trailRegion is the trail's home Region: the one in its ARN, or the Region
// of the call, where StopLogging and DeleteTrail must be made.
func trailRegion(name, callRegion string) string {
	if p := strings.SplitN(name, ":", 6); len(p) == 6 && p[0] == "arn" && p[2] == "cloudtrail" && p[3] != "" {
		return p[3]
	}
	return callRegion
}

// trailARN names the trail as an ARN, building it from the name when the
// event gave only that.
func trailARN(rec *cloudtrail.Record, name, region string) string {
	if strings.HasPrefix(name, "arn:") || name == "" {
		return name
	}
	return fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", partition(rec), region, rec.Account(), name)
}

// isStackTrail reports whether a trail name is the one iamguard's stack gives
// the trail it creates (<stack name>-trail, and the stack is named iamguard…).
func isStackTrail(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "iamguard") && strings.HasSuffix(n, "-trail")
}

// updateNarrows lists what an UpdateTrail turns off or redirects. The
// console sends every field on each save, so a destination may be unchanged:
// the reason says so.
func updateNarrows(rec *cloudtrail.Record) []string {
	var out []string
	off := func(param, what string) {
		if v := rec.RequestParam(param); strings.EqualFold(v, "false") {
			out = append(out, what+" turned off ("+param+" false)")
		}
	}
	off("isMultiRegionTrail", "multi-Region logging")
	off("includeGlobalServiceEvents", "global-service events (IAM, STS, sign-in)")
	off("enableLogFileValidation", "log-file validation")
	for _, d := range []struct{ param, what string }{
		{"s3BucketName", "the S3 bucket"},
		{"kmsKeyId", "the KMS key"},
		{"cloudWatchLogsLogGroupArn", "the CloudWatch Logs group"},
	} {
		raw := rec.RequestParamRaw(d.param)
		if raw == nil || string(raw) == "null" {
			continue
		}
		v := rec.RequestParam(d.param)
		switch {
		case v == "" && d.param == "cloudWatchLogsLogGroupArn":
			out = append(out, d.what+" removed ("+d.param+" empty)")
			continue
		case v == "":
			// The console sends kmsKeyId "" on every save of a trail
			// without one: it narrows nothing.
			continue
		}
		out = append(out, d.what+" set to "+v+" (the event does not show whether it changed)")
	}
	return out
}

// eventSelector and advancedSelector are PutEventSelectors' request shapes.
type eventSelector struct {
	ReadWriteType           string `json:"readWriteType"`
	IncludeManagementEvents *bool  `json:"includeManagementEvents"`
}

type advancedSelector struct {
	FieldSelectors []struct {
		Field     string   `json:"field"`
		Equals    []string `json:"equals"`
		NotEquals []string `json:"notEquals"`
	} `json:"fieldSelectors"`
}

// selectorsNarrow says how a PutEventSelectors stops recording management
// events or their writes ("" when it does not), or why it cannot tell.
func selectorsNarrow(rec *cloudtrail.Record) (why, unresolved string) {
	if rec.RequestParametersOmitted() {
		return "", "CloudTrail omitted the request parameters (too large)"
	}
	if raw := rec.RequestParamRaw("advancedEventSelectors"); raw != nil && string(raw) != "null" {
		var sels []advancedSelector
		if err := json.Unmarshal(raw, &sels); err != nil {
			return "", "advancedEventSelectors is not a list of selectors: " + err.Error()
		}
		for _, s := range sels {
			management, writes := false, true
			for _, fs := range s.FieldSelectors {
				switch fs.Field {
				case "eventCategory":
					management = contains(fs.Equals, "Management")
				case "readOnly":
					writes = !contains(fs.Equals, "true") && !contains(fs.NotEquals, "false")
				}
			}
			if management && writes {
				return "", ""
			}
		}
		return "no advanced event selector records management events with their writes", ""
	}
	raw := rec.RequestParamRaw("eventSelectors")
	if raw == nil || string(raw) == "null" {
		return "", "the event carries neither eventSelectors nor advancedEventSelectors"
	}
	var sels []eventSelector
	if err := json.Unmarshal(raw, &sels); err != nil {
		return "", "eventSelectors is not a list of selectors: " + err.Error()
	}
	for _, s := range sels {
		writes := s.ReadWriteType == "" || strings.EqualFold(s.ReadWriteType, "All") || strings.EqualFold(s.ReadWriteType, "WriteOnly")
		if (s.IncludeManagementEvents == nil || *s.IncludeManagementEvents) && writes {
			return "", ""
		}
	}
	return "no event selector records management events with their writes (includeManagementEvents false or readWriteType ReadOnly)", ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
