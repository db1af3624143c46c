package fsm

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/vocab"
)

// The test harness: a client driven step by step with explicit virtual
// times. Every Step's effects are rendered as one line each, so a test reads
// as a timeline:
//
//	h.at(0, connectIn(1, 0)).want(
//		"timer db_open @20ms call=1",
//		"status UNCONNECTED->CONNECTING",
//		...)
//
// After every Step the harness checks the invariants that hold whatever the
// input: CurrentStatus equals the last status told, every status change is a
// published edge starting from the previous status (P7), attempts start and
// auths are sent only while CONNECTING, messages carry the device index,
// timers are not set in the past, and each call gets at most one terminal
// callback, its onDatabaseOpened at most once and before the terminal one,
// and nothing else if it was rejected (P1, P4, P9).

const (
	ms  = time.Millisecond
	sec = time.Second

	testDev int16 = 3
	testKey int32 = 5
	testTok int32 = 7
)

type harness struct {
	t      *testing.T
	c      *Client
	now    time.Duration
	status Status
	// timers holds the latest timer set of each kind; db the database
	// timer of each call.
	timers map[TimerKind]Effect
	db     map[int32]Effect
	// fired holds the generation of the last timer of each kind fed to
	// the client: a timer that has fired is spent even if still "live".
	fired map[TimerKind]uint32
	// calls records the callbacks each call has had, in order.
	calls map[int32][]vocab.Word
	// effects is every effect so far, rendered, for failure messages.
	log []string
	// The database rule, tracked apart from the core: tokens holds each
	// accepted call's token, after the calls whose database waits for
	// their onSuccess (a token other than the stored one), stored the
	// token of the last onSuccess (nil: none yet).
	tokens map[int32]int32
	after  map[int32]bool
	stored *int32
}

// newHarness is newHarnessCfg with the default configuration.
func newHarness(t *testing.T) *harness { return newHarnessCfg(t, DefaultConfig()) }

// newHarnessCfg returns a harness whose device has connected with testTok
// before (in an earlier app session): its token is stored, so every
// Connect with testTok opens the database first, at db-open (the database
// rule's returning user). newFreshHarness has no stored token.
func newHarnessCfg(t *testing.T, cfg Config) *harness {
	h := newFreshHarness(t, cfg)
	storeToken(h.c, testTok)
	tok := testTok
	h.stored = &tok
	return h
}

// newFreshHarness returns a harness of a device that never connected: a
// first connect opens the database only after its onSuccess.
func newFreshHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	return &harness{t: t, c: NewClient(cfg, testDev), status: Unconnected,
		timers: map[TimerKind]Effect{}, fired: map[TimerKind]uint32{}, db: map[int32]Effect{}, calls: map[int32][]vocab.Word{},
		tokens: map[int32]int32{}, after: map[int32]bool{}}
}

// storeToken makes c's device one that connected with tok before, as a
// successful connect in an earlier app session would.
func storeToken(c *Client, tok int32) {
	c.storedToken = tok
	c.put(markStored, true)
}

// Inputs.

func initIn() Input { return Input{Kind: InInit, AppKey: testKey} }
func connectIn(call int32, limit time.Duration) Input {
	return Input{Kind: InConnect, Call: call, Token: testTok, TimeLimit: limit}
}
func disconnectIn(push bool) Input { return Input{Kind: InDisconnect, Push: push} }
func recvIn(m Msg) Input           { m.Dev = testDev; return Input{Kind: InRecv, Msg: m} }
func replyIn(seq uint32, code Code) Input {
	return recvIn(Msg{Kind: MsgAuthReply, Seq: seq, Code: code})
}
func pongIn(seq uint32) Input               { return recvIn(Msg{Kind: MsgPong, Seq: seq}) }
func closedIn(seq uint32, code Code) Input  { return recvIn(Msg{Kind: MsgClosed, Seq: seq, Code: code}) }
func timerIn(e Effect) Input                { return Input{Kind: InTimer, Timer: e.Timer, Gen: e.Gen, Call: e.Call} }
func env(k InputKind) Input                 { return Input{Kind: k} }
func listenerIn(k InputKind, l int32) Input { return Input{Kind: k, Listener: l} }

// got is the rendered effects of one Step.
type got struct {
	h     *harness
	where string
	lines []string
	effs  []Effect
}

// want fails the test unless the step's effects are exactly lines.
func (g got) want(lines ...string) got {
	g.h.t.Helper()
	if !slices.Equal(g.lines, lines) {
		g.h.t.Errorf("%s:\n got: %s\nwant: %s", g.where, block(g.lines), block(lines))
	}
	return g
}

// none fails the test unless the step had no effect.
func (g got) none() { g.h.t.Helper(); g.want() }

func block(lines []string) string {
	if len(lines) == 0 {
		return "(nothing)"
	}
	return "\n\t" + strings.Join(lines, "\n\t")
}

// at feeds in at virtual time now.
func (h *harness) at(now time.Duration, in Input) got {
	h.t.Helper()
	if now < h.now {
		h.t.Fatalf("test bug: time goes back from %v to %v", h.now, now)
	}
	h.now = now
	if in.Kind == InTimer {
		h.fired[in.Timer] = in.Gen
	}
	h.log = append(h.log, fmt.Sprintf("%v > %s", now, describe(in)))
	if in.Kind == InConnect {
		h.tokens[in.Call] = in.Token
		h.after[in.Call] = h.stored == nil || *h.stored != in.Token
	}
	effs := slices.Clone(h.c.Step(now, in))
	g := got{h: h, where: fmt.Sprintf("%v %s", now, describe(in)), effs: effs}
	for _, e := range effs {
		line := render(e)
		g.lines = append(g.lines, line)
		h.log = append(h.log, fmt.Sprintf("%v   %s", now, line))
		h.check(g.where, in, e)
	}
	if h.c.CurrentStatus() != h.status {
		h.t.Errorf("%s: CurrentStatus() = %s but the last status effect says %s", g.where, h.c.CurrentStatus(), h.status)
	}
	return g
}

// fire fires the live timer of kind k, which must be due at when.
func (h *harness) fire(k TimerKind, when time.Duration) got {
	h.t.Helper()
	e, ok := h.timers[k]
	if !ok {
		h.t.Fatalf("%v: no %s timer was ever set", when, k)
	}
	if !h.c.TimerLive(k, e.Gen) {
		h.t.Fatalf("%v: the %s timer (set for %v) is not live", when, k, e.At)
	}
	if e.At != when {
		h.t.Fatalf("the %s timer is due at %v, the test fires it at %v", k, e.At, when)
	}
	return h.at(when, timerIn(e))
}

// fireDB fires the database timer of call, which must be due at when.
func (h *harness) fireDB(call int32, when time.Duration) got {
	h.t.Helper()
	e, ok := h.db[call]
	if !ok {
		h.t.Fatalf("%v: call %d has no database timer", when, call)
	}
	if e.At != when {
		h.t.Fatalf("the database timer of call %d is due at %v, the test fires it at %v", call, e.At, when)
	}
	return h.at(when, timerIn(e))
}

// timer returns the latest timer of kind k, to fire it later when stale.
func (h *harness) timer(k TimerKind) Effect {
	h.t.Helper()
	e, ok := h.timers[k]
	if !ok {
		h.t.Fatalf("no %s timer was ever set", k)
	}
	return e
}

// stale fires timer e at its due time and checks that the client ignores it.
func (h *harness) stale(e Effect) {
	h.t.Helper()
	if h.c.TimerLive(e.Timer, e.Gen) {
		h.t.Errorf("%v: the %s timer (gen %d) is still live", e.At, e.Timer, e.Gen)
	}
	if e.At < h.now {
		h.t.Fatalf("test bug: stale %s timer due at %v, now is %v", e.Timer, e.At, h.now)
	}
	h.at(e.At, timerIn(e)).none()
}

func (h *harness) wantStatus(s Status) {
	h.t.Helper()
	if h.c.CurrentStatus() != s {
		h.t.Errorf("%v: status %s, want %s", h.now, h.c.CurrentStatus(), s)
	}
}

func (h *harness) wantPending(p bool) {
	h.t.Helper()
	if h.c.Pending() != p {
		h.t.Errorf("%v: Pending() = %v, want %v", h.now, h.c.Pending(), p)
	}
}

// connected brings a fresh harness to CONNECTED on session 1 at 100ms:
// Init and Connect(call 1, no limit) at 0, database at 20ms, OK at 100ms.
// The ping timer is then due at 15.1s.
func (h *harness) connected() {
	h.t.Helper()
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.fireDB(1, 20*ms)
	h.at(100*ms, replyIn(1, OK))
	h.wantStatus(Connected)
	if h.t.Failed() {
		h.t.FailNow()
	}
}

// check checks one effect against the harness's running state and records
// timers and callbacks.
func (h *harness) check(where string, in Input, e Effect) {
	h.t.Helper()
	if r := residue(e); r != (Effect{Kind: e.Kind}) {
		h.t.Errorf("%s: effect %s carries unrendered fields %+v", where, render(e), r)
	}
	switch e.Kind {
	case EffStatus:
		if e.From != h.status {
			h.t.Errorf("%s: status change %s->%s, but the status was %s", where, e.From, e.To, h.status)
		}
		if _, ok := EdgeEvent(e.From, e.To); !ok {
			h.t.Errorf("%s: %s->%s is not a published edge", where, e.From, e.To)
		}
		h.status = e.To
	case EffTimer:
		if e.At < h.now {
			h.t.Errorf("%s: timer %s set in the past (%v)", where, e.Timer, e.At)
		}
		if e.Timer == TimerDB {
			if _, dup := h.db[e.Call]; dup {
				h.t.Errorf("%s: second database timer for call %d", where, e.Call)
			}
			h.db[e.Call] = e
		} else {
			h.timers[e.Timer] = e
		}
	case EffSend:
		if e.Msg.Dev != testDev {
			h.t.Errorf("%s: message %s from device %d, want %d", where, e.Msg.Kind, e.Msg.Dev, testDev)
		}
		if !e.Msg.Kind.ToServer() {
			h.t.Errorf("%s: client sends %s", where, e.Msg.Kind)
		}
		if e.Msg.Kind == MsgAuth && h.status != Connecting {
			h.t.Errorf("%s: auth sent in status %s", where, h.status)
		}
		if e.Msg.Kind == MsgPing && h.status != Connected {
			h.t.Errorf("%s: ping sent in status %s", where, h.status)
		}
	case EffAttempt:
		if e.Phase == vocab.PhaseStart && h.status != Connecting {
			h.t.Errorf("%s: attempt started in status %s", where, h.status)
		}
	case EffCallback:
		prev := h.calls[e.Call]
		h.calls[e.Call] = append(prev, e.Name)
		after := h.after[e.Call]
		switch {
		case e.Name == vocab.CbError && (e.Code == ClientNotInit || e.Code == ConnectionExist):
			if len(prev) != 0 || in.Kind != InConnect || in.Call != e.Call {
				h.t.Errorf("%s: misuse error %d for call %d (input call %d) after %v", where, e.Code, e.Call, in.Call, prev)
			}
		case e.Name == vocab.CbDatabaseOpened && after && !slices.Equal(prev, []vocab.Word{vocab.CbSuccess}):
			h.t.Errorf("%s: call %d with a new token gets onDatabaseOpened after %v, want after onSuccess alone (P4)", where, e.Call, prev)
		case e.Name == vocab.CbDatabaseOpened && after:
		case slices.Contains(prev, vocab.CbSuccess) || slices.Contains(prev, vocab.CbError):
			h.t.Errorf("%s: call %d gets %s after its terminal callback (%v) (P1)", where, e.Call, e.Name, prev)
		case e.Name == vocab.CbDatabaseOpened && len(prev) != 0:
			h.t.Errorf("%s: call %d gets a second onDatabaseOpened (P4)", where, e.Call)
		case e.Name != vocab.CbDatabaseOpened && len(prev) == 0 && !after:
			h.t.Errorf("%s: call %d gets %s before onDatabaseOpened (P4)", where, e.Call, e.Name)
		}
		if e.Name == vocab.CbDatabaseOpened && e.Code != OK && e.Code != DatabaseOpenError {
			h.t.Errorf("%s: onDatabaseOpened(%d)", where, e.Code)
		}
		if e.Name == vocab.CbSuccess {
			tok := h.tokens[e.Call]
			h.stored = &tok
		}
		if e.Name == vocab.CbSuccess && (e.Code != OK || h.status != Connected) {
			h.t.Errorf("%s: onSuccess(%d) in status %s", where, e.Code, h.status)
		}
		if e.Name == vocab.CbError && e.Code.Class() != ClassTerminal && e.Code.Class() != ClassMisuse {
			h.t.Errorf("%s: onError with %s code %d", where, e.Code.Class(), e.Code)
		}
	}
}

// render is the one-line form of an effect used by the timelines. It shows
// every field that matters for the effect's kind (residue checks the rest
// are zero), except timer generations, which the harness keeps for firing.
func render(e Effect) string {
	switch e.Kind {
	case EffTimer:
		s := fmt.Sprintf("timer %s @%v", e.Timer, e.At)
		if e.Timer == TimerDB {
			s += fmt.Sprintf(" call=%d", e.Call)
		}
		return s
	case EffSend:
		m := e.Msg
		s := fmt.Sprintf("send %s seq=%d", m.Kind, m.Seq)
		if m.Kind == MsgAuth || m.Kind == MsgNavi {
			s += fmt.Sprintf(" tok=%d key=%d", m.Token, m.AppKey)
		}
		if (m.Kind == MsgAuth || m.Kind == MsgOpen) && (m.N != 0 || m.ID != 0) {
			s += fmt.Sprintf(" server=%d round=%d", m.N, m.ID)
		}
		if m.Kind == MsgClose {
			s += fmt.Sprintf(" code=%d", m.Code)
		}
		if m.Push {
			s += " push"
		}
		if m.Auto {
			s += " auto"
		}
		return s
	case EffCallback:
		return fmt.Sprintf("call%d %s(%d)", e.Call, e.Name, e.Code)
	case EffStatus:
		return fmt.Sprintf("status %s->%s", e.From, e.To)
	case EffAttempt:
		s := "attempt " + e.Phase.String()
		if e.Reason != vocab.None {
			s += " " + e.Reason.String()
		}
		s += fmt.Sprintf(" n=%d streak=%d seq=%d", e.N, e.Streak, e.Seq)
		if e.Code != 0 {
			s += fmt.Sprintf(" code=%d", e.Code)
		}
		if e.Auto {
			s += " auto"
		}
		return s
	case EffLost:
		return "lost " + e.Reason.String()
	case EffHeartbeat:
		return fmt.Sprintf("hb %s seq=%d", e.Phase, e.Seq)
	}
	return fmt.Sprintf("unknown effect %+v", e)
}

// residue is e with the fields render shows (and the timer generation and
// call, and the message's device) cleared.
func residue(e Effect) Effect {
	r := e
	switch e.Kind {
	case EffTimer:
		r.Timer, r.Gen, r.At, r.Call = 0, 0, 0, 0
	case EffSend:
		m := r.Msg
		m.Kind, m.Seq, m.Push, m.Auto, m.Dev = 0, 0, false, false, 0
		if e.Msg.Kind == MsgAuth || e.Msg.Kind == MsgNavi {
			m.Token, m.AppKey = 0, 0
		}
		if e.Msg.Kind == MsgAuth || e.Msg.Kind == MsgOpen {
			m.N, m.ID = 0, 0
		}
		if e.Msg.Kind == MsgClose {
			m.Code = 0
		}
		r.Msg = m
	case EffCallback:
		r.Call, r.Name, r.Code = 0, vocab.None, 0
	case EffStatus:
		r.From, r.To = 0, 0
	case EffAttempt:
		r.Phase, r.Reason, r.N, r.Streak, r.Seq, r.Code, r.Auto = vocab.None, vocab.None, 0, 0, 0, 0, false
	case EffLost:
		r.Reason = vocab.None
	case EffHeartbeat:
		r.Phase, r.Seq = vocab.None, 0
	}
	return r
}

func describe(in Input) string {
	switch in.Kind {
	case InInit:
		return fmt.Sprintf("Init(%d)", in.AppKey)
	case InConnect:
		return fmt.Sprintf("Connect(call %d, limit %v)", in.Call, in.TimeLimit)
	case InDisconnect:
		return fmt.Sprintf("Disconnect(push=%v)", in.Push)
	case InTimer:
		return fmt.Sprintf("timer %s gen %d", in.Timer, in.Gen)
	case InRecv:
		return fmt.Sprintf("recv %s seq %d code %d", in.Msg.Kind, in.Msg.Seq, in.Msg.Code)
	}
	return [...]string{"?", "init", "connect", "disconnect", "add-listener", "remove-listener", "timer", "recv",
		"net-down", "net-up", "net-change", "foreground", "background", "ipc-disconnect"}[min(int(in.Kind), 13)]
}
