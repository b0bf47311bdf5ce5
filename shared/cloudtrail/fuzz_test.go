package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The seed corpora live in testdata/fuzz/; these add the samples used most.
func addSeeds(f *testing.F) {
	f.Add([]byte(recA))
	f.Add([]byte(envC))
	f.Add([]byte(compactSample("DescribeEventAggregates-fivexl-1.json")))
	f.Add([]byte(`{"eventTime":"2023-11-21 23:31:17.000000000","readOnly":"true","requestParameters":"null"}`))
}

// FuzzDecodeRecord: DecodeRecord and Peek never panic; whatever DecodeRecord
// accepts, Peek agrees with and the EventBridge round trip preserves.
func FuzzDecodeRecord(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := valid(data), json.Valid(data); got != want {
			t.Fatalf("valid(%q) = %v, json.Valid = %v", data, got, want)
		}
		sum, perr := Peek(data)
		r, err := DecodeRecord(data)
		if err != nil {
			if r != nil {
				t.Fatalf("DecodeRecord(%q) = %+v with error %v, want nil", data, r, err)
			}
			return
		}
		if perr != nil {
			t.Fatalf("Peek(%q) error %v, but DecodeRecord accepts it", data, perr)
		}
		// Compare with == and reflect first: cmp is slow, and the fuzzer
		// minimizes every new input by running it thousands of times.
		if want := summaryOf(r); sum != want {
			t.Fatalf("Peek(%q) disagrees with DecodeRecord (-want +got):\n%s", data, cmp.Diff(want, sum))
		}
		// The helpers must not panic on anything DecodeRecord accepts.
		_, _, _ = r.MFAUsed(), r.RequestParam("userName"), r.ResponseParam("accessKey", "accessKeyId")
		_, _ = r.RequestParametersOmitted(), r.Account()

		ev, err := r.EventBridgeEvent()
		if err != nil {
			t.Fatalf("EventBridgeEvent() of %q error: %v", data, err)
		}
		back, err := DecodeRecord(ev)
		if err != nil {
			t.Fatalf("DecodeRecord(EventBridgeEvent() = %q) error: %v", ev, err)
		}
		if withoutEnvelope(r) != withoutEnvelope(back) && !reflect.DeepEqual(withoutEnvelope(r), withoutEnvelope(back)) {
			t.Fatalf("EventBridge round trip of %q (-want +got):\n%s", data, cmp.Diff(r, back, ignoreEnvelope))
		}
		// Strings with invalid UTF-8 are written back as U+FFFD, like
		// encoding/json does, so only valid input keeps its envelope exactly.
		if r.Envelope != nil && utf8.Valid(data) {
			if !reflect.DeepEqual(r.Envelope, back.Envelope) {
				t.Fatalf("EventBridge round trip of %q envelope (-want +got):\n%s", data, cmp.Diff(r.Envelope, back.Envelope))
			}
		}
	})
}

// FuzzReader: the Reader never panics and always ends; NextRaw followed by
// DecodeRecord is Next; and what it returns does not depend on how the input
// arrives in pieces.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Add([]byte(`{"Records":[` + recA + `,42,` + envC + "]}\n" + recB[:40] + "\n" + recB))
	f.Add([]byte(lookupEvents(true, recA)))
	f.Add(gzipped(f, recA+"\n"+recB))
	f.Fuzz(func(t *testing.T, data []byte) {
		compareNextRaw(t, data)
		whole := transcript(t, NewReader(bytes.NewReader(data), "in"), len(data))
		pieces := transcript(t, NewReader(iotest.OneByteReader(bytes.NewReader(data)), "in"), len(data))
		if !slices.Equal(whole, pieces) {
			t.Fatalf("Reader(%q) read whole vs. one byte at a time (-whole +pieces):\n%s", data, cmp.Diff(whole, pieces))
		}
	})
}

// withoutEnvelope is r without its Envelope, for comparison.
func withoutEnvelope(r *Record) *Record {
	c := *r
	c.Envelope = nil
	return &c
}

// transcript records everything a Reader returns, with offsets.
func transcript(t *testing.T, r *Reader, size int) []string {
	t.Helper()
	var out []string
	for i := 0; ; i++ {
		if i > size+10 {
			t.Fatalf("no io.EOF after %d calls on %d bytes", i, size)
		}
		raw, index, err := r.NextRaw()
		var de *DecodeError
		switch {
		case err == io.EOF:
			return out
		case errors.As(err, &de):
			out = append(out, err.Error())
		case err != nil:
			return append(out, "final: "+err.Error())
		default:
			out = append(out, fmt.Sprintf("record %d at %d: %q", index, r.Offset(), raw))
		}
	}
}
