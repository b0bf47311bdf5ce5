package cloudtrail

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors that DecodeRecord, Peek and Reader wrap, for errors.Is.
var (
	// ErrSyntax reports input that is not valid JSON.
	ErrSyntax = errors.New("invalid JSON")
	// ErrNotObject reports a record (or an envelope's detail) that is valid
	// JSON but not an object.
	ErrNotObject = errors.New("not a JSON object")
	// ErrTime reports an eventTime (or envelope time) that is not a time.
	ErrTime = errors.New("not a time")
	// ErrNotRecord reports a whole log file or lookup-events output where a
	// single record was expected, or a lookup-events entry without a record.
	ErrNotRecord = errors.New("not a single CloudTrail record")
	// ErrTooLarge reports a record larger than the Reader accepts.
	ErrTooLarge = errors.New("record too large")
)

// DecodeError describes one record that could not be read or decoded. The
// Reader carries on with the next record after it.
type DecodeError struct {
	Name   string // the name given to NewReader: a file path or "-"
	Index  int    // 1-based number of the record in the stream
	Offset int64  // byte offset of the record in the (decompressed) stream
	Err    error  // what is wrong
}

// Error reads like `events/x.json: record 3 (byte 1024): eventTime "yesterday" is not a time`.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("record %d (byte %d): %v", e.Index, e.Offset, e.Err)
	if e.Name == "" {
		return msg
	}
	return e.Name + ": " + msg
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// problem is an error with its own wording that still matches one of the
// sentinel errors above under errors.Is.
type problem struct {
	msg  string
	kind error
}

func (p *problem) Error() string { return p.msg }
func (p *problem) Unwrap() error { return p.kind }

func errorf(kind error, format string, args ...any) error {
	return &problem{msg: fmt.Sprintf(format, args...), kind: kind}
}

// excerpt returns v for an error message, cut short if long.
func excerpt(v []byte) string {
	const max = 64
	if len(v) <= max {
		return string(v)
	}
	return string(v[:max]) + "…(" + strconv.Itoa(len(v)) + " bytes)"
}

// kindName names the JSON type of a value starting with c, for messages.
func kindName(c byte) string {
	switch {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "not JSON"
}
