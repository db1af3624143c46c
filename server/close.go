package server

import "github.com/rcsim/connsim/fsm"

// close handles a Close: the client abandons every attempt and session of
// the device up to m.Seq (Session.Close): the live session, if its seq <=
// m.Seq, closes with the Push preference recorded; a Logout or
// Disconnect(false) that closes it disallows push to the device until its
// next session. No reply.
func (s *Server) close(m fsm.Msg, out *Out) {
	if seq, reason, ok := s.devs[m.Dev].Close(m); ok {
		s.dmsg[m.Dev].closed(reason, m.Push)
		s.closed(m.Dev, seq, reason, m.Push, out)
	}
}
