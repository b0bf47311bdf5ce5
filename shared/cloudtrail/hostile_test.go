package cloudtrail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// drain reads r to the end (or a final error) and returns how many records
// and how many DecodeErrors it gave.
func drain(t testing.TB, r *Reader) (records, bad int) {
	t.Helper()
	for {
		_, _, err := r.NextRaw()
		var de *DecodeError
		switch {
		case err == io.EOF:
			return records, bad
		case errors.As(err, &de):
			bad++
		case err != nil:
			t.Fatalf("NextRaw() final error: %v", err)
		default:
			records++
		}
	}
}

// TestReaderLinearWork: no input makes the Reader scan what it has already
// scanned more than a few times. The work is the count of bytes the Reader's
// scans pass over (r.work), not a time, so the test is exact on any machine.
// Before, a file of `{"Records":[` lines scanned the rest of the file once
// per line (quadratic) and a file of `[` lines a thousand lines per line.
func TestReaderLinearWork(t *testing.T) {
	tests := []struct {
		name string
		line string
	}{
		{"log-file openers", `{"Records":[` + "\n"},
		{"array openers", "[\n"},
		{"array openers, no newline", "["},
		{"quotes", `"`},
		{"quote lines", "\"\n"},
		{"unclosed brackets", `{"a":[` + "\n"},
		{"lookup-events openers", `{"Events":[` + "\n"},
		{"objects in arrays", "[{\n"},
		{"strings in a log file", `{"Records":["",` + "\n"},
		// Each level holds a record that opens a line and closes, then the
		// next level: the value breaks at the end, so does each level read
		// after the record before it, and each breaks at once.
		{"records in open arrays", "[\n" + `{"eventName":"` + strings.Repeat("x", 200) + `"},` + "\n"},
		{"records in open arrays, too deep", "[\n{},\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{1000, 20000} {
				in := strings.Repeat(tc.line, n) + recA + "\n"
				r := NewReader(strings.NewReader(in), "hostile.json")
				drain(t, r)
				if limit := int64(4*len(in) + 64<<10); r.work > limit {
					t.Errorf("%d lines of %q: the Reader scanned %d bytes of a %d-byte input, want at most %d", n, tc.line, r.work, len(in), limit)
				}
			}
		})
	}
}

// TestReaderLinearWorkInvalid: a value whose brackets balance but which is
// not JSON, with lines inside it that start with '{' or '[', is not read
// again from each of those lines (each retry used to validate the rest of
// the value again).
func TestReaderLinearWorkInvalid(t *testing.T) {
	for _, n := range []int{100, 900} {
		in := strings.Repeat(`{"a":`+"\n", n) + "1 2" + strings.Repeat(" ", 10000) + strings.Repeat("}", n) + "\n" + recA + "\n"
		r := NewReader(strings.NewReader(in), "invalid.json")
		records, _ := drain(t, r)
		if limit := int64(4*len(in) + 64<<10); r.work > limit {
			t.Errorf("%d nested lines: the Reader scanned %d bytes of a %d-byte input, want at most %d", n, r.work, len(in), limit)
		}
		if records != 1 {
			t.Errorf("%d nested lines: %d records, want the one after them", n, records)
		}
	}
}

// TestReaderQuoteBomb: a stream of quotes is a few errors, not one per pair
// of quotes (a billion for 2 GB).
func TestReaderQuoteBomb(t *testing.T) {
	for _, in := range []string{
		strings.Repeat(`"`, 1<<20) + "\n" + recA + "\n",
		strings.Repeat("\"\n", 1<<19) + "\n" + recA + "\n",
		strings.Repeat(`"x" `, 1<<18) + "\n" + recA + "\n",
		// Elements of a log file or an array: one error for the run.
		`{"Records":[` + strings.Repeat(`"",`, 1<<18) + recA + "]}",
		`[` + strings.Repeat(`1, `, 1<<18) + recA + `,"` + strings.Repeat("x", 1<<20) + `"]`,
		`{"Events":[` + strings.Repeat(`null,`, 1<<18) + `{"CloudTrailEvent":` + mustQuote(recA) + `}]}`,
	} {
		records, bad := drain(t, NewReader(strings.NewReader(in), "quotes.json"))
		if records != 1 || bad > 2 {
			t.Errorf("Reader(%.20q... %d bytes) = %d records and %d errors, want the record in it and at most 2 errors", in, len(in), records, bad)
		}
	}
}

// stallReader returns its data, then blocks until released.
type stallReader struct {
	data    []byte
	release chan struct{}
}

func (s *stallReader) Read(p []byte) (int, error) {
	if len(s.data) > 0 {
		n := copy(p, s.data)
		s.data = s.data[n:]
		return n, nil
	}
	<-s.release
	return 0, io.EOF
}

// TestReaderErrorBeforeResync: an error is returned when it is found; the
// search for the next record starts at the next call. A stalled pipe after
// a broken record still says why.
func TestReaderErrorBeforeResync(t *testing.T) {
	for _, in := range []string{`{"a":]}`, "}", "hello", `"x"`, `{"a":"b` + "\n\n"} {
		s := &stallReader{data: []byte(in), release: make(chan struct{})}
		r := NewReader(s, "pipe")
		done := make(chan error, 1)
		go func() {
			_, _, err := r.NextRaw()
			done <- err
		}()
		select {
		case err := <-done:
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("NextRaw(%q, then a stall) = %v, want a DecodeError", in, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("NextRaw(%q, then a stall) did not return: the error waits for the resynchronisation", in)
		}
		close(s.release)
	}
}

// zeroReader is /dev/zero.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestReaderZeros: an endless stream of NUL bytes (/dev/zero) gives an error
// at once and keeps the buffer small.
func TestReaderZeros(t *testing.T) {
	for _, prefix := range []string{"", "[", `{"Records":[`} {
		z := &zeroReader{}
		r := NewReader(io.MultiReader(strings.NewReader(prefix), z), "/dev/zero")
		_, _, err := r.NextRaw()
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("NextRaw(%q + zeros) = %v, want a DecodeError", prefix, err)
		}
		if z.n > 1<<20 {
			t.Errorf("NextRaw(%q + zeros) read %d bytes before reporting, want at most 1 MiB", prefix, z.n)
		}
		// Reading on searches for the next line in bounded memory.
		lim := &zeroReader{}
		r = NewReader(io.MultiReader(strings.NewReader(prefix), io.LimitReader(lim, 64<<20)), "/dev/zero")
		drain(t, r)
		if c := cap(r.buf); c > 1<<20 {
			t.Errorf("Reader(%q + 64 MiB of zeros) grew its buffer to %d bytes, want at most 1 MiB", prefix, c)
		}
	}
}

// TestReaderRecordsNotArray: a log file whose Records (or lookup-events
// output whose Events) is not an array is an error, not a record to skip.
func TestReaderRecordsNotArray(t *testing.T) {
	for _, in := range []string{`{"Records": 5}`, `{"Records": {"eventName":"x"}}`, `{"Records": "x"}`, `{"Records": null}`,
		`{"Digest":1,"Records":{}}`, `{"Events": "x"}`, `[{"Records": 5}]`} {
		r := NewReader(strings.NewReader(in+"\n"+recA), "trail.json")
		_, _, err := r.NextRaw()
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, ErrNotRecord) || !strings.Contains(err.Error(), "trail.json") || !strings.Contains(err.Error(), "not an array") {
			t.Errorf("NextRaw(%q) = %v, want an ErrNotRecord DecodeError naming trail.json and saying not an array", in, err)
		}
		if records, _ := drain(t, r); records != 1 {
			t.Errorf("NextRaw(%q) then %d records, want the record after it", in, records)
		}
	}
}

// TestReaderGzipErrorPosition: a broken gzip stream's error says how far
// reading got: the record and the byte of the decompressed stream.
func TestReaderGzipErrorPosition(t *testing.T) {
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "%s\n", strings.Replace(recA, "CreateAccessKey", fmt.Sprintf("Call%d", i), 1))
	}
	good := gzipped(t, sb.String())
	r := NewReader(bytes.NewReader(good[:len(good)/2]), "logs.gz")
	var err error
	for {
		if _, err = r.Next(); err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				break
			}
		}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "read logs.gz: ") || !strings.Contains(msg, "after record ") || !strings.Contains(msg, " of the decompressed stream") {
		t.Errorf("Next() on a truncated gzip stream = %q, want it to name the file, the record and the byte reached", msg)
	}
}

// BenchmarkReaderHostile reads 4 MiB of hostile input: with no rescans the
// speed does not depend on the size (compare -benchtime runs of bench/hostile.sh).
func BenchmarkReaderHostile(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"RecordsLines", `{"Records":[` + "\n"},
		{"BracketLines", "[\n"},
		{"Quotes", `"`},
		{"QuoteLines", "\"\n"},
	} {
		in := []byte(strings.Repeat(bc.line, (4<<20)/len(bc.line)))
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				r := NewReader(bytes.NewReader(in), "hostile")
				drain(b, r)
			}
		})
	}
}
