package trace

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// fullEffect returns an effect of kind k with every field set, so that a
// record that copies a field its kind does not carry, or misses one it
// does, differs from the record TestAppendEffect expects.
func fullEffect(k fsm.EffectKind) fsm.Effect {
	return fsm.Effect{
		At: 7 * time.Second, Msg: fsm.Msg{Kind: fsm.MsgAuth, Seq: 9, N: 2},
		Gen: 3, Call: 4, Code: fsm.ConnectTimeout, N: 5, Streak: 6, Seq: 8,
		Kind: k, Timer: fsm.TimerPing, Name: vocab.CbError, Phase: vocab.PhaseFail,
		Reason: vocab.ReasonCancelled, From: fsm.Connecting, To: fsm.Timeout, Auto: true,
	}
}

// TestAppendEffect: each kind of effect that has a record gives the
// record of its kind with exactly the fields the kind carries (and the
// time, device and listeners given), by AppendEffect and by FromEffect
// alike; a timer and a send give none, and append nothing.
func TestAppendEffect(t *testing.T) {
	const at, dev, listeners = 3 * time.Second, 2, 1
	base := Record{T: at, Dev: dev}
	want := map[fsm.EffectKind]Record{
		fsm.EffCallback:  {Kind: KCallback, Name: vocab.CbError, Code: fsm.ConnectTimeout, Call: 4},
		fsm.EffStatus:    {Kind: KStatus, Status: fsm.Timeout, From: fsm.Connecting, Listeners: listeners, Code: fsm.ConnectTimeout},
		fsm.EffAttempt:   {Kind: KAttempt, N: 5, Phase: vocab.PhaseFail, Reason: vocab.ReasonCancelled, Streak: 6, Auto: true, Seq: 8, Code: fsm.ConnectTimeout},
		fsm.EffLost:      {Kind: KLost, Reason: vocab.ReasonCancelled},
		fsm.EffHeartbeat: {Kind: KHeartbeat, Op: vocab.PhaseFail, Seq: 8},
		fsm.EffEnv:       {Kind: KEnv, Op: vocab.PhaseFail},
	}
	for k := range fsm.EffectKind(255) {
		e := fullEffect(k)
		prev := []Record{{Kind: KEnd}}
		got := AppendEffect(prev, at, dev, &e, listeners)
		r, ok := FromEffect(dev, &e, listeners)
		w, has := want[k]
		if !has {
			if len(got) != 1 || ok || r != (Record{}) {
				t.Errorf("effect kind %d: appended %d records, FromEffect %v %+v; want none", k, len(got)-1, ok, r)
			}
			continue
		}
		w.T, w.Dev = base.T, base.Dev
		if len(got) != 2 || got[0] != prev[0] || got[1] != w {
			t.Errorf("effect kind %d: AppendEffect gave %+v, want %+v after the record before", k, got, w)
		}
		w.T = 0
		if !ok || r != w {
			t.Errorf("effect kind %d: FromEffect gave %+v %v, want %+v", k, r, ok, w)
		}
	}
}

// FromEffect allocates nothing: its one-record buffer stays in the
// caller's frame (the storm records every effect through it).
func TestFromEffectAllocates(t *testing.T) {
	e := fullEffect(fsm.EffAttempt)
	var r Record
	if n := testing.AllocsPerRun(100, func() { r, _ = FromEffect(1, &e, 1) }); n != 0 {
		t.Errorf("FromEffect allocates %v times per call", n)
	}
	if r.Kind != KAttempt {
		t.Errorf("FromEffect gave %+v", r)
	}
}
