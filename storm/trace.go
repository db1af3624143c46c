package storm

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// traceEffect records effect e of the traced client, as sim records it.
func (w *world) traceEffect(e *fsm.Effect) {
	r := trace.Record{T: w.now}
	switch e.Kind {
	case fsm.EffCallback:
		r.Kind, r.Name, r.Code, r.Call = trace.KCallback, e.Name, e.Code, e.Call
	case fsm.EffStatus:
		r.Kind, r.Status, r.From = trace.KStatus, e.To, e.From
	case fsm.EffAttempt:
		r.Kind, r.N, r.Phase, r.Reason, r.Streak, r.Auto, r.Seq, r.Code =
			trace.KAttempt, e.N, e.Phase, e.Reason, e.Streak, e.Auto, e.Seq, e.Code
	case fsm.EffLost:
		r.Kind, r.Reason = trace.KLost, e.Reason
	case fsm.EffHeartbeat:
		r.Kind, r.Op, r.Seq = trace.KHeartbeat, e.Phase, e.Seq
	default:
		return
	}
	w.recs = append(w.recs, r)
}
