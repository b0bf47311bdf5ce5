package fakeaws

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// The two services iamguard's confirmation of a rollback calls, which moto
// lacks (CloudTrail's LookupEvents) or which the end-to-end tests read back
// most simply here (SQS's SendMessage): JSON protocols, routed by
// X-Amz-Target ("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.
// LookupEvents", "AmazonSQS.SendMessage").
const (
	ServiceCloudTrail = "cloudtrail"
	ServiceSQS        = "sqs"
)

// QueueMessage is one message SendMessage received.
type QueueMessage struct {
	QueueURL     string
	Body         string
	DelaySeconds int
}

// PutTrailEvent makes LookupEvents return record (CloudTrail's JSON of one
// event) for eventID, as CloudTrail's event history would once the event is
// recorded.
func (s *Server) PutTrailEvent(eventID string, record []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trail[eventID] = string(record)
}

// QueueMessages returns the messages sent so far, in order.
func (s *Server) QueueMessages() []QueueMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]QueueMessage(nil), s.queued...)
}

var cloudtrailActions = map[string]handlerFunc{"LookupEvents": lookupEvents}

var sqsActions = map[string]handlerFunc{"SendMessage": sendMessage}

type lookupAttribute struct {
	AttributeKey, AttributeValue string
}

type trailEvent struct {
	EventID         string `json:"EventId"`
	EventName       string `json:"EventName,omitempty"`
	CloudTrailEvent string `json:"CloudTrailEvent"`
}

// lookupEvents answers a lookup by EventId, the one attribute iamguard uses;
// CloudTrail accepts one attribute per request.
func lookupEvents(s *Server, p params) (any, *apiError) {
	var attrs []lookupAttribute
	if raw, ok := p["LookupAttributes"]; ok {
		if err := json.Unmarshal([]byte(raw), &attrs); err != nil {
			return nil, errorf("InvalidLookupAttributesException", "LookupAttributes is not a list of attributes: %v", err)
		}
	}
	if len(attrs) > 1 {
		return nil, errorf("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.")
	}
	out := struct {
		Events []trailEvent `json:"Events"`
	}{Events: []trailEvent{}}
	if len(attrs) == 1 && attrs[0].AttributeKey == "EventId" {
		if rec, ok := s.trail[attrs[0].AttributeValue]; ok {
			var name struct {
				EventName string `json:"eventName"`
			}
			_ = json.Unmarshal([]byte(rec), &name)
			out.Events = append(out.Events, trailEvent{EventID: attrs[0].AttributeValue, EventName: name.EventName, CloudTrailEvent: rec})
		}
	}
	return out, nil
}

func sendMessage(s *Server, p params) (any, *apiError) {
	url, body := p["QueueUrl"], p["MessageBody"]
	if url == "" || body == "" {
		return nil, errorf("MissingParameter", "QueueUrl and MessageBody are required")
	}
	delay := 0
	if v, ok := p["DelaySeconds"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 900 {
			return nil, errorf("InvalidParameterValue", "Value %s for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.", v)
		}
		delay = n
	}
	s.queued = append(s.queued, QueueMessage{QueueURL: url, Body: body, DelaySeconds: delay})
	s.msgSeq++
	// The SDK checks the body's MD5 against MD5OfMessageBody, as SQS
	// computes it.
	sum := md5.Sum([]byte(body))
	return map[string]string{"MessageId": "fa4e5000-0000-4000-8000-" + strconv.Itoa(100000000000+s.msgSeq), "MD5OfMessageBody": hex.EncodeToString(sum[:])}, nil
}
