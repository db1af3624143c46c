package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/trace"
)

// Attempt and lost reasons that matter to the schedule.
const (
	rConnect        = "connect"
	rSchedule       = "schedule"
	rNetworkUp      = "network-up"
	rNetworkChange  = "network-change"
	rForeground     = "foreground"
	rAttemptTimeout = "attempt-timeout"
	rUnavailable    = "unavailable"
	rIPC            = "ipc-disconnect"
	rNetworkDown    = "network-down"
	rHeartbeat      = "heartbeat"
	rGone           = "gone"
)

// backoff is one device's schedule state (P6).
//
// Invariants: waiting implies streak >= 1 and due = failT +
// interval(streak); a reset sets streak to 0 and clears waiting; a pause or
// a stop clears waiting.
type backoff struct {
	streak  int           // counted transient failures since the last reset
	waiting bool          // a counted failure awaits its scheduled attempt
	due     time.Duration // when that attempt must start
	failIdx int           // the record of that failure
	offline bool          // the network is off: env net_off, no net_on since
	reset   bool          // a reset has happened (resetT is meaningful)
	resetT  time.Duration // time of the last reset that may start an attempt at once
}

// CheckP6 checks P6 (schedule) per device. After counted failure k of a
// streak at t (k counts since the last reset; a counting lost record is
// failure 1 of a new streak), the next attempt starts at exactly
// t + cfg.Schedule[min(k, len)-1], unless a reset, a pause or a stop comes
// first, or the trace ends first. An env net_on is a reset only after a
// net_off (the network becomes available again), a net_change only while
// the network is on; foreground always is. Violations:
//
//   - an attempt start with reason "schedule" when no counted failure is
//     waiting, or at another time than the one due;
//   - a start with any other reason while a failure is waiting and before
//     its time, unless the reason is "connect", or it is a reset's
//     (network-up, network-change, foreground) at the time of a reset;
//   - no start by the time due while the trace goes on past it (blamed on
//     the first record after that time).
//
// With an empty cfg.Schedule, P6 is not checked.
func CheckP6(cfg Config, recs []trace.Record) []Violation {
	if len(cfg.Schedule) == 0 {
		return nil
	}
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	var bbuf [8]backoff
	devs := bbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if r.Kind.Detail() {
			continue
		}
		for d := range devs {
			if int(r.Dev) == d && isAttempt(r, "start") {
				continue // a late start: b.start says how late
			}
			if b := &devs[d]; b.waiting && r.T > b.due {
				out = append(out, violation("P6", recs, i, fmt.Sprintf(
					"dev%d: no attempt started at t=%s, %s after counted failure %d (%s at record %d)",
					d, seconds(b.due), seconds(cfg.interval(b.streak)), b.streak,
					describe(&recs[b.failIdx]), b.failIdx)))
				b.waiting = false
			}
		}
		if r.Dev < 0 {
			continue
		}
		devs = at(devs, r.Dev)
		b := &devs[r.Dev]
		switch r.Kind {
		case trace.KCall:
			if accepted(calls, recs, i) {
				b.streak, b.waiting = 0, false
			} else if isDisconnect(r) {
				b.stop()
			}
		case trace.KCallback, trace.KStatus:
			if stops(r) {
				b.stop()
			}
		case trace.KEnv:
			switch {
			case r.Op == envNetOff:
				b.waiting, b.offline = false, true
			case r.Op == envNetOn && b.offline, r.Op == envNetChange && !b.offline, r.Op == envFore:
				b.restart(r)
			}
			if r.Op == envNetOn {
				b.offline = false
			}
		case trace.KLost:
			switch r.Reason {
			case rHeartbeat, rIPC, rGone:
				b.streak = 0
				b.fail(cfg, r, i)
			case rNetworkChange:
				b.restart(r)
			default: // network-down pauses; an unknown reason expects nothing
				b.waiting = false
			}
		case trace.KAttempt:
			switch r.Phase {
			case "ok":
				b.streak, b.waiting = 0, false
			case "fail":
				switch r.Reason {
				case rAttemptTimeout, rUnavailable, rIPC:
					b.fail(cfg, r, i)
				case rNetworkChange:
					b.restart(r)
				default: // network-down, cancelled, error, kicked, unknown
					b.waiting = false
				}
			case "start":
				if msg := b.start(r); msg != "" {
					out = append(out, violation("P6", recs, i, msg))
				}
				b.waiting = false
			}
		}
	}
	return out
}

// fail counts a transient failure.
func (b *backoff) fail(cfg Config, r *trace.Record, i int) {
	b.streak++
	b.waiting, b.due, b.failIdx = true, r.T+cfg.interval(b.streak), i
}

// restart is a reset that may start an attempt at once.
func (b *backoff) restart(r *trace.Record) {
	b.streak, b.waiting = 0, false
	b.reset, b.resetT = true, r.T
}

// stop leaves the mechanism: no attempt is expected.
func (b *backoff) stop() { b.streak, b.waiting = 0, false }

// start returns why attempt start r breaks the schedule, or "".
func (b *backoff) start(r *trace.Record) string {
	atReset := b.reset && b.resetT == r.T
	switch r.Reason {
	case rConnect:
		return ""
	case rSchedule:
		if !b.waiting {
			return "attempt start (schedule) with no counted failure waiting for it"
		}
		if r.T != b.due {
			return fmt.Sprintf("attempt start (schedule) at t=%s; counted failure %d at record %d makes it due at t=%s",
				seconds(r.T), b.streak, b.failIdx, seconds(b.due))
		}
		return ""
	case rNetworkUp, rNetworkChange, rForeground:
		if atReset {
			return ""
		}
	}
	if b.waiting && r.T < b.due {
		return fmt.Sprintf("%s at t=%s, before t=%s when counted failure %d at record %d makes the next attempt due",
			describe(r), seconds(r.T), seconds(b.due), b.streak, b.failIdx)
	}
	return ""
}
