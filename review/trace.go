// Experiments of kind trace: one trial of a scenario, shown as an
// interactive timeline, and measures read from its records (over more
// trials when the experiment asks for them).

package review

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// trialData is one trial of a trace experiment.
type trialData struct {
	recs       []trace.Record
	violations []properties.Violation
}

// traceMeasure is a measure read from one trial's records; arg says what
// its argument is ("" none, "T" a time, "DEV" a device of the scenario).
type traceMeasure struct {
	arg    string
	label  string // with %s for the argument
	unit   string
	better int
	share  bool // a yes (1) or no (0) per trial: over trials, a proportion
	value  func(t *trialData, at time.Duration, dev int32) float64
}

var traceMeasures = map[string]traceMeasure{
	"connected_after": {arg: "T", label: "time from %s until a device is CONNECTED", unit: "s", better: -1,
		value: func(t *trialData, at time.Duration, _ int32) float64 {
			for _, r := range t.recs {
				if r.Kind == trace.KStatus && r.Status == fsm.Connected && r.T >= at {
					return (r.T - at).Seconds()
				}
			}
			return math.NaN()
		}},
	"status_changes": {label: "status changes heard by the app", better: -1,
		value: func(t *trialData, _ time.Duration, _ int32) float64 { return count(t, trace.KStatus, vocab.None) }},
	"attempts": {label: "connection attempts", better: -1,
		value: func(t *trialData, _ time.Duration, _ int32) float64 {
			return count(t, trace.KAttempt, vocab.PhaseStart)
		}},
	"connect_errors": {label: "onError callbacks", better: -1,
		value: func(t *trialData, _ time.Duration, _ int32) float64 { return count(t, trace.KCallback, vocab.CbError) }},
	"violations": {label: "property violations", better: -1,
		value: func(t *trialData, _ time.Duration, _ int32) float64 { return float64(len(t.violations)) }},
	"online_at_end": {arg: "DEV", label: "%s CONNECTED at the end", unit: "%", better: +1, share: true,
		value: func(t *trialData, _ time.Duration, dev int32) float64 {
			online := false
			for _, r := range t.recs {
				if r.Kind == trace.KStatus && r.Dev == dev {
					online = r.Status == fsm.Connected
				}
			}
			if online {
				return 1
			}
			return 0
		}},
}

// count counts the records of kind k (with Phase or Name what, if set).
func count(t *trialData, k trace.Kind, what vocab.Word) float64 {
	n := 0
	for _, r := range t.recs {
		if r.Kind == k && (what == vocab.None || r.Phase == what || r.Name == what) {
			n++
		}
	}
	return float64(n)
}

// traceMeasureOf parses NAME or NAME(ARG) into a measure.
func traceMeasureOf(spec string) (measure, error) {
	name, arg, hasArg := strings.Cut(spec, "(")
	if hasArg {
		if !strings.HasSuffix(arg, ")") {
			return measure{}, fmt.Errorf("measure %q: want NAME(ARG)", spec)
		}
		arg = strings.TrimSpace(strings.TrimSuffix(arg, ")"))
	}
	t, ok := traceMeasures[name]
	if !ok {
		return measure{}, fmt.Errorf("unknown measure %q for kind trace; known: %s", spec, strings.Join(measureNames(KindTrace), ", "))
	}
	if hasArg != (t.arg != "") {
		if hasArg {
			return measure{}, fmt.Errorf("measure %s takes no argument (got %q)", name, spec)
		}
		return measure{}, fmt.Errorf("measure %s needs its argument: %s(%s)", name, name, t.arg)
	}
	m := measure{label: t.label, unit: t.unit, better: t.better, share: t.share, dev: -1}
	var at time.Duration
	dev := int32(-1)
	switch t.arg {
	case "T":
		d, err := time.ParseDuration(arg)
		if arg == "0" {
			d, err = 0, nil
		}
		if err != nil || d < 0 || d > model.MaxDuration {
			return measure{}, fmt.Errorf("measure %s: T must be a Go duration between 0s and %s (got %q)", name, model.MaxDuration, arg)
		}
		at, m.label = d, fmt.Sprintf(t.label, arg)
	case "DEV":
		v, err := strconv.Atoi(strings.TrimPrefix(arg, "dev"))
		if err != nil || v < 0 || v > model.MaxDevices {
			return measure{}, fmt.Errorf("measure %s: DEV must be a device index of the scenario, such as 1 or dev1 (got %q)", name, arg)
		}
		dev, m.dev, m.label = int32(v), v, fmt.Sprintf(t.label, "dev"+strconv.Itoa(v))
	}
	m.trace = func(td *trialData) float64 { return t.value(td, at, dev) }
	return m, nil
}

// traceData is a trace experiment's result for one alternative: the
// shown trial and every measure's value in each trial.
type traceData struct {
	shown  trialData
	params model.Params
	values map[string][]float64 // by measure name, by trial
}

// traceOnce runs trials x.Trial .. x.Trial+x.Trials-1 one by one (a
// trace is small; its result does not depend on the workers).
func traceOnce(s *Spec, x Experiment, b built) (traceData, error) {
	p := b.run
	p.Detail = true // as sim trace prints it
	w := sim.NewWorld(p, x.scenarioOf())
	d := traceData{params: p, values: map[string][]float64{}}
	for k := x.Trial; k < x.Trial+x.Trials; k++ {
		if _, err := w.RunTrial(s.Seed, k); err != nil {
			return d, fmt.Errorf("experiment %q: %v", x.Name, err)
		}
		t := trialData{recs: w.Recs, violations: properties.Check(properties.ConfigFor(p, w.Scenario()), w.Recs)}
		for _, name := range x.Measures {
			d.values[name] = append(d.values[name], mustMeasure(KindTrace, name).trace(&t))
		}
		if k == x.Trial {
			d.shown = trialData{recs: slices.Clone(w.Recs), violations: t.violations}
		}
	}
	return d, nil
}

// traceValue is a measure over the trials: one trial's value exactly; a
// share's proportion with its Wilson interval; else the mean of the
// trials where the measure is defined, with its normal 95% interval.
func traceValue(m measure, vs []float64) Value {
	if len(vs) == 1 {
		if math.IsNaN(vs[0]) {
			return never()
		}
		v := vs[0]
		if m.share {
			v *= 100
		}
		return Value{Est: v, Lo: v, Hi: v}
	}
	if m.share {
		k := 0
		for _, v := range vs {
			if v == 1 {
				k++
			}
		}
		lo, hi := run.Wilson(k, len(vs), 1.96)
		return Value{Est: 100 * float64(k) / float64(len(vs)), Lo: 100 * lo, Hi: 100 * hi, n: len(vs), k: k}
	}
	var sum, sq float64
	n := 0
	for _, v := range vs {
		if !math.IsNaN(v) {
			sum += v
			sq += v * v
			n++
		}
	}
	if n == 0 {
		return never()
	}
	mean := sum / float64(n)
	h := 0.0
	if n > 1 {
		h = 1.96 * math.Sqrt(max(0, (sq-float64(n)*mean*mean)/float64(n-1))/float64(n))
	}
	return Value{Est: mean, Lo: mean - h, Hi: mean + h}
}
