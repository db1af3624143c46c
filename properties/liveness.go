package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Heal is what P8 (eventually connected) needs besides the trace: the
// moment from which the world is healed, and what one attempt takes.
//
// Healed means: no message is lost, every device has its network (and
// its app in the foreground, where the SDK disconnects in the background:
// iOS), the server is available and the credentials are valid (app key
// valid, user not blocked). A token that expired or was invalidated before stays so:
// the client's next attempt then ends its call with a terminal error,
// which ends the obligation legitimately.
type Heal struct {
	At             time.Duration // the world is healed from this moment on
	AttemptTimeout time.Duration // an attempt with no answer by then fails transiently (web under attempt full: its navigation's or a socket's timer, the longer)
	RoundTrip      time.Duration // the longest an attempt's round trips take (latency and jitter, both ways, times the attempt's round trips: 1 under --attempt auth, navigation + socket + TLS + auth under full)
}

// Bound returns P8's bound: the policy's longest gap plus one
// attempt (h.AttemptTimeout plus h.RoundTrip). A client that waits the
// longest interval, or whose attempt in flight when the world healed is
// doomed (it times out, then waits), has an attempt through by then.
func (h Heal) Bound(cfg Config) time.Duration {
	var longest time.Duration
	if cfg.Policy != nil {
		longest = cfg.Policy.Longest()
	}
	return longest + h.AttemptTimeout + h.RoundTrip
}

// CheckP8 checks P8 (eventually connected), a liveness property, over a
// trace whose world was healed at h.At.
//
// A device is obliged from its latest accepted Connect call with timeLimit
// <= 0 until it stops: a terminal error, a status change to a stopped
// status (KICKED_OFFLINE_BY_OTHER_CLIENT, TOKEN_INCORRECT,
// CONN_USER_BLOCKED, UNCONNECTED, TIMEOUT, SIGN_OUT) or a Disconnect/Logout
// call. Calls with timeLimit > 0 oblige nothing, nor does any call of a
// device whose native library is missing (env native_lib_missing: its SDK
// can never connect, P5). While obliged, after the
// heal, every stretch of time in which the device's status is not
// CONNECTED lasts at most h.Bound(cfg), counted from the latest of: the
// start of the stretch, the call, the heal. Since a healed network loses
// nothing from any later moment on either, this is P8 at every moment
// after the heal, not only at h.At.
//
// A stretch that outlasts the bound is a violation, blamed on the first
// record after its deadline (a trace that ends before then gives no
// verdict). One violation per stretch.
func CheckP8(cfg Config, recs []trace.Record, h Heal) []Violation {
	// oblig is a device's obligation. Invariant: reported implies on and
	// not connected.
	type oblig struct {
		on, connected, reported bool
		noLib                   bool          // env native_lib_missing: never obliged
		since                   time.Duration // start of the stretch not CONNECTED
		idx                     int           // the obliging call record
	}
	bound := h.Bound(cfg)
	deadline := func(o *oblig) time.Duration { return max(o.since, h.At) + bound }
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	var obuf [8]oblig
	devs := obuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if r.Kind.Detail() {
			continue
		}
		for d := range devs {
			o := &devs[d]
			if o.on && !o.connected && !o.reported && r.T > deadline(o) {
				o.reported = true
				out = append(out, violation("P8", recs, i, fmt.Sprintf(
					"dev%d not CONNECTED by t=%s: not connected since t=%s, healed at t=%s, bound %s (longest interval + attempt timeout + round trip); obliged by connect call %d at record %d",
					d, seconds(deadline(o)), seconds(o.since), seconds(h.At), seconds(bound), recs[o.idx].Call, o.idx)))
			}
		}
		if r.Dev < 0 {
			continue
		}
		devs = at(devs, r.Dev)
		o := &devs[r.Dev]
		switch {
		case r.Kind == trace.KEnv && r.Op == vocab.EnvNoNativeLib:
			*o = oblig{noLib: true} // it can never connect (P5): nothing obliges it
		case accepted(calls, recs, i):
			*o = oblig{on: r.TimeLimit <= 0 && !o.noLib, since: r.T, idx: i, noLib: o.noLib}
		case r.Kind == trace.KStatus:
			if r.Status == fsm.Connected {
				o.connected, o.reported = true, false
			} else if o.connected {
				o.connected, o.since = false, r.T
			}
			if Stops(r) {
				o.on = false
			}
		case Stops(r):
			o.on = false
		}
	}
	return out
}
