package analytic_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/testsize"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"

	"github.com/rcsim/connsim/analytic"
	"github.com/rcsim/connsim/sim"
)

// z is the normal quantile of the 99.9% two-sided interval.
const z = 3.29

// spec55 is the schedule of spec section 5.5, written out independently of
// fsm.DefaultSchedule: the closed form always uses it.
var spec55 = []time.Duration{
	50 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
	16 * time.Second, 32 * time.Second, 64 * time.Second,
}

func msd(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

// point is one (time limit, horizon) of the grid; extra points (ties and
// horizons) run half the trials to keep the test short.
type point struct {
	limit, horizon time.Duration
	extra          bool
}

// grid of time limits and horizons: round values, and values on and just
// after s_k + 2·latency (100 ms, 5.15 s, 10.4 s with the default
// parameters), where the tie rule decides. 0 is no limit (10 min horizon).
var grid = []point{
	{limit: time.Second}, {limit: 2 * time.Second}, {limit: 5 * time.Second},
	{limit: msd(5100)}, // attempt 2 starts (5.05 s), answers too late
	{limit: 10 * time.Second},
	{limit: msd(10300)}, // attempt 3 due exactly at L: never starts
	{limit: 30 * time.Second},
	{},                                                                 // no limit, 10 min horizon
	{limit: msd(100), extra: true}, {limit: msd(100) + 1, extra: true}, // tie for attempt 1, and 1 ns later
	{limit: msd(5150), extra: true}, {limit: msd(5150) + 1, extra: true}, // tie for attempt 2
	{limit: msd(10400), extra: true}, {limit: msd(10400) + 1, extra: true}, // tie for attempt 3
	{horizon: msd(10400), extra: true}, {horizon: msd(10400) - 1, extra: true}, // the horizon is inclusive
	{limit: 30 * time.Second, horizon: 20 * time.Second, extra: true}, // the horizon comes first: unfinished
}

var losses = []float64{0, 0.1, 0.3, 0.5, 0.7, 0.9}

// compare runs the simulator at loss p on point pt with simSchedule and
// returns every disagreement with the closed form (which always uses
// spec 5.5's schedule), and how many quantiles it could compare exactly.
func compare(t *testing.T, p float64, pt point, simSchedule []time.Duration, trials int) (bad []string, exact int) {
	return compareAnatomy(t, p, pt, simSchedule, trials, anatomy{})
}

// anatomy is the attempt's anatomy of a comparison: the zero value is one
// auth round trip (--attempt auth); full is --attempt full with tls TLS
// round trips, a first visit unless returning.
type anatomy struct {
	full, returning bool
	tls             int
}

// compareAnatomy is compare under the attempt's anatomy a: the simulator
// runs with it, and the closed form gets its round trips written out
// here (socket + TLS + auth, the navigation on a first visit).
func compareAnatomy(t *testing.T, p float64, pt point, simSchedule []time.Duration, trials int, a anatomy) (bad []string, exact int) {
	t.Helper()
	params := model.DefaultParams()
	params.Client.Attempt = fsm.AttemptAuth
	if a.full {
		params.Client.Attempt, params.Client.TLS, params.Client.Returning = fsm.AttemptFull, a.tls, a.returning
	}
	params.Net.Loss = p
	params.TimeLimit = pt.limit
	if pt.horizon > 0 {
		params.Horizon = pt.horizon
	}
	params.Client.Policy = fsm.List{Name: "sim", Gaps: simSchedule}
	if mutate != nil {
		mutate(&params)
	}
	m := analytic.Model{Loss: p, Latency: params.Net.Latency, AttemptTimeout: params.Client.AttemptTimeout,
		Policy: fsm.List{Name: "spec55", Gaps: spec55}, TimeLimit: pt.limit, Horizon: params.Horizon}
	if a.full {
		m.RoundTrips, m.Navi = 2+a.tls, !a.returning
		m.NaviTTL, m.NaviTimeout = 2*time.Hour, 10*time.Second
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	outs, err := run.Outcomes(context.Background(), run.Config{Params: params, Scenario: model.DefaultScenario(),
		Trials: trials, Seed: 7, Workers: runtime.NumCPU()})
	if err != nil {
		t.Fatal(err)
	}
	s := run.Summarize(outs)
	fail := func(format string, args ...any) {
		bad = append(bad, fmt.Sprintf("%+v loss %g, limit %v, horizon %v: ", a, p, pt.limit, params.Horizon)+fmt.Sprintf(format, args...))
	}
	if s.Violations > 0 {
		fail("%d property violations", s.Violations)
	}
	// Proportions: the closed form must lie in the 99.9% Wilson interval
	// of the Monte Carlo estimate, and be hit exactly when it is 0 or 1.
	prop := func(name string, k int, want float64) {
		lo, hi := run.Wilson(k, trials, z)
		switch {
		case want == 0 && k != 0, want == 1 && k != trials:
			fail("%s %d/%d, closed form %v exactly", name, k, trials, want)
		case want < lo-1e-12 || want > hi+1e-12:
			fail("%s %d/%d = %.4f (99.9%% %.4f-%.4f), closed form %.4f", name, k, trials, float64(k)/float64(trials), lo, hi, want)
		}
	}
	prop("success", s.Successes, m.Success())
	prop("timeout", s.Timeouts, m.Timeout())
	prop("unfinished", s.Unfinished, m.Unfinished())
	if other := len(s.Errors) - min(1, s.Timeouts); other != 0 {
		fail("errors other than 34006: %v", s.Errors)
	}

	// Attempts per trial: mean within z standard errors; the maximum is
	// the closed form's whenever it has a fair chance to show up.
	mean, variance := m.AttemptsMean()
	if se := math.Sqrt(variance / float64(trials)); math.Abs(s.AttemptsMean-mean) > z*se+1e-12 {
		fail("attempts mean %.4f, closed form %.4f (se %.4f)", s.AttemptsMean, mean, se)
	}
	ad := m.AttemptsDist()
	if s.AttemptsMax > m.Attempts() || (ad[len(ad)-1].P*float64(trials) > 20 && s.AttemptsMax != m.Attempts()) {
		fail("attempts max %d, closed form %d", s.AttemptsMax, m.Attempts())
	}

	// Time to connect: every success lands on an atom of the closed form,
	// and the quantiles `sim run` reports are the closed form's exactly
	// wherever sampling cannot move them (no atom's CDF within z standard
	// errors of the quantile's level).
	d := m.TTC()
	atoms := map[time.Duration]bool{}
	for _, a := range d.Atoms {
		atoms[a.At] = true
	}
	for i, o := range outs {
		if o.Outcome == sim.OutcomeSuccess && !atoms[o.TTC] {
			fail("trial %d connected at %v, not an atom of the closed form (%d atoms from %v)", i, o.TTC, len(d.Atoms), d.Atoms[0].At)
			break
		}
	}
	if s.Successes == 0 {
		return bad, exact
	}
	for _, q := range []struct {
		level float64
		got   float64
	}{{0.5, s.TTC.P50}, {0.9, s.TTC.P90}, {0.99, s.TTC.P99}} {
		robust := true
		for i := range d.Atoms {
			f := d.CDFAt(i)
			if math.Abs(f-q.level) <= z*math.Sqrt(f*(1-f)/float64(s.Successes))+1e-12 {
				robust = false
			}
		}
		if !robust {
			continue
		}
		exact++
		want := float64(d.Quantile(q.level)) / float64(time.Millisecond)
		if q.got != want {
			fail("ttc p%g %.1f ms, closed form %.1f ms", 100*q.level, q.got, want)
		}
	}
	return bad, exact
}

// TestSimulatorMatchesClosedForm checks `sim run`'s success rate, timeouts,
// unfinished trials, attempts and time to connect against the closed form
// across losses 0 to 0.9 and the time limits of the grid, tie cases
// included: 20,000 trials a point at full size (testsize), 10,000 in the
// everyday loop, 4,000 with -short (wider intervals, fewer quantiles that
// sampling cannot move).
func TestSimulatorMatchesClosedForm(t *testing.T) {
	trials := testsize.Pick(t, 10000, 20000)
	if testing.Short() {
		trials = 4000
	}
	exact := 0
	for _, p := range losses {
		for _, pt := range grid {
			n := trials
			if pt.extra {
				n /= 2
			}
			bad, nq := compare(t, p, pt, spec55, n)
			for _, b := range bad {
				t.Error(b)
			}
			exact += nq
		}
	}
	// Most quantiles are compared exactly (all three at every point
	// with one atom).
	if total := 3 * len(losses) * len(grid); exact < total/2 {
		t.Errorf("only %d of %d TTC quantiles could be compared exactly", exact, total)
	}
	t.Logf("%d points x %d trials (ties %d); %d TTC quantiles compared exactly", len(losses)*len(grid), trials, trials/2, exact)
}

// fullGrid are the (time limit, horizon) points of the attempt's anatomy:
// round limits and the ties of a first visit (attempt 1 at 0.3 s without
// the navigation answer; attempt 2 at 5.05 + 0.2 s with it, 5.05 + 0.3 s
// without) and of a returning one with TLS 1.3 (0.3 s, 5.35 s).
var fullGrid = []point{
	{limit: time.Second}, {limit: 5 * time.Second}, {limit: 10 * time.Second}, {limit: 30 * time.Second}, {},
	{limit: msd(300), extra: true}, {limit: msd(300) + 1, extra: true},
	{limit: msd(5250), extra: true}, {limit: msd(5250) + 1, extra: true},
	{limit: msd(5350), extra: true}, {limit: msd(5350) + 1, extra: true},
}

// TestSimulatorMatchesClosedFormFull is the cross-check under --attempt
// full: a first visit (navigation, socket, auth: the two-state chain), a
// returning visit with TLS 1.3 (socket, TLS, auth), and a first visit
// with TLS 1.2, at losses 0 to 0.9: 10,000 trials a point at full size
// (testsize), 5,000 in the everyday loop, 2,000 with -short.
func TestSimulatorMatchesClosedFormFull(t *testing.T) {
	trials := testsize.Pick(t, 5000, 10000)
	if testing.Short() {
		trials = 2000
	}
	for _, a := range []anatomy{{full: true}, {full: true, returning: true, tls: 1}, {full: true, tls: 2}} {
		for _, p := range []float64{0, 0.1, 0.3, 0.5, 0.7, 0.9} {
			for _, pt := range fullGrid {
				n := trials
				if pt.extra {
					n /= 2
				}
				bad, _ := compareAnatomy(t, p, pt, spec55, n, a)
				for _, b := range bad {
					t.Error(b)
				}
			}
		}
	}
}

// TestCrossCheckDetectsAnatomyChange: the closed form of a first visit
// must disagree with a simulator whose navigation answer is never cached
// (--navi-ttl 0) and with one that skips TLS, so the chain's terms are
// checked, not only its first attempt.
func TestCrossCheckDetectsAnatomyChange(t *testing.T) {
	for _, mu := range []struct {
		name string
		set  func(*model.Params)
	}{
		{"the navigation answer is never cached", func(p *model.Params) { p.Client.NaviTTL = 0 }},
		{"no TLS round trip", func(p *model.Params) { p.Client.TLS = 0 }},
	} {
		var bad []string
		for _, p := range []float64{0.3, 0.5} {
			for _, pt := range []point{{limit: 10 * time.Second}, {limit: 30 * time.Second}} {
				b, _ := compareMutated(t, p, pt, 4000, anatomy{full: true, tls: 1}, mu.set)
				bad = append(bad, b...)
			}
		}
		if len(bad) == 0 {
			t.Errorf("%s: the cross-check did not notice", mu.name)
		}
	}
}

// compareMutated is compareAnatomy with the simulator's parameters changed
// by set after the anatomy is applied (the closed form keeps a).
func compareMutated(t *testing.T, p float64, pt point, trials int, a anatomy, set func(*model.Params)) ([]string, int) {
	t.Helper()
	mutate = set
	defer func() { mutate = nil }()
	return compareAnatomy(t, p, pt, spec55, trials, a)
}

// mutate, when set, changes the simulator's parameters of compareAnatomy
// (the mutation tests only).
var mutate func(*model.Params)

// TestCrossCheckDetectsScheduleChange changes the simulator's schedule
// (only the simulator's: the closed form keeps spec 5.5) and requires the
// same comparison to fail. The mutations are plausible bugs: an off-by-one
// in the schedule index, one interval changed by 50 ms, the first interval
// wrong.
func TestCrossCheckDetectsScheduleChange(t *testing.T) {
	third := slices.Clone(spec55)
	third[2] += 50 * time.Millisecond // 0.5 s -> 0.55 s
	mutations := []struct {
		name  string
		sched []time.Duration
		rate  bool // the success rate alone must show it
	}{
		{"off by one (interval k+1 after failure k)", spec55[1:], true},
		{"third interval 0.55 s instead of 0.5 s", third, false}, // moves attempt 4 only: the TTC shows it
		{"first interval 1 s instead of 0.05 s", append([]time.Duration{time.Second}, spec55[1:]...), true},
	}
	points := []point{{limit: msd(5150) + 1}, {limit: 10 * time.Second}, {limit: msd(10400) + 1}, {}}
	for _, mu := range mutations {
		var bad []string
		rate := false // a success-rate disagreement, not only the atoms
		for _, p := range []float64{0.3, 0.7} {
			for _, pt := range points {
				b, _ := compare(t, p, pt, mu.sched, 4000)
				bad = append(bad, b...)
				for _, s := range b {
					rate = rate || strings.Contains(s, ": success ")
				}
			}
		}
		if len(bad) == 0 {
			t.Errorf("%s: the cross-check did not notice", mu.name)
			continue
		}
		if mu.rate && !rate {
			t.Errorf("%s: no success-rate disagreement (only %s)", mu.name, bad[0])
		}
		t.Logf("%s: %d disagreements, e.g.:", mu.name, len(bad))
		for _, b := range bad[:min(3, len(bad))] {
			t.Logf("    %s", b)
		}
	}
}
