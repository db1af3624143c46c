package netmodel

import (
	"math"
	"time"
)

// Verdict is the fate of one message decided by Send.
type Verdict uint8

// The verdicts of Send.
const (
	Pass        Verdict = iota // the message is on its way; it arrives after the delay if still Deliverable
	DropOffline                // the device has no network
	DropLoss                   // the message was lost
)

var verdictNames = [...]string{"pass", "offline", "loss"}

// String returns "pass", "offline" or "loss".
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "?"
}

// Send decides the fate of one message (or, over TCP, one packet) sent on
// device dev's link in direction dir. The rules and the order of draws
// are in the package doc. epoch is the link's epoch at sending time, to
// give to Deliverable at arrival time. It does not allocate.
func (n *Net) Send(s Stream, dev int, dir Dir) (v Verdict, delay time.Duration, epoch uint32) {
	l := &n.Links[dev]
	pa := &l.Path[dir]
	if c := pa.cut; l.Up && drawsLoss(c) && s.PCG != nil && n.P.Jitter <= 0 {
		// send's common case, written out: with no call on its path it
		// saves nothing on the stack, and PCG.Uint64 inlines.
		lost := cutLoses(c, s.PCG.Uint64())
		n.tally.count(pa, lost)
		if lost {
			return DropLoss, 0, l.Epoch
		}
		return Pass, l.Latency, l.Epoch
	}
	return n.send(s, l, pa)
}

// send is Send of a message on link l's path pa.
func (n *Net) send(s Stream, l *Link, pa *Path) (v Verdict, delay time.Duration, epoch uint32) {
	if !l.Up {
		return DropOffline, 0, l.Epoch
	}
	var lost bool
	if c := pa.cut; drawsLoss(c) {
		lost = cutLoses(c, s.uint64())
	} else if c != cutNever {
		lost = c == cutAlways || pa.loseGE(s, &n.Models[pa.Model].GE)
	}
	n.tally.count(pa, lost)
	if lost {
		return DropLoss, 0, l.Epoch
	}
	return Pass, n.P.delay(s, l.Latency), l.Epoch
}

// delay returns latency plus one jitter sample (no draw when
// Jitter <= 0), saturated to [0, math.MaxInt64].
func (p *Params) delay(s Stream, latency time.Duration) time.Duration {
	d := max(latency, 0)
	if p.Jitter <= 0 {
		return d
	}
	j := p.JitterDist.sample(s) * float64(p.Jitter)
	if !(j < math.MaxInt64) { // also catches NaN, +Inf
		return math.MaxInt64
	}
	jd := time.Duration(j) // >= 0: every sample is >= 0 and Jitter > 0
	if d > math.MaxInt64-jd {
		return math.MaxInt64
	}
	return d + jd
}

// Deliverable reports whether a message sent with epoch on device dev's link
// arrives now: the link is up and still on that epoch.
func (n *Net) Deliverable(dev int, epoch uint32) bool {
	l := &n.Links[dev]
	return l.Up && l.Epoch == epoch
}

// Unavailable decides whether the server answers an Auth "unavailable".
// It draws one Float64 only when 0 < ServerUnavailable < 1.
func (n *Net) Unavailable(s Stream) bool {
	p := n.P.ServerUnavailable
	if !(p > 0) {
		return false
	}
	if p >= 1 {
		return true
	}
	return s.float64() < p
}
