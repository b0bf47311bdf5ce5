// Package confirm asks CloudTrail itself whether an event handed to a
// function is real before iamguard rolls anything back: the event waits in an
// SQS queue (DelaySeconds) for CloudTrail to record it, then CloudTrail's
// LookupEvents, called in the event's Region, must return a record of the
// same call. The function never waits in an invocation.
//
// The clients are built on first use, not at start: a function in notify
// mode never pays for them.
package confirm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/iamguard/iamguard/shared/action/regional"
)

// SQSAPI is the one SQS call the confirmer makes.
type SQSAPI interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// CloudTrailAPI is the one CloudTrail call the confirmer makes.
type CloudTrailAPI interface {
	LookupEvents(ctx context.Context, in *cloudtrail.LookupEventsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.LookupEventsOutput, error)
}

// Confirmer defers events through a queue and looks them up in CloudTrail.
type Confirmer struct {
	once   sync.Once
	sqs    SQSAPI
	trails func(region string) CloudTrailAPI
	build  func() (SQSAPI, func(string) CloudTrailAPI)
}

// New returns a confirmer whose clients are built from cfg on first use.
func New(cfg aws.Config) *Confirmer {
	return &Confirmer{build: func() (SQSAPI, func(string) CloudTrailAPI) {
		trails := regional.New(cfg, func(cfg aws.Config, region string) CloudTrailAPI {
			return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = region })
		})
		return sqs.NewFromConfig(cfg), trails.Get
	}}
}

// NewWith returns a confirmer over the given clients, for tests.
func NewWith(q SQSAPI, trails func(region string) CloudTrailAPI) *Confirmer {
	return &Confirmer{sqs: q, trails: trails}
}

func (c *Confirmer) clients() {
	c.once.Do(func() {
		if c.build != nil {
			c.sqs, c.trails = c.build()
		}
	})
}

// MaxDelay is SQS's longest message delay.
const MaxDelay = 15 * time.Minute

// Defer sends body to the queue, to be delivered after delay (at most
// MaxDelay).
func (c *Confirmer) Defer(ctx context.Context, queueURL string, body []byte, delay time.Duration) error {
	if queueURL == "" {
		return errors.New("confirm: no queue to defer the event to")
	}
	c.clients()
	delay = min(max(delay, 0), MaxDelay)
	_, err := c.sqs.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:     aws.String(queueURL),
		MessageBody:  aws.String(string(body)),
		DelaySeconds: int32(delay / time.Second),
	})
	if err != nil {
		return fmt.Errorf("confirm: queue the event for confirmation: %w", err)
	}
	return nil
}

// Lookup returns CloudTrail's own record of event eventID in region (the
// CloudTrailEvent of LookupEvents), and whether CloudTrail has it yet.
func (c *Confirmer) Lookup(ctx context.Context, region, eventID string) ([]byte, bool, error) {
	if eventID == "" {
		return nil, false, errors.New("confirm: the event has no eventID to look up")
	}
	c.clients()
	out, err := c.trails(region).LookupEvents(ctx, &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventId, AttributeValue: aws.String(eventID)}},
		MaxResults:       aws.Int32(1),
	})
	if err != nil {
		return nil, false, fmt.Errorf("confirm: CloudTrail LookupEvents for event %s in %s: %w", eventID, region, err)
	}
	for _, e := range out.Events {
		if aws.ToString(e.EventId) == eventID && e.CloudTrailEvent != nil {
			return []byte(*e.CloudTrailEvent), true, nil
		}
	}
	return nil, false, nil
}
