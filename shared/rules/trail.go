package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/eventpattern"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// AuditGuard is the function that watches what watches: the trail first.
var AuditGuard = &Family{ID: "audit-guard", Summary: "what blinds the account: the trail, the other detection services, the organisation's guardrails, iamguard itself; the canary's heartbeat; notify, optionally start a stopped trail again"}

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
		"multi-Region, global-service events, log-file validation, organisation-wide logging or CloudWatch Logs delivery (high), or setting " +
		"the bucket, KMS key or log group (medium: the event does not show whether they changed); event selectors that stop recording " +
		"management events, their writes or some services' management events; a CloudTrail Lake event data store deleted or its " +
		"ingestion stopped (high; notify).",
	FiresOn: "a successful CloudTrail `StopLogging`, `DeleteTrail`, `UpdateTrail`, `PutEventSelectors` (basic or advanced selectors), " +
		"`DeleteEventDataStore` or `StopEventDataStoreIngestion`, in any Region the stack watches (list every Region that holds a trail in `forwardRegions`)",
	Severities: "critical when a trail is stopped or deleted (every rule goes blind); high when an update turns off multi-Region, " +
		"global-service events, log-file validation, organisation-wide logging or CloudWatch Logs delivery; medium when it only sets the " +
		"bucket, KMS key or log group (the console resends them on every save, so the event cannot tell a change); high when selectors " +
		"stop recording management events, their writes or some services' management events; high when a CloudTrail Lake store is deleted or stops ingesting",
	NoRollback: "everything but StopLogging: a deleted trail's configuration is gone (the alert gives the commands to recreate it); an " +
		"update's or selector change's previous configuration is not in the event; iamguard does not act on CloudTrail Lake",
	Family:   AuditGuard,
	Patterns: []eventpattern.Pattern{apiCalls("aws.cloudtrail", "cloudtrail.amazonaws.com", trailEvents...)},
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
	region, foreign := trailRegion(rec, name)
	f.Target = trailARN(rec, name, region)
	label := orName(lastSegment(name), "(trail not named in the event)")
	switch rec.EventName {
	case "StopLogging":
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("%s stopped CloudTrail logging on trail %s in %s (%s)", actorName(rec), label, f.Account, region)
		f.Reasons = append(f.Reasons, "a stopped trail records nothing: every rule that depends on CloudTrail, iamguard's included, goes blind from now on",
			"stopping the trail is a classic first step of an attacker hiding what comes next (MITRE ATT&CK T1562.008)")
		switch {
		case name == "":
			f.Unresolved = "the event does not name the trail"
		case foreign != "":
			f.Unresolved = foreign
		case !validRegion(region):
			f.Unresolved = "the event names no valid Region for the trail (" + region + ")"
		}
		if f.Unresolved != "" {
			f.RemediationNote = "no rollback is planned for a trail the event does not name as one of this account's (" + f.Unresolved +
				"); check the account's trails: aws cloudtrail describe-trails --region REGION, then aws cloudtrail start-logging --name TRAIL --region REGION"
			break
		}
		a := action.StartLogging
		f.Remediation = a.Plan(fmt.Sprintf("start logging again on trail %s in %s", name, region), "Name", name, "Region", region)
		f.Remediation.Undo = a.UndoStep("Name", name, "Region", region)
	case "DeleteTrail":
		f.Severity = severity.Critical
		f.Summary = fmt.Sprintf("%s deleted CloudTrail trail %s in %s (%s)", actorName(rec), label, f.Account, region)
		f.Reasons = append(f.Reasons, "a deleted trail records nothing and its configuration is gone: events after this one may never reach EventBridge or S3")
		if strings.EqualFold(label, stackTrailName) {
			f.Reasons = append(f.Reasons, "the trail has the name iamguard's stack gives the trail it creates with createTrail ("+stackTrailName+"): if it is that trail, redeploying the stack (cdk deploy) recreates it")
		}
		f.RemediationNote = "no rollback exists: a deleted trail cannot be restored. Recreate a multi-Region trail, then start it: " +
			"aws cloudtrail create-trail --name " + finding.ShellQuote(orName(lastSegment(name), "TRAIL")) + " --s3-bucket-name BUCKET " +
			"--is-multi-region-trail --include-global-service-events --enable-log-file-validation --region " + finding.ShellQuote(region) +
			" && aws cloudtrail start-logging --name " + finding.ShellQuote(orName(lastSegment(name), "TRAIL")) + " --region " + finding.ShellQuote(region) +
			" (BUCKET: the deleted trail's bucket, in its CreateTrail or UpdateTrail event; `iamguard check` over the history shows it)"
	case "UpdateTrail":
		narrowed, redirected := updateNarrows(rec)
		switch {
		case len(narrowed) > 0:
			f.Severity = severity.High
			f.Summary = fmt.Sprintf("%s narrowed CloudTrail trail %s in %s: %s", actorName(rec), label, f.Account, strings.Join(narrowed, ", "))
		case len(redirected) > 0:
			// The console sends the bucket (and the key) on every save:
			// the event cannot tell a new destination from the same one.
			f.Severity = severity.Medium
			f.Summary = fmt.Sprintf("%s updated CloudTrail trail %s in %s: %s", actorName(rec), label, f.Account, strings.Join(redirected, ", "))
		default:
			return nil
		}
		f.Reasons = append(f.Reasons, narrowed...)
		f.Reasons = append(f.Reasons, redirected...)
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

// stackTrailName is the name iamguard's stack gives the trail it creates
// (createTrail): <stack name>-trail, and the app names its stack Iamguard.
const stackTrailName = "Iamguard-trail"

// trailRegion is the trail's home Region: the one in its ARN, or the Region
// of the call, where StopLogging and DeleteTrail must be made. foreign says
// why a name that is an ARN is not one of this account's trails.
func trailRegion(rec *cloudtrail.Record, name string) (region, foreign string) {
	a, ok := awsarn.Parse(name)
	if !ok {
		return rec.AWSRegion, ""
	}
	switch {
	case a.Service != "cloudtrail" || a.ResourceType() != "trail":
		return a.Region, "the event names " + name + ", which is not a trail ARN"
	case a.Account != rec.Account():
		return a.Region, "the event names a trail of account " + a.Account + ", not of " + rec.Account()
	}
	return a.Region, ""
}

// validRegion reports whether s has the shape of an AWS Region name
// (us-east-1, eu-central-2, us-gov-west-1): a plan names no other.
func validRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(s) > 32 {
		return false
	}
	for i, p := range parts {
		switch {
		case p == "":
			return false
		case i == len(parts)-1:
			if strings.Trim(p, "0123456789") != "" {
				return false
			}
		case strings.Trim(p, "abcdefghijklmnopqrstuvwxyz") != "":
			return false
		}
	}
	return true
}

// trailARN names the trail as an ARN, building it from the name when the
// event gave only that.
func trailARN(rec *cloudtrail.Record, name, region string) string {
	if strings.HasPrefix(name, "arn:") || name == "" {
		return name
	}
	return fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", partition(rec), region, rec.Account(), name)
}

// updateNarrows lists what an UpdateTrail turns off (narrowed) and which
// destinations it sets (redirected). The console sends every field on each
// save, so a destination may be unchanged: the reason says so.
func updateNarrows(rec *cloudtrail.Record) (narrowed, redirected []string) {
	off := func(param, what string) {
		if v := rec.RequestParam(param); strings.EqualFold(v, "false") {
			narrowed = append(narrowed, what+" turned off ("+param+" false)")
		}
	}
	off("isMultiRegionTrail", "multi-Region logging")
	off("includeGlobalServiceEvents", "global-service events (IAM, STS, sign-in)")
	off("enableLogFileValidation", "log-file validation")
	off("isOrganizationTrail", "logging for the organisation's other accounts")
	if raw := rec.RequestParamRaw("cloudWatchLogsLogGroupArn"); raw != nil && string(raw) != "null" && rec.RequestParam("cloudWatchLogsLogGroupArn") == "" {
		narrowed = append(narrowed, "delivery to CloudWatch Logs removed (cloudWatchLogsLogGroupArn empty)")
	}
	for _, d := range []struct{ param, what string }{
		{"s3BucketName", "the S3 bucket"},
		{"kmsKeyId", "the KMS key"},
		{"cloudWatchLogsLogGroupArn", "the CloudWatch Logs group"},
	} {
		// An empty kmsKeyId is what the console sends for a trail without
		// a key: it changes nothing.
		if v := rec.RequestParam(d.param); v != "" {
			redirected = append(redirected, d.what+" set to "+v+" (the event does not show whether it changed)")
		}
	}
	return narrowed, redirected
}

// eventSelector and advancedSelector are PutEventSelectors' request shapes.
type eventSelector struct {
	ReadWriteType                 string   `json:"readWriteType"`
	IncludeManagementEvents       *bool    `json:"includeManagementEvents"`
	ExcludeManagementEventSources []string `json:"excludeManagementEventSources"`
}

type advancedSelector struct {
	FieldSelectors []struct {
		Field         string   `json:"field"`
		Equals        []string `json:"equals"`
		NotEquals     []string `json:"notEquals"`
		StartsWith    []string `json:"startsWith"`
		NotStartsWith []string `json:"notStartsWith"`
		EndsWith      []string `json:"endsWith"`
		NotEndsWith   []string `json:"notEndsWith"`
	} `json:"fieldSelectors"`
}

// excludable are the management event sources AWS lets a selector leave out
// (AWS KMS and the RDS Data API, both high-volume): leaving them out keeps
// every IAM, sign-in and configuration change.
var excludable = []string{"kms.amazonaws.com", "rdsdata.amazonaws.com"}

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
			management, writes, allSources := false, true, true
			for _, fs := range s.FieldSelectors {
				switch fs.Field {
				case "eventCategory":
					management = contains(fs.Equals, "Management")
				case "readOnly":
					writes = !contains(fs.Equals, "true") && !contains(fs.NotEquals, "false")
				case "eventSource":
					// Any filter on the sources but leaving out KMS or the
					// RDS Data API drops some management events.
					allSources = len(fs.Equals)+len(fs.StartsWith)+len(fs.EndsWith)+len(fs.NotStartsWith)+len(fs.NotEndsWith) == 0 &&
						onlyExcludable(fs.NotEquals)
				}
			}
			if management && writes && allSources {
				return "", ""
			}
		}
		return "no advanced event selector records every source's management events with their writes", ""
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
		if (s.IncludeManagementEvents == nil || *s.IncludeManagementEvents) && writes && onlyExcludable(s.ExcludeManagementEventSources) {
			return "", ""
		}
	}
	return "no event selector records management events with their writes (includeManagementEvents false or readWriteType ReadOnly)", ""
}

// onlyExcludable reports whether every source left out is one AWS lets a
// selector leave out without losing IAM's, sign-in's or any configuration
// change's events.
func onlyExcludable(sources []string) bool {
	for _, src := range sources {
		if !contains(excludable, src) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
