package storm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/prefetch"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// phase is what a client is doing, as the time series counts it.
type phase uint8

const (
	phIdle       phase = iota // not logged in yet, or stopped (TIMEOUT, a terminal error)
	phConnecting              // an attempt is in flight
	phWaiting                 // waiting for its next attempt
	phOffline                 // NETWORK_UNAVAILABLE
	phConnected               // CONNECTED
	numPhases
)

// never marks a time that has not happened.
const never = time.Duration(-1)

// ErrBudget is returned when a storm needs more events than its budget.
var ErrBudget = errors.New("storm: event budget exceeded")

// world is one storm: one goroutine, one RNG, one queue.
type world struct {
	p   Params
	ns  netmodel.Stream // the run's stream; rng is ns.R
	rng *rand.Rand
	q   *calendar
	net netmodel.Shared // every client's link but its own state (client.link, client.epoch)
	srv *frontEnd
	now time.Duration

	cl  []client
	drv fsm.Driver // every client's uniform source (the run's stream) and effect buffer

	count    [numPhases]int
	since    time.Duration // the outage's end, or 0
	naviDown bool          // a navi outage is on: the navigation service refuses requests

	st     Stats
	series *series
	recs   []trace.Record // the traced client's records
	budget int64
	proj   projection

	mon        *properties.Monitor // every trace property of the catalogue, on every client's records
	violations []properties.Violation

	msg *msgLayer // messages (messages.go); nil: --msg-rate 0

	codes codeTable // the codes the queued messages carry
}

// client is one client of the storm: its core, its link and what the
// storm and the server keep of it, side by side, so that an event finds
// them in one place in memory rather than in one array each.
type client struct {
	core fsm.Client
	// conn is -1-loginAt until its first onSuccess, loginAt being when it
	// calls Connect (>= 0), and that onSuccess's time less loginAt from
	// then on (>= 0): one field for the two times.
	conn time.Duration
	upAt time.Duration  // its first CONNECTED at or after the outage's end (0 without outage), or never
	sess server.Session // the server's memory of it
	// attTimer is its attempt timer's event in the calendar, 0: none
	// known. Invariant: between steps, the timer of attTimer != 0 is live
	// (its generation is the core's TimerGen(fsm.TimerAttempt)).
	attTimer handle
	epoch    uint8         // its link's epoch: incremented on every down and up (netmodel.Link.Epoch; at most 2, see epochShift)
	link     netmodel.Bits // its link's state but the epoch (w.net)
	st       uint8         // its phase (stPhase), stInFlight, stIdle
}

// The bits of client.st.
const (
	stPhase    = 1<<3 - 1 // its phase
	stInFlight = 1 << 3   // its latest attempt (core.AttemptSeq) is in flight
	stIdle     = 1 << 4   // an evIdle check of its session is in the calendar
)

func (c *client) phase() phase   { return phase(c.st & stPhase) }
func (c *client) inFlight() bool { return c.st&stInFlight != 0 }
func (c *client) set(bit uint8, on bool) {
	c.st &^= bit
	if on {
		c.st |= bit
	}
}

func newWorld(p Params) *world {
	n := p.Clients
	w := &world{
		p:      p,
		ns:     netmodel.NewStream(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15)),
		q:      newCalendar(),
		cl:     make([]client, n),
		budget: int64(p.MaxEvents),
		proj:   projection{next: projectFirst},
		mon:    properties.NewMonitor(properties.ConfigFor(p.Model, model.Scenario{})),
	}
	w.rng = w.ns.R
	w.srv = newServer(&w.p) // the server reads the world's own copy of p
	w.mon.Reserve(n, n)
	w.net.Reset(&w.p.Model.Net)
	w.series = newSeries(p.Bin, p.Model.Horizon, p.Workers)
	w.count[phIdle] = n
	if p.outage() {
		w.since = p.OutageTo
	}
	for i := range n {
		c := &w.cl[i]
		c.core.Share(&w.drv)  // one Driver for all: a client steps only in w.step, in its buffer
		c.core.SetRand(w.rng) // a jittered policy draws from the run's stream
		c.core.Reset(&w.p.Model.Client, 0)
		c.upAt = never
		at := time.Duration(0)
		if p.LoginSpread > 0 {
			at = time.Duration(w.rng.Int64N(int64(p.LoginSpread)))
		}
		c.conn = -1 - at
		w.q.push(event{at: at, kind: evLogin, cl: int32(i)})
	}
	if p.outage() {
		w.q.push(event{at: p.OutageFrom, kind: evOutage})
		w.q.push(event{at: p.OutageTo, kind: evRestore})
	}
	w.msg = newMsgLayer(w)
	return w
}

// run runs the storm to its horizon.
func (w *world) run() error {
	for {
		if next, ok := w.q.peek(); !ok || next.at > w.p.Model.Horizon {
			break
		}
		if w.st.Events >= w.budget {
			return fmt.Errorf("%w: more than %d events by t=%v (raise --max-events)", ErrBudget, w.budget, w.now)
		}
		if w.st.Events >= w.proj.next {
			if err := w.project(); err != nil {
				return err
			}
		}
		e := w.q.pop()
		if a, ok := w.q.ahead(prefetchAhead); ok && a.cl >= 0 && int(a.cl) < len(w.cl) {
			w.prefetch(a.cl)
		}
		w.series.advance(e.at, w)
		w.now = e.at
		w.st.Events++
		w.handle(&e)
		if err := w.monErr(); err != nil {
			return err
		}
	}
	w.series.advance(w.p.Model.Horizon, w)
	w.series.finish(w)
	w.now = w.p.Model.Horizon
	w.emit(-1, trace.Record{Kind: trace.KEnd, Reason: vocab.EndHorizon})
	if err := w.monErr(); err != nil {
		return err
	}
	w.violations = w.mon.Finish()
	return nil
}

// monErr is the storm's error once its records are more than the
// property monitor checks (properties.MaxRecords), else nil.
func (w *world) monErr() error {
	if err := w.mon.Err(); err != nil {
		return fmt.Errorf("storm: %w by t=%v (fewer --clients or a shorter --horizon)", err, w.now)
	}
	return nil
}

// projection is the state of the budget's early check: at each power of
// two of the event count from projectFirst on, the rate of events since
// the previous check, extrapolated to the horizon, must fit in
// projectMargin budgets. Only rates measured wholly after the logins and
// the outage count: the herd's reconnection wave is the storm's peak, and
// the rate after it does not grow again. A storm that the budget would
// stop at its end anyway is stopped at once instead (the budget of the
// default storm, ten minutes of CPU, was spent before the refusal).
type projection struct {
	next   int64         // the event count of the next check
	events int64         // the count at the previous check
	at     time.Duration // its virtual time; 0: no previous check
}

const (
	projectFirst  = 1 << 20
	projectMargin = 4
)

// project checks that the storm is on course to finish within
// projectMargin budgets, and moves the check on.
func (w *world) project() error {
	pr := &w.proj
	warm := w.p.LoginSpread
	if w.p.outage() {
		warm = max(warm, w.p.OutageTo)
	}
	defer func() { pr.events, pr.at, pr.next = w.st.Events, w.now, 2*w.st.Events }()
	if pr.at <= warm || w.now <= pr.at {
		return nil
	}
	rate := float64(w.st.Events-pr.events) / float64(w.now-pr.at) // events per ns
	need := float64(w.st.Events) + rate*float64(w.p.Model.Horizon-w.now)
	if need > projectMargin*float64(w.budget) {
		return fmt.Errorf("%w: on course for about %.2g events by the horizon %v (%d by t=%v, at %.3g a second since t=%v), more than %d times --max-events %d (raise --max-events, shorten --horizon, or check --hb-interval and --hb-timeout)",
			ErrBudget, need, w.p.Model.Horizon, w.st.Events, w.now, rate*1e9, pr.at, projectMargin, w.budget)
	}
	return nil
}

// prefetchAhead is how many events ahead the storm prefetches a client's
// memory: far enough for the misses to overlap with the events between,
// near enough that the lines are still cached when used.
const prefetchAhead = 4

// prefetch asks for the memory an event of client cl reads: its client
// struct (its link's state included) and the monitor's state of it (see
// internal/prefetch).
func (w *world) prefetch(cl int32) {
	prefetch.Range(unsafe.Pointer(&w.cl[cl]), unsafe.Sizeof(client{}))
	w.mon.Prefetch(cl)
}

func (w *world) handle(e *event) {
	cl := e.cl
	switch e.kind {
	case evLogin:
		w.emit(cl, trace.Record{Kind: trace.KCall, Op: vocab.OpInit})
		w.step(cl, fsm.Input{Kind: fsm.InInit})
		w.emit(cl, trace.Record{Kind: trace.KCall, Op: vocab.OpConnect, Call: cl + 1, TimeLimit: w.p.Model.TimeLimit})
		w.step(cl, fsm.Input{Kind: fsm.InConnect, Call: cl + 1, TimeLimit: w.p.Model.TimeLimit})
	case evTimer:
		if w.cl[cl].core.TimerLive(e.timer(), e.gen) {
			w.step(cl, fsm.Input{Kind: fsm.InTimer, Timer: e.timer(), Gen: e.gen, Call: cl + 1})
		}
	case evToServer:
		if w.deliverable(cl, e.epoch()) {
			w.toServer(cl, w.unpack(e))
		}
	case evToClient:
		if w.deliverable(cl, e.epoch()) {
			m := w.unpack(e)
			if w.msg != nil && w.msgRecv(cl, m) {
				break
			}
			w.step(cl, fsm.Input{Kind: fsm.InRecv, Msg: m})
		}
	case evDone:
		w.done(e)
	case evOutage:
		w.outage(true)
	case evRestore:
		w.outage(false)
	case evIdle:
		w.idle(cl)
	case evMsg, evPush, evPullTimer, evExpire:
		w.msgEvent(e)
	}
}

// idle is the server's liveness check of client cl (server.Server.Idle's
// rule): a session silent for the idle timeout closes (idle) and the
// server closes the socket; a live one is checked again when it would
// fall idle. A restart already ended every session.
func (w *world) idle(cl int32) {
	c := &w.cl[cl]
	c.set(stIdle, false)
	if w.srv.down {
		return
	}
	timeout := w.p.Model.ServerIdleTimeout()
	if seq, closed := c.sess.Idle(w.now, timeout); closed {
		w.session(cl, vocab.SessClose, seq, vocab.CloseIdle)
		w.send(cl, fsm.Msg{Kind: fsm.MsgClosed, Seq: seq, Code: fsm.ClosedGone}, evToClient)
		return
	}
	w.armIdle(cl)
}

// armIdle queues client cl's liveness check for when its live session
// would fall idle, unless one is queued.
func (w *world) armIdle(cl int32) {
	c := &w.cl[cl]
	if c.st&stIdle != 0 {
		return
	}
	if at, ok := c.sess.IdleAt(w.p.Model.ServerIdleTimeout()); ok {
		c.set(stIdle, true)
		w.q.push(event{at: at, kind: evIdle, cl: cl})
	}
}

// step feeds one input to client cl's core and carries out its effects.
func (w *world) step(cl int32, in fsm.Input) {
	c := &w.cl[cl]
	attGen := c.core.TimerGen(fsm.TimerAttempt) // attTimer's timer's, if any (client.attTimer)
	effs := c.core.Step(w.now, in)              // into the shared Driver's buffer: no client has one
	c.core.Trim()                               // a client keeps no empty buffer of its own: a million of them
	for i := range effs {
		e := &effs[i]
		switch e.Kind {
		case fsm.EffTimer:
			h := w.q.push(event{at: e.At, kind: evTimer, cl: cl, sub: uint8(e.Timer), gen: e.Gen})
			if e.Timer == fsm.TimerAttempt {
				c.attTimer, attGen = h, e.Gen
			}
		case fsm.EffSend:
			w.send(cl, e.Msg, evToServer)
		case fsm.EffCallback:
			if e.Name == vocab.CbSuccess && c.conn < 0 {
				c.conn = w.now + 1 + c.conn // now less loginAt
			}
			if e.Name == vocab.CbError {
				w.st.Errors++
			}
		case fsm.EffStatus:
			if e.To == fsm.Connected && c.upAt == never && w.now >= w.since {
				c.upAt = w.now
			}
			if w.msg != nil {
				w.msgStatus(cl, e)
			}
		case fsm.EffAttempt:
			switch e.Phase {
			case vocab.PhaseStart:
				c.set(stInFlight, true)
				w.st.Attempts++
				w.series.cur.Attempts++
			case vocab.PhaseStep:
			default:
				c.set(stInFlight, false)
			}
		}
		w.effect(cl, e)
	}
	// An answered attempt cancels its timer: drop the timer's event now
	// rather than pop it seconds later only to ignore it (a fifth of a
	// storm's events, and a cache miss each).
	if c.attTimer != 0 && !c.core.TimerLive(fsm.TimerAttempt, attGen) {
		_ = w.q.kill(c.attTimer, cl, fsm.TimerAttempt, attGen) // false: already taken in, ignored when popped
		c.attTimer = 0
	}
	w.setPhase(cl)
}

// setPhase recomputes client cl's phase from its status and attempt.
func (w *world) setPhase(cl int32) {
	ph := phIdle
	c := &w.cl[cl]
	switch c.core.CurrentStatus() {
	case fsm.Connected:
		ph = phConnected
	case fsm.NetworkUnavailable:
		ph = phOffline
	case fsm.Connecting, fsm.Suspend:
		ph = phWaiting
		if c.inFlight() {
			ph = phConnecting
		}
	}
	if old := c.phase(); old != ph {
		w.count[old]--
		w.count[ph]++
		c.st = c.st&^stPhase | uint8(ph)
	}
}

// send puts m on client cl's link, toward the server (k == evToServer) or
// toward the client.
func (w *world) send(cl int32, m fsm.Msg, k evKind) {
	dir := netmodel.DirUp
	if k == evToClient {
		dir = netmodel.DirDown
	}
	c := &w.cl[cl]
	v, delay := w.net.Send(w.ns, &c.link, dir)
	if v != netmodel.Pass {
		return
	}
	w.q.push(w.pack(w.now+delay, k, cl, m, c.epoch))
}

// deliverable reports whether a message sent to or from client cl on
// epoch arrives now: its link is up and still on that epoch
// (netmodel.Net.Deliverable).
func (w *world) deliverable(cl int32, epoch uint8) bool {
	c := &w.cl[cl]
	return c.link&netmodel.BitDown == 0 && c.epoch == epoch
}

// toServer handles a message that reached the server.
func (w *world) toServer(cl int32, m fsm.Msg) {
	if m.Kind.Step() {
		w.stepServe(cl, m)
		return
	}
	s := w.srv
	d := &w.cl[cl].sess
	if s.down {
		if w.p.OutageKind == OutageServerSilent || m.Kind == fsm.MsgClose {
			if m.Kind == fsm.MsgAuth {
				w.st.DroppedOutage++
			}
			return
		}
		// The host answers with a reset: the attempt fails at once, and a
		// ping learns that its session is gone.
		switch m.Kind {
		case fsm.MsgAuth:
			w.st.RefusedOutage++
			w.series.cur.Refused++
			w.send(cl, fsm.Msg{Kind: fsm.MsgAuthReply, Seq: m.Seq, Code: fsm.ReplyUnavailable}, evToClient)
		case fsm.MsgPing:
			w.send(cl, fsm.Msg{Kind: fsm.MsgClosed, Seq: m.Seq, Code: fsm.ClosedGone}, evToClient)
		}
		return
	}
	d.Heard(w.now, m)
	switch m.Kind {
	case fsm.MsgAuth:
		if d.Stale(m.Seq) {
			return
		}
		switch {
		case !s.admit(w.now):
			w.st.RefusedRate++
		case s.busy < w.p.Workers:
			w.start(pending{cl: cl, seq: m.Seq, auto: m.Auto})
			return
		case s.enqueue(pending{cl: cl, seq: m.Seq, auto: m.Auto}):
			w.series.noteQueue(s.qLen)
			return
		default:
			w.st.RefusedQueue++
		}
		w.series.cur.Refused++
		w.send(cl, fsm.Msg{Kind: fsm.MsgAuthReply, Seq: m.Seq, Code: fsm.ReplyUnavailable}, evToClient)
	case fsm.MsgPing:
		r := d.Ping(m.Seq)
		if w.msg != nil && r.Kind == fsm.MsgPong {
			r.ID = w.msg.cl[cl].srv.Latest()
		}
		w.send(cl, r, evToClient)
	case fsm.MsgClose:
		if seq, reason, ok := d.Close(m); ok {
			if w.msg != nil {
				w.msg.cl[cl].srv.Closed(reason, m.Push)
			}
			w.session(cl, vocab.SessClose, seq, reason)
		}
	case fsm.MsgAck, fsm.MsgPull:
		w.msgServer(cl, m)
	}
}

// start gives an Auth a worker.
func (w *world) start(a pending) {
	s := w.srv
	w.series.busy(w.now, s.busy+1)
	s.busy++
	w.q.push(event{at: w.now + s.serviceTime(w.rng), kind: evDone, cl: a.cl, msq: a.seq, gen: s.gen, bits: boolFlag(a.auto)})
}

func boolFlag(auto bool) uint8 {
	if auto {
		return msgAuto
	}
	return 0
}

// done ends the handshake of e: the session opens (unless the client
// abandoned the attempt with a Close meanwhile) and the worker takes the
// next queued Auth.
func (w *world) done(e *event) {
	s := w.srv
	if e.gen != s.gen {
		return // lost in a restart
	}
	cl := e.cl
	w.st.Served++
	if c := &w.cl[cl]; !c.inFlight() || c.core.AttemptSeq() != e.msq {
		w.st.Wasted++
	}
	if d := &w.cl[cl].sess; !d.Stale(e.msq) {
		if old, replaced := d.Open(w.now, e.msq); replaced {
			w.session(cl, vocab.SessClose, old, vocab.CloseReplaced)
		}
		w.session(cl, vocab.SessOpen, e.msq, vocab.CloseNone)
		w.armIdle(cl)
		if w.msg != nil {
			w.msg.cl[cl].srv.Opened()
			w.msg.row(w.series).Opens++
		}
		w.send(cl, fsm.Msg{Kind: fsm.MsgAuthReply, Seq: e.msq, Code: fsm.OK}, evToClient)
	}
	w.series.busy(w.now, s.busy-1)
	s.busy--
	if s.qLen > 0 {
		w.start(s.dequeue())
		w.series.noteQueue(s.qLen)
	}
}

// outage starts (on) or ends the outage.
func (w *world) outage(on bool) {
	n := int32(w.p.Clients)
	switch w.p.OutageKind {
	case OutageServer, OutageServerSilent:
		s := w.srv
		if !on {
			s.down = false
			s.tokens, s.refilled = w.p.burst(), w.now
			return
		}
		// Sessions are pushed closed (a reset on each connection) before
		// the server forgets them, unless the host is gone.
		for cl := range n {
			if d := &w.cl[cl].sess; isLive(d) {
				seq := d.End(vocab.CloseRestart)
				w.session(cl, vocab.SessClose, seq, vocab.CloseRestart)
				if w.p.OutageKind == OutageServer {
					w.send(cl, fsm.Msg{Kind: fsm.MsgClosed, Seq: seq, Code: fsm.ClosedGone}, evToClient)
				}
			}
		}
		w.series.busy(w.now, 0)
		s.restart()
		s.down = true
		w.series.noteQueue(0)
	case OutageNavi:
		// The IM server and every session stay up: a client still
		// connected when the service returns has been up all along, and
		// is up at the outage's end (its time to connect after it is 0).
		w.naviDown = on
		for cl := range n {
			if c := &w.cl[cl]; !on && c.upAt == never && c.core.CurrentStatus() == fsm.Connected {
				c.upAt = w.now
			}
		}
	case OutageNetwork:
		for cl := range n {
			if on {
				w.emit(cl, trace.Record{Kind: trace.KEnv, Op: vocab.EnvNetOff})
				w.cl[cl].link |= netmodel.BitDown
				w.cl[cl].epoch++
				w.step(cl, fsm.Input{Kind: fsm.InNetDown})
			} else {
				w.emit(cl, trace.Record{Kind: trace.KEnv, Op: vocab.EnvNetOn})
				w.cl[cl].link &^= netmodel.BitDown
				w.cl[cl].epoch++
				w.step(cl, fsm.Input{Kind: fsm.InNetUp})
			}
		}
	}
}

// isLive reports whether session d is live.
func isLive(d *server.Session) bool { _, ok := d.Live(); return ok }
