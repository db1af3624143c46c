package trace

import "github.com/rcsim/connsim/fsm"

// FromEffect returns the record of effect e of device dev, whose client
// has listeners status listeners (KStatus records how many were told),
// and false for the effects that are not records of their own: timers and
// sends, which a driver records as detail (KTimer, KMsg) when it carries
// them out. Every driver of the client core (sim, the explorer, storm)
// records effects through it, so their traces agree.
func FromEffect(dev int32, e *fsm.Effect, listeners int32) (Record, bool) {
	switch e.Kind {
	case fsm.EffCallback:
		return Record{Kind: KCallback, Dev: dev, Name: e.Name, Code: e.Code, Call: e.Call}, true
	case fsm.EffStatus:
		return Record{Kind: KStatus, Dev: dev, Status: e.To, From: e.From, Listeners: listeners, Code: e.Code}, true
	case fsm.EffAttempt:
		return Record{Kind: KAttempt, Dev: dev, N: e.N, Phase: e.Phase, Reason: e.Reason,
			Streak: e.Streak, Auto: e.Auto, Seq: e.Seq, Code: e.Code}, true
	case fsm.EffLost:
		return Record{Kind: KLost, Dev: dev, Reason: e.Reason}, true
	case fsm.EffHeartbeat:
		return Record{Kind: KHeartbeat, Dev: dev, Op: e.Phase, Seq: e.Seq}, true
	case fsm.EffEnv:
		return Record{Kind: KEnv, Dev: dev, Op: e.Phase}, true
	}
	return Record{}, false
}
