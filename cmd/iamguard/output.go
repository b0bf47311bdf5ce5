package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/severity"
)

// jsonFinding is one line of --format json: the finding and where it was read.
type jsonFinding struct {
	finding.Finding
	// EventTime shadows the finding's own: null, not 0001-01-01, for a
	// record without one.
	EventTime *time.Time `json:"eventTime"`
	File      string     `json:"file"`
	Record    int        `json:"record"`
}

type stats struct {
	files   int
	records int64
	decoded int
	errors  int
	elapsed time.Duration
}

func (s stats) line(findings int) string {
	return fmt.Sprintf("%d findings in %d records from %d inputs (%d decoded in full, %d input errors) in %s",
		findings, s.records, s.files, s.decoded, s.errors, s.elapsed.Round(time.Millisecond))
}

// reporter writes findings as they are made and a summary at the end.
type reporter struct {
	format string
	w      *bufio.Writer
	enc    *json.Encoder
	counts map[string]map[severity.Severity]int
	n      int
	// accounts counts by account, for runs over an organisation (accounts.go).
	accounts accountCounts
}

func newReporter(format string, w io.Writer) *reporter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &reporter{format: format, w: bw, enc: enc, counts: map[string]map[severity.Severity]int{}}
}

func (r *reporter) total() int { return r.n }

func (r *reporter) finding(f finding.Finding, file string, record int) error {
	r.n++
	if r.counts[f.Rule] == nil {
		r.counts[f.Rule] = map[severity.Severity]int{}
	}
	r.counts[f.Rule][f.Severity]++
	r.accounts.add(&f, file)
	if r.format == "json" {
		jf := jsonFinding{Finding: f, File: file, Record: record}
		if !f.EventTime.IsZero() {
			t := f.EventTime
			jf.EventTime = &t
		}
		return r.enc.Encode(jf)
	}
	w := r.w
	when := "time unknown"
	if !f.EventTime.IsZero() {
		when = f.EventTime.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(w, "%-8s  %s  %s  %s\n", f.Severity.Upper(), f.Rule, when, f.Summary)
	mfa := "no"
	if f.MFA {
		mfa = "yes"
	}
	fmt.Fprintf(w, "          who:   %s (%s) from %s, MFA %s\n", orDash(f.Actor), orDash(f.ActorType), orDash(f.SourceIP), mfa)
	fmt.Fprintf(w, "          where: account %s, region %s, event %s %s\n", orDash(f.Account), orDash(f.Region), f.EventName, orDash(f.EventID))
	for _, reason := range f.Reasons {
		fmt.Fprintf(w, "          why:   %s\n", reason)
	}
	if f.Remediation != nil {
		fmt.Fprintf(w, "          fix:   %s\n", f.Remediation.Command)
		if f.Remediation.Deferred != "" {
			fmt.Fprintf(w, "                 (%s)\n", f.Remediation.Deferred)
		}
		if f.Remediation.Undo != nil {
			fmt.Fprintf(w, "          undo:  %s\n", abbreviate(f.Remediation.Undo.Command, 300))
		}
	}
	if f.RemediationNote != "" {
		fmt.Fprintf(w, "          note:  %s\n", f.RemediationNote)
	}
	fmt.Fprintf(w, "          read:  %s record %d\n\n", file, record)
	return nil
}

// queued is a finding waiting for the writer, with where it was read.
type queued struct {
	f      finding.Finding
	file   string
	record int
}

// findingQueue hands findings to a goroutine that writes them in the order
// they were added.
type findingQueue struct {
	ch     chan []queued
	batch  []queued
	done   chan struct{}
	err    error // the first write error; the writer skips the rest
	failed atomic.Bool
}

// queueBatch findings go to the writer at a time: a channel send per finding
// would cost more than the overlap gains.
const queueBatch = 256

// queue starts the writer. Every queue must be closed.
func (r *reporter) queue() *findingQueue {
	q := &findingQueue{ch: make(chan []queued, 4), done: make(chan struct{})}
	go func() {
		defer close(q.done)
		for batch := range q.ch {
			for _, e := range batch {
				if q.err != nil {
					break
				}
				if err := r.finding(e.f, e.file, e.record); err != nil {
					q.err = err
					q.failed.Store(true)
				}
			}
		}
	}()
	return q
}

// add queues a finding. It returns false once a write has failed.
func (q *findingQueue) add(f finding.Finding, file string, record int) bool {
	q.batch = append(q.batch, queued{f: f, file: file, record: record})
	if len(q.batch) == queueBatch {
		q.ch <- q.batch
		q.batch = make([]queued, 0, queueBatch)
	}
	return !q.failed.Load()
}

// close waits until every queued finding is written and returns the first
// write error.
func (q *findingQueue) close() error {
	if len(q.batch) > 0 {
		q.ch <- q.batch
	}
	close(q.ch)
	<-q.done
	return q.err
}

func (r *reporter) summary(s stats) error {
	if r.format == "json" {
		return r.w.Flush()
	}
	w := r.w
	fmt.Fprintf(w, "Summary: %s\n", s.line(r.n))
	if r.n > 0 {
		ruleIDs := make([]string, 0, len(r.counts))
		for id := range r.counts {
			ruleIDs = append(ruleIDs, id)
		}
		sort.Strings(ruleIDs)
		fmt.Fprintf(w, "  %-20s %8s %8s %8s %8s %8s %8s\n", "rule", "critical", "high", "medium", "low", "info", "total")
		for _, id := range ruleIDs {
			c := r.counts[id]
			total := 0
			for _, n := range c {
				total += n
			}
			fmt.Fprintf(w, "  %-20s %8d %8d %8d %8d %8d %8d\n", id, c[severity.Critical], c[severity.High], c[severity.Medium], c[severity.Low], c[severity.Info], total)
		}
		r.accounts.write(w)
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// abbreviate keeps long commands (an inline policy document) readable in text
// output; --format json carries them whole.
func abbreviate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "… (full command in --format json)"
}
