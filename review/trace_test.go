package review

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// traceHead is a review file's head with two alternatives, for the trace
// experiments of the tests.
const traceHead = "title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {policy: web}\nexperiments:\n"

// TestTraceParseErrors: a trace experiment's mistakes are named with
// their line before any work.
func TestTraceParseErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"  - name: x\n    kind: trace\n    scenario: nosuch.yaml\n", "testdata/r.yaml:8: experiments[0].scenario: "},
		{"  - name: x\n    kind: trace\n    scenario: flap.yaml\n    measures: [connected_after]\n", "testdata/r.yaml:8: experiments[0].measures: measure connected_after needs its argument: connected_after(T)"},
		{"  - name: x\n    kind: trace\n    measures: [attempts(3)]\n", "measure attempts takes no argument"},
		{"  - name: x\n    kind: trace\n    measures: [connected_after(soon)]\n", "measure connected_after: T must be a Go duration between 0s and"},
		{"  - name: x\n    kind: trace\n    scenario: flap.yaml\n    measures: [online_at_end(2)]\n", "testdata/r.yaml:8: experiments[0].measures: online_at_end(2): the scenario has devices 0 to 0"},
		{"  - name: x\n    kind: trace\n    measures: [success]\n", `unknown measure "success" for kind trace; known: attempts, connect_errors, connected_after(T), online_at_end(DEV), status_changes, violations`},
		{"  - name: x\n    kind: trace\n    trials: 20000\n", "testdata/r.yaml:8: experiments[0].trials: must be between 1 and 10000 for a trace (got 20000)"},
		{"  - name: x\n    kind: run\n    trials: 10\n    trial: 3\n", "testdata/r.yaml:8: experiments[0].trial: is for kind trace"},
		{"  - name: x\n    kind: storm\n    scenario: flap.yaml\n", "experiments[0].scenario: is for kinds run and trace"},
		{"  - name: x\n    kind: trace\n    scenario: flap.yaml\n    params: {loss: 7}\n", "testdata/r.yaml:11: params.loss: must be between 0 and 1"},
	} {
		_, err := Parse("testdata/r.yaml", []byte(traceHead+c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", c.yaml, err, c.want)
		}
	}
}

// TestTraceMeasures reads each trace measure from a made-up trial whose
// answers are known.
func TestTraceMeasures(t *testing.T) {
	st := func(at time.Duration, dev int32, to fsm.Status) trace.Record {
		return trace.Record{T: at, Kind: trace.KStatus, Dev: dev, Status: to}
	}
	att := func(at time.Duration) trace.Record {
		return trace.Record{T: at, Kind: trace.KAttempt, Phase: vocab.PhaseStart}
	}
	td := &trialData{recs: []trace.Record{
		st(0, 0, fsm.Connecting), att(0), st(100*time.Millisecond, 0, fsm.Connected),
		st(2*time.Second, 0, fsm.NetworkUnavailable), st(10*time.Second, 0, fsm.Connecting), att(10 * time.Second),
		st(10*time.Second+100*time.Millisecond, 0, fsm.Connected),
		{T: 11 * time.Second, Kind: trace.KCallback, Name: vocab.CbError},
		st(12*time.Second, 1, fsm.Connected), st(13*time.Second, 1, fsm.KickedOffline),
	}, violations: []properties.Violation{{Property: "P1"}}}
	for _, c := range []struct {
		name string
		want float64
	}{
		{"connected_after(1s)", 9.1}, {"connected_after(0s)", 0.1}, {"connected_after(13s)", math.NaN()},
		{"status_changes", 7}, {"attempts", 2}, {"connect_errors", 1}, {"violations", 1},
		{"online_at_end(0)", 1}, {"online_at_end(dev1)", 0},
	} {
		got := mustMeasure(KindTrace, c.name).trace(td)
		if !(math.Abs(got-c.want) < 1e-9 || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s = %v; want %v", c.name, got, c.want)
		}
	}
	// Over trials: a share is a proportion with its interval; a count is
	// a mean; a trial where the measure is undefined is left out.
	share := traceValue(mustMeasure(KindTrace, "online_at_end(0)"), []float64{1, 1, 0, 1})
	if share.Est != 75 || share.n != 4 || share.k != 3 || !(share.Lo < 75 && share.Hi > 75) {
		t.Errorf("online_at_end over 4 trials = %+v; want 75%% of 4 with an interval", share)
	}
	mean := traceValue(mustMeasure(KindTrace, "connected_after(1s)"), []float64{2, math.NaN(), 4})
	if mean.Est != 3 || !(mean.Lo < 3 && mean.Hi > 3) {
		t.Errorf("connected_after over 3 trials = %+v; want the mean 3 of the 2 defined, with an interval", mean)
	}
	if v := traceValue(mustMeasure(KindTrace, "attempts"), []float64{4}); v.Est != 4 || v.Lo != 4 || v.Hi != 4 {
		t.Errorf("one trial's attempts = %+v; want exactly 4", v)
	}
	if v := traceValue(mustMeasure(KindTrace, "connected_after(1s)"), []float64{math.NaN()}); !v.Never {
		t.Errorf("a trial that never connects = %+v; want never", v)
	}
}

// TestTraceExperiment: a trace experiment's measures are those of the
// trial `sim trace` would print, its command names the scenario file as
// seen from where the review runs, and each alternative has its timeline.
func TestTraceExperiment(t *testing.T) {
	s, r := runReview(t, "testdata/r.yaml", "docs/reviews/r.yaml", traceHead+
		"  - name: flap\n    kind: trace\n    scenario: flap.yaml\n    trial: 2\n    params: {loss: 0.3}\n    measures: [connected_after(40s), attempts, online_at_end(0)]\n", 1)
	x := r.Experiments[0]
	if want := "sim trace --trial 2 --seed 1 --scenario docs/reviews/flap.yaml --loss 0.3 --policy web"; x.Commands[1] != want {
		t.Errorf("command %q; want %q", x.Commands[1], want)
	}
	if n := len(tracesOf(r, "flap")); n != 2 {
		t.Fatalf("%d timelines; want one per alternative", n)
	}
	for ai, tr := range tracesOf(r, "flap") {
		if tr.Trial != 2 || len(tr.recs) == 0 {
			t.Errorf("alternative %d: trial %d with %d records", ai, tr.Trial, len(tr.recs))
		}
		want := mustMeasure(KindTrace, "attempts").trace(&trialData{recs: tr.recs})
		if got := x.Measures[1].Values[ai].Est; got != want {
			t.Errorf("alternative %d: attempts %v; the shown trial has %v", ai, got, want)
		}
	}
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 || figs[0].Name != "figure-1-1.png" || len(figs[0].PNG) == 0 || figs[0].SVG != "" {
		t.Errorf("figures %v; want one timeline PNG per alternative and no inline SVG", figs)
	}
	names := OutputNames(s)
	for _, want := range []string{"figure-1-2.png", "trace-1-2-timeline.html"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("OutputNames %v lacks %s", names, want)
		}
	}
}
