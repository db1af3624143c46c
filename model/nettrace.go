package model

import (
	"github.com/rcsim/connsim/netmodel"
)

// TraceActions turns a network trace (--net-trace, a device's net_trace)
// into script actions on device dev. Each row becomes, at its time:
//
//  1. a loss action with Quality set, when the row sets a loss or a
//     latency (applied first, so that an attempt the row's other changes
//     start sees the new network);
//  2. net_off when the network goes from up to down, net_on from down to
//     up, net_change when it stays up with another type than the
//     previous row's (the first row's type is the starting type).
//
// The caller puts these actions before the script's own (sortScript is
// stable), so the network at time t is in place before the app acts at t.
func TraceActions(dev int, rows []netmodel.TraceRow) []Action {
	var out []Action
	up, typ := true, ""
	for _, r := range rows {
		if r.Loss.Kind != netmodel.KindInherit || r.Latency >= 0 {
			out = append(out, Action{At: r.At, Dev: dev, Op: OpLoss, Quality: true, Model: r.Loss,
				Latency: r.Latency, Value: r.Loss.StationaryLoss()})
		}
		switch {
		case up && !r.Up:
			out = append(out, Action{At: r.At, Dev: dev, Op: OpNetOff})
		case !up && r.Up:
			out = append(out, Action{At: r.At, Dev: dev, Op: OpNetOn})
		case up && r.Up && typ != "" && r.Type != typ:
			out = append(out, Action{At: r.At, Dev: dev, Op: OpNetChange})
		}
		up, typ = r.Up, r.Type
	}
	return out
}
