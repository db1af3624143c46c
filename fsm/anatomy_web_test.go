package fsm

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// webFull is the web profile under attempt full with the given servers,
// a returning device (the navigation answer cached) unless first.
func webFull(servers int, first bool) Config {
	cfg := fullConfig(servers, 0)
	cfg.Profile, cfg.Policy, cfg.Returning = ProfileWeb, ProfileWeb.Policy, !first
	return cfg
}

// webDrv steps a web client directly (the fresh harness checks the
// mobile machine's rules), remembering its live timers.
type webDrv struct {
	t      *testing.T
	c      *Client
	timers map[TimerKind]Effect
}

func newWebDrv(t *testing.T, cfg Config) *webDrv {
	return &webDrv{t: t, c: NewClient(cfg, testDev), timers: map[TimerKind]Effect{}}
}

// step feeds one input at now and returns its effects and their lines.
func (d *webDrv) step(now time.Duration, in Input) ([]Effect, []string) {
	effs := slices.Clone(d.c.Step(now, in))
	var lines []string
	for _, e := range effs {
		if e.Kind == EffTimer {
			d.timers[e.Timer] = e
		}
		lines = append(lines, render(e))
	}
	return effs, lines
}

// fire fires the live timer of kind k, due at when.
func (d *webDrv) fire(k TimerKind, when time.Duration) ([]Effect, []string) {
	d.t.Helper()
	e := d.timers[k]
	if e.At != when || !d.c.TimerLive(k, e.Gen) {
		d.t.Fatalf("the %s timer is due at %v (live %v), not %v", k, e.At, d.c.TimerLive(k, e.Gen), when)
	}
	return d.step(when, timerIn(e))
}

// wantLines fails unless every line of want is among lines, in order.
func wantLines(t *testing.T, lines []string, want ...string) {
	t.Helper()
	i := 0
	for _, l := range lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("missing %q in\n  %s", want[i], strings.Join(lines, "\n  "))
	}
}

// SocketTimer (web): the attempt timer bounds each server's socket, and a
// socket that times out moves on to the next listed server; the round
// fails (35008) when the last one times out: two servers, 10 s.
func TestWebSocketTimerPerServer(t *testing.T) {
	d := newWebDrv(t, webFull(2, false))
	d.step(0, initIn())
	_, l := d.step(0, connectIn(1, 0))
	wantLines(t, l, "attempt step socket n=1 streak=0 seq=1", "send open seq=1", "timer attempt @5s")
	_, l = d.fire(TimerAttempt, 5*sec)
	wantLines(t, l, "attempt step socket n=1 streak=0 seq=1", "send open seq=1 server=1 round=0", "timer attempt @10s")
	effs, l := d.fire(TimerAttempt, 10*sec)
	wantLines(t, l, "attempt fail attempt-timeout n=1 streak=1 seq=1")
	if !hasStatusCode(effs, CodeServerUnavail) {
		t.Errorf("the timed-out round's SUSPENDED code is not 35008: %v", l)
	}
}

// SocketTimer (web): only the navigation's own timer bounds the
// navigation step; the socket's starts with the socket.
func TestWebNaviStepHasItsOwnTimer(t *testing.T) {
	d := newWebDrv(t, webFull(1, true))
	d.step(0, initIn())
	_, l := d.step(0, connectIn(1, 0))
	wantLines(t, l, "attempt step navi n=1 streak=0 seq=1", "timer navi @10s")
	if hasLine(l, "timer attempt @5s") {
		t.Errorf("the attempt timer runs during the navigation: %v", l)
	}
	_, l = d.step(7*sec, naviIn(1, OK, 1))
	wantLines(t, l, "attempt step socket n=1 streak=0 seq=1", "timer attempt @12s")
}

// StickyServer (web): after the second listed server accepted, the
// reconnection tries it first; once DISCONNECTED the list's order is back.
func TestWebStickyServer(t *testing.T) {
	d := newWebDrv(t, webFull(2, false))
	d.step(0, initIn())
	d.step(0, connectIn(1, 0))
	d.step(100*ms, openAckIn(1, 0, 0, ReplyUnavailable))
	d.step(200*ms, openAckIn(1, 1, 0, OK))
	d.step(300*ms, replyIn(1, OK))
	if d.c.CurrentStatus() != Connected {
		t.Fatalf("not connected: %s", d.c.CurrentStatus())
	}
	// The browser fails the live socket: the engine reconnects at once.
	_, l := d.step(10*sec, env(InNetChange))
	wantLines(t, l, "attempt start reconnect n=2 streak=0 seq=2 auto", "send open seq=2 server=1 round=0")
	d.step(10*sec+100*ms, openAckIn(2, 1, 0, OK))
	d.step(10*sec+200*ms, replyIn(2, OK))
	d.step(20*sec, disconnectIn(false))
	_, l = d.step(30*sec, connectIn(2, 0))
	wantLines(t, l, "attempt step socket n=1 streak=0 seq=3", "send open seq=3")
	if hasLine(l, "send open seq=3 server=1 round=0") {
		t.Errorf("after DISCONNECTED the sticky server is still first: %v", l)
	}
}

// Offline (web, attempt full), a round fails at once after its first
// step: the navigation request (30007) without a fresh cached answer, the
// socket (35008) with one.
func TestWebOfflineRoundShowsItsFirstStep(t *testing.T) {
	for _, c := range []struct {
		first bool
		step  string
		code  Code
	}{{true, "navi", CodeNaviFailed}, {false, "socket", CodeServerUnavail}} {
		d := newWebDrv(t, webFull(1, c.first))
		d.step(0, initIn())
		d.step(0, env(InNetDown))
		effs, l := d.step(time.Second, connectIn(1, 0))
		wantLines(t, l, "attempt start connect n=1 streak=0 seq=1", "attempt step "+c.step+" n=1 streak=0 seq=1", "attempt fail network-down n=1 streak=1 seq=1")
		if !hasStatusCode(effs, c.code) {
			t.Errorf("first visit %v: the offline round's code is not %d: %v", c.first, c.code, l)
		}
	}
}
