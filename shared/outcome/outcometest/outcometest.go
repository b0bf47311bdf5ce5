package outcometest

import (
	"context"
	"sync"
	"time"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/outcome"
)

// Memory is an outcome.Store in memory; its zero value is empty and ready.
// Err, when set, is returned by every call.
type Memory struct {
	mu      sync.Mutex
	entries map[outcome.Key]outcome.Entry
	Err     error
}

var _ outcome.Store = (*Memory)(nil)

// Claim implements outcome.Store.
func (m *Memory) Claim(_ context.Context, key outcome.Key, token string, until time.Time) (*outcome.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	if e, ok := m.entries[key]; ok {
		return &e, nil
	}
	if m.entries == nil {
		m.entries = map[outcome.Key]outcome.Entry{}
	}
	m.entries[key] = outcome.Entry{Token: token, Until: until}
	return nil, nil
}

// TakeOver implements outcome.Store.
func (m *Memory) TakeOver(_ context.Context, key outcome.Key, seen, token string, until time.Time) (*outcome.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	e, ok := m.entries[key]
	if !ok || e.Token != seen || e.Alert != nil {
		return &e, nil
	}
	m.entries[key] = outcome.Entry{Token: token, Until: until}
	return nil, nil
}

// Record implements outcome.Store.
func (m *Memory) Record(_ context.Context, key outcome.Key, token string, a finding.Alert) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	e, ok := m.entries[key]
	if !ok || e.Token != token {
		return outcome.ErrNotHeld
	}
	e.Alert = &a
	m.entries[key] = e
	return nil
}

// Entry returns what the store holds for key.
func (m *Memory) Entry(key outcome.Key) (outcome.Entry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	return e, ok
}

// Put sets what the store holds for key: a claim left by a delivery that
// died, say.
func (m *Memory) Put(key outcome.Key, e outcome.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[outcome.Key]outcome.Entry{}
	}
	m.entries[key] = e
}

// Keys returns the keys held, in no order.
func (m *Memory) Keys() []outcome.Key {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]outcome.Key, 0, len(m.entries))
	for k := range m.entries {
		out = append(out, k)
	}
	return out
}

// Len is the number of keys held.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
