package sim

import (
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/trace"
)

// netQuality carries out a network trace row's loss and latency. A new
// loss is recorded as an env "loss" record (a GE chain with its
// stationary loss as the value); a latency change is not recorded.
func (w *World) netQuality(a *model.Action) {
	if a.Model.Kind != netmodel.KindInherit {
		w.rec(trace.Record{Kind: trace.KEnv, Dev: int32(a.Dev), Op: a.Op.Word(), Value: a.Value})
		w.net.SetModel(a.Dev, a.Model)
	}
	if a.Latency >= 0 {
		w.net.SetLatency(a.Dev, a.Latency)
	}
}
