package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/internal/zoo/tamper"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// World is one trial's universe: the devices' client cores, the network,
// the IM server and the script, driven by a virtual-time event queue.
//
// A World is reused across trials (Begin resets it without allocating once
// warm). It is owned by one goroutine. Every random decision is drawn from
// the trial's own RNG, seeded from (seed, trial) only, so a trial's trace
// does not depend on which worker ran it or on what ran before.
type World struct {
	p  model.Params
	sc model.Scenario
	// idleTimeout is p.ServerIdleTimeout(), computed once (p never changes).
	idleTimeout time.Duration

	pcg *rand.PCG
	rng *rand.Rand
	// runSeed is netmodel.RunSeed(seed) of the last trial's seed (seeded:
	// there was one): a run's trials mix their seed once, not each trial.
	seed, runSeed uint64
	seeded        bool

	q       queue
	clients []*fsm.Client
	net     netmodel.Net
	srv     server.Server
	srv0    server.Server // every trial's server as it starts (buildServer)
	// srvUsed: srv may differ from srv0, a call that may change it
	// (srvMut) having reached it since it was last copied from srv0.
	// Run's begin copies it only then; Begin always does.
	srvUsed bool
	so      server.Out

	// Recs is the trace of the current trial so far. A caller must not
	// change the records of a trial Run ran: the next Run may keep its
	// first records, the opening's, in place (recsGen).
	Recs []trace.Record
	// recsGen: Recs's array begins with op.recs as they were at op.gen
	// recsGen (a trial Run restored wrote them there and only appended
	// after them); 0: no such claim. Begin's trials and those Run does
	// not restore write from the first record, and clear it; a buffer
	// swapped in takes its own claim (ranTrial.recsGen).
	recsGen uint64

	now        time.Duration
	scriptLeft int
	// next is the index of the next scripted action to run. The script
	// is in time order (Scenario.Validate), so it needs no queue: Step
	// runs w.sc.Script[next] before any queued event due at the same time
	// or later (spec section 11: scripted actions first).
	next     int
	nextCall int32
	done     bool
	// held and ranTo serve incremental driving (inject.go): while held,
	// the trial does not end when it settles; ranTo is the bound of the
	// last RunBefore, before which no action may be injected.
	held  bool
	ranTo time.Duration
	// open lists the Connect calls the app still waits on: no terminal
	// callback yet and no Disconnect/Logout of their device since. It is
	// the app's view, kept apart from the core's, so that a quirk that
	// loses a call (spec section 9) keeps the trial running.
	open []openCall
	// devs[d] is device d's state in the world around its core.
	devs []devState
	// msg is the message layer (world_msg.go).
	msg msgState
	// an is the navigation service and the listed servers (anatomy.go);
	// edges are the --server-down windows' edges (serverEdges: p never
	// changes).
	an    anatomy
	edges []edge

	res Result
	// op is the trials' opening, which Run restores (opening.go).
	op opening
	// mon checks the trials of RunChecked (made at the first).
	mon *properties.Monitor
	// monGen: mon's prefix is op.recs as they were at op.gen monGen
	// (checkFromOpening); 0: mon has no prefix of the World's.
	monGen uint64
	// ran holds the trials RunChecked and RunCheckedRange ran and have
	// not checked yet (checked.go).
	ran ranTrials

	// trial is the current trial's index; events counts the events it ran
	// against the work budget (Params.MaxEvents); overBudget: it ran out.
	trial      int
	events     int
	overBudget bool
}

// NewWorld builds a world for params p and scenario sc; both must be valid.
func NewWorld(p model.Params, sc model.Scenario) *World {
	w := &World{p: p, sc: sc, idleTimeout: p.ServerIdleTimeout(), pcg: rand.NewPCG(0, 0), edges: serverEdges(p.ServerDown), srvUsed: true}
	for i := range sc.Script {
		w.msg.anyOps = w.msg.anyOps || sc.Script[i].Op == model.OpMessage
	}
	w.msg.on = p.Msg.Rate > 0 || w.msg.anyOps
	w.rng = rand.New(w.pcg)
	w.buildServer(&w.srv0)
	for i := range sc.Devices {
		c := fsm.NewClient(p.Client, int16(i))
		c.SetRand(w.rng) // a jittered policy draws its gaps from the trial's stream
		w.clients = append(w.clients, c)
	}
	return w
}

// Begin starts trial number trial of a run with the given seed.
func (w *World) Begin(seed uint64, trial int) { w.begin(seed, trial, false) }

// begin is Begin, or with run Run's: a trial Run restores from its
// opening (opening.go) has its clients reset there, and the server is
// copied only when a trial used it (srvUsed).
func (w *World) begin(seed uint64, trial int, run bool) {
	opened := run && w.op.restores()
	// into: startOpening restores the queue and the result too (a trial
	// restored into the opening's Connect); begin leaves them to it.
	into := opened && w.op.inConn
	// The PCG's seed is netmodel.TrialSeed(seed, trial), so
	// netmodel.FirstAnswerTCP(..., seed, trial) draws what the trial draws.
	if !w.seeded || seed != w.seed {
		w.seed, w.runSeed, w.seeded = seed, netmodel.RunSeed(seed), true
	}
	w.pcg.Seed(netmodel.TrialSeedOf(w.runSeed, trial))
	if !into {
		w.q.reset()
	}
	w.Recs = w.Recs[:0]
	w.now, w.nextCall, w.done = 0, 0, false
	w.trial, w.events, w.overBudget = trial, 0, false
	if trial == panicTrial {
		panic(fmt.Sprintf("deliberate panic in trial %d (PanicTrialForTest)", trial))
	}
	w.held, w.ranTo, w.op.hit, w.op.began = false, 0, false, 0
	w.open = w.open[:0]
	w.devs = slices.Grow(w.devs[:0], len(w.clients))[:len(w.clients)]
	clear(w.devs)
	if !into {
		w.res = Result{Code: fsm.OK}
	}
	if !opened {
		w.recsGen = 0 // this trial writes its records from the first
		for i, c := range w.clients {
			c.Reset(&w.p.Client, int16(i))
			if w.sc.Devices[i].NoNativeLib {
				c.SetNativeLibMissing()
			}
		}
	}
	if !w.net.ResetSame(len(w.clients)) { // w.p never changes
		w.net.ResetTo(&w.p.Net, len(w.clients))
	}
	w.an.reset()
	if w.srvUsed || !run {
		w.srv.ResetTo(&w.srv0)
		w.srvUsed = false
	}
	if w.msg.on {
		w.beginMsgs()
	} else {
		w.res.Msg = nil
	}
	w.scriptLeft, w.next = len(w.sc.Script), 0
}

// The sources of the next event (nextAt).
const (
	fromQueue  = iota // a queued event
	fromScript        // the next scripted action
	fromWindow        // the next edge of a --server-down window (anatomy.go)
)

// nextAt returns the time of the next event, scripted, a window's edge or
// queued, where it comes from, and false when there is none. At one instant
// windows' edges come first (a window is a parameter, in force from its
// start), then scripted actions, then queued events. A window's edge alone
// does not keep a trial going: with nothing else to run the trial ends
// idle, as before windows had edges.
func (w *World) nextAt() (at time.Duration, from int, ok bool) {
	switch {
	case w.next < len(w.sc.Script):
		at, from, ok = w.sc.Script[w.next].At, fromScript, true
		if w.q.len() > 0 && w.q.peekAt() < at {
			at, from = w.q.peekAt(), fromQueue
		}
	case w.q.len() > 0:
		at, from, ok = w.q.peekAt(), fromQueue, true
	default:
		return 0, fromQueue, false
	}
	if e, has := w.nextEdge(); has && e <= at {
		return e, fromWindow, true
	}
	return at, from, true
}

// buildServer configures s, reset, as every trial's server starts: the
// scenario's app keys, users, tokens, devices and blocked users, and the
// parameters' rules. NewWorld builds World.srv0 with it once; Begin
// copies srv0 (p and the scenario's server fields never change).
func (w *World) buildServer(s *server.Server) {
	s.Reset()
	s.Policy = w.p.KickPolicy
	s.MultiMobile = w.p.MultiMobile
	s.IdleTimeout = w.idleTimeout
	s.VerificationFails = w.sc.VerificationFails
	s.ProxyUnavailable = w.sc.ProxyUnavailable
	s.MultiDeviceSync = w.p.Msg.MultiDeviceSync
	s.Retention = w.p.Msg.Retention
	for _, k := range w.sc.AppKeys {
		s.AddAppKey(k)
	}
	for u := w.sc.Users(); u > 0; u-- {
		s.AddUser()
	}
	for _, t := range w.sc.Tokens {
		s.AddToken(server.Token{User: int32(t.User), AppKey: int32(t.AppKey), ExpiresAt: t.ExpiresAt})
	}
	for _, d := range w.sc.Devices {
		s.AddDevice(server.Device{User: int32(d.User), Platform: d.Platform, Kick: d.Kick})
	}
	for _, u := range w.sc.BlockedUsers {
		s.UserBlocked[u] = true
	}
}

// NextAt returns the virtual time of the next event, and false when the
// trial is over.
func (w *World) NextAt() (time.Duration, bool) {
	if w.done {
		return 0, false
	}
	at, _, ok := w.nextAt()
	if !ok {
		return w.now, true // Step ends the trial "idle" now
	}
	if at > w.p.Horizon {
		return w.p.Horizon, true
	}
	return at, true
}

// Step runs the next event of the trial, or ends the trial. It returns
// false once the trial is over (the last record is then the end record).
func (w *World) Step() bool {
	if w.done {
		return false
	}
	at, from, ok := w.nextAt()
	if !ok {
		w.end(w.now, vocab.EndIdle)
		return false
	}
	if at > w.p.Horizon {
		w.end(w.p.Horizon, vocab.EndHorizon)
		return false
	}
	if !w.budgetLeft() {
		return false
	}
	switch from {
	case fromScript:
		w.now = at
		w.next++
		w.scriptLeft--
		w.script(&w.sc.Script[w.next-1])
	case fromWindow:
		w.now = at
		w.windowEdge()
	default:
		w.event()
	}
	return !w.endIfSettled()
}

// endIfSettled ends the trial if no scripted action is left and every
// call has settled (not while held), and reports whether it did.
func (w *World) endIfSettled() bool {
	if w.scriptLeft == 0 && !w.held && w.settled() {
		w.end(w.now, vocab.EndSettled)
		return true
	}
	return false
}

// event runs the next queued event.
func (w *World) event() {
	e := w.q.pop()
	w.now = e.at
	switch e.kind {
	case evTimer:
		c := w.clients[e.dev]
		if c.TimerLive(e.timer, e.gen) {
			if w.p.Detail {
				w.rec(trace.Record{Kind: trace.KTimer, Dev: int32(e.dev), Op: vocab.TimerFire, Timer: e.timer.Word()})
			}
			w.step(e.dev, &fsm.Input{Kind: fsm.InTimer, Timer: e.timer, Gen: e.gen, Call: e.call})
		}
	case evToServer:
		w.toServer(e)
	case evMsgRate, evPush, evPullTimer, evExpire:
		w.msgEvent(e)
	case evIdle:
		w.devs[e.dev].idleArmed = false
		w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
		next, live := w.srvMut().Idle(w.now, e.dev, &w.so)
		w.serverOut()
		if live {
			w.armIdle(e.dev, next)
		}
	case evToClient:
		if !w.deliverable(e) {
			w.msgRec(vocab.MsgDrop, e.dev, &e.msg, vocab.DropStale)
			break
		}
		w.msgRec(vocab.MsgDeliver, e.dev, &e.msg, vocab.None)
		if w.msg.on && w.msgRecv(e.dev, e.msg) {
			break
		}
		w.step(e.dev, &fsm.Input{Kind: fsm.InRecv, Msg: e.msg})
	}
}

// settled reports whether every Connect call has had its end: no client
// has a call pending and the app waits on no call. Under the ignore-timeout
// quirk the app stays up until the horizon: never settled.
func (w *World) settled() bool {
	return len(w.open) == 0 && w.settledRest()
}

// settledRest is settled with no open call: settled is inlined, and its
// first test alone decides it while a call is open.
func (w *World) settledRest() bool {
	if w.p.Client.Quirks.Has(fsm.QuirkIgnoreTimeout) || w.msgBusy() {
		return false
	}
	for _, c := range w.clients {
		if c.Pending() || c.OpeningDB() {
			return false
		}
	}
	return true
}

// devState is a device's state in the world around its core, of the
// current trial (begin clears it).
type devState struct {
	// on is the listed server the device's last session opened on (the
	// auth's Msg.N); meaningful while it holds a live session (anatomy).
	on int32
	// idleArmed: an evIdle check of the device is in the queue (at most
	// one per device; see server.Server.Idle).
	idleArmed bool
}

// openCall is a Connect call the app still waits on.
type openCall struct {
	call int32
	dev  int16
}

// closeCalls drops from w.open call number call, or with call 0 (no
// call's number: they count from 1) every call of device dev.
func (w *World) closeCalls(dev int16, call int32) {
	k := 0
	for _, o := range w.open {
		if o.call != call && (call != 0 || o.dev != dev) {
			w.open[k] = o
			k++
		}
	}
	w.open = w.open[:k]
}

func (w *World) end(t time.Duration, reason vocab.Word) {
	w.now = t
	w.done = true
	w.res.End = t
	if w.p.Client.Quirks.Has(fsm.QuirkIgnoreTimeout) {
		w.res.Offline, w.res.offlineDev = w.strandedDevice()
	}
	if w.res.Outcome == 0 {
		w.res.Outcome = OutcomeUnfinished
		if w.res.FirstCall == 0 {
			w.res.Outcome = OutcomeNoConnect
		}
	}
	w.res.NetSent, w.res.NetLost, w.res.NetBursts = w.net.Counts()
	w.newRec(trace.KEnd, -1).Reason = reason
}

// Run runs trial number trial to its end and returns its result. The trace
// is left in w.Recs.
func (w *World) Run(seed uint64, trial int) Result {
	w.run(seed, trial)
	return w.res
}

// run is Run's work: its result stays in w.res (the checked trials copy
// it once, into their outcomes).
func (w *World) run(seed uint64, trial int) {
	w.begin(seed, trial, true)
	w.startOpening()
	for w.next < len(w.sc.Script) || w.an.edge < len(w.edges) {
		if !w.Step() {
			return
		}
	}
	w.drain()
}

// drain runs the trial to its end as `for w.Step() {}` does, once no
// scripted action and no window's edge is left (and not held: Run's
// trials never are). Then the next event is always the queue's, and
// Step's choice of it (nextAt) and its test of the script (endIfSettled)
// are done once here, not per event.
func (w *World) drain() {
	for !w.done {
		if w.q.n == 0 {
			w.end(w.now, vocab.EndIdle)
			return
		}
		if w.q.peekAt() > w.p.Horizon {
			w.end(w.p.Horizon, vocab.EndHorizon)
			return
		}
		if !w.budgetLeft() {
			return
		}
		w.event()
		if w.settled() {
			w.end(w.now, vocab.EndSettled)
			return
		}
	}
}

// Result returns the current trial's result (final once Step returned false).
func (w *World) Result() Result { return w.res }

func (w *World) rec(r trace.Record) {
	r.T = w.now
	w.Recs = append(w.Recs, r)
}

// newRec appends a record of kind k of device dev at the current time and
// returns it for the caller to fill in, field by field: a trial's common
// records are built in place, which saves copying them (see queue.add).
func (w *World) newRec(k trace.Kind, dev int32) *trace.Record {
	w.Recs = append(w.Recs, trace.Record{})
	r := &w.Recs[len(w.Recs)-1]
	r.T, r.Kind, r.Dev = w.now, k, dev
	return r
}

func (w *World) msgRec(op vocab.Word, dev int16, m *fsm.Msg, reason vocab.Word) {
	if w.p.Detail {
		w.rec(trace.Record{Kind: trace.KMsg, Dev: int32(dev), Op: op, Msg: m.Kind.Word(), Seq: m.Seq, Code: m.Code, Reason: reason})
	}
}

// step feeds one input to device dev's core and carries out its effects.
func (w *World) step(dev int16, in *fsm.Input) { w.effects(dev, in, nil) }

// effects carries out the effects of a step of device dev's core: with
// in, the core's step on input in (step); else effs, a step's effects
// the opening recorded.
func (w *World) effects(dev int16, in *fsm.Input, effs []fsm.Effect) {
	c := w.clients[dev]
	if in != nil {
		effs = c.StepRef(w.now, in)
		if zoo.Enabled {
			effs = tamper.Effects(effs) // the bug zoo's mutants of the core's output
		}
	}
	for i := range effs {
		e := &effs[i]
		switch e.Kind {
		case fsm.EffTimer:
			at := e.At
			if at < w.now { // a wrapped now+d in the core: saturate (see addTime)
				at = maxTime
			}
			ev := w.q.add(at)
			ev.kind, ev.dev, ev.timer, ev.gen, ev.call = evTimer, dev, e.Timer, e.Gen, e.Call
			if w.p.Detail {
				w.rec(trace.Record{Kind: trace.KTimer, Dev: int32(dev), Op: vocab.TimerSet, Timer: e.Timer.Word(), At: e.At})
			}
		case fsm.EffSend:
			w.send(dev, &e.Msg, evToServer)
		// A timer or a send has no record of its own (trace.FromEffect);
		// every other effect's record comes before what the world does
		// about it.
		case fsm.EffCallback:
			w.Recs = trace.AppendEffect(w.Recs, w.now, int32(dev), e, c.NumListeners())
			w.res.callback(w.now, e)
			if e.Name != vocab.CbDatabaseOpened && e.Call != 0 { // no open call has number 0
				w.closeCalls(dev, e.Call)
			}
		case fsm.EffStatus:
			w.Recs = trace.AppendEffect(w.Recs, w.now, int32(dev), e, c.NumListeners())
			if w.msg.on {
				w.msgStatus(dev, e)
			}
		case fsm.EffAttempt:
			w.Recs = trace.AppendEffect(w.Recs, w.now, int32(dev), e, c.NumListeners())
			if e.Phase == vocab.PhaseStart {
				w.res.Attempts++
			}
		default:
			w.Recs = trace.AppendEffect(w.Recs, w.now, int32(dev), e, c.NumListeners())
		}
	}
}

// send puts m on the network from or to device dev.
func (w *World) send(dev int16, m *fsm.Msg, k evKind) {
	if w.p.Net.Transport == netmodel.TransportTCP {
		w.sendTCP(dev, m, k)
		return
	}
	v, delay, epoch := w.net.Send(w.stream(), int(dev), dir(k))
	if v != netmodel.Pass {
		reason := vocab.EnvLoss
		if v == netmodel.DropOffline {
			reason = vocab.DropOffline
		}
		w.msgRec(vocab.MsgDrop, dev, m, reason)
		return
	}
	w.msgRec(vocab.MsgSend, dev, m, vocab.None)
	if pullLag != 0 && m.Kind == fsm.MsgPull {
		delay += pullLag // a broken world, for the validity test only
	}
	ev := w.q.add(addTime(w.now, delay))
	ev.kind, ev.dev, ev.epoch = k, dev, epoch
	ev.msg = *m // its own statement: in the tuple above, *m went through a copy on the stack
}

func (w *World) toServer(e *event) {
	if !w.deliverable(e) {
		w.msgRec(vocab.MsgDrop, e.dev, &e.msg, vocab.DropStale)
		return
	}
	w.msgRec(vocab.MsgDeliver, e.dev, &e.msg, vocab.None)
	if e.msg.Kind.Step() {
		w.stepServe(&e.msg)
		return
	}
	unavailable := e.msg.Kind == fsm.MsgAuth && (w.serverDown(e.msg.N) || w.net.Unavailable(w.stream()))
	w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
	w.srvMut().Handle(w.now, e.msg, unavailable, &w.so)
	if e.msg.Kind == fsm.MsgAuth {
		w.sessionOn(e.msg)
	}
	if e.msg.Kind == fsm.MsgPull && w.msg.on {
		w.msgServe(e.msg)
	}
	w.serverOut()
}

// serverOut records the server's session changes and sends its replies.
func (w *World) serverOut() {
	for i := range w.so.Sessions {
		s := &w.so.Sessions[i]
		op := vocab.SessClose
		if s.Open {
			op = vocab.SessOpen
		}
		r := w.newRec(trace.KSession, int32(s.Dev))
		r.Op, r.User, r.Platform, r.Seq, r.Reason, r.Push = op, s.User, s.Platform.Word(), s.Seq, s.Reason.Word(), s.Push
		if s.Open && !w.devs[s.Dev].idleArmed {
			if at, ok := w.srv.IdleAt(s.Dev); ok {
				w.armIdle(s.Dev, at)
			}
		}
	}
	if zoo.Is(zoo.MapOrder) { // bug zoo (P11): replies in map order
		byIdx := map[int]fsm.Msg{}
		for i, m := range w.so.Replies {
			byIdx[i] = m
		}
		for _, m := range byIdx {
			w.send(m.Dev, &m, evToClient)
		}
		return
	}
	for i := range w.so.Replies {
		m := &w.so.Replies[i]
		w.send(m.Dev, m, evToClient)
	}
}

// srvMut returns the trial's server for a call that may change it. Only
// NaviCheck, Live, IdleAt and reading Devices leave it as it was.
func (w *World) srvMut() *server.Server {
	w.srvUsed = true
	return &w.srv
}

// armIdle queues the server's liveness check of device dev at at.
func (w *World) armIdle(dev int16, at time.Duration) {
	w.devs[dev].idleArmed = true
	w.q.push(event{at: at, kind: evIdle, dev: dev})
}
