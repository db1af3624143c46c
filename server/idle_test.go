package server

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// idleAt runs the liveness check of device 0 at now and reports whether
// it closed the session.
func (w *world) idleAt(now time.Duration) bool {
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	w.s.Idle(now, 0, &w.out)
	for _, e := range w.out.Sessions {
		if !e.Open && e.Reason == vocab.CloseIdle {
			return true
		}
	}
	return false
}

// TestIdleHearsTheSessionOnly: the idle timeout counts from the last
// message on the live session (a ping of its seq); an Auth the server
// refuses, a ping of another seq or nothing at all keep it silent.
func TestIdleHearsTheSessionOnly(t *testing.T) {
	const timeout = 60 * time.Second
	for _, c := range []struct {
		name  string
		msg   fsm.Msg
		unav  bool
		alive bool // still live at 61 s
	}{
		{"ping on the session", fsm.Msg{Kind: fsm.MsgPing, Seq: 1}, false, true},
		{"ack on the session", fsm.Msg{Kind: fsm.MsgAck, Seq: 1}, false, true},
		{"refused auth", authMsg(0, 2, true), true, false},
		{"ping of an old seq", fsm.Msg{Kind: fsm.MsgPing, Seq: 7}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.IdleTimeout = timeout
			w.connect(t, 0, 1)
			w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
			w.s.Handle(30*time.Second, c.msg, c.unav, &w.out)
			if closed := w.idleAt(61 * time.Second); closed == c.alive {
				t.Errorf("after %s at 30 s, closed idle at 61 s: %v; want %v", c.name, closed, !c.alive)
			}
			if !c.alive {
				return
			}
			if !w.idleAt(91 * time.Second) {
				t.Errorf("after %s at 30 s, still live at 91 s", c.name)
			}
		})
	}
}
