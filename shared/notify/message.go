package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/iamguard/iamguard/shared/finding"
)

// MaxMessageBytes is the largest SNS message: 256 KiB, every protocol's body
// of a MessageStructure=json message together.
const MaxMessageBytes = 262_144

// FindingJSONVersion is the version of the machine form that FindingJSON
// writes and ParseFindingJSON reads.
const FindingJSONVersion = 1

// DefaultExemptTag is the tag key that exempts a user or role when its value
// is "true", unless the stack configures another.
const DefaultExemptTag = "iamguard:exempt"

// The message attribute names. SNS subscription filter policies match them.
const (
	AttrSeverity  = "severity"
	AttrRule      = "rule"
	AttrAccount   = "account"
	AttrStatus    = "status"
	AttrEventName = "eventName"
)

// Message is one SNS message, ready for Publish with MessageStructure=json.
type Message struct {
	// Subject is the email subject: ASCII, no control characters or line
	// breaks, fewer than 100 characters.
	Subject string
	// Body is the JSON of the per-protocol bodies, with the keys default,
	// email, https (the Chatbot custom notification), sqs and lambda.
	Body string
	// Attributes are the String message attributes: severity, rule,
	// account, status and eventName; one whose value is empty is left out,
	// since SNS rejects an empty attribute value.
	Attributes map[string]string
}

// body is the MessageStructure=json document, in the order a person reads it.
type body struct {
	Default string `json:"default"`
	Email   string `json:"email"`
	HTTPS   string `json:"https"`
	SQS     string `json:"sqs"`
	Lambda  string `json:"lambda"`
}

// envelope is the machine form of an alert.
type envelope struct {
	Finding  finding.Finding `json:"finding"`
	Outcome  finding.Outcome `json:"outcome"`
	Function string          `json:"function"`
	Version  int             `json:"version"`
}

// Build renders the alert for every protocol. When the whole message would
// exceed MaxMessageBytes it truncates the policy document, then the reasons,
// then other free text, saying so in the message; it fails only when the
// alert cannot be encoded at all.
func Build(a finding.Alert) (Message, error) {
	subject := Subject(a)
	attrs := Attributes(a)
	budget := MaxMessageBytes - len(subject)
	for k, v := range attrs {
		budget -= len(k) + len(v) + len("String")
	}
	var last int
	for _, shrink := range shrinkSteps {
		b, err := renderBody(shrink(a))
		if err != nil {
			return Message{}, fmt.Errorf("render alert for event %s: %w", a.Finding.EventID, err)
		}
		if len(b) <= budget {
			return Message{Subject: subject, Body: b, Attributes: attrs}, nil
		}
		last = len(b)
	}
	return Message{}, fmt.Errorf("render alert for event %s: %d bytes even after truncation, over the SNS limit of %d", a.Finding.EventID, last, budget)
}

func renderBody(a finding.Alert) (string, error) {
	machine, err := FindingJSON(a)
	if err != nil {
		return "", err
	}
	chat, err := ChatbotJSON(a)
	if err != nil {
		return "", err
	}
	b, err := marshal(body{
		Default: string(machine),
		Email:   EmailText(a),
		HTTPS:   string(chat),
		SQS:     string(machine),
		Lambda:  string(machine),
	})
	return string(b), err
}

// Attributes returns the alert's String message attributes, leaving out
// those whose value is empty.
func Attributes(a finding.Alert) map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{
		AttrSeverity:  a.Finding.Severity.String(),
		AttrRule:      a.Finding.Rule,
		AttrAccount:   a.Finding.Account,
		AttrStatus:    string(a.Outcome.Status),
		AttrEventName: a.Finding.EventName,
	} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// FindingJSON returns the machine form of the alert:
// {"finding":…,"outcome":…,"function":…,"version":1}.
func FindingJSON(a finding.Alert) ([]byte, error) {
	b, err := marshal(envelope{Finding: a.Finding, Outcome: a.Outcome, Function: function(a), Version: FindingJSONVersion})
	if err != nil {
		return nil, fmt.Errorf("encode finding %s of event %s: %w", a.Finding.Rule, a.Finding.EventID, err)
	}
	return b, nil
}

// ErrNotAlert is returned by ParseFindingJSON for a message that is not
// iamguard's machine form.
var ErrNotAlert = errors.New("not an iamguard alert")

// ParseFindingJSON reads the machine form that FindingJSON writes. It returns
// an error wrapping ErrNotAlert for any other JSON, or for text that is not
// JSON, so that a consumer can fall back to showing the message as it is.
func ParseFindingJSON(b []byte) (finding.Alert, error) {
	var e struct {
		envelope
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return finding.Alert{}, fmt.Errorf("%w: %w", ErrNotAlert, err)
	}
	switch {
	case e.Version == nil || e.Finding.Rule == "":
		// The event ID may be absent: a record without one (a hand-made or
		// truncated export) is still alerted on.
		return finding.Alert{}, fmt.Errorf("%w: want version and finding.rule", ErrNotAlert)
	case *e.Version != FindingJSONVersion:
		return finding.Alert{}, fmt.Errorf("%w: version %d, want %d", ErrNotAlert, *e.Version, FindingJSONVersion)
	}
	return finding.Alert{Finding: e.Finding, Outcome: e.Outcome, Function: e.Function}, nil
}

// marshal encodes v without HTML escaping: the bodies are read by people and
// programs, never embedded in HTML, and escaping only costs bytes.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// function is the family that handled the alert ("" when unknown).
func function(a finding.Alert) string { return a.Function }

func exemptTag(a finding.Alert) string {
	if a.ExemptTag != "" {
		return a.ExemptTag
	}
	return DefaultExemptTag
}
