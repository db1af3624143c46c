package fsm

import (
	"testing"
	"time"
)

func fullConfig(servers, tls int) Config {
	cfg := DefaultConfig()
	cfg.Attempt, cfg.Servers, cfg.TLS = AttemptFull, servers, tls
	return cfg
}

func naviIn(seq uint32, code Code, n int32) Input {
	return recvIn(Msg{Kind: MsgNaviReply, Seq: seq, Code: code, N: n})
}

func openAckIn(seq uint32, server int32, round uint32, code Code) Input {
	return recvIn(Msg{Kind: MsgOpenAck, Seq: seq, N: server, ID: round, Code: code})
}

// A first visit: navigation, the first listed server refuses its socket,
// the second opens, auth; one attempt.
func TestFullAttemptFirstVisitServerList(t *testing.T) {
	h := newFreshHarness(t, fullConfig(2, 0))
	h.at(0, initIn())
	h.at(0, connectIn(1, 0)).want(
		"status UNCONNECTED->CONNECTING",
		"attempt start connect n=1 streak=0 seq=1",
		"attempt step navi n=1 streak=0 seq=1",
		"send navi seq=1 tok=7 key=5",
		"timer navi @10s",
		"timer attempt @5s")
	h.at(100*ms, naviIn(1, OK, 2)).want(
		"attempt step socket n=1 streak=0 seq=1",
		"send open seq=1")
	h.at(200*ms, openAckIn(1, 0, 0, ReplyUnavailable)).want(
		"attempt step socket n=1 streak=0 seq=1",
		"send open seq=1 server=1 round=0")
	h.at(250*ms, openAckIn(1, 0, 0, OK)).none() // a stale answer of the refused socket
	h.at(300*ms, openAckIn(1, 1, 0, OK)).want(
		"attempt step auth n=1 streak=0 seq=1",
		"send auth seq=1 tok=7 key=5 server=1 round=0")
	h.at(400*ms, replyIn(1, OK)).want(
		"attempt ok n=1 streak=0 seq=1",
		"status CONNECTING->CONNECTED",
		"timer ping @15.4s",
		"call1 onSuccess(0)",
		"timer db_open @420ms call=1")
}

// Every listed server refuses: one transient failure; the next attempt
// uses the cached answer (no navigation) and TLS adds its round trips.
func TestFullAttemptEveryServerRefusesThenCached(t *testing.T) {
	h := newFreshHarness(t, fullConfig(2, 2))
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(100*ms, naviIn(1, OK, 2))
	h.at(200*ms, openAckIn(1, 0, 0, ReplyUnavailable))
	h.at(300*ms, openAckIn(1, 1, 0, ReplyUnavailable)).want(
		"attempt fail unavailable n=1 streak=1 seq=1",
		"timer retry @350ms")
	h.fire(TimerRetry, 350*ms).want(
		"attempt start schedule n=2 streak=1 seq=2",
		"attempt step socket n=2 streak=1 seq=2",
		"send open seq=2",
		"timer attempt @5.35s")
	h.at(450*ms, openAckIn(2, 0, 0, OK)).want(
		"attempt step tls n=2 streak=1 seq=2",
		"send open seq=2 server=0 round=1")
	h.at(550*ms, openAckIn(2, 0, 1, OK)).want(
		"send open seq=2 server=0 round=2")
	h.at(650*ms, openAckIn(2, 0, 2, OK)).want(
		"attempt step auth n=2 streak=1 seq=2",
		"send auth seq=2 tok=7 key=5")
	h.at(750*ms, replyIn(2, OK))
	h.wantStatus(Connected)
}

// A failed navigation is a transient failure; on web the round's
// SUSPENDED carries 30007. The navigation timeout fails the attempt
// before the attempt timeout when it is shorter, and a late answer does
// nothing.
func TestFullAttemptNaviFailures(t *testing.T) {
	cfg := fullConfig(1, 0)
	cfg.Profile = ProfileWeb
	cfg.Policy = ProfileWeb.Policy
	cfg.NaviTimeout = 2 * sec
	c := NewClient(cfg, testDev)
	c.Step(0, initIn())
	c.Step(0, connectIn(1, 0))
	effs := c.Step(100*ms, naviIn(1, ReplyUnavailable, 0))
	if !hasStatusCode(effs, CodeNaviFailed) || c.CurrentStatus() != Suspend {
		t.Errorf("a failed navigation: %+v", effs)
	}
	retry := findTimer(effs, TimerRetry)
	effs = c.Step(retry.At, timerIn(retry))
	navi := findTimer(effs, TimerNavi)
	if navi.At != retry.At+2*sec {
		t.Fatalf("navi timer at %v, want %v", navi.At, retry.At+2*sec)
	}
	effs = c.Step(navi.At, timerIn(navi))
	if !hasStatusCode(effs, CodeNaviFailed) || c.CurrentStatus() != Suspend {
		t.Errorf("a navigation timeout: %+v", effs)
	}
	if effs := c.Step(navi.At+100*ms, naviIn(2, OK, 1)); len(effs) != 0 {
		t.Errorf("a late navigation answer: %+v", effs)
	}
}

func findTimer(effs []Effect, k TimerKind) Effect {
	for _, e := range effs {
		if e.Kind == EffTimer && e.Timer == k {
			return e
		}
	}
	return Effect{}
}

// The cache expires after NaviTTL and holds for its token only.
func TestFullAttemptCacheTTLAndToken(t *testing.T) {
	cfg := fullConfig(1, 0)
	cfg.NaviTTL = time.Minute
	h := newFreshHarness(t, cfg)
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(100*ms, naviIn(1, OK, 1))
	h.at(200*ms, openAckIn(1, 0, 0, OK))
	h.at(300*ms, replyIn(1, OK))
	h.at(1*sec, disconnectIn(false))
	if g := h.at(2*sec, connectIn(2, 0)); !hasLine(g.lines, "attempt step socket n=1 streak=0 seq=2") {
		t.Errorf("a connect within the TTL navigates again: %v", g.lines)
	}
	h.at(3*sec, disconnectIn(false))
	if g := h.at(61*sec, connectIn(3, 0)); !hasLine(g.lines, "attempt step navi n=1 streak=0 seq=3") {
		t.Errorf("a connect after the TTL uses the cache: %v", g.lines)
	}
	h.at(62*sec, disconnectIn(false))
	in := connectIn(4, 0)
	in.Token = testTok + 1
	if g := h.at(63*sec, in); !hasLine(g.lines, "attempt step navi n=1 streak=0 seq=4") {
		t.Errorf("another token uses the cache: %v", g.lines)
	}
}

// A returning device holds its first Connect's navigation answer and
// stored token: no navigation, and the database opens at once.
func TestFullAttemptReturning(t *testing.T) {
	cfg := fullConfig(1, 0)
	cfg.Returning = true
	h := newFreshHarness(t, cfg)
	tok := testTok
	h.stored = &tok // the harness's database rule: the token is stored
	h.at(0, initIn())
	h.at(0, connectIn(1, 0)).want(
		"timer db_open @20ms call=1",
		"status UNCONNECTED->CONNECTING",
		"attempt start connect n=1 streak=0 seq=1",
		"attempt step socket n=1 streak=0 seq=1",
		"send open seq=1",
		"timer attempt @5s")
}

func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func hasStatusCode(effs []Effect, c Code) bool {
	for _, e := range effs {
		if e.Kind == EffStatus && e.Code == c {
			return true
		}
	}
	return false
}

func TestParseAttempt(t *testing.T) {
	for _, m := range []AttemptMode{AttemptAuth, AttemptFull} {
		if got, err := ParseAttempt(m.String()); err != nil || got != m {
			t.Errorf("ParseAttempt(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseAttempt("tls"); err == nil {
		t.Error("ParseAttempt(tls): no error")
	}
}

// The navigation refuses the token (31004, its HTTP 401/403): the attempt
// ends there, terminal as an auth's 31004, and no socket opens; a late
// navigation answer of the attempt changes nothing.
func TestFullAttemptNaviRefusesToken(t *testing.T) {
	h := newFreshHarness(t, fullConfig(2, 0))
	h.at(0, initIn())
	h.at(0, connectIn(1, 0))
	h.at(100*ms, naviIn(1, ConnTokenIncorrect, 0)).want(
		"attempt fail error n=1 streak=0 seq=1 code=31004",
		"status CONNECTING->TOKEN_INCORRECT",
		"call1 onError(31004)")
	h.wantStatus(TokenIncorrect)
	h.at(150*ms, naviIn(1, OK, 2)).none()
}
