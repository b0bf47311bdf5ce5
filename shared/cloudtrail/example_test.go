package cloudtrail_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

func ExampleDecodeRecord() {
	// What the access-keys Lambda receives from EventBridge.
	event := `{"version":"0","id":"7b0c","detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
		"account":"111122223333","time":"2024-08-01T13:33:28Z","region":"us-east-1","resources":[],
		"detail":{"eventVersion":"1.09","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey",
		"eventType":"AwsApiCall","eventTime":"2024-08-01T13:33:28Z","readOnly":false,
		"userIdentity":{"type":"IAMUser","userName":"christophe","accountId":"111122223333"},
		"requestParameters":{"userName":"malicious-iam-user"},
		"responseElements":{"accessKey":{"accessKeyId":"AKIAEXAMPLE","status":"Active"}}}}`
	r, err := cloudtrail.DecodeRecord([]byte(event))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.EventName, r.UserIdentity.UserName, "→", r.RequestParam("userName"))
	fmt.Println(r.ResponseParam("accessKey", "accessKeyId"), r.Failed(), r.Source(), r.DetailType())
	// Output:
	// CreateAccessKey christophe → malicious-iam-user
	// AKIAEXAMPLE false aws.iam AWS API Call via CloudTrail
}

func ExampleReader() {
	// Two log-file records, then a JSON line whose eventTime is garbage,
	// then a console sign-in as Panther exports it.
	in := `{"Records":[{"eventName":"CreateUser","eventSource":"iam.amazonaws.com"},{"eventName":"ListUsers"}]}
{"eventName":"AttachUserPolicy","eventTime":"yesterday"}
{"eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","eventTime":"2024-06-02 19:41:40.000000000","additionalEventData":{"MFAUsed":"No"}}
`
	r := cloudtrail.NewReader(strings.NewReader(in), "events.json")
	for {
		rec, err := r.Next()
		var bad *cloudtrail.DecodeError
		switch {
		case err == io.EOF:
			return
		case errors.As(err, &bad):
			fmt.Println("skipped:", err)
			continue
		case err != nil:
			fmt.Println(err)
			return
		}
		fmt.Println(rec.EventName, rec.EventTime.Format("2006-01-02"), rec.MFAUsed())
	}
	// Output:
	// CreateUser 0001-01-01 false
	// ListUsers 0001-01-01 false
	// skipped: events.json: record 3 (byte 101): eventTime "yesterday" is not a time
	// ConsoleLogin 2024-06-02 false
}

func ExamplePeek() {
	raw := []byte(`{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn",
		"userIdentity":{"type":"Root"},"additionalEventData":{"MFAUsed":"Yes"}}`)
	s, err := cloudtrail.Peek(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s | %s | %s by %s\n", s.Source, s.DetailType, s.EventName, s.IdentityType)
	// Output:
	// aws.signin | AWS Console Sign In via CloudTrail | ConsoleLogin by Root
}
