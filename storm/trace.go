package storm

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Every client's records go through observe: the property monitor sees
// each one (the client is device cl, user cl, in it) and the traced
// client's are kept (as device 0, user 0, so that its trace reads as sim
// trace's). No other record is kept.

// traced reports whether client cl's trace is kept.
func (w *world) traced(cl int32) bool { return int(cl) == w.p.TraceClient }

// emit observes record r of client cl (-1: the storm) at the current time.
func (w *world) emit(cl int32, r trace.Record) {
	if r.Kind == trace.KSession {
		r.User = cl
	}
	w.observe(cl, cl, r)
}

// observe observes record r of client cl (-1: the storm) about device dev
// (-1: none) at the current time: the monitor sees it, and the traced
// client's is kept with its device and user renamed 0.
func (w *world) observe(cl, dev int32, r trace.Record) {
	r.T = w.now
	r.Dev = dev
	w.mon.Observe(&r)
	if cl < 0 || w.traced(cl) {
		if cl >= 0 {
			r.Dev, r.User = min(r.Dev, 0), 0
		}
		if w.p.TraceClient >= 0 {
			w.recs = append(w.recs, r)
		}
	}
}

// session records a session change of client cl.
func (w *world) session(cl int32, op vocab.Word, seq uint32, reason vocab.Close) {
	w.emit(cl, trace.Record{Kind: trace.KSession, Op: op, Platform: server.Mobile.Word(), Seq: seq, Reason: reason.Word()})
}

// effect records effect e of client cl (listeners: none).
func (w *world) effect(cl int32, e *fsm.Effect) {
	if r, ok := trace.FromEffect(cl, e, 0); ok {
		w.emit(cl, r)
	}
}
