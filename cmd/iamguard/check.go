package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

type checkOptions struct {
	format      string
	minSeverity severity.Severity
	failOn      severity.Severity
	failOnSet   bool
	workers     int
	paths       []string
	settings    rules.Settings
	canaryEvery time.Duration
}

func parseCheckArgs(args []string) (checkOptions, error) {
	opts := checkOptions{minSeverity: severity.Info}
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.StringVar(&opts.format, "format", "text", "output format: text or json")
	minSev := fset.String("min-severity", "info", "report findings at or above this severity")
	failOn := fset.String("fail-on", "", "exit 1 when a reported finding is at or above this severity")
	fset.IntVar(&opts.workers, "workers", runtime.GOMAXPROCS(0), "files read in parallel")
	trusted := fset.String("trusted-accounts", "", "comma-separated account IDs a trust policy may name (trust-policy)")
	fset.StringVar(&opts.settings.TrustedOrgID, "trusted-org-id", "", "the organisation ID a trust policy may limit principals to")
	fset.StringVar(&opts.settings.CanaryPolicyARN, "canary-policy-arn", "", "the stack's canary policy: only its writes count as heartbeats")
	fset.StringVar(&opts.settings.CanaryRoleARN, "canary-role-arn", "", "the stack's canary role (with --canary-policy-arn)")
	fset.StringVar(&opts.settings.Guardrail.StackName, "stack-name", "", "the iamguard stack's name: changes to its resources are guardrail-tampering")
	fset.StringVar(&opts.settings.Guardrail.KeyARN, "key-arn", "", "the iamguard stack's alert key (guardrail-tampering)")
	canaryMinutes := fset.Int("canary-minutes", 60, "the canary's period; a longer stretch between heartbeats (plus 15 minutes) is reported; 0 turns the check off")
	// Flags may follow paths (check ./trail --format json); -- ends them.
	for rest := args; ; {
		if err := fset.Parse(rest); err != nil {
			return opts, err
		}
		left := fset.Args()
		if len(left) == 0 {
			break
		}
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			opts.paths = append(opts.paths, left...)
			break
		}
		opts.paths = append(opts.paths, left[0])
		rest = left[1:]
	}
	var errs []error
	if opts.format != "text" && opts.format != "json" {
		errs = append(errs, fmt.Errorf("--format %q: want text or json", opts.format))
	}
	var err error
	if opts.minSeverity, err = severity.Parse(*minSev); err != nil {
		errs = append(errs, fmt.Errorf("--min-severity: %w", err))
	}
	if *failOn != "" {
		opts.failOnSet = true
		if opts.failOn, err = severity.Parse(*failOn); err != nil {
			errs = append(errs, fmt.Errorf("--fail-on: %w", err))
		}
	}
	for _, a := range strings.FieldsFunc(*trusted, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !config.IsAccountID(a) {
			errs = append(errs, fmt.Errorf("--trusted-accounts: %q is not a 12-digit AWS account ID", a))
			continue
		}
		opts.settings.TrustedAccounts = append(opts.settings.TrustedAccounts, a)
	}
	if o := opts.settings.TrustedOrgID; o != "" && !config.IsOrgID(o) {
		errs = append(errs, fmt.Errorf("--trusted-org-id %q: want an organisation ID such as o-a1b2c3d4e5", o))
	}
	if p, r := opts.settings.CanaryPolicyARN, opts.settings.CanaryRoleARN; (p == "") != (r == "") {
		errs = append(errs, errors.New("--canary-policy-arn and --canary-role-arn go together"))
	} else if p != "" && (!strings.HasPrefix(p, "arn:") || !strings.Contains(p, ":policy"+rules.CanaryPolicyPath)) {
		errs = append(errs, fmt.Errorf("--canary-policy-arn %q: want the ARN of a policy under %s", p, rules.CanaryPolicyPath))
	} else if r != "" && (!strings.HasPrefix(r, "arn:") || !strings.Contains(r, ":role/")) {
		errs = append(errs, fmt.Errorf("--canary-role-arn %q: want the ARN of an IAM role", r))
	}
	if n := opts.settings.Guardrail.StackName; n != "" && !validStackName(n) {
		errs = append(errs, fmt.Errorf("--stack-name %q: want a CloudFormation stack name", n))
	}
	// The stack's own deployment, as the deployed function knows it: the CDK
	// bootstrap's deploy and execution roles, in any account of the logs.
	opts.settings.Guardrail.DeployRoles = []string{"arn:*:iam::*:role/cdk-*-deploy-role-*", "arn:*:iam::*:role/cdk-*-cfn-exec-role-*"}
	if k := opts.settings.Guardrail.KeyARN; k != "" && (!strings.HasPrefix(k, "arn:") || !strings.Contains(k, ":kms:") || !strings.Contains(k, ":key/")) {
		errs = append(errs, fmt.Errorf("--key-arn %q: want a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", k))
	}
	if *canaryMinutes < 0 {
		errs = append(errs, fmt.Errorf("--canary-minutes %d: want 0 (off) or more", *canaryMinutes))
	}
	opts.canaryEvery = time.Duration(*canaryMinutes) * time.Minute
	if opts.workers < 1 {
		errs = append(errs, fmt.Errorf("--workers %d: want at least 1", opts.workers))
	}
	if len(opts.paths) == 0 {
		errs = append(errs, errors.New("no PATH given: name files, directories or - for standard input"))
	}
	return opts, errors.Join(errs...)
}

func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseCheckArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "iamguard check: %v\n\n%s", err, usage)
		return exitUsage
	}
	start := time.Now()
	inputs, inputErrs := expandPaths(opts.paths)
	for _, e := range inputErrs {
		fmt.Fprintf(stderr, "iamguard: %v\n", e)
	}

	engine := rules.NewEngine(rules.Options{Settings: opts.settings})
	sc := &scan{engine: engine, stderr: stderr, inputs: inputs, settings: opts.settings, lastBeat: map[string]candidate{}}
	defer sc.sorted.close()
	sc.run(ctx, inputs, opts.workers, stdin, isTerminal(stderr))

	out := newReporter(opts.format, stdout)
	// Findings are written on a goroutine of their own, so that encoding
	// them overlaps evaluating the records after them.
	queue := out.queue()
	failed := false
	report := func(f finding.Finding, c candidate) bool {
		if f.Severity < opts.minSeverity {
			return true
		}
		if opts.failOnSet && f.Severity >= opts.failOn {
			failed = true
		}
		return queue.add(f, inputs[c.order], c.index)
	}
	// Evaluate in event-time order so that the engine's policy history sees
	// CreatePolicy before the attachment that follows it, whichever file
	// each landed in. Gaps in the canary's heartbeats are reported where
	// they end, in that order with the rest: between two beats on the
	// second, and a silence up to the newest record on the last beat of its
	// policy (which the scan noted).
	prevBeat := map[string]*cloudtrail.Record{}
	if err := sc.sorted.err; err != nil {
		// The results are still whole; only the memory is not bounded.
		fmt.Fprintf(stderr, "iamguard: %v; the rest of the records are kept in memory\n", err)
	}
	sortErr := sc.sorted.each(func(c candidate) bool {
		var found []finding.Finding
		if b, ok := sc.beat(c.rec); ok && opts.canaryEvery > 0 {
			if p := prevBeat[b.PolicyARN]; p != nil {
				for _, g := range rules.CanaryGaps([]*cloudtrail.Record{p, c.rec}, opts.settings, opts.canaryEvery, time.Time{}) {
					found = append(found, g.Finding)
				}
			}
			if last := sc.lastBeat[b.PolicyARN]; last.order == c.order && last.index == c.index {
				for _, g := range rules.CanaryGaps([]*cloudtrail.Record{c.rec}, opts.settings, opts.canaryEvery, sc.end) {
					found = append(found, g.Finding)
				}
			}
			prevBeat[b.PolicyARN] = c.rec
		}
		for _, f := range append(found, engine.Evaluate(ctx, c.rec)...) {
			if !report(f, c) {
				return false // a write failed
			}
		}
		return true
	})
	if sortErr != nil {
		fmt.Fprintf(stderr, "iamguard: %v\n", sortErr)
	}
	if err := queue.close(); err != nil {
		fmt.Fprintf(stderr, "iamguard: write output: %v\n", err)
		return exitUsage
	}
	st := stats{files: len(inputs), records: sc.records.Load(), decoded: sc.sorted.n,
		errors: len(inputErrs) + int(sc.errors.Load()), elapsed: time.Since(start)}
	if sortErr != nil {
		st.errors++
	}
	if err := out.summary(st); err != nil {
		fmt.Fprintf(stderr, "iamguard: write output: %v\n", err)
		return exitUsage
	}
	if opts.format == "json" {
		fmt.Fprintf(stderr, "iamguard: %s\n", st.line(out.total()))
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "iamguard: interrupted; the findings above cover only what was read")
		return exitUsage
	case st.errors > 0:
		return exitUsage
	case failed:
		return exitFailOn
	}
	return exitOK
}

// inputExts are the files a directory walk reads; a file named on the
// command line is read whatever its name.
var inputExts = []string{".json", ".jsonl", ".ndjson", ".gz"}

// expandPaths turns the PATH arguments into the list of inputs, walking
// directories recursively in lexical order (CloudTrail's file names sort by
// time). Symbolic links inside a directory are followed, to files and to
// directories; a link that leads back to a directory being walked (a loop)
// or to nothing is reported, and a directory reached twice is walked once.
func expandPaths(paths []string) ([]string, []error) {
	w := walker{walked: map[string]bool{}}
	for _, p := range paths {
		if p == "-" {
			w.out = append(w.out, p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			w.errs = append(w.errs, err)
			continue
		}
		if !info.IsDir() {
			w.out = append(w.out, p)
			continue
		}
		w.dir(p, nil)
	}
	return w.out, w.errs
}

// walker walks directories for expandPaths.
type walker struct {
	out    []string
	errs   []error
	walked map[string]bool // real paths of the directories walked
}

// dir walks the directory at path; above holds the real paths of the
// directories that lead to it.
func (w *walker) dir(path string, above []string) {
	real, err := realPath(path)
	if err != nil {
		w.errs = append(w.errs, err)
		return
	}
	if slices.Contains(above, real) {
		w.errs = append(w.errs, fmt.Errorf("%s: symlink loop: it leads back to %s, which is being read", path, real))
		return
	}
	if w.walked[real] {
		return // reached through another link: read once
	}
	w.walked[real] = true
	entries, err := os.ReadDir(path)
	if err != nil {
		w.errs = append(w.errs, err)
		// ReadDir returns what it could read before the error.
	}
	above = append(above, real)
	for _, d := range entries {
		name := filepath.Join(path, d.Name())
		switch t := d.Type(); {
		case t.IsDir():
			w.dir(name, above)
		case t.IsRegular():
			if hasInputExt(d.Name()) {
				w.out = append(w.out, name)
			}
		case t&fs.ModeSymlink != 0:
			info, err := os.Stat(name)
			switch {
			case errors.Is(err, syscall.ELOOP):
				w.errs = append(w.errs, fmt.Errorf("%s: symlink loop: %w", name, err))
			case err != nil:
				w.errs = append(w.errs, fmt.Errorf("%s: symlink to nothing readable: %w", name, err))
			case info.IsDir():
				w.dir(name, above)
			case info.Mode().IsRegular() && hasInputExt(d.Name()):
				w.out = append(w.out, name)
			}
		}
	}
}

// realPath is path absolute, with every symbolic link resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

func hasInputExt(name string) bool {
	for _, ext := range inputExts {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}

// maxErrorsShown bounds the bad records of one input reported one by one
// on standard error; one line counts the rest, so a file of junk cannot
// fill a disk through standard error.
const maxErrorsShown = 20

// batchSize candidates go from a worker to the sorter at a time.
const batchSize = 512

// scan reads inputs in parallel and keeps only the records worth decoding.
// Most CloudTrail records match no rule; Peek reads their routing fields
// without decoding the rest, which is what keeps check near zcat's speed.
type scan struct {
	engine   *rules.Engine
	stderr   io.Writer
	inputs   []string
	settings rules.Settings

	mu        sync.Mutex // guards stderr, lastBeat and end
	sorted    sorter
	lastBeat  map[string]candidate // the last canary beat of each policy, in event-time order
	end       time.Time            // the newest event time of a candidate
	records   atomic.Int64
	errors    atomic.Int64
	filesDone atomic.Int64
}

func (s *scan) run(ctx context.Context, inputs []string, workers int, stdin io.Reader, progress bool) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cache := map[cloudtrail.Summary]bool{}
			for i := range jobs {
				s.readInput(ctx, inputs[i], i, stdin, cache)
				s.filesDone.Add(1)
			}
		}()
	}
	stopProgress := func() {}
	if progress {
		stopProgress = s.showProgress(len(inputs))
	}
	for i := range inputs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	stopProgress()
}

// ctxReader stops reading once ctx is done: an endless input (/dev/zero)
// ends when the run is interrupted.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (s *scan) readInput(ctx context.Context, name string, order int, stdin io.Reader, cache map[cloudtrail.Summary]bool) {
	var r io.Reader
	if name == "-" {
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			s.report(err)
			return
		}
		defer f.Close()
		r = f
	}
	rd := cloudtrail.NewReader(ctxReader{ctx, r}, name)
	var local []candidate
	var n int64
	bad := 0
	// badRecord reports a bad record; past maxErrorsShown it only counts
	// it, without even formatting the message.
	badRecord := func(err error, index int) {
		if bad++; bad > maxErrorsShown {
			s.errors.Add(1)
			return
		}
		if index > 0 {
			err = fmt.Errorf("%s: record %d (byte %d): %w", name, index, rd.Offset(), err)
		}
		s.report(err)
	}
	for ctx.Err() == nil {
		_, index, err := rd.NextRaw()
		if err == io.EOF {
			break
		}
		if err != nil {
			var de *cloudtrail.DecodeError
			if errors.As(err, &de) {
				badRecord(err, 0)
				continue // one bad record; the rest of the file is still read
			}
			if ctx.Err() == nil {
				s.report(err)
			}
			break
		}
		n++
		sum, err := rd.Peek()
		if err != nil {
			badRecord(err, index)
			continue
		}
		interesting, seen := cache[sum]
		if !seen {
			interesting = s.engine.Interesting(sum)
			cache[sum] = interesting
		}
		if !interesting {
			continue
		}
		rec, err := rd.Decode()
		if err != nil {
			badRecord(err, index)
			continue
		}
		local = append(local, candidate{rec: rec, order: order, index: index})
		if len(local) == batchSize {
			s.keep(local)
			local = local[:0]
		}
	}
	s.keep(local)
	s.records.Add(n)
	if bad > maxErrorsShown {
		s.print(fmt.Sprintf("%s: %d more bad records not shown (the first %d are above)", name, bad-maxErrorsShown, maxErrorsShown))
	}
}

// keep hands a batch of candidates to the sorter, noting what the
// evaluation must know before it starts: the newest event time, and the
// last canary beat of each policy.
func (s *scan) keep(batch []candidate) {
	if len(batch) == 0 {
		return
	}
	var newest time.Time
	for _, c := range batch {
		if c.rec.EventTime.After(newest) {
			newest = c.rec.EventTime
		}
		if b, ok := s.beat(c.rec); ok {
			s.mu.Lock()
			if last, seen := s.lastBeat[b.PolicyARN]; !seen || last.before(c) {
				s.lastBeat[b.PolicyARN] = c
			}
			s.mu.Unlock()
		}
	}
	s.mu.Lock()
	if newest.After(s.end) {
		s.end = newest
	}
	s.mu.Unlock()
	s.sorted.add(batch)
}

// beat returns rec's canary beat, if it is one that rules.CanaryGaps counts.
func (s *scan) beat(rec *cloudtrail.Record) (rules.Beat, bool) {
	b, ok := rules.CanaryBeat(rec)
	if !ok || b.Time.IsZero() || (s.settings.CanaryPolicyARN != "" && !s.settings.IsCanary(b)) {
		return rules.Beat{}, false
	}
	return b, true
}

// report writes one input error to standard error and counts it.
func (s *scan) report(err error) {
	s.errors.Add(1)
	s.print(err.Error())
}

// print writes one line to standard error.
func (s *scan) print(msg string) {
	s.mu.Lock()
	fmt.Fprintf(s.stderr, "iamguard: %s\n", msg)
	s.mu.Unlock()
}

// showProgress prints a progress line on a terminal every quarter second
// once a run has lasted a second; the returned func clears it.
func (s *scan) showProgress(total int) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					s.mu.Lock()
					fmt.Fprint(s.stderr, "\r\033[K")
					s.mu.Unlock()
				}
				return
			case <-t.C:
				if time.Since(start) < time.Second {
					continue
				}
				shown = true
				s.mu.Lock()
				fmt.Fprintf(s.stderr, "\r\033[Kiamguard: %d/%d files, %d records", s.filesDone.Load(), total, s.records.Load())
				s.mu.Unlock()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// validStackName reports whether s is a CloudFormation stack name: a letter,
// then letters, digits and hyphens, at most 128.
func validStackName(s string) bool {
	if len(s) == 0 || len(s) > 128 || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == ""
}
