package fsm

import (
	"strings"
	"testing"
)

// The quirks of spec section 9, at the level of the core. Each test uses the
// harness of harness_test.go with one quirk switched on.

func quirkHarness(t *testing.T, q Quirks) *harness {
	cfg := DefaultConfig()
	cfg.Quirks = q
	return newHarnessCfg(t, cfg)
}

// Connect before Init gets no callback at all, and nothing else happens.
func TestQuirkConnectBeforeInitSilent(t *testing.T) {
	h := quirkHarness(t, QuirkConnectBeforeInitSilent)
	h.at(0, connectIn(1, 10*sec)).none()
	h.wantStatus(Unconnected)
	h.wantPending(false)
	// After Init, Connect works as usual.
	h.at(1*sec, initIn()).none()
	h.at(1*sec, connectIn(2, 0)).want(
		"timer db_open @1.02s call=2",
		"status UNCONNECTED->CONNECTING",
		"attempt start connect n=1 streak=0 seq=1",
		auth(1),
		"timer attempt @6s",
	)
}

// A second Connect while the first is pending takes its place: it gets its
// own onDatabaseOpened and the connection's terminal callback; the first
// call gets nothing more. The attempt in flight goes on.
func TestQuirkMultiConnectClears(t *testing.T) {
	h := quirkHarness(t, QuirkMultiConnectClears)
	h.at(0, initIn())
	h.at(0, connectIn(1, 10*sec))
	h.fireDB(1, 20*ms).want("call1 onDatabaseOpened(0)")
	h.at(50*ms, connectIn(2, 10*sec)).want("timer db_open @70ms call=2")
	h.wantPending(true)
	h.fireDB(2, 70*ms).want("call2 onDatabaseOpened(0)")
	g := h.at(100*ms, replyIn(1, OK))
	if !strings.Contains(strings.Join(g.lines, "\n"), "call2 onSuccess(0)") {
		t.Errorf("the second call did not get onSuccess: %s", block(g.lines))
	}
	for _, l := range g.lines {
		if strings.HasPrefix(l, "call1 ") {
			t.Errorf("the first call got %q after being replaced", l)
		}
	}
	// Once connected, a further Connect is rejected as usual.
	h.at(1*sec, connectIn(3, 0)).want("call3 onError(34001)")
}

// The time limit that runs is the first call's: its 34006 goes to the
// call that replaced it, before that call's own limit.
func TestQuirkMultiConnectClearsTimeout(t *testing.T) {
	h := quirkHarness(t, QuirkMultiConnectClears)
	h.at(0, initIn())
	h.at(0, connectIn(1, 5*sec))
	h.fireDB(1, 20*ms)
	h.at(1*sec, connectIn(2, 5*sec))
	h.fireDB(2, 1020*ms)
	g := h.fire(TimerLimit, 5*sec)
	if !strings.Contains(strings.Join(g.lines, "\n"), "call2 onError(34006)") {
		t.Errorf("34006 did not go to the second call: %s", block(g.lines))
	}
	h.wantStatus(Timeout)
}

// The app quirk changes nothing in the core.
func TestQuirkIgnoreTimeoutCoreUnchanged(t *testing.T) {
	h := quirkHarness(t, QuirkIgnoreTimeout)
	h.at(0, connectIn(1, 10*sec)).want("call1 onError(33001)")
	h.at(0, initIn())
	h.at(0, connectIn(2, 5*sec))
	h.at(50*ms, connectIn(3, 0)).want("call3 onError(34001)")
}

func TestQuirkNames(t *testing.T) {
	var all Quirks
	for _, qi := range QuirkList {
		q, err := ParseQuirk(qi.Name)
		if err != nil || q != qi.Quirk {
			t.Errorf("ParseQuirk(%q) = %v, %v", qi.Name, q, err)
		}
		all |= q
	}
	if _, err := ParseQuirk("bogus"); err == nil {
		t.Error("ParseQuirk(bogus) succeeded")
	}
	if got := Quirks(0).String(); got != "none" {
		t.Errorf("no quirk prints %q", got)
	}
	if got, want := all.String(), strings.Join(QuirkNames(), ","); got != want {
		t.Errorf("all quirks print %q, want %q", got, want)
	}
	if DefaultConfig().Quirks != 0 {
		t.Error("the default config has quirks")
	}
}
