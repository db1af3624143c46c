// A plan as a partial result of format 3 stores it: the base parameters
// are the header's params (package run), the grid's axes are Grid, and
// FromPartial rebuilds the plan from them, every value through the
// parser of its flag.

package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/run"
)

// gridJSON is a plan's axes: the losses, the time limits (ns), the loss
// models and transports (their flags' texts), the policies (the texts of
// --policy and --policy-jitter), the model-parameter axes with values
// (their values as given) and whether the closed form applies.
type gridJSON struct {
	Losses     []float64   `json:"losses"`
	LimitsNS   []int64     `json:"limits_ns"`
	LossModels []string    `json:"loss_models"`
	Transports []string    `json:"transports"`
	Policies   [][2]string `json:"policies"`
	ParamAxes  []axisJSON  `json:"param_axes,omitempty"`
	Analytic   bool        `json:"analytic"`
}

type axisJSON struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// policyText is b as the texts of --policy and --policy-jitter.
func policyText(b fsm.Backoff) [2]string {
	p := model.DefaultParams()
	p.Client.Policy, p.Client.Jitter = b.Base, b.Jitter
	return [2]string{model.Registry.Lookup("policy").Get(&p), model.Registry.Lookup("policy-jitter").Get(&p)}
}

// parsePolicy is policyText's inverse: the point's policy fields.
func parsePolicy(t [2]string) (fsm.Backoff, error) {
	p := model.DefaultParams()
	for i, name := range []string{"policy", "policy-jitter"} {
		if err := model.Registry.Lookup(name).Set(&p, t[i]); err != nil {
			return fsm.Backoff{}, fmt.Errorf("policies: --%s %v", name, err)
		}
	}
	return fsm.Backoff{Base: p.Client.Policy, Jitter: p.Client.Jitter}, nil
}

// Grid returns the plan's axes as a partial stores them. Every value is
// checked to parse back to itself: a value that would not is an error
// here, when the shard is written, not at merge time.
func (pl *Plan) Grid() (json.RawMessage, error) {
	g := gridJSON{Losses: pl.Losses, Analytic: pl.Analytic}
	for _, d := range pl.Limits {
		g.LimitsNS = append(g.LimitsNS, int64(d))
	}
	for _, m := range pl.Net.Models {
		g.LossModels = append(g.LossModels, FormatModel(m))
	}
	for _, t := range pl.Net.Transports {
		g.Transports = append(g.Transports, t.String())
	}
	for _, b := range pl.Policies {
		g.Policies = append(g.Policies, policyText(b))
	}
	for _, a := range pl.Net.Params {
		if len(a.Values) > 0 {
			g.ParamAxes = append(g.ParamAxes, axisJSON{Name: a.Q.Name, Values: a.Values})
		}
	}
	b, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	back, err := decodeGrid(b)
	if err == nil && (!reflect.DeepEqual(back.Net.Models, pl.Net.Models) || !reflect.DeepEqual(back.Net.Transports, pl.Net.Transports) ||
		!reflect.DeepEqual(back.Policies, pl.Policies)) {
		err = fmt.Errorf("the grid %s does not parse back to itself", b)
	}
	return b, err
}

// FromPartial rebuilds the plan of a sweep's partial (sim merge): the base
// parameters from its params, the axes from its grid, its seed and
// trials. An error names the field (params.NAME, grid).
func FromPartial(h *run.PartialHeader) (*Plan, error) {
	base, err := h.ModelParams()
	if err != nil {
		return nil, err
	}
	pl, err := decodeGrid(h.Grid)
	if err != nil {
		return nil, fmt.Errorf("grid: %v", err)
	}
	pl.Base, pl.Seed, pl.Trials, pl.Workers = base, h.Seed, h.Trials, 1
	if err := pl.Validate(); err != nil {
		return nil, fmt.Errorf("grid: %v", err)
	}
	return pl, nil
}

// decodeGrid parses the axes, strictly, into a plan without its base.
func decodeGrid(b []byte) (*Plan, error) {
	var g gridJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%s", run.JSONErrorText(err))
	}
	n := 1
	for _, k := range []int{len(g.Losses), len(g.LimitsNS), len(g.LossModels), len(g.Transports), len(g.Policies)} {
		if k < 1 || k > grid.MaxPoints || n*k > grid.MaxPoints {
			return nil, fmt.Errorf("every axis needs 1 to %d values, and the grid at most %d points", grid.MaxPoints, grid.MaxPoints)
		}
		n *= k
	}
	pl := &Plan{Losses: g.Losses, Analytic: g.Analytic}
	for _, ns := range g.LimitsNS {
		pl.Limits = append(pl.Limits, time.Duration(ns))
	}
	for _, s := range g.LossModels {
		m, err := netmodel.ParseLossModel(s)
		if err != nil {
			return nil, fmt.Errorf("loss_models: %q: %v", s, err)
		}
		pl.Net.Models = append(pl.Net.Models, m)
	}
	for _, s := range g.Transports {
		t, err := netmodel.ParseTransport(s)
		if err != nil {
			return nil, fmt.Errorf("transports: %q: %v", s, err)
		}
		pl.Net.Transports = append(pl.Net.Transports, t)
	}
	for _, t := range g.Policies {
		b, err := parsePolicy(t)
		if err != nil {
			return nil, err
		}
		pl.Policies = append(pl.Policies, b)
	}
	for _, a := range g.ParamAxes {
		if !slices.Contains(grid.ParamAxes, a.Name) || countAxis(g.ParamAxes, a.Name) > 1 {
			return nil, fmt.Errorf("param_axes: %q is not a sweep axis, or is listed twice", a.Name)
		}
		if len(a.Values) == 0 || len(a.Values) > grid.MaxPoints || n*len(a.Values) > grid.MaxPoints {
			return nil, fmt.Errorf("param_axes: %s needs 1 to %d values, and the grid at most %d points", a.Name, grid.MaxPoints, grid.MaxPoints)
		}
		n *= len(a.Values)
	}
	for _, name := range grid.ParamAxes {
		q := model.Registry.Lookup(name)
		ax := ParamAxis{Q: q}
		if i := slices.IndexFunc(g.ParamAxes, func(a axisJSON) bool { return a.Name == name }); i >= 0 {
			for _, v := range g.ParamAxes[i].Values {
				p := model.DefaultParams()
				if err := q.Set(&p, v); err != nil {
					return nil, fmt.Errorf("param_axes: %s: %v", name, err)
				}
			}
			ax.Values = g.ParamAxes[i].Values
		}
		pl.Net.Params = append(pl.Net.Params, ax)
	}
	return pl, nil
}

// countAxis counts the axes named name.
func countAxis(axes []axisJSON, name string) int {
	n := 0
	for _, a := range axes {
		if a.Name == name {
			n++
		}
	}
	return n
}
