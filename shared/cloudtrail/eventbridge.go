package cloudtrail

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/iamguard/iamguard/internal/jsonstr"
)

// EventBridgeEvent returns the EventBridge event that carries r, as a Lambda
// behind an EventBridge rule would receive it: r's own envelope if it came in
// one, else one made the way EventBridge makes it (version "0", id = eventID,
// the derived detail-type and source, account, time = eventTime, region =
// awsRegion, no resources). The detail is r.Raw byte for byte, so decoding
// the result gives back the same Record, now with an Envelope.
//
// The offline command uses it to replay log files through the same handler
// code that Lambda runs.
func (r *Record) EventBridgeEvent() ([]byte, error) {
	if len(r.Raw) == 0 {
		return nil, errors.New("record has no raw JSON to carry as detail")
	}
	if !json.Valid(r.Raw) {
		return nil, errorf(ErrSyntax, "record's raw JSON is not valid")
	}
	env := Envelope{
		Version:    "0",
		ID:         r.EventID,
		DetailType: r.DetailType(),
		Source:     r.Source(),
		Account:    r.Account(),
		Time:       r.EventTime,
		Region:     r.AWSRegion,
	}
	if r.Envelope != nil {
		env = *r.Envelope
	}
	b := make([]byte, 0, len(r.Raw)+320)
	b = append(b, `{"version":`...)
	b = jsonstr.AppendQuote(b, env.Version)
	b = append(b, `,"id":`...)
	b = jsonstr.AppendQuote(b, env.ID)
	b = append(b, `,"detail-type":`...)
	b = jsonstr.AppendQuote(b, env.DetailType)
	b = append(b, `,"source":`...)
	b = jsonstr.AppendQuote(b, env.Source)
	b = append(b, `,"account":`...)
	b = jsonstr.AppendQuote(b, env.Account)
	b = append(b, `,"time":"`...)
	b = env.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","region":`...)
	b = jsonstr.AppendQuote(b, env.Region)
	b = append(b, `,"resources":[`...)
	for i, res := range env.Resources {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.AppendQuote(b, res)
	}
	b = append(b, `],"detail":`...)
	b = append(b, r.Raw...)
	return append(b, '}'), nil
}
