package explore

import (
	"strconv"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// The abstract world of the exhaustive exploration (Run): one client
// core, a tiny abstract IM server holding the device's session, and a
// network that is only a bag of messages in flight. Time and probabilities
// are gone: any message in flight may be delivered or lost next, any live
// timer may fire next, and the server's verdict on an attempt is a choice.

// moveKind names an abstract input.
type moveKind uint8

const (
	mvInit         moveKind = iota + 1 // the app calls Init
	mvConnectLimit                     // the app calls Connect with a time limit
	mvConnect                          // the app calls Connect without a limit
	mvDisconnect                       // the app calls Disconnect(true)
	mvLogout                           // the app calls Logout()
	mvNetOff                           // the device loses its network
	mvNetOn                            // the network comes back
	mvNetChange                        // the network type changes
	mvForeground                       // the app returns to the foreground
	mvIPC                              // the SDK's process link breaks
	mvKick                             // another device of the user logs in: the live session is kicked
	mvBlock                            // the user is blocked: the live session is closed
	mvIdle                             // the server's liveness check closes the live session (idle)
	mvDeliver                          // message idx arrives (an Auth with verdict)
	mvLose                             // message idx is lost
	mvFire                             // the live timer of kind timer fires
	mvFireDB                           // the database timer db[idx] fires
	mvNaviExpire                       // time passes: the navigation answer the client holds expires (attempt full)
	mvServerDown                       // the listed server holding the live session goes down: the session is dropped (attempt full)
	mvBackground                       // the app goes to the background (a profile whose SDK disconnects there: ios)
)

// move is one abstract input.
type move struct {
	kind    moveKind
	idx     int
	verdict fsm.Code // the server's answer to a delivered Auth, navigation request or socket round
	timer   fsm.TimerKind
}

// verdicts are the server's possible answers to an Auth: OK, unavailable
// (transient), every terminal code the server gives, and the
// reconnection-kick policy's refusal (for automatic reconnections only).
var verdicts = []fsm.Code{
	fsm.OK, fsm.ReplyUnavailable, fsm.ConnIDReject, fsm.ConnTokenIncorrect,
	fsm.ConnNotAuthorized, fsm.ConnAppBlockedOrDeleted, fsm.ConnUserBlocked,
	fsm.ConnTokenExpire, fsm.ConnProxyUnavailable, fsm.ReplyKicked,
}

// naviVerdicts and openVerdicts are the world's possible answers to an
// attempt's steps before its auth (attempt full, sim's World.stepServe):
// the navigation service answers a request, is down (HTTP error), or
// refuses the token (server.Server.NaviCheck: 31004); a listed server
// accepts a socket round, or refuses it (down). Time is abstract, so a
// service's or server's availability is a choice per message: an outage
// that starts and ends between any two moves is one of these sequences
// of choices. (A server going down also drops the session it holds:
// mvServerDown.)
var (
	naviVerdicts = []fsm.Code{fsm.OK, fsm.ReplyUnavailable, fsm.ConnTokenIncorrect}
	openVerdicts = []fsm.Code{fsm.OK, fsm.ReplyUnavailable}
)

// label names m for a path listing, e.g. "deliver auth seq 2 -> 31004".
func (m move) label(w *world) string {
	switch m.kind {
	case mvInit:
		return "init"
	case mvConnectLimit:
		return "connect (time limit)"
	case mvConnect:
		return "connect (no limit)"
	case mvDisconnect:
		return "disconnect"
	case mvLogout:
		return "logout"
	case mvNetOff:
		return "net_off"
	case mvNetOn:
		return "net_on"
	case mvNetChange:
		return "net_change"
	case mvForeground:
		return "foreground"
	case mvBackground:
		return "background"
	case mvIPC:
		return "ipc_disconnect"
	case mvKick:
		return "server: another device kicks the session"
	case mvBlock:
		return "server: user blocked"
	case mvIdle:
		return "server: idle timeout closes the session"
	case mvServerDown:
		return "server: listed server " + strconv.Itoa(int(w.on)) + " goes down, dropping the session"
	case mvDeliver, mvLose:
		msg := w.msgs[m.idx]
		s := "lose "
		if m.kind == mvDeliver {
			s = "deliver "
		}
		s += msg.Kind.String() + " seq " + strconv.FormatUint(uint64(msg.Seq), 10)
		switch {
		case msg.Kind == fsm.MsgOpen || msg.Kind == fsm.MsgOpenAck:
			s += " server " + strconv.Itoa(int(msg.N)) + " round " + strconv.FormatUint(uint64(msg.ID), 10)
		case msg.Kind == fsm.MsgNaviReply && msg.Code == fsm.OK:
			s += " (" + strconv.Itoa(int(msg.N)) + " servers)"
		}
		switch {
		case m.kind != mvDeliver:
		case msg.Kind == fsm.MsgAuth:
			s += " -> " + verdictName(m.verdict)
		case msg.Kind == fsm.MsgNavi && m.verdict == fsm.ReplyUnavailable:
			s += " -> unavailable (navigation down)"
		case msg.Kind == fsm.MsgNavi && m.verdict != fsm.OK:
			s += " -> " + verdictName(m.verdict) + " (token refused)"
		case msg.Kind == fsm.MsgOpen && m.verdict != fsm.OK:
			s += " -> refused (server down)"
		case msg.Kind.Step() && msg.Kind.ToServer():
			s += " -> ok"
		}
		return s
	case mvFire:
		return "fire timer " + m.timer.String()
	case mvFireDB:
		return "fire timer db_open of call " + strconv.Itoa(int(w.db[m.idx]))
	case mvNaviExpire:
		return "time passes: the cached navigation answer expires"
	}
	return "?"
}

func verdictName(c fsm.Code) string {
	switch c {
	case fsm.OK:
		return "ok"
	case fsm.ReplyUnavailable:
		return "unavailable"
	case fsm.ReplyKicked:
		return "kicked (reconnection-kick policy)"
	}
	return strconv.Itoa(int(c))
}

// world is one abstract state. Worlds are reused per search depth:
// copyFrom copies without allocating once warm.
type world struct {
	c        *fsm.Client
	netUp    bool
	gens     [16]uint32     // by fsm.TimerKind: generation of the last set (0: never set)
	db       []int32        // calls whose database timer has not fired
	msgs     []fsm.Msg      // in flight, both directions
	srv      server.Session // the server's memory of the one device (package server's rules)
	mon      monitor
	nextCall int32
	limited  bool          // the current call has a time limit
	t        time.Duration // abstract time: one second per move
	last     moveKind      // the move that led here
	full     bool          // the core's attempts are the anatomy's (fsm.AttemptFull)
	an       anatomy       // the world's memory of the anatomy (attempt full)
	on       int32         // the listed server the live session is on (the auth's Msg.N)
	called   bool          // the app has called Connect

	// The configuration's anatomy (fsm.Config): the servers a navigation
	// answer lists, the cache's TTL, a returning device, a profile whose
	// sockets follow the server that accepted last; the profile (never
	// nil: fsm.Profile.Or); an SDK that disconnects after a while in the
	// background (BgDisconnectAfter > 0: the app may go there).
	servers                    int32
	naviTTL                    time.Duration
	returning, sticky, bgStops bool
	prof                       *fsm.Profile

	tamper func([]fsm.Effect) []fsm.Effect // tests: corrupt the core's effects
	new    []trace.Record                  // the records of the last move
}

// timers are the core's timers whose firing is a move (TimerDB has one
// per call: mvFireDB). TimerBgDisconnect is live only in a profile
// whose SDK disconnects in the background (mvBackground).
var timers = []fsm.TimerKind{fsm.TimerLimit, fsm.TimerAttempt, fsm.TimerRetry, fsm.TimerPing, fsm.TimerPong, fsm.TimerNavi, fsm.TimerBgDisconnect}

func newWorld(cfg fsm.Config) *world {
	c := fsm.NewClient(cfg, 0)
	// Time is abstract here (any live timer may fire next), so a gap's
	// length never matters: a jittered policy gets a constant draw, and
	// the search is the same for every policy.
	c.SetRand(midDraw{})
	// A returning device holds the stored token from its first Connect
	// on; the explorer's calls all have one token (0), so from the start.
	return &world{c: c, netUp: true, mon: monitor{status: fsm.Unconnected, stored: cfg.Returning},
		full: cfg.Attempt == fsm.AttemptFull, servers: int32(cfg.Servers), naviTTL: cfg.NaviTTL,
		returning: cfg.Returning, sticky: cfg.Profile.Or().StickyServer, prof: cfg.Profile.Or(), bgStops: cfg.BgDisconnectAfter > 0}
}

// midDraw is the explorer's uniform source: always 0.5.
type midDraw struct{}

func (midDraw) Float64() float64 { return 0.5 }

func (w *world) copyFrom(src *world) {
	c, db, msgs, calls, nr := w.c, w.db[:0], w.msgs[:0], w.mon.calls[:0], w.new[:0]
	*w = *src
	w.c = c
	w.c.CopyFrom(src.c)
	w.db = append(db, src.db...)
	w.msgs = append(msgs, src.msgs...)
	w.mon.calls = append(calls, src.mon.calls...)
	w.new = nr
}

// moves appends every abstract input possible in w to buf.
func (w *world) moves(buf []move) []move {
	for _, k := range []moveKind{mvInit, mvConnectLimit, mvConnect, mvDisconnect, mvLogout} {
		if k == mvConnectLimit && !w.prof.TimeLimit {
			continue // the profile's connect takes no time limit (web)
		}
		buf = append(buf, move{kind: k})
	}
	if w.netUp {
		buf = append(buf, move{kind: mvNetOff}, move{kind: mvNetChange})
	} else {
		buf = append(buf, move{kind: mvNetOn})
	}
	buf = append(buf, move{kind: mvForeground}, move{kind: mvIPC})
	if w.bgStops && w.c.Snapshot().Foreground {
		buf = append(buf, move{kind: mvBackground})
	}
	if _, live := w.srv.Live(); live {
		buf = append(buf, move{kind: mvKick}, move{kind: mvBlock}, move{kind: mvIdle})
		if w.full {
			buf = append(buf, move{kind: mvServerDown})
		}
	}
	for i, m := range w.msgs {
		if m.Kind.Step() && m.Kind.ToServer() {
			vs := openVerdicts
			if m.Kind == fsm.MsgNavi {
				vs = naviVerdicts
			}
			for _, v := range vs {
				buf = append(buf, move{kind: mvDeliver, idx: i, verdict: v})
			}
		} else if m.Kind == fsm.MsgAuth && !w.srv.Stale(m.Seq) {
			for _, v := range verdicts {
				if _, live := w.srv.Live(); v == fsm.ReplyKicked && (!m.Auto || live) {
					continue // the policy refuses only automatic reconnections, while another device holds the slot
				}
				buf = append(buf, move{kind: mvDeliver, idx: i, verdict: v})
			}
		} else {
			buf = append(buf, move{kind: mvDeliver, idx: i})
		}
		buf = append(buf, move{kind: mvLose, idx: i})
	}
	for _, k := range timers {
		if w.live(k) {
			buf = append(buf, move{kind: mvFire, timer: k})
		}
	}
	for i := range w.db {
		buf = append(buf, move{kind: mvFireDB, idx: i})
	}
	if w.naviFresh() || w.an.fresh(w.t) {
		buf = append(buf, move{kind: mvNaviExpire})
	}
	return buf
}

// apply carries out move m, appending its records to recs (and to w.new).
func (w *world) apply(m move, recs []trace.Record) []trace.Record {
	w.t += time.Second
	w.last = m.kind
	w.new = w.new[:0]
	w.an.badID, w.an.bad, w.an.naviSeq, w.an.firstStep = "", "", 0, false
	switch m.kind {
	case mvInit:
		w.rec(trace.Record{Kind: trace.KCall, Op: vocab.OpInit})
		w.step(fsm.Input{Kind: fsm.InInit})
	case mvConnectLimit, mvConnect:
		w.nextCall++
		var tl time.Duration
		if m.kind == mvConnectLimit {
			tl = 5 * time.Second
		}
		w.rec(trace.Record{Kind: trace.KCall, Op: vocab.OpConnect, Call: w.nextCall, TimeLimit: tl})
		w.anatomyConnect(!w.called)
		w.called = true
		w.step(fsm.Input{Kind: fsm.InConnect, Call: w.nextCall, TimeLimit: tl})
		if w.c.Snapshot().Call == w.nextCall {
			w.limited = tl > 0
		}
	case mvDisconnect, mvLogout:
		op, push := vocab.OpDisconnect, true
		if m.kind == mvLogout {
			op, push = vocab.OpLogout, false
		}
		w.rec(trace.Record{Kind: trace.KCall, Op: op, Push: push})
		w.step(fsm.Input{Kind: fsm.InDisconnect, Push: push})
	case mvNetOff:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvNetOff})
		w.netUp, w.msgs = false, w.msgs[:0]
		w.step(fsm.Input{Kind: fsm.InNetDown})
	case mvNetOn:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvNetOn})
		w.netUp = true
		w.step(fsm.Input{Kind: fsm.InNetUp})
	case mvNetChange:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvNetChange})
		w.msgs = w.msgs[:0]
		w.step(fsm.Input{Kind: fsm.InNetChange})
	case mvForeground:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvForeground})
		w.step(fsm.Input{Kind: fsm.InForeground})
	case mvBackground:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvBackground})
		w.step(fsm.Input{Kind: fsm.InBackground})
	case mvIPC:
		w.rec(trace.Record{Kind: trace.KEnv, Op: vocab.EnvIPCDisconnect})
		w.step(fsm.Input{Kind: fsm.InIPCDisconnect})
	case mvKick:
		w.pushClosed(vocab.CloseKicked, fsm.ClosedKicked)
	case mvBlock:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: vocab.SrvBlockUser})
		w.pushClosed(vocab.CloseBlocked, fsm.ClosedBlocked)
	case mvIdle:
		// Time is abstract: the server may find the session silent for
		// its idle timeout whenever it is live (server.Session.Idle).
		w.pushClosed(vocab.CloseIdle, fsm.ClosedGone)
	case mvServerDown:
		// A server that goes down loses its sessions (sim's
		// World.dropServer: server.Server.Drop); whether it refuses
		// sockets afterwards is each socket's own choice (openVerdicts).
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: vocab.SrvServerDown, Value: float64(w.on)})
		w.pushClosed(vocab.CloseDropped, fsm.ClosedGone)
	case mvDeliver:
		msg := w.take(m.idx)
		if msg.Kind.Step() && msg.Kind.ToServer() {
			w.stepServe(msg, m.verdict)
		} else if msg.Kind.ToServer() {
			w.serve(msg, m.verdict)
		} else {
			if msg.Kind == fsm.MsgNaviReply && msg.Code == fsm.OK {
				w.an.naviSeq = msg.Seq
			}
			w.step(fsm.Input{Kind: fsm.InRecv, Msg: msg})
		}
	case mvLose:
		w.take(m.idx)
	case mvFire:
		w.step(fsm.Input{Kind: fsm.InTimer, Timer: m.timer, Gen: w.gens[m.timer]})
	case mvNaviExpire:
		// The client's clock reads the world's (Step's now): jumping to
		// the answer's end expires it and nothing else, since every
		// timer's firing is a move whatever its duration.
		w.t = max(w.an.heldUntil, w.c.Snapshot().NaviUntil)
	case mvFireDB:
		call := w.db[m.idx]
		w.db = append(w.db[:m.idx], w.db[m.idx+1:]...)
		w.step(fsm.Input{Kind: fsm.InTimer, Timer: fsm.TimerDB, Call: call})
	}
	w.mon.observe(w.new)
	return append(recs, w.new...)
}

// take removes message i from the bag and returns it.
func (w *world) take(i int) fsm.Msg {
	m := w.msgs[i]
	w.msgs = append(w.msgs[:i], w.msgs[i+1:]...)
	return m
}

func (w *world) rec(r trace.Record) {
	r.T = w.t
	if r.Kind != trace.KServer {
		r.Dev = 0
	}
	w.new = append(w.new, r)
}

// send puts m in flight, or drops it when the device is offline.
func (w *world) send(m fsm.Msg) {
	if w.netUp {
		w.msgs = append(w.msgs, m)
	}
}

// step feeds one input to the core and carries out its effects, recording
// them as the simulator's World does.
func (w *world) step(in fsm.Input) {
	effs := w.c.Step(w.t, in)
	if w.tamper != nil {
		effs = w.tamper(effs)
	}
	for i := range effs {
		e := &effs[i]
		w.anatomyEffect(e)
		if r, ok := trace.FromEffect(0, e, int32(len(w.c.Listeners()))); ok {
			w.rec(r)
		}
		switch e.Kind {
		case fsm.EffTimer:
			if e.Timer == fsm.TimerDB {
				w.db = append(w.db, e.Call)
			} else {
				w.gens[e.Timer] = e.Gen
			}
		case fsm.EffSend:
			w.send(e.Msg)
		}
	}
}

// serve is the abstract server's handling of a client message; verdict is
// the chosen answer to an Auth that is not stale (the rules are package
// server's Session).
func (w *world) serve(m fsm.Msg, verdict fsm.Code) {
	s := &w.srv
	switch m.Kind {
	case fsm.MsgAuth:
		if s.Stale(m.Seq) {
			return
		}
		if verdict == fsm.OK {
			if old, replaced := s.Open(w.t, m.Seq); replaced {
				w.session(vocab.SessClose, old, vocab.CloseReplaced, false)
			}
			w.session(vocab.SessOpen, m.Seq, vocab.CloseNone, false)
			w.on = m.N
		}
		w.send(fsm.Msg{Kind: fsm.MsgAuthReply, Seq: m.Seq, Code: verdict})
	case fsm.MsgPing:
		w.send(s.Ping(m.Seq))
	case fsm.MsgClose:
		if seq, reason, ok := s.Close(m); ok {
			w.session(vocab.SessClose, seq, reason, m.Push)
		}
	}
}

// stepServe is the world's answer to a navigation request or a socket
// round (sim's World.stepServe, with the service's or server's
// availability a choice: verdict).
func (w *world) stepServe(m fsm.Msg, verdict fsm.Code) {
	switch m.Kind {
	case fsm.MsgNavi:
		r := fsm.Msg{Kind: fsm.MsgNaviReply, Seq: m.Seq, N: w.servers, Code: verdict}
		if verdict != fsm.OK {
			r.N = 0
		}
		w.send(r)
	case fsm.MsgOpen:
		w.send(fsm.Msg{Kind: fsm.MsgOpenAck, Seq: m.Seq, N: m.N, ID: m.ID, Code: verdict})
	}
}

// naviFresh reports whether the client holds a navigation answer that is
// still fresh at the world's time (attempt full).
func (w *world) naviFresh() bool {
	if !w.full {
		return false
	}
	s := w.c.Snapshot()
	return s.NaviHeld && w.t < s.NaviUntil
}

// pushClosed closes the live session for reason and tells the device why.
func (w *world) pushClosed(reason vocab.Close, code fsm.Code) {
	seq := w.srv.End(reason)
	w.session(vocab.SessClose, seq, reason, false)
	w.send(fsm.Msg{Kind: fsm.MsgClosed, Seq: seq, Code: code})
}

func (w *world) session(op vocab.Word, seq uint32, reason vocab.Close, push bool) {
	w.rec(trace.Record{Kind: trace.KSession, Op: op, User: 0, Platform: server.Mobile.Word(), Seq: seq, Reason: reason.Word(), Push: push})
}
