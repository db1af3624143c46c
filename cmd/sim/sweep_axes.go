// The sweep's network axes (issue 11): --loss-model and --transport take
// several values, and the grid runs every combination.

package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
)

// netAxes are the values of the loss-model and transport axes, in the
// order given (duplicates removed), and the model-parameter axes
// (sweep_paramaxes.go).
type netAxes struct {
	models     []netmodel.LossModel
	transports []netmodel.Transport
	params     []paramAxis
}

// points returns the number of combinations.
func (a netAxes) points() int {
	return len(a.models) * len(a.transports) * paramPoints(a.params)
}

// parseNetAxes parses --loss-model (repeatable; values also separated by
// ';', since a ge: model has commas) and --transport (a comma list).
func parseNetAxes(models []string, transports string) (netAxes, error) {
	var a netAxes
	for _, arg := range models {
		for _, v := range strings.Split(arg, ";") {
			m, err := netmodel.ParseLossModel(strings.TrimSpace(v))
			if err != nil {
				return a, usageError{fmt.Errorf("--loss-model: invalid grid value %q: want bernoulli, ge:P,R,1-H,1-K or burst:B; repeat the flag or separate values with ';'", v)}
			}
			if slices.Contains(a.models, m) {
				return a, usageError{fmt.Errorf("--loss-model: invalid grid: %s is listed twice", strings.TrimSpace(v))}
			}
			a.models = append(a.models, m)
		}
	}
	for _, v := range strings.Split(transports, ",") {
		t, err := netmodel.ParseTransport(strings.TrimSpace(v))
		if err != nil {
			return a, usageError{fmt.Errorf("--transport: invalid grid value %q: want a comma list of message and tcp", v)}
		}
		if slices.Contains(a.transports, t) {
			return a, usageError{fmt.Errorf("--transport: invalid grid %q: %s is listed twice", transports, t)}
		}
		a.transports = append(a.transports, t)
	}
	return a, nil
}

// seriesLabel names a curve of the sweep figure: the axes with more than
// one value, then the time limit.
func (a netAxes) seriesLabel(r *sweepRow) string {
	parts := paramLabel(a.params, r.p)
	if len(a.transports) > 1 {
		parts = append(parts, r.p.Net.Transport.String())
	}
	if len(a.models) > 1 {
		parts = append(parts, formatModel(r.p.Net.LossModel))
	}
	limit := "time limit " + r.limit.String()
	if r.limit <= 0 {
		limit = "no time limit"
	}
	return strings.Join(append(parts, limit), ", ")
}

func formatModel(m netmodel.LossModel) string {
	if m.Kind == netmodel.KindInherit || m.Kind == netmodel.KindBernoulli {
		return "bernoulli"
	}
	return m.String()
}

// netReplay is the point's network axes as `sim trace` flags, when not the
// defaults.
func netReplay(p model.Params) string {
	var s string
	if m := formatModel(p.Net.LossModel); m != "bernoulli" {
		s += " --loss-model " + m
	}
	if p.Net.Transport != netmodel.TransportMessage {
		s += " --transport " + p.Net.Transport.String()
	}
	return s
}
