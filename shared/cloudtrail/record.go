package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"iter"
	"strings"
	"time"
)

// Record is one CloudTrail event as the rules see it. Fields that a record
// lacks are zero.
type Record struct {
	EventVersion        string
	UserIdentity        UserIdentity
	EventTime           time.Time // RFC 3339 or Panther's "2006-01-02 15:04:05.999999999", in UTC; zero if absent
	EventSource         string    // "iam.amazonaws.com"
	EventName           string
	EventType           string // "AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent", ...
	EventID             string
	AWSRegion           string
	RecipientAccountID  string
	SourceIPAddress     string
	UserAgent           string
	ReadOnly            bool            // true or "true"
	ErrorCode           string          // "" when the call succeeded ("null" counts as absent)
	ErrorMessage        string          // "" when absent ("null" counts as absent)
	RequestParameters   json.RawMessage // nil when absent, null, "null" or ""; else the raw value
	ResponseElements    json.RawMessage // same convention
	AdditionalEventData json.RawMessage // same convention
	Envelope            *Envelope       // non-nil when the record arrived inside an EventBridge event
	Raw                 json.RawMessage // the record itself (the detail, for an envelope) exactly as read
}

// UserIdentity is the userIdentity element: who made the request.
type UserIdentity struct {
	Type           string // "Root", "IAMUser", "AssumedRole", "AWSService", ...
	PrincipalID    string
	ARN            string
	AccountID      string
	AccessKeyID    string
	UserName       string
	InvokedBy      string          // "signin.amazonaws.com" when made through the console; "null" counts as absent
	SessionContext *SessionContext // nil when absent
}

// SessionContext describes the temporary credentials behind a request.
type SessionContext struct {
	SessionIssuer    SessionIssuer
	MFAAuthenticated bool      // attributes.mfaAuthenticated: true or "true"
	CreationDate     time.Time // zero when absent or not a time (redacted samples carry "XXXX")
}

// SessionIssuer is the principal that issued temporary credentials, such as
// the role behind an AssumedRole session.
type SessionIssuer struct {
	Type        string
	PrincipalID string
	ARN         string
	AccountID   string
	UserName    string
}

// Envelope is the EventBridge event around a record.
type Envelope struct {
	Version    string
	ID         string
	DetailType string
	Source     string
	Account    string
	Region     string
	Time       time.Time
	Resources  []string // nil when empty
}

// DecodeRecord decodes one CloudTrail record or one EventBridge event (an
// object with "detail-type" and "detail") whose detail is a record. It keeps
// a copy of raw; the caller may reuse raw afterwards.
//
// It is lenient where real exporters differ and harmless: unknown fields are
// ignored, numbers and booleans in string fields read as their text, "null"
// stands for null, readOnly and mfaAuthenticated may be strings, and an
// object stringified into requestParameters (or responseElements, or
// additionalEventData) is unwrapped. It fails on input that is not JSON, a
// record that is not an object, an eventTime (or envelope time) that is not
// a time, and a whole log file. Like encoding/json, it takes the last of
// duplicate keys; unlike it, keys match case-sensitively, as Peek's do.
func DecodeRecord(raw []byte) (*Record, error) {
	return decodeRecord(raw, nil)
}

// decodeRecord is DecodeRecord. Given the spans of raw's members (which
// the Reader notes, with raw free of surrounding space), it reads them
// instead of walking the record.
func decodeRecord(raw []byte, spans []memberSpan) (*Record, error) {
	b := trimSpace(raw)
	if len(b) == 0 {
		return nil, errorf(ErrSyntax, "invalid JSON: empty record")
	}
	if !valid(b) {
		return nil, syntaxError(b)
	}
	if b[0] != '{' {
		return nil, errorf(ErrNotObject, "record is %s, not an object", kindName(b[0]))
	}
	b = bytes.Clone(b)

	var detailType, source, detail []byte
	var hasDetailType, hasDetail bool
	for key, val := range objectMembers(b, spans) {
		switch string(key) {
		case "detail-type":
			detailType, hasDetailType = val, true
		case "detail":
			detail, hasDetail = val, true
		case "source":
			source = val
		}
	}
	rec := &Record{Raw: b}
	if hasDetailType && hasDetail {
		if kind(detail) != '{' {
			return nil, errorf(ErrNotObject, "EventBridge detail is %s, not an object", kindName(kind(detail)))
		}
		env, err := decodeEnvelope(b, detailType, source)
		if err != nil {
			return nil, err
		}
		rec.Envelope = env
		rec.Raw = detail
		spans = nil // the detail's members are not noted
	}
	if err := rec.decode(rec.Raw, spans); err != nil {
		return nil, err
	}
	return rec, nil
}

// objectMembers yields the members of the valid JSON object b, keys
// unescaped: from its spans when given, else by walking it.
func objectMembers(b []byte, spans []memberSpan) iter.Seq2[[]byte, []byte] {
	return func(yield func(key, val []byte) bool) {
		var kb [64]byte
		if spans != nil {
			for _, m := range spans {
				if !yield(unescapeKey(b[m.key0:m.key1], &kb), b[m.val0:m.val1]) {
					return
				}
			}
			return
		}
		for it := newMembers(b); it.next(); {
			if !yield(unescapeKey(it.key, &kb), it.val) {
				return
			}
		}
	}
}

func syntaxError(b []byte) error {
	var v struct{}
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errorf(ErrSyntax, "invalid JSON: %s (at byte %d of the record)", se.Error(), se.Offset)
	}
	return errorf(ErrSyntax, "invalid JSON")
}

func decodeEnvelope(b, detailType, source []byte) (*Envelope, error) {
	env := &Envelope{DetailType: scalar(detailType), Source: scalar(source)}
	var kb [64]byte
	for it := newMembers(b); it.next(); {
		switch string(unescapeKey(it.key, &kb)) {
		case "version":
			env.Version = scalar(it.val)
		case "id":
			env.ID = scalar(it.val)
		case "account":
			env.Account = scalar(it.val)
		case "region":
			env.Region = scalar(it.val)
		case "time":
			t, err := parseTime("time", it.val)
			if err != nil {
				return nil, err
			}
			env.Time = t
		case "resources":
			env.Resources = nil
			if kind(it.val) != '[' {
				continue
			}
			for el := range elements(it.val) {
				env.Resources = append(env.Resources, scalar(el))
			}
		}
	}
	return env, nil
}

// decode fills r from the record object b, which is valid JSON, and the
// spans of its members if known.
func (r *Record) decode(b []byte, spans []memberSpan) error {
	for key, v := range objectMembers(b, spans) {
		switch string(key) {
		case "Records":
			if kind(v) == '[' {
				return errorf(ErrNotRecord, "CloudTrail log file, not a record: read it with NewReader")
			}
		case "Events":
			if kind(v) == '[' {
				return errorf(ErrNotRecord, "lookup-events output, not a record: read it with NewReader")
			}
		case "eventVersion":
			r.EventVersion = scalar(v)
		case "userIdentity":
			r.UserIdentity = decodeIdentity(v)
		case "eventTime":
			t, err := parseTime("eventTime", v)
			if err != nil {
				return err
			}
			r.EventTime = t
		case "eventSource":
			r.EventSource = scalar(v)
		case "eventName":
			r.EventName = scalar(v)
		case "eventType":
			r.EventType = scalar(v)
		case "eventID":
			r.EventID = scalar(v)
		case "awsRegion":
			r.AWSRegion = scalar(v)
		case "recipientAccountId":
			r.RecipientAccountID = scalar(v)
		case "sourceIPAddress":
			r.SourceIPAddress = scalar(v)
		case "userAgent":
			r.UserAgent = scalar(v)
		case "readOnly":
			r.ReadOnly = truthy(v)
		case "errorCode":
			r.ErrorCode = scalarNull(v)
		case "errorMessage":
			r.ErrorMessage = scalarNull(v)
		case "requestParameters":
			r.RequestParameters = rawField(v)
		case "responseElements":
			r.ResponseElements = rawField(v)
		case "additionalEventData":
			r.AdditionalEventData = rawField(v)
		}
	}
	return nil
}

func decodeIdentity(v []byte) UserIdentity {
	var id UserIdentity
	if kind(v) != '{' {
		return id
	}
	var kb [64]byte
	for it := newMembers(v); it.next(); {
		v := it.val
		switch string(unescapeKey(it.key, &kb)) {
		case "type":
			id.Type = scalar(v)
		case "principalId":
			id.PrincipalID = scalar(v)
		case "arn":
			id.ARN = scalar(v)
		case "accountId":
			id.AccountID = scalar(v)
		case "accessKeyId":
			id.AccessKeyID = scalar(v)
		case "userName":
			id.UserName = scalar(v)
		case "invokedBy":
			id.InvokedBy = scalarNull(v)
		case "sessionContext":
			id.SessionContext = decodeSession(v)
		}
	}
	return id
}

func decodeSession(v []byte) *SessionContext {
	if kind(v) != '{' {
		return nil
	}
	sc := new(SessionContext)
	var kb [64]byte
	for it := newMembers(v); it.next(); {
		switch string(unescapeKey(it.key, &kb)) {
		case "sessionIssuer":
			sc.SessionIssuer = decodeIssuer(it.val)
		case "attributes":
			sc.MFAAuthenticated, sc.CreationDate = false, time.Time{}
			if kind(it.val) != '{' {
				continue
			}
			for at := newMembers(it.val); at.next(); {
				switch string(unescapeKey(at.key, &kb)) {
				case "mfaAuthenticated":
					sc.MFAAuthenticated = truthy(at.val)
				case "creationDate":
					// Lenient on purpose: redacted records carry "XXXXXXXX" here,
					// and no rule depends on it.
					sc.CreationDate, _ = parseTime("creationDate", at.val)
				}
			}
		}
	}
	return sc
}

func decodeIssuer(v []byte) SessionIssuer {
	var si SessionIssuer
	if kind(v) != '{' {
		return si
	}
	var kb [64]byte
	for it := newMembers(v); it.next(); {
		v := it.val
		switch string(unescapeKey(it.key, &kb)) {
		case "type":
			si.Type = scalar(v)
		case "principalId":
			si.PrincipalID = scalar(v)
		case "arn":
			si.ARN = scalar(v)
		case "accountId":
			si.AccountID = scalar(v)
		case "userName":
			si.UserName = scalar(v)
		}
	}
	return si
}

// rawField applies the requestParameters convention: nil for nothing, the
// parsed object for an object stringified into a JSON string, else v itself.
func rawField(v []byte) json.RawMessage {
	if isNullish(v) {
		return nil
	}
	if isString(v) {
		s := trimSpace(appendUnescaped(nil, rawString(v)))
		if len(s) > 0 && s[0] == '{' && valid(s) {
			return s
		}
	}
	return v
}

// Time layouts seen in the wild, tried in order.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",       // Panther
	"2006-01-02 15:04:05.999999999Z07:00", // RFC 3339 with a space
	"2006-01-02T15:04:05.999999999",       // no zone: CloudTrail times are UTC
}

// parseTime reads a time field. null, "null" and "" are the zero time.
func parseTime(field string, v []byte) (time.Time, error) {
	if isNullish(v) {
		return time.Time{}, nil
	}
	if isString(v) {
		s := unquote(v)
		for _, layout := range timeLayouts {
			// A zone offset can push a year-0000 or year-9999 time outside
			// what RFC 3339 can write back; such a time is not plausible.
			if t, err := time.Parse(layout, s); err == nil && t.UTC().Year() >= 1 && t.UTC().Year() <= 9999 {
				return t.UTC(), nil
			}
		}
	}
	return time.Time{}, errorf(ErrTime, "%s %s is not a time", field, excerpt(v))
}

// MFAUsed reports whether additionalEventData.MFAUsed says "yes", in any case
// ("YES" occurs in root sign-ins).
func (r *Record) MFAUsed() bool {
	v, ok := findMember(r.AdditionalEventData, "MFAUsed")
	return ok && isString(v) && strings.EqualFold(string(rawString(v)), "yes")
}

// Field returns a top-level member of the record (the detail, for an
// EventBridge event) converted as RequestParam converts it: for events
// that are not CloudTrail records, such as AWS Health's eventTypeCode.
func (r *Record) Field(name string) string {
	v, _ := findMember(r.Raw, name)
	return scalar(v)
}

// AdditionalEventDataString returns a top-level additionalEventData value
// converted as RequestParam converts it, and whether it is present.
func (r *Record) AdditionalEventDataString(name string) (string, bool) {
	v, ok := findMember(r.AdditionalEventData, name)
	return scalar(v), ok
}

// Failed reports whether the call failed: it has an errorCode, or it is a
// sign-in event (ConsoleLogin, PasswordUpdated, ExternalIdPDirectoryLogin,
// ...) whose outcome in responseElements, under the event's own name, is
// "Failure", or absent beside an errorMessage: sign-in reports failure
// there, not in errorCode.
func (r *Record) Failed() bool {
	if r.ErrorCode != "" {
		return true
	}
	if r.EventSource != "signin.amazonaws.com" || r.EventName == "" {
		return false
	}
	// No outcome but an error message ("Failed authentication") is a
	// failure too.
	outcome := r.ResponseParam(r.EventName)
	return strings.EqualFold(outcome, "Failure") || (outcome == "" && r.ErrorMessage != "")
}

// RequestParam returns a top-level requestParameters value: a string as is,
// a number or boolean as its text, and "" when absent, null or structured.
func (r *Record) RequestParam(name string) string {
	v, _ := findMember(r.RequestParameters, name)
	return scalar(v)
}

// RequestParamRaw returns a top-level requestParameters value as raw JSON
// (an object stays an object), or nil when it is absent.
func (r *Record) RequestParamRaw(name string) json.RawMessage {
	v, ok := findMember(r.RequestParameters, name)
	if !ok {
		return nil
	}
	return json.RawMessage(v)
}

// ResponseParam returns the value at a path of nested objects in
// responseElements, such as ("accessKey", "accessKeyId"), converted as
// RequestParam converts. It returns "" if any step is missing.
func (r *Record) ResponseParam(path ...string) string {
	if len(path) == 0 {
		return ""
	}
	v := []byte(r.ResponseElements)
	for _, name := range path {
		var ok bool
		if v, ok = findMember(v, name); !ok {
			return ""
		}
	}
	return scalar(v)
}

// RequestParametersOmitted reports whether CloudTrail truncated the request
// or the response: it replaces a field larger than its limit with an object
// carrying "omitted": true. Rules must not read "no policy document" as
// "nothing dangerous" then.
func (r *Record) RequestParametersOmitted() bool {
	return omitted(r.RequestParameters) || omitted(r.ResponseElements)
}

func omitted(obj []byte) bool {
	v, ok := findMember(obj, "omitted")
	return ok && truthy(v)
}

// DetailType returns the envelope's detail-type, or else the one EventBridge
// gives records of this eventType ("AWS API Call via CloudTrail" for
// AwsApiCall). It returns "" for event types EventBridge does not route.
func (r *Record) DetailType() string {
	if r.Envelope != nil && r.Envelope.DetailType != "" {
		return r.Envelope.DetailType
	}
	return detailTypeFor(r.EventType, r.EventSource)
}

// Source returns the envelope's source, or else the EventBridge source for
// the eventSource: "iam.amazonaws.com" gives "aws.iam".
func (r *Record) Source() string {
	if r.Envelope != nil && r.Envelope.Source != "" {
		return r.Envelope.Source
	}
	return sourceFor(r.EventSource)
}

// Account returns the account the event belongs to: recipientAccountId, else
// the envelope's account, else the caller's account.
func (r *Record) Account() string {
	switch {
	case r.RecipientAccountID != "":
		return r.RecipientAccountID
	case r.Envelope != nil && r.Envelope.Account != "":
		return r.Envelope.Account
	}
	return r.UserIdentity.AccountID
}
