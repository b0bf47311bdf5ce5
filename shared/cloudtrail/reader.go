package cloudtrail

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/klauspost/compress/gzip"
)

// DefaultMaxRecordSize bounds one record or envelope read by a Reader. It
// keeps a broken line in a long stream from pulling the rest of the stream
// into memory: the record fails with ErrTooLarge and reading resumes at the
// next line that starts with '{' or '['. CloudTrail itself caps
// requestParameters and responseElements at 100 KB each.
const DefaultMaxRecordSize = 128 << 20

// Buffer sizes. Reads go straight into the buffer. It starts small, for the
// Lambda's single event; a stream that takes more than a few reads gets
// bigBuffer, read into at least minRead bytes at a time; beyond that, the
// buffer grows only for a record larger than it.
const (
	initialBuffer = 8 << 10
	bigBuffer     = 256 << 10
	minRead       = 64 << 10
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Reader streams CloudTrail records from any mix of the shapes CloudTrail
// and its tools write, sniffed from the content:
//
//   - a bare record object, or an EventBridge event whose detail is one;
//   - a CloudTrail log file, {"Records":[...]};
//   - `aws cloudtrail lookup-events` output, {"Events":[{"CloudTrailEvent":"<JSON>"}]};
//   - a top-level JSON array of any of these;
//   - any number of the above one after another: JSON Lines, or
//     concatenated (pretty-printed) JSON values;
//   - all of it gzip-compressed, in one or more gzip members.
//
// Log files and arrays are streamed, not read whole. Records are numbered
// from 1 across the whole stream, in order; a stretch of input that cannot
// be read as a record (broken structure, stray bytes) is reported under the
// next number. A Reader is not safe for concurrent use; read files in
// parallel with one Reader each.
type Reader struct {
	// MaxRecordSize bounds one record, in bytes; NewReader sets
	// DefaultMaxRecordSize. Zero means no bound.
	MaxRecordSize int

	name    string
	in      io.Reader
	src     io.Reader
	gzip    bool // src decompresses in
	started bool

	buf   []byte // buf[pos:] is read but not yet consumed
	pos   int
	base  int64 // stream offset of buf[0]
	eof   bool  // src is exhausted
	reads int   // calls to src.Read so far
	err   error // final error, returned from every later call

	frames   []frame
	index    int   // number of the record last returned
	offset   int64 // stream offset of the record last returned
	scratch  []byte
	brackets []openMark

	last    []byte        // the record NextRaw returned last
	rec     memberTracker // its members, when spansOK
	spansOK bool
	id      memberTracker // the members of its userIdentity object at idAt, when idOK
	idAt    int
	idOK    bool

	routes   map[string]Summary // by the raw routing values (Peek)
	routeKey []byte

	// After an error, where reading resumes: the search for the next line
	// that starts with '{' or '[' (or the jump to one already found) waits
	// for the next call, so that the error is returned when it is found,
	// even if the search then waits on a stalled pipe.
	pending bool
	// After an array element that is no record: pass over it and the like
	// after it at the next call.
	junkAhead bool
	resumeAt  int64 // stream offset: the jump target, or where the search starts
	exact     bool  // resumeAt is a line start to jump to, found by skip

	// The last value that broke: where (brokenEnd, a stream offset; 0 for
	// none) and how, and for each object or array open there (by stream
	// offset) where reading resumes if a value is read from it (-1: at the
	// first line after brokenEnd). Such a value would break at the same
	// place: it fails at once instead of being scanned again.
	brokenEnd  int64
	brokenOpen []resumeMark // by offset
	brokenKind error
	brokenMsg  string

	work int64 // bytes the scans have passed over, for tests of linear work
}

// resumeMark is, for an object or array open where a value broke (at, a
// stream offset), where reading resumes if a value is read from it: a
// stream offset, or -1 for the first line after the break.
type resumeMark struct{ at, resume int64 }

// openMark is an object or array open in the value skip is reading: its
// bracket, whether it opens a line, its offset, and done: the offset of the
// first object or array opening a line inside it that closed, or -1.
type openMark struct {
	c        byte
	line     bool
	at, done int
}

type frameKind uint8

const (
	frameArray   frameKind = iota // a top-level array: elements are records or containers
	frameObject                   // a container object: walk its members, descend into Records/Events
	frameRecords                  // the "Records" array of a log file: elements are records
	frameEvents                   // the "Events" array of lookup-events output: elements hold records
)

type frame struct {
	kind  frameKind
	begun bool // the opening bracket and, for arrays, the first element are behind us
	comma bool // an array's comma before the next element is behind us (junkElements)
}

// junkElements passes over the string, number or literal at pos, an element
// of the array f, and the elements right after it that are strings, numbers
// or literals too, with the commas between them. It consumes them as it
// goes, so a string of any length takes no memory. When a comma is followed
// by an element of another kind, it stops there with f.comma set.
func (r *Reader) junkElements(f *frame) {
	for {
		c, ok := r.peekByte(false)
		if !ok {
			return
		}
		start := r.base + int64(r.pos)
		switch {
		case c == '"':
			r.pos++
			for {
				e, ok := stringEnd(r.buf, r.pos)
				r.pos = e
				if ok || !r.more() {
					break
				}
			}
		case byteClass[c] == clsOther:
			for {
				for r.pos < len(r.buf) && byteClass[r.buf[r.pos]] == clsOther {
					r.pos++
				}
				if r.pos < len(r.buf) || !r.more() {
					break
				}
			}
		default:
			return
		}
		r.work += r.base + int64(r.pos) - start
		if c, ok = r.peekByte(false); !ok || c != ',' {
			return
		}
		r.pos++
		if c, ok = r.peekByte(false); !ok || c != '"' && byteClass[c] != clsOther {
			f.comma = true
			return
		}
	}
}

// NewReader returns a Reader of r. The name (a file path, or "-" for
// standard input) prefixes errors.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{name: name, in: r, MaxRecordSize: DefaultMaxRecordSize}
}

// Next returns the next record. At the end of the input it returns io.EOF.
// A record that cannot be read or decoded gives a *DecodeError; Next may be
// called again and reading continues with the next record. Any other error
// (reading the input, a corrupt gzip stream) is final: Next returns it again.
func (r *Reader) Next() (*Record, error) {
	_, index, err := r.NextRaw()
	if err != nil {
		return nil, err
	}
	rec, err := r.Decode()
	if err != nil {
		return nil, &DecodeError{Name: r.name, Index: index, Offset: r.offset, Err: err}
	}
	return rec, nil
}

// Decode returns what DecodeRecord returns for the record that NextRaw
// returned last. Like Peek, it reads the members that the Reader noted
// while splitting the record instead of walking the record again.
func (r *Reader) Decode() (*Record, error) {
	if !r.spansOK {
		return DecodeRecord(r.last)
	}
	return decodeRecord(r.last, r.rec.spans)
}

// NextRaw is Next without decoding: it returns the raw JSON of the next
// record or envelope, valid until the next call, and its 1-based number in
// the stream. It reports the same errors as Next except those that
// DecodeRecord finds, so NextRaw followed by DecodeRecord is Next. The
// command pairs it with Reader.Peek to skip records no rule wants,
// undecoded.
func (r *Reader) NextRaw() (raw []byte, index int, err error) {
	raw, index, err = r.nextRaw()
	r.last = raw
	if err != nil {
		r.spansOK = false
	}
	return raw, index, err
}

// Peek returns what Peek returns for the record that NextRaw returned last.
// It reads the members that the Reader noted while splitting the record
// instead of scanning the record again; for a record whose members do not
// follow JSON's grammar, and for lookup-events entries, it is Peek itself.
func (r *Reader) Peek() (Summary, error) {
	if !r.spansOK {
		return Peek(r.last)
	}
	var p peeker
	var kb [64]byte
	idAt := -1
	for _, m := range r.rec.spans {
		key := unescapeKey(r.last[m.key0:m.key1], &kb)
		p.member(key, r.last[m.val0:m.val1], true)
		if string(key) == "userIdentity" {
			idAt = m.val0
		}
	}
	// The identity the record ends up with (the last of duplicates) is the
	// one skip followed.
	if r.idOK && idAt == r.idAt {
		p.identityRead = true
		for _, m := range r.id.spans {
			p.identityMember(unescapeKey(r.last[m.key0:m.key1], &kb), r.last[m.val0:m.val1])
		}
	}
	if p.hasDetailType && p.hasDetail || p.records {
		return p.summary()
	}
	if kind(p.identity) == '{' && !p.identityRead {
		p.readIdentity()
	}
	// A record's summary follows from these raw values alone, and a stream
	// repeats few combinations of them: look the summary up by them.
	key := r.routeKey[:0]
	for _, v := range [...][]byte{p.eventSource, p.eventName, p.eventType, p.eventTypeCode, p.errorCode, p.identityType, p.invokedBy} {
		key = binary.AppendUvarint(key, uint64(len(v)))
		key = append(key, v...)
	}
	r.routeKey = key
	if s, ok := r.routes[string(key)]; ok {
		return s, nil
	}
	s, err := p.summary()
	if err == nil && len(r.routes) < maxRoutes {
		if r.routes == nil {
			r.routes = make(map[string]Summary)
		}
		r.routes[string(key)] = s
	}
	return s, err
}

// maxRoutes bounds the summaries a Reader keeps.
const maxRoutes = 1024

func (r *Reader) nextRaw() (raw []byte, index int, err error) {
	// A final error (r.err) surfaces when the data read before it runs
	// out, however the input happened to be split into reads.
	if !r.started {
		if err := r.start(); err != nil {
			return nil, r.index, err
		}
	}
	if r.pending {
		r.resync()
	}
	for {
		if len(r.frames) == 0 {
			c, ok := r.peekByte(true)
			if !ok {
				if r.err != nil {
					return nil, r.index, r.err
				}
				return nil, r.index, io.EOF
			}
			switch {
			case c == '"' || byteClass[c] == clsOther:
				// A string, number or stray text where a record should
				// start is no record: skip to the next line that starts
				// one, without reading the value (a file of quotes would
				// otherwise be a billion one-byte "records").
				return nil, r.index, r.junk(c)
			case c == '[':
				r.pos++
				r.frames = append(r.frames, frame{kind: frameArray})
				continue
			case c == '{' && r.containerAhead():
				r.frames = append(r.frames, frame{kind: frameObject})
				continue
			}
			raw, container, err := r.item(true)
			if container {
				r.frames = append(r.frames, frame{kind: frameObject})
				continue
			}
			return raw, r.index, err
		}

		f := &r.frames[len(r.frames)-1]
		if f.kind == frameObject {
			if err := r.objectStep(f); err != nil {
				return nil, r.index, err
			}
			continue
		}

		// An array: expect an element, or ']'.
		if r.junkAhead {
			r.junkAhead = false
			r.junkElements(f)
		}
		c, ok := r.peekByte(false)
		if !ok {
			return nil, r.index, r.structural("unexpected end of input inside an array")
		}
		if c == ']' {
			r.pos++
			r.frames = r.frames[:len(r.frames)-1]
			continue
		}
		switch {
		case f.comma:
			f.comma = false
		case f.begun:
			if c != ',' {
				return nil, r.index, r.structural(fmt.Sprintf("invalid character %q after an array element", c))
			}
			r.pos++
			if c, ok = r.peekByte(false); !ok {
				return nil, r.index, r.structural("unexpected end of input inside an array")
			}
		}
		f.begun = true
		if c == '"' || byteClass[c] == clsOther {
			// A string, number or literal where a record (or a log file,
			// or a lookup-events entry) should be: one error, returned
			// now, for it and those right after it, which the next call
			// passes over without keeping them (an array of a billion
			// empty strings is one error, in bounded memory).
			r.index++
			r.offset = r.base + int64(r.pos)
			r.junkAhead = true
			r.spansOK = false
			return nil, r.index, &DecodeError{Name: r.name, Index: r.index, Offset: r.offset,
				Err: errorf(ErrNotObject, "record is %s, not an object (with any strings, numbers and literals right after it)", kindName(c))}
		}
		switch f.kind {
		case frameArray:
			if c == '{' && r.containerAhead() {
				r.frames = append(r.frames, frame{kind: frameObject})
				continue
			}
			raw, container, err := r.item(true)
			if container {
				r.frames = append(r.frames, frame{kind: frameObject})
				continue
			}
			return raw, r.index, err
		case frameEvents:
			raw, err := r.lookupItem()
			return raw, r.index, err
		default:
			raw, _, err := r.item(false)
			return raw, r.index, err
		}
	}
}

// Offset returns the byte offset, in the decompressed stream, of the record
// that NextRaw or Next returned last.
func (r *Reader) Offset() int64 { return r.offset }

// start sniffs gzip.
func (r *Reader) start() error {
	r.started = true
	r.src = r.in
	r.buf = make([]byte, 0, initialBuffer)
	// Two bytes tell gzip, but one that is not 0x1f already tells it is
	// not: a stalled pipe after one byte still gets its error.
	for (len(r.buf) == 0 || len(r.buf) == 1 && r.buf[0] == 0x1f) && r.more() {
	}
	if len(r.buf) < 2 || r.buf[0] != 0x1f || r.buf[1] != 0x8b {
		return nil
	}
	if r.err != nil {
		return r.err
	}
	zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(bytes.Clone(r.buf)), r.in))
	if err != nil {
		r.err = fmt.Errorf("read %s: %w", r.name, err)
		return r.err
	}
	r.src, r.gzip = zr, true
	r.buf, r.eof, r.reads = r.buf[:0], false, 0
	return nil
}

// readError is err, from reading the input, with how far reading got: a
// gzip stream that is cut short or corrupt says which record it broke.
func (r *Reader) readError(err error) error {
	stream := "the stream"
	if r.gzip {
		stream = "the decompressed stream"
	}
	return fmt.Errorf("read %s: %w (after record %d, at byte %d of %s)", r.name, err, r.index, r.base+int64(len(r.buf)), stream)
}

// more reads at least one more byte into the buffer, keeping buf[pos:]. It
// returns false at the end of input, on a final error (r.err) and when the
// unconsumed data would exceed MaxRecordSize.
func (r *Reader) more() bool {
	if r.eof || r.err != nil {
		return false
	}
	if r.pos > 0 && (r.pos == len(r.buf) || cap(r.buf)-len(r.buf) < minRead) {
		n := copy(r.buf, r.buf[r.pos:])
		r.base += int64(r.pos)
		r.buf, r.pos = r.buf[:n], 0
	}
	size := cap(r.buf)
	if r.reads >= 4 && size < bigBuffer {
		size = bigBuffer // a long stream: read it in big pieces
	}
	if len(r.buf) == cap(r.buf) {
		if r.MaxRecordSize > 0 && len(r.buf) >= r.MaxRecordSize {
			return false
		}
		size = max(size, 2*cap(r.buf))
	}
	if size > cap(r.buf) {
		nb := make([]byte, len(r.buf), size)
		copy(nb, r.buf)
		r.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := r.src.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+n]
		r.reads++
		if err == io.EOF {
			r.eof = true
			return n > 0
		}
		if err != nil {
			r.err = r.readError(err)
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	r.err = fmt.Errorf("read %s: %w", r.name, io.ErrNoProgress)
	return false
}

// full reports whether more() stopped because the record outgrew the buffer
// limit rather than at the end of input or on an error.
func (r *Reader) full() bool { return !r.eof && r.err == nil }

// peekByte skips whitespace and returns the next byte without consuming it.
// At the top level it also skips commas between values and byte order marks
// (`cat *.json` of files saved on Windows).
func (r *Reader) peekByte(top bool) (byte, bool) {
	for {
		for r.pos < len(r.buf) {
			c := r.buf[r.pos]
			switch {
			case isSpace(c), top && c == ',':
				r.pos++
				continue
			case top && c == utf8BOM[0]:
				if r.ensure(len(utf8BOM)) >= len(utf8BOM) && bytes.HasPrefix(r.buf[r.pos:], utf8BOM) {
					r.pos += len(utf8BOM)
					continue
				}
			}
			return c, true
		}
		if !r.more() {
			return 0, false
		}
	}
}

// ensure tries to make n unconsumed bytes available and returns how many are.
func (r *Reader) ensure(n int) int {
	for len(r.buf)-r.pos < n && r.more() {
	}
	return len(r.buf) - r.pos
}

// containerAhead reports whether the object at pos opens with a "Records" or
// "Events" array, the shape of a log file or of lookup-events output, so it
// can be streamed instead of read whole. Objects where that key comes later
// are found by item instead.
func (r *Reader) containerAhead() bool {
	// Read only as far as the answer needs: a stalled pipe after a short
	// record must not hold back the record (or its error).
	for {
		ahead, known := containerPrefix(r.buf[r.pos:])
		if known || len(r.buf)-r.pos >= 64 || !r.more() {
			return ahead
		}
	}
}

// containerPrefix reports whether b, which starts with '{', opens with a
// "Records" or "Events" array, and whether b is long enough to tell.
func containerPrefix(b []byte) (ahead, known bool) {
	i := skipSpace(b, 1)
	if i >= len(b) {
		return false, false
	}
	if b[i] != '"' {
		return false, true
	}
	e := quoteEnd(b, i)
	if e < 0 {
		return false, len(b)-i > len("Records")+1
	}
	if k := string(b[i+1 : e-1]); k != "Records" && k != "Events" {
		return false, true
	}
	i = skipSpace(b, e)
	if i >= len(b) {
		return false, false
	}
	if b[i] != ':' {
		return false, true
	}
	i = skipSpace(b, i+1)
	if i >= len(b) {
		return false, false
	}
	return b[i] == '[', true
}

// item consumes the value at pos and returns it as the next record. When
// containers is set and the value is an object with a "Records" or "Events"
// array, it consumes nothing and reports container instead.
func (r *Reader) item(containers bool) (raw []byte, container bool, err error) {
	n, maybe, err := r.skip(containers)
	if err != nil {
		return nil, false, err
	}
	raw = r.buf[r.pos : r.pos+n]
	if containers && maybe && raw[0] == '{' {
		r.work += int64(len(raw))
		var kb [64]byte
		var notArray string
		for it := newMembers(raw); it.next(); {
			if k := string(unescapeKey(it.key, &kb)); k == "Records" || k == "Events" {
				if kind(it.val) == '[' {
					return nil, true, nil
				}
				notArray = fmt.Sprintf("%q is %s, not an array of records", k, kindName(kind(it.val)))
				if kind(it.val) == '{' {
					notArray = fmt.Sprintf("%q is an object, not an array of records", k)
				}
			}
		}
		if notArray != "" {
			// A log file (or lookup-events output) that lost its shape:
			// say so, rather than read it as a record of no event.
			r.index++
			r.offset = r.base + int64(r.pos)
			r.pos += n
			return nil, false, &DecodeError{Name: r.name, Index: r.index, Offset: r.offset, Err: errorf(ErrNotRecord, "%s", notArray)}
		}
	}
	if len(r.frames) == 0 && linesAhead(raw) && !valid(raw) {
		r.work += 2 * int64(len(raw))
		// A line cut short in JSON Lines, ended by brackets on later lines:
		// report it and start again at a line inside it, not after the
		// brackets.
		return nil, false, r.invalidLines(raw)
	}
	r.index++
	r.offset = r.base + int64(r.pos)
	r.pos += n
	return raw, false, nil
}

// invalidLines reports raw, a value at pos whose brackets balance but which
// is not JSON, broken where it stops being JSON: reading resumes at a line
// inside it that starts a value which closed before that point, else at the
// first such line after it, and the values open there break at once if read
// (breaks). Retrying each line inside it instead validated the rest of the
// value again from each: as many times as it nests.
func (r *Reader) invalidLines(raw []byte) error {
	at := len(raw)
	var se *json.SyntaxError
	if err := json.Unmarshal(raw, new(json.RawMessage)); errors.As(err, &se) && se.Offset > 0 {
		at = int(se.Offset) - 1 // the offending byte
	}
	at = max(at, 1)
	r.work += int64(len(raw) + at)
	stack := r.brackets[:0]
	for j := 0; j < at; j++ {
		switch byteClass[raw[j]] {
		case clsQuote:
			e := quoteEnd(raw, j)
			if e < 0 || e > at {
				j = at
				continue
			}
			j = e - 1
		case clsOpen:
			stack = append(stack, openMark{c: raw[j], line: j > 0 && raw[j-1] == '\n', at: j, done: -1})
		case clsClose:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			d := top.done
			if top.line {
				d = top.at
			}
			if k := len(stack) - 1; k >= 0 && d >= 0 && (stack[k].done < 0 || d < stack[k].done) {
				stack[k].done = d
			}
		}
	}
	err := r.breaks(stack, at, ErrSyntax, "invalid JSON: a line starts with '{' or '[' before the record ends (truncated line?); it stops being JSON")
	r.brackets = stack[:0]
	return err
}

// linesAhead reports whether a line inside raw starts with '{' or '['. A
// JSON Lines record has no newline at all, and a pretty-printed one indents
// what it nests; so such a line most likely starts the next record.
func linesAhead(raw []byte) bool {
	for i := 1; i < len(raw); {
		k := bytes.IndexByte(raw[i:], '\n')
		if k < 0 || i+k+1 >= len(raw) {
			return false
		}
		i += k + 1
		if c := raw[i]; c == '{' || c == '[' {
			return true
		}
	}
	return false
}

// lookupItem consumes one entry of lookup-events output and returns the
// record in its CloudTrailEvent string, unescaped.
func (r *Reader) lookupItem() ([]byte, error) {
	entry, _, err := r.item(false)
	r.spansOK = false // the record is inside the entry
	if err != nil {
		return nil, err
	}
	v, ok := findMember(entry, "CloudTrailEvent")
	switch {
	case ok && isString(v):
		r.scratch = appendUnescaped(r.scratch[:0], rawString(v))
		return r.scratch, nil
	case ok && kind(v) == '{': // already parsed by whoever wrote the file
		return v, nil
	}
	return nil, &DecodeError{Name: r.name, Index: r.index, Offset: r.offset,
		Err: errorf(ErrNotRecord, "lookup-events entry has no CloudTrailEvent string")}
}

// objectStep walks one member of a container object: it descends into a
// "Records" or "Events" array and skips any other member.
func (r *Reader) objectStep(f *frame) error {
	c, ok := r.peekByte(false)
	if !ok {
		return r.structural("unexpected end of input inside an object")
	}
	switch {
	case !f.begun:
		if c != '{' { // cannot happen: frames are pushed at a '{'
			return r.structural(fmt.Sprintf("invalid character %q, want '{'", c))
		}
		f.begun = true
		r.pos++
		if c, ok = r.peekByte(false); !ok {
			return r.structural("unexpected end of input inside an object")
		}
		if c == '}' {
			r.pos++
			r.frames = r.frames[:len(r.frames)-1]
			return nil
		}
	case c == '}':
		r.pos++
		r.frames = r.frames[:len(r.frames)-1]
		return nil
	case c != ',':
		return r.structural(fmt.Sprintf("invalid character %q after an object member", c))
	default:
		r.pos++
		if c, ok = r.peekByte(false); !ok {
			return r.structural("unexpected end of input inside an object")
		}
	}
	if c != '"' {
		return r.structural(fmt.Sprintf("invalid character %q, want an object key", c))
	}
	n, _, err := r.skip(false)
	if err != nil {
		return err
	}
	var kb [64]byte
	into := frameObject // frameObject: skip the value
	switch string(unescapeKey(r.buf[r.pos+1:r.pos+n-1], &kb)) {
	case "Records":
		into = frameRecords
	case "Events":
		into = frameEvents
	}
	r.pos += n
	if c, ok = r.peekByte(false); !ok || c != ':' {
		return r.structural("missing ':' after an object key")
	}
	r.pos++
	if c, ok = r.peekByte(false); !ok {
		return r.structural("unexpected end of input inside an object")
	}
	if c == '[' && into != frameObject {
		r.pos++
		r.frames = append(r.frames, frame{kind: into})
		return nil
	}
	n, _, err = r.skip(false)
	if err != nil {
		return err
	}
	r.pos += n
	return nil
}

// structural reports input whose structure is broken at pos, as a
// DecodeError for the record being read. Reading resumes, at the next call,
// at the next line after pos that starts with '{' or '['.
func (r *Reader) structural(msg string) error {
	return r.brokenAt(1, -1, errorf(ErrSyntax, "invalid JSON: %s", msg))
}

// brokenAt reports the value at pos broken: err, as a DecodeError for the
// record being read. The problem was found at pos+from; done is the offset
// from pos of the first object or array opening a line inside the value
// that closed before it, or -1. Reading resumes, at the next call, there,
// or else at the first line at or after pos+from that starts with '{' or
// '[': the value's scan has shown that each value opening a line between
// pos and pos+from and still open there breaks the same way, so it is not
// scanned again (that rescan made a file of `{"Records":[` lines
// quadratic).
func (r *Reader) brokenAt(from, done int, err error) error {
	if r.err != nil {
		return r.err
	}
	r.index++
	r.offset = r.base + int64(r.pos)
	r.frames = r.frames[:0]
	r.pending = true
	if done > 0 {
		r.exact, r.resumeAt = true, r.offset+int64(done)
	} else {
		r.exact, r.resumeAt = false, r.offset+int64(max(from, 1))
	}
	return &DecodeError{Name: r.name, Index: r.index, Offset: r.offset, Err: err}
}

// breaks reports the value at pos broken at pos+at, by kind (with msg), with
// stack the objects and arrays open there, and remembers it (brokenOpen).
func (r *Reader) breaks(stack []openMark, at int, kind error, msg string) error {
	// Where reading resumes from the value and from each object or array
	// open in it: the first object or array opening a line that closed
	// inside it, in it or in what it holds still open.
	base := r.base + int64(r.pos)
	done := -1
	for _, m := range stack {
		if m.done >= 0 && (done < 0 || m.done < done) {
			done = m.done
		}
	}
	// Only when reading resumes inside the value (at done) can a value that
	// opened in it be read again: note those that opened after done.
	r.brokenOpen, r.brokenEnd = r.brokenOpen[:0], 0
	if done >= 0 {
		first := len(stack)
		for first > 1 && stack[first-1].at > done {
			first--
		}
		if first < len(stack) {
			r.brokenOpen = slices.Grow(r.brokenOpen, len(stack)-first)[:len(stack)-first]
			resume := -1
			for i := len(stack) - 1; i >= first; i-- {
				if d := stack[i].done; d >= 0 && (resume < 0 || d < resume) {
					resume = d
				}
				t := int64(-1)
				if resume >= 0 {
					t = base + int64(resume)
				}
				r.brokenOpen[i-first] = resumeMark{base + int64(stack[i].at), t}
			}
			r.brokenEnd, r.brokenKind, r.brokenMsg = base+int64(at), kind, msg
		}
	}
	return r.brokenAt(at, done, errorf(kind, "%s at byte %d of the record", msg, at))
}

// breaksAgain reports whether the value at pos opened inside the value that
// broke last and was still open where it broke: then it breaks there too,
// and it returns that error without scanning the value again.
func (r *Reader) breaksAgain() (error, bool) {
	p := r.base + int64(r.pos)
	if p >= r.brokenEnd {
		r.brokenEnd = 0
		return nil, false
	}
	i, ok := slices.BinarySearchFunc(r.brokenOpen, p, func(m resumeMark, p int64) int { return cmp.Compare(m.at, p) })
	if !ok {
		return nil, false
	}
	done := -1
	if t := r.brokenOpen[i].resume; t >= 0 {
		done = int(t - p)
	}
	at := int(r.brokenEnd - p)
	r.work++
	return r.brokenAt(at, done, errorf(r.brokenKind, "%s at byte %d of the record", r.brokenMsg, at)), true
}

// junk reports a value that cannot start a record at the top of the
// stream, the byte c, and skips to the next line that starts with '{' or
// '['.
func (r *Reader) junk(c byte) error {
	if c == '"' || kindName(c) != "not JSON" {
		return r.brokenAt(1, -1, errorf(ErrNotObject, "record is %s, not an object (skipped to the next line that starts with '{' or '[')", kindName(c)))
	}
	return r.brokenAt(1, -1, errorf(ErrSyntax, "invalid JSON: unexpected %q (skipped to the next line that starts with '{' or '[')", c))
}

// resync moves to where reading resumes after an error: a line start that
// skip found, or the next line that starts with '{' or '[' from resumeAt.
// In JSON Lines and in concatenated pretty-printed JSON that is where the
// next top-level value begins, while nested values are indented. What it
// searches is dropped from the buffer as it goes, so memory stays bounded
// whatever the length of the line.
func (r *Reader) resync() {
	r.pending = false
	at := int(r.resumeAt - r.base)
	if at < r.pos || at > len(r.buf) { // cannot happen: the value is still buffered
		at = min(max(at, r.pos), len(r.buf))
	}
	if r.exact {
		r.pos = at
		return
	}
	// A line start at the search's start counts: look from the byte before.
	from := max(at-1, r.pos)
	for {
		for {
			k := bytes.IndexByte(r.buf[from:], '\n')
			if k < 0 {
				r.work += int64(len(r.buf) - from)
				from = len(r.buf)
				break
			}
			r.work += int64(k + 1)
			nl := from + k
			if nl+1 == len(r.buf) {
				from = nl // look at the byte after it once it is read
				break
			}
			if c := r.buf[nl+1]; c == '{' || c == '[' {
				r.pos = nl + 1
				return
			}
			from = nl + 1
		}
		r.pos = from // drop what has been searched
		if !r.more() {
			r.pos = len(r.buf)
			return
		}
		from = r.pos
	}
}

// maxDepth bounds nesting in a value read by a Reader. CloudTrail records
// nest a few dozen levels at most; the bound keeps a stream of opening
// brackets from growing the bracket stack with the stream.
const maxDepth = 1000

// maxScalar bounds a number or literal read at the top of a stream or as an
// element of an array of records: none is a record, and a long run of bytes
// that are not JSON (NUL bytes, binary) is reported at once instead of read
// into memory up to MaxRecordSize.
const maxScalar = 4096

// skip finds the end of the JSON value at pos without consuming it and
// returns its length. maybe reports a "Records" or "Events" key directly in
// a top-level object. Errors are DecodeErrors for broken structure and the
// final error for a failed read.
//
// With lines set (a value at the top of a stream, where recovery restarts at
// the next line), skip also rejects what cannot be valid JSON and most often
// means a line was cut short: a newline inside a string, and a '{' or '['
// that follows a value. So a truncated line costs that line, not the scan of
// all that follows it.
//
// It notes the objects and arrays that open a line inside the value: when
// the value breaks, reading resumes at the first of them that closed before
// the break, else at the first line after it (brokenAt), so nothing is
// scanned twice but such a value.
//
// For an object it also notes where each member's key and value lie (r.rec,
// and r.id for the members of its userIdentity object), as long as they
// follow the grammar of members: so Reader.Peek need not scan the record
// again.
func (r *Reader) skip(lines bool) (n int, maybe bool, err error) {
	if r.brokenEnd > 0 {
		if err, again := r.breaksAgain(); again {
			return 0, false, err
		}
	}
	var depth int
	stack := r.brackets[:0]
	defer func() { r.brackets = stack[:0] }()
	var prev byte // the last '{', ',' or ':' seen directly inside a top-level object
	rec, id := &r.rec, &r.id
	rec.state, rec.spans = memberOff, rec.spans[:0]
	r.spansOK, r.idOK, r.idAt = false, false, -1
	inID := false // inside the userIdentity object, one level down
	j := 0
	b := r.buf[r.pos:]
	for {
		if j >= len(b) {
			if !r.more() {
				r.work += int64(j)
				return 0, false, r.cut(stack, j)
			}
			b = r.buf[r.pos:]
			continue
		}
		c := b[j]
		switch byteClass[c] {
		case clsQuote:
			open := j
			from := j + 1
			for {
				e, ok := stringEnd(b, from)
				if ok {
					j = e
					break
				}
				if lines && bytes.IndexByte(b[from:e], '\n') >= 0 {
					r.work += int64(e)
					return 0, false, r.breaks(stack, open, ErrSyntax, "invalid JSON: newline inside a string")
				}
				from = e
				if !r.more() {
					r.work += int64(e)
					return 0, false, r.cut(stack, e)
				}
				b = r.buf[r.pos:]
			}
			if lines && bytes.IndexByte(b[open:j], '\n') >= 0 {
				r.work += int64(j)
				return 0, false, r.breaks(stack, open, ErrSyntax, "invalid JSON: newline inside a string")
			}
			switch {
			case depth == 0:
				r.work += int64(j)
				return j, false, nil
			case depth == 1:
				if stack[0].c == '{' && (prev == '{' || prev == ',') {
					if k := b[open+1 : j-1]; string(k) == "Records" || string(k) == "Events" {
						maybe = true
					}
					prev = '"'
				}
				rec.str(open, j)
			case depth == 2 && inID:
				id.str(open, j)
			}
			continue
		case clsOpen:
			line := false
			if depth > 0 {
				if lines {
					p := j - 1
					for isSpace(b[p]) {
						p--
					}
					if q := b[p]; q != '[' && q != ',' && q != ':' {
						r.work += int64(j)
						return 0, false, r.breaks(stack, j, ErrSyntax, fmt.Sprintf("invalid JSON: %q after a value", c))
					}
				}
				if depth >= maxDepth {
					r.work += int64(j)
					return 0, false, r.breaks(stack, j, ErrSyntax, fmt.Sprintf("invalid JSON: nested more than %d deep", maxDepth))
				}
				line = b[j-1] == '\n'
			}
			switch {
			case depth == 0:
				prev = c
				if c == '{' {
					rec.state = memberKeyFirst
				}
			case depth == 1:
				if rec.nest(j) && c == '{' && string(b[rec.span.key0:rec.span.key1]) == "userIdentity" {
					inID, r.idOK, r.idAt = true, false, j
					id.state, id.spans = memberKeyFirst, id.spans[:0]
				}
			case depth == 2 && inID:
				id.nest(j)
			}
			stack = append(stack, openMark{c: c, line: line, at: j, done: -1})
			depth++
		case clsClose:
			if depth == 0 {
				r.work++
				return 0, false, r.structural(fmt.Sprintf("unexpected %q", c))
			}
			top := stack[depth-1]
			if top.c+2 != c { // '['+2 == ']', '{'+2 == '}'
				r.work += int64(j)
				return 0, false, r.breaks(stack, j, ErrSyntax, fmt.Sprintf("invalid JSON: %q closes %q", c, top.c))
			}
			stack = stack[:depth-1]
			depth--
			if depth > 0 {
				// The first line-opening value that closed inside the
				// parent: this one, or the first inside it.
				d := top.done
				if top.line {
					d = top.at
				}
				if p := &stack[depth-1]; d >= 0 && (p.done < 0 || d < p.done) {
					p.done = d
				}
			}
			switch {
			case depth == 0:
				r.spansOK = rec.close(j)
				r.work += int64(j + 1)
				return j + 1, maybe, nil
			case depth == 1:
				if inID {
					inID, r.idOK = false, id.close(j)
				}
				rec.unnest(j)
			case depth == 2 && inID:
				id.unnest(j)
			}
		case clsSep:
			if depth == 0 {
				r.work++
				return 0, false, r.structural(fmt.Sprintf("unexpected %q", c))
			}
			switch {
			case depth == 1:
				prev = c
				rec.sep(c, j)
			case depth == 2 && inID:
				id.sep(c, j)
			}
		case clsSpace:
			switch {
			case depth == 1:
				rec.endScalar(j)
			case depth == 2 && inID:
				id.endScalar(j)
			}
		default:
			switch {
			case depth == 0:
				// A bare scalar (true, 12, garbage): take it whole and let
				// DecodeRecord say what it is.
				for {
					for j < len(b) && byteClass[b[j]] == clsOther && j < maxScalar {
						j++
					}
					if j >= maxScalar {
						r.work += int64(j)
						return 0, false, r.brokenAt(j, -1, errorf(ErrSyntax, "invalid JSON: a number or literal longer than %d bytes", maxScalar))
					}
					if j < len(b) {
						r.work += int64(j)
						return j, false, nil
					}
					if !r.more() {
						r.work += int64(j)
						if r.eof && r.err == nil {
							return j, false, nil // a scalar at the very end
						}
						return 0, false, r.cut(nil, j)
					}
					b = r.buf[r.pos:]
				}
			case depth == 1:
				rec.scalar(j)
			case depth == 2 && inID:
				id.scalar(j)
			}
		}
		j++
	}
}

// memberSpan locates one member of an object, as offsets into the record:
// the key's contents, between its quotes, and the value.
type memberSpan struct{ key0, key1, val0, val1 int }

// memberTracker follows the members of one object as skip passes over it,
// from the events directly inside it. It follows the grammar that members
// reads; at anything else it stops (memberOff), and Peek then scans the
// object itself.
type memberTracker struct {
	state int
	span  memberSpan // the member being read
	spans []memberSpan
}

// What a memberTracker expects next.
const (
	memberOff      = iota
	memberKeyFirst // after '{': a key or '}'
	memberKey      // after ',': a key
	memberColon    // after a key
	memberValue    // after ':'
	memberScalar   // inside a number or literal
	memberNested   // inside an object or array value
	memberAfter    // after a value: ',' or '}'
)

// str takes the string b[open:end].
func (m *memberTracker) str(open, end int) {
	switch m.state {
	case memberKeyFirst, memberKey:
		m.span.key0, m.span.key1, m.state = open+1, end-1, memberColon
	case memberValue:
		m.span.val0, m.span.val1, m.state = open, end, memberAfter
		m.spans = append(m.spans, m.span)
	default: // a string straight after a key or a value
		m.state = memberOff
	}
}

// nest takes an object or array opening at j, and reports whether it is a
// member's value.
func (m *memberTracker) nest(j int) bool {
	if m.state != memberValue {
		m.state = memberOff
		return false
	}
	m.span.val0, m.state = j, memberNested
	return true
}

// unnest takes the close, at j, of the value that nest opened.
func (m *memberTracker) unnest(j int) {
	if m.state == memberNested {
		m.span.val1, m.state = j+1, memberAfter
		m.spans = append(m.spans, m.span)
	}
}

// scalar takes a byte at j of a number or literal.
func (m *memberTracker) scalar(j int) {
	switch m.state {
	case memberValue:
		m.span.val0, m.state = j, memberScalar
	case memberScalar:
	default:
		m.state = memberOff
	}
}

// endScalar ends a number or literal at j, if one is open.
func (m *memberTracker) endScalar(j int) {
	if m.state == memberScalar {
		m.span.val1, m.state = j, memberAfter
		m.spans = append(m.spans, m.span)
	}
}

// sep takes a ',' or ':' at j.
func (m *memberTracker) sep(c byte, j int) {
	m.endScalar(j)
	switch {
	case c == ':' && m.state == memberColon:
		m.state = memberValue
	case c == ',' && m.state == memberAfter:
		m.state = memberKey
	default:
		m.state = memberOff
	}
}

// close takes the object's closing brace at j and reports whether every
// member followed the grammar, so that spans holds them all.
func (m *memberTracker) close(j int) bool {
	m.endScalar(j)
	return m.state == memberKeyFirst || m.state == memberAfter
}

// cut reports a value that the input ends inside of, or that outgrew
// MaxRecordSize, after j bytes of it; stack is as for breaks.
func (r *Reader) cut(stack []openMark, j int) error {
	if r.err != nil {
		return r.err
	}
	if r.full() {
		return r.breaks(stack, j, ErrTooLarge, fmt.Sprintf("record is larger than %d bytes", r.MaxRecordSize))
	}
	return r.breaks(stack, j, ErrSyntax, "invalid JSON: unexpected end of input")
}
