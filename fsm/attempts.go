package fsm

// Attempts and the reconnection schedule: one handshake at a time, its
// answer, counted transient failures and the policy's gaps between them
// (spec 5, P6).

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) attemptEffect(phase, reason vocab.Word, code Code) {
	e := c.effect(EffAttempt)
	e.Phase, e.Reason, e.N, e.Streak, e.Seq, e.Auto, e.Code = phase, reason, c.n, c.streak, c.seq, c.has(markEverConnected), code
}

// startAttempt sends one handshake. The caller has put the status in
// CONNECTING.
func (c *Client) startAttempt(reason vocab.Word) {
	c.n++
	c.seq++
	c.inFlight, c.waiting = true, false
	c.cancel(TimerRetry)
	c.attemptEffect(vocab.PhaseStart, reason, 0)
	if c.has(markIPCDown) {
		// The connection process is not bound: the handshake cannot be
		// handed to it, and the attempt fails at once (the SDK logs the
		// reconnection's result as IPC_DISCONNECT; ipc.go).
		c.failTransient(vocab.ReasonIPC)
		return
	}
	if !c.netUp {
		// Only without OfflinePause (web): the socket cannot open, and
		// the attempt fails at once (failOffline).
		c.failOffline()
		return
	}
	c.stepK, c.server = stepAuth, 0
	if c.cfg.Attempt == AttemptFull {
		c.beginSteps()
		if c.profile().SocketTimer {
			return // each socket step arms the attempt timer (openSocket)
		}
	} else {
		c.sendAuth()
	}
	c.setTimer(TimerAttempt, c.cfg.AttemptTimeoutFor())
}

// failTransient ends the attempt in flight with a counted transient failure
// and waits the schedule's interval for that failure's position (P6). A web
// app's listener gets 35008 with SUSPENDED: the engine's task reports
// SERVER_UNAVAILABLE once every listed server's socket failed, closed,
// timed out or was refused (its sockets' own 30011 and -1 move on to the
// next server and never reach the listener; conformance scenarios
// retry-timeout, offline-online), and a server's "unavailable" answer is
// that code too. A failed navigation has its own (CodeNaviFailed).
func (c *Client) failTransient(reason vocab.Word) { c.failTransientCode(reason, CodeServerUnavail) }

// failTransientCode is failTransient with the code a web app's listener
// gets with SUSPENDED.
func (c *Client) failTransientCode(reason vocab.Word, code Code) {
	c.inFlight = false
	c.cancel(TimerAttempt)
	c.cancel(TimerNavi)
	c.streak++
	c.attemptEffect(vocab.PhaseFail, reason, 0)
	if c.profile().SuspendEachRound {
		c.fireCode(evRoundFailed, code)
	}
	c.wait()
}

// lostCode is the code the web engine reports with SUSPENDED for a lost
// connection of this reason (docs/profiles.md): the heartbeat's 30012, or
// the socket's 30011.
func lostCode(reason vocab.Word) Code {
	if reason == vocab.ReasonHeartbeat {
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
	b := c.cfg.backoff()
	if c.drv.rnd == nil && !b.Deterministic() {
		panic("fsm: policy " + b.String() + " draws its gaps: the driver must call Client.SetRand")
	}
	c.lastGap = b.Gap(int(c.streak), c.lastGap, c.drv.rnd)
	c.setTimer(TimerRetry, c.lastGap)
}

// abandon ends the attempt in flight without counting it (pause, reset or
// cancel).
func (c *Client) abandon(reason vocab.Word) {
	if c.inFlight {
		c.inFlight = false
		c.cancel(TimerAttempt)
		c.cancel(TimerNavi)
		c.attemptEffect(vocab.PhaseFail, reason, 0)
	}
}

// stopAll leaves the connection mechanism: no attempt, wait or heartbeat is
// left. The database timers of accepted calls keep running.
func (c *Client) stopAll() {
	c.pause()
	c.cancel(TimerLimit)
	c.put(markBgStopped, false)
}

// pause drops any attempt, wait or heartbeat; the time limit keeps running.
func (c *Client) pause() {
	c.inFlight, c.waiting = false, false
	c.marks &^= markAwaitingPong
	// Cancel each (a loop over them was 1.6% of a checked trial), by
	// constant index (small enough to inline, gen is not).
	c.gens[TimerAttempt-TimerLimit]++
	c.gens[TimerNavi-TimerLimit]++
	c.gens[TimerRetry-TimerLimit]++
	c.gens[TimerPing-TimerLimit]++
	c.gens[TimerPong-TimerLimit]++
}

// reset restarts the schedule (spec 5.6). A waiting client attempts at once;
// with abandonInFlight an attempt in flight is dropped and restarted too.
func (c *Client) reset(reason vocab.Word, abandonInFlight bool) {
	switch c.status {
	case Connecting, Suspend:
	default:
		return
	}
	if zoo.Is(zoo.NoResetOnNetChange) && reason == vocab.ReasonNetworkChange && c.waiting {
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

func (c *Client) authReply(m *Msg) {
	if !c.inFlight || m.Seq != c.seq || c.stepK != stepAuth {
		if zoo.Enabled && c.lateAnswerMutant(*m) {
			return
		}
		// A late answer. If it opened a session this client does not
		// use, close it (spec 5.8).
		if m.Code == OK && !(c.status == Connected && c.sessionSeq == m.Seq) {
			c.send(MsgClose, m.Seq).Code = Unknown
		}
		return
	}
	switch {
	case m.Code == OK:
		c.inFlight = false
		c.cancel(TimerAttempt)
		c.streak = 0
		if c.profile().StickyServer {
			c.sticky = c.server + 1
		}
		c.sessionSeq = m.Seq
		c.attemptEffect(vocab.PhaseOK, vocab.None, 0)
		c.fire(evConnected)
		c.misses = 0
		if c.profile().PingOnConnect {
			c.ping() // web: checkAlive pings as soon as the status is CONNECTED
		} else {
			c.setTimer(TimerPing, c.cfg.HBInterval)
		}
		if c.pending && !c.has(markEverConnected) {
			c.terminal(vocab.CbSuccess, OK)
		}
		c.put(markEverConnected, true)
	case m.Code == ReplyUnavailable:
		c.failTransient(vocab.ReasonUnavailable)
	case m.Code == ReplyKicked:
		c.inFlight = false
		c.attemptEffect(vocab.PhaseFail, vocab.ReasonKicked, 0)
		c.stopAll()
		c.fireCode(evKicked, CodeDisconnKick)
		if c.pending {
			c.terminal(vocab.CbError, Unknown)
		}
	default:
		c.failTerminal(m.Code)
	}
}

// failTerminal ends the attempt in flight with the terminal error code (an
// auth's refusal, or the navigation's token error): the client leaves the
// connection mechanism, its status follows the code (StatusAfter) and a
// pending call gets onError(code).
func (c *Client) failTerminal(code Code) {
	c.inFlight = false
	c.attemptEffect(vocab.PhaseFail, vocab.ReasonError, code)
	if c.has(markEverConnected) {
		// The session lost before this reconnection may still be
		// live on the server; the SDK leaves for good, so close it.
		c.send(MsgClose, c.seq).Code = code
	}
	c.stopAll()
	switch StatusAfter(code) {
	case TokenIncorrect:
		c.fireCode(evTokenError, code)
	case UserBlocked:
		c.fireCode(evUserBlocked, code)
	default:
		c.fireCode(evOtherError, code)
	}
	if c.pending {
		c.terminal(vocab.CbError, code)
	}
	if zoo.Is(zoo.RetryAfterExpire) && code == ConnTokenExpire {
		c.wait() // bug zoo (P5): a retry after 31020
	}
}
