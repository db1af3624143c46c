package sim

import (
	"bytes"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/smallslice"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
)

// A trial's opening. Every trial of a World starts alike: Begin resets the
// clients, and the script's first actions, when they are calls the core
// answers with no effect and no draw (add_listener, remove_listener, init),
// leave the clients and the trace as they left them in every other trial.
// Run restores that state (the opening) instead of running those actions
// again. And when the next action is a Connect, its core's step is the same
// in every trial too (same state, same input, same time; the core draws
// nothing there, which the recording checks): Run replays its effects from
// the recording onto the client's recorded state after it, and the world
// carries them out as usual (its sends draw from the trial's stream then).
// The effects before the Connect's first send (its timers, status and
// attempt records, with the message layer off) do the same in every trial
// too: once a Run has carried them out on a restored opening, it keeps the
// world as they leave it (the queue, the result, the open calls), and
// later Runs start from there, with the rest of the Connect's effects.
// When the rest are sends and quiet effects (tail), the kept world is the
// one after the quiet ones too, and a later Run only sends: each send's
// event takes the seq it would have taken in the effects' order (reserved
// when the opening was kept), so events pop in the same order, and a
// send writes no record with the detail records off, so the records are
// in the same order too.
//
// The first Run of a World records the opening while it runs its trial the
// usual way; a trial run by Begin and Step (the real-time and incremental
// drivers) neither records nor uses it. Invariant: a trial Run restores
// has the state, the trace and the budget count that running the same
// actions would have given (TestOpeningSameTrace).
type opening struct {
	state openState
	k     int           // the scripted actions it covers (Script[:k])
	now   time.Duration // the time after them
	recs  []trace.Record
	// clients[i] is client i after them.
	clients []fsm.Client
	// conn: Script[k] is a Connect whose core's step is recorded:
	// effs, and the state of device dev after it (after).
	conn  bool
	dev   int16
	effs  []fsm.Effect
	after fsm.Client
	// j: effs[:j] are timers, statuses and attempts, and the message
	// layer is off: carrying them out draws nothing and reads nothing
	// but the opening. inConn: the opening goes on into Script[k], to the
	// world after effs[:j] (now, recs and clients then, and res, open,
	// nextCall and q).
	j        int
	inConn   bool
	res      Result
	open     []openCall
	nextCall int32
	q        queue
	// tail: effs[j:] are sends and quiet effects, the detail records off;
	// with inConn, the kept world is the one after effs[j:]'s quiet
	// effects, and sends are effs[j:]'s sends with their events' seqs.
	tail  bool
	sends []reservedSend
	// hit: the current trial was restored and Script[k] is still to run;
	// capture: its connectStep keeps the world after effs[:j] (inConn).
	hit, capture bool
	// gen names recs' contents: it grows each time recs is written
	// (recorded, or kept again by connectStep), from 1. began: the
	// current trial's trace begins with recs as they were at gen began,
	// restored by startOpening and never changed after (a trial only
	// appends records); 0: it was not restored.
	gen, began uint64
}

// reservedSend is the send effs[i] of an opening's tail and the seq its
// event takes.
type reservedSend struct {
	i   int
	seq uint64
}

type openState uint8

const (
	openUnknown openState = iota // not recorded yet (the first Run records)
	openNone                     // nothing to restore
	openReady
)

// inert reports whether op is a scripted call an opening may cover: one
// that only steps its device's core and writes its call record.
func inert(op model.Op) bool {
	return op == model.OpAddListener || op == model.OpRemoveListener || op == model.OpInit
}

// drawTrap is a client's uniform source while the opening records its
// Connect: it tells whether the core drew.
type drawTrap struct {
	u    fsm.Uniform
	drew bool
}

func (t *drawTrap) Float64() float64 {
	t.drew = true
	return t.u.Float64()
}

// startOpening starts the current trial (just begun) from its opening:
// restores it, or records it the first time while running its actions
// the usual way.
func (w *World) startOpening() {
	o := &w.op
	switch {
	case o.state == openUnknown:
		w.recordOpening()
		return
	case o.state == openNone:
		return
	case !o.restores():
		o.hit, o.capture = o.conn, o.conn && o.j > 0
		return
	}
	for i, c := range w.clients {
		c.CopyFrom(&o.clients[i])
	}
	if w.recsGen == o.gen && cap(w.Recs) >= len(o.recs) {
		w.Recs = w.Recs[:len(o.recs)] // still there (World.recsGen)
	} else {
		w.Recs = append(w.Recs, o.recs...) // begin emptied w.Recs
		w.recsGen = o.gen
	}
	o.began = o.gen
	if !o.inConn {
		w.now, w.next, w.scriptLeft, w.events = o.now, o.k, w.scriptLeft-o.k, o.k
		o.hit, o.capture = o.conn, o.conn && o.j > 0
		return
	}
	// Script[k] has run as far as effs[:j]: the rest of its step, as Step
	// would go on.
	w.now, w.next, w.scriptLeft, w.events = o.now, o.k+1, w.scriptLeft-o.k-1, o.k+1
	w.res, w.nextCall = o.res, o.nextCall
	w.open = smallslice.CopyInto(w.open, o.open)
	w.q.restore(&o.q) // o.q no longer changes (connectStep wrote it before inConn)
	if o.tail {
		w.sendReserved(o.dev)
	} else {
		w.effects(o.dev, nil, o.effs[o.j:])
	}
	if len(w.open) == 0 { // else not settled: the call's wait goes on
		w.endIfSettled()
	}
}

// restores reports whether startOpening restores every client.
func (o *opening) restores() bool { return o.state == openReady && (o.k > 0 || o.inConn) }

// scriptNext reports whether the next event is the next scripted action
// and the budget lets it run.
func (w *World) scriptNext() bool {
	if w.done || w.next >= len(w.sc.Script) || (w.p.MaxEvents > 0 && w.events >= w.p.MaxEvents) {
		return false
	}
	at, from, ok := w.nextAt()
	return ok && from == fromScript && at <= w.p.Horizon
}

// recordOpening runs the current trial's first actions, those an opening
// may cover, and records the opening after them if each left no effect,
// no draw and no queued event; then, if the next action is a Connect, it
// runs it and records its core's step if the core drew nothing.
func (w *World) recordOpening() {
	o := &w.op
	o.state = openNone
	if zoo.Enabled || w.q.len() > 0 {
		return // the zoo's mutants tamper with effects; a queued event may come first
	}
	rng0, _ := w.pcg.AppendBinary(nil)
	k := 0
	for k+1 < len(w.sc.Script) && inert(w.sc.Script[k].Op) && w.scriptNext() {
		c := w.clients[w.sc.Script[k].Dev]
		w.Step()
		rng, _ := w.pcg.AppendBinary(nil)
		if len(c.LastEffects()) > 0 || !bytes.Equal(rng, rng0) || w.q.len() > 0 || w.done || len(w.Recs) != k+1 {
			return // run on as usual; the World does not try again
		}
		k++
	}
	o.k, o.now, o.recs = k, w.now, slices.Clone(w.Recs)
	o.gen++
	o.clients = make([]fsm.Client, len(w.clients))
	for i, c := range w.clients {
		o.clients[i].CopyFrom(c)
	}
	if w.scriptNext() && w.sc.Script[k].Op == model.OpConnect {
		a := &w.sc.Script[k]
		c := w.clients[a.Dev]
		trap := &drawTrap{u: w.rng}
		c.SetRand(trap)
		w.Step()
		c.SetRand(w.rng)
		if !trap.drew {
			o.conn, o.dev = true, int16(a.Dev)
			o.effs = slices.Clone(c.LastEffects())
			o.after.CopyFrom(c)
			for !w.msg.on && o.j < len(o.effs) && quiet(o.effs[o.j].Kind) {
				o.j++
			}
			o.tail = o.j > 0 && o.j < len(o.effs) && !w.msg.on && !w.p.Detail
			for _, e := range o.effs[o.j:] {
				o.tail = o.tail && (e.Kind == fsm.EffSend || quiet(e.Kind))
			}
		}
	}
	if k > 0 || o.conn {
		o.state = openReady
	}
}

// quiet reports whether the world carries out an effect of kind k with
// no draw and reading nothing but the trial's state (the message layer
// off).
func quiet(k fsm.EffectKind) bool {
	return k == fsm.EffTimer || k == fsm.EffStatus || k == fsm.EffAttempt
}

// connectStep runs device dev's core on the Connect the opening recorded
// (o.hit): its state after it, then its effects; with o.capture it keeps
// the world after effs[:j] as the opening (inConn).
func (w *World) connectStep(dev int16) {
	o := &w.op
	o.hit = false
	c := w.clients[dev]
	c.CopyFrom(&o.after)
	if !o.capture {
		w.effects(dev, nil, o.effs)
		return
	}
	o.capture = false
	w.effects(dev, nil, o.effs[:o.j])
	if o.tail { // the quiet effects of effs[j:], each send's seq reserved
		o.sends = o.sends[:0]
		for i := o.j; i < len(o.effs); i++ {
			if o.effs[i].Kind == fsm.EffSend {
				w.q.seq++
				o.sends = append(o.sends, reservedSend{i: i, seq: w.q.seq})
			} else {
				w.effects(dev, nil, o.effs[i:i+1])
			}
		}
	}
	if w.next == o.k+1 && w.events == o.k+1 && !w.done {
		o.recs = append(o.recs[:0], w.Recs...)
		o.gen++
		for i, c := range w.clients {
			o.clients[i].CopyFrom(c)
		}
		o.now, o.res, o.nextCall = w.now, w.res, w.nextCall
		o.open = append(o.open[:0], w.open...)
		o.q.copyFrom(&w.q)
		o.inConn = true
	}
	if o.tail {
		w.sendReserved(dev)
		return
	}
	w.effects(dev, nil, o.effs[o.j:])
}

// sendReserved carries out the sends of the opening's tail from device
// dev, each event taking its reserved seq (the queue's seq is already
// past them).
func (w *World) sendReserved(dev int16) {
	o := &w.op
	seq := w.q.seq
	for _, r := range o.sends {
		w.q.seq = r.seq - 1 // add takes r.seq
		w.send(dev, &o.effs[r.i].Msg, evToServer)
	}
	w.q.seq = seq
}
