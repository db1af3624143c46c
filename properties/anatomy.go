package properties

// P20 and P21: the attempt as the model's anatomy makes it (docs/model.md
// "The attempt's anatomy", fsm/anatomy.go), read from a device's attempt
// records.
//
// P20, an attempt ends within its timeout: every attempt start is followed
// by its end (an attempt record of phase ok or fail) no later than the
// bound the SDK's timers give it, unless the trace ends first. The bound
// is the attempt timeout A (Config.AttemptTimeout) from the start, except
//
//   - during a navi step (attempt full): the navigation timeout NT
//     (Config.NaviTimeout) from that step when the profile times each
//     socket (web, fsm.Profile.SocketTimer), else min(A, NT) from the
//     start, whichever timer fires first;
//   - with SocketTimer under attempt full: A from the attempt's last
//     socket step (the per-socket timer; its TLS and auth run under it).
//
// The OS freezing the process (env os_suspend) drops an attempt with no
// record, so it ends the attempt too.
//
// P21, an attempt's steps come in order (attempt full only): a navi step
// first, and only without a fresh cached answer for the token of the
// device's call (fresh: fetched by a navi step of that token, or given by
// Config.Returning at the device's first Connect, less than NaviTTL ago;
// the answer is fetched when a socket step follows the navi step); else a
// socket step first. Then socket steps, at most Config.Servers, each after
// a navi step, a socket step (the previous server refused) or a tls step
// (the server refused a TLS round: the socket failed); after the socket
// opened, one tls step when Config.TLS > 0, then auth; ok only after auth.
// With SocketTimer a socket step may also follow an auth step, when that
// socket's timer ran out (A after its socket step). A failed attempt may
// end at any step.
//
// State: per device, the step of the attempt in flight, its sockets so
// far, the time its bound runs from, the token of its call and the cached
// answer's token and freshness (devState's att fields): 26 bytes.

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// The step of a device's attempt in flight (devState.step).
const (
	stepNone   uint8 = iota // no attempt in flight
	stepStart               // started, no step yet
	stepNavi                // the navigation request
	stepSocket              // a socket to a listed server
	stepTLS                 // TLS on the socket that opened
	stepAuth                // the handshake
	stepLate                // P20 reported it: the rest of it is not judged
)

var stepNames = [...]string{stepStart: vocab.PhaseStart.String(), stepNavi: vocab.StepNavi.String(), stepSocket: vocab.StepSocket.String(), stepTLS: vocab.StepTLS.String(), stepAuth: vocab.StepAuth.String()}

// attemptCfg is what P20 and P21 (and P17) take from the Config, computed
// once per trace (Monitor.Reset).
type attemptCfg struct {
	// How long after d.attT the attempt in flight may last (P20; see the
	// file's comment), the tolerance included: at its navi step (navi),
	// at any other (a); forever when P20 is not checked.
	a, navi time.Duration
	// P17 (idle.go): how long after a silent device's talk time its
	// session must be closed by: IdleTimeout + HBInterval + MaxDelay +
	// Tolerance.
	idle      time.Duration
	full      bool // the attempts are steps (P21 applies)
	sockTimer bool // the profile times each socket (web)
}

// setAttemptCfg computes m.att from m.cfg.
func (m *Monitor) setAttemptCfg() {
	c := &m.cfg
	t := &m.att
	t.full, t.sockTimer = c.Attempt == fsm.AttemptFull, c.Profile.Or().SocketTimer
	t.idle = c.IdleTimeout + c.HBInterval + c.MaxDelay + c.Tolerance
	t.a, t.navi = c.AttemptTimeout+c.Tolerance, min(c.AttemptTimeout, c.NaviTimeout)+c.Tolerance
	if t.sockTimer {
		t.navi = c.NaviTimeout + c.Tolerance
	}
	if c.AttemptTimeout <= 0 {
		t.a, t.navi = forever, forever
	}
}

// bound returns how long after d.attT the attempt in flight of d may last.
func (m *Monitor) bound(d *devState) time.Duration {
	if d.step == stepNavi {
		return m.att.navi
	}
	return m.att.a
}

// full reports whether the trace's attempts are steps (P21 applies).
func (m *Monitor) full() bool { return m.att.full }

// attemptDue returns when the attempt in flight of d must have ended
// (P20), the tolerance included.
func (m *Monitor) attemptDue(d *devState) time.Duration { return addSat(d.attT, m.bound(d)) }

// late reports whether record r of device d, whose attempt is in flight,
// comes after the attempt's bound (P20).
func (m *Monitor) late(d *devState, r *trace.Record) bool {
	return r.T-d.attT > m.bound(d)
}

// attemptLate reports P20 at record r of device d, whose attempt is in
// flight past its bound, and judges no more of that attempt.
func (m *Monitor) attemptLate(d *devState, r *trace.Record) {
	due := m.attemptDue(d) - m.cfg.Tolerance
	m.reportAt(20, "P20", r, fmt.Sprintf("%s at t=%s: the attempt in flight (%s since t=%s) had to end by t=%s",
		m.text(m.brief(r)), seconds(r.T), stepNames[d.step], seconds(d.attT), seconds(due)))
	d.step = stepLate
}

// attemptEnd checks P20 at the end of the trace (which reaches reach)
// for device d: an attempt still in flight whose bound the trace reaches
// past is reported on the end record idx at t (endDevices).
func (m *Monitor) attemptEnd(d *devState, reach time.Duration, idx int, t time.Duration) {
	if due := m.attemptDue(d); reach > due {
		m.report(20, "P20", idx, t, d.dev, fmt.Sprintf("dev%d: the attempt in flight (%s since t=%s) had to end by t=%s, and %s",
			d.dev, stepNames[d.step], seconds(d.attT), seconds(due-m.cfg.Tolerance), m.reachText()))
	}
}

// inFlight reports whether device d has an attempt in flight that P20
// still judges.
func (d *devState) inFlight() bool { return d.step-stepStart < stepLate-stepStart }

// anatomyStart checks P20 at attempt start r of device d (the attempt
// in flight, if any, had no end) and starts d's attempt.
func (m *Monitor) anatomyStart(d *devState, r *trace.Record) {
	if d.step != stepNone && d.step != stepLate && m.cfg.AttemptTimeout > 0 {
		m.reportAt(20, "P20", r, fmt.Sprintf("%s: the attempt in flight (%s since t=%s) had no end",
			m.text(m.brief(r)), stepNames[d.step], seconds(d.attT)))
	}
	d.step, d.socks, d.attT = stepStart, 0, r.T
}

// anatomyOK checks P21 at attempt ok r of device d and ends d's attempt.
func (m *Monitor) anatomyOK(d *devState, r *trace.Record) {
	if m.full() && d.step != stepAuth && d.step != stepNone && d.step != stepLate {
		m.reportAt(21, "P21", r, m.text(m.brief(r))+": an attempt succeeds only after its auth step, not after its "+stepNames[d.step])
	}
	d.step = stepNone
}

// step checks P21 at step record r of device d and moves d's attempt on.
func (m *Monitor) step(d *devState, r *trace.Record) {
	if d.step == stepNone {
		m.badStep(r, "a step with no attempt in flight")
		return
	}
	tol := m.cfg.Tolerance
	switch r.Reason {
	case vocab.StepNavi:
		switch {
		case d.step != stepStart:
			m.badStep(r, "the navigation comes first, not after the "+stepNames[d.step])
		case d.naviTok == d.tok && r.T < d.naviUntil-tol:
			m.badStep(r, fmt.Sprintf("token %d's navigation answer is fresh until t=%s (--navi-ttl %s): it is not fetched again",
				d.tok, seconds(d.naviUntil), m.cfg.NaviTTL))
		}
		d.step = stepNavi
		if m.att.sockTimer {
			d.attT = r.T // the navigation's own timer (else A and NT both run from the start)
		}
	case vocab.StepSocket:
		switch d.step {
		case stepStart:
			if d.naviTok != d.tok || r.T >= d.naviUntil+tol {
				m.badStep(r, fmt.Sprintf("no fresh navigation answer for token %d: the navigation comes first", d.tok))
			}
		case stepNavi:
			d.naviTok, d.naviUntil = d.tok, addSat(r.T, m.cfg.NaviTTL) // the answer came: cached
		case stepAuth:
			if !m.att.sockTimer || r.T < d.attT+m.cfg.AttemptTimeout-tol {
				m.badStep(r, "the auth was sent: the next listed server is tried only when a socket or its TLS fails"+timerText(m.att.sockTimer))
			}
		}
		if d.socks < 255 {
			d.socks++
		}
		if int(d.socks) > m.cfg.Servers {
			m.badStep(r, fmt.Sprintf("socket %d of one attempt: the navigation answer lists %d servers", d.socks, m.cfg.Servers))
		}
		d.step = stepSocket
		if m.att.sockTimer {
			d.attT = r.T
		}
	case vocab.StepTLS:
		switch {
		case d.step != stepSocket:
			m.badStep(r, "TLS runs on a socket that opened, not after the "+stepNames[d.step])
		case m.cfg.TLS == 0:
			m.badStep(r, "no TLS round trip (--tls 0)")
		}
		d.step = stepTLS
	case vocab.StepAuth:
		switch {
		case d.step == stepSocket && m.cfg.TLS > 0:
			m.badStep(r, fmt.Sprintf("the auth comes after TLS (--tls %d)", m.cfg.TLS))
		case d.step != stepSocket && d.step != stepTLS:
			m.badStep(r, "no auth before a socket opened: the auth follows the "+stepNames[stepSocket]+", not the "+stepNames[d.step])
		}
		d.step = stepAuth
	}
}

// badStep reports P21 at step record r: why it is out of order.
func (m *Monitor) badStep(r *trace.Record, why string) {
	m.reportAt(21, "P21", r, m.text(m.brief(r))+": "+why)
}

// timerText completes P21's message on a socket step after an auth step.
func timerText(socketTimer bool) string {
	if socketTimer {
		return " or its timer runs out (the attempt timeout after its socket step)"
	}
	return ""
}

// addSat returns t + d, saturating.
func addSat(t, d time.Duration) time.Duration {
	if s := t + d; s >= t {
		return s
	}
	return forever
}

// anatomyConnect applies connect call record r to device d: a returning
// device (Config.Returning) holds its first Connect's navigation answer.
func (m *Monitor) anatomyConnect(d *devState, r *trace.Record) {
	d.naviTok, d.naviUntil = r.Token, addSat(r.T, m.cfg.NaviTTL)
}
