// Package severity defines the ordered scale on which iamguard ranks a finding.
//
// It decides only the order and the spelling of the levels; what earns a level is
// decided by shared/policy and shared/rules. It must never depend on AWS.
package severity

import (
	"fmt"
	"strings"
)

// Severity ranks how dangerous a change is. The zero value is None, which is
// lower than every level a finding can carry.
type Severity int

// The levels, lowest first. Comparisons such as s >= High are meaningful.
const (
	None Severity = iota
	Info
	Low
	Medium
	High
	Critical
)

var names = [...]string{"none", "info", "low", "medium", "high", "critical"}

// String returns the lower-case name of s, such as "critical".
func (s Severity) String() string {
	if s < None || int(s) >= len(names) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return names[s]
}

// Upper returns the upper-case name of s, as used in alert subjects ("CRITICAL").
func (s Severity) Upper() string { return strings.ToUpper(s.String()) }

// Parse reads a level by name, case-insensitively.
func Parse(name string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, v := range names {
		if v == n {
			return Severity(i), nil
		}
	}
	return None, fmt.Errorf("unknown severity %q: want one of %s", name, strings.Join(names[:], ", "))
}

// MarshalText writes the lower-case name, so JSON carries "high", not 4.
func (s Severity) MarshalText() ([]byte, error) {
	if s < None || int(s) >= len(names) {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(names[s]), nil
}

// UnmarshalText accepts any name that Parse accepts.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Max returns the higher of a and b.
func Max(a, b Severity) Severity {
	if a > b {
		return a
	}
	return b
}

// Min returns the lower of a and b.
func Min(a, b Severity) Severity {
	if a < b {
		return a
	}
	return b
}
