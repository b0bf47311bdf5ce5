package fakeaws_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

const topicARN = "arn:aws:sns:us-east-1:123456789012:iamguard-alerts"

func newSNS(t *testing.T) (*fakeaws.Server, *sns.Client) {
	t.Helper()
	s := fakeaws.New()
	s.Start(t)
	cfg, err := s.AWSConfig(t.Context())
	if err != nil {
		t.Fatalf("AWSConfig: %v", err)
	}
	return s, sns.NewFromConfig(cfg)
}

func TestPublishRecordsExactly(t *testing.T) {
	s, c := newSNS(t)
	body := `{"default":"IAM change: AttachUserPolicy","email":"Line one\nLine two","lambda":"{\"version\":\"1.0\",\"source\":\"custom\"}"}`
	out, err := c.Publish(t.Context(), &sns.PublishInput{
		TopicArn:         aws.String(topicARN),
		Subject:          aws.String("[iamguard] HIGH wildcard-policy: alice attached AdministratorAccess"),
		Message:          aws.String(body),
		MessageStructure: aws.String("json"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"severity": {DataType: aws.String("String"), StringValue: aws.String("high")},
			"score":    {DataType: aws.String("Number"), StringValue: aws.String("8.5")},
			"rules":    {DataType: aws.String("String.Array"), StringValue: aws.String(`["wildcard-policy"]`)},
		},
	})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	want := []fakeaws.Message{{
		MessageID:        "5e550000-0000-4000-8000-000000000001",
		TopicARN:         topicARN,
		Subject:          "[iamguard] HIGH wildcard-policy: alice attached AdministratorAccess",
		Message:          body,
		MessageStructure: "json",
		Attributes:       map[string]string{"severity": "high", "score": "8.5", "rules": `["wildcard-policy"]`},
		AttributeTypes:   map[string]string{"severity": "String", "score": "Number", "rules": "String.Array"},
	}}
	if diff := cmp.Diff(want, s.Published()); diff != "" {
		t.Errorf("Published() (-want +got):\n%s", diff)
	}
	if got := aws.ToString(out.MessageId); got != want[0].MessageID {
		t.Errorf("Publish MessageId = %q, want %q", got, want[0].MessageID)
	}

	calls := s.CallsTo("Publish")
	if len(calls) != 1 {
		t.Fatalf("CallsTo(Publish) = %+v, want one", calls)
	}
	// The SDK writes map entries in an order of its own: check by name.
	p := calls[0].Params
	byName := map[string][2]string{}
	for i := 1; i <= 3; i++ {
		pre := "MessageAttributes.entry." + string(rune('0'+i)) + "."
		byName[p[pre+"Name"]] = [2]string{p[pre+"Value.DataType"], p[pre+"Value.StringValue"]}
	}
	wantAttrs := map[string][2]string{"severity": {"String", "high"}, "score": {"Number", "8.5"}, "rules": {"String.Array", `["wildcard-policy"]`}}
	if diff := cmp.Diff(wantAttrs, byName); diff != "" {
		t.Errorf("Publish attribute params (-want +got):\n%s", diff)
	}
	for k, v := range map[string]string{"TopicArn": topicARN, "Message": body, "MessageStructure": "json", "Subject": want[0].Subject} {
		if p[k] != v {
			t.Errorf("Publish param %s = %q, want %q", k, p[k], v)
		}
	}
	if len(p) != 4+3*3 {
		t.Errorf("Publish params = %v, want 13", p)
	}
}

func TestPublishValidation(t *testing.T) {
	long := strings.Repeat("x", 262144)
	tests := []struct {
		name     string
		in       sns.PublishInput
		wantCode string // "" for success
	}{
		{"plain text, no subject", sns.PublishInput{Message: aws.String("hello")}, ""},
		{"subject of 99 characters", sns.PublishInput{Subject: aws.String(strings.Repeat("s", 99)), Message: aws.String("m")}, ""},
		{"subject of 100 characters", sns.PublishInput{Subject: aws.String(strings.Repeat("s", 100)), Message: aws.String("m")}, "InvalidParameter"},
		{"subject with a line break", sns.PublishInput{Subject: aws.String("one\ntwo"), Message: aws.String("m")}, "InvalidParameter"},
		{"subject with a carriage return", sns.PublishInput{Subject: aws.String("one\rtwo"), Message: aws.String("m")}, "InvalidParameter"},
		{"subject with a tab", sns.PublishInput{Subject: aws.String("one\ttwo"), Message: aws.String("m")}, "InvalidParameter"},
		{"subject with non-ASCII", sns.PublishInput{Subject: aws.String("Zugriff geändert"), Message: aws.String("m")}, "InvalidParameter"},
		{"subject starting with a space", sns.PublishInput{Subject: aws.String(" x"), Message: aws.String("m")}, "InvalidParameter"},
		{"subject starting with punctuation", sns.PublishInput{Subject: aws.String("[iamguard] x"), Message: aws.String("m")}, ""},
		{"empty subject", sns.PublishInput{Subject: aws.String(""), Message: aws.String("m")}, "InvalidParameter"},
		{"empty message", sns.PublishInput{Message: aws.String("")}, "InvalidParameter"},
		{"message of 262144 bytes", sns.PublishInput{Message: aws.String(long)}, ""},
		{"message of 262145 bytes", sns.PublishInput{Message: aws.String(long + "x")}, "InvalidParameter"},
		{"attributes count toward the size", sns.PublishInput{Message: aws.String(long[:262140]),
			MessageAttributes: map[string]types.MessageAttributeValue{"k": {DataType: aws.String("String"), StringValue: aws.String("v")}}}, "InvalidParameter"},
		{"json without default", sns.PublishInput{Message: aws.String(`{"email":"x"}`), MessageStructure: aws.String("json")}, "InvalidParameter"},
		{"json that does not parse", sns.PublishInput{Message: aws.String(`{"default":`), MessageStructure: aws.String("json")}, "InvalidParameter"},
		{"unknown structure", sns.PublishInput{Message: aws.String("m"), MessageStructure: aws.String("xml")}, "InvalidParameter"},
		{"attribute without value", sns.PublishInput{Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"k": {DataType: aws.String("String")}}}, "ParameterValueInvalid"},
		{"number attribute not a number", sns.PublishInput{Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"k": {DataType: aws.String("Number"), StringValue: aws.String("high")}}}, "ParameterValueInvalid"},
		{"attribute of unknown type", sns.PublishInput{Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"k": {DataType: aws.String("Text"), StringValue: aws.String("v")}}}, "ParameterValueInvalid"},
		{"binary attribute", sns.PublishInput{Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"k": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2}}}}, ""},
		{"eleven attributes", sns.PublishInput{Message: aws.String("m"), MessageAttributes: attrs(11)}, "InvalidParameter"},
		{"ten attributes", sns.PublishInput{Message: aws.String("m"), MessageAttributes: attrs(10)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newSNS(t)
			in := tc.in
			in.TopicArn = aws.String(topicARN)
			_, err := c.Publish(t.Context(), &in)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("Publish: got %v, want success", err)
				}
				if got := len(s.Published()); got != 1 {
					t.Errorf("len(Published()) = %d, want 1", got)
				}
				return
			}
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.wantCode {
				t.Fatalf("Publish: got %v, want %s", err, tc.wantCode)
			}
			if tc.wantCode == "InvalidParameter" {
				var ipe *types.InvalidParameterException
				if !errors.As(err, &ipe) {
					t.Errorf("Publish: got %T, want *types.InvalidParameterException", err)
				}
			}
			if got := s.Published(); len(got) != 0 {
				t.Errorf("Published() = %+v, want nothing after a refused Publish", got)
			}
		})
	}
}

func attrs(n int) map[string]types.MessageAttributeValue {
	m := map[string]types.MessageAttributeValue{}
	for i := range n {
		m["a"+string(rune('a'+i))] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String("v")}
	}
	return m
}

func TestPublishTopics(t *testing.T) {
	s, c := newSNS(t)
	other := "arn:aws:sns:us-east-1:123456789012:other"
	if _, err := c.Publish(t.Context(), &sns.PublishInput{TopicArn: aws.String(other), Message: aws.String("m")}); err != nil {
		t.Fatalf("Publish with no topics registered: %v, want any topic accepted", err)
	}
	s.AddTopic(topicARN)
	if _, err := c.Publish(t.Context(), &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")}); err != nil {
		t.Errorf("Publish to a registered topic: %v", err)
	}
	_, err := c.Publish(t.Context(), &sns.PublishInput{TopicArn: aws.String(other), Message: aws.String("m")})
	var nfe *types.NotFoundException
	if !errors.As(err, &nfe) {
		t.Errorf("Publish to an unregistered topic: got %v, want NotFoundException", err)
	}
	_, err = c.Publish(t.Context(), &sns.PublishInput{TopicArn: aws.String("iamguard-alerts"), Message: aws.String("m")})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Errorf("Publish to a malformed ARN: got %v, want InvalidParameterException", err)
	}
	if got := len(s.Published()); got != 2 {
		t.Errorf("len(Published()) = %d, want 2", got)
	}
}

// TestPublishRetries pins down how the SDK's standard retryer treats SNS
// faults: InternalError (500), Throttling and SNS's own Throttled (429) are
// all retried.
func TestPublishRetries(t *testing.T) {
	tests := []struct {
		name      string
		faults    []string
		wantErr   bool
		wantCalls int
	}{
		{"InternalError is retried", []string{"InternalError", "InternalError"}, false, 3},
		{"Throttling is retried", []string{"Throttling"}, false, 2},
		{"Throttled is retried", []string{"Throttled"}, false, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newSNS(t)
			for _, f := range tc.faults {
				s.FailNext("Publish", f, 1)
			}
			_, err := c.Publish(t.Context(), &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String("m")})
			if (err != nil) != tc.wantErr {
				t.Fatalf("Publish after %v: got %v, want error %v", tc.faults, err, tc.wantErr)
			}
			var te *types.ThrottledException
			if tc.wantErr && !errors.As(err, &te) {
				t.Errorf("Publish: got %T, want *types.ThrottledException", err)
			}
			if got := len(s.CallsTo("Publish")); got != tc.wantCalls {
				t.Errorf("len(CallsTo(Publish)) = %d, want %d", got, tc.wantCalls)
			}
		})
	}
}
