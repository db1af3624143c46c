package fsm

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/vocab"
)

// The timelines below use the harness of harness_test.go: device 3, app key
// 5, token 7, DefaultConfig (attempt timeout 5s, db-open 20ms, heartbeats
// 15s/15s/2, the schedule of spec 5.5).

// auth is the line of an auth request with the test token and app key.
func auth(seq uint32) string { return fmt.Sprintf("send auth seq=%d tok=7 key=5", seq) }

func TestConnectBeforeInit(t *testing.T) {
	h := newHarness(t)
	h.at(0, connectIn(1, 10*sec)).want("call1 onError(33001)")
	h.wantStatus(Unconnected)
	h.wantPending(false)
	// Nothing was started: the next accepted call starts from scratch.
	h.at(1*sec, initIn()).none()
	h.at(1*sec, connectIn(2, 0)).want(
		"timer db_open @1.02s call=2",
		"status UNCONNECTED->CONNECTING",
		"attempt start connect n=1 streak=0 seq=1",
		auth(1),
		"timer attempt @6s",
	)
}

// TestConnectionExist: a second Connect while a call is pending, connected
// or reconnecting gets 34001 and nothing else; the earlier call is untouched
// (spec 5.2, P9).
func TestConnectionExist(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		st    Status
	}{
		{"pending-in-flight", func(h *harness) {
			h.at(0, initIn())
			h.at(0, connectIn(1, 10*sec))
		}, Connecting},
		{"pending-waiting", func(h *harness) {
			h.at(0, initIn())
			h.at(0, connectIn(1, 0))
			h.fireDB(1, 20*ms)
			h.fire(TimerAttempt, 5*sec)
		}, Connecting},
		{"pending-offline", func(h *harness) {
			h.at(0, initIn())
			h.at(0, env(InNetDown))
			h.at(0, connectIn(1, 0))
		}, NetworkUnavailable},
		{"connected", func(h *harness) { h.connected() }, Connected},
		{"suspended", func(h *harness) {
			h.connected()
			h.at(5*sec, env(InIPCDisconnect))
		}, Suspend},
		{"reconnecting", func(h *harness) {
			h.connected()
			h.at(5*sec, env(InIPCDisconnect))
			h.fire(TimerRetry, 5*sec+50*ms)
		}, Connecting},
		{"offline-after-success", func(h *harness) {
			h.connected()
			h.at(5*sec, env(InNetDown))
		}, NetworkUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			h.wantStatus(tc.st)
			pending := h.c.Pending()
			h.at(h.now+ms, connectIn(9, 3*sec)).want("call9 onError(34001)")
			h.wantStatus(tc.st)
			h.wantPending(pending)
			if _, ok := h.db[9]; ok {
				t.Errorf("a rejected call got a database timer")
			}
		})
	}
}

// TestConnectionExistLeavesFirstCallAlone: the rejected call neither opens a
// database nor takes the first call's callbacks.
func TestConnectionExistLeavesFirstCallAlone(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(5*ms, connectIn(2, 0)).want("call2 onError(34001)")
	h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(0)")
	h.at(100*ms, replyIn(1, OK)).want(
		"attempt ok n=1 streak=0 seq=1",
		"status CONNECTING->CONNECTED",
		"timer ping @15.1s",
		"call1 onSuccess(0)",
	)
}

func TestSuccess(t *testing.T) {
	t.Run("database-first", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn()).none()
		h.at(0, connectIn(1, 0)).want(
			"timer db_open @20ms call=1",
			"status UNCONNECTED->CONNECTING",
			"attempt start connect n=1 streak=0 seq=1",
			auth(1),
			"timer attempt @5s",
		)
		h.wantPending(true)
		attempt := h.timer(TimerAttempt)
		h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(0)")
		h.at(100*ms, replyIn(1, OK)).want(
			"attempt ok n=1 streak=0 seq=1",
			"status CONNECTING->CONNECTED",
			"timer ping @15.1s",
			"call1 onSuccess(0)",
		)
		h.wantPending(false)
		h.stale(attempt)
		// A duplicate answer for the session in use is not a late answer.
		h.at(6*sec, replyIn(1, OK)).none()
		h.wantStatus(Connected)
	})
	t.Run("reply-before-database", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		h.at(10*ms, replyIn(1, OK)).want(
			"attempt ok n=1 streak=0 seq=1",
			"status CONNECTING->CONNECTED",
			"timer ping @15.01s",
			"call1 onDatabaseOpened(0)",
			"call1 onSuccess(0)",
		)
		h.fireDB(1, 20*ms).none()
	})
	t.Run("time-limit-cancelled-by-success", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 3*sec)).want(
			"timer db_open @20ms call=1",
			"timer time_limit @3s",
			"status UNCONNECTED->CONNECTING",
			"attempt start connect n=1 streak=0 seq=1",
			auth(1),
			"timer attempt @5s",
		)
		limit := h.timer(TimerLimit)
		h.fireDB(1, 20*ms)
		h.at(100*ms, replyIn(1, OK))
		h.stale(limit)
		h.wantStatus(Connected)
	})
	t.Run("stale-reply-for-other-seq", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		// An answer to an attempt this client never made is not taken;
		// if it is OK the session it names is closed.
		h.at(50*ms, replyIn(7, OK)).want("send close seq=7 code=-1")
		h.at(60*ms, replyIn(7, ConnTokenIncorrect)).none()
		h.wantStatus(Connecting)
		h.wantPending(true)
	})
}

// TestSchedule: after transient failure k of a streak the next attempt
// starts DefaultSchedule[k-1] later; the last interval repeats (spec 5.5,
// P6).
func TestSchedule(t *testing.T) {
	want := []time.Duration{50 * ms, 250 * ms, 500 * ms, 1 * sec, 2 * sec, 4 * sec,
		8 * sec, 16 * sec, 32 * sec, 64 * sec, 64 * sec, 64 * sec}
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.fireDB(1, 20*ms)
	due := 5 * sec // the attempt timer of attempt 1
	for k := 1; k <= 12; k++ {
		seq := uint32(k)
		retry := due + want[k-1]
		h.fire(TimerAttempt, due).want(
			fmt.Sprintf("attempt fail attempt-timeout n=%d streak=%d seq=%d", k, k, seq),
			fmt.Sprintf("timer retry @%v", retry),
		)
		due = retry + 5*sec
		h.fire(TimerRetry, retry).want(
			fmt.Sprintf("attempt start schedule n=%d streak=%d seq=%d", k+1, k, seq+1),
			auth(seq+1),
			fmt.Sprintf("timer attempt @%v", due),
		)
		if got := DefaultConfig().Backoff().Gap(k, 0, nil); got != want[k-1] {
			t.Errorf("Gap(%d) = %v, want %v", k, got, want[k-1])
		}
	}
	h.wantStatus(Connecting)
	h.wantPending(true)
	// Success ends the streak: the next loss starts again at 50ms.
	h.at(due-sec, replyIn(13, OK)).want(
		"attempt ok n=13 streak=0 seq=13",
		"status CONNECTING->CONNECTED",
		fmt.Sprintf("timer ping @%v", due-sec+15*sec),
		"call1 onSuccess(0)",
	)
	h.at(due, env(InIPCDisconnect)).want(
		"lost ipc-disconnect",
		"status CONNECTED->SUSPEND",
		fmt.Sprintf("timer retry @%v", due+50*ms),
	)
}

func TestScheduleUnavailable(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.fireDB(1, 20*ms)
	h.at(100*ms, replyIn(1, ReplyUnavailable)).want(
		"attempt fail unavailable n=1 streak=1 seq=1",
		"timer retry @150ms",
	)
	h.fire(TimerRetry, 150*ms).want(
		"attempt start schedule n=2 streak=1 seq=2",
		auth(2),
		"timer attempt @5.15s",
	)
	h.at(250*ms, replyIn(2, ReplyUnavailable)).want(
		"attempt fail unavailable n=2 streak=2 seq=2",
		"timer retry @500ms",
	)
	// The answer to attempt 1 arriving now is late: closed, not taken.
	h.at(300*ms, replyIn(1, OK)).want("send close seq=1 code=-1")
	h.wantStatus(Connecting)
}

func TestTimeLimit(t *testing.T) {
	late := func(h *harness, at time.Duration, seq uint32) {
		t.Helper()
		// P3: a late answer is ignored; an OK one has its session closed.
		h.at(at, replyIn(seq, ConnTokenIncorrect)).none()
		h.at(at, replyIn(seq, ReplyUnavailable)).none()
		h.at(at, replyIn(seq, OK)).want(fmt.Sprintf("send close seq=%d code=-1", seq))
		h.at(at, env(InForeground)).none()
		h.at(at, env(InNetChange)).none()
		h.at(at, env(InIPCDisconnect)).none()
		h.at(at, disconnectIn(true)).none()
		h.wantStatus(Timeout)
		h.wantPending(false)
	}
	t.Run("in-flight", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 3*sec))
		attempt := h.timer(TimerAttempt)
		h.fireDB(1, 20*ms)
		h.fire(TimerLimit, 3*sec).want(
			"send close seq=1 code=34006",
			"attempt fail cancelled n=1 streak=0 seq=1",
			"status CONNECTING->TIMEOUT",
			"call1 onError(34006)",
		)
		late(h, 3100*ms, 1)
		h.stale(attempt)
		// The app must call Connect again; the new call starts afresh.
		h.at(10*sec, connectIn(2, 0)).want(
			"timer db_open @10.02s call=2",
			"status TIMEOUT->CONNECTING",
			"attempt start connect n=1 streak=0 seq=2",
			auth(2),
			"timer attempt @15s",
		)
	})
	t.Run("before-database", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 10*ms))
		h.fire(TimerLimit, 10*ms).want(
			"send close seq=1 code=34006",
			"attempt fail cancelled n=1 streak=0 seq=1",
			"status CONNECTING->TIMEOUT",
			"call1 onDatabaseOpened(0)",
			"call1 onError(34006)",
		)
		h.fireDB(1, 20*ms).none()
		late(h, 30*ms, 1)
	})
	t.Run("waiting", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 5020*ms))
		h.fireDB(1, 20*ms)
		h.fire(TimerAttempt, 5*sec)
		retry := h.timer(TimerRetry)
		// Waiting, no attempt is in flight, but the call's attempts
		// are still closed: an earlier one may yet open a session.
		h.fire(TimerLimit, 5020*ms).want(
			"send close seq=1 code=34006",
			"status CONNECTING->TIMEOUT",
			"call1 onError(34006)",
		)
		h.stale(retry)
		late(h, 6*sec, 1)
	})
	t.Run("offline", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 3*sec))
		h.fireDB(1, 20*ms)
		h.at(1*sec, env(InNetDown)).want(
			"attempt fail network-down n=1 streak=0 seq=1",
			"status CONNECTING->NETWORK_UNAVAILABLE",
		)
		h.fire(TimerLimit, 3*sec).want(
			"send close seq=1 code=34006",
			"status NETWORK_UNAVAILABLE->TIMEOUT",
			"call1 onError(34006)",
		)
		h.at(4*sec, env(InNetUp)).none()
		late(h, 4*sec, 1)
	})
	t.Run("connect-offline", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, env(InNetDown)).none()
		h.at(0, connectIn(1, 3*sec)).want(
			"timer db_open @20ms call=1",
			"timer time_limit @3s",
			"status UNCONNECTED->NETWORK_UNAVAILABLE",
		)
		h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(0)")
		// No attempt was ever made: nothing to close.
		h.fire(TimerLimit, 3*sec).want(
			"status NETWORK_UNAVAILABLE->TIMEOUT",
			"call1 onError(34006)",
		)
	})
	t.Run("no-limit-after-reconnection", func(t *testing.T) {
		// The time limit applies only until the call's first success
		// (spec 5.10): a loss afterwards never times out.
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 3*sec))
		limit := h.timer(TimerLimit)
		h.fireDB(1, 20*ms)
		h.at(100*ms, replyIn(1, OK))
		h.at(1*sec, env(InIPCDisconnect))
		h.stale(limit)
		h.wantStatus(Suspend)
	})
}

// TestDisconnect: Disconnect/Logout moves every active status to SIGN_OUT,
// cancels everything, closes the session and gives a pending call no
// terminal callback (spec 6).
func TestDisconnect(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(h *harness)
		when    time.Duration
		want    []string
		pending bool // the call was pending at the disconnect
	}{
		{"connecting-in-flight", func(h *harness) {
			h.at(0, initIn())
			h.at(0, connectIn(1, 3*sec))
		}, 10 * ms, []string{
			"attempt fail cancelled n=1 streak=0 seq=1",
			"send close seq=1 code=0 push",
			"status CONNECTING->SIGN_OUT",
		}, true},
		{"connecting-waiting", func(h *harness) {
			h.at(0, initIn())
			h.at(0, connectIn(1, 0))
			h.fireDB(1, 20*ms)
			h.fire(TimerAttempt, 5*sec)
		}, 5010 * ms, []string{
			"send close seq=1 code=0 push",
			"status CONNECTING->SIGN_OUT",
		}, true},
		{"connected", func(h *harness) { h.connected() }, 1 * sec, []string{
			"send close seq=1 code=0 push",
			"status CONNECTED->SIGN_OUT",
		}, false},
		{"suspended", func(h *harness) {
			h.connected()
			h.at(1*sec, env(InIPCDisconnect))
		}, 1010 * ms, []string{
			"send close seq=1 code=0 push",
			"status SUSPEND->SIGN_OUT",
		}, false},
		{"reconnecting", func(h *harness) {
			h.connected()
			h.at(1*sec, env(InIPCDisconnect))
			h.fire(TimerRetry, 1050*ms)
		}, 1100 * ms, []string{
			"attempt fail cancelled n=2 streak=1 seq=2 auto",
			"send close seq=2 code=0 push",
			"status CONNECTING->SIGN_OUT",
		}, false},
		{"offline", func(h *harness) {
			h.at(0, initIn())
			h.at(0, connectIn(1, 3*sec))
			h.fireDB(1, 20*ms)
			h.at(1*sec, env(InNetDown))
		}, 2 * sec, []string{
			"send close seq=1 code=0 push",
			"status NETWORK_UNAVAILABLE->SIGN_OUT",
		}, true},
	} {
		for _, push := range []bool{true, false} {
			name := tc.name + "/disconnect"
			if !push {
				name = tc.name + "/logout"
			}
			t.Run(name, func(t *testing.T) {
				h := newHarness(t)
				tc.setup(h)
				h.wantPending(tc.pending)
				var live []Effect
				for k, e := range h.timers {
					if h.c.TimerLive(k, e.Gen) && e.At >= tc.when {
						live = append(live, e)
					}
				}
				slices.SortFunc(live, func(a, b Effect) int { return cmp.Compare(a.At, b.At) })
				want := tc.want
				if !push {
					want = nil
					for _, l := range tc.want {
						if len(l) > 5 && l[len(l)-5:] == " push" {
							l = l[:len(l)-5]
						}
						want = append(want, l)
					}
				}
				before := len(h.calls[1])
				h.at(tc.when, disconnectIn(push)).want(want...)
				h.wantStatus(SignOut)
				h.wantPending(false)
				// Every timer is cancelled; the database timer
				// still opens the database, and nothing else
				// reaches the call (no terminal callback).
				if db := h.db[1]; db.At >= tc.when && db.At > 0 {
					if len(h.calls[1]) == 0 {
						h.fireDB(1, db.At).want("call1 onDatabaseOpened(0)")
					}
				}
				for _, e := range live {
					h.stale(e)
				}
				h.at(h.now+sec, env(InNetChange)).none()
				h.at(h.now, env(InForeground)).none()
				h.at(h.now, env(InIPCDisconnect)).none()
				h.at(h.now, disconnectIn(true)).none()
				h.at(h.now, env(InNetDown)).none()
				h.at(h.now, env(InNetUp)).none()
				for _, cb := range h.calls[1][before:] {
					if cb != vocab.CbDatabaseOpened {
						t.Errorf("call 1 got %s after the disconnect (all: %v)", cb, h.calls[1])
					}
				}
				// Connect again: accepted, from SIGN_OUT.
				h.at(h.now, connectIn(2, 0))
				h.wantStatus(Connecting)
			})
		}
	}
}

func TestDisconnectWhenStopped(t *testing.T) {
	h := newHarness(t)
	h.at(0, disconnectIn(true)).none()
	h.at(0, initIn())
	h.at(0, disconnectIn(false)).none()
	h.wantStatus(Unconnected)
}

func TestLateReplyAfterDisconnect(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(10*ms, disconnectIn(true))
	h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(0)")
	h.at(100*ms, replyIn(1, OK)).want("send close seq=1 code=-1")
	h.wantStatus(SignOut)
}

func TestNetDownUp(t *testing.T) {
	t.Run("waiting", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		h.fireDB(1, 20*ms)
		h.fire(TimerAttempt, 5*sec)
		h.fire(TimerRetry, 5050*ms)
		h.fire(TimerAttempt, 10050*ms).want(
			"attempt fail attempt-timeout n=2 streak=2 seq=2",
			"timer retry @10.3s",
		)
		retry := h.timer(TimerRetry)
		h.at(10100*ms, env(InNetDown)).want("status CONNECTING->NETWORK_UNAVAILABLE")
		h.at(10100*ms, env(InNetDown)).none()
		h.stale(retry)
		h.at(20*sec, env(InNetUp)).want(
			"status NETWORK_UNAVAILABLE->CONNECTING",
			"attempt start network-up n=3 streak=0 seq=3",
			auth(3),
			"timer attempt @25s",
		)
		h.at(20*sec, env(InNetUp)).none()
		// The schedule restarted: the next failure waits 50ms.
		h.fire(TimerAttempt, 25*sec).want(
			"attempt fail attempt-timeout n=3 streak=1 seq=3",
			"timer retry @25.05s",
		)
	})
	t.Run("in-flight", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		attempt := h.timer(TimerAttempt)
		h.fireDB(1, 20*ms)
		h.at(1*sec, env(InNetDown)).want(
			"attempt fail network-down n=1 streak=0 seq=1",
			"status CONNECTING->NETWORK_UNAVAILABLE",
		)
		h.at(2*sec, env(InForeground)).none()
		h.at(2*sec, env(InNetChange)).none()
		h.at(2*sec, env(InIPCDisconnect)).none()
		h.at(2*sec, replyIn(1, OK)).want("send close seq=1 code=-1")
		h.at(3*sec, env(InNetUp)).want(
			"status NETWORK_UNAVAILABLE->CONNECTING",
			"attempt start network-up n=2 streak=0 seq=2",
			auth(2),
			"timer attempt @8s",
		)
		h.stale(attempt)
		h.at(5100*ms, replyIn(2, OK)).want(
			"attempt ok n=2 streak=0 seq=2",
			"status CONNECTING->CONNECTED",
			"timer ping @20.1s",
			"call1 onSuccess(0)",
		)
	})
	t.Run("connected", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		ping := h.timer(TimerPing)
		h.at(1*sec, env(InNetDown)).want(
			"lost network-down",
			"status CONNECTED->NETWORK_UNAVAILABLE",
		)
		h.at(2*sec, env(InNetUp)).want(
			"status NETWORK_UNAVAILABLE->CONNECTING",
			"attempt start network-up n=2 streak=0 seq=2 auto",
			auth(2)+" auto",
			"timer attempt @7s",
		)
		h.at(2100*ms, replyIn(2, OK)).want(
			"attempt ok n=2 streak=0 seq=2 auto",
			"status CONNECTING->CONNECTED",
			"timer ping @17.1s",
		)
		h.stale(ping)
	})
	t.Run("stopped", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, env(InNetDown)).none()
		h.at(1*sec, connectIn(1, 0)).want(
			"timer db_open @1.02s call=1",
			"status UNCONNECTED->NETWORK_UNAVAILABLE",
		)
		h.at(2*sec, env(InNetUp)).want(
			"status NETWORK_UNAVAILABLE->CONNECTING",
			"attempt start network-up n=1 streak=0 seq=1",
			auth(1),
			"timer attempt @7s",
		)
	})
}

func TestNetChange(t *testing.T) {
	t.Run("waiting", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		h.fireDB(1, 20*ms)
		h.fire(TimerAttempt, 5*sec)
		h.fire(TimerRetry, 5050*ms)
		h.fire(TimerAttempt, 10050*ms)
		retry := h.timer(TimerRetry) // due at 10.3s
		h.at(10100*ms, env(InNetChange)).want(
			"attempt start network-change n=3 streak=0 seq=3",
			auth(3),
			"timer attempt @15.1s",
		)
		h.stale(retry)
		h.fire(TimerAttempt, 15100*ms).want(
			"attempt fail attempt-timeout n=3 streak=1 seq=3",
			"timer retry @15.15s",
		)
	})
	t.Run("in-flight", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		attempt := h.timer(TimerAttempt)
		h.fireDB(1, 20*ms)
		h.at(1*sec, env(InNetChange)).want(
			"attempt fail network-change n=1 streak=0 seq=1",
			"attempt start network-change n=2 streak=0 seq=2",
			auth(2),
			"timer attempt @6s",
		)
		h.at(1100*ms, replyIn(1, OK)).want("send close seq=1 code=-1")
		h.stale(attempt)
		h.wantStatus(Connecting)
	})
	t.Run("connected", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		ping := h.timer(TimerPing)
		h.at(1*sec, env(InNetChange)).want(
			"lost network-change",
			"status CONNECTED->SUSPEND",
			"status SUSPEND->CONNECTING",
			"attempt start network-change n=2 streak=0 seq=2 auto",
			auth(2)+" auto",
			"timer attempt @6s",
		)
		h.stale(ping)
	})
	t.Run("suspended", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		h.at(1*sec, env(InIPCDisconnect))
		retry := h.timer(TimerRetry)
		h.at(1010*ms, env(InNetChange)).want(
			"status SUSPEND->CONNECTING",
			"attempt start network-change n=2 streak=0 seq=2 auto",
			auth(2)+" auto",
			"timer attempt @6.01s",
		)
		h.stale(retry)
	})
}

func TestForeground(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.fireDB(1, 20*ms)
	h.fire(TimerAttempt, 5*sec)
	h.fire(TimerRetry, 5050*ms)
	h.fire(TimerAttempt, 10050*ms)
	retry := h.timer(TimerRetry) // due at 10.3s
	h.at(10100*ms, env(InBackground)).none()
	h.at(10200*ms, env(InForeground)).want(
		"attempt start foreground n=3 streak=0 seq=3",
		auth(3),
		"timer attempt @15.2s",
	)
	h.stale(retry)
	// In flight, the foreground only restarts the schedule: the attempt
	// goes on, and its failure waits the first interval.
	h.fire(TimerAttempt, 15200*ms).want(
		"attempt fail attempt-timeout n=3 streak=1 seq=3",
		"timer retry @15.25s",
	)
	h.fire(TimerRetry, 15250*ms)
	h.fire(TimerAttempt, 20250*ms).want(
		"attempt fail attempt-timeout n=4 streak=2 seq=4",
		"timer retry @20.5s",
	)
	h.fire(TimerRetry, 20500*ms)
	h.at(21*sec, env(InForeground)).none()
	h.fire(TimerAttempt, 25500*ms).want(
		"attempt fail attempt-timeout n=5 streak=1 seq=5",
		"timer retry @25.55s",
	)
	// Connected or stopped, the foreground does nothing.
	h.fire(TimerRetry, 25550*ms)
	h.at(25600*ms, replyIn(6, OK))
	h.at(26*sec, env(InForeground)).none()
	h.at(26*sec, disconnectIn(true))
	h.at(26*sec, env(InForeground)).none()
}

func TestIPCDisconnect(t *testing.T) {
	t.Run("connected", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		ping := h.timer(TimerPing)
		h.at(1*sec, env(InIPCDisconnect)).want(
			"lost ipc-disconnect",
			"status CONNECTED->SUSPEND",
			"timer retry @1.05s",
		)
		h.fire(TimerRetry, 1050*ms).want(
			"status SUSPEND->CONNECTING",
			"attempt start schedule n=2 streak=1 seq=2 auto",
			auth(2)+" auto",
			"timer attempt @6.05s",
		)
		h.at(1150*ms, replyIn(2, OK)).want(
			"attempt ok n=2 streak=0 seq=2 auto",
			"status CONNECTING->CONNECTED",
			"timer ping @16.15s",
		)
		h.stale(ping)
		if got := h.calls[1]; len(got) != 2 {
			t.Errorf("call 1 callbacks %v, want only the first connection's", got)
		}
	})
	t.Run("in-flight", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		attempt := h.timer(TimerAttempt)
		h.fireDB(1, 20*ms)
		h.at(1*sec, env(InIPCDisconnect)).want(
			"attempt fail ipc-disconnect n=1 streak=1 seq=1",
			"timer retry @1.05s",
		)
		// Waiting, a second IPC disconnect is not another failure.
		h.at(1010*ms, env(InIPCDisconnect)).none()
		h.stale(attempt)
		h.wantPending(true)
	})
	t.Run("stopped", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, env(InIPCDisconnect)).none()
		h.wantStatus(Unconnected)
	})
}

func TestHeartbeat(t *testing.T) {
	t.Run("pong-resets", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		h.fire(TimerPing, 15100*ms).want(
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @30.1s",
		)
		pong := h.timer(TimerPong)
		h.at(15200*ms, pongIn(2)).none() // another session's pong
		h.at(15200*ms, pongIn(1)).want(
			"hb pong seq=1",
			"timer ping @30.2s",
		)
		h.at(15300*ms, pongIn(1)).none() // no ping outstanding
		h.stale(pong)
		h.fire(TimerPing, 30200*ms).want(
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @45.2s",
		)
		// One miss: ping again at once.
		h.fire(TimerPong, 45200*ms).want(
			"hb miss seq=1",
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @1m0.2s",
		)
		// A pong after a miss resets the count of misses.
		h.at(46*sec, pongIn(1)).want(
			"hb pong seq=1",
			"timer ping @1m1s",
		)
		h.fire(TimerPing, 61*sec)
		h.fire(TimerPong, 76*sec).want(
			"hb miss seq=1",
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @1m31s",
		)
		h.wantStatus(Connected)
	})
	t.Run("two-misses", func(t *testing.T) {
		h := newHarness(t)
		h.connected()
		h.fire(TimerPing, 15100*ms)
		h.fire(TimerPong, 30100*ms).want(
			"hb miss seq=1",
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @45.1s",
		)
		h.fire(TimerPong, 45100*ms).want(
			"hb miss seq=1",
			"lost heartbeat",
			"status CONNECTED->SUSPEND",
			"timer retry @45.15s",
		)
		h.at(45120*ms, pongIn(1)).none() // too late
		h.fire(TimerRetry, 45150*ms).want(
			"status SUSPEND->CONNECTING",
			"attempt start schedule n=2 streak=1 seq=2 auto",
			auth(2)+" auto",
			"timer attempt @50.15s",
		)
		h.at(45200*ms, replyIn(2, OK)).want(
			"attempt ok n=2 streak=0 seq=2 auto",
			"status CONNECTING->CONNECTED",
			"timer ping @1m0.2s",
		)
		// The new session pings with its own sequence number.
		h.fire(TimerPing, 60200*ms).want(
			"hb ping seq=2",
			"send ping seq=2",
			"timer pong @1m15.2s",
		)
		h.at(61*sec, pongIn(1)).none()
	})
	t.Run("misses-parameter", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.HBMisses = 1
		cfg.HBInterval = 10 * sec
		cfg.HBTimeout = 2 * sec
		h := newHarnessCfg(t, cfg)
		h.connected()
		h.fire(TimerPing, 10100*ms).want(
			"hb ping seq=1",
			"send ping seq=1",
			"timer pong @12.1s",
		)
		h.fire(TimerPong, 12100*ms).want(
			"hb miss seq=1",
			"lost heartbeat",
			"status CONNECTED->SUSPEND",
			"timer retry @12.15s",
		)
	})
}

// TestServerClosed: the server closes the session in use.
func TestServerClosed(t *testing.T) {
	for _, tc := range []struct {
		code Code
		want []string
		st   Status
	}{
		{ClosedKicked, []string{"status CONNECTED->KICKED_OFFLINE_BY_OTHER_CLIENT"}, KickedOffline},
		{ClosedBlocked, []string{"status CONNECTED->CONN_USER_BLOCKED"}, UserBlocked},
		{ClosedGone, []string{"lost gone", "status CONNECTED->SUSPEND", "timer retry @1.05s"}, Suspend},
	} {
		t.Run(tc.st.String(), func(t *testing.T) {
			h := newHarness(t)
			h.connected()
			ping := h.timer(TimerPing)
			h.at(1*sec, closedIn(2, tc.code)).none() // not the session in use
			h.at(1*sec, closedIn(1, tc.code)).want(tc.want...)
			h.wantStatus(tc.st)
			h.wantPending(false)
			h.at(1010*ms, closedIn(1, tc.code)).none()
			h.stale(ping)
			if len(h.calls[1]) != 2 {
				t.Errorf("call 1 got %v, want no callback after its success", h.calls[1])
			}
			if tc.st != Suspend {
				// Stopped (P5): nothing restarts until Connect.
				h.at(20*sec, env(InNetChange)).none()
				h.at(20*sec, env(InForeground)).none()
				h.at(20*sec, env(InIPCDisconnect)).none()
				h.at(20*sec, connectIn(2, 0)).want(
					"timer db_open @20.02s call=2",
					"status "+tc.st.String()+"->CONNECTING",
					"attempt start connect n=1 streak=0 seq=2",
					auth(2),
					"timer attempt @25s",
				)
			}
		})
	}
	t.Run("while-connecting", func(t *testing.T) {
		h := newHarness(t)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		h.at(10*ms, closedIn(1, ClosedKicked)).none()
		h.at(10*ms, closedIn(0, ClosedKicked)).none()
		h.wantStatus(Connecting)
	})
}

// terminalCodes are the error answers of the IM server and the status each
// leaves the SDK in (spec 3, 5.12, StatusAfter).
var terminalCodes = []struct {
	code Code
	st   Status
}{
	{Unknown, Unconnected},
	{ConnIDReject, Unconnected},
	{ConnTokenIncorrect, TokenIncorrect},
	{ConnNotAuthorized, Unconnected},
	{ConnAppBlockedOrDeleted, Unconnected},
	{ConnUserBlocked, UserBlocked},
	{ConnTokenExpire, TokenIncorrect},
	{ConnProxyUnavailable, Unconnected},
}

func TestTerminalErrors(t *testing.T) {
	for _, tc := range terminalCodes {
		to := "status CONNECTING->" + tc.st.String()
		t.Run(tc.code.String()+"/first-call", func(t *testing.T) {
			h := newHarness(t)
			h.at(0, initIn())
			h.at(0, connectIn(1, 3*sec))
			attempt, limit := h.timer(TimerAttempt), h.timer(TimerLimit)
			h.fireDB(1, 20*ms)
			h.at(100*ms, replyIn(1, tc.code)).want(
				fmt.Sprintf("attempt fail error n=1 streak=0 seq=1 code=%d", tc.code),
				to,
				fmt.Sprintf("call1 onError(%d)", tc.code),
			)
			h.wantStatus(tc.st)
			h.wantPending(false)
			h.stale(limit)
			h.stale(attempt)
			h.at(6*sec, replyIn(1, OK)).want("send close seq=1 code=-1")
			h.at(6*sec, env(InNetChange)).none()
			h.at(7*sec, connectIn(2, 0)).want(
				"timer db_open @7.02s call=2",
				"status "+tc.st.String()+"->CONNECTING",
				"attempt start connect n=1 streak=0 seq=2",
				auth(2),
				"timer attempt @12s",
			)
		})
		t.Run(tc.code.String()+"/first-call-before-database", func(t *testing.T) {
			h := newHarness(t)
			h.at(0, initIn())
			h.at(0, connectIn(1, 0))
			h.at(10*ms, replyIn(1, tc.code)).want(
				fmt.Sprintf("attempt fail error n=1 streak=0 seq=1 code=%d", tc.code),
				to,
				"call1 onDatabaseOpened(0)",
				fmt.Sprintf("call1 onError(%d)", tc.code),
			)
			h.fireDB(1, 20*ms).none()
		})
		t.Run(tc.code.String()+"/after-first-call-failed-once", func(t *testing.T) {
			h := newHarness(t)
			h.at(0, initIn())
			h.at(0, connectIn(1, 0))
			h.fireDB(1, 20*ms)
			h.at(100*ms, replyIn(1, ReplyUnavailable))
			h.fire(TimerRetry, 150*ms)
			h.at(200*ms, replyIn(2, tc.code)).want(
				fmt.Sprintf("attempt fail error n=2 streak=1 seq=2 code=%d", tc.code),
				to,
				fmt.Sprintf("call1 onError(%d)", tc.code),
			)
		})
		t.Run(tc.code.String()+"/reconnection", func(t *testing.T) {
			h := newHarness(t)
			h.connected()
			h.at(1*sec, env(InIPCDisconnect))
			h.fire(TimerRetry, 1050*ms)
			attempt := h.timer(TimerAttempt)
			// After the call's success the app sees statuses only;
			// the session lost before may still be live on the
			// server, so it is closed.
			h.at(1100*ms, replyIn(2, tc.code)).want(
				fmt.Sprintf("attempt fail error n=2 streak=1 seq=2 code=%d auto", tc.code),
				fmt.Sprintf("send close seq=2 code=%d", tc.code),
				to,
			)
			h.wantStatus(tc.st)
			h.stale(attempt)
			h.at(7*sec, env(InNetChange)).none()
			h.at(7*sec, env(InForeground)).none()
		})
	}
}

func TestReplyKicked(t *testing.T) {
	// Reconnection-kick policy: the reconnecting device is kicked instead.
	h := newHarness(t)
	h.connected()
	h.at(1*sec, env(InIPCDisconnect))
	h.fire(TimerRetry, 1050*ms)
	attempt := h.timer(TimerAttempt)
	h.at(1100*ms, replyIn(2, ReplyKicked)).want(
		"attempt fail kicked n=2 streak=1 seq=2 auto",
		"status CONNECTING->KICKED_OFFLINE_BY_OTHER_CLIENT",
	)
	h.stale(attempt)
	h.at(7*sec, env(InNetChange)).none()
}

// TestStaleTimers: a timer whose generation was cancelled or superseded is
// ignored, in whatever state it fires.
func TestStaleTimers(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	a1 := h.timer(TimerAttempt)
	h.fireDB(1, 20*ms)
	// Superseded: the net change restarts the attempt with a new timer.
	h.at(1*sec, env(InNetChange))
	a2 := h.timer(TimerAttempt)
	if a1.Gen == a2.Gen {
		t.Fatalf("superseding attempt timer has the same generation %d", a1.Gen)
	}
	h.stale(a1) // at 5s
	if !h.c.TimerLive(TimerAttempt, a2.Gen) {
		t.Errorf("the current attempt timer is not live")
	}
	// A timer with a generation never handed out is ignored too.
	h.at(5*sec, timerIn(Effect{Timer: TimerRetry, Gen: 99})).none()
	h.at(5*sec, timerIn(Effect{Timer: TimerPing, Gen: 99})).none()
	// Cancelled by success.
	h.at(5500*ms, replyIn(2, OK))
	h.stale(a2) // at 6s
	// A live ping timer that fires in a state where it no longer applies
	// cannot exist: leaving CONNECTED cancels it.
	p := h.timer(TimerPing)
	h.at(7*sec, env(InIPCDisconnect))
	if h.c.TimerLive(TimerPing, p.Gen) {
		t.Errorf("the ping timer survived the loss of the connection")
	}
	r := h.timer(TimerRetry)
	h.at(7010*ms, env(InForeground)) // attempts at once: the retry timer is superseded
	h.stale(r)
	h.stale(p)
	// TimerDB timers are never cancelled.
	if !h.c.TimerLive(TimerDB, 12345) {
		t.Errorf("TimerLive(TimerDB, _) = false")
	}
}

func TestListeners(t *testing.T) {
	h := newHarness(t)
	h.at(0, listenerIn(InAddListener, 4)).none()
	h.at(0, listenerIn(InAddListener, 2)).none()
	h.at(0, listenerIn(InAddListener, 4)).none()
	h.at(0, listenerIn(InAddListener, 9)).none()
	h.at(0, listenerIn(InRemoveListener, 2)).none()
	h.at(0, listenerIn(InRemoveListener, 7)).none()
	if got := fmt.Sprint(h.c.Listeners()); got != "[4 9]" {
		t.Errorf("Listeners() = %s, want [4 9]", got)
	}
	h.wantStatus(Unconnected)
}

func TestUnknownInputPanics(t *testing.T) {
	c := NewClient(DefaultConfig(), 0)
	defer func() {
		if recover() == nil {
			t.Errorf("Step with an unknown input kind did not panic")
		}
	}()
	c.Step(0, Input{Kind: 200})
}

// TestResetIsFresh: a client reused with Reset behaves exactly like a new
// one, timer generations included (the simulator relies on this, P11).
func TestResetIsFresh(t *testing.T) {
	run := func(c *Client) []Effect {
		var all []Effect
		step := func(now time.Duration, in Input) {
			all = append(all, c.Step(now, in)...)
		}
		step(0, Input{Kind: InAddListener, Listener: 1})
		step(0, Input{Kind: InInit, AppKey: 1})
		step(0, Input{Kind: InConnect, Call: 1, Token: 2, TimeLimit: 30 * sec})
		step(5*sec, Input{Kind: InTimer, Timer: TimerAttempt, Gen: all[len(all)-1].Gen})
		step(5050*ms, Input{Kind: InTimer, Timer: TimerRetry, Gen: all[len(all)-1].Gen})
		step(5100*ms, Input{Kind: InRecv, Msg: Msg{Kind: MsgAuthReply, Seq: 2}})
		step(6*sec, Input{Kind: InNetChange})
		return all
	}
	fresh := run(NewClient(DefaultConfig(), 2))

	used := NewClient(DefaultConfig(), 7)
	run(used)
	used.Step(8*sec, Input{Kind: InNetDown})
	used.Reset(ptr(DefaultConfig()), 2)
	if used.CurrentStatus() != Unconnected || used.Pending() || len(used.Listeners()) != 0 {
		t.Fatalf("after Reset: status %s, pending %v, listeners %v",
			used.CurrentStatus(), used.Pending(), used.Listeners())
	}
	if got := used.Step(0, Input{Kind: InConnect, Call: 1}); len(got) != 1 || got[0].Code != ClientNotInit {
		t.Fatalf("Reset kept Init: %+v", got)
	}
	used.Reset(ptr(DefaultConfig()), 2)
	again := run(used)
	if len(fresh) != len(again) {
		t.Fatalf("fresh run has %d effects, reset run %d", len(fresh), len(again))
	}
	for i := range fresh {
		if fresh[i] != again[i] {
			t.Errorf("effect %d: fresh %+v, after Reset %+v", i, fresh[i], again[i])
		}
	}
}

func TestConfig(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v", err)
	}
	c := DefaultConfig()
	if c.AttemptTimeout != 5*sec || c.DBOpen != 20*ms || c.HBInterval != 15*sec || c.HBTimeout != 15*sec || c.HBMisses != 2 {
		t.Errorf("DefaultConfig() = %+v, spec section 11 differs", c)
	}
	if b := c.Backoff(); b.Gap(0, 0, nil) != 50*ms || b.Gap(-3, 0, nil) != 50*ms || b.Gap(1000, 0, nil) != 64*sec {
		t.Errorf("Gap clamps wrongly: %v %v %v", b.Gap(0, 0, nil), b.Gap(-3, 0, nil), b.Gap(1000, 0, nil))
	}
	for _, bad := range []func(*Config){
		func(c *Config) { c.AttemptTimeout = 0 },
		func(c *Config) { c.DBOpen = -1 },
		func(c *Config) { c.HBInterval = 0 },
		func(c *Config) { c.HBTimeout = 0 },
		func(c *Config) { c.HBMisses = 0 },
		func(c *Config) { c.HBMisses = 101 },
		func(c *Config) { c.Policy, c.Jitter = GRPC, JitterFull },
		func(c *Config) { c.Policy, c.Jitter = RCLegacy, JitterDecorrelated },
	} {
		c := DefaultConfig()
		bad(&c)
		if c.Validate() == nil {
			t.Errorf("Validate accepted %+v", c)
		}
	}
	// A custom list: its last interval repeats.
	c.Policy = List{"list", []time.Duration{sec, 3 * sec}}
	b := c.Backoff()
	if b.Gap(1, 0, nil) != sec || b.Gap(2, 0, nil) != 3*sec || b.Gap(5, 0, nil) != 3*sec {
		t.Errorf("custom schedule: %v %v %v", b.Gap(1, 0, nil), b.Gap(2, 0, nil), b.Gap(5, 0, nil))
	}
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
