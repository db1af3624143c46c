package fsm

// The attempt's anatomy (Config.Attempt, docs/model.md "The attempt's
// anatomy"). Under AttemptFull an attempt is steps, in order:
//
//   - navi: the navigation request (MsgNavi), answered by the navigation
//     service with the number of IM servers it lists; skipped while the
//     client holds an answer for the call's token that is younger than
//     NaviTTL (the cache: naviTok, naviN, naviUntil);
//   - socket: a socket to server i of the list (MsgOpen round 0); a
//     refused socket moves on to server i+1 within the same attempt, and
//     the attempt fails (unavailable) only once every server refused;
//   - tls: Config.TLS more round trips on that socket (MsgOpen rounds 1
//     to TLS);
//   - auth: today's handshake (MsgAuth, carrying the server index).
//
// Each step's start is an attempt effect of phase PhaseStep with the
// step's name as reason (the trace's "step" records); start, ok and fail
// keep their meaning, so the monitors read attempts as before. The attempt
// timer bounds the whole attempt; TimerNavi bounds the navi step alone.
// With the profile's SocketTimer (web) the attempt timer bounds each socket
// instead (socket, TLS and auth of one listed server; on expiry the next
// server), and with StickyServer (web) the server that accepted last comes
// first in the list's order until DISCONNECTED. Invariant: stepK is
// meaningful only while inFlight, and an answer counts only for the current
// seq, step, server and round.
//
// Under AttemptAuth (the default) none of this runs: startAttempt sends
// MsgAuth at once, as before.

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// AttemptMode is what one attempt is (Config.Attempt).
type AttemptMode uint8

// The modes.
const (
	AttemptAuth AttemptMode = iota // one auth round trip
	AttemptFull                    // navi (unless cached), socket per listed server, TLS, auth
)

// MaxServers bounds Config.Servers (the web engine's answers list two).
const MaxServers = 16

// MaxTLS bounds Config.TLS (TLS 1.2 takes two round trips; more is no
// protocol's).
const MaxTLS = 4

var attemptNames = []string{"auth", "full"}

// String returns "auth" or "full".
func (a AttemptMode) String() string {
	if int(a) < len(attemptNames) {
		return attemptNames[a]
	}
	return fmt.Sprintf("attempt(%d)", uint8(a))
}

// ParseAttempt returns the mode named s.
func ParseAttempt(s string) (AttemptMode, error) {
	for i, n := range attemptNames {
		if n == s {
			return AttemptMode(i), nil
		}
	}
	return 0, fmt.Errorf("must be auth or full (got %q)", s)
}

// The steps of an attempt in flight (Client.stepK).
const (
	stepAuth uint8 = iota // the handshake (the only step under AttemptAuth)
	stepNavi
	stepSocket // round 0 (socket) or 1..TLS (tls) of server c.server
)

// Code the navigation failure reaches a web app with (the engine's
// RC_NAVI_REQ_FAILED: an HTTP error or timeout of the navigation request;
// one of its transient codes, so a round fails and the next follows).
const CodeNaviFailed Code = 30007

// beginSteps starts the steps of the attempt startAttempt just began
// (AttemptFull): the navigation request, or with a fresh cached answer for
// the token the first server's socket.
func (c *Client) beginSteps() {
	if c.naviFresh() && !zoo.Is(zoo.NaviCacheSkipped) {
		c.openSocket(0)
		return
	}
	// The cached answer stays: a failed request leaves it in place, for
	// its own token (the engine writes its cache only on a successful
	// request, docs/conformance.md; P21).
	c.stepK = stepNavi
	c.attemptEffect(vocab.PhaseStep, vocab.StepNavi, 0)
	m := c.send(MsgNavi, c.seq)
	m.Token, m.AppKey = c.token, c.appKey
	c.setTimer(TimerNavi, c.cfg.NaviTimeout)
}

// failOffline fails an attempt started with no network at once. Under
// attempt full its first step shows first, as the web engine's does: the
// browser fails the navigation request (30007, without a fresh cached
// answer) or the socket (35008) at once (conformance scenarios
// offline-online, offline-navi-expired).
func (c *Client) failOffline() {
	if c.cfg.Attempt == AttemptFull {
		if !c.naviFresh() {
			c.attemptEffect(vocab.PhaseStep, vocab.StepNavi, 0)
			c.failTransientCode(vocab.ReasonNetworkDown, CodeNaviFailed)
			return
		}
		c.attemptEffect(vocab.PhaseStep, vocab.StepSocket, 0)
	}
	c.failTransient(vocab.ReasonNetworkDown)
}

// naviFresh reports whether the client holds a navigation answer for the
// current token that is still fresh now.
func (c *Client) naviFresh() bool {
	return c.marks&markNavi != 0 && c.naviTok == c.token && c.drv.now < c.naviUntil
}

// cacheNavi stores a navigation answer listing n servers for token tok,
// fresh for NaviTTL from now (saturating).
func (c *Client) cacheNavi(tok, n int32) {
	c.marks |= markNavi
	c.naviTok, c.naviN = tok, max(n, 1)
	c.naviUntil = c.drv.now + c.cfg.NaviTTL
	if c.naviUntil < c.drv.now {
		c.naviUntil = time.Duration(1<<63 - 1)
	}
}

// openSocket opens the attempt's k-th socket (from 0), to the listed
// server serverAt(k); with SocketTimer it arms the attempt timer for it.
func (c *Client) openSocket(k int32) {
	c.stepK, c.tries, c.server, c.round = stepSocket, k+1, c.serverAt(k), 0
	c.attemptEffect(vocab.PhaseStep, vocab.StepSocket, 0)
	c.send(MsgOpen, c.seq).N = c.server
	if c.profile().SocketTimer || zoo.Is(zoo.AttemptTimerRearmed) { // bug zoo (P20): re-armed off web
		c.setTimer(TimerAttempt, c.cfg.AttemptTimeoutFor())
	}
}

// serverAt returns the listed server of an attempt's k-th socket: list
// order, except that a sticky server (StickyServer) comes first.
func (c *Client) serverAt(k int32) int32 {
	g := c.sticky - 1
	switch {
	case g < 0 || g >= c.naviN || k > g:
		return k
	case k == 0:
		return g
	}
	return k - 1
}

// nextSocket moves the attempt in flight on to its next listed server and
// reports whether there was one.
func (c *Client) nextSocket() bool {
	if c.tries >= c.naviN {
		return false
	}
	if zoo.Is(zoo.FailoverRestarts) {
		c.openSocket(0) // bug zoo (I8): back to the first server
		return true
	}
	c.openSocket(c.tries)
	return true
}

// attemptTimeout handles TimerAttempt: with SocketTimer, a socket (or its
// TLS or auth) that timed out gives way to the next listed server; the
// attempt fails when none is left.
func (c *Client) attemptTimeout() {
	if !c.inFlight {
		return
	}
	if c.profile().SocketTimer && c.cfg.Attempt == AttemptFull && c.stepK != stepNavi && c.nextSocket() {
		return
	}
	c.failTransient(vocab.ReasonAttemptTimeout)
}

// naviReply handles the navigation service's answer: the list, a
// transient failure (the service down: 30007 on web), or the token's
// refusal, which ends the mechanism as an auth's 31004 does (the
// navigation checks the token: Server.NaviCheck).
func (c *Client) naviReply(m *Msg) {
	if !c.inFlight || m.Seq != c.seq || c.stepK != stepNavi {
		return // an abandoned attempt's answer: no socket was opened
	}
	c.cancel(TimerNavi)
	switch m.Code {
	case OK:
	case ReplyUnavailable:
		c.failTransientCode(vocab.ReasonUnavailable, CodeNaviFailed)
		return
	default: // the token refused (31004): terminal, as the auth's refusal
		c.failTerminal(m.Code)
		return
	}
	c.cacheNavi(c.token, m.N)
	c.openSocket(0)
}

// openAck handles a server's answer to a socket round.
func (c *Client) openAck(m *Msg) {
	if !c.inFlight || m.Seq != c.seq || c.stepK != stepSocket || m.N != c.server || int32(m.ID) != int32(c.round) {
		return // an abandoned socket: the client closed it
	}
	if m.Code != OK {
		if !c.nextSocket() { // the list's next server, in the same attempt
			c.failTransient(vocab.ReasonUnavailable)
		}
		return
	}
	c.round++
	if int(c.round) <= c.cfg.TLS {
		if c.round == 1 {
			c.attemptEffect(vocab.PhaseStep, vocab.StepTLS, 0)
		}
		m := c.send(MsgOpen, c.seq)
		m.N, m.ID = c.server, uint32(c.round)
		return
	}
	c.stepK = stepAuth
	c.attemptEffect(vocab.PhaseStep, vocab.StepAuth, 0)
	c.sendAuth()
}

// sendAuth sends the attempt's handshake (to the socket's server under
// AttemptFull).
func (c *Client) sendAuth() {
	m := c.send(MsgAuth, c.seq)
	m.Token, m.AppKey, m.Auto, m.N = c.token, c.appKey, c.has(markEverConnected), c.server
}

// naviTimeout handles TimerNavi: the navigation request of the attempt in
// flight got no answer in time.
func (c *Client) naviTimeout() {
	if c.inFlight && c.stepK == stepNavi {
		c.failTransientCode(vocab.ReasonAttemptTimeout, CodeNaviFailed)
	}
}

// returningAt gives a returning device (Config.Returning) what it holds
// at its first Connect: that call's token stored and its navigation
// answer cached (an earlier answer of the same service: Config.Servers).
func (c *Client) returningAt(token int32) {
	if !c.cfg.Returning || c.marks&markCalled != 0 {
		return
	}
	c.storedToken = token
	c.put(markStored, true)
	c.cacheNavi(token, int32(c.cfg.Servers))
}
