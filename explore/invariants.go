package explore

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
)

// invariant is a state invariant Run checks in every reached state.
// Each protects a property that needs real time or a whole trial to check
// on a trace: it says, without time, that the core is never stuck and never
// holds machinery it should have dropped.
type invariant struct {
	id    string // "I1" ...
	about string // what it says, and which property it protects
	check func(w *world, s *fsm.Snapshot) string
}

// Invariants lists the state invariants Run checks, with what each
// says: "I1 status: ...".
func Invariants() []string { return InvariantsOf(nil) }

// InvariantsOf is Invariants for a client of profile prof (nil:
// android): I6 holds only for a profile that follows the environment
// (fsm.Profile.FollowsEnvironment), so under another (web) it says so,
// and not while an SDK that disconnects in the background (ios) is
// stopped there.
func InvariantsOf(prof *fsm.Profile) []string {
	out := make([]string, len(invariants))
	for i, inv := range invariants {
		out[i] = inv.id + " " + inv.about
		switch {
		case inv.id == "I6" && !prof.Or().FollowsEnvironment:
			out[i] += "; not checked: profile " + prof.Or().Name + " ignores the environment"
		case inv.id == "I6" && prof.Or().BgDisconnectAfter > 0:
			out[i] += "; not while stopped in the background (profile " + prof.Or().Name + ": no attempt until the foreground)"
		}
	}
	return out
}

var invariants = []invariant{
	{"I1", "status: CurrentStatus() and the last status told to listeners agree (P7)", invStatus},
	{"I2", "machinery: an active status holds exactly the attempt, wait or heartbeat it needs, with its timer live; a stopped one holds none and no pending call (P5, P8)", invMachinery},
	{"I3", "calls: every accepted Connect call with no terminal callback and no Disconnect since is the core's pending call: none is forgotten (P2, P9)", invCalls},
	{"I4", "time limit: a pending call with a time limit and no success has its time-limit timer live (P2)", invLimit},
	{"I5", "network: the core's view of the network is the network's (P6's resets)", invNet},
	{"I6", "reset: right after a network change, the network coming back or the foreground, a client in the connection mechanism is not waiting on the schedule: it attempts at once (P6's resets)", invReset},
	{"I7", "navigation: under attempt full, an attempt asks the navigation service exactly when the client holds no fresh answer for its token (the cache)", invSteps("I7")},
	{"I8", "failover: under attempt full, an attempt's sockets go to the listed servers in list order, each once, from the first", invSteps("I8")},
}

func (w *world) live(k fsm.TimerKind) bool { return w.gens[k] != 0 && w.c.TimerLive(k, w.gens[k]) }

func invStatus(w *world, s *fsm.Snapshot) string {
	if w.mon.status != s.Status {
		return fmt.Sprintf("CurrentStatus() is %s but listeners were last told %s", s.Status, w.mon.status)
	}
	return ""
}

func invMachinery(w *world, s *fsm.Snapshot) string {
	att, retry, ping, pong := w.live(fsm.TimerAttempt), w.live(fsm.TimerRetry), w.live(fsm.TimerPing), w.live(fsm.TimerPong)
	var bad string
	switch {
	case s.BgStopped && (s.Status == fsm.Suspend || s.Status == fsm.NetworkUnavailable):
		// Stopped in the background (ios): paused until the foreground.
		if s.InFlight || s.Waiting || att || retry || ping || pong {
			bad = "attempt, wait or heartbeat machinery while stopped in the background"
		}
	case s.Status == fsm.Connecting:
		switch {
		case s.InFlight == s.Waiting:
			bad = fmt.Sprintf("in flight %v and waiting %v: want exactly one", s.InFlight, s.Waiting)
		case s.InFlight && !att && !(w.prof.SocketTimer && w.live(fsm.TimerNavi)):
			// A profile whose attempt timer bounds each socket
			// (web) has the navigation timer alone in the
			// navigation step.
			bad = "an attempt in flight with no attempt timer"
		case s.Waiting && !retry:
			bad = "waiting with no retry timer"
		}
	case s.Status == fsm.Suspend:
		if !s.Waiting || s.InFlight || !retry {
			bad = fmt.Sprintf("want waiting on a live retry timer (waiting %v, in flight %v, retry timer %v)", s.Waiting, s.InFlight, retry)
		}
	case s.Status == fsm.Connected:
		switch {
		case s.InFlight || s.Waiting:
			bad = "an attempt in flight or waiting while connected"
		case s.AwaitingPong && !pong:
			bad = "awaiting a pong with no pong timer"
		case !s.AwaitingPong && !ping:
			bad = "no ping timer"
		}
	case s.Status == fsm.NetworkUnavailable:
		if s.InFlight || s.Waiting || att || retry || ping || pong {
			bad = "attempt, wait or heartbeat machinery while offline"
		}
	default:
		switch {
		case s.Pending:
			bad = "a pending call in a stopped status"
		case s.InFlight || s.Waiting || att || retry || ping || pong || w.live(fsm.TimerLimit):
			bad = "attempt, wait, heartbeat or time-limit machinery in a stopped status"
		}
	}
	if bad != "" {
		return s.Status.String() + ": " + bad
	}
	return ""
}

func invCalls(w *world, s *fsm.Snapshot) string {
	for _, f := range w.mon.calls {
		if !f.terminal && !f.ended && !(s.Pending && s.Call == f.id) {
			return fmt.Sprintf("call %d was accepted and has had no terminal callback and no Disconnect, but the core's pending call is %d (pending %v): call %d will never get one",
				f.id, s.Call, s.Pending, f.id)
		}
	}
	return ""
}

func invLimit(w *world, s *fsm.Snapshot) string {
	if s.Pending && !s.EverConnected && w.limited && !w.live(fsm.TimerLimit) {
		return "the call is pending, not yet connected, with a time limit, and no time-limit timer is live: 34006 would never come"
	}
	return ""
}

func invNet(w *world, s *fsm.Snapshot) string {
	if s.NetUp != w.netUp {
		return fmt.Sprintf("the core thinks the network is up=%v, it is up=%v", s.NetUp, w.netUp)
	}
	return ""
}

func invReset(w *world, s *fsm.Snapshot) string {
	if !w.prof.FollowsEnvironment || s.BgStopped {
		// The web engine ignores the environment: nothing resets its
		// schedule; an SDK stopped in the background (ios) attempts
		// nothing until the foreground (docs/profiles.md). InvariantsOf.
		return ""
	}
	switch w.last {
	case mvNetChange, mvNetOn, mvForeground:
	default:
		return ""
	}
	if s.Waiting || s.Status == fsm.Suspend {
		return fmt.Sprintf("%s and waiting on the schedule right after %s: a reset attempts at once",
			s.Status, move{kind: w.last}.label(w))
	}
	return ""
}
