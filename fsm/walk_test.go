package fsm

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/vocab"
)

// TestRandomWalk drives the client with seeded random inputs, as a driver
// would: timers fire in due order at their due time (stale ones included),
// answers come for attempts the client made. After every step it checks the
// harness invariants (P1, P4, P7, P9, CurrentStatus = the last status told) and:
//
//   - no stuck state: CONNECTING and SUSPEND have exactly one of an attempt
//     timer and a retry timer live, CONNECTED exactly one of a ping and a
//     pong timer, NETWORK_UNAVAILABLE and stopped statuses none of them;
//   - the time limit is live exactly while a call with a limit is pending
//     and not yet connected (P2), and 34006 comes exactly at the limit;
//   - a counted transient failure or a loss waits Interval(streak) (P6).
func TestRandomWalk(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 50
	}
	for seed := 1; seed <= seeds; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { walk(t, uint64(seed), 300) })
		if t.Failed() {
			return
		}
	}
}

type walkCall struct {
	start    time.Duration
	limit    time.Duration
	ended    bool // terminal callback, or disconnected while pending
	everConn bool
}

func walk(t *testing.T, seed uint64, steps int) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	// Odd seeds use the defaults; even ones other valid parameters.
	cfg := DefaultConfig()
	if seed%2 == 0 {
		cfg.DBOpen = []time.Duration{0, ms, 20 * ms, 3 * sec}[rng.IntN(4)]
		cfg.AttemptTimeout = []time.Duration{100 * ms, sec, 5 * sec}[rng.IntN(3)]
		cfg.HBInterval = []time.Duration{100 * ms, 2 * sec, 15 * sec}[rng.IntN(3)]
		cfg.HBTimeout = []time.Duration{100 * ms, 2 * sec, 15 * sec}[rng.IntN(3)]
		cfg.HBMisses = 1 + rng.IntN(3)
		cfg.Policy = []Policy{List{"a", []time.Duration{0}}, List{"b", []time.Duration{sec}},
			List{"c", []time.Duration{ms, 0, 2 * sec}}, RC, RCLegacy, Web,
			Expo{Base: 100 * ms, Factor: 2, Max: 10 * sec}}[rng.IntN(7)]
		cfg.Jitter = Jitter(rng.IntN(4))
		if _, err := NewBackoff(cfg.Policy, cfg.Jitter); err != nil {
			cfg.Jitter = JitterNone
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	h := newHarnessCfg(t, cfg)
	h.c.SetRand(rng) // a jittered policy's draws
	var (
		queue   []Effect // timers set, in due order; stale ones stay
		auths   []uint32 // sequence numbers of auths sent
		session uint32
		nextID  int32 = 1
		calls         = map[int32]*walkCall{}
		current int32
	)
	if rng.IntN(10) != 0 {
		h.at(0, initIn())
	}
	do := func(now time.Duration, in Input) {
		t.Helper()
		g := h.at(now, in)
		for i, e := range g.effs {
			switch e.Kind {
			case EffTimer:
				queue = append(queue, e)
				if e.Timer == TimerDB && in.Kind == InConnect {
					calls[e.Call] = &walkCall{start: now, limit: in.TimeLimit}
					current = e.Call
				}
			case EffSend:
				if e.Msg.Kind == MsgAuth {
					auths = append(auths, e.Msg.Seq)
				}
			case EffAttempt:
				if e.Phase == vocab.PhaseOK {
					session = e.Seq
					if c := calls[current]; c != nil {
						c.everConn = true
					}
				}
				counted := e.Phase == vocab.PhaseFail && (e.Reason == vocab.ReasonAttemptTimeout || e.Reason == vocab.ReasonUnavailable || e.Reason == vocab.ReasonIPC)
				if counted {
					wantRetry(t, g, i+1, int(e.Streak))
				}
			case EffLost:
				if e.Reason != vocab.ReasonNetworkDown && e.Reason != vocab.ReasonNetworkChange {
					// lost, status, retry
					wantRetry(t, g, i+2, 1)
				}
			case EffStatus:
				if e.To == SignOut {
					if c := calls[current]; c != nil {
						c.ended = true
					}
				}
			case EffCallback:
				c := calls[e.Call]
				if c == nil || e.Name == vocab.CbDatabaseOpened {
					continue
				}
				if c.ended {
					t.Errorf("%s: call %d gets %s after it ended", g.where, e.Call, e.Name)
				}
				c.ended = true
				if c.limit > 0 && now > c.start+c.limit {
					t.Errorf("%s: call %d with limit %v ends at %v (P2)", g.where, e.Call, c.limit, now)
				}
				if e.Code == ConnectTimeout && now != c.start+c.limit {
					t.Errorf("%s: 34006 at %v, limit due at %v", g.where, now, c.start+c.limit)
				}
			}
		}
		slices.SortStableFunc(queue, func(a, b Effect) int { return cmp.Compare(a.At, b.At) })
		checkLiveTimers(t, h, g.where, calls[current])
	}
	// advance fires, in due order, every timer due by to, at most n
	// (n < 0: no limit).
	advance := func(to time.Duration, n int) {
		t.Helper()
		for ; n != 0 && len(queue) > 0 && queue[0].At <= to; n-- {
			e := queue[0]
			queue = queue[1:]
			do(e.At, timerIn(e))
		}
	}
	codes := []Code{OK, OK, OK, OK, ReplyUnavailable, ReplyUnavailable, ReplyKicked,
		ConnTokenIncorrect, ConnTokenExpire, ConnUserBlocked, ConnIDReject, Unknown}
	gaps := []time.Duration{0, ms, 10 * ms, 50 * ms, 300 * ms, sec, 5 * sec, 20 * sec}
	for range steps {
		if t.Failed() {
			t.Logf("seed %d; timeline:\n\t%s", seed, joinLast(h.log, 60))
			return
		}
		now := h.now + gaps[rng.IntN(len(gaps))]
		advance(now, -1)
		var in Input
		switch r := rng.IntN(100); {
		case r < 12:
			limits := []time.Duration{0, 0, 2 * sec, 10 * sec, 30 * sec}
			in = connectIn(nextID, limits[rng.IntN(len(limits))])
			nextID++
		case r < 16:
			in = disconnectIn(rng.IntN(2) == 0)
		case r < 22:
			in = env(InNetDown)
		case r < 30:
			in = env(InNetUp)
		case r < 34:
			in = env(InNetChange)
		case r < 37:
			in = env(InForeground)
		case r < 39:
			in = env(InBackground)
		case r < 43:
			in = env(InIPCDisconnect)
		case r < 72:
			if len(auths) == 0 {
				continue
			}
			// Mostly the latest attempt, sometimes an older one.
			seq := auths[len(auths)-1]
			if rng.IntN(4) == 0 {
				seq = auths[rng.IntN(len(auths))]
			}
			in = replyIn(seq, codes[rng.IntN(len(codes))])
		case r < 90:
			in = pongIn(session)
		case r < 95:
			in = closedIn(session, []Code{ClosedKicked, ClosedBlocked, ClosedGone, ClosedGone}[rng.IntN(4)])
		case r < 97:
			in = initIn()
		default:
			in = listenerIn(InAddListener, int32(rng.IntN(3)))
		}
		do(now, in)
	}
	advance(h.now+time.Hour, 2000)
}

// wantRetry checks that effect i of g sets the retry timer d from now.
// wantRetry checks that effect i is the retry timer after failure k of the
// streak, its gap within the policy's bounds (exactly the gap when the
// policy is deterministic).
func wantRetry(t *testing.T, g got, i int, k int) {
	t.Helper()
	if i >= len(g.effs) || g.effs[i].Kind != EffTimer || g.effs[i].Timer != TimerRetry {
		t.Errorf("%s: no retry timer at effect %d: %s", g.where, i, block(g.lines))
		return
	}
	lo, hi := g.h.c.cfg.Backoff().Bounds(k)
	if got := g.effs[i].At - g.h.now; got < lo || got > hi {
		t.Errorf("%s: retry after %v, want between %v and %v (P6)", g.where, got, lo, hi)
	}
}

func checkLiveTimers(t *testing.T, h *harness, where string, call *walkCall) {
	t.Helper()
	live := func(k TimerKind) bool {
		e, ok := h.timers[k]
		return ok && h.c.TimerLive(k, e.Gen) && h.fired[k] != e.Gen
	}
	a, r, p, q := live(TimerAttempt), live(TimerRetry), live(TimerPing), live(TimerPong)
	st := h.c.CurrentStatus()
	switch st {
	case Connecting, Suspend:
		if a == r || p || q {
			t.Errorf("%s: in %s: attempt %v, retry %v, ping %v, pong %v live", where, st, a, r, p, q)
		}
		if st == Suspend && a {
			t.Errorf("%s: attempt in flight in SUSPEND", where)
		}
	case Connected:
		if p == q || a || r {
			t.Errorf("%s: in %s: attempt %v, retry %v, ping %v, pong %v live", where, st, a, r, p, q)
		}
	default:
		if a || r || p || q {
			t.Errorf("%s: in %s: attempt %v, retry %v, ping %v, pong %v live", where, st, a, r, p, q)
		}
	}
	wantLimit := call != nil && call.limit > 0 && !call.ended && !call.everConn
	if l := live(TimerLimit); l != wantLimit {
		t.Errorf("%s: time limit live %v, want %v (call %+v)", where, l, wantLimit, call)
	}
	if call != nil && h.c.Pending() == call.ended {
		t.Errorf("%s: Pending() = %v, call %+v", where, h.c.Pending(), call)
	}
}

func joinLast(lines []string, n int) string {
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	s := ""
	for i, l := range lines {
		if i > 0 {
			s += "\n\t"
		}
		s += l
	}
	return s
}
