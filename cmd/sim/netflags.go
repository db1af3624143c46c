package main

import (
	"fmt"
	"strings"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/run"
)

// netText describes the network parameters of issue 11 that differ from
// the defaults, for the human summary's header ("" when none does).
func netText(p model.Params) string {
	var parts []string
	if k := p.Net.LossModel.Kind; k == netmodel.KindGE || k == netmodel.KindBurst {
		m := p.Net.Resolve(netmodel.DirUp)
		if p.Net.LossUp.Kind != netmodel.KindInherit {
			m = p.Net.Resolve(netmodel.DirDown)
		}
		parts = append(parts, fmt.Sprintf("loss model %s (stationary loss %.4g, mean burst %.4g)", p.Net.LossModel, m.StationaryLoss(), m.StationaryBurst()))
	}
	for _, d := range []struct {
		name string
		m    netmodel.LossModel
	}{{"up", p.Net.LossUp}, {"down", p.Net.LossDown}} {
		if d.m.Kind != netmodel.KindInherit {
			parts = append(parts, fmt.Sprintf("loss %s %s", d.name, d.m))
		}
	}
	if p.Net.Transport != netmodel.TransportMessage {
		parts = append(parts, "transport "+p.Net.Transport.String()+" (loss per packet)")
	}
	return strings.Join(parts, ", ")
}

func lossRowLabel(p model.Params) string {
	if p.Net.Transport == netmodel.TransportTCP {
		return "packet loss observed"
	}
	return "message loss observed"
}

// lossRow renders the observed loss rate and mean burst length.
func lossRow(s run.Summary) string {
	return fmt.Sprintf("%.2f%%  mean burst %.3f", 100*s.ObservedLossRate, s.MeanBurstLength)
}
