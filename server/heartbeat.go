package server

import "github.com/rcsim/connsim/fsm"

// ping answers a heartbeat on session m.Seq (Session.Ping): MsgPong if it
// is the device's live session, carrying the highest message id the device
// still needs (so the SDK notices a message it missed), else MsgClosed
// saying why it is gone.
func (s *Server) ping(m fsm.Msg, out *Out) {
	r := s.devs[m.Dev].Ping(m.Seq)
	r.Dev = m.Dev
	if r.Kind == fsm.MsgPong {
		r.ID = s.latest(m.Dev)
	}
	out.Replies = append(out.Replies, r)
}
