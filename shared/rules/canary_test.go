package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/iamguard/iamguard/shared/cloudtrail"
)

// beatAt returns the canary sample (or its forged twin) written at t.
func beatAt(t *testing.T, file string, at time.Time) *cloudtrail.Record {
	t.Helper()
	rec, _ := readOne(t, "../../events/"+file)
	c := *rec
	c.EventTime = at
	return &c
}

func TestCanaryBeatShape(t *testing.T) {
	rec, _ := readOne(t, "../../events/TagPolicy-canary-derived.json")
	b, ok := CanaryBeat(rec)
	if !ok || b.RoleARN != sampleSettings.CanaryRoleARN || b.PolicyARN != sampleSettings.CanaryPolicyARN || !sampleSettings.IsCanary(b) {
		t.Fatalf("CanaryBeat = %+v, %v", b, ok)
	}
	if (Settings{}).IsCanary(b) {
		t.Error("with no canary configured, a write was taken for it")
	}
	for _, name := range []string{"TagRole-exempt-derived.json", "LeaveOrganization-stratus-1.json", "AttachUserPolicy-stratus-1.json"} {
		rec, _ := readOne(t, "../../events/"+name)
		if _, ok := CanaryBeat(rec); ok {
			t.Errorf("%s taken for a canary write", name)
		}
	}
	failed := *rec
	failed.ErrorCode = "AccessDenied"
	if _, ok := CanaryBeat(&failed); ok {
		t.Error("a failed TagPolicy taken for a heartbeat")
	}
}

func TestCanaryGaps(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 0, 2, 0, 0, time.UTC)
	at := func(min int) *cloudtrail.Record {
		return beatAt(t, "TagPolicy-canary-derived.json", t0.Add(time.Duration(min)*time.Minute))
	}
	forged := beatAt(t, "TagPolicy-canary-forged-derived.json", t0.Add(200*time.Minute))
	// Beats at 0, 60, 134 (74 after: late but within the margin), 200
	// (forged: does not count), 320 (186 after 134: a gap), 380.
	recs := []*cloudtrail.Record{at(0), at(60), at(134), forged, at(320), at(380)}
	gaps := CanaryGaps(recs, sampleSettings, time.Hour, time.Time{})
	if len(gaps) != 1 {
		t.Fatalf("gaps = %+v", gaps)
	}
	g := gaps[0]
	if g.Index != 4 || !g.From.Equal(t0.Add(134*time.Minute)) || !g.To.Equal(t0.Add(320*time.Minute)) {
		t.Errorf("gap = %+v", g)
	}
	if g.Finding.Rule != "canary" || g.Finding.Severity.String() != "high" ||
		!strings.HasPrefix(g.Finding.Summary, "no canary between 2026-11-30T02:16:00Z and 2026-11-30T05:22:00Z (3h6m0s, expected every 1h0m0s)") {
		t.Errorf("finding = %s %s %q", g.Finding.Rule, g.Finding.Severity, g.Finding.Summary)
	}
	// Without the stack's settings every canary-shaped write counts, each
	// policy on its own: the forged write is on the same policy, so it
	// splits the gap into 66 and 120 minutes.
	gaps = CanaryGaps(recs, Settings{}, time.Hour, time.Time{})
	if len(gaps) != 1 || gaps[0].Index != 4 {
		t.Errorf("unconfigured gaps = %+v", gaps)
	}
	// A silence that lasts to the end of the history is reported on the
	// last write; one within the period plus the margin is not.
	gaps = CanaryGaps(recs, sampleSettings, time.Hour, t0.Add(380*time.Minute+5*time.Hour))
	if len(gaps) != 2 || gaps[1].Index != 5 || !strings.HasPrefix(gaps[1].Finding.Summary, "no canary after 2026-11-30T06:22:00Z up to 2026-11-30T11:22:00Z") {
		t.Errorf("trailing silence: gaps = %+v", gaps)
	}
	if gaps := CanaryGaps(recs, sampleSettings, time.Hour, t0.Add(450*time.Minute)); len(gaps) != 1 {
		t.Errorf("70 minutes after the last write is no gap: %+v", gaps)
	}
	// Two accounts' canaries are two sequences: one beating hourly does
	// not hide the other's silence.
	other := func(min int) *cloudtrail.Record {
		r := at(min)
		r.RequestParameters = []byte(strings.ReplaceAll(string(r.RequestParameters), "307578594326", "111122223333"))
		return r
	}
	mixed := []*cloudtrail.Record{at(0), other(0), at(60), at(120), at(180), other(240)}
	if gaps := CanaryGaps(mixed, Settings{}, time.Hour, time.Time{}); len(gaps) != 1 || gaps[0].Index != 5 {
		t.Errorf("per-policy gaps = %+v", gaps)
	}
	if got := CanaryGaps(recs, sampleSettings, 0, time.Time{}); got != nil {
		t.Errorf("period 0 (canary off) gave gaps %+v", got)
	}
	if got := CanaryGaps(recs, sampleSettings, 4*time.Hour, time.Time{}); got != nil {
		t.Errorf("period 4h gave gaps %+v", got)
	}
}
