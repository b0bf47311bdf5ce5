package cloudtrail

import (
	"io"
	"testing"
)

func BenchmarkZZ(b *testing.B) {
	data := []byte("A\x8000")
	for b.Loop() {
		compareNextRaw(&testing.T{}, data)
	}
}
func BenchmarkZZNext(b *testing.B) {
	data := []byte("A\x8000")
	for b.Loop() {
		r := NewReader(bytesReader(data), "in")
		for {
			if _, err := r.Next(); err != nil { if _, ok := err.(*DecodeError); !ok {break} }
		}
	}
}
func bytesReader(b []byte) *bytesR { return &bytesR{b} }
type bytesR struct{ b []byte }
func (r *bytesR) Read(p []byte) (int, error) { if len(r.b)==0 {return 0, io.EOF}; n := copy(p, r.b); r.b = r.b[n:]; return n, nil }
