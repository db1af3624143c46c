package review

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/storm"
	"github.com/rcsim/connsim/trace"
)

// Result is every number of a review: what review.json holds and the
// report shows.
type Result struct {
	Title        string       `json:"title"`
	Question     string       `json:"question"`
	File         string       `json:"file"`
	Seed         uint64       `json:"seed"`
	Alternatives []string     `json:"alternatives"`
	Experiments  []ExpResult  `json:"experiments"`
	Sensitivity  []SensResult `json:"sensitivity"`
	Traces       []Trace      `json:"traces"`
	units        [][]unit     // by experiment, by alternative (figures)
}

// ExpResult is one experiment's measures over the alternatives.
type ExpResult struct {
	Name     string          `json:"name"`
	Kind     Kind            `json:"kind"`
	Commands []string        `json:"commands"` // by alternative: the command that reproduces it
	Measures []MeasureResult `json:"measures"`
	// Properties is, by alternative, the property catalogue's verdict on
	// the experiment's trials (run, storm, trace): how many trials (or
	// clients) violated a property, and which first.
	Properties []string `json:"property_verdicts,omitempty"`
	// A sweep's axes, its points and its verdicts (one per measure).
	Axes    []Axis        `json:"axes,omitempty"`
	Points  []PointResult `json:"points,omitempty"`
	Summary []string      `json:"summary,omitempty"`
}

// MeasureResult is one measure over the alternatives.
type MeasureResult struct {
	Name   string  `json:"name"`
	Label  string  `json:"label"`
	Unit   string  `json:"unit"`
	Values []Value `json:"values"` // by alternative
	// Ranking lists alternative indexes, best first; Same[i] says whether
	// Ranking[i] is not significantly different (95%) from the best.
	Ranking []int  `json:"ranking"`
	Same    []bool `json:"same_as_best"`
	Verdict string `json:"verdict"`
}

// SensResult is the headline measure of one experiment as one parameter
// varies.
type SensResult struct {
	Experiment string    `json:"experiment"`
	Param      string    `json:"param"`
	Measure    string    `json:"measure"`
	Rows       []SensRow `json:"rows"`
	Survives   bool      `json:"verdict_survives"`
	Verdict    string    `json:"verdict"`
}

// SensRow is the headline at one value of the parameter.
type SensRow struct {
	Value    string   `json:"value"`
	Values   []Value  `json:"values"` // by alternative
	Best     string   `json:"best"`
	Commands []string `json:"commands"`
}

type runData struct {
	sum run.Summary
	ttc []int64
}

type stormData struct{ r *storm.Result }

// Units returns how many runs and storms a review makes (the progress
// total).
func Units(s *Spec) int {
	n := len(s.Experiments) * len(s.Alternatives)
	for _, v := range s.Sensitivity {
		n += len(v.Values) * len(s.Alternatives)
	}
	return n
}

// Options are how a review runs; none changes its result.
type Options struct {
	Workers  int
	Progress func(done, total int) // called after each unit of work
}

// Run runs every experiment for every alternative, then the sensitivity
// runs, and returns the result. The result depends only on the spec.
func Run(ctx context.Context, s *Spec, o Options) (*Result, error) {
	r := &Result{Title: s.Title, Question: s.Question, File: s.File, Seed: s.Seed}
	for _, a := range s.Alternatives {
		r.Alternatives = append(r.Alternatives, a.Name)
	}
	total := Units(s)
	done := 0
	step := func() {
		done++
		if o.Progress != nil {
			o.Progress(done, total)
		}
	}
	for _, x := range s.Experiments {
		er := ExpResult{Name: x.Name, Kind: x.Kind}
		us, cmds, err := runAlternatives(ctx, s, x, "", "", o, step)
		if err != nil {
			return nil, err
		}
		er.Commands = cmds
		er.Properties = propertyVerdicts(us)
		if x.Kind == KindSweep {
			er.Axes = x.axes
			er.Points, er.Summary = sweepResult(x, us, r.Alternatives)
			r.Experiments = append(r.Experiments, er)
			r.units = append(r.units, us)
			continue
		}
		for _, name := range x.Measures {
			m := mustMeasure(x.Kind, name)
			vals := make([]Value, len(s.Alternatives))
			for i := range vals {
				vals[i] = us[i].value(m, name)
			}
			er.Measures = append(er.Measures, compare(name, m, vals, r.Alternatives))
		}
		r.Experiments = append(r.Experiments, er)
		r.units = append(r.units, us)
	}
	for _, v := range s.Sensitivity {
		x := *s.experiment(v.Experiment)
		name := x.Measures[0]
		m := mustMeasure(x.Kind, name)
		sr := SensResult{Experiment: x.Name, Param: v.Param, Measure: name}
		base := r.Experiments[slices.IndexFunc(s.Experiments, func(e Experiment) bool { return e.Name == x.Name })]
		baseBest := base.Measures[0].Ranking[0]
		sr.Survives = true
		lo, hi := 0.0, 0.0
		for vi, val := range v.Values {
			row := SensRow{Value: val}
			us, cmds, err := runAlternatives(ctx, s, x, v.Param, val, o, step)
			if err != nil {
				return nil, err
			}
			row.Commands = cmds
			for _, u := range us {
				row.Values = append(row.Values, u.value(m, name))
			}
			mr := compare(name, m, row.Values, r.Alternatives)
			best := mr.Ranking[0]
			row.Best = r.Alternatives[best]
			// The verdict survives while the base case's best is best
			// here, or not significantly worse than the best.
			if best != baseBest && !same(mr, baseBest) {
				sr.Survives = false
			}
			bv := row.Values[baseBest].Est
			if vi == 0 || bv < lo {
				lo = bv
			}
			if vi == 0 || bv > hi {
				hi = bv
			}
			sr.Rows = append(sr.Rows, row)
		}
		basev := base.Measures[0].Values[baseBest]
		verdict := fmt.Sprintf("over %s = %s, %s stays best (or not significantly worse than the best)", v.Param, strings.Join(v.Values, ", "), r.Alternatives[baseBest])
		if !sr.Survives {
			verdict = fmt.Sprintf("over %s = %s the verdict does not survive: %s is significantly worse than the best at some value", v.Param, strings.Join(v.Values, ", "), r.Alternatives[baseBest])
		}
		verdict += fmt.Sprintf("; its %s ranges %s to %s (%s in the base case)", m.label, fmtVal(Value{Est: lo}, m.unit), fmtVal(Value{Est: hi}, m.unit), fmtVal(basev, m.unit))
		sr.Verdict = verdict
		r.Sensitivity = append(r.Sensitivity, sr)
	}
	r.Traces = interesting(s, r)
	return r, nil
}

// unit is one experiment's result for one alternative (and one
// sensitivity value): one of run, storm or trace, by the experiment's kind.
type unit struct {
	run   *runData
	storm *stormData
	trace *traceData
	sweep *sweepData
	expl  *explore.Result
}

// runAlternatives runs experiment x once per alternative (with param set
// to value, when param is set) and returns the results and the commands
// that reproduce each; step is called after each run.
func runAlternatives(ctx context.Context, s *Spec, x Experiment, param, value string, o Options, step func()) ([]unit, []string, error) {
	var us []unit
	var cmds []string
	for _, a := range s.Alternatives {
		u, err := runUnit(ctx, s, x, a, param, value, o)
		if err != nil {
			return nil, nil, err
		}
		us = append(us, u)
		cmds = append(cmds, command(s, x, a, param, value))
		step()
	}
	return us, cmds, nil
}

// runUnit runs experiment x for alternative a, with param set to value
// when param is not empty.
func runUnit(ctx context.Context, s *Spec, x Experiment, a Alternative, param, value string, o Options) (unit, error) {
	b, err := s.build(x, a, param, value)
	if err != nil {
		return unit{}, err
	}
	switch x.Kind {
	case KindRun:
		d, err := runOnce(ctx, s, x, b, o)
		return unit{run: &d}, err
	case KindStorm:
		d, err := stormOnce(b)
		return unit{storm: &d}, err
	case KindSweep:
		d, err := sweepOnce(ctx, s, x, b, o)
		return unit{sweep: &d}, err
	case KindExplore:
		d := exploreOnce(x, b)
		return unit{expl: &d}, nil
	default:
		d, err := traceOnce(s, x, b)
		return unit{trace: &d}, err
	}
}

// value is measure m (named name) of the unit.
func (u unit) value(m measure, name string) Value {
	switch {
	case u.run != nil:
		return m.run(&u.run.sum, u.run.ttc)
	case u.storm != nil:
		return m.storm(u.storm.r)
	case u.expl != nil:
		v := m.explore(u.expl)
		return Value{Est: v, Lo: v, Hi: v}
	default:
		return traceValue(m, u.trace.values[name])
	}
}

func runOnce(ctx context.Context, s *Spec, x Experiment, b built, o Options) (runData, error) {
	acc, err := run.Accumulate(ctx, run.Config{Params: b.run, Scenario: x.scenarioOf(), Trials: x.Trials,
		Keep: x.Trials, Seed: s.Seed, Workers: max(1, o.Workers)})
	if err != nil {
		return runData{}, err
	}
	return runData{sum: acc.Summary(), ttc: slices.Clone(acc.TTC)}, nil
}

func stormOnce(b built) (stormData, error) {
	p := b.storm
	ps, _ := p.Runs()
	r, err := storm.Run(ps[0])
	if err != nil {
		return stormData{}, err
	}
	return stormData{r: r}, nil
}

// compare ranks the alternatives on one measure and words the verdict.
func compare(name string, m measure, vals []Value, alts []string) MeasureResult {
	mr := MeasureResult{Name: name, Label: m.label, Unit: m.unit, Values: vals}
	for i := range vals {
		mr.Ranking = append(mr.Ranking, i)
	}
	slices.SortStableFunc(mr.Ranking, func(a, b int) int {
		switch {
		case better(m, vals[a], vals[b]):
			return -1
		case better(m, vals[b], vals[a]):
			return 1
		}
		return 0
	})
	best := mr.Ranking[0]
	var same []string
	for _, i := range mr.Ranking {
		s := i == best || !differs(m, vals[i], vals[best])
		mr.Same = append(mr.Same, s)
		if i != best && s {
			same = append(same, alts[i])
		}
	}
	second := mr.Ranking[min(1, len(mr.Ranking)-1)]
	exactSame := true // every value exact (no interval) and equal
	for _, v := range vals {
		exactSame = exactSame && v.Lo == v.Hi && v.Est == vals[best].Est && v.Never == vals[best].Never
	}
	switch {
	case exactSame:
		mr.Verdict = fmt.Sprintf("%s: the same for every alternative (%s)", m.label, fmtVal(vals[best], m.unit))
	case len(same) == len(alts)-1:
		mr.Verdict = fmt.Sprintf("%s: no significant difference at 95%% (best %s, %s)", m.label, alts[best], fmtVal(vals[best], m.unit))
	case len(same) > 0:
		mr.Verdict = fmt.Sprintf("%s: %s is best (%s), not significantly better than %s", m.label, alts[best], fmtVal(vals[best], m.unit), strings.Join(same, ", "))
	default:
		mr.Verdict = fmt.Sprintf("%s: %s is best (%s), then %s (%s)", m.label, alts[best], fmtVal(vals[best], m.unit), alts[second], fmtVal(vals[second], m.unit))
	}
	return mr
}

// fmtVal writes a value with its unit.
func fmtVal(v Value, unit string) string {
	if v.Never {
		return "never"
	}
	num := strconv.FormatFloat(v.Est, 'f', digits(v.Est), 64)
	switch unit {
	case "":
		return num
	case "%":
		return num + "%"
	default:
		return num + " " + unit
	}
}

func digits(v float64) int {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	default:
		return 3
	}
}

// command is the command line that reproduces one experiment for one
// alternative (and one sensitivity value): the experiment's parameters,
// then the alternative's, as flags.
func command(s *Spec, x Experiment, a Alternative, param, value string) string {
	var b strings.Builder
	switch x.Kind {
	case KindRun:
		fmt.Fprintf(&b, "sim run --trials %d --seed %d", x.Trials, s.Seed)
	case KindStorm:
		fmt.Fprintf(&b, "sim storm --seed %d", s.Seed)
	case KindTrace:
		fmt.Fprintf(&b, "sim trace --trial %d --seed %d", x.Trial, s.Seed)
	case KindExplore:
		// The experiment explores one auth round trip per attempt
		// (exploreOnce), which is not sim explore's default.
		fmt.Fprintf(&b, "sim explore --attempt auth --depth %d", x.Depth)
		if bt, _ := s.build(x, a, param, value); bt.run.Client.Quirks != 0 {
			fmt.Fprintf(&b, " --quirk %s", bt.run.Client.Quirks)
		}
		return b.String() // the abstract world takes no other parameter
	case KindSweep:
		fmt.Fprintf(&b, "sim sweep --trials %d --seed %d --out sweep.csv", x.Trials, s.Seed)
		for _, ax := range x.axes {
			fmt.Fprintf(&b, " --%s %s", strings.ReplaceAll(ax.Name, "_", "-"), shellQuote(ax.given))
		}
	}
	if x.scenarioShown != "" {
		fmt.Fprintf(&b, " --scenario %s", shellQuote(x.scenarioShown))
	}
	seen := map[string]int{}
	var flags [][2]string
	add := func(k, v string) {
		if i, ok := seen[k]; ok {
			flags[i][1] = v
			return
		}
		seen[k] = len(flags)
		flags = append(flags, [2]string{k, v})
	}
	for _, n := range []*yaml.Node{x.params, a.params} {
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			add(n.Content[i].Value, scalarOrList(n.Content[i+1]))
		}
	}
	if param != "" {
		add(param, value)
	}
	if x.Kind == KindSweep { // sim sweep's own loss and time limit are grids
		bt, _ := s.build(x, a, param, value)
		for _, k := range []string{"loss", "time_limit"} {
			if _, ok := seen[k]; !ok && !slices.ContainsFunc(x.axes, func(ax Axis) bool { return ax.Name == k }) {
				add(k, model.Registry.Lookup(k).Get(&bt.run))
			}
		}
	}
	for _, f := range flags {
		fmt.Fprintf(&b, " --%s %s", strings.ReplaceAll(f[0], "_", "-"), shellQuote(f[1]))
	}
	return b.String()
}

func scalarOrList(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		var parts []string
		for _, e := range n.Content {
			parts = append(parts, e.Value)
		}
		return strings.Join(parts, ",")
	}
	return n.Value
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,:/=+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Trace is a trial worth looking at, kept as an interactive page.
type Trace struct {
	Experiment  string `json:"experiment"`
	Alternative string `json:"alternative"`
	Why         string `json:"why"` // "slowest success" or "first violation"
	Trial       int    `json:"trial"`
	Command     string `json:"command"`
	File        string `json:"file"`
	Note        string `json:"note,omitempty"` // explore: the finding
	recs        []trace.Record
	violations  []properties.Violation
	params      model.Params
}

// WhyTimeline is the Why of a trace experiment's trial.
const WhyTimeline = "timeline"

// traceFile is the page of a trace of experiment xi, alternative ai.
func traceFile(xi, ai int, why string) string {
	return fmt.Sprintf("trace-%d-%d-%s.html", xi+1, ai+1, strings.ReplaceAll(why, " ", "-"))
}

// maxScan bounds the trials scanned for the slowest success.
const maxScan = 5000

// interesting finds, for each run experiment and alternative, the slowest
// success among the first maxScan trials and the first trial with a
// violation, and records their traces.
func interesting(s *Spec, r *Result) []Trace {
	var out []Trace
	for xi, x := range s.Experiments {
		if x.Kind == KindTrace {
			for ai, a := range s.Alternatives {
				d := r.units[xi][ai].trace
				out = append(out, Trace{Experiment: x.Name, Alternative: a.Name, Why: WhyTimeline, Trial: x.Trial,
					Command: command(s, x, a, "", ""), File: traceFile(xi, ai, WhyTimeline),
					recs: d.shown.recs, violations: d.shown.violations, params: d.params})
			}
			continue
		}
		if x.Kind == KindExplore {
			out = append(out, exploreTraces(s, r, xi)...)
			continue
		}
		if x.Kind != KindRun {
			continue
		}
		for ai, a := range s.Alternatives {
			b, _ := s.build(x, a, "", "")
			p := b.run
			p.Detail = true
			w := sim.NewWorld(p, x.scenarioOf())
			slow, slowT := -1, time.Duration(-1)
			for t := range min(x.Trials, maxScan) {
				res := w.Run(s.Seed, t)
				if res.Outcome == sim.OutcomeSuccess && res.TTC > slowT {
					slow, slowT = t, res.TTC
				}
			}
			add := func(trial int, why string) {
				w.Run(s.Seed, trial)
				recs := append([]trace.Record(nil), w.Recs...)
				out = append(out, Trace{Experiment: x.Name, Alternative: a.Name, Why: why, Trial: trial,
					Command: strings.Replace(command(s, x, a, "", ""), "sim run --trials "+strconv.Itoa(x.Trials), "sim trace --trial "+strconv.Itoa(trial), 1),
					File:    traceFile(xi, ai, why),
					recs:    recs, violations: properties.Check(properties.ConfigFor(p, w.Scenario()), recs), params: p})
			}
			if slow >= 0 {
				add(slow, "slowest success")
			}
			if f := r.units[xi][ai].run.sum.Failing; len(f) > 0 {
				add(f[0].Trial, "first violation")
			}
		}
	}
	return out
}

// propertyVerdicts words the catalogue's verdict on each alternative's
// trials; nil for kinds that have their own (explore's violations
// measure) or none (sweep).
func propertyVerdicts(us []unit) []string {
	var out []string
	for _, u := range us {
		switch {
		case u.run != nil:
			sum := &u.run.sum
			if sum.Violations == 0 {
				out = append(out, fmt.Sprintf("every property holds on all %d trials", sum.Trials))
				continue
			}
			v := fmt.Sprintf("%d of %d trials violate a property", sum.Violations, sum.Trials)
			if len(sum.Failing) > 0 {
				f := sum.Failing[0]
				v += fmt.Sprintf("; the first, trial %d: %s %s", f.Trial, f.Property, f.Message)
			}
			out = append(out, v)
		case u.storm != nil:
			if n := u.storm.r.Violations; n > 0 {
				out = append(out, fmt.Sprintf("%d property violations over the clients' records; the first: %s", n, u.storm.r.Violated[0].String()))
			} else {
				out = append(out, fmt.Sprintf("every property holds on all %d clients' records", u.storm.r.Params.Clients))
			}
		case u.trace != nil:
			if vs := u.trace.shown.violations; len(vs) > 0 {
				out = append(out, fmt.Sprintf("%d property violations in the trial shown; the first: %s", len(vs), vs[0].String()))
			} else {
				out = append(out, "every property holds on the trial shown")
			}
		default:
			return nil
		}
	}
	return out
}
