package server

import "github.com/rcsim/connsim/fsm"

// close handles a Close: the client abandons every attempt and session of
// the device up to m.Seq. Later Auths with seq <= m.Seq are ignored; the
// live session, if its seq <= m.Seq, is closed with the Push preference
// recorded, reason "logout" (m.Code == fsm.OK: Disconnect/Logout) or
// "background" (fsm.CloseBackground: the SDK disconnected after a while in
// the background) or "abandoned" (any other Code, e.g. 34006 after a
// timeout). No reply.
func (s *Server) close(m fsm.Msg, out *Out) {
	d := &s.devs[m.Dev]
	d.raiseFloor(m.Seq)
	if !d.live || d.seq > m.Seq {
		return
	}
	reason := ReasonLogout
	switch m.Code {
	case fsm.OK:
	case fsm.CloseBackground:
		reason = ReasonBackground
	default:
		reason = ReasonAbandoned
	}
	s.closeLive(m.Dev, reason, m.Push, out)
}
