package notify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/iamguard/iamguard/shared/finding"
)

// SNSAPI is the part of *sns.Client that Publisher calls.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var _ SNSAPI = (*sns.Client)(nil)

// Publisher publishes alerts to one SNS topic.
type Publisher struct {
	api      SNSAPI
	topicARN string
}

// NewPublisher returns a Publisher that publishes to topicARN through api.
func NewPublisher(api SNSAPI, topicARN string) *Publisher {
	return &Publisher{api: api, topicARN: topicARN}
}

// TopicARN returns the topic the Publisher publishes to.
func (p *Publisher) TopicARN() string { return p.topicARN }

// Publish builds the alert's message and publishes it with
// MessageStructure=json, so that each protocol gets its own body. It returns
// the SNS message ID. Errors name the event and the topic and wrap the SDK
// error: errors.As(err, &apiErr) with a smithy.APIError reaches the SNS
// error code.
func (p *Publisher) Publish(ctx context.Context, a finding.Alert) (messageID string, err error) {
	m, err := Build(a)
	if err != nil {
		return "", fmt.Errorf("publish alert for event %s to %s: %w", a.Finding.EventID, p.topicARN, err)
	}
	out, err := p.api.Publish(ctx, Input(p.topicARN, m))
	if err != nil {
		return "", fmt.Errorf("publish alert for event %s to %s: %w", a.Finding.EventID, p.topicARN, err)
	}
	return aws.ToString(out.MessageId), nil
}

// Input returns the PublishInput that sends m to topicARN.
func Input(topicARN string, m Message) *sns.PublishInput {
	in := &sns.PublishInput{
		TopicArn:          aws.String(topicARN),
		Message:           aws.String(m.Body),
		MessageStructure:  aws.String("json"),
		MessageAttributes: map[string]types.MessageAttributeValue{},
	}
	if m.Subject != "" {
		in.Subject = aws.String(m.Subject)
	}
	for k, v := range m.Attributes {
		in.MessageAttributes[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	return in
}
