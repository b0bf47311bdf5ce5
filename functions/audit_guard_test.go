//go:build unix

package functions_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cstypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/config"
)

const fnAuditGuard = "audit-guard"

// TestAuditGuard runs the audit-guard bootstrap under the emulator against
// moto's CloudTrail (the trail's state) and the fake SNS (the alerts): a
// stopped trail is logging again after the StopLogging event, the same event
// again finds it logging, and an exempt trail is left alone.
func TestAuditGuard(t *testing.T) {
	w := newMotoWorld(t)
	moto, fakeURL, mcfg := w.moto, w.fakeURL, w.cfg
	ct := cloudtrail.NewFromConfig(mcfg)
	const trail, exemptTrail = "stratus-red-team-ctstop-trail-vwtfdoalnz", "break-glass-trail"
	putBucket(t, moto, "iamguard-e2e-trail-bucket")
	for _, name := range []string{trail, exemptTrail} {
		out, err := ct.CreateTrail(t.Context(), &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String("iamguard-e2e-trail-bucket")})
		if err != nil {
			t.Fatalf("CreateTrail %s: %v", name, err)
		}
		if name == exemptTrail {
			if _, err := ct.AddTags(t.Context(), &cloudtrail.AddTagsInput{ResourceId: out.TrailARN,
				TagsList: []cttypes.Tag{{Key: aws.String(exemptTag), Value: aws.String("true")}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	logging := func(name string) bool {
		t.Helper()
		st, err := ct.GetTrailStatus(t.Context(), &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
		if err != nil {
			t.Fatalf("GetTrailStatus %s: %v", name, err)
		}
		return aws.ToBool(st.IsLogging)
	}

	em := startEmulator(t, fnAuditGuard, fakeURL, map[string]string{
		config.EnvTopicARN:            topicARN,
		config.EnvModes:               "trail-tampering=remediate",
		"AWS_ENDPOINT_URL_CLOUDTRAIL": moto.URL(),
	})
	stop := func(name string) []byte {
		// The stratus detonation's StopLogging, in the Region moto serves.
		return event(t, "StopLogging-stratus-1.json", edit{"requestParameters.name", name}, edit{"awsRegion", motoserver.Region})
	}
	for i, sc := range []struct {
		name, trail string
		stopFirst   bool
		wantCalls   []string
		wantStatus  string
		wantLogging bool
	}{
		{"stopped trail started again", trail, true,
			[]string{"GetTrail", "ListTags", "GetTrailStatus", "StartLogging"}, "done", true},
		{"same event again: already logging", trail, false,
			[]string{"GetTrail", "ListTags", "GetTrailStatus"}, "already-undone", true},
		{"exempt trail left stopped", exemptTrail, true,
			[]string{"GetTrail", "ListTags"}, "skipped", false},
	} {
		t.Run(sc.name, func(t *testing.T) {
			if sc.stopFirst {
				if _, err := ct.StopLogging(t.Context(), &cloudtrail.StopLoggingInput{Name: aws.String(sc.trail)}); err != nil {
					t.Fatal(err)
				}
			}
			got, msgs := w.invoke(t, em, fnAuditGuard, "e2e-audit-guard-"+string(rune('a'+i)), "cloudtrail", stop(sc.trail))
			if strings.Join(got, ",") != strings.Join(sc.wantCalls, ",") {
				t.Errorf("CloudTrail calls = %v, want %v", got, sc.wantCalls)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.wantStatus+`\"`) {
				t.Errorf("published %d messages, want one with status %s: %+v", len(msgs), sc.wantStatus, msgs)
			}
			if sc.wantStatus == "done" && !strings.Contains(msgs[0].Message, "aws cloudtrail stop-logging --name "+sc.trail+" --region "+motoserver.Region) {
				t.Errorf("the alert lacks the undo command: %s", msgs[0].Message)
			}
			if got := logging(sc.trail); got != sc.wantLogging {
				t.Errorf("trail %s logging = %v, want %v", sc.trail, got, sc.wantLogging)
			}
		})
	}
}

// putBucket creates an S3 bucket in moto (CloudTrail requires one), signed
// as an SDK would sign it.
func putBucket(t *testing.T, moto *motoserver.Server, name string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, moto.MotoURL()+"/"+name, bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(nil)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: motoserver.AccessKeyID, SecretAccessKey: motoserver.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hash, "s3", motoserver.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create bucket %s: %s", name, resp.Status)
	}
}

// TestAuditGuardCanary: the stack's canary write becomes one heartbeat line
// in the embedded metric format and no alert, even with the canary role
// among iamguard's own; the same write by another role is an alert and no
// heartbeat.
func TestAuditGuardCanary(t *testing.T) {
	w := newMotoWorld(t)
	policyARN := "arn:aws:iam::" + account + ":policy/iamguard/canary/Iamguard-canary"
	roleARN := "arn:aws:iam::" + account + ":role/Iamguard-CanaryRole"
	em := startEmulator(t, fnAuditGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:            topicARN,
		config.EnvCanaryPolicyARN:     policyARN,
		config.EnvCanaryRoleARN:       roleARN,
		config.EnvSelfRoleARNs:        roleARN,
		"AWS_ENDPOINT_URL_CLOUDTRAIL": w.moto.URL(),
	})
	heartbeats := func() []logLine {
		var out []logLine
		for _, l := range functionLogs(t, em) {
			if _, ok := l["_aws"]; ok {
				out = append(out, l)
			}
		}
		return out
	}

	calls, msgs := w.invoke(t, em, fnAuditGuard, "e2e-canary-a", "cloudtrail", event(t, "TagPolicy-canary-derived.json"))
	if len(calls) != 0 || len(msgs) != 0 {
		t.Errorf("the canary made calls %v and published %+v; want neither", calls, msgs)
	}
	em.waitLog(5*time.Second, `"CanaryHeartbeat":1`)
	hb := heartbeats()
	if len(hb) != 1 {
		t.Fatalf("%d heartbeat lines, want 1:\n%s", len(hb), em.logs.String())
	}
	metrics, _ := hb[0]["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)
	if len(metrics) != 1 || hb[0]["Function"] != fnAuditGuard || hb[0]["CanaryHeartbeat"] != float64(1) ||
		hb[0].str("eventID") != "5c1e2a3b-0d4f-4e6a-9b7c-1d2e3f4a5b6c" {
		t.Errorf("heartbeat = %v", hb[0])
	}
	if d, _ := hb[0]["CanaryDelaySeconds"].(float64); d <= 0 {
		t.Errorf("CanaryDelaySeconds = %v, want the time since the sample's write", hb[0]["CanaryDelaySeconds"])
	}

	_, msgs = w.invoke(t, em, fnAuditGuard, "e2e-canary-b", "cloudtrail", event(t, "TagPolicy-canary-forged-derived.json"))
	if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"rule\":\"canary\"`) {
		t.Errorf("forged canary published %+v, want one canary alert", msgs)
	}
	if n := len(heartbeats()); n != 1 {
		t.Errorf("%d heartbeat lines after the forged write, want still 1", n)
	}
}

// TestAuditGuardTampering: a change to iamguard's own rule is a critical
// alert; the same kind of change made by CloudFormation, or a stack update
// by the deploy role, is not.
func TestAuditGuardTampering(t *testing.T) {
	w := newMotoWorld(t)
	em := startEmulator(t, fnAuditGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvStackName:            "Iamguard",
		config.EnvDeployRoles:          "arn:aws:iam::" + account + ":role/cdk-*-deploy-role-*,arn:aws:iam::" + account + ":role/cdk-*-cfn-exec-role-*",
		config.EnvModes:                "guardrail-tampering=remediate",
		config.EnvRemediateMinSeverity: "critical",
		"AWS_ENDPOINT_URL_CLOUDTRAIL":  w.moto.URL(),
		"AWS_ENDPOINT_URL_EVENTBRIDGE": w.moto.URL(),
		"AWS_ENDPOINT_URL_LAMBDA":      w.moto.URL(),
	})
	// iamguard's rule, disabled in moto, as the event says.
	eb := eventbridge.NewFromConfig(w.cfg)
	const ruleName = "Iamguard-TrailTamperingRule1A2B3C4D-1A2B3C4D5E6F"
	if _, err := eb.PutRule(t.Context(), &eventbridge.PutRuleInput{Name: aws.String(ruleName),
		EventPattern: aws.String(`{"source":["aws.cloudtrail"]}`), State: ebtypes.RuleStateDisabled}); err != nil {
		t.Fatal(err)
	}
	state := func() ebtypes.RuleState {
		t.Helper()
		out, err := eb.DescribeRule(t.Context(), &eventbridge.DescribeRuleInput{Name: aws.String(ruleName)})
		if err != nil {
			t.Fatal(err)
		}
		return out.State
	}
	disabled := event(t, "DisableRule-iamguard-derived.json", edit{"awsRegion", motoserver.Region})
	for i, sc := range []struct {
		name, status string
		calls        []string
	}{
		{"iamguard's rule enabled again", "done", []string{"DescribeRule", "EnableRule"}},
		{"the same event again: already enabled", "already-undone", []string{"DescribeRule"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			calls, msgs := w.invoke(t, em, fnAuditGuard, "e2e-enable-rule-"+string(rune('a'+i)), "events", disabled)
			if strings.Join(calls, ",") != strings.Join(sc.calls, ",") {
				t.Errorf("EventBridge calls = %v, want %v", calls, sc.calls)
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+sc.status+`\"`) {
				t.Errorf("published %+v, want one alert with status %s", msgs, sc.status)
			}
			if sc.status == "done" && !strings.Contains(msgs[0].Message, "aws events disable-rule --name "+ruleName+" --region "+motoserver.Region) {
				t.Errorf("the alert lacks the undo command: %s", msgs[0].Message)
			}
			if got := state(); got != ebtypes.RuleStateEnabled {
				t.Errorf("rule state = %s, want ENABLED", got)
			}
		})
	}
	deployRole := "arn:aws:iam::" + account + ":role/cdk-hnb659fds-deploy-role-" + account + "-us-east-1"
	// iamguard's function, stopped with a concurrency limit of 0.
	lc := lambda.NewFromConfig(w.cfg)
	const fnName = "Iamguard-AuditGuard03CFF6E7-Ab12Cd34Ef56"
	createFunction(t, w, lc, fnName)
	if _, err := lc.PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(fnName),
		ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	stopped := event(t, "PutFunctionConcurrency20171031-iamguard-derived.json", edit{"awsRegion", motoserver.Region})
	rollbackTwice(t, w, em, "lift-limit", "lambda", stopped, []string{"GetFunctionConcurrency", "DeleteFunctionConcurrency"},
		[]string{"GetFunctionConcurrency"}, "aws lambda put-function-concurrency --function-name "+fnName+" --reserved-concurrent-executions 0", func(string) {
			out, err := lc.GetFunctionConcurrency(t.Context(), &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(fnName)})
			if err != nil {
				t.Fatal(err)
			}
			if out.ReservedConcurrentExecutions != nil {
				t.Errorf("reserved concurrency = %d after the rollback, want none", *out.ReservedConcurrentExecutions)
			}
		})

	for i, sc := range []struct {
		name  string
		event []byte
		want  string // a fragment of the one alert, or "" for none
	}{
		{"iamguard's rule disabled", event(t, "DisableRule-iamguard-derived.json"), `DisableRule on iamguard's EventBridge rule`},
		{"iamguard's function stopped", event(t, "PutFunctionConcurrency20171031-iamguard-derived.json"), `PutFunctionConcurrency on iamguard's Lambda function`},
		{"CloudFormation deploying", event(t, "UpdateFunctionCode20150331v2-cloudformation-derived.json"), ""},
		{"another team's function", event(t, "UpdateFunctionCode20150331v2-stratus-1.json"), ""},
		{"someone else executing a change set on the stack", event(t, "DisableRule-iamguard-derived.json",
			edit{"eventSource", "cloudformation.amazonaws.com"}, edit{"eventName", "ExecuteChangeSet"},
			edit{"requestParameters", map[string]any{"stackName": "Iamguard", "changeSetName": "quiet-change"}}), `ExecuteChangeSet on iamguard's CloudFormation stack Iamguard`},
		{"the deploy role executing the stack's change set", event(t, "DisableRule-iamguard-derived.json",
			edit{"eventSource", "cloudformation.amazonaws.com"}, edit{"eventName", "ExecuteChangeSet"},
			edit{"requestParameters", map[string]any{"stackName": "Iamguard", "changeSetName": "cdk-deploy-change-set"}},
			edit{"userIdentity", map[string]any{"type": "AssumedRole", "accountId": account,
				"arn":            "arn:aws:sts::" + account + ":assumed-role/cdk-hnb659fds-deploy-role-" + account + "-us-east-1/cli",
				"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "arn": deployRole}}}}), ""},
	} {
		t.Run(sc.name, func(t *testing.T) {
			calls, msgs := w.invoke(t, em, fnAuditGuard, "e2e-tamper-"+string(rune('a'+i)), "events", sc.event)
			if len(calls) != 0 && !strings.HasPrefix(sc.name, "iamguard's") {
				t.Errorf("calls %v; guardrail-tampering only notifies", calls)
			}
			if sc.want == "" {
				if len(msgs) != 0 {
					t.Errorf("published %+v, want nothing", msgs)
				}
				return
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Message, sc.want) || !strings.Contains(msgs[0].Message, `\"severity\":\"critical\"`) {
				t.Errorf("published %+v, want one critical alert with %q", msgs, sc.want)
			}
		})
	}
}

// createFunction creates a function in moto (which stores the code and never
// runs it here) with a role of its own.
func createFunction(t *testing.T, w *motoWorld, lc *lambda.Client, name string) {
	t.Helper()
	role, err := iam.NewFromConfig(w.cfg).CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(name + "-role"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	f, err := zw.Create("bootstrap")
	if err == nil {
		_, err = f.Write([]byte("#!/bin/sh\n"))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String(name), Role: role.Role.Arn,
		Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"), Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}}); err != nil {
		t.Fatal(err)
	}
}

// TestAuditGuardConfigRecorder: a stopped AWS Config recorder is recording
// again after the StopConfigurationRecorder event, and the same event again
// finds it recording.
func TestAuditGuardConfigRecorder(t *testing.T) {
	w := newMotoWorld(t)
	cs := configservice.NewFromConfig(w.cfg)
	const bucket = "iamguard-e2e-config-bucket"
	putBucket(t, w.moto, bucket)
	role, err := iam.NewFromConfig(w.cfg).CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("config-recorder"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.PutConfigurationRecorder(t.Context(), &configservice.PutConfigurationRecorderInput{ConfigurationRecorder: &cstypes.ConfigurationRecorder{
		Name: aws.String("default"), RoleARN: role.Role.Arn}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.PutDeliveryChannel(t.Context(), &configservice.PutDeliveryChannelInput{DeliveryChannel: &cstypes.DeliveryChannel{
		Name: aws.String("default"), S3BucketName: aws.String(bucket)}}); err != nil {
		t.Fatal(err)
	}
	recording := func() bool {
		t.Helper()
		out, err := cs.DescribeConfigurationRecorderStatus(t.Context(), &configservice.DescribeConfigurationRecorderStatusInput{ConfigurationRecorderNames: []string{"default"}})
		if err != nil || len(out.ConfigurationRecordersStatus) != 1 {
			t.Fatalf("DescribeConfigurationRecorderStatus = %+v, %v", out, err)
		}
		return out.ConfigurationRecordersStatus[0].Recording
	}
	// Recording, then stopped, as the event says.
	if _, err := cs.StartConfigurationRecorder(t.Context(), &configservice.StartConfigurationRecorderInput{ConfigurationRecorderName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.StopConfigurationRecorder(t.Context(), &configservice.StopConfigurationRecorderInput{ConfigurationRecorderName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	if recording() {
		t.Fatal("moto: the recorder is still recording after StopConfigurationRecorder")
	}
	em := startEmulator(t, fnAuditGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:                topicARN,
		config.EnvModes:                   "detection-disabled=remediate",
		config.EnvRemediateMinSeverity:    "high",
		"AWS_ENDPOINT_URL_CONFIG_SERVICE": w.moto.URL(),
	})
	stopped := event(t, "StopConfigurationRecorder-elastic-integ-1.json", edit{"awsRegion", motoserver.Region},
		edit{"requestParameters", map[string]any{"configurationRecorderName": "default"}})
	rollbackTwice(t, w, em, "config", "config", stopped, []string{"DescribeConfigurationRecorderStatus", "StartConfigurationRecorder"},
		[]string{"DescribeConfigurationRecorderStatus"}, "aws configservice stop-configuration-recorder --configuration-recorder-name default --region "+motoserver.Region,
		func(status string) {
			if !recording() {
				t.Errorf("after %s the recorder is not recording", status)
			}
		})
}

// TestAuditGuardGuardDuty: a disabled GuardDuty detector is enabled again
// after the UpdateDetector event, and the same event again finds it enabled.
func TestAuditGuardGuardDuty(t *testing.T) {
	w := newMotoWorld(t)
	gd := guardduty.NewFromConfig(w.cfg)
	det, err := gd.CreateDetector(t.Context(), &guardduty.CreateDetectorInput{Enable: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(det.DetectorId)
	if _, err := gd.UpdateDetector(t.Context(), &guardduty.UpdateDetectorInput{DetectorId: det.DetectorId, Enable: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	status := func() gdtypes.DetectorStatus {
		t.Helper()
		out, err := gd.GetDetector(t.Context(), &guardduty.GetDetectorInput{DetectorId: det.DetectorId})
		if err != nil {
			t.Fatal(err)
		}
		return out.Status
	}
	if status() != gdtypes.DetectorStatusDisabled {
		t.Fatal("moto: the detector is not disabled after UpdateDetector enable false")
	}
	em := startEmulator(t, fnAuditGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvModes:                "detection-disabled=remediate",
		config.EnvRemediateMinSeverity: "high",
		"AWS_ENDPOINT_URL_GUARDDUTY":   w.moto.URL(),
	})
	disabled := event(t, "UpdateDetector-disable-derived.json", edit{"awsRegion", motoserver.Region},
		edit{"requestParameters", map[string]any{"detectorId": id, "enable": false}})
	rollbackTwice(t, w, em, "guardduty", "guardduty", disabled, []string{"GetDetector", "GetDetector", "UpdateDetector"},
		[]string{"GetDetector", "GetDetector"}, "aws guardduty update-detector --detector-id "+id+" --no-enable --region "+motoserver.Region, func(outcome string) {
			if got := status(); got != gdtypes.DetectorStatusEnabled {
				t.Errorf("after %s the detector is %s, want ENABLED", outcome, got)
			}
		})
}

// TestAuditGuardAlertKey: the alert key, scheduled for deletion, is
// enabled again (its deletion cancelled); the same event again finds it
// enabled.
func TestAuditGuardAlertKey(t *testing.T) {
	w := newMotoWorld(t)
	kc := kms.NewFromConfig(w.cfg)
	key, err := kc.CreateKey(t.Context(), &kms.CreateKeyInput{Description: aws.String("iamguard: encrypts the alert topic"),
		Tags: []kmstypes.Tag{{TagKey: aws.String("iamguard:component"), TagValue: aws.String("alert-key")}}})
	if err != nil {
		t.Fatal(err)
	}
	id, arn := aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	if _, err := kc.ScheduleKeyDeletion(t.Context(), &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	keyState := func() kmstypes.KeyState {
		t.Helper()
		out, err := kc.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return out.KeyMetadata.KeyState
	}
	if keyState() != kmstypes.KeyStatePendingDeletion {
		t.Fatal("moto: the key is not pending deletion after ScheduleKeyDeletion")
	}
	em := startEmulator(t, fnAuditGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:     topicARN,
		config.EnvStackName:    "Iamguard",
		config.EnvKeyARN:       arn,
		config.EnvModes:        "guardrail-tampering=remediate",
		"AWS_ENDPOINT_URL_KMS": w.moto.URL(),
	})
	scheduled := event(t, "ScheduleKeyDeletion-iamguard-derived.json", edit{"awsRegion", motoserver.Region}, edit{"requestParameters.keyId", id})
	rollbackTwice(t, w, em, "alert-key", "kms", scheduled, []string{"DescribeKey", "DescribeKey", "CancelKeyDeletion", "EnableKey"},
		[]string{"DescribeKey"}, "aws kms schedule-key-deletion --key-id "+id, func(status string) {
			if got := keyState(); got != kmstypes.KeyStateEnabled {
				t.Errorf("after %s the key is %s, want Enabled", status, got)
			}
		})
}

// rollbackTwice sends event twice to audit-guard under the emulator: the
// first delivery rolls the change back (status done, calls first on
// service), the second finds it undone (status already-undone, calls
// again), and undo, when given, is in the first alert. After each, check
// reads the state back from moto.
func rollbackTwice(t *testing.T, w *motoWorld, em *emulator, name, service string, ev []byte, first, again []string, undo string,
	check func(status string)) {
	t.Helper()
	for i, want := range []struct {
		status string
		calls  []string
	}{{"done", first}, {"already-undone", again}} {
		calls, msgs := w.invoke(t, em, fnAuditGuard, "e2e-"+name+"-"+string(rune('a'+i)), service, ev)
		if strings.Join(calls, ",") != strings.Join(want.calls, ",") {
			t.Errorf("%s calls = %v, want %v", service, calls, want.calls)
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0].Message, `\"status\":\"`+want.status+`\"`) {
			t.Errorf("published %+v, want one alert with status %s", msgs, want.status)
		} else if want.status == "done" && undo != "" && !strings.Contains(msgs[0].Message, undo) {
			t.Errorf("the alert lacks the undo command %q: %s", undo, msgs[0].Message)
		}
		check(want.status)
	}
}
