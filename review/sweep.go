// Experiments of kind sweep: a grid over one or two parameters, run for
// each alternative at every point, as `sim sweep` runs it (package grid
// parses the loss and time-limit grids and gives the closed form).

package review

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/run"
)

// Axis is one parameter of a sweep and its values, in grid order.
type Axis struct {
	Name   string   `json:"name"` // the parameter, as in params (loss, time_limit, msg_rate, ...)
	Values []string `json:"values"`
	given  string   // as the review file gives it (START:STOP:STEP or a list), for the command
}

// MaxAxes is the number of parameters a sweep varies at most.
const MaxAxes = 2

// sweepAxes are the parameters a sweep may vary: those `sim sweep` takes
// as grids, so that each alternative's command reproduces its points.
var sweepAxes = func() []string {
	out := []string{"loss", "time_limit"}
	for _, n := range grid.ParamAxes {
		out = append(out, strings.ReplaceAll(n, "-", "_"))
	}
	return out
}()

// parseAxes reads a sweep's axes: a mapping of one or two parameters to
// a list of values, or to a string START:STOP:STEP (loss, time_limit) or
// comma list.
func parseAxes(n *yaml.Node) ([]Axis, error) {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) == 0 || len(n.Content) > 2*MaxAxes {
		return nil, fmt.Errorf("must map 1 to %d parameters to their values, such as {loss: \"0:0.9:0.1\", time_limit: [5s, 10s, 0]}", MaxAxes)
	}
	var out []Axis
	points := 1
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if !slices.Contains(sweepAxes, name) {
			return nil, fmt.Errorf("%s: a sweep varies one of %s (the grids of sim sweep)", name, strings.Join(sweepAxes, ", "))
		}
		if slices.ContainsFunc(out, func(a Axis) bool { return a.Name == name }) {
			return nil, fmt.Errorf("%s: given twice", name)
		}
		var given string
		switch v.Kind {
		case yaml.ScalarNode:
			given = v.Value
		case yaml.SequenceNode:
			var parts []string
			for _, e := range v.Content {
				parts = append(parts, e.Value)
			}
			given = strings.Join(parts, ",")
		default:
			return nil, fmt.Errorf("%s: want a list of values or START:STOP:STEP", name)
		}
		a := Axis{Name: name, given: given}
		switch name {
		case "loss":
			vs, err := grid.Losses(given)
			if err != nil {
				return nil, fmt.Errorf("%s: invalid grid %q: %v; want %s", name, given, err, grid.LossForm)
			}
			for _, x := range vs {
				a.Values = append(a.Values, strconv.FormatFloat(x, 'g', -1, 64))
			}
		case "time_limit":
			vs, err := grid.Limits(given)
			if err != nil {
				return nil, fmt.Errorf("%s: invalid grid %q: %v; want %s", name, given, err, grid.LimitForm)
			}
			for _, x := range vs {
				a.Values = append(a.Values, x.String())
			}
		default:
			q := model.Registry.Lookup(name)
			for _, s := range strings.Split(given, ",") {
				p := model.DefaultParams()
				if err := q.Set(&p, strings.TrimSpace(s)); err != nil {
					return nil, fmt.Errorf("%s: %v", name, err)
				}
				a.Values = append(a.Values, strings.TrimSpace(s))
			}
		}
		points *= len(a.Values)
		out = append(out, a)
	}
	if points > grid.MaxPoints {
		return nil, fmt.Errorf("%d grid points; at most %d", points, grid.MaxPoints)
	}
	return out, nil
}

// sweepPoints returns p at every point of the axes, the first axis
// varying slowest, and each point's values.
func sweepPoints(axes []Axis, p model.Params) ([]model.Params, [][]string, error) {
	ps, at := []model.Params{p}, [][]string{nil}
	for _, a := range axes {
		q := model.Registry.Lookup(a.Name)
		var nps []model.Params
		var nat [][]string
		for i, base := range ps {
			for _, v := range a.Values {
				x := base
				if err := q.Set(&x, v); err != nil {
					return nil, nil, fmt.Errorf("%s: %v", a.Name, err)
				}
				nps = append(nps, x)
				nat = append(nat, append(slices.Clone(at[i]), v))
			}
		}
		ps, at = nps, nat
	}
	return ps, at, nil
}

// sweepPoint is one grid point's run for one alternative.
type sweepPoint struct {
	run      runData
	analytic float64 // the closed form's success share, when it applies
	hasCF    bool
}

// sweepData is a sweep's result for one alternative, by point.
type sweepData struct {
	at     [][]string
	params []model.Params
	points []sweepPoint
}

// sweepOnce runs every point of the grid for one alternative.
func sweepOnce(ctx context.Context, s *Spec, x Experiment, b built, o Options) (sweepData, error) {
	ps, at, err := sweepPoints(x.axes, b.run)
	if err != nil {
		return sweepData{}, err
	}
	d := sweepData{at: at, params: ps}
	sc := x.scenarioOf()
	for _, p := range ps {
		acc, err := run.Accumulate(ctx, run.Config{Params: p, Scenario: sc, Trials: x.Trials, Keep: x.Trials, Seed: s.Seed, Workers: max(1, o.Workers)})
		if err != nil {
			return d, err
		}
		pt := sweepPoint{run: runData{sum: acc.Summary(), ttc: slices.Clone(acc.TTC)}}
		if x.scenario == nil && grid.ClosedFormApplies(p, sc) {
			pt.analytic, pt.hasCF = grid.AnalyticSuccess(p)
		}
		d.points = append(d.points, pt)
	}
	return d, nil
}

// PointResult is one grid point of a sweep: its axis values, each
// measure over the alternatives, and the closed form of the success
// share by alternative (null where it does not apply).
type PointResult struct {
	At         []string        `json:"at"`
	Measures   []MeasureResult `json:"measures"`
	ClosedForm []*float64      `json:"closed_form_success,omitempty"`
}

// sweepResult compares the alternatives at every point and words one
// verdict per measure: at how many points each alternative is best.
func sweepResult(x Experiment, us []unit, alts []string) ([]PointResult, []string) {
	var pts []PointResult
	d0 := us[0].sweep
	anyCF := false
	for pi := range d0.points {
		pr := PointResult{At: d0.at[pi]}
		for _, name := range x.Measures {
			m := mustMeasure(KindRun, name)
			vals := make([]Value, len(us))
			for ai, u := range us {
				r := &u.sweep.points[pi].run
				vals[ai] = m.run(&r.sum, r.ttc)
			}
			pr.Measures = append(pr.Measures, compare(name, m, vals, alts))
		}
		for _, u := range us {
			pt := u.sweep.points[pi]
			if pt.hasCF {
				v := 100 * pt.analytic
				pr.ClosedForm = append(pr.ClosedForm, &v)
				anyCF = true
			} else {
				pr.ClosedForm = append(pr.ClosedForm, nil)
			}
		}
		pts = append(pts, pr)
	}
	if !anyCF {
		for i := range pts {
			pts[i].ClosedForm = nil
		}
	}
	var verdicts []string
	for mi, name := range x.Measures {
		m := mustMeasure(KindRun, name)
		best := make([]int, len(alts))
		sig := make([]int, len(alts))
		ties := 0
		for _, pr := range pts {
			mr := pr.Measures[mi]
			if !slices.Contains(mr.Same[1:], false) {
				ties++ // no alternative significantly worse than the best
				continue
			}
			b := mr.Ranking[0]
			best[b]++
			if !slices.Contains(mr.Same[1:], true) {
				sig[b]++
			}
		}
		order := make([]int, len(alts))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return best[b] - best[a] })
		var parts []string
		for _, i := range order {
			if best[i] > 0 {
				parts = append(parts, fmt.Sprintf("%s best at %d (significantly better than every other at %d)", alts[i], best[i], sig[i]))
			}
		}
		if ties > 0 {
			parts = append(parts, fmt.Sprintf("no significant difference at %d", ties))
		}
		verdicts = append(verdicts, fmt.Sprintf("%s, over %d points: %s", m.label, len(pts), strings.Join(parts, "; ")))
	}
	return pts, verdicts
}

// sweepFigure draws a sweep with a loss axis: the success share against
// loss, one curve per alternative (and value of the other axis), its 95%
// band, and the closed form dashed where it applies. Without a loss axis
// it returns nil.
func sweepFigure(r *Result, xi int, caption string) (*plots.Figure, error) {
	x := r.Experiments[xi]
	li := slices.IndexFunc(x.Axes, func(a Axis) bool { return a.Name == "loss" })
	if li < 0 {
		return nil, nil
	}
	var series []plots.SuccessSeries
	var labels []string
	for ai, u := range r.units[xi] {
		d := u.sweep
		lo, hi := 1.0, 0.0
		for _, p := range d.params {
			lo, hi = min(lo, p.Net.Loss), max(hi, p.Net.Loss)
		}
		for pi, pt := range d.points {
			label := r.Alternatives[ai]
			for k, v := range d.at[pi] {
				if k != li {
					label += ", " + x.Axes[k].Name + " " + v
				}
			}
			i := slices.Index(labels, label)
			if i < 0 {
				labels = append(labels, label)
				series = append(series, plots.SuccessSeries{Label: label})
				i = len(series) - 1
			}
			sm := pt.run.sum
			series[i].Points = append(series[i].Points, plots.SuccessPoint{Loss: d.params[pi].Net.Loss, Rate: sm.SuccessRate,
				Lo: min(sm.CILow, sm.SuccessRate), Hi: max(sm.CIHigh, sm.SuccessRate)})
			if pt.hasCF && series[i].Overlay == nil {
				series[i].Overlay = grid.AnalyticOverlay(d.params[pi], lo, hi)
			}
		}
	}
	return plots.SuccessVsLoss(series, caption)
}
