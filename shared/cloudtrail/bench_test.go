package cloudtrail

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// benchRecords are every sample, bare and minified as CloudTrail writes them,
// repeated to 1000 records.
var benchRecords = sync.OnceValue(func() [][]byte {
	var base [][]byte
	paths, err := sampleFileNames()
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		r, err := DecodeRecord([]byte(compactSample(p)))
		if err != nil {
			panic(err)
		}
		base = append(base, r.Raw)
	}
	var recs [][]byte
	for len(recs) < 1000 {
		recs = append(recs, base...)
	}
	return recs[:1000]
})

// benchLogFile is a CloudTrail log file of benchRecords: plain and gzipped.
var benchLogFile = sync.OnceValues(func() (plain, gz []byte) {
	var buf bytes.Buffer
	buf.WriteString(`{"Records":[`)
	for i, r := range benchRecords() {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(r)
	}
	buf.WriteString("]}")
	plain = buf.Bytes()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	return plain, z.Bytes()
})

func readRaw(b *testing.B, in []byte) {
	r := NewReader(bytes.NewReader(in), "bench")
	n := 0
	for {
		_, _, err := r.NextRaw()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != 1000 {
		b.Fatalf("NextRaw read %d records, want 1000", n)
	}
}

// BenchmarkNextRaw reads a gzipped log file of 1000 records; MB/s counts
// uncompressed bytes.
func BenchmarkNextRaw(b *testing.B) {
	plain, gz := benchLogFile()
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		readRaw(b, gz)
	}
}

// BenchmarkNextRawPlain is BenchmarkNextRaw without gzip: the scanner alone.
func BenchmarkNextRawPlain(b *testing.B) {
	plain, _ := benchLogFile()
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		readRaw(b, plain)
	}
}

// BenchmarkGunzip is the floor for BenchmarkNextRaw: decompression alone.
func BenchmarkGunzip(b *testing.B) {
	plain, gz := benchLogFile()
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextRawPeek is what `iamguard check` does per file.
func BenchmarkNextRawPeek(b *testing.B) {
	plain, gz := benchLogFile()
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(gz), "bench")
		for {
			_, _, err := r.NextRaw()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Peek(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNextRawPeekScan is BenchmarkNextRawPeek with Peek, which scans
// each record again, in place of Reader.Peek.
func BenchmarkNextRawPeekScan(b *testing.B) {
	plain, gz := benchLogFile()
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(gz), "bench")
		for {
			raw, _, err := r.NextRaw()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Peek(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkValid is the validation that DecodeRecord does, and
// BenchmarkJSONValid the encoding/json one it replaced.
func BenchmarkValid(b *testing.B) {
	recs := benchRecords()
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, r := range recs {
			if !valid(r) {
				b.Fatal("invalid")
			}
		}
	}
}

func BenchmarkJSONValid(b *testing.B) {
	recs := benchRecords()
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, r := range recs {
			if !json.Valid(r) {
				b.Fatal("invalid")
			}
		}
	}
}

func BenchmarkPeek(b *testing.B) {
	recs := benchRecords()
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			if _, err := Peek(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	recs := benchRecords()
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			if _, err := DecodeRecord(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodingJSON is the yardstick for BenchmarkDecodeRecord: plain
// encoding/json into a struct of the same fields.
func BenchmarkEncodingJSON(b *testing.B) {
	type identity struct {
		Type, PrincipalID, ARN, AccountID, AccessKeyID, UserName, InvokedBy string
	}
	type record struct {
		EventVersion, EventTime, EventSource, EventName, EventType, EventID, AWSRegion string
		RecipientAccountID, SourceIPAddress, UserAgent, ErrorCode, ErrorMessage        string
		UserIdentity                                                                   identity
		RequestParameters, ResponseElements, AdditionalEventData                       json.RawMessage
	}
	recs := benchRecords()
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			var v record
			_ = json.Unmarshal(r, &v) // some samples have non-string fields: only the speed matters here
		}
	}
}
