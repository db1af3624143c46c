package netmodel

import (
	"math/rand/v2"
	"time"
)

// The TCP model's constants, Linux's defaults (and gVisor's where they agree).
const (
	TCPInitialRTO    = time.Second            // RFC 6298 (2.1), Linux TCP_TIMEOUT_INIT: SYN and SYN-ACK
	TCPMinRTO        = 200 * time.Millisecond // Linux TCP_RTO_MIN, the RTO's floor
	TCPMaxRTO        = 120 * time.Second      // Linux TCP_RTO_MAX, the backed-off RTO's ceiling
	TCPSynRetries    = 6                      // net.ipv4.tcp_syn_retries: SYN retransmissions before connect fails
	TCPSynAckRetries = 6                      // the server's SYN-ACK retransmissions: gVisor's (its 1 s timer doubles while <= 120 s); Linux's tcp_synack_retries is 5
	TCPRetries2      = 15                     // net.ipv4.tcp_retries2, read as a count: data retransmissions before the connection fails
	// TCPTLPDelay is what RACK's tail loss probe adds to 2*SRTT when one
	// segment is outstanding (RFC 8985 7.2, WCDelAckT; gVisor's
	// wcDelayedACKTimeout, Linux's TCP_DELACK_MAX).
	TCPTLPDelay = 200 * time.Millisecond
)

// Conn is the TCP connection of one device's link (transport tcp). It is a
// flat value, reset by Net.TCPConnect.
//
// Invariants: Gen increments on every TCPConnect, so a segment stamped
// with an older Gen belongs to a closed connection; once Failed, the
// connection carries nothing until the next TCPConnect; last[d] never
// decreases within one Gen (delivery is in order, FIFO per direction).
type Conn struct {
	Gen    uint32 // connection generation; 0 = never connected
	Open   bool   // the handshake completed and the connection has not failed
	Failed bool   // SYN or data retransmissions ran out
	// snd[d] is the RTO state of the sender of direction d: DirUp is the
	// client's, DirDown the server's.
	snd [2]rtoState
	// last[d] is the latest delivery time in direction d.
	last [2]time.Duration
	// srvFrom is the send time of the SYN-ACK the client answered, while
	// the server still waits for the handshake's ACK (for its first RTT
	// sample); -1 once taken.
	srvFrom time.Duration
}

// rtoState is one sender's retransmission timer state (RFC 6298).
type rtoState struct {
	srtt, rttvar time.Duration
	rto          time.Duration // current RTO, before backoff
	sampled      bool
}

// sample folds one RTT measurement into the state (RFC 6298 (2.2), (2.3)),
// with the 200 ms floor and 120 s ceiling.
func (s *rtoState) sample(r time.Duration) {
	if !s.sampled {
		s.srtt, s.rttvar, s.sampled = r, r/2, true
	} else {
		d := s.srtt - r
		if d < 0 {
			d = -d
		}
		s.rttvar = (3*s.rttvar + d) / 4
		s.srtt = (7*s.srtt + r) / 8
	}
	s.rto = min(max(s.srtt+4*s.rttvar, TCPMinRTO), TCPMaxRTO)
}

// pto returns the tail loss probe's timeout for a lone outstanding
// segment: 2*SRTT + TCPTLPDelay, or 1 s before any sample (RFC 8985
// 7.2, as gVisor's schedulePTO).
func (s *rtoState) pto() time.Duration {
	if !s.sampled || s.srtt <= 0 {
		return time.Second
	}
	return 2*s.srtt + TCPTLPDelay
}

// current returns the RTO to arm for a new segment: the computed one, or
// the initial 1 s before any sample (RFC 6298 (2.1)).
func (s *rtoState) current() time.Duration {
	if !s.sampled {
		return TCPInitialRTO
	}
	return s.rto
}

// ConnID names one of a device's TCP connections.
type ConnID uint8

// The connections of a device.
const (
	// ConnIM is the connection to the IM server: the attempt's socket,
	// its TLS flights, auth and the session's messages.
	ConnIM ConnID = iota
	// ConnNavi is the connection to the navigation service: each
	// navigation step opens a new one for its HTTP request.
	ConnNavi
)

// hsEvent is one event of the handshake's small event list.
type hsEvent struct {
	at   time.Duration
	kind uint8         // hsSynTx, hsSynArr, hsSynAckTimer, hsSynAckArr
	n    int           // hsSynTx, hsSynAckTimer: the retransmission number
	from time.Duration // hsSynAckArr: send time of the SYN the SYN-ACK echoes; hsSynArr: its send time
	sent time.Duration // hsSynAckArr: send time of this SYN-ACK
}

const (
	hsSynTx uint8 = iota
	hsSynArr
	hsSynAckTimer
	hsSynAckArr
)

// TCPConnect opens a new TCP connection on device dev's link at time now
// (the client's connect) and runs its handshake to the end:
//
//   - the client sends SYN at now and again each time its RTO expires,
//     starting at 1 s and doubling, at most TCPSynRetries times; connect
//     fails when the RTO after the last retransmission expires (127 s);
//   - the server answers the first SYN that arrives with a SYN-ACK and
//     retransmits the SYN-ACK on its own timer (1 s doubling, at most
//     TCPSynAckRetries times); a later copy of the SYN gets a bare ACK
//     (out of window in SYN-RCVD, RFC 793 p. 69, as gVisor does), which
//     does not connect the client (Linux would resend the SYN-ACK instead);
//   - the client is connected when the first SYN-ACK arrives and sends the
//     handshake's ACK. Timestamps are on (Linux's and gVisor's default), so
//     each side takes its first RTT sample there even after
//     retransmissions; as in gVisor, which stamps every copy of its SYN or
//     SYN-ACK with the first copy's TSval, the sample runs from the first
//     copy: the client's from now, the server's from its first SYN-ACK
//     (Linux stamps each copy afresh, so its sample would run from the copy
//     answered). A lost SYN thus leaves a long SRTT and a long data RTO.
//
// It returns when the client is connected (ok) or when connect fails. Each
// segment is one Send on the link (loss draw, then jitter draw), drawn in
// the order the segments are sent; ties run in the order they were
// scheduled. The server is connected when the ACK, or the first data
// segment, arrives. It never allocates.
func (n *Net) TCPConnect(st Stream, dev int, now time.Duration) (at time.Duration, ok bool) {
	return n.TCPConnectOn(st, dev, ConnIM, now)
}

// TCPConnectOn is TCPConnect on the device's connection id; every
// connection of a device crosses the device's one link.
func (n *Net) TCPConnectOn(st Stream, dev int, id ConnID, now time.Duration) (at time.Duration, ok bool) {
	c := n.Conn(dev, id)
	*c = Conn{Gen: c.Gen + 1, srvFrom: -1}
	var evs [32]hsEvent // at most 7 SYNs, 7 SYN arrivals, 5 timers, 13 SYN-ACKs in flight; bounded below
	ne := 0
	push := func(e hsEvent) {
		if ne < len(evs) {
			evs[ne] = e
			ne++
		}
	}
	pop := func() hsEvent {
		b := 0
		for i := 1; i < ne; i++ {
			if evs[i].at < evs[b].at { // ties: the earlier pushed (events stay in push order)
				b = i
			}
		}
		e := evs[b]
		copy(evs[b:ne], evs[b+1:ne])
		ne--
		return e
	}
	synAck := func(t, from time.Duration) {
		if v, d, _ := n.Send(st, dev, DirDown); v == Pass {
			push(hsEvent{at: t + d, kind: hsSynAckArr, from: from, sent: t})
		}
	}
	push(hsEvent{at: now, kind: hsSynTx})
	srvUp := false                // the server has seen a SYN
	var firstSynAck time.Duration // when the server sent its first SYN-ACK
	giveUp := now + TCPInitialRTO*(1<<(TCPSynRetries+1)-1)
	for ne > 0 {
		e := pop()
		if e.at >= giveUp {
			break
		}
		switch e.kind {
		case hsSynTx:
			if v, d, _ := n.Send(st, dev, DirUp); v == Pass {
				push(hsEvent{at: e.at + d, kind: hsSynArr, from: e.at})
			}
			if e.n < TCPSynRetries {
				push(hsEvent{at: e.at + TCPInitialRTO<<e.n, kind: hsSynTx, n: e.n + 1})
			}
		case hsSynArr:
			if srvUp {
				n.Send(st, dev, DirDown) // the bare ACK: a packet, useless to the client
				break
			}
			srvUp, firstSynAck = true, e.at
			push(hsEvent{at: e.at + TCPInitialRTO, kind: hsSynAckTimer, n: 1})
			synAck(e.at, now)
		case hsSynAckTimer:
			synAck(e.at, now)
			if e.n < TCPSynAckRetries {
				push(hsEvent{at: e.at + TCPInitialRTO<<e.n, kind: hsSynAckTimer, n: e.n + 1})
			}
		case hsSynAckArr:
			c.Open = true
			c.snd[DirUp].sample(e.at - e.from)
			c.last = [2]time.Duration{e.at, e.at}
			c.srvFrom = firstSynAck
			// The handshake's ACK.
			if v, d, _ := n.Send(st, dev, DirUp); v == Pass {
				c.snd[DirDown].sample(e.at + d - firstSynAck)
				c.srvFrom = -1
			}
			return e.at, true
		}
	}
	c.Failed = true
	return giveUp, false
}

// TCPSend carries one data segment (a message) over device dev's
// connection in direction dir, sent at time now, and returns when it
// arrives (at, ok) or, when its retransmissions run out, when the
// connection fails (at, !ok; the connection is then Failed).
//
// The sender transmits at now; if no ACK has come by the tail loss
// probe's timeout (RACK-TLP, RFC 8985 7.2, on by default in Linux and
// gVisor: PTO = 2*SRTT + 200 ms for a lone segment), it sends the probe,
// a copy of the segment, and arms the RFC 6298 RTO (from its SRTT and
// RTTVAR, 200 ms floor); each time the RTO expires it sends again and
// doubles the RTO (up to 120 s), until an ACK arrives, at most
// TCPRetries2 retransmissions in all, the probe included; the connection
// fails when the RTO after the last one expires. The
// receiver acknowledges each copy that arrives at once with a pure ACK (no
// delayed ACK; an answer's piggybacked ACK is modelled as that ACK), which
// crosses the link in the other direction; the first ACK to arrive stops
// the retransmissions and gives the sender one RTT sample (its arrival
// minus the send time of the copy it acknowledges: timestamps) and resets
// the backoff. Delivery is in order: a segment is delivered no earlier
// than the one before it in the same direction (head-of-line blocking).
//
// Draws: for each copy in send order, one Send in direction dir, then, if
// it arrived, one Send in the other direction for its ACK. Copies whose
// ACK would arrive after the next expiry are still drawn as sent. It never
// allocates.
func (n *Net) TCPSend(st Stream, dev int, dir Dir, now time.Duration) (at time.Duration, ok bool) {
	return n.TCPSendOn(st, dev, ConnIM, dir, now)
}

// TCPSendOn is TCPSend on the device's connection id.
func (n *Net) TCPSendOn(st Stream, dev int, id ConnID, dir Dir, now time.Duration) (at time.Duration, ok bool) {
	c := n.Conn(dev, id)
	if !c.Open || c.Failed {
		return now, false
	}
	s := &c.snd[dir]
	rto := s.current()
	// The first retransmission is RACK's tail loss probe, after the PTO;
	// the RTO timer, armed after the probe, takes over from there.
	next := now + s.pto()
	const never = time.Duration(1<<63 - 1)
	arrive, ackAt, ackFrom := never, never, time.Duration(0)
	t := now
	for k := 0; ; k++ {
		if v, d, _ := n.Send(st, dev, dir); v == Pass {
			a := t + d
			if a < arrive {
				arrive = a
			}
			if dir == DirUp && c.srvFrom >= 0 {
				// The first data from the client completes the server's handshake.
				c.snd[DirDown].sample(a - c.srvFrom)
				c.srvFrom = -1
			}
			if v2, d2, _ := n.Send(st, dev, 1-dir); v2 == Pass && a+d2 < ackAt {
				ackAt, ackFrom = a+d2, t
			}
		}
		if ackAt <= next {
			s.sample(ackAt - ackFrom)
			break
		}
		if k == TCPRetries2 {
			c.Failed, c.Open = true, false
			return next, false
		}
		t = next
		if k > 0 {
			rto = min(2*rto, TCPMaxRTO)
		}
		next = t + rto
	}
	arrive = max(arrive, c.last[dir])
	c.last[dir] = arrive
	return arrive, true
}

// TrialSeed mixes (seed, trial) into the two PCG seed words of trial
// number trial of a run (splitmix64). sim seeds each trial with it, so
// FirstAnswerTCP(..., seed, trial) draws what `sim run --seed seed` draws
// in trial number trial.
func TrialSeed(seed uint64, trial int) (uint64, uint64) {
	return TrialSeedOf(RunSeed(seed), trial)
}

// RunSeed is the first word of every TrialSeed(seed, trial): the run's
// seed mixed, which a caller seeding many trials of one run can keep.
func RunSeed(seed uint64) uint64 { return splitmix(seed) }

// TrialSeedOf is TrialSeed(seed, trial) given run = RunSeed(seed).
func TrialSeedOf(run uint64, trial int) (uint64, uint64) {
	return run, splitmix(run ^ splitmix(uint64(trial)+0x632be59bd9b4e019))
}

// splitmix is splitmix64's step from state z.
func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// FirstAnswerTCP is the TCP model's answer to "how long from connect to
// the first answered request": on one link with Bernoulli packet loss
// loss in each direction and one-way latency latency, trial number trial
// of seed seed, it opens a connection at t=0 (TCPConnect), sends one
// request as soon as the client is connected (TCPSend up), and the server
// answers as soon as the request arrives (TCPSend down). It returns the
// answer's arrival time, or ok = false when connect or a retransmission
// gives up (d is then the time it gave up). No application timeout
// applies. It is what `sim run --transport tcp --attempt-timeout 30m
// --time-limit 0` reports as time to connect, trial by trial, and what the
// gVisor validation compares with a real TCP stack.
func FirstAnswerTCP(loss float64, latency time.Duration, seed uint64, trial int) (d time.Duration, ok bool) {
	p := DefaultParams()
	p.Loss, p.Latency, p.Transport = loss, latency, TransportTCP
	return p.FirstAnswerTCP(seed, trial)
}

// FirstAnswerTCP is FirstAnswerTCP with every network parameter of p
// (loss models, per-direction loss, jitter).
func (p Params) FirstAnswerTCP(seed uint64, trial int) (d time.Duration, ok bool) {
	return p.AttemptTCP(seed, trial, false, 1)
}

// AttemptTCP is the TCP model's time for an attempt's steps (attempt
// full), with no application timeout, trial number trial of seed: with
// navi, the navigation step first: a connection of its own (ConnNavi),
// its request and its answer; then the IM server's connection and
// exchanges request/answer pairs on it, each sent as soon as the one
// before is answered (the TLS flights, then auth: Config.TLS + 1). It
// returns the last answer's arrival, or ok = false when a connect or a
// retransmission gives up (d is then when). AttemptTCP(seed, trial,
// false, 1) is FirstAnswerTCP; tcpcheck compares the rest with gVisor.
func (p Params) AttemptTCP(seed uint64, trial int, navi bool, exchanges int) (d time.Duration, ok bool) {
	var n Net
	n.Reset(p, 1)
	st := NewStream(rand.NewPCG(TrialSeed(seed, trial)))
	t := time.Duration(0)
	if navi {
		if t, ok = n.exchangeTCP(st, ConnNavi, t, 1); !ok {
			return t, false
		}
	}
	return n.exchangeTCP(st, ConnIM, t, exchanges)
}

// exchangeTCP opens device 0's connection id at now and runs k
// request/answer exchanges on it, one after the other.
func (n *Net) exchangeTCP(st Stream, id ConnID, now time.Duration, k int) (time.Duration, bool) {
	t, ok := n.TCPConnectOn(st, 0, id, now)
	for range k {
		if !ok {
			break
		}
		if t, ok = n.TCPSendOn(st, 0, id, DirUp, t); ok {
			t, ok = n.TCPSendOn(st, 0, id, DirDown, t)
		}
	}
	return t, ok
}

// Conn returns device dev's TCP connection id, making room for every
// device's on first use (Reset does for ConnIM with transport tcp).
func (n *Net) Conn(dev int, id ConnID) *Conn {
	cs := &n.Conns
	if id == ConnNavi {
		cs = &n.NaviConns
	}
	if len(*cs) < len(n.Links) {
		*cs = append(*cs, make([]Conn, len(n.Links)-len(*cs))...)
	}
	return &(*cs)[dev]
}
