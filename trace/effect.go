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
	var r Record
	if !fillEffect(&r, dev, e, listeners) {
		return Record{}, false
	}
	return r, true
}

// AppendEffect appends to recs the record FromEffect gives of effect e, at
// time t, if e has one. It writes the record in place, copying the
// effect's fields (its names are vocab.Words: bytes), rather than building
// a record of 88 bytes, returning it and copying it into the slice.
func AppendEffect(recs []Record, t time.Duration, dev int32, e *fsm.Effect, listeners int32) []Record {
	if !hasRecord(e.Kind) {
		return recs
	}
	recs = append(recs, Record{})
	r := &recs[len(recs)-1]
	fillEffect(r, dev, e, listeners)
	r.T = t
	return recs
}

// hasRecord reports whether effects of kind k are records of their own.
func hasRecord(k fsm.EffectKind) bool {
	switch k {
	case fsm.EffCallback, fsm.EffStatus, fsm.EffAttempt, fsm.EffLost, fsm.EffHeartbeat, fsm.EffEnv:
		return true
	}
	return false
}

// fillEffect sets the fields of zero record r from effect e, and reports
// whether e has a record (see FromEffect).
func fillEffect(r *Record, dev int32, e *fsm.Effect, listeners int32) bool {
	if !hasRecord(e.Kind) {
		return false
	}
	r.Dev = dev
	switch e.Kind {
	case fsm.EffCallback:
		r.Kind, r.Name, r.Code, r.Call = KCallback, e.Name, e.Code, e.Call
	case fsm.EffStatus:
		r.Kind, r.Status, r.From, r.Listeners, r.Code = KStatus, e.To, e.From, listeners, e.Code
	case fsm.EffAttempt:
		r.Kind, r.N, r.Phase, r.Reason, r.Streak, r.Auto, r.Seq, r.Code = KAttempt, e.N, e.Phase, e.Reason, e.Streak, e.Auto, e.Seq, e.Code
	case fsm.EffLost:
		r.Kind, r.Reason = KLost, e.Reason
	case fsm.EffHeartbeat:
		r.Kind, r.Op, r.Seq = KHeartbeat, e.Phase, e.Seq
	case fsm.EffEnv:
		r.Kind, r.Op = KEnv, e.Phase
	}
	return true
}
