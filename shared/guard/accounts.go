package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// Clients are one account's clients: the executors of the family's actions,
// the resolver of the documents its events name, and the CloudTrail lookup
// that confirms its events. A function's main builds them from an
// aws.Config (Wiring.Account): its own account's from its own credentials,
// a member account's from the responder role's.
type Clients struct {
	Executors remediate.Executors
	Resolver  rules.Resolver
	// Lookup returns CloudTrail's own record of an event in that account;
	// nil means the confirmer's (the function's own account).
	Lookup func(ctx context.Context, region, eventID string) ([]byte, bool, error)
}

// AssumeFunc opens a session of roleARN named session and returns its
// credentials (member.Assumer.Assume).
type AssumeFunc func(ctx context.Context, roleARN, session string) (aws.Credentials, error)

// MaxAccounts bounds the member accounts whose clients a warm function
// keeps: an organisation has at most a few thousand accounts, and a flood of
// forged account IDs must not grow the map without end. Past it, clients
// are built and not kept.
const MaxAccounts = 1024

// Accounts builds and keeps the clients of the organisation's member
// accounts, one set per account, on first use; each event opens its own
// session of the account's responder role (named after the event), which the
// clients then use.
type Accounts struct {
	cfg    config.Config
	base   aws.Config
	build  func(aws.Config) Clients
	assume AssumeFunc
	// parents returns the organisational units (outermost first) and root
	// an account sits in, for overrides by OU; nil when none are configured.
	parents func(ctx context.Context, account string) ([]string, error)
	now     func() time.Time

	mu   sync.Mutex
	kept map[string]*memberAccount
	// ownParents are the function's own account's parents, once known.
	ownParents []string
	ownKnown   bool
}

// memberAccount is one member account's clients and the session they use.
type memberAccount struct {
	clients Clients
	creds   *heldCredentials
	mu      sync.Mutex // guards parents and known
	parents []string
	known   bool // parents looked up
}

// NewAccounts returns the member accounts' clients, built by build from
// base with the credentials assume returns for each account's responder
// role.
func NewAccounts(cfg config.Config, base aws.Config, build func(aws.Config) Clients, assume AssumeFunc) *Accounts {
	return &Accounts{cfg: cfg, base: base, build: build, assume: assume, now: time.Now, kept: map[string]*memberAccount{}}
}

// WithParents makes the accounts look up each account's organisational
// units, for the overrides by OU, and returns them.
func (a *Accounts) WithParents(parents func(ctx context.Context, account string) ([]string, error)) *Accounts {
	a.parents = parents
	return a
}

// Len returns how many accounts' clients are kept.
func (a *Accounts) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.kept)
}

// errRefused says that IAM refused iamguard entry to an account: outside
// the organisation, or without the responder role.
type errRefused struct{ err error }

func (e *errRefused) Error() string { return e.err.Error() }
func (e *errRefused) Unwrap() error { return e.err }

// enter returns an account's clients, with a session of its responder role
// named after the event open, and the account's parents. An error of type
// *errRefused means IAM refused the session; any other is passing.
func (a *Accounts) enter(ctx context.Context, account, eventID string) (*memberAccount, error) {
	a.mu.Lock()
	m, ok := a.kept[account]
	if !ok {
		m = &memberAccount{creds: &heldCredentials{}}
		cfg := a.base.Copy()
		cfg.Credentials = m.creds
		m.clients = a.build(cfg)
		if len(a.kept) < MaxAccounts {
			a.kept[account] = m
		}
	}
	a.mu.Unlock()
	role := a.cfg.ResponderRoleARN(account)
	if err := m.creds.open(ctx, a.assume, role, config.ResponderSession(eventID), a.now()); err != nil {
		var api smithy.APIError
		if errors.As(err, &api) && (api.ErrorCode() == "AccessDenied" || api.ErrorCode() == "AccessDeniedException") {
			return nil, &errRefused{err}
		}
		return nil, err
	}
	if a.parents != nil {
		m.mu.Lock()
		defer m.mu.Unlock()
		if !m.known {
			p, err := a.parents(ctx, account)
			if err != nil {
				return nil, fmt.Errorf("organisational units of account %s: %w", account, err)
			}
			m.parents, m.known = p, true
		}
	}
	return m, nil
}

// knownParents returns the account's parents, as looked up.
func (m *memberAccount) knownParents() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.parents
}

// own returns the function's own account's parents (nil when overrides by
// OU are not configured), looked up once.
func (a *Accounts) own(ctx context.Context, account string) ([]string, error) {
	if a.parents == nil {
		return nil, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.ownKnown {
		p, err := a.parents(ctx, account)
		if err != nil {
			return nil, fmt.Errorf("organisational units of account %s: %w", account, err)
		}
		a.ownParents, a.ownKnown = p, true
	}
	return a.ownParents, nil
}

// heldCredentials are the credentials of the session opened for the event
// at hand. The SDK clients ask for them on every call (a client does not
// cache what an aws.Config's provider returns); open replaces them when
// another event comes, or when they near their end.
type heldCredentials struct {
	mu      sync.Mutex
	session string
	creds   aws.Credentials
}

// Retrieve implements aws.CredentialsProvider.
func (h *heldCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.creds.HasKeys() {
		return aws.Credentials{}, errors.New("guard: no responder session is open for this account")
	}
	return h.creds, nil
}

func (h *heldCredentials) open(ctx context.Context, assume AssumeFunc, role, session string, now time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.session == session && h.creds.HasKeys() && (!h.creds.CanExpire || h.creds.Expires.After(now.Add(2*time.Minute))) {
		return nil
	}
	h.session, h.creds = "", aws.Credentials{}
	c, err := assume(ctx, role, session)
	if err != nil {
		return err
	}
	h.session, h.creds = session, c
	return nil
}

// scope is what the handler uses for one event: the configuration,
// resolver and remediator of the event's account, and how to look its
// events up in CloudTrail.
type scope struct {
	account    string
	cfg        config.Config
	resolver   rules.Resolver
	remediator *remediate.Remediator
	lookup     func(ctx context.Context, region, eventID string) ([]byte, bool, error)
	// unproven says why nothing may be done in the account ("" when it
	// may): IAM refused iamguard entry.
	unproven string
}

// eventAccount is the account an event is about: the envelope's, or the
// record's own when it has no envelope.
func eventAccount(rec *cloudtrail.Record) string {
	if rec.Envelope != nil && rec.Envelope.Account != "" {
		return rec.Envelope.Account
	}
	return rec.RecipientAccountID
}

// scopeFor returns the scope of an event's account. The function's own
// account, and every event when the organisation shape is off, use the
// function's own clients; a member account's are reached through its
// responder role. A refusal by IAM makes the scope unproven (the event is
// reported, never acted on); any other failure to open the session is
// returned, so that Lambda retries the event.
//
// With enter false (an event already unproven, which iamguard will not act
// on) no session is opened: a member account's event is judged from the
// embedded snapshot alone.
func (h *Handler) scopeFor(ctx context.Context, rec *cloudtrail.Record, enter bool) (scope, error) {
	account := eventAccount(rec)
	own := scope{account: account, cfg: h.cfg, resolver: h.resolver, remediator: h.remediator}
	if h.confirmer != nil {
		own.lookup = h.confirmer.Lookup
	}
	if !h.cfg.Organization() || account == "" || !config.IsAccountID(account) {
		return own, nil
	}
	if account == h.cfg.Account() {
		// Its own account's overrides decide which rules run, as for any
		// other account.
		own.cfg = h.cfg.For(account)
		if h.accounts != nil {
			p, err := h.accounts.own(ctx, account)
			if err != nil {
				return scope{}, err
			}
			if len(p) > 0 {
				own.cfg = h.cfg.For(account, p...)
				own.remediator = h.remediator.With(own.cfg)
			}
		}
		return own, nil
	}
	s := scope{account: account, cfg: h.cfg.For(account), resolver: rules.AWSManaged{}, remediator: remediate.New(h.cfg.For(account), nil)}
	if h.accounts == nil || !enter {
		// A notify-only family (no clients to build): it judges the
		// event from the embedded snapshot alone.
		return s, nil
	}
	m, err := h.accounts.enter(ctx, account, rec.EventID)
	var refused *errRefused
	switch {
	case errors.As(err, &refused):
		slog.WarnContext(ctx, "responder role refused", "eventID", rec.EventID, "account", account, "err", err)
		s.unproven = fmt.Sprintf("iamguard could not enter account %s through its responder role %s (%v): IAM lets the central functions "+
			"assume it only in accounts of organisation %s, so the account is outside the organisation or has no responder role",
			account, h.cfg.ResponderRoleARN(account), refused.err, h.cfg.OrganizationID)
		return s, nil
	case err != nil:
		return scope{}, fmt.Errorf("enter account %s: %w", account, err)
	}
	s.cfg = h.cfg.For(account, m.knownParents()...)
	ids := make([]string, 0, len(h.family.Actions()))
	for _, x := range h.family.Actions() {
		ids = append(ids, x.ID)
	}
	s.remediator = remediate.New(s.cfg, m.clients.Executors.Only(ids...))
	if m.clients.Resolver != nil {
		s.resolver = m.clients.Resolver
	}
	s.lookup = m.clients.Lookup
	return s, nil
}

// SetAccounts makes the handler act in the organisation's member accounts
// through their responder roles.
func (h *Handler) SetAccounts(a *Accounts) { h.accounts = a }
