//go:build unix

package functions_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
)

// outcomeTable is the outcome table the test creates in moto.
const outcomeTable = "iamguard-outcomes"

// TestOneOutcomePerEvent runs policy-guard in remediate mode under the
// emulator against moto's IAM (the users and the policy it detaches) and
// DynamoDB (the outcome table), and the fake's SNS (the alerts, and the
// publish failures): every rollback happens once however often its event is
// delivered, and every alert about it, first or repeated, carries its undo.
func TestOneOutcomePerEvent(t *testing.T) {
	w := newMotoWorld(t)
	ctx := t.Context()
	ddb := dynamodb.NewFromConfig(w.cfg)
	if _, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(outcomeTable),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{
			{AttributeName: aws.String(dynamostore.PartitionKey), AttributeType: ddbtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String(dynamostore.SortKey), AttributeType: ddbtypes.ScalarAttributeTypeS},
		},
		KeySchema: []ddbtypes.KeySchemaElement{
			{AttributeName: aws.String(dynamostore.PartitionKey), KeyType: ddbtypes.KeyTypeHash},
			{AttributeName: aws.String(dynamostore.SortKey), KeyType: ddbtypes.KeyTypeRange},
		},
	}); err != nil {
		t.Fatal(err)
	}
	client := iam.NewFromConfig(w.cfg)
	// moto loads no AWS managed policy unless told to: a customer policy
	// granting * on * stands for AdministratorAccess, which policy-guard
	// reads from IAM (GetPolicy, GetPolicyVersion) as it would in an account.
	const policyName = "cg-admin"
	policyARN := "arn:aws:iam::" + motoserver.AccountID + ":policy/" + policyName
	if _, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(policyName), PolicyDocument: aws.String(adminDocument)}); err != nil {
		t.Fatal(err)
	}
	users := []string{"twice-bob", "unpublished-bob", "reset-bob", "dead-claim-bob"}
	for _, u := range users {
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(u), PolicyArn: aws.String(policyARN)}); err != nil {
			t.Fatal(err)
		}
	}
	attached := func(user string) bool {
		t.Helper()
		out, err := client.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(user)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.AttachedPolicies) > 0
	}
	em := startEmulator(t, fnPolicyGuard, w.fakeURL, map[string]string{
		config.EnvTopicARN:          topicARN,
		config.EnvModes:             "wildcard-policy=remediate",
		config.EnvOutcomeTable:      outcomeTable,
		"AWS_ENDPOINT_URL_IAM":      w.moto.URL(),
		"AWS_ENDPOINT_URL_DYNAMODB": w.moto.URL(),
	})
	// attach is the stratus detonation's AttachUserPolicy, on the user and
	// the policy above, with an event ID of its own.
	attach := func(user string) []byte {
		return event(t, "AttachUserPolicy-stratus-1.json", edit{"awsRegion", "us-east-1"},
			edit{"requestParameters.userName", user}, edit{"requestParameters.policyArn", policyARN},
			edit{"eventID", "0e2e0000-0000-4000-8000-00000000000" + strconv.Itoa(slices.Index(users, user))})
	}
	undo := "aws iam attach-user-policy --user-name "
	// deliver invokes the function once and returns its answer, the IAM and
	// DynamoDB calls it made (operation:error code), and what it published.
	deliver := func(t *testing.T, rid string, ev []byte) (status int, body string, iamCalls, ddbCalls []string, msgs []fakeaws.Message) {
		t.Helper()
		w.moto.ResetCalls()
		w.fake.Reset()
		status, b := em.invoke(t, rid, ev)
		for _, c := range w.moto.Calls() {
			if c.Service != "dynamodb" {
				observeCall(fnPolicyGuard, c.Service+":"+c.Operation)
			}
			switch c.Service {
			case "iam":
				iamCalls = append(iamCalls, c.Operation+":"+c.ErrorCode)
			case "dynamodb":
				ddbCalls = append(ddbCalls, c.Operation+":"+c.ErrorCode)
				if !slices.Contains(dynamostore.Calls, "dynamodb:"+c.Operation) {
					t.Errorf("DynamoDB call %s is not one the role grants (%v)", c.Operation, dynamostore.Calls)
				}
			}
		}
		observe(fnPolicyGuard, w.fake.Calls())
		return status, string(b), iamCalls, ddbCalls, w.fake.Published()
	}
	ok := func(t *testing.T, status int, body string) {
		t.Helper()
		if status != http.StatusOK || body != "null" {
			t.Fatalf("invoke = %d %s, want 200 null", status, body)
		}
	}
	outcomeOf := func(t *testing.T, m fakeaws.Message) (status, reason, undo string) {
		t.Helper()
		var bodies map[string]string
		if err := json.Unmarshal([]byte(m.Message), &bodies); err != nil {
			t.Fatal(err)
		}
		var a struct {
			Outcome struct{ Status, Reason, Undo string }
		}
		if err := json.Unmarshal([]byte(bodies["default"]), &a); err != nil {
			t.Fatalf("default body: %v", err)
		}
		if a.Outcome.Undo != "" && !strings.Contains(bodies["email"], a.Outcome.Undo) {
			t.Errorf("the email body lacks the undo command %q", a.Outcome.Undo)
		}
		return a.Outcome.Status, a.Outcome.Reason, a.Outcome.Undo
	}
	evaluate := []string{"GetPolicy:", "GetPolicyVersion:"} // policy-guard reads the customer policy's document

	t.Run("same event twice", func(t *testing.T) {
		ev := attach("twice-bob")
		status, body, iamCalls, ddbCalls, first := deliver(t, "e2e-outcome-twice-1", ev)
		ok(t, status, body)
		if want := append(slices.Clone(evaluate), "ListUserTags:", "DetachUserPolicy:"); !slices.Equal(iamCalls, want) {
			t.Errorf("first delivery: IAM calls %v, want %v", iamCalls, want)
		}
		if want := []string{"PutItem:", "UpdateItem:"}; !slices.Equal(ddbCalls, want) {
			t.Errorf("first delivery: DynamoDB calls %v, want %v (claim, record)", ddbCalls, want)
		}
		status, body, iamCalls, ddbCalls, second := deliver(t, "e2e-outcome-twice-2", ev)
		ok(t, status, body)
		if !slices.Equal(iamCalls, evaluate) {
			t.Errorf("second delivery: IAM calls %v, want only the evaluation's %v: no second action", iamCalls, evaluate)
		}
		if want := []string{"PutItem:ConditionalCheckFailedException"}; !slices.Equal(ddbCalls, want) {
			t.Errorf("second delivery: DynamoDB calls %v, want %v (the claim finds the recorded outcome)", ddbCalls, want)
		}
		if len(first) != 1 || len(second) != 1 {
			t.Fatalf("published %d then %d messages, want one each", len(first), len(second))
		}
		for i, m := range []fakeaws.Message{first[0], second[0]} {
			if st, _, u := outcomeOf(t, m); st != "done" || !strings.HasPrefix(u, undo+"twice-bob") {
				t.Errorf("alert %d: status %s, undo %q; want done with the undo", i+1, st, u)
			}
		}
		if first[0].Message != second[0].Message || first[0].Subject != second[0].Subject {
			t.Errorf("the repeated alert differs from the first:\n%s\n%s", first[0].Message, second[0].Message)
		}
		if attached("twice-bob") {
			t.Error("the policy is still attached to twice-bob")
		}
		checkReplayedLog(t, em, "e2e-outcome-twice-2")
	})

	t.Run("publish lost, then Lambda's retry", func(t *testing.T) {
		ev := attach("unpublished-bob")
		// More failures than the SDK's 3 attempts times the handler's 4
		// publishes: the invocation fails, and Lambda retries the event.
		w.fake.FailNext("Publish", "InternalError", 12)
		t.Cleanup(func() { w.fake.FailNext("Publish", "", 0) })
		status, body, iamCalls, _, msgs := deliver(t, "e2e-outcome-unpublished-1", ev)
		if status != http.StatusOK || !strings.Contains(body, "errorMessage") || !strings.Contains(body, "InternalError") || len(msgs) != 0 {
			t.Fatalf("first delivery = %d %s, %d messages; want a function error (InternalError) and none published", status, body, len(msgs))
		}
		if !slices.Contains(iamCalls, "DetachUserPolicy:") || attached("unpublished-bob") {
			t.Fatalf("first delivery: IAM calls %v, want the detach made", iamCalls)
		}
		w.fake.FailNext("Publish", "", 0)
		status, body, iamCalls, _, msgs = deliver(t, "e2e-outcome-unpublished-2", ev)
		ok(t, status, body)
		if !slices.Equal(iamCalls, evaluate) {
			t.Errorf("retry: IAM calls %v, want only the evaluation's %v", iamCalls, evaluate)
		}
		if len(msgs) != 1 {
			t.Fatalf("retry published %d messages, want 1", len(msgs))
		}
		if st, _, u := outcomeOf(t, msgs[0]); st != "done" || !strings.HasPrefix(u, undo+"unpublished-bob") {
			t.Errorf("retry's alert: status %s, undo %q; want done with the undo", st, u)
		}
	})

	t.Run("connection reset after IAM detached", func(t *testing.T) {
		w.moto.ResetAfter("iam", "DetachUserPolicy", 1)
		t.Cleanup(func() { w.moto.ResetAfter("iam", "DetachUserPolicy", 0) })
		status, body, iamCalls, _, msgs := deliver(t, "e2e-outcome-reset", attach("reset-bob"))
		ok(t, status, body)
		want := append(slices.Clone(evaluate), "ListUserTags:", "DetachUserPolicy:"+motoserver.CodeConnectionReset, "DetachUserPolicy:NoSuchEntity")
		if !slices.Equal(iamCalls, want) {
			t.Errorf("IAM calls %v, want %v (the SDK's retry finds the policy detached)", iamCalls, want)
		}
		if len(msgs) != 1 {
			t.Fatalf("published %d messages, want 1", len(msgs))
		}
		if st, reason, u := outcomeOf(t, msgs[0]); st != "done" || !strings.HasPrefix(u, undo+"reset-bob") || !strings.Contains(reason, "answer was lost") {
			t.Errorf("alert: status %s, reason %q, undo %q; want done, saying why, with the undo", st, reason, u)
		}
		if attached("reset-bob") {
			t.Error("the policy is still attached to reset-bob")
		}
	})

	t.Run("claim left by a delivery that died", func(t *testing.T) {
		ev := attach("dead-claim-bob")
		// The dead delivery claimed the finding, detached the policy and
		// stopped before recording: its claim lapsed a minute ago.
		var rec struct {
			EventID string `json:"eventID"`
		}
		var env struct {
			Detail json.RawMessage `json:"detail"`
		}
		if err := json.Unmarshal(ev, &env); err != nil || json.Unmarshal(env.Detail, &rec) != nil {
			t.Fatalf("read the event's ID: %v", err)
		}
		if _, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(outcomeTable), Item: map[string]ddbtypes.AttributeValue{
			dynamostore.PartitionKey: &ddbtypes.AttributeValueMemberS{Value: rec.EventID},
			dynamostore.SortKey:      &ddbtypes.AttributeValueMemberS{Value: "wildcard-policy#arn:aws:iam::" + motoserver.AccountID + ":user/dead-claim-bob"},
			"token":                  &ddbtypes.AttributeValueMemberS{Value: "dead-request"},
			"claimUntil":             &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)},
		}}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("dead-claim-bob"), PolicyArn: aws.String(policyARN)}); err != nil {
			t.Fatal(err)
		}
		status, body, iamCalls, ddbCalls, msgs := deliver(t, "e2e-outcome-dead-claim", ev)
		ok(t, status, body)
		if want := append(slices.Clone(evaluate), "ListUserTags:", "DetachUserPolicy:NoSuchEntity"); !slices.Equal(iamCalls, want) {
			t.Errorf("IAM calls %v, want %v", iamCalls, want)
		}
		if want := []string{"PutItem:ConditionalCheckFailedException", "UpdateItem:", "UpdateItem:"}; !slices.Equal(ddbCalls, want) {
			t.Errorf("DynamoDB calls %v, want %v (claim held, take over, record)", ddbCalls, want)
		}
		if len(msgs) != 1 {
			t.Fatalf("published %d messages, want 1", len(msgs))
		}
		if st, reason, u := outcomeOf(t, msgs[0]); st != "done" || !strings.HasPrefix(u, undo+"dead-claim-bob") || !strings.Contains(reason, "earlier delivery of this event claimed") {
			t.Errorf("alert: status %s, reason %q, undo %q; want done by the earlier delivery, with the undo", st, reason, u)
		}
	})
}

// checkReplayedLog finds the summary line of a delivery that republished a
// recorded outcome.
func checkReplayedLog(t *testing.T, em *emulator, rid string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range functionLogs(t, em) {
			if l.str("requestId") == rid && l.str("message") == logEvaluated && l.str("action") == "done" && l["replayed"] == true {
				return
			}
		}
	}
	t.Errorf("no %q line with action done and replayed true for %s", logEvaluated, rid)
}
