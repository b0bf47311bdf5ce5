package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
)

// Records used to build streams: two bare records and two EventBridge
// envelopes, minified the way CloudTrail writes log files.
var (
	recA   = compactSample("CreateAccessKey-stratus-1.json")             // bare
	recB   = compactSample("ConsoleLogin-panther-1.json")                // bare, Panther eventTime
	envC   = compactSample("PutRolePolicy-unknownrepo-pyfixture-1.json") // envelope
	envD   = compactSample("CreateBucket-custodian-1.json")              // envelope
	sigA   = "CreateAccessKey/94faedcc-0fa4-46e6-9322-022e8e934f04"
	sigB   = "ConsoleLogin/364ad368-42bf-4e05-a500-971ddfe8ebff"
	sigC   = "PutRolePolicy/e8b1cc4d-32a6-4291-ba2e-dc27fa475f3b+env"
	sigD   = "CreateBucket/c4fa3db1-2303-40e4-bde0-3b7246bdbf0b+env"
	detail = compactDetail(envC) // the record inside envC, bare
)

func compactSample(file string) string {
	b, err := readSampleFile(file)
	if err != nil {
		panic(err) // package-level test fixture: a missing file is a broken checkout
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		panic(err)
	}
	return buf.String()
}

func compactDetail(env string) string {
	var v struct{ Detail json.RawMessage }
	if err := json.Unmarshal([]byte(env), &v); err != nil {
		panic(err)
	}
	return string(v.Detail)
}

func indent(s string) string { return indentWith(s, "  ") }

// indentWith pretty-prints s; an empty indent starts nested lines with '{'
// or '[' too, as Python's json.dumps(indent=0) does.
func indentWith(s, ind string) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", ind); err != nil {
		panic(err)
	}
	return buf.String()
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lookupEvents renders records the way `aws cloudtrail lookup-events` does.
func lookupEvents(nextTokenFirst bool, recs ...string) string {
	type entry struct {
		EventID         string `json:"EventId"`
		EventName       string
		ReadOnly        string
		CloudTrailEvent string
	}
	var es []entry
	for _, r := range recs {
		var v struct{ EventID, EventName string }
		_ = json.Unmarshal([]byte(r), &v)
		es = append(es, entry{EventID: v.EventID, EventName: v.EventName, ReadOnly: "false", CloudTrailEvent: r})
	}
	b, err := json.MarshalIndent(map[string]any{"Events": es}, "", "    ")
	if err != nil {
		panic(err)
	}
	if nextTokenFirst {
		return `{"NextToken": "abc", ` + strings.TrimPrefix(string(b), "{")
	}
	return strings.TrimSuffix(string(b), "}") + `, "NextToken": "abc"}`
}

// sig identifies a decoded record in test output.
func sig(r *Record) string {
	s := r.EventName + "/" + r.EventID
	if r.Envelope != nil {
		s += "+env"
	}
	return s
}

// readAll drains r and describes what it returned: a sig per record and
// "error N: ..." per DecodeError. A final error ends the list.
func readAll(t *testing.T, r *Reader) []string {
	t.Helper()
	var got []string
	for range 10000 {
		rec, err := r.Next()
		var de *DecodeError
		switch {
		case err == io.EOF:
			return got
		case errors.As(err, &de):
			got = append(got, fmt.Sprintf("error %d", de.Index))
		case err != nil:
			return append(got, "final: "+err.Error())
		default:
			got = append(got, sig(rec))
		}
	}
	t.Fatal("Reader did not reach io.EOF after 10000 calls")
	return nil
}

func TestReaderShapes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"bare record", recA, []string{sigA}},
		{"bare record pretty", indent(recA) + "\n", []string{sigA}},
		{"envelope", envC, []string{sigC}},
		{"log file", `{"Records":[` + recA + `,` + recB + `,` + detail + `]}`, []string{sigA, sigB, strings.TrimSuffix(sigC, "+env")}},
		{"log file pretty", indent(`{"Records":[` + recA + `,` + recB + `]}`), []string{sigA, sigB}},
		{"log file empty", `{"Records":[]}`, nil},
		{"log file with envelopes", `{"Records":[` + envC + `,` + envD + `]}`, []string{sigC, sigD}},
		{"log file key not first", `{"Digest":{"a":[1,2]},"Records":[` + recA + `],"More":"x"}`, []string{sigA}},
		{"JSON Lines", recA + "\n" + envC + "\n" + recB + "\n", []string{sigA, sigC, sigB}},
		{"JSON Lines CRLF no final newline", recA + "\r\n" + recB, []string{sigA, sigB}},
		{"concatenated pretty", indent(recA) + indent(envD) + "\n" + indent(recB), []string{sigA, sigD, sigB}},
		{"concatenated no separator", recA + recB + envC, []string{sigA, sigB, sigC}},
		{"concatenated indent 0", indentWith(recA, "") + "\n" + indentWith(envC, "") + "\n" + indentWith(`[`+recB+`,`+recA+`]`, ""),
			[]string{sigA, sigC, sigB, sigA}},
		{"log file indent 0", indentWith(`{"Records":[`+recA+`,`+envD+`]}`, ""), []string{sigA, sigD}},
		{"lookup-events indent 0", indentWith(lookupEvents(false, recA, recB), ""), []string{sigA, sigB}},
		{"commas between values", recA + ",\n" + recB + ",", []string{sigA, sigB}},
		{"array", `[` + recA + `,` + envC + `,` + recB + `]`, []string{sigA, sigC, sigB}},
		{"array pretty", indent(`[` + recA + `,` + envD + `]`), []string{sigA, sigD}},
		{"array empty", `[ ]`, nil},
		{"array of log files", `[{"Records":[` + recA + `]},{"Records":[` + recB + `]},` + envC + `]`, []string{sigA, sigB, sigC}},
		{"lookup-events", lookupEvents(false, recA, recB), []string{sigA, sigB}},
		{"lookup-events NextToken first", lookupEvents(true, recA, recB), []string{sigA, sigB}},
		{"lookup-events parsed entry", `{"Events":[{"EventId":"x","CloudTrailEvent":` + recA + `}]}`, []string{sigA}},
		{"mixed", `{"Records":[` + recA + `]}` + "\n" + envC + "\n" + `[` + recB + `]` + "\n" + lookupEvents(false, envD) + "\n" + indent(recA),
			[]string{sigA, sigC, sigB, sigD, sigA}},
		{"empty", ``, nil},
		{"whitespace only", " \n\t\r\n  ", nil},
		{"byte order mark", "\xEF\xBB\xBF" + recA, []string{sigA}},
		{"byte order marks of concatenated files", "\xEF\xBB\xBF" + recA + "\n\xEF\xBB\xBF" + indent(recB), []string{sigA, sigB}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, NewReader(strings.NewReader(tc.in), "in.json"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Reader(%.60q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
		t.Run(tc.name+" gzip", func(t *testing.T) {
			got := readAll(t, NewReader(bytes.NewReader(gzipped(t, tc.in)), "in.json.gz"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Reader(gzip %.60q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
		t.Run(tc.name+" one byte at a time", func(t *testing.T) {
			got := readAll(t, NewReader(iotest.OneByteReader(strings.NewReader(tc.in)), "in.json"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Reader(one byte at a time %.60q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestReaderGzipMultistream(t *testing.T) {
	in := append(gzipped(t, `{"Records":[`+recA+`]}`), gzipped(t, recB+"\n"+envC)...)
	got := readAll(t, NewReader(bytes.NewReader(in), "cat.gz"))
	if diff := cmp.Diff([]string{sigA, sigB, sigC}, got); diff != "" {
		t.Errorf("Reader(two gzip members) mismatch (-want +got):\n%s", diff)
	}
}

// TestReaderDetailTypes checks that an envelope is recognized by its shape,
// whatever detail-type spelling it carries.
func TestReaderDetailTypes(t *testing.T) {
	for _, dt := range []string{
		"AWS API Call via CloudTrail",
		"AWS Console Sign In via CloudTrail",
		"AWS Console Signin via CloudTrail",
		"AWS Service Event via CloudTrail",
		"AWS Console Action via CloudTrail",
	} {
		t.Run(dt, func(t *testing.T) {
			env := strings.Replace(envC, `"AWS API Call via CloudTrail"`, `"`+dt+`"`, 1)
			in := recA + "\n" + env + "\n" + `{"Records":[` + env + `]}`
			r := NewReader(strings.NewReader(in), "in.json")
			if got, want := readAll(t, r), []string{sigA, sigC, sigC}; !cmp.Equal(got, want) {
				t.Errorf("Reader(%s envelopes) = %v, want %v", dt, got, want)
			}
			rec, err := DecodeRecord([]byte(env))
			if err != nil {
				t.Fatalf("DecodeRecord(%s envelope) error: %v", dt, err)
			}
			if got := rec.DetailType(); got != dt {
				t.Errorf("DecodeRecord(%s envelope).DetailType() = %q, want %q", dt, got, dt)
			}
			if got := string(rec.Raw); got != detail {
				t.Errorf("DecodeRecord(%s envelope).Raw = %.80s, want the detail %.80s", dt, got, detail)
			}
		})
	}
}

func TestReaderIndexAndOffset(t *testing.T) {
	in := `{"Records":[` + recA + `, ` + recB + "]}\n" + envC + "\n"
	r := NewReader(strings.NewReader(in), "x.json")
	wantOffsets := []int{strings.Index(in, recA), strings.Index(in, recB), strings.Index(in, envC)}
	for i, off := range wantOffsets {
		raw, index, err := r.NextRaw()
		if err != nil {
			t.Fatalf("NextRaw() #%d error: %v", i+1, err)
		}
		if index != i+1 {
			t.Errorf("NextRaw() #%d index = %d, want %d", i+1, index, i+1)
		}
		if got := r.Offset(); got != int64(off) {
			t.Errorf("NextRaw() #%d Offset() = %d, want %d", i+1, got, off)
		}
		if got, want := string(raw), in[off:off+len(raw)]; got != want {
			t.Errorf("NextRaw() #%d raw = %.60s, want %.60s", i+1, got, want)
		}
	}
	if _, _, err := r.NextRaw(); err != io.EOF {
		t.Errorf("NextRaw() at end error = %v, want io.EOF", err)
	}
	if _, _, err := r.NextRaw(); err != io.EOF {
		t.Errorf("NextRaw() after end error = %v, want io.EOF again", err)
	}
}

func TestReaderMalformed(t *testing.T) {
	badTime := strings.Replace(recB, `"2024-06-02 19:41:40.000000000"`, `"yesterday"`, 1)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"truncated", recA[:len(recA)/2], []string{"error 1"}},
		{"truncated inside a string", `{"eventName":"Creat`, []string{"error 1"}},
		{"truncated log file", `{"Records":[` + recA + `,` + recB[:100], []string{sigA, "error 2"}},
		{"bad records in a log file", `{"Records":[` + recA + `,42,` + badTime + `,{"eventName": tru},"x",` + recB + `]}`,
			[]string{sigA, "error 2", "error 3", "error 4", "error 5", sigB}},
		{"non-object elements in an array", `[` + recA + `,null,[1],` + recB + `]`, []string{sigA, "error 2", "error 3", sigB}},
		{"truncated line in JSON Lines", recA + "\n" + recB[:300] + "\n" + envC + "\n" + recB + "\n",
			[]string{sigA, "error 2", sigC, sigB}},
		{"broken line in JSON Lines", recA + "\n" + `{"eventName": tru}` + "\n" + envC + "\n",
			[]string{sigA, "error 2", sigC}},
		{"stray closer between lines", recA + "\n}\n" + recB, []string{sigA, "error 2", sigB}},
		{"garbage line", recA + "\nhello world\n" + recB, []string{sigA, "error 2", sigB}},
		{"mismatched brackets", `{"a":[}` + "\n" + recB, []string{"error 1", sigB}},
		{"line cut after a comma", recA + "\n" + recB[:strings.Index(recB, ",")+1] + "\n" + recA + "\n" + envC,
			[]string{sigA, "error 2", sigA, sigC}},
		{"line cut after a colon", recA + "\n" + recB[:strings.Index(recB, ":")+1] + "\n" + recA + "\n" + envC,
			[]string{sigA, "error 2", sigA, sigC}},
		{"line cut after a bracket", recA + "\n" + `{"a":[` + "\n" + recA + "\n" + envC,
			[]string{sigA, "error 2", sigA, sigC}},
		{"line cut in a number", recA + "\n" + `{"a":12` + "\n" + recA, []string{sigA, "error 2", sigA}},
		{"lines cut one after another", strings.Repeat(recB[:200]+"\n", 50) + recA, append(errorsFrom(1, 50), sigA)},
		{"too deep", strings.Repeat("[", 5000) + "\n" + recA, []string{"error 1", sigA}},
		// Each error takes the lines up to where its value broke (too deep, 500
		// lines in): those lines are not scanned again.
		{"unclosed brackets on every line", strings.Repeat(`{"a":[`+"\n", 3000) + recA, append(errorsFrom(1, 6), sigA)},
		{"broken structure in a log file", `{"Records":[` + recA + `,{"x":]},` + recB + "]}\n" + `{"Records":[` + envD + `]}`,
			[]string{sigA, "error 2", sigD}},
		{"missing comma in a log file", `{"Records":[` + recA + ` ` + recB + "]}\n" + envD,
			[]string{sigA, "error 2", sigD}},
		{"lookup-events entry without record", `{"Events":[{"EventId":"1"},{"CloudTrailEvent":` + mustQuote(recA) + `}]}`,
			[]string{"error 1", sigA}},
		{"lookup-events entry with broken record", `{"Events":[{"CloudTrailEvent":"{\"eventName\":"},{"CloudTrailEvent":` + mustQuote(recA) + `}]}`,
			[]string{"error 1", sigA}},
		{"log file given as a record inside a log file", `{"Records":[{"Records":[` + recA + `]},` + recB + `]}`,
			[]string{"error 1", sigB}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, NewReader(strings.NewReader(tc.in), "bad.json"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Reader(%.80q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			gz := readAll(t, NewReader(bytes.NewReader(gzipped(t, tc.in)), "bad.json.gz"))
			if diff := cmp.Diff(tc.want, gz); diff != "" {
				t.Errorf("Reader(gzip %.80q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func errorsFrom(first, n int) []string {
	var es []string
	for i := range n {
		es = append(es, fmt.Sprintf("error %d", first+i))
	}
	return es
}

func mustQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestReaderDecodeErrorMessage(t *testing.T) {
	badTime := strings.Replace(recB, `"2024-06-02 19:41:40.000000000"`, `"yesterday"`, 1)
	in := `{"Records":[` + recA + `,` + recA + `,` + badTime + `]}`
	r := NewReader(strings.NewReader(in), "events/x.json")
	for range 2 {
		if _, err := r.Next(); err != nil {
			t.Fatalf("Next() error: %v", err)
		}
	}
	_, err := r.Next()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Next() error = %v (%T), want a *DecodeError", err, err)
	}
	off := strings.Index(in, badTime)
	want := fmt.Sprintf(`events/x.json: record 3 (byte %d): eventTime "yesterday" is not a time`, off)
	if got := err.Error(); got != want {
		t.Errorf("Next() error = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrTime) {
		t.Errorf("errors.Is(%v, ErrTime) = false, want true", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next() after the bad record = %v, want io.EOF", err)
	}
}

func TestReaderTruncatedJSONLinesOffset(t *testing.T) {
	line2 := recB[:300]
	in := recA + "\n" + line2 + "\n" + recB + "\n"
	r := NewReader(strings.NewReader(in), "lines.jsonl")
	if _, err := r.Next(); err != nil {
		t.Fatalf("Next() #1 error: %v", err)
	}
	_, err := r.Next()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Next() #2 error = %v, want a *DecodeError", err)
	}
	want := DecodeError{Name: "lines.jsonl", Index: 2, Offset: int64(len(recA) + 1)}
	if got := (DecodeError{Name: de.Name, Index: de.Index, Offset: de.Offset}); got != want {
		t.Errorf("Next() #2 error at %+v, want %+v", got, want)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("errors.Is(%v, ErrSyntax) = false, want true", err)
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatalf("Next() #3 error: %v", err)
	}
	if got := sig(rec); got != sigB {
		t.Errorf("Next() #3 = %s, want %s", got, sigB)
	}
}

func TestReaderGzipCorruption(t *testing.T) {
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "%s\n", strings.Replace(recA, "CreateAccessKey", fmt.Sprintf("Call%d", i), 1))
	}
	good := gzipped(t, sb.String())

	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	truncated := good[:len(good)/2]
	badHeader := []byte{0x1f, 0x8b, 0x00, 0x00, 'x', 'y'}

	for _, tc := range []struct {
		name string
		in   []byte
	}{{"flipped byte", flipped}, {"truncated", truncated}, {"bad header", badHeader}} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tc.in), "logs.gz")
			n := 0
			var err error
			var de *DecodeError
			for {
				// Deflate may hand out garbage before the checksum fails:
				// that garbage is bad records, and reading goes on.
				if _, err = r.Next(); err != nil && !errors.As(err, &de) {
					break
				}
				n++
			}
			if err == io.EOF {
				t.Fatalf("Next() after %d records error = %v, want a final read error", n, err)
			}
			if tc.name == "truncated" && n >= 2000 {
				t.Errorf("Next() returned %d records from half a stream, want fewer than 2000", n)
			}
			if !strings.HasPrefix(err.Error(), "read logs.gz: ") {
				t.Errorf("Next() error = %q, want it to name the input", err)
			}
			if _, err2 := r.Next(); err2 != err {
				t.Errorf("Next() after a final error = %v, want the same error %v", err2, err)
			}
		})
	}
}

func TestReaderIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	in := io.MultiReader(strings.NewReader(recA+"\n"+recB[:50]), iotest.ErrReader(boom))
	r := NewReader(in, "f.json")
	if _, err := r.Next(); err != nil {
		t.Fatalf("Next() #1 error: %v", err)
	}
	_, err := r.Next()
	if !errors.Is(err, boom) {
		t.Fatalf("Next() #2 error = %v, want %v", err, boom)
	}
	if _, err := r.Next(); !errors.Is(err, boom) {
		t.Errorf("Next() #3 error = %v, want %v again", err, boom)
	}
}

func TestReaderHugeString(t *testing.T) {
	huge := strings.Repeat("A", 20<<20) + `\"` + strings.Repeat("b", 1<<20)
	big := strings.Replace(recA, `"userName":"malicious-iam-user"`, `"userName":"`+huge+`"`, 1)
	in := recB + "\n" + big + "\n" + recA + "\n"

	t.Run("read", func(t *testing.T) {
		r := NewReader(strings.NewReader(in), "big.jsonl")
		got := readAll(t, r)
		if diff := cmp.Diff([]string{sigB, sigA, sigA}, got); diff != "" {
			t.Errorf("Reader(huge record) mismatch (-want +got):\n%s", diff)
		}
		rec, err := DecodeRecord([]byte(big))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(rec.RequestParam("userName")), 21<<20+1; got != want {
			t.Errorf("RequestParam(userName) has %d bytes, want %d", got, want)
		}
	})
	t.Run("over the limit", func(t *testing.T) {
		r := NewReader(strings.NewReader(in), "big.jsonl")
		r.MaxRecordSize = 1 << 20
		got := readAll(t, r)
		if diff := cmp.Diff([]string{sigB, "error 2", sigA}, got); diff != "" {
			t.Errorf("Reader(huge record, 1 MiB limit) mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestNextRawThenDecodeIsNext pins the contract the command relies on.
func TestNextRawThenDecodeIsNext(t *testing.T) {
	in := `{"Records":[` + recA + `,42,` + envC + "]}\n" + recB[:40] + "\n" + lookupEvents(false, envD)
	compareNextRaw(t, []byte(in))
}

// TestReaderPeek: Reader.Peek, which reads the members the scanner noted,
// agrees with Peek on records whose members follow the grammar and on those
// that do not, where it falls back to Peek itself.
func TestReaderPeek(t *testing.T) {
	ins := []string{
		`{"eventName":"A","userIdentity":{"type":"Root","invokedBy":"x"},"eventSource":"iam.amazonaws.com"}`,
		`{"userIdentity":{"type":"Root"},"userIdentity":{"type":"IAMUser","invokedBy":null}}`,
		`{"userIdentity":{"type":"Root"},"userIdentity":"null"}`,
		`{"user\u0049dentity":{"type":"Root"},"userIdentity":{"type":"IAMUser"}}`,
		`{"userIdentity":{"type":"Root"},"user\u0049dentity":{"type":"AssumedRole"}}`,
		`{"userIdentity":{"type":"Root" "invokedBy":"x"},"eventName":"A"}`,
		`{"userIdentity":{"type":"Root","type":"AWSService","sessionContext":{"type":"no"}},"eventName":"A"}`,
		`{"userIdentity":{"t\u0079pe":"Root","invokedBy":12 ,"x":[1,{"type":"no"}]},"eventName":"A"}`,
		`{"userIdentity":{"type":tru e},"eventName":"A"}`,
		`{"userIdentity":[{"type":"Root"}],"eventName":"A"}`,
		`{"eventName":"A","errorCode":null,"readOnly":true,"n":-1.5e3}`,
		`{"eventName":"A",}`, `{"eventName" "A"}`, `{"eventName":"A" "eventSource":"x"}`, `{ }`, `{"a":1 2}`, `{"a":{}{}}`,
		`{"detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":{"eventName":"A","userIdentity":{"type":"Root"}},"userIdentity":{"type":"IAMUser"}}`,
		` {"eventName" : "A" , "userIdentity" : { "type" : "Root" } } `,
	}
	for _, in := range ins {
		compareNextRaw(t, []byte(`{"Records":[`+in+`]}`))
		compareNextRaw(t, []byte(in+"\n"))
	}
	// Reader.Peek keeps the summaries of the routing values it has seen:
	// records that differ in one of them must not share one.
	compareNextRaw(t, []byte(`{"Records":[`+strings.Join(ins, ",")+`,`+strings.Join(ins, ",")+`]}`))
	compareNextRaw(t, []byte(`{"Records":[
		{"eventName":"A","userIdentity":{"type":"Root"}},
		{"eventName":"A","userIdentity":{"type":"Root","invokedBy":"s"}},
		{"eventName":"A","userIdentity":{"type":"Root"}},
		{"eventName":"A","userIdentity":{}},
		{"eventName":"A","userIdentity":"Root"},
		{"eventName":"A","userIdentity":{"type":"Root"},"errorCode":"null"},
		{"eventName":"A","userIdentity":{"type":"Root"},"errorCode":null},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com"},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","eventType":"AwsApiCall"},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","Records":1},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","Records":[]},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","detail-type":"x"},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","detail-type":"x","detail":{}},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","detail-type":"x","detail":{"eventName":"B"}},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com","detail":{},"detail-type":"y"},
		{"eventName":"A","userIdentity":{"type":"Root"},"eventSource":"signin.amazonaws.com"}
	]}`))
	// The samples take the fast path, identity included.
	for _, raw := range benchRecords()[:50] {
		r := NewReader(bytes.NewReader(raw), "in")
		if _, _, err := r.NextRaw(); err != nil {
			t.Fatal(err)
		}
		if !r.spansOK || (bytes.Contains(raw, []byte(`"userIdentity":{`)) && !r.idOK) {
			t.Errorf("Reader.Peek falls back to Peek for %.80s (members %v, identity %v)", raw, r.spansOK, r.idOK)
		}
	}
}

// compareNextRaw reads in twice, with Next and with NextRaw + DecodeRecord,
// and fails on any difference.
func compareNextRaw(t *testing.T, in []byte) {
	t.Helper()
	a := NewReader(bytes.NewReader(in), "in")
	b := NewReader(bytes.NewReader(in), "in")
	for i := 0; ; i++ {
		if i > len(in)+10 {
			t.Fatalf("no io.EOF after %d calls on %d bytes", i, len(in))
		}
		want, werr := a.Next()
		raw, index, err := b.NextRaw()
		var got *Record
		if err == nil {
			// The Reader's Peek reads the members it found while splitting.
			psum, perr := b.Peek()
			wsum, werr := Peek(raw)
			if psum != wsum || fmt.Sprint(perr) != fmt.Sprint(werr) {
				t.Fatalf("call %d: Reader.Peek() = %+v, %v; Peek(%q) = %+v, %v", i+1, psum, perr, raw, wsum, werr)
			}
			var derr error
			got, derr = DecodeRecord(raw)
			if derr != nil {
				err = &DecodeError{Name: "in", Index: index, Offset: b.Offset(), Err: derr}
			}
		}
		if fmt.Sprint(werr) != fmt.Sprint(err) {
			t.Fatalf("call %d: Next() error = %v, NextRaw+DecodeRecord error = %v", i+1, werr, err)
		}
		if !reflect.DeepEqual(want, got) { // cmp only to explain: it is slow for the fuzzer
			t.Fatalf("call %d: Next() vs NextRaw+DecodeRecord (-Next +NextRaw):\n%s", i+1, cmp.Diff(want, got))
		}
		if werr != nil {
			var de *DecodeError
			if !errors.As(werr, &de) {
				return
			}
		}
	}
}
