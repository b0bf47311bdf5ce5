package guard

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// The organisation of these tests: the central account is the topic's.
const (
	centralAccount = "111122223333"
	memberB        = "444455556666"
	memberInOU     = "555566667777"
	outsideOrg     = "999988887777"
	throttledAcct  = "888877776666"
	testOU         = "ou-ab12-34cd56ef"
)

// accountExecutor records which credentials each call was made with.
type accountExecutor struct {
	cfg aws.Config
	log *[]string
	mu  *sync.Mutex
}

func (e accountExecutor) record(ctx context.Context, what string) {
	c, err := e.cfg.Credentials.Retrieve(ctx)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		*e.log = append(*e.log, what+" without credentials: "+err.Error())
		return
	}
	*e.log = append(*e.log, what+" as "+c.AccessKeyID)
}

func (e accountExecutor) Tags(ctx context.Context, _ *finding.Remediation) (map[string]string, error) {
	e.record(ctx, "Tags")
	return nil, nil
}
func (e accountExecutor) Check(ctx context.Context, _ *finding.Remediation) (string, error) {
	e.record(ctx, "Check")
	return "", nil
}
func (e accountExecutor) Do(ctx context.Context, _ *finding.Remediation) error {
	e.record(ctx, "Do")
	return nil
}

// orgRig is a policy-guard handler of an organisation, with fake sessions.
type orgRig struct {
	h       *Handler
	pub     *fakePublisher
	log     []string
	mu      sync.Mutex
	assumed []string // ROLE SESSION
	built   int
}

func newOrgRig(t *testing.T) *orgRig {
	t.Helper()
	r := &orgRig{pub: &fakePublisher{}}
	r.h = handler(t, rules.PolicyGuard, map[string]string{
		config.EnvTopicARN:         "arn:aws:sns:us-east-1:" + centralAccount + ":iamguard",
		config.EnvModes:            "wildcard-policy=remediate",
		config.EnvOrganizationID:   "o-a1b2c3d4e5",
		config.EnvResponderRole:    "Iamguard-responder",
		config.EnvAccountOverrides: `{"` + testOU + `": {"modes": {"wildcard-policy": "dry-run"}}}`,
	}, r.pub)
	build := func(cfg aws.Config) Clients {
		r.built++
		ex := remediate.Executors{}
		for _, a := range rules.PolicyGuard.Actions() {
			ex[a.ID] = accountExecutor{cfg: cfg, log: &r.log, mu: &r.mu}
		}
		return Clients{Executors: ex}
	}
	assume := func(_ context.Context, role, session string) (aws.Credentials, error) {
		r.assumed = append(r.assumed, role+" "+session)
		switch {
		case strings.Contains(role, outsideOrg):
			return aws.Credentials{}, &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized to perform: sts:AssumeRole"}
		case strings.Contains(role, throttledAcct):
			return aws.Credentials{}, &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"}
		}
		account := strings.Split(role, ":")[4]
		return aws.Credentials{AccessKeyID: "ASIA-" + account + "-" + session, SecretAccessKey: "s", SessionToken: "t"}, nil
	}
	parents := func(_ context.Context, account string) ([]string, error) {
		if account == memberInOU {
			return []string{"r-ab12", testOU}, nil
		}
		return []string{"r-ab12"}, nil
	}
	r.h.SetAccounts(NewAccounts(r.h.cfg, aws.Config{Region: "us-east-1"}, build, assume).WithParents(parents))
	return r
}

// attachIn is a real AdministratorAccess attach, made in account, as the
// organisation's bus delivers it.
func attachIn(t *testing.T, account, eventID string) []byte {
	t.Helper()
	b := bytes.ReplaceAll(event(t, "AttachUserPolicy-stratus-1-eventbridge.json"), []byte("229654561268"), []byte(account))
	return bytes.ReplaceAll(b, []byte("083dc4ad-e264-46bc-a407-d0dd31b58bdc"), []byte(eventID))
}

func (r *orgRig) handle(t *testing.T, ev []byte) (finding.Alert, []string, error) {
	t.Helper()
	r.log, r.pub.alerts = nil, nil
	err := r.h.Handle(t.Context(), ev)
	var a finding.Alert
	if len(r.pub.alerts) == 1 {
		a = r.pub.alerts[0]
	} else if err == nil {
		t.Fatalf("published %d alerts, want 1", len(r.pub.alerts))
	}
	return a, r.log, err
}

func TestOrganizationActsInTheEventsAccount(t *testing.T) {
	r := newOrgRig(t)

	a, log, err := r.handle(t, attachIn(t, memberB, "e-1"))
	if err != nil || a.Outcome.Status != finding.StatusDone || a.Finding.Unproven != "" {
		t.Fatalf("member B: err %v, outcome %+v, unproven %q", err, a.Outcome, a.Finding.Unproven)
	}
	want := "ASIA-" + memberB + "-iamguard-e-1"
	if strings.Join(log, ";") != "Tags as "+want+";Check as "+want+";Do as "+want {
		t.Errorf("member B: calls %v, want each made in B's session for event e-1", log)
	}
	if !strings.Contains(a.Finding.Summary, memberB) {
		t.Errorf("summary %q does not name account B", a.Finding.Summary)
	}

	// A second event of the same account: a new session, the same clients.
	_, log, _ = r.handle(t, attachIn(t, memberB, "e-2"))
	if len(log) == 0 || !strings.HasSuffix(log[len(log)-1], "-iamguard-e-2") || r.built != 1 {
		t.Errorf("second event of B: calls %v, clients built %d times; want a session for e-2 and one build", log, r.built)
	}

	// An account in an OU whose override puts the rule in dry-run.
	a, log, err = r.handle(t, attachIn(t, memberInOU, "e-3"))
	if err != nil || a.Outcome.Status != finding.StatusDryRun || len(log) != 2 {
		t.Errorf("account in the dry-run OU: err %v, outcome %s, calls %v; want a dry run (tags and state read, nothing done)", err, a.Outcome.Status, log)
	}

	// An account outside the organisation: IAM refuses, nothing is done.
	a, log, err = r.handle(t, attachIn(t, outsideOrg, "e-4"))
	if err != nil || a.Outcome.Status != finding.StatusSkipped || len(log) != 0 ||
		!strings.Contains(a.Finding.Unproven, "could not enter account "+outsideOrg) {
		t.Errorf("outside the organisation: err %v, outcome %+v, calls %v, unproven %q", err, a.Outcome, log, a.Finding.Unproven)
	}

	// A passing STS failure: the event is retried, not reported unproven.
	_, _, err = r.handle(t, attachIn(t, throttledAcct, "e-5"))
	if err == nil || len(r.pub.alerts) != 0 {
		t.Errorf("throttled AssumeRole: err %v, %d alerts; want an error for Lambda to retry, and no alert", err, len(r.pub.alerts))
	}

	// The central account's own event: its own clients, no session.
	n := len(r.assumed)
	_, _, err = r.handle(t, attachIn(t, centralAccount, "e-6"))
	if !errors.Is(err, nil) || len(r.assumed) != n {
		t.Errorf("central event: err %v, assumed %v", err, r.assumed[n:])
	}

	for _, s := range r.assumed {
		role, session, _ := strings.Cut(s, " ")
		if !strings.HasSuffix(role, ":role/Iamguard-responder") || !strings.HasPrefix(session, config.ResponderSessionPrefix) {
			t.Errorf("assumed %s", s)
		}
	}
}

// TestOrganizationProvenance: with the organisation shape any account's
// event is proven, but envelope and record must still agree.
func TestOrganizationProvenance(t *testing.T) {
	r := newOrgRig(t)
	ev := bytes.Replace(attachIn(t, memberB, "e-7"), []byte(`"recipientAccountId": "`+memberB+`"`), []byte(`"recipientAccountId": "`+outsideOrg+`"`), 1)
	a, log, err := r.handle(t, ev)
	if err != nil || len(log) != 0 || !strings.Contains(a.Finding.Unproven, "its envelope for account") {
		t.Errorf("envelope and record disagree: err %v, calls %v, unproven %q", err, log, a.Finding.Unproven)
	}
}

// TestOrganizationConfirmsInTheEventsAccount: a member account's event is
// looked up in CloudTrail in that account, through its responder session,
// never in the security account's.
func TestOrganizationConfirmsInTheEventsAccount(t *testing.T) {
	pub := &fakePublisher{}
	h := handler(t, rules.PolicyGuard, map[string]string{
		config.EnvTopicARN:        "arn:aws:sns:us-east-1:" + centralAccount + ":iamguard",
		config.EnvModes:           "wildcard-policy=remediate",
		config.EnvOrganizationID:  "o-a1b2c3d4e5",
		config.EnvResponderRole:   "Iamguard-responder",
		config.EnvConfirmQueueURL: "https://sqs.us-east-1.amazonaws.com/" + centralAccount + "/iamguard-confirm",
	}, pub)
	central := &fakeConfirmer{trail: map[string][]byte{}}
	h.SetConfirmer(central)
	ev := attachIn(t, memberB, "e-8")
	rec, err := cloudtrail.DecodeRecord(ev)
	if err != nil {
		t.Fatal(err)
	}
	h.now = func() time.Time { return rec.EventTime.Add(6 * time.Minute) }
	var lookedUpAs []string
	var done []string
	build := func(cfg aws.Config) Clients {
		ex := remediate.Executors{}
		var mu sync.Mutex
		for _, a := range rules.PolicyGuard.Actions() {
			ex[a.ID] = accountExecutor{cfg: cfg, log: &done, mu: &mu}
		}
		return Clients{Executors: ex, Lookup: func(ctx context.Context, region, eventID string) ([]byte, bool, error) {
			c, _ := cfg.Credentials.Retrieve(ctx)
			lookedUpAs = append(lookedUpAs, c.AccessKeyID+" "+region+"/"+eventID)
			return rec.Raw, true, nil
		}}
	}
	assume := func(_ context.Context, role, session string) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "ASIA-" + strings.Split(role, ":")[4] + "-" + session, SecretAccessKey: "s"}, nil
	}
	h.SetAccounts(NewAccounts(h.cfg, aws.Config{Region: "us-east-1"}, build, assume))

	if err := h.Handle(t.Context(), ev); err != nil || len(central.deferred) != 1 || pub.alerts[0].Outcome.Status != finding.StatusPending || len(done) != 0 {
		t.Fatalf("first delivery: err %v, deferred %d, alerts %+v, calls %v; want the rollback pending", err, len(central.deferred), pub.alerts, done)
	}
	if err := h.Handle(t.Context(), sqsBatch(t, central.deferred[0])); err != nil {
		t.Fatal(err)
	}
	wantAs := "ASIA-" + memberB + "-iamguard-e-8"
	if len(central.lookups) != 0 || len(lookedUpAs) != 1 || !strings.HasPrefix(lookedUpAs[0], wantAs+" ") {
		t.Errorf("lookups: security account %v, member %v; want one, in B's session", central.lookups, lookedUpAs)
	}
	if len(pub.alerts) != 2 || pub.alerts[1].Outcome.Status != finding.StatusDone || len(done) != 3 || !strings.HasSuffix(done[2], wantAs) {
		t.Errorf("confirmed: alerts %+v, calls %v; want the rollback done in B", pub.alerts, done)
	}
}

// TestAccountsAreBounded: a flood of account IDs (forged events of accounts
// that do exist in the organisation, or not) keeps at most MaxAccounts sets
// of clients.
func TestAccountsAreBounded(t *testing.T) {
	cfg := config.Config{OrganizationID: "o-a1b2c3d4e5", ResponderRole: "Iamguard-responder"}
	a := NewAccounts(cfg, aws.Config{}, func(aws.Config) Clients { return Clients{} },
		func(context.Context, string, string) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "ASIA", SecretAccessKey: "s"}, nil
		})
	for i := range MaxAccounts + 50 {
		acct := strings.Repeat("0", 12-len(strconv.Itoa(i))) + strconv.Itoa(i)
		if _, err := a.enter(t.Context(), acct, "e"); err != nil {
			t.Fatal(err)
		}
	}
	if a.Len() != MaxAccounts {
		t.Errorf("%d accounts kept, want %d", a.Len(), MaxAccounts)
	}
}
