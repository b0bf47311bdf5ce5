package dynamostore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
)

// The table's attributes. The stack creates the table with PartitionKey and
// SortKey and TTL on TTLAttribute.
const (
	PartitionKey = "pk"
	SortKey      = "sk"
	TTLAttribute = "expiresAt"

	attrToken      = "token"
	attrUntil      = "claimUntil"
	attrClaimedAt  = "claimedAt"
	attrTakenFrom  = "takenOverFrom"
	attrAlert      = "alert"
	attrStatus     = "status"
	attrUndo       = "undo"
	attrRecordedAt = "recordedAt"
	attrRule       = "rule"
	attrTarget     = "target"
)

// Retention is how long an outcome is kept before the table's TTL removes
// it: well past the longest redelivery (EventBridge retries for 24 hours,
// Lambda for 6, a dead-letter queue keeps an event 14 days), and a year of
// record of what iamguard did.
const Retention = 400 * 24 * time.Hour

// API is the part of *dynamodb.Client the store needs: exactly the calls
// the functions' roles grant on the table.
type API interface {
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// Store is the outcome.Store on one table.
type Store struct {
	api   API
	table string
	now   func() time.Time
}

var _ outcome.Store = (*Store)(nil)

// Open returns the store on table with a client built from cfg, or nil (no
// store: a nil interface, not a nil *Store) when table is empty. Functions
// call it in main, with the table of IAMGUARD_OUTCOME_TABLE.
func Open(cfg aws.Config, table string) outcome.Store {
	if table == "" {
		return nil
	}
	return New(dynamodb.NewFromConfig(cfg), table)
}

// New returns the store on the named table.
func New(api API, table string) *Store {
	return &Store{api: api, table: table, now: time.Now}
}

func (s *Store) key(k outcome.Key) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: k.EventID},
		SortKey:      &types.AttributeValueMemberS{Value: k.SortKey()},
	}
}

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// Claim implements outcome.Store.
func (s *Store) Claim(ctx context.Context, k outcome.Key, token string, until time.Time) (*outcome.Entry, error) {
	now := s.now()
	item := s.key(k)
	item[attrRule] = str(k.Rule)
	item[attrTarget] = str(k.Target)
	item[attrToken] = str(token)
	item[attrUntil] = num(until.Unix())
	item[attrClaimedAt] = str(now.UTC().Format(time.RFC3339Nano))
	item[TTLAttribute] = num(now.Add(Retention).Unix())
	_, err := s.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           aws.String(s.table),
		Item:                                item,
		ConditionExpression:                 aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames:            map[string]string{"#pk": PartitionKey},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if held, ok, err := failedOn(err); ok {
		return held, err
	}
	if err != nil {
		return nil, fmt.Errorf("put claim into table %s: %w", s.table, err)
	}
	return nil, nil
}

// TakeOver implements outcome.Store.
func (s *Store) TakeOver(ctx context.Context, k outcome.Key, seen, token string, until time.Time) (*outcome.Entry, error) {
	_, err := s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.table),
		Key:                 s.key(k),
		UpdateExpression:    aws.String("SET #token = :token, #until = :until, #from = :seen"),
		ConditionExpression: aws.String("#token = :seen AND attribute_not_exists(#alert)"),
		ExpressionAttributeNames: map[string]string{
			"#token": attrToken, "#until": attrUntil, "#from": attrTakenFrom, "#alert": attrAlert,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":token": str(token), ":until": num(until.Unix()), ":seen": str(seen),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if held, ok, err := failedOn(err); ok {
		return held, err
	}
	if err != nil {
		return nil, fmt.Errorf("take over claim in table %s: %w", s.table, err)
	}
	return nil, nil
}

// Record implements outcome.Store.
func (s *Store) Record(ctx context.Context, k outcome.Key, token string, a finding.Alert) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode the alert of event %s: %w", k.EventID, err)
	}
	_, err = s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.table),
		Key:                 s.key(k),
		UpdateExpression:    aws.String("SET #alert = :alert, #status = :status, #undo = :undo, #at = :at"),
		ConditionExpression: aws.String("#token = :token"),
		ExpressionAttributeNames: map[string]string{
			"#alert": attrAlert, "#status": attrStatus, "#undo": attrUndo, "#at": attrRecordedAt, "#token": attrToken,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":alert": str(string(doc)), ":status": str(string(a.Outcome.Status)), ":undo": str(a.Outcome.Undo),
			":at": str(s.now().UTC().Format(time.RFC3339Nano)), ":token": str(token),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	held, ok, err := failedOn(err)
	switch {
	case !ok && err != nil:
		return fmt.Errorf("record outcome in table %s: %w", s.table, err)
	case !ok:
		return nil
	case err != nil:
		return err
	}
	if held.Token == token && held.Alert != nil {
		// A retried write whose first attempt had succeeded.
		return nil
	}
	return fmt.Errorf("record outcome of event %s rule %s: %w (held by request %s)", k.EventID, k.Rule, outcome.ErrNotHeld, held.Token)
}

// failedOn reports whether err is a failed condition and, if so, the entry
// it failed on.
func failedOn(err error) (*outcome.Entry, bool, error) {
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return nil, false, nil
	}
	if ccf.Item == nil {
		// Only a key that is absent fails without an item: UpdateItem's
		// condition on a claim that expired from the table.
		return &outcome.Entry{}, true, nil
	}
	e, err := decode(ccf.Item)
	return e, true, err
}

func decode(item map[string]types.AttributeValue) (*outcome.Entry, error) {
	var e outcome.Entry
	if v, ok := item[attrToken].(*types.AttributeValueMemberS); ok {
		e.Token = v.Value
	}
	if v, ok := item[attrUntil].(*types.AttributeValueMemberN); ok {
		sec, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("outcome item: %s %q: %w", attrUntil, v.Value, err)
		}
		e.Until = time.Unix(sec, 0)
	}
	if v, ok := item[attrAlert].(*types.AttributeValueMemberS); ok {
		var a finding.Alert
		if err := json.Unmarshal([]byte(v.Value), &a); err != nil {
			return nil, fmt.Errorf("outcome item: decode the recorded alert: %w", err)
		}
		e.Alert = &a
	}
	return &e, nil
}

// Calls are the IAM actions of the calls the store makes, which the stack
// grants each acting function's role on the table and nothing more.
var Calls = []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}
