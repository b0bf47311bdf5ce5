package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

const topicARN = "arn:aws:sns:us-east-1:111122223333:iamguard-alerts"

// fakeSNS answers SNS Publish in the Query protocol, the way SNS does, and
// records each request's form.
type fakeSNS struct {
	mu    sync.Mutex
	forms []url.Values
	fail  bool // answer InvalidParameter
}

func (f *fakeSNS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.forms = append(f.forms, r.PostForm)
	n := len(f.forms)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	if f.fail {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`)
		return
	}
	fmt.Fprintf(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>msg-%d</MessageId></PublishResult><ResponseMetadata><RequestId>req-%d</RequestId></ResponseMetadata></PublishResponse>`, n, n)
}

// realSNS returns the SDK's SNS client pointed at a fakeSNS.
func realSNS(t *testing.T, fake *fakeSNS) *sns.Client {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return sns.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:   srv.Client(),
	})
}

// attributesOf reads MessageAttributes.entry.N.* back from a Query form.
func attributesOf(t *testing.T, form url.Values) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i := 1; ; i++ {
		p := fmt.Sprintf("MessageAttributes.entry.%d.", i)
		name := form.Get(p + "Name")
		if name == "" {
			break
		}
		if dt := form.Get(p + "Value.DataType"); dt != "String" {
			t.Errorf("%sValue.DataType = %q, want String", p, dt)
		}
		out[name] = form.Get(p + "Value.StringValue")
	}
	return out
}

func TestPublisherWire(t *testing.T) {
	fake := &fakeSNS{}
	pub := NewPublisher(realSNS(t, fake), topicARN)
	a := criticalInline(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)

	id, err := pub.Publish(t.Context(), a)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if id != "msg-1" {
		t.Errorf("Publish message ID = %q, want msg-1", id)
	}
	if len(fake.forms) != 1 {
		t.Fatalf("SNS got %d requests, want 1", len(fake.forms))
	}
	form := fake.forms[0]
	want, err := Build(a)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"Action":           "Publish",
		"TopicArn":         topicARN,
		"MessageStructure": "json",
		"Subject":          want.Subject,
		"Message":          want.Body,
	} {
		if got := form.Get(k); got != v {
			t.Errorf("form %s = %.120q, want %.120q", k, got, v)
		}
	}
	decodeBody(t, form.Get("Message"))
	if diff := cmp.Diff(want.Attributes, attributesOf(t, form)); diff != "" {
		t.Errorf("message attributes on the wire (-want +got):\n%s", diff)
	}
	if len(want.Attributes) != 5 {
		t.Errorf("Attributes = %v, want 5", want.Attributes)
	}
}

func TestPublisherError(t *testing.T) {
	fake := &fakeSNS{fail: true}
	pub := NewPublisher(realSNS(t, fake), topicARN)
	a := criticalInline(`{}`)

	_, err := pub.Publish(t.Context(), a)
	if err == nil {
		t.Fatal("Publish succeeded against an SNS that answers InvalidParameter")
	}
	wantPrefix := "publish alert for event " + a.Finding.EventID + " to " + topicARN + ": "
	if !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Errorf("Publish error = %q, want prefix %q", err, wantPrefix)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameter" {
		t.Errorf("Publish error = %v, want a smithy.APIError with code InvalidParameter", err)
	}
	var invalid *types.InvalidParameterException
	if !errors.As(err, &invalid) {
		t.Errorf("Publish error = %v, want *types.InvalidParameterException", err)
	}
	if len(fake.forms) != 1 {
		t.Errorf("SNS got %d requests, want 1 (a client error is not retried)", len(fake.forms))
	}
}

// fakePublish is the hand-written double of SNSAPI for unit tests.
type fakePublish struct {
	SNSAPI
	in  *sns.PublishInput
	err error
}

func (f *fakePublish) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	f.in = in
	if f.err != nil {
		return nil, f.err
	}
	return &sns.PublishOutput{MessageId: aws.String("m-1")}, nil
}

func TestPublisherContextErrors(t *testing.T) {
	f := &fakePublish{err: context.DeadlineExceeded}
	_, err := NewPublisher(f, topicARN).Publish(t.Context(), criticalInline(`{}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Publish error = %v, want it to wrap context.DeadlineExceeded", err)
	}
	if got := aws.ToString(f.in.MessageStructure); got != "json" {
		t.Errorf("MessageStructure = %q, want json", got)
	}
}
