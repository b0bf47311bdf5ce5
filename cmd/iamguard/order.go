package main

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// memoryBudget bounds, roughly, the memory that decoded records waiting for
// evaluation take: past it they are sorted and spilled to a temporary file
// (a run), and the runs are merged at the end. A decoded record takes about
// three times its JSON (3.7 KB for the bench export's 1.2 KB records), so
// 128 MiB holds some 35,000 of them: a usual export never spills. Tests
// lower it.
var memoryBudget = 128 << 20

// spills counts the runs written, for tests.
var spills atomic.Int64

// candidate is a record that routes to a rule (or teaches the engine's
// history), decoded, with where it came from: the input's position in the
// list of inputs and the record's number in it.
type candidate struct {
	rec   *cloudtrail.Record
	order int
	index int
}

// before orders candidates by event time; ties keep input order, so the
// output does not depend on which worker finished first.
func (a candidate) before(b candidate) bool {
	if !a.rec.EventTime.Equal(b.rec.EventTime) {
		return a.rec.EventTime.Before(b.rec.EventTime)
	}
	if a.order != b.order {
		return a.order < b.order
	}
	return a.index < b.index
}

func compareCandidates(a, b candidate) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return 1
	}
	return 0
}

// size estimates the memory a decoded candidate holds.
func (a candidate) size() int { return 3*len(a.rec.Raw) + 1024 }

// sorter collects candidates from the workers and gives them back in
// event-time order in bounded memory: an external merge sort whose runs are
// the candidates in memory each time they pass memoryBudget.
type sorter struct {
	mu    sync.Mutex
	mem   []candidate
	size  int
	runs  []*os.File
	n     int
	err   error    // the first error writing a run; from then on all stays in memory
	names []string // runs to remove at close
}

// add takes a batch of candidates; the caller may reuse the batch.
func (s *sorter) add(batch []candidate) {
	if len(batch) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem = append(s.mem, batch...)
	s.n += len(batch)
	for _, c := range batch {
		s.size += c.size()
	}
	if s.size > memoryBudget && s.err == nil {
		s.err = s.spill()
	}
}

// spill writes the candidates in memory, sorted, to a run and frees them.
// A run holds, for each record, its input's position, its number and its
// JSON (an EventBridge event's, for a record that came in one), each
// length-prefixed; merging decodes it again.
func (s *sorter) spill() error {
	slices.SortFunc(s.mem, compareCandidates)
	f, err := os.CreateTemp("", "iamguard-check-*.run")
	if err != nil {
		return fmt.Errorf("spill records to a temporary file: %w", err)
	}
	// Unlinked at once where the system allows it (the open file stays
	// readable), so that nothing is left behind even if the run is killed;
	// else removed by close.
	if os.Remove(f.Name()) != nil {
		s.names = append(s.names, f.Name())
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var hdr []byte
	for _, c := range s.mem {
		raw := []byte(c.rec.Raw)
		if c.rec.Envelope != nil {
			if raw, err = c.rec.EventBridgeEvent(); err != nil {
				f.Close()
				return fmt.Errorf("spill record %d of input %d: %w", c.index, c.order, err)
			}
		}
		hdr = binary.AppendUvarint(hdr[:0], uint64(c.order))
		hdr = binary.AppendUvarint(hdr, uint64(c.index))
		hdr = binary.AppendUvarint(hdr, uint64(len(raw)))
		w.Write(hdr)
		w.Write(raw)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("spill records to %s: %w", f.Name(), err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return fmt.Errorf("spill records to %s: %w", f.Name(), err)
	}
	s.runs = append(s.runs, f)
	clear(s.mem)
	s.mem, s.size = s.mem[:0], 0
	spills.Add(1)
	return nil
}

// close removes the runs.
func (s *sorter) close() {
	for _, f := range s.runs {
		f.Close()
	}
	for _, name := range s.names {
		os.Remove(name)
	}
}

// each calls yield with every candidate in event-time order, until yield
// returns false. With no run spilled it walks the sorted memory; else it
// merges the runs and the memory, one record of each at a time.
func (s *sorter) each(yield func(candidate) bool) error {
	slices.SortFunc(s.mem, compareCandidates)
	if len(s.runs) == 0 {
		for _, c := range s.mem {
			if !yield(c) {
				return nil
			}
		}
		return nil
	}
	h := make(mergeHeap, 0, len(s.runs)+1)
	if len(s.mem) > 0 {
		h = append(h, &memRun{rest: s.mem[1:], head: s.mem[0]})
	}
	for _, f := range s.runs {
		fr := newFileRun(f)
		defer fr.close()
		ok, err := fr.next()
		if err != nil {
			return fmt.Errorf("read back spilled records: %w", err)
		}
		if ok {
			h = append(h, fr)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := h[0]
		if !yield(top.current()) {
			return nil
		}
		ok, err := top.next()
		if err != nil {
			return fmt.Errorf("read back spilled records: %w", err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

// sortedRun is a sorted sequence of candidates being merged.
type sortedRun interface {
	current() candidate
	next() (bool, error)
}

type memRun struct {
	head candidate
	rest []candidate
}

func (m *memRun) current() candidate { return m.head }

func (m *memRun) next() (bool, error) {
	if len(m.rest) == 0 {
		return false, nil
	}
	m.head, m.rest = m.rest[0], m.rest[1:]
	return true, nil
}

// fileRun reads a spilled run back. A goroutine of its own reads and
// decodes the run's records a few ahead, so that decoding them again runs
// beside the evaluation instead of before each record; the few ahead are
// all of the run that is in memory.
type fileRun struct {
	ch   chan decoded
	stop chan struct{}
	head candidate
}

// decoded is a record read back from a run, or the error that ended it.
type decoded struct {
	c   candidate
	err error
}

// runAhead is how many records each run decodes ahead of the merge.
const runAhead = 64

func newFileRun(f *os.File) *fileRun {
	fr := &fileRun{ch: make(chan decoded, runAhead), stop: make(chan struct{})}
	go func() {
		defer close(fr.ch)
		r := bufio.NewReaderSize(f, 64<<10)
		var buf []byte
		for {
			c, ok, err := readRecord(r, &buf)
			if !ok && err == nil {
				return
			}
			select {
			case fr.ch <- decoded{c, err}:
			case <-fr.stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return fr
}

func (f *fileRun) current() candidate { return f.head }

func (f *fileRun) next() (bool, error) {
	d, ok := <-f.ch
	if !ok {
		return false, nil
	}
	f.head = d.c
	return d.err == nil, d.err
}

// close stops the run's reader.
func (f *fileRun) close() { close(f.stop) }

// readRecord reads and decodes the next record of a run; ok is false at its
// end.
func readRecord(r *bufio.Reader, buf *[]byte) (c candidate, ok bool, err error) {
	order, err := binary.ReadUvarint(r)
	if err == io.EOF {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	index, err1 := binary.ReadUvarint(r)
	n, err2 := binary.ReadUvarint(r)
	if err := errors.Join(err1, err2); err != nil {
		return c, false, err
	}
	*buf = slices.Grow((*buf)[:0], int(n))[:n]
	if _, err := io.ReadFull(r, *buf); err != nil {
		return c, false, err
	}
	rec, err := cloudtrail.DecodeRecord(*buf) // it copies what it keeps
	if err != nil {
		return c, false, fmt.Errorf("record %d of input %d: %w", index, order, err)
	}
	return candidate{rec: rec, order: int(order), index: int(index)}, true, nil
}

// mergeHeap orders runs by their current candidate.
type mergeHeap []sortedRun

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return h[i].current().before(h[j].current()) }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(sortedRun)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
