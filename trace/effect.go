package trace

import (
	"time"

	"github.com/rcsim/connsim/fsm"
)

// FromEffect returns the record of effect e of device dev, whose client
// has listeners status listeners (KStatus records how many were told),
// and false for the effects that are not records of their own: timers and
// sends, which a driver records as detail (KTimer, KMsg) when it carries
// them out. Every driver of the client core (sim, the explorer, storm)
// records effects through it or AppendEffect, so their traces agree.
func FromEffect(dev int32, e *fsm.Effect, listeners int32) (Record, bool) {
	// Small enough to inline (the storm records each effect through
	// it), and so the buffer stays in the caller's frame. Nothing
	// appended, its record is the zero one.
	a := AppendEffect(make([]Record, 0, 1), 0, dev, e, listeners)
	return a[:1][0], len(a) != 0
}

// AppendEffect appends to recs the record FromEffect gives of effect e, at
// time t, if e has one. It writes the record in place, copying the
// effect's fields (its names are vocab.Words: bytes), rather than building
// a record of 88 bytes, returning it and copying it into the slice; and
// it decides whether e has a record by the one switch that fills it (a
// trial's checked run appends about four records, each through here).
func AppendEffect(recs []Record, t time.Duration, dev int32, e *fsm.Effect, listeners int32) []Record {
	k := recordKinds[e.Kind]
	if k == 0 {
		return recs
	}
	recs = append(recs, Record{})
	r := &recs[len(recs)-1]
	r.T, r.Dev, r.Kind = t, dev, k
	switch k {
	case KAttempt:
		r.N, r.Phase, r.Reason, r.Streak, r.Auto, r.Seq, r.Code = e.N, e.Phase, e.Reason, e.Streak, e.Auto, e.Seq, e.Code
	case KStatus:
		r.Status, r.From, r.Listeners, r.Code = e.To, e.From, listeners, e.Code
	case KCallback:
		r.Name, r.Code, r.Call = e.Name, e.Code, e.Call
	case KLost:
		r.Reason = e.Reason
	case KHeartbeat:
		r.Op, r.Seq = e.Phase, e.Seq
	case KEnv:
		r.Op = e.Phase
	}
	return recs
}

// recordKinds[k] is the kind of the record of effects of kind k; 0 for
// those that have none.
var recordKinds = [256]Kind{
	fsm.EffCallback: KCallback, fsm.EffStatus: KStatus, fsm.EffAttempt: KAttempt,
	fsm.EffLost: KLost, fsm.EffHeartbeat: KHeartbeat, fsm.EffEnv: KEnv,
}
