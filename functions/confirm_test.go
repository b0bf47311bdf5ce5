package functions_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
)

const confirmQueueURL = "https://sqs.us-east-1.amazonaws.com/" + account + "/Iamguard-AccessKeysConfirm"

// sqsEvent is what Lambda's SQS event source hands the function: one message.
func sqsEvent(t *testing.T, body string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Records": []map[string]any{{
		"messageId": "7f8e1c2a-0b3d-4e5f-9a6b-1c2d3e4f5a6b", "receiptHandle": "AQEB-test", "body": body,
		"attributes": map[string]string{"ApproximateReceiveCount": "1"}, "eventSource": "aws:sqs",
		"eventSourceARN": "arn:aws:sqs:us-east-1:" + account + ":Iamguard-AccessKeysConfirm", "awsRegion": "us-east-1",
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRollbackConfirmedByCloudTrail: under the emulator, in remediate mode
// with a confirmation queue, the access key is deactivated only after
// CloudTrail's LookupEvents returns the same call; before, the event waits in
// the queue and the alert says the rollback is pending. A forged queue
// message CloudTrail never confirms changes nothing.
func TestRollbackConfirmedByCloudTrail(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the functions and runs them under the emulator")
	}
	f, url := newFake(t)
	em := startEmulator(t, fnAccessKeys, url, map[string]string{
		config.EnvTopicARN:             topicARN,
		config.EnvModes:                "access-key-created=remediate",
		config.EnvRemediateMinSeverity: "medium",
		config.EnvConfirmQueueURL:      confirmQueueURL,
		config.EnvConfirmMaxMinutes:    "10",
	})
	// A change made just now: CloudTrail confirms only recent events.
	ev := event(t, "CreateAccessKey-stratus-1.json", edit{"awsRegion", "us-east-1"}, edit{"eventTime", time.Now().UTC().Format(time.RFC3339)})

	// Delivered: queued for 5 minutes, announced as pending, key untouched.
	f.Reset()
	if status, body := em.invoke(t, "confirm-01-delivered", ev); status != 200 {
		t.Fatalf("invoke: %d %s", status, body)
	}
	msgs := f.QueueMessages()
	if len(msgs) != 1 || msgs[0].QueueURL != confirmQueueURL || msgs[0].DelaySeconds != 300 {
		t.Fatalf("queued %+v, want one message to %s delayed 300 s", msgs, confirmQueueURL)
	}
	if pub := f.Published(); len(pub) != 1 || !strings.Contains(pub[0].Message, "pending-confirmation") {
		t.Fatalf("published %+v; want one saying the rollback is pending", pub)
	}
	keyStatus("malicious-iam-user", newKey, "Active")(t, f)
	for _, c := range f.Calls() {
		if c.Service == fakeaws.ServiceIAM && c.Action == "UpdateAccessKey" {
			t.Fatalf("the key was changed before CloudTrail confirmed the event")
		}
	}
	observe(fnAccessKeys, f.Calls())

	// CloudTrail has recorded it: the redelivered message rolls it back.
	rec, err := cloudtrail.DecodeRecord(ev)
	if err != nil {
		t.Fatal(err)
	}
	f.PutTrailEvent(rec.EventID, rec.Raw)
	f.Reset()
	if status, body := em.invoke(t, "confirm-02-confirmed", sqsEvent(t, msgs[0].Body)); status != 200 {
		t.Fatalf("invoke: %d %s", status, body)
	}
	keyStatus("malicious-iam-user", newKey, "Inactive")(t, f)
	lookups := 0
	for _, c := range f.Calls() {
		if c.Service == fakeaws.ServiceCloudTrail && c.Action == "LookupEvents" {
			lookups++
			if !strings.Contains(c.Params["LookupAttributes"], rec.EventID) {
				t.Errorf("LookupEvents %v does not name the event", c.Params)
			}
		}
	}
	if lookups != 1 {
		t.Errorf("%d LookupEvents calls, want 1", lookups)
	}
	if pub := f.Published(); len(pub) != 1 || pub[0].Attributes["status"] != "done" {
		t.Errorf("published %+v; want one done alert", pub)
	}
	observe(fnAccessKeys, f.Calls())

	// A forged message: an event CloudTrail never recorded, "first seen"
	// long ago. Reported as unconfirmed, nothing changed, not queued again.
	forged := event(t, "CreateAccessKey-stratus-1.json", edit{"awsRegion", "us-east-1"}, edit{"eventID", "0f0f0f0f-dead-4bee-8f00-000000000001"},
		edit{"requestParameters.userName", "ci-bot"}, edit{"responseElements.accessKey.userName", "ci-bot"}, edit{"responseElements.accessKey.accessKeyId", ciBotKey})
	body, _ := json.Marshal(map[string]any{"event": json.RawMessage(forged), "attempt": 3, "firstSeen": time.Now().Add(-time.Hour).UTC()})
	f.Reset()
	if status, out := em.invoke(t, "confirm-03-forged", sqsEvent(t, string(body))); status != 200 {
		t.Fatalf("invoke: %d %s", status, out)
	}
	keyStatus("ci-bot", ciBotKey, "Active")(t, f)
	if pub := f.Published(); len(pub) != 1 || !strings.Contains(pub[0].Message, "CloudTrail had no record of event 0f0f0f0f-dead-4bee-8f00-000000000001") {
		t.Errorf("published %+v; want one alert saying CloudTrail had no record", pub)
	}
	if n := len(f.QueueMessages()); n != 0 {
		t.Errorf("a message past the wait was queued again (%d)", n)
	}
	observe(fnAccessKeys, f.Calls())
}
