// The sweep's model-parameter axes as flags: one flag per axis of
// grid.ParamAxes, a comma list of values each as `sim run` takes it.

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sweep"
)

// paramAxisNames are the parameters of model.Registry that are sweep axes,
// in the order their values vary in the grid (the first slowest).
var paramAxisNames = grid.ParamAxes

// registerParamAxes declares the axes' flags; raw gets their texts.
func registerParamAxes(fs *pflag.FlagSet, raw []string) {
	d := model.DefaultParams()
	for i, name := range paramAxisNames {
		q := model.Registry.Lookup(name)
		fs.StringVar(&raw[i], name, q.Get(&d), "grid: a comma list; "+model.Registry.Usage(q))
	}
}

// parseParamAxes parses the axes' flags given on the command line.
func parseParamAxes(fs *pflag.FlagSet, raw []string) ([]sweep.ParamAxis, error) {
	var out []sweep.ParamAxis
	for i, name := range paramAxisNames {
		q := model.Registry.Lookup(name)
		a := sweep.ParamAxis{Q: q}
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
				a.Values = append(a.Values, strings.TrimSpace(v))
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// dashed returns the names as flags.
func dashed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return out
}
