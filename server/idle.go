package server

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// Idle is the server's liveness check of device dev at now (spec section
// 12, "server's view"): if its live session has been silent for
// IdleTimeout or longer, the server closes it (reason idle) and closes
// the socket, which the device learns as MsgClosed{ClosedGone} if it can
// still be reached. Otherwise, if a session is live, next is when to check
// again (ok true): the world keeps one check per device in its queue and
// re-arms it at next, so a healthy session costs one event per idle
// timeout. IdleTimeout <= 0: the server never closes an idle session.
func (s *Server) Idle(now time.Duration, dev int16, out *Out) (next time.Duration, ok bool) {
	s.sync()
	d := &s.devs[dev]
	timeout := s.IdleTimeout
	if zoo.Is(zoo.IdleLate) { // bug zoo (P17): twice the idle timeout
		timeout *= 2
	}
	if seq, closed := d.Idle(now, timeout); closed {
		s.closed(dev, seq, vocab.CloseIdle, false, out)
		out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgClosed, Dev: dev, Seq: seq, Code: fsm.ClosedGone})
		return 0, false
	}
	return d.IdleAt(timeout)
}

// IdleAt returns when device dev's live session would fall idle, if it has
// one and the server closes idle sessions.
func (s *Server) IdleAt(dev int16) (time.Duration, bool) {
	s.sync()
	return s.devs[dev].IdleAt(s.IdleTimeout)
}
