package cloudtrail

// Summary holds the fields that decide where a record goes: which rules
// could care about it. Peek fills it far faster than DecodeRecord.
type Summary struct {
	Source       string // the envelope's source, or derived from EventSource ("aws.iam")
	DetailType   string // the envelope's detail-type, or derived from EventType
	EventSource  string
	EventName    string
	EventType    string
	ErrorCode    string // "" when the call succeeded ("null" counts as absent)
	IdentityType string // userIdentity.type
	InvokedBy    string // userIdentity.invokedBy ("null" counts as absent)
	// EventTypeCode is an AWS Health event's detail.eventTypeCode (such as
	// AWS_RISK_CREDENTIALS_EXPOSED); "" for a CloudTrail record.
	EventTypeCode string
}

// Peek extracts the routing fields of one record or EventBridge event
// without decoding it. It scans the top-level keys, one level into
// userIdentity and, for an envelope, into detail; it allocates only the
// strings it returns, and not even those for common values.
//
// For every input that DecodeRecord accepts, Peek returns the same values as
// the Record: Source(), DetailType(), EventSource, EventName, EventType,
// ErrorCode, UserIdentity.Type and UserIdentity.InvokedBy. Peek does not
// validate what it skips, so it may accept input that DecodeRecord rejects
// (invalid JSON in a field it does not read, a bad eventTime).
func Peek(raw []byte) (Summary, error) {
	var s Summary
	b := trimSpace(raw)
	if len(b) == 0 {
		return s, errorf(ErrSyntax, "invalid JSON: empty record")
	}
	if b[0] != '{' {
		return s, errorf(ErrNotObject, "record is %s, not an object", kindName(b[0]))
	}
	var p peeker
	p.scan(b, true)
	if p.bad {
		return s, errorf(ErrSyntax, "invalid JSON in record")
	}
	return p.summary()
}

// summary finishes Peek once the record's own members are read.
func (p peeker) summary() (Summary, error) {
	var s Summary
	if p.hasDetailType && p.hasDetail {
		env := p
		if kind(p.detail) != '{' {
			return s, errorf(ErrNotObject, "EventBridge detail is %s, not an object", kindName(kind(p.detail)))
		}
		p = peeker{}
		p.scan(env.detail, false)
		if p.bad {
			return s, errorf(ErrSyntax, "invalid JSON in EventBridge detail")
		}
		s.DetailType = scalar(env.detailType)
		s.Source = scalar(env.source)
	}
	if p.records {
		return s, errorf(ErrNotRecord, "CloudTrail log file or lookup-events output, not a record")
	}
	s.EventSource = scalar(p.eventSource)
	s.EventName = scalar(p.eventName)
	s.EventType = scalar(p.eventType)
	s.EventTypeCode = scalar(p.eventTypeCode)
	s.ErrorCode = scalarNull(p.errorCode)
	if kind(p.identity) == '{' {
		if !p.identityRead {
			p.readIdentity()
		}
		s.IdentityType = scalar(p.identityType)
		s.InvokedBy = scalarNull(p.invokedBy)
	}
	if s.DetailType == "" {
		s.DetailType = detailTypeFor(s.EventType, s.EventSource)
	}
	if s.Source == "" {
		s.Source = sourceFor(s.EventSource)
	}
	return s, nil
}

// peeker holds the raw values of the keys Peek reads, from one object.
type peeker struct {
	eventSource, eventName, eventType, errorCode, identity []byte
	eventTypeCode                                          []byte
	detailType, source, detail                             []byte
	hasDetailType, hasDetail, records, bad                 bool

	identityType, invokedBy []byte // from the identity's members, once read
	identityRead            bool   // Reader.Peek has read them already
}

// readIdentity reads the members of the userIdentity object.
func (p *peeker) readIdentity() {
	var kb [64]byte
	for it := newMembers(p.identity); it.next(); {
		p.identityMember(unescapeKey(it.key, &kb), it.val)
	}
	p.identityRead = true
}

// identityMember takes one member of the userIdentity object.
func (p *peeker) identityMember(key, v []byte) {
	switch string(key) {
	case "type":
		p.identityType = v
	case "invokedBy":
		p.invokedBy = v
	}
}

func (p *peeker) scan(obj []byte, envelope bool) {
	var kb [64]byte
	it := newMembers(obj)
	for it.next() {
		p.member(unescapeKey(it.key, &kb), it.val, envelope)
	}
	p.bad = it.bad
}

// member takes one member of the object, its key unescaped.
func (p *peeker) member(key, v []byte, envelope bool) {
	switch string(key) {
	case "eventSource":
		p.eventSource = v
	case "eventName":
		p.eventName = v
	case "eventType":
		p.eventType = v
	case "eventTypeCode":
		p.eventTypeCode = v
	case "errorCode":
		p.errorCode = v
	case "userIdentity":
		p.identity = v
	case "Records", "Events":
		if kind(v) == '[' {
			p.records = true
		}
	case "detail-type":
		if envelope {
			p.detailType, p.hasDetailType = v, true
		}
	case "detail":
		if envelope {
			p.detail, p.hasDetail = v, true
		}
	case "source":
		p.source = v
	}
}
