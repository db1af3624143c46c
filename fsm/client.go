// Package fsm is the client SDK's connection core: a pure, deterministic
// state machine over the statuses of spec section 3.
//
// The core follows etcd/raft's habit: it starts no goroutine, reads no clock
// and draws no random number. Every input (app call, timer expiry, received
// message, environment change) goes through Client.Step together with the
// current virtual time, and everything the core wants done (set a timer,
// send a message, run a callback, tell listeners of a status change) comes
// back as a slice of Effects. Drivers — the discrete-event simulator, the
// real-clock driver and the tests — carry the effects out.
//
// Status moves go through the Table compiled from the looplab/fsm machine
// over Edges, so the core can only take published edges; an illegal move is
// a model bug and panics with the edge named. A Client holds only its
// Status, not a looplab machine: one compiled Table serves every client.
package fsm

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/internal/zoo"
)

// Client is one device's SDK instance. The zero value is not usable; call
// NewClient. A Client is not safe for concurrent use: one driver owns it.
type Client struct {
	cfg  *Config // shared: the client never writes it (Reset)
	dev  int16
	tab  *Table   // the status machine: cfg.Table, or the profile's
	prof *Profile // cfg.Profile, or ProfileAndroid
	// rnd is the driver's uniform source for a jittered policy's gaps
	// (SetRand); a deterministic policy never reads it.
	rnd Uniform

	// status is a status of tab; it only moves along tab's edges (fire).
	status Status
	// out collects the current Step's effects; between Steps it keeps
	// Step's buffer for reuse.
	out []Effect
	now time.Duration

	inited    bool
	appKey    int32
	listeners []int32

	// The current Connect call. pending: accepted and no terminal callback
	// yet (and not ended by Disconnect). everConnected: the call has had a
	// success, so the time limit no longer applies and later attempts are
	// automatic reconnections.
	call          int32
	token         int32
	pending       bool
	everConnected bool
	// dbPending lists accepted calls whose onDatabaseOpened has not run.
	dbPending []int32

	// Attempts. Invariant: in an active status other than CONNECTED and
	// NETWORK_UNAVAILABLE, exactly one of inFlight and waiting holds.
	n        int32  // attempts of the current call
	seq      uint32 // sequence number of the latest attempt, device-wide
	inFlight bool
	waiting  bool
	streak   int32         // counted transient failures since the last reset
	lastGap  time.Duration // the gap waited after the streak's previous failure (decorrelated jitter)

	netUp      bool
	foreground bool
	// The app lifecycle (docs/profiles.md). bgStopped: the SDK closed its
	// connection after BgDisconnectAfter in the background; frozen: the OS
	// froze the process after BgSuspendAfter. Either holds only in the
	// background, and while it holds no attempt, wait or heartbeat runs
	// (the invariant on inFlight and waiting above does not apply).
	bgStopped bool
	frozen    bool

	// Heartbeats, while CONNECTED on session sessionSeq.
	sessionSeq   uint32
	awaitingPong bool
	misses       int

	// gens[k] is the generation of the live timer of kind k; a fired timer
	// with another generation was cancelled or superseded.
	gens [numTimers]uint32
}

// NewClient returns a client for device dev, in status UNCONNECTED, network
// up, app in the foreground.
func NewClient(cfg Config, dev int16) *Client {
	c := &Client{}
	c.Reset(&cfg, dev)
	return c
}

// Reset returns the client to its initial state, keeping its allocations,
// so one Client can serve many trials. The client reads *cfg from then on
// and never writes it; *cfg must not change while the client uses it. A
// driver of many clients gives them all one Config, which then stays in
// the cache, and each client holds a pointer instead of a copy.
func (c *Client) Reset(cfg *Config, dev int16) {
	out, ls, db, rnd := c.out[:0], c.listeners[:0], c.dbPending[:0], c.rnd
	*c = Client{cfg: cfg, dev: dev, tab: cfg.Table, out: out, listeners: ls, dbPending: db, rnd: rnd}
	if c.tab == nil {
		c.tab = cfg.Profile.Table()
	}
	c.prof = cfg.Profile.Or()
	c.status = Unconnected
	c.netUp = true
	c.foreground = true
}

// SetRand gives the client the driver's uniform source (the trial's RNG
// stream), from which a jittered reconnection policy draws one number per
// gap. Reset keeps it. A client whose policy draws (Config.Backoff) must
// have one.
func (c *Client) SetRand(u Uniform) { c.rnd = u }

// CurrentStatus is the SDK's CurrentStatus(): the last status delivered.
func (c *Client) CurrentStatus() Status { return c.status }

// Listeners returns the registered status listeners, in registration order.
func (c *Client) Listeners() []int32 { return c.listeners }

// Pending reports whether the current call awaits its terminal callback.
func (c *Client) Pending() bool { return c.pending }

// TimerLive reports whether a timer that fires with (kind, gen) is still
// wanted. TimerDB timers are never cancelled.
func (c *Client) TimerLive(kind TimerKind, gen uint32) bool {
	return kind == TimerDB || c.gens[kind] == gen
}

// Step feeds one input at virtual time now and returns the effects, in the
// order they happen. The returned slice is reused by the next Step.
func (c *Client) Step(now time.Duration, in Input) []Effect {
	c.out = c.step(c.out[:0], now, in)
	return c.out
}

// StepInto is Step appending the effects to buf instead of the client's own
// buffer, and returning the extended buf. A driver of many clients shares
// one buffer among them, so that no client keeps an effect buffer of its
// own (see BenchmarkClientBytes).
func (c *Client) StepInto(buf []Effect, now time.Duration, in Input) []Effect {
	own := c.out
	buf = c.step(buf, now, in)
	c.out = own
	return buf
}

func (c *Client) step(buf []Effect, now time.Duration, in Input) []Effect {
	c.out = buf
	c.now = now
	switch in.Kind {
	case InInit:
		c.inited = true
		c.appKey = in.AppKey
	case InConnect:
		c.connect(in)
	case InDisconnect:
		c.disconnect(in.Push)
	case InAddListener:
		for _, l := range c.listeners {
			if l == in.Listener {
				return c.out
			}
		}
		c.listeners = append(c.listeners, in.Listener)
	case InRemoveListener:
		for i, l := range c.listeners {
			if l == in.Listener {
				c.listeners = append(c.listeners[:i], c.listeners[i+1:]...)
				break
			}
		}
	case InTimer:
		if c.frozen && in.Timer != TimerLimit && in.Timer != TimerDB {
			return c.out // a frozen process runs no timer; see thaw
		}
		c.timer(in)
	case InRecv:
		if !c.frozen {
			c.recv(in.Msg)
		}
	case InNetDown:
		if c.frozen || c.bgStopped {
			c.netUp = false // reconciled on foreground
			break
		}
		c.netDown()
	case InNetUp:
		if c.frozen || c.bgStopped {
			c.netUp = true
			break
		}
		c.netUpIn()
	case InNetChange:
		if !c.frozen && !c.bgStopped && c.prof.FollowsEnvironment {
			c.netChange()
		}
	case InForeground:
		c.foregroundIn()
	case InBackground:
		c.backgroundIn()
	case InIPCDisconnect:
		if !c.frozen && !c.bgStopped {
			c.ipcDisconnect()
		}
	default:
		panic(fmt.Sprintf("fsm: unknown input kind %d", in.Kind))
	}
	return c.out
}

// fire moves the status along the edge of event ev. The compiled machine
// decides the destination; an event with no edge from the current status
// means the core asked for an edge that is not published, a model bug.
func (c *Client) fire(ev Event) { c.fireCode(ev, 0) }

// fireCode is fire telling listeners code with the status, for a profile
// whose listener gets one (web); others get no code.
func (c *Client) fireCode(ev Event, code Code) {
	if !c.prof.Codes {
		code = 0
	}
	from := c.status
	to, ok := c.tab.Next(from, ev)
	if !ok {
		panic(fmt.Sprintf("fsm: illegal move %q from %s: no such edge in the status machine", ev.String(), from))
	}
	c.status = to
	c.out = append(c.out, Effect{Kind: EffStatus, From: from, To: to, Code: code})
	if zoo.Is(zoo.StatusTwice) && to == Connected {
		c.out = append(c.out, Effect{Kind: EffStatus, From: from, To: to}) // bug zoo (P7)
	}
}

func (c *Client) setTimer(k TimerKind, d time.Duration) {
	c.gens[k]++
	c.out = append(c.out, Effect{Kind: EffTimer, Timer: k, Gen: c.gens[k], At: c.now + d, Call: c.call})
}

func (c *Client) cancel(k TimerKind) { c.gens[k]++ }

func (c *Client) send(m Msg) {
	m.Dev = c.dev
	c.out = append(c.out, Effect{Kind: EffSend, Msg: m})
}

func (c *Client) callback(call int32, name string, code Code) {
	c.out = append(c.out, Effect{Kind: EffCallback, Call: call, Name: name, Code: code})
}

// terminal runs the terminal callback of the current call. A terminal
// callback never waits for the database: if the call's database is not open
// yet, onDatabaseOpened runs first, at the same instant (P2 and P4 both hold).
func (c *Client) terminal(name string, code Code) {
	c.pending = false
	c.cancel(TimerLimit)
	if zoo.Is(zoo.DBAfterSuccess) && name == CbSuccess {
		c.callback(c.call, name, code) // bug zoo (P4): the database waits
		c.dbOpened(c.call)
		return
	}
	c.dbOpened(c.call)
	c.callback(c.call, name, code)
}

// dbOpened runs onDatabaseOpened for call if it has not run yet.
func (c *Client) dbOpened(call int32) {
	for i, id := range c.dbPending {
		if id == call {
			c.dbPending = append(c.dbPending[:i], c.dbPending[i+1:]...)
			code := Code(0) // DATABASE_OPEN_SUCCESS
			c.callback(call, CbDatabaseOpened, code)
			return
		}
	}
}

func (c *Client) attemptEffect(phase, reason string, code Code) {
	c.out = append(c.out, Effect{Kind: EffAttempt, Phase: phase, Reason: reason, N: c.n,
		Streak: c.streak, Seq: c.seq, Auto: c.everConnected, Code: code})
}

func (c *Client) connect(in Input) {
	if !c.inited {
		if c.cfg.Quirks.Has(QuirkConnectBeforeInitSilent) {
			return // quirk (spec 9): "there may be no callback"
		}
		c.callback(in.Call, CbError, ClientNotInit)
		return
	}
	if c.pending && (c.cfg.Quirks.Has(QuirkMultiConnectClears) || zoo.Is(zoo.SecondConnectSucceeds)) {
		// Quirk (spec 9): the new call's callback replaces the pending
		// call's; the connection in progress goes on (token, attempts,
		// time limit). The new call's database opens like any other.
		c.call = in.Call
		c.dbPending = append(c.dbPending, in.Call)
		c.out = append(c.out, Effect{Kind: EffTimer, Timer: TimerDB, At: c.now + c.cfg.DBOpen, Call: in.Call})
		return
	}
	if c.pending || c.status.Active() {
		if zoo.Is(zoo.SecondConnectClears) && c.pending {
			c.call = in.Call // bug zoo (P9): the pending call's callback is replaced
		}
		c.callback(in.Call, CbError, ConnectionExist)
		return
	}
	c.call, c.token = in.Call, in.Token
	c.pending, c.everConnected = true, false
	c.n, c.streak = 0, 0
	if c.prof.DBCallback {
		c.dbPending = append(c.dbPending, in.Call)
		c.out = append(c.out, Effect{Kind: EffTimer, Timer: TimerDB, At: c.now + c.cfg.DBOpen, Call: in.Call})
	}
	if in.TimeLimit > 0 && c.prof.TimeLimit {
		c.setTimer(TimerLimit, in.TimeLimit)
	} else {
		c.cancel(TimerLimit)
	}
	if !c.netUp && c.prof.OfflinePause {
		c.fire(evConnectOffline)
		return
	}
	c.fire(evConnect)
	if c.frozen || c.bgStopped {
		return // the first attempt starts on foreground (foregroundIn)
	}
	c.startAttempt(ReasonConnect)
}

// startAttempt sends one handshake. The caller has put the status in
// CONNECTING.
func (c *Client) startAttempt(reason string) {
	c.n++
	c.seq++
	c.inFlight, c.waiting = true, false
	c.cancel(TimerRetry)
	c.attemptEffect(PhaseStart, reason, 0)
	if !c.netUp {
		// Only without OfflinePause (web): the socket cannot open, and
		// the attempt fails at once.
		c.failTransient(ReasonNetworkDown)
		return
	}
	c.send(Msg{Kind: MsgAuth, Seq: c.seq, Token: c.token, AppKey: c.appKey, Auto: c.everConnected})
	c.setTimer(TimerAttempt, c.cfg.AttemptTimeoutFor())
}

// failTransient ends the attempt in flight with a counted transient failure
// and waits the schedule's interval for that failure's position (P6).
func (c *Client) failTransient(reason string) {
	c.inFlight = false
	c.cancel(TimerAttempt)
	c.streak++
	c.attemptEffect(PhaseFail, reason, 0)
	if c.prof.SuspendEachRound {
		c.fireCode(evRoundFailed, failCode(reason))
	}
	c.wait()
}

// failCode is the code the web engine reports with SUSPENDED for a failed
// round or a lost connection of this reason (docs/profiles.md).
func failCode(reason string) Code {
	switch reason {
	case ReasonAttemptTimeout:
		return CodeWebTimeout
	case ReasonUnavailable:
		return CodeServerUnavail
	case ReasonHeartbeat:
		return CodePingExceed
	}
	return CodeSocketFailed
}

// wait waits the policy's gap after failure c.streak.
func (c *Client) wait() {
	c.waiting = true
	if c.streak <= 1 {
		c.lastGap = 0
	}
	b := c.cfg.Backoff()
	if c.rnd == nil && !b.Deterministic() {
		panic("fsm: policy " + b.String() + " draws its gaps: the driver must call Client.SetRand")
	}
	c.lastGap = b.Gap(int(c.streak), c.lastGap, c.rnd)
	c.setTimer(TimerRetry, c.lastGap)
}

// abandon ends the attempt in flight without counting it (pause, reset or
// cancel).
func (c *Client) abandon(reason string) {
	if c.inFlight {
		c.inFlight = false
		c.cancel(TimerAttempt)
		c.attemptEffect(PhaseFail, reason, 0)
	}
}

// stopAll leaves the connection mechanism: no attempt, wait or heartbeat is
// left. The database timers of accepted calls keep running.
func (c *Client) stopAll() {
	c.pause()
	c.cancel(TimerLimit)
	c.bgStopped = false
}

// pause drops any attempt, wait or heartbeat; the time limit keeps running.
func (c *Client) pause() {
	c.inFlight, c.waiting, c.awaitingPong = false, false, false
	for _, k := range []TimerKind{TimerAttempt, TimerRetry, TimerPing, TimerPong} {
		c.cancel(k)
	}
}

func (c *Client) timer(in Input) {
	if !c.TimerLive(in.Timer, in.Gen) {
		return
	}
	switch in.Timer {
	case TimerDB:
		c.dbOpened(in.Call)
	case TimerLimit:
		if c.pending && !c.everConnected {
			// Close every attempt of the call, not only the one in
			// flight: an earlier attempt that timed out on the client
			// may still reach the server and open a session after the
			// timeout, and its late answer (whose Close would clean it
			// up) may be lost. Close(seq) covers every seq up to it, so
			// no session of this call outlives the timeout (spec 5.8).
			if c.n > 0 {
				c.send(Msg{Kind: MsgClose, Seq: c.seq, Code: ConnectTimeout})
			}
			c.abandon(ReasonCancelled)
			if zoo.Is(zoo.AttemptAfterTimeout) {
				c.cancel(TimerLimit) // bug zoo (P3): the retry wait goes on
			} else {
				c.stopAll()
			}
			c.fire(evTimeout)
			c.terminal(CbError, ConnectTimeout)
		}
	case TimerAttempt:
		if c.inFlight {
			c.failTransient(ReasonAttemptTimeout)
		}
	case TimerRetry:
		if c.waiting {
			if c.status == Suspend {
				c.fire(evRetry)
			}
			c.startAttempt(ReasonSchedule)
		}
	case TimerBgDisconnect, TimerBgSuspend:
		c.bgTimer(in.Timer)
	case TimerPing:
		if c.status == Connected {
			c.ping()
		}
	case TimerPong:
		if c.status == Connected && c.awaitingPong {
			c.misses++
			c.awaitingPong = false
			c.out = append(c.out, Effect{Kind: EffHeartbeat, Phase: HbMiss, Seq: c.sessionSeq})
			if c.misses >= c.cfg.HBMisses {
				c.lost(ReasonHeartbeat)
			} else {
				c.ping()
			}
		}
	}
}

func (c *Client) ping() {
	c.awaitingPong = true
	c.out = append(c.out, Effect{Kind: EffHeartbeat, Phase: HbPing, Seq: c.sessionSeq})
	c.send(Msg{Kind: MsgPing, Seq: c.sessionSeq})
	c.setTimer(TimerPong, c.cfg.HBTimeout)
}

// lost handles the loss of a CONNECTED session: SUSPEND, and the loss is
// transient failure number 1 of a new streak.
func (c *Client) lost(reason string) {
	c.awaitingPong = false
	c.cancel(TimerPing)
	c.cancel(TimerPong)
	c.out = append(c.out, Effect{Kind: EffLost, Reason: reason})
	c.fireCode(evLost, failCode(reason))
	c.streak = 1
	if zoo.Is(zoo.NoReconnectAfterHeartbeat) && reason == ReasonHeartbeat {
		return // bug zoo (P8): SUSPEND for good
	}
	if c.prof.RetryAtOnceAfterLoss {
		c.streak = 0
		c.fire(evRetry)
		c.startAttempt(ReasonReconnect)
		return
	}
	c.wait()
}

func (c *Client) recv(m Msg) {
	switch m.Kind {
	case MsgAuthReply:
		c.authReply(m)
	case MsgPong:
		if c.status == Connected && c.awaitingPong && m.Seq == c.sessionSeq {
			c.awaitingPong = false
			c.misses = 0
			c.cancel(TimerPong)
			c.out = append(c.out, Effect{Kind: EffHeartbeat, Phase: HbPong, Seq: m.Seq})
			c.setTimer(TimerPing, c.cfg.HBInterval)
		}
	case MsgClosed:
		if c.status != Connected || m.Seq != c.sessionSeq {
			return // about a session this client no longer uses
		}
		switch m.Code {
		case ClosedKicked:
			c.stopAll()
			c.fireCode(evKicked, CodeDisconnKick)
		case ClosedBlocked:
			c.stopAll()
			c.fireCode(evUserBlocked, CodeDisconnBlocked)
		default:
			c.lost(ReasonGone)
		}
	}
}

func (c *Client) authReply(m Msg) {
	if !c.inFlight || m.Seq != c.seq {
		if zoo.Is(zoo.CrossTerminal) && m.Code == OK && c.status == Timeout && m.Seq == c.seq {
			c.callback(c.call, CbSuccess, OK) // bug zoo (P1, P2): the crossing answer succeeds too
		}
		if zoo.Is(zoo.ConnectedAfterDisconnect) && m.Code == OK && c.status == SignOut && m.Seq == c.seq {
			c.fire(evConnect) // bug zoo (P5): the answer in flight at Disconnect connects
			c.sessionSeq = m.Seq
			c.fire(evConnected)
			c.setTimer(TimerPing, c.cfg.HBInterval)
			return
		}
		if zoo.Is(zoo.SuccessAfterDisconnect) && m.Code == OK && c.status == SignOut && m.Seq == c.seq && c.call != 0 && !c.everConnected {
			c.everConnected = true
			c.callback(c.call, CbSuccess, OK) // bug zoo (P12): the call disconnected in its first connect still succeeds
		}
		// A late answer. If it opened a session this client does not
		// use, close it (spec 5.8).
		if m.Code == OK && !(c.status == Connected && c.sessionSeq == m.Seq) {
			c.send(Msg{Kind: MsgClose, Seq: m.Seq, Code: Unknown})
		}
		return
	}
	switch {
	case m.Code == OK:
		c.inFlight = false
		c.cancel(TimerAttempt)
		c.streak = 0
		c.sessionSeq = m.Seq
		c.attemptEffect(PhaseOK, "", 0)
		c.fire(evConnected)
		c.misses = 0
		if c.prof.PingOnConnect {
			c.ping() // web: checkAlive pings as soon as the status is CONNECTED
		} else {
			c.setTimer(TimerPing, c.cfg.HBInterval)
		}
		if c.pending && !c.everConnected {
			c.everConnected = true
			if zoo.Is(zoo.SuccessDropped) && c.n > 1 {
				c.pending = false // bug zoo (P14): the retry's success is not told
				return
			}
			c.terminal(CbSuccess, OK)
		}
		c.everConnected = true
	case m.Code == ReplyUnavailable:
		c.failTransient(ReasonUnavailable)
	case m.Code == ReplyKicked:
		c.inFlight = false
		c.attemptEffect(PhaseFail, ReasonKicked, 0)
		c.stopAll()
		c.fireCode(evKicked, CodeDisconnKick)
		if c.pending {
			c.terminal(CbError, Unknown)
		}
	default:
		c.inFlight = false
		c.attemptEffect(PhaseFail, ReasonError, m.Code)
		if c.everConnected {
			// The session lost before this reconnection may still be
			// live on the server; the SDK leaves for good, so close it.
			c.send(Msg{Kind: MsgClose, Seq: c.seq, Code: m.Code})
		}
		c.stopAll()
		switch StatusAfter(m.Code) {
		case TokenIncorrect:
			c.fireCode(evTokenError, m.Code)
		case UserBlocked:
			c.fireCode(evUserBlocked, m.Code)
		default:
			c.fireCode(evOtherError, m.Code)
		}
		if c.pending {
			c.terminal(CbError, m.Code)
		}
		if zoo.Is(zoo.RetryAfterExpire) && m.Code == ConnTokenExpire {
			c.wait() // bug zoo (P5): a retry after 31020
		}
	}
}

func (c *Client) disconnect(push bool) {
	if !c.status.Active() {
		return // nothing to disconnect (model choice: no status change)
	}
	c.abandon(ReasonCancelled)
	c.send(Msg{Kind: MsgClose, Seq: c.seq, Push: push})
	c.stopAll()
	c.fireCode(evDisconnect, CodeActiveDisconnect)
	c.pending = false // a pending call gets no terminal callback (spec 6)
}

func (c *Client) netDown() {
	if !c.netUp {
		return
	}
	c.netUp = false
	if !c.prof.OfflinePause {
		// Web: nothing pauses. A live socket dies, an attempt in flight
		// fails; the next rounds fail at once until the network returns.
		switch {
		case c.status == Connected:
			c.lost(ReasonNetworkDown)
		case c.inFlight:
			c.failTransient(ReasonNetworkDown)
		}
		return
	}
	switch c.status {
	case Connected:
		c.out = append(c.out, Effect{Kind: EffLost, Reason: ReasonNetworkDown})
	case Connecting, Suspend:
		c.abandon(ReasonNetworkDown)
	default:
		return
	}
	c.pause()
	if zoo.Is(zoo.LimitPausedOffline) {
		c.cancel(TimerLimit) // bug zoo (P2): the time limit stops offline
	}
	c.fire(evNetDown)
}

func (c *Client) netUpIn() {
	if c.netUp {
		return
	}
	c.netUp = true
	if c.status == NetworkUnavailable && c.prof.OfflinePause {
		c.streak = 0
		c.fire(evNetUp)
		c.startAttempt(ReasonNetworkUp)
	}
}

func (c *Client) netChange() {
	if !c.netUp {
		return
	}
	if c.status == Connected {
		c.awaitingPong = false
		c.cancel(TimerPing)
		c.cancel(TimerPong)
		c.out = append(c.out, Effect{Kind: EffLost, Reason: ReasonNetworkChange})
		c.fire(evLost)
	}
	c.reset(ReasonNetworkChange, true)
}

// reset restarts the schedule (spec 5.6). A waiting client attempts at once;
// with abandonInFlight an attempt in flight is dropped and restarted too.
func (c *Client) reset(reason string, abandonInFlight bool) {
	switch c.status {
	case Connecting, Suspend:
	default:
		return
	}
	if zoo.Is(zoo.NoResetOnNetChange) && reason == ReasonNetworkChange && c.waiting {
		return // bug zoo (P6): the wait and the streak go on
	}
	c.streak = 0
	if c.inFlight {
		if !abandonInFlight {
			return
		}
		c.abandon(reason)
	}
	if c.status == Suspend {
		c.fire(evRetry)
	}
	c.startAttempt(reason)
}

func (c *Client) ipcDisconnect() {
	switch {
	case c.status == Connected:
		c.lost(ReasonIPC)
	case c.status == Connecting && c.inFlight:
		c.failTransient(ReasonIPC)
	}
}

// backgroundIn: the app goes to the background. The lifecycle timers start
// (docs/profiles.md); a second background changes nothing.
func (c *Client) backgroundIn() {
	if !c.foreground {
		return
	}
	c.foreground = false
	if d := c.cfg.BgDisconnectAfter; d > 0 {
		c.setTimer(TimerBgDisconnect, d)
	}
	if d := c.cfg.BgSuspendAfter; d > 0 {
		c.setTimer(TimerBgSuspend, d)
	}
}

// foregroundIn: the app returns to the foreground. The lifecycle timers
// stop; a frozen or background-stopped SDK resumes: it reconciles the
// network it missed and attempts at once. A mobile SDK restarts its
// schedule (spec 5.6); the web engine ignores the foreground.
func (c *Client) foregroundIn() {
	c.foreground = true
	c.cancel(TimerBgDisconnect)
	c.cancel(TimerBgSuspend)
	if !c.frozen && !c.bgStopped {
		if c.prof.FollowsEnvironment {
			c.reset(ReasonForeground, false)
		}
		return
	}
	wasFrozen := c.frozen
	c.frozen, c.bgStopped = false, false
	if wasFrozen && c.status == Connected {
		// The connection did not survive the freeze.
		c.lost(ReasonOSSuspended)
	}
	switch {
	case !c.netUp && c.status != NetworkUnavailable && c.status.Active():
		c.netUp = true
		c.netDown()
	case c.netUp && c.status == NetworkUnavailable:
		c.netUp = false
		c.netUpIn()
	default:
		c.reset(ReasonForeground, false)
	}
}

// bgTimer handles the lifecycle timers.
func (c *Client) bgTimer(k TimerKind) {
	if c.foreground || c.frozen {
		return
	}
	if k == TimerBgSuspend {
		// The OS freezes the process: nothing runs, nothing is sent, the
		// status stays as it was until the foreground (foregroundIn).
		c.frozen = true
		c.out = append(c.out, Effect{Kind: EffEnv, Phase: EnvOSSuspend})
		c.inFlight, c.waiting, c.awaitingPong = false, false, false
		for _, k := range []TimerKind{TimerAttempt, TimerRetry, TimerPing, TimerPong, TimerBgDisconnect} {
			c.cancel(k)
		}
		return
	}
	if c.bgStopped {
		return
	}
	switch c.status {
	case Connected, Connecting:
		c.abandon(ReasonBackground)
		if c.status == Connected {
			c.out = append(c.out, Effect{Kind: EffLost, Reason: ReasonBackground})
		}
		c.send(Msg{Kind: MsgClose, Seq: c.seq, Code: CloseBackground, Push: true})
		c.pause()
		c.fire(evBackground)
	case Suspend, NetworkUnavailable:
		c.pause()
	default:
		return
	}
	c.bgStopped = true
}
