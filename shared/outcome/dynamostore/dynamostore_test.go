package dynamostore_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/motoserver"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
	"github.com/iamguard/iamguard/shared/outcome/dynamostore"
)

// CreateTable makes the table as the stack does: pk and sk, on demand.
func CreateTable(ctx context.Context, api *dynamodb.Client, name string) error {
	_, err := api.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(dynamostore.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(dynamostore.SortKey), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(dynamostore.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(dynamostore.SortKey), KeyType: types.KeyTypeRange},
		},
	})
	return err
}

// TestAgainstMoto runs the claim, take-over and record protocol against
// moto's DynamoDB, whose conditional writes answer as AWS documents:
// ConditionalCheckFailedException, with the item when asked for ALL_OLD.
func TestAgainstMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server")
	}
	moto := motoserver.Start(t)
	cfg, err := moto.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	client := dynamodb.NewFromConfig(cfg)
	if err := CreateTable(t.Context(), client, "outcomes"); err != nil {
		t.Fatal(err)
	}
	s := dynamostore.New(client, "outcomes")
	ctx := t.Context()
	key := outcome.Key{EventID: "e-1", Rule: "wildcard-policy", Target: "arn:aws:iam::123456789012:user/bob"}
	until := time.Now().Add(time.Minute).Truncate(time.Second)

	held, err := s.Claim(ctx, key, "req-1", until)
	if err != nil || held != nil {
		t.Fatalf("first Claim = %+v, %v; want nil, nil", held, err)
	}
	held, err = s.Claim(ctx, key, "req-2", until)
	if err != nil || held == nil || held.Token != "req-1" || !held.Until.Equal(until) || held.Alert != nil {
		t.Fatalf("second Claim = %+v, %v; want the claim of req-1 until %s", held, err, until)
	}
	// A take-over that names the wrong holder changes nothing.
	held, err = s.TakeOver(ctx, key, "req-9", "req-2", until)
	if err != nil || held == nil || held.Token != "req-1" {
		t.Fatalf("TakeOver(seen req-9) = %+v, %v; want held by req-1", held, err)
	}
	if err := s.Record(ctx, key, "req-2", finding.Alert{}); !errors.Is(err, outcome.ErrNotHeld) {
		t.Fatalf("Record by req-2 = %v, want ErrNotHeld", err)
	}
	held, err = s.TakeOver(ctx, key, "req-1", "req-2", until.Add(time.Minute))
	if err != nil || held != nil {
		t.Fatalf("TakeOver(seen req-1) = %+v, %v; want nil, nil", held, err)
	}
	plan := &finding.Remediation{Step: finding.NewStep("iam:DetachUserPolicy", "UserName", "bob"), Description: "detach"}
	undo := finding.NewStep("iam:AttachUserPolicy", "UserName", "bob")
	plan.Undo = &undo
	a := finding.Alert{
		Finding:  finding.Finding{Rule: key.Rule, EventID: key.EventID, Target: key.Target, Reasons: []string{"admin"}},
		Outcome:  finding.Outcome{Status: finding.StatusDone, Mode: "remediate", Reason: "rolled back", Plan: plan, Undo: undo.Command},
		Function: "policy-guard",
	}
	if err := s.Record(ctx, key, "req-2", a); err != nil {
		t.Fatalf("Record by req-2 = %v", err)
	}
	// Recorded: a retried Record of the same delivery succeeds, a
	// take-over fails and returns the record.
	if err := s.Record(ctx, key, "req-2", a); err != nil {
		t.Fatalf("Record by req-2 again = %v", err)
	}
	held, err = s.TakeOver(ctx, key, "req-2", "req-3", until)
	if err != nil || held == nil || held.Alert == nil {
		t.Fatalf("TakeOver after Record = %+v, %v; want the recorded entry", held, err)
	}
	held, err = s.Claim(ctx, key, "req-3", until)
	if err != nil || held == nil || held.Alert == nil {
		t.Fatalf("Claim after Record = %+v, %v; want the recorded entry", held, err)
	}
	if diff := cmp.Diff(a, *held.Alert); diff != "" {
		t.Errorf("recorded alert (-want +got):\n%s", diff)
	}
	// Another target of the same event and rule is another key.
	other := key
	other.Target = "arn:aws:iam::123456789012:user/alice"
	if held, err := s.Claim(ctx, other, "req-3", until); err != nil || held != nil {
		t.Errorf("Claim(other target) = %+v, %v; want nil, nil", held, err)
	}
	for _, c := range moto.CallsTo("dynamodb") {
		if c.Operation != "PutItem" && c.Operation != "UpdateItem" && c.Operation != "CreateTable" {
			t.Errorf("call %s, want only PutItem and UpdateItem", c.Operation)
		}
	}
}

// TestCallsAreTheAPI: the calls the stack grants are exactly the methods of
// the store's API.
func TestCallsAreTheAPI(t *testing.T) {
	api := reflect.TypeFor[dynamostore.API]()
	var methods []string
	for i := range api.NumMethod() {
		methods = append(methods, "dynamodb:"+api.Method(i).Name)
	}
	if diff := cmp.Diff(dynamostore.Calls, methods); diff != "" {
		t.Errorf("Calls differ from the API's methods (-Calls +API):\n%s", diff)
	}
}
