package review

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/storm"
)

// Value is one measure of one alternative: the estimate and its 95%
// interval (Lo == Hi == Est when the measure has none: a storm is one
// deterministic run of its seed). Never: the event did not happen (a share
// of clients never reconnected), ranked last.
type Value struct {
	Est   float64 `json:"est"`
	Lo    float64 `json:"ci_low"`
	Hi    float64 `json:"ci_high"`
	Never bool    `json:"never,omitempty"`
	// n and k serve the two-proportion test of share measures.
	n, k int
}

// never is the value of an event that did not happen: ranked last, its
// infinities written as -1 in review.json.
func never() Value { return Value{Never: true, Est: math.Inf(1), Lo: math.Inf(1), Hi: math.Inf(1)} }

// measure describes how one measure is read, shown and compared.
type measure struct {
	label   string
	unit    string // "%", "s", "ms", "per s", ""
	better  int    // +1: higher is better; -1: lower is better
	share   bool   // a proportion of trials: compared with a two-proportion z-test
	run     func(s *run.Summary, ttc []int64) Value
	storm   func(r *storm.Result) Value
	trace   func(t *trialData) float64 // one trial's value; NaN: never
	dev     int                        // the device a trace measure reads; -1: none
	explore func(r *explore.Result) float64
}

var runMeasures = map[string]measure{
	"success": {label: "first logins that succeed within the time limit", unit: "%", better: +1, share: true,
		run: func(s *run.Summary, _ []int64) Value {
			lo, hi := run.Wilson(s.Successes, s.Trials, 1.96)
			return Value{Est: 100 * s.SuccessRate, Lo: 100 * lo, Hi: 100 * hi, n: s.Trials, k: s.Successes}
		}},
	"ttc_p50": {label: "time to connect, median", unit: "ms", better: -1, run: func(_ *run.Summary, t []int64) Value { return quantileCI(t, 0.5) }},
	"ttc_p90": {label: "time to connect, 90th percentile", unit: "ms", better: -1, run: func(_ *run.Summary, t []int64) Value { return quantileCI(t, 0.9) }},
	"ttc_p99": {label: "time to connect, 99th percentile", unit: "ms", better: -1, run: func(_ *run.Summary, t []int64) Value { return quantileCI(t, 0.99) }},
	"attempts_mean": {label: "attempts per trial, mean", unit: "", better: -1,
		run: func(s *run.Summary, _ []int64) Value {
			return Value{Est: s.AttemptsMean, Lo: s.AttemptsMean, Hi: s.AttemptsMean}
		}},
	"msg_pull_p99": {label: "message latency after a reconnect (pull), 99th percentile", unit: "ms", better: -1,
		run: func(s *run.Summary, _ []int64) Value {
			return msgQ(s, func(m *run.MsgSummary) float64 { return m.Pull.P99 })
		}},
	"msg_live_p99": {label: "message latency on the live socket, 99th percentile", unit: "ms", better: -1,
		run: func(s *run.Summary, _ []int64) Value {
			return msgQ(s, func(m *run.MsgSummary) float64 { return m.Live.P99 })
		}},
	"pushes_per_trial": {label: "push notifications per trial", unit: "", better: -1,
		run: func(s *run.Summary, _ []int64) Value {
			return msgQ(s, func(m *run.MsgSummary) float64 { return float64(m.Pushes) / float64(s.Trials) })
		}},
	"ghosts_per_trial": {label: "messages written into ghost sessions per trial", unit: "", better: -1,
		run: func(s *run.Summary, _ []int64) Value {
			return msgQ(s, func(m *run.MsgSummary) float64 { return float64(m.Ghosts) / float64(s.Trials) })
		}},
}

// exploreMeasures are read from sim explore's result: exact, like a
// storm's. Fewer states and edges rank first (a smaller core to reason
// about); the ranking of those two is a convention, not a verdict.
var exploreMeasures = map[string]measure{
	"violations": {label: "moves that violate a property or an invariant", better: -1,
		explore: func(r *explore.Result) float64 { return float64(r.Violations) }},
	"status_edges": {label: "edges of the status machine taken", better: +1,
		explore: func(r *explore.Result) float64 { return float64(r.StatusEdges) }},
	"states": {label: "distinct abstract states", better: -1,
		explore: func(r *explore.Result) float64 { return float64(r.States) }},
	"edges": {label: "moves taken", better: -1,
		explore: func(r *explore.Result) float64 { return float64(r.Edges) }},
}

var stormMeasures = map[string]measure{
	"t50": {label: "time after the outage until 50% are connected", unit: "s", better: -1, storm: func(r *storm.Result) Value { return timeTo(r, 0.5) }},
	"t90": {label: "time after the outage until 90% are connected", unit: "s", better: -1, storm: func(r *storm.Result) Value { return timeTo(r, 0.9) }},
	"t99": {label: "time after the outage until 99% are connected", unit: "s", better: -1, storm: func(r *storm.Result) Value { return timeTo(r, 0.99) }},
	"down_at_horizon": {label: "clients still down at the horizon", unit: "%", better: -1,
		storm: func(r *storm.Result) Value {
			v := 100 * float64(r.DownAtHorizon) / float64(r.Params.Clients)
			return Value{Est: v, Lo: v, Hi: v}
		}},
	"msg_shown": {label: "messages shown to an app by the horizon", unit: "%", better: +1,
		storm: stormMsg(func(m *model.MsgResult) float64 { return 100 * float64(m.Shown) / float64(max(1, m.Sent)) })},
	"msg_push_p50": {label: "latency of pushed messages, median", unit: "s", better: -1,
		storm: stormMsgQ(func(m *model.MsgResult) []time.Duration { return m.Push }, 0.5)},
	"msg_push_p99": {label: "latency of pushed messages, 99th percentile", unit: "s", better: -1,
		storm: stormMsgQ(func(m *model.MsgResult) []time.Duration { return m.Push }, 0.99)},
	"msg_pull_p99": {label: "latency of messages pulled without a push, 99th percentile", unit: "s", better: -1,
		storm: stormMsgQ(func(m *model.MsgResult) []time.Duration { return m.Pull }, 0.99)},
	"pushes": {label: "push notifications", unit: "", better: -1,
		storm: stormMsg(func(m *model.MsgResult) float64 { return float64(m.Pushes) })},
	"pushes_to_connected": {label: "pushes to a device already back", unit: "", better: -1,
		storm: stormMsg(func(m *model.MsgResult) float64 { return float64(m.PushedOn) })},
	"ghosts": {label: "messages written into ghost sessions", unit: "", better: -1,
		storm: stormMsg(func(m *model.MsgResult) float64 { return float64(m.Ghosts) })},
	"peak_pulls": {label: "peak pulls per second after the outage", unit: "per s", better: -1,
		storm: func(r *storm.Result) Value {
			if r.Msg == nil {
				return never()
			}
			v, _ := r.PeakPulls(r.Since)
			return Value{Est: v, Lo: v, Hi: v}
		}},
	"peak_attempts": {label: "peak attempts per second after the outage", unit: "per s", better: -1,
		storm: func(r *storm.Result) Value {
			v, _ := r.PeakAttemptsFrom(r.Since)
			return Value{Est: v, Lo: v, Hi: v}
		}},
}

// measureOf returns the measure a review file names for kind k: a name,
// or for a trace measure with an argument NAME(ARG).
func measureOf(k Kind, name string) (measure, error) {
	var m measure
	var ok bool
	switch k {
	case KindStorm:
		m, ok = stormMeasures[name]
	case KindTrace:
		return traceMeasureOf(name)
	case KindExplore:
		m, ok = exploreMeasures[name]
	default:
		m, ok = runMeasures[name]
	}
	if !ok {
		return m, fmt.Errorf("unknown measure %q for kind %s; known: %s", name, k, strings.Join(measureNames(k), ", "))
	}
	return m, nil
}

// mustMeasure is measureOf for a name Parse has checked.
func mustMeasure(k Kind, name string) measure {
	m, err := measureOf(k, name)
	if err != nil {
		panic(err)
	}
	return m
}

func defaultMeasures(k Kind) []string {
	switch k {
	case KindStorm:
		return []string{"t90", "t50", "t99", "down_at_horizon", "peak_attempts"}
	case KindTrace:
		return []string{"status_changes", "attempts", "violations"}
	case KindExplore:
		return []string{"violations", "status_edges", "states", "edges"}
	}
	return []string{"success", "ttc_p50", "ttc_p90", "attempts_mean"}
}

func measureNames(k Kind) []string {
	var out []string
	switch k {
	case KindStorm:
		out = slices.Collect(maps.Keys(stormMeasures))
	case KindExplore:
		out = slices.Collect(maps.Keys(exploreMeasures))
	case KindTrace:
		for n, t := range traceMeasures {
			if t.arg != "" {
				n += "(" + t.arg + ")"
			}
			out = append(out, n)
		}
	default:
		out = slices.Collect(maps.Keys(runMeasures))
	}
	slices.Sort(out)
	return out
}

func msgQ(s *run.Summary, f func(*run.MsgSummary) float64) Value {
	if s.Msg == nil {
		return Value{Never: true}
	}
	v := f(s.Msg)
	return Value{Est: v, Lo: v, Hi: v}
}

// stormMsg reads a storm's message result (never, without messages).
func stormMsg(f func(*model.MsgResult) float64) func(*storm.Result) Value {
	return func(r *storm.Result) Value {
		if r.Msg == nil {
			return never()
		}
		v := f(r.Msg)
		return Value{Est: v, Lo: v, Hi: v}
	}
}

// stormMsgQ is the q-quantile of a storm's latencies on one path, in
// seconds, exact for the seed (every message of the storm is counted);
// never when no message took the path.
func stormMsgQ(path func(*model.MsgResult) []time.Duration, q float64) func(*storm.Result) Value {
	return func(r *storm.Result) Value {
		if r.Msg == nil || len(path(r.Msg)) == 0 {
			return never()
		}
		ds := slices.Clone(path(r.Msg))
		slices.Sort(ds)
		v := ds[model.EmpiricalRank(q, len(ds))].Seconds()
		return Value{Est: v, Lo: v, Hi: v}
	}
}

func timeTo(r *storm.Result, q float64) Value {
	d, ok := r.TimeTo(q)
	if !ok {
		return never()
	}
	v := d.Seconds()
	return Value{Est: v, Lo: v, Hi: v}
}

// quantileCI is the empirical q-quantile of ns (nanoseconds) in
// milliseconds with its 95% distribution-free interval: the order
// statistics at ranks n*q -+ 1.96*sqrt(n*q*(1-q)) (the binomial normal
// approximation).
func quantileCI(ns []int64, q float64) Value {
	n := len(ns)
	if n == 0 {
		return never()
	}
	s := slices.Clone(ns)
	slices.Sort(s)
	at := func(r float64) float64 {
		i := min(max(int(math.Ceil(r))-1, 0), n-1)
		return float64(time.Duration(s[i])) / float64(time.Millisecond)
	}
	h := 1.96 * math.Sqrt(float64(n)*q*(1-q))
	return Value{Est: at(float64(n) * q), Lo: at(float64(n)*q - h), Hi: at(float64(n)*q + h + 1)}
}

// differs reports whether a and b differ significantly at 95%: a
// two-proportion z-test for shares, else disjoint 95% intervals (a
// conservative test); measures without an interval always differ when
// their values do.
func differs(m measure, a, b Value) bool {
	if a.Never || b.Never {
		return a.Never != b.Never
	}
	if m.share && a.n > 0 && b.n > 0 {
		p := float64(a.k+b.k) / float64(a.n+b.n)
		se := math.Sqrt(p * (1 - p) * (1/float64(a.n) + 1/float64(b.n)))
		if se == 0 {
			return a.k*b.n != b.k*a.n
		}
		return math.Abs(float64(a.k)/float64(a.n)-float64(b.k)/float64(b.n))/se > 1.96
	}
	return a.Hi < b.Lo || b.Hi < a.Lo
}

// less reports whether a is better than b for m.
func better(m measure, a, b Value) bool {
	switch {
	case a.Never != b.Never:
		return !a.Never
	case m.better > 0:
		return a.Est > b.Est
	default:
		return a.Est < b.Est
	}
}
