// The sweep's model-parameter axes (issue 15 item 6): the message and
// liveness knobs take a comma list of values, each as `sim run` takes it,
// and the grid runs every combination.

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// paramAxisNames are the parameters of model.Registry that are sweep axes,
// in the order their values vary in the grid (the first slowest).
var paramAxisNames = grid.ParamAxes

// paramAxis is one such axis: its values as given, each checked; none
// when the flag is not given (every point has the base's value, from the
// profile, the scenario file or the default).
type paramAxis struct {
	q      *param.Param[model.Params]
	values []string
}

// registerParamAxes declares the axes' flags; raw gets their texts.
func registerParamAxes(fs *pflag.FlagSet, raw []string) {
	d := model.DefaultParams()
	for i, name := range paramAxisNames {
		q := model.Registry.Lookup(name)
		fs.StringVar(&raw[i], name, q.Get(&d), "grid: a comma list; "+model.Registry.Usage(q))
	}
}

// parseParamAxes parses the axes' flags given on the command line.
func parseParamAxes(fs *pflag.FlagSet, raw []string) ([]paramAxis, error) {
	var out []paramAxis
	for i, name := range paramAxisNames {
		q := model.Registry.Lookup(name)
		a := paramAxis{q: q}
		if fs.Changed(name) {
			var seen []string
			for _, v := range strings.Split(raw[i], ",") {
				p := model.DefaultParams()
				if err := q.Set(&p, strings.TrimSpace(v)); err != nil {
					return nil, usageError{fmt.Errorf("--%s: invalid grid value: %v; the grid is a comma list of such values", name, err)}
				}
				norm := q.Get(&p)
				for _, s := range seen {
					if s == norm {
						return nil, usageError{fmt.Errorf("--%s: invalid grid %q: %s is listed twice", name, raw[i], norm)}
					}
				}
				seen = append(seen, norm)
				a.values = append(a.values, strings.TrimSpace(v))
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// paramPoints is the number of combinations of the axes' values.
func paramPoints(axes []paramAxis) int {
	n := 1
	for _, a := range axes {
		n *= max(1, len(a.values))
	}
	return n
}

// paramGrid returns base with every combination of the axes' values, the
// first axis varying slowest.
func paramGrid(axes []paramAxis, base model.Params) []model.Params {
	out := []model.Params{base}
	for _, a := range axes {
		if len(a.values) == 0 {
			continue
		}
		var next []model.Params
		for _, p := range out {
			for _, v := range a.values {
				q := p
				_ = a.q.Set(&q, v) // checked by parseParamAxes
				next = append(next, q)
			}
		}
		out = next
	}
	return out
}

// paramReplay is the point's given axes as `sim trace` flags.
func paramReplay(axes []paramAxis, p model.Params) string {
	var s string
	for _, a := range axes {
		if len(a.values) > 0 {
			s += " --" + a.q.Name + " " + a.q.Get(&p)
		}
	}
	return s
}

// paramLabel names the point's values of the axes with several values
// ("msg-rate 0.1, push-latency 2s"), for the figure's curves and the
// table.
func paramLabel(axes []paramAxis, p model.Params) []string {
	var parts []string
	for _, a := range axes {
		if len(a.values) > 1 {
			parts = append(parts, a.q.Name+" "+a.q.Get(&p))
		}
	}
	return parts
}

// paramAxesText is ", --msg-rate, --push-latency" for the axes with
// several values, for the grid-size error.
func paramAxesText(axes []paramAxis) string {
	var s string
	for _, a := range axes {
		if len(a.values) > 1 {
			s += ", --" + a.q.Name
		}
	}
	return s
}

// dashed returns the names as flags.
func dashed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return out
}
