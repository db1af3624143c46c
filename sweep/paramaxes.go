// The sweep's model-parameter axes (issue 15 item 6): the message and
// liveness knobs take a comma list of values, each as `sim run` takes it,
// and the grid runs every combination.

package sweep

import (
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// ParamAxis is one of grid.ParamAxes, the parameters of model.Registry
// that are sweep axes: its values as given, each checked; none
// when the flag is not given (every point has the base's value, from the
// profile, the scenario file or the default).
type ParamAxis struct {
	Q      *param.Param[model.Params]
	Values []string
}

// ParamPoints is the number of combinations of the axes' values.
func ParamPoints(axes []ParamAxis) int {
	n := 1
	for _, a := range axes {
		n *= max(1, len(a.Values))
	}
	return n
}

// ParamGrid returns base with every combination of the axes' values, the
// first axis varying slowest.
func ParamGrid(axes []ParamAxis, base model.Params) []model.Params {
	out := []model.Params{base}
	for _, a := range axes {
		if len(a.Values) == 0 {
			continue
		}
		var next []model.Params
		for _, p := range out {
			for _, v := range a.Values {
				q := p
				_ = a.Q.Set(&q, v) // checked when the axis was parsed
				next = append(next, q)
			}
		}
		out = next
	}
	return out
}

// ParamReplay is the point's given axes as `sim trace` flags.
func ParamReplay(axes []ParamAxis, p model.Params) string {
	var s string
	for _, a := range axes {
		if len(a.Values) > 0 {
			s += " --" + a.Q.Name + " " + a.Q.Get(&p)
		}
	}
	return s
}

// ParamLabel names the point's values of the axes with several values
// ("msg-rate 0.1, push-latency 2s"), for the figure's curves and the
// table.
func ParamLabel(axes []ParamAxis, p model.Params) []string {
	var parts []string
	for _, a := range axes {
		if len(a.Values) > 1 {
			parts = append(parts, a.Q.Name+" "+a.Q.Get(&p))
		}
	}
	return parts
}

// ParamAxesText is ", --msg-rate, --push-latency" for the axes with
// several values, for the grid-size error.
func ParamAxesText(axes []ParamAxis) string {
	var s string
	for _, a := range axes {
		if len(a.Values) > 1 {
			s += ", --" + a.Q.Name
		}
	}
	return s
}
