package fakeaws

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/iamguard/iamguard/internal/awsarn"
)

// SNS limits, as documented for Publish.
const (
	maxSNSMessage      = 262144 // bytes: the message plus its attributes' names, types and values
	maxSubject         = 100    // a subject must be shorter than this
	maxMessageAttrs    = 10
	snsMessageAttrsKey = "MessageAttributes.entry."
)

// Message is one message published to SNS.
type Message struct {
	// MessageID is the ID Publish answered.
	MessageID string `json:"messageId"`
	// TopicARN is the TopicArn parameter, or TargetArn when that was used.
	TopicARN         string `json:"topicArn"`
	Subject          string `json:"subject,omitempty"`
	Message          string `json:"message"`
	MessageStructure string `json:"messageStructure,omitempty"`
	// Attributes maps each message attribute's name to its StringValue (or,
	// for a Binary attribute, the base64 BinaryValue as sent).
	Attributes map[string]string `json:"attributes,omitempty"`
	// AttributeTypes maps each message attribute's name to its DataType.
	AttributeTypes map[string]string `json:"attributeTypes,omitempty"`
}

// AddTopic registers an SNS topic ARN. Once any topic is registered, Publish
// to an unregistered one answers NotFound; with none, every topic exists.
func (s *Server) AddTopic(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.topics[arn] = true
}

// Published returns the messages published since New or Reset, in order.
func (s *Server) Published() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.published))
	for i, m := range s.published {
		m.Attributes = maps.Clone(m.Attributes)
		m.AttributeTypes = maps.Clone(m.AttributeTypes)
		out[i] = m
	}
	return out
}

// snsActions are the SNS actions the server answers.
var snsActions = map[string]handlerFunc{
	"Publish": publish,
}

func invalidParameter(format string, args ...any) *apiError {
	return errorf("InvalidParameter", "Invalid parameter: "+format, args...)
}

func publish(s *Server, p params) (any, *apiError) {
	topic := p["TopicArn"]
	if topic == "" {
		topic = p["TargetArn"]
	}
	if topic == "" {
		return nil, invalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
	}
	if a, ok := awsarn.Parse(topic); !ok || a.Service != "sns" || a.Resource == "" || strings.Contains(a.Resource, ":") {
		return nil, invalidParameter("TopicArn Reason: %q is not a valid topic ARN", topic)
	}
	if len(s.topics) > 0 && !s.topics[topic] {
		return nil, errorf("NotFound", "Topic does not exist")
	}
	msg := p["Message"]
	if msg == "" {
		return nil, invalidParameter("Empty message")
	}
	if subject, ok := p["Subject"]; ok {
		if reason := checkSubject(subject); reason != "" {
			return nil, invalidParameter("Subject Reason: %s", reason)
		}
	}
	structure := p["MessageStructure"]
	switch structure {
	case "":
	case "json":
		var bodies map[string]any
		if err := json.Unmarshal([]byte(msg), &bodies); err != nil {
			return nil, invalidParameter("Message Structure - JSON message body failed to parse")
		}
		if _, ok := bodies["default"].(string); !ok {
			return nil, invalidParameter("Message Structure - No default entry in JSON message body")
		}
	default:
		return nil, invalidParameter("MessageStructure Reason: %q is not json", structure)
	}
	attrs, types, size, e := messageAttributes(p)
	if e != nil {
		return nil, e
	}
	if len(msg)+size > maxSNSMessage {
		return nil, invalidParameter("Message too long")
	}
	s.msgSeq++
	id := fmt.Sprintf("5e550000-0000-4000-8000-%012d", s.msgSeq)
	s.published = append(s.published, Message{MessageID: id, TopicARN: topic, Subject: p["Subject"], Message: msg,
		MessageStructure: structure, Attributes: attrs, AttributeTypes: types})
	return struct {
		MessageID string `xml:"MessageId"`
	}{id}, nil
}

// checkSubject says why SNS would refuse a subject, or "" if it would not:
// "must be ASCII text that begins with a letter, number, or punctuation
// mark; must not include line breaks or control characters; and must be
// less than 100 characters long."
func checkSubject(subject string) string {
	if len(subject) >= maxSubject {
		return fmt.Sprintf("must be less than %d characters long (got %d)", maxSubject, len(subject))
	}
	if subject == "" || subject[0] == ' ' {
		return "must begin with a letter, number, or punctuation mark"
	}
	for i := 0; i < len(subject); i++ {
		switch c := subject[i]; {
		case c >= 0x80:
			return "must be ASCII text"
		case c < 0x20 || c == 0x7f:
			return "must not include line breaks or control characters"
		}
	}
	return ""
}

// messageAttributes reads MessageAttributes.entry.N.{Name,Value.DataType,
// Value.StringValue,Value.BinaryValue} and checks them as SNS does. size is
// what the attributes add to the message size.
func messageAttributes(p params) (values, types map[string]string, size int, e *apiError) {
	for n := 1; ; n++ {
		prefix := snsMessageAttrsKey + strconv.Itoa(n) + "."
		name, ok := p[prefix+"Name"]
		if !ok {
			break
		}
		if n > maxMessageAttrs {
			return nil, nil, 0, invalidParameter("MessageAttributes Reason: at most %d message attributes are allowed", maxMessageAttrs)
		}
		typ := p[prefix+"Value.DataType"]
		str, hasStr := p[prefix+"Value.StringValue"]
		bin, hasBin := p[prefix+"Value.BinaryValue"]
		base, _, _ := strings.Cut(typ, ".")
		value := str
		switch {
		case name == "":
			return nil, nil, 0, errorf("ParameterValueInvalid", "The message attribute name must not be empty.")
		case typ == "":
			return nil, nil, 0, errorf("ParameterValueInvalid", "The message attribute '%s' must contain non-empty message attribute type.", name)
		case base == "String" || base == "Number":
			if !hasStr || str == "" {
				return nil, nil, 0, errorf("ParameterValueInvalid", "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, typ)
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(str, 64); err != nil {
					return nil, nil, 0, errorf("ParameterValueInvalid", "Could not cast message attribute '%s' value to number.", name)
				}
			}
		case base == "Binary":
			if !hasBin || bin == "" {
				return nil, nil, 0, errorf("ParameterValueInvalid", "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, typ)
			}
			value = bin
		default:
			return nil, nil, 0, errorf("ParameterValueInvalid", "The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
		if _, dup := values[name]; dup {
			return nil, nil, 0, invalidParameter("MessageAttributes Reason: duplicate attribute name %q", name)
		}
		if values == nil {
			values, types = map[string]string{}, map[string]string{}
		}
		values[name], types[name] = value, typ
		size += len(name) + len(typ) + len(value)
	}
	return values, types, size, nil
}
