// The sweep's network axes (issue 11): --loss-model and --transport take
// several values, and the grid runs every combination.

package sweep

import (
	"strings"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
)

// NetAxes are the values of the loss-model and transport axes, in the
// order given (duplicates removed), and the model-parameter axes
// (paramaxes.go).
type NetAxes struct {
	Models     []netmodel.LossModel
	Transports []netmodel.Transport
	Params     []ParamAxis
}

// Points returns the number of combinations.
func (a NetAxes) Points() int {
	return max(1, len(a.Models)) * max(1, len(a.Transports)) * ParamPoints(a.Params)
}

// SeriesLabel names a curve of the sweep figure: the axes with more than
// one value, then the time limit.
func (a NetAxes) SeriesLabel(r *Row) string {
	parts := ParamLabel(a.Params, r.Params)
	if len(a.Transports) > 1 {
		parts = append(parts, r.Params.Net.Transport.String())
	}
	if len(a.Models) > 1 {
		parts = append(parts, FormatModel(r.Params.Net.LossModel))
	}
	limit := "time limit " + r.Limit.String()
	if r.Limit <= 0 {
		limit = "no time limit"
	}
	return strings.Join(append(parts, limit), ", ")
}

// FormatModel names a loss model as the CSV and the table do.
func FormatModel(m netmodel.LossModel) string {
	if m.Kind == netmodel.KindInherit || m.Kind == netmodel.KindBernoulli {
		return "bernoulli"
	}
	return m.String()
}

// NetReplay is the point's network axes as `sim trace` flags, when not the
// defaults.
func NetReplay(p model.Params) string {
	var s string
	if m := FormatModel(p.Net.LossModel); m != "bernoulli" {
		s += " --loss-model " + m
	}
	if p.Net.Transport != netmodel.TransportMessage {
		s += " --transport " + p.Net.Transport.String()
	}
	return s
}
