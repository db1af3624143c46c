package fsm

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/vocab"
)

// The database rule (spec 12, "Database"; docs/model.md): a first connect
// or a new token opens the local database DBOpen after its onSuccess, and
// never if the call fails; the stored token (the last successful connect's)
// opens it at Connect, even offline. The other tests of the package use a
// harness whose token is stored (newHarnessCfg); these start fresh.

func freshHarness(t *testing.T) *harness { return newFreshHarness(t, DefaultConfig()) }

func tokIn(call, tok int32) Input { return Input{Kind: InConnect, Call: call, Token: tok} }

// A first connect opens no database at Connect; onSuccess starts it.
func TestDatabaseFirstConnectAfterSuccess(t *testing.T) {
	h := freshHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0)).want(
		"status UNCONNECTED->CONNECTING",
		"attempt start connect n=1 streak=0 seq=1",
		auth(1),
		"timer attempt @5s",
	)
	h.at(100*ms, replyIn(1, OK)).want(
		"attempt ok n=1 streak=0 seq=1",
		"status CONNECTING->CONNECTED",
		"timer ping @15.1s",
		"call1 onSuccess(0)",
		"timer db_open @120ms call=1",
	)
	if !h.c.OpeningDB() {
		t.Error("OpeningDB() false while call 1's database opens")
	}
	h.fireDB(1, 120*ms).want("call1 onDatabaseOpened(0)")
	if h.c.OpeningDB() {
		t.Error("OpeningDB() true after the database opened")
	}
}

// A first connect that fails gets no database, whatever ends it: a
// terminal error, the time limit, a Disconnect. The token is not stored.
func TestDatabaseFirstConnectFails(t *testing.T) {
	end := map[string]func(h *harness){
		"31004": func(h *harness) { h.at(100*ms, replyIn(1, ConnTokenIncorrect)) },
		"34006": func(h *harness) { h.fire(TimerLimit, 2*sec) },
		"logout": func(h *harness) {
			h.at(1*sec, disconnectIn(false))
			h.at(1100*ms, replyIn(1, OK)) // late: closed, no callback
		},
	}
	for name, f := range end {
		t.Run(name, func(t *testing.T) {
			h := freshHarness(t)
			h.at(0, initIn())
			h.at(0, connectIn(1, 2*sec))
			f(h)
			if len(h.db) != 0 || h.c.OpeningDB() {
				t.Errorf("a failed first connect opens a database: %v", h.db)
			}
			for _, cb := range h.calls[1] {
				if cb == vocab.CbDatabaseOpened {
					t.Errorf("call 1 got onDatabaseOpened: %v", h.calls[1])
				}
			}
			// The token is still new: the next call waits for success.
			h.at(5*sec, connectIn(2, 0))
			if _, ok := h.db[2]; ok {
				t.Error("after a failed first connect, the same token opens its database at Connect")
			}
		})
	}
}

// After a success, the same token opens the database at Connect, even
// offline, after a Logout; the call then waits offline as usual.
func TestDatabaseSameTokenOffline(t *testing.T) {
	h := freshHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(100*ms, replyIn(1, OK))
	h.fireDB(1, 120*ms)
	h.at(1*sec, disconnectIn(false)) // Logout keeps the stored token
	h.at(2*sec, env(InNetDown))
	h.at(3*sec, connectIn(2, 0)).want(
		"timer db_open @3.02s call=2",
		"status SIGN_OUT->NETWORK_UNAVAILABLE",
	)
	h.fireDB(2, 3020*ms).want("call2 onDatabaseOpened(0)")
	h.wantStatus(NetworkUnavailable)
	h.wantPending(true)
}

// A token other than the stored one waits for its success, and becomes
// the stored token: the earlier token is then the new one.
func TestDatabaseNewToken(t *testing.T) {
	h := freshHarness(t)
	h.at(0, initIn())
	h.at(0, tokIn(1, 7))
	h.at(100*ms, replyIn(1, OK))
	h.fireDB(1, 120*ms)
	h.at(1*sec, disconnectIn(true))
	h.at(2*sec, tokIn(2, 8))
	if _, ok := h.db[2]; ok {
		t.Fatal("a new token opens its database at Connect")
	}
	g := h.at(2100*ms, replyIn(2, OK))
	if want := "timer db_open @2.12s call=2"; g.lines[len(g.lines)-1] != want {
		t.Fatalf("after the new token's onSuccess: %s, want the last line %q", block(g.lines), want)
	}
	h.fireDB(2, 2120*ms).want("call2 onDatabaseOpened(0)")
	h.at(3*sec, disconnectIn(true))
	h.at(4*sec, tokIn(3, 7))
	if _, ok := h.db[3]; ok {
		t.Error("the token before the last successful one opens its database at Connect")
	}
	h.at(5*sec, disconnectIn(true))
	h.at(6*sec, tokIn(4, 8))
	if _, ok := h.db[4]; !ok {
		t.Error("the stored token does not open its database at Connect")
	}
}

// A stored token that the server refuses (31004) still opened its
// database first, and stays stored.
func TestDatabaseStoredTokenRefused(t *testing.T) {
	h := newHarness(t)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(10*ms, replyIn(1, ConnTokenIncorrect)).want(
		"attempt fail error n=1 streak=0 seq=1 code=31004",
		"status CONNECTING->TOKEN_INCORRECT",
		"call1 onDatabaseOpened(0)",
		"call1 onError(31004)",
	)
	h.at(1*sec, connectIn(2, 0)).want(
		"timer db_open @1.02s call=2",
		"status TOKEN_INCORRECT->CONNECTING",
		"attempt start connect n=1 streak=0 seq=2",
		auth(2),
		"timer attempt @6s",
	)
}

// Under multi-connect-clears, a second Connect with a new token takes the
// connection over: it gets onSuccess and then its database; the replaced
// call gets neither.
func TestDatabaseQuirkNewToken(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Quirks = QuirkMultiConnectClears
	h := newFreshHarness(t, cfg)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(50*ms, connectIn(2, 0)).none()
	g := h.at(100*ms, replyIn(1, OK))
	if got := strings.Join(g.lines, "\n"); !strings.HasSuffix(got, "call2 onSuccess(0)\ntimer db_open @120ms call=2") {
		t.Errorf("the second call's success: %s", block(g.lines))
	}
	h.fireDB(2, 120*ms).want("call2 onDatabaseOpened(0)")
	if _, ok := h.db[1]; ok {
		t.Error("the replaced call got a database")
	}
}

// countDraws is a Uniform that returns v and counts its draws.
type countDraws struct {
	v float64
	n int
}

func (u *countDraws) Float64() float64 { u.n++; return u.v }

// DBOpenError: a draw below it fails the open (33002) and changes nothing
// else; with DBOpenError 0 the core draws nothing.
func TestDatabaseOpenError(t *testing.T) {
	for _, tc := range []struct {
		p     float64
		draw  float64
		code  string
		draws int
	}{{0, 0, "0", 0}, {0.5, 0.49, "33002", 1}, {0.5, 0.5, "0", 1}, {1, 0.999, "33002", 1}} {
		cfg := DefaultConfig()
		cfg.DBOpenError = tc.p
		h := newHarnessCfg(t, cfg)
		u := &countDraws{v: tc.draw}
		h.c.SetRand(u)
		h.at(0, initIn())
		h.at(0, connectIn(1, 0))
		h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(" + tc.code + ")")
		h.at(100*ms, replyIn(1, OK)).want(
			"attempt ok n=1 streak=0 seq=1",
			"status CONNECTING->CONNECTED",
			"timer ping @15.1s",
			"call1 onSuccess(0)",
		)
		if u.n != tc.draws {
			t.Errorf("p=%v: %d draws, want %d", tc.p, u.n, tc.draws)
		}
	}
	if err := (Config{AttemptTimeout: 1, HBInterval: 1, HBTimeout: 1, HBMisses: 1, DBOpenError: 1.5}).Validate(); err == nil ||
		!strings.Contains(err.Error(), "--db-open-error must be between 0 and 1") {
		t.Errorf("Validate(DBOpenError 1.5) = %v", err)
	}
}
