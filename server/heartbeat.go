package server

import "github.com/rcsim/connsim/fsm"

// ping answers a heartbeat on session m.Seq: MsgPong if it is the device's
// live session; otherwise MsgClosed{m.Seq} whose Code says why the session
// is gone: ClosedKicked or ClosedBlocked if it is the device's last closed
// session and was closed for that reason, else ClosedGone. So a device whose
// kick push was lost learns of the kick at its next heartbeat.
func (s *Server) ping(m fsm.Msg, out *Out) {
	d := &s.devs[m.Dev]
	if d.live && d.seq == m.Seq {
		out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgPong, Dev: m.Dev, Seq: m.Seq})
		return
	}
	code := fsm.ClosedGone
	if d.closedReason != "" && d.closedSeq == m.Seq {
		switch d.closedReason {
		case ReasonKicked:
			code = fsm.ClosedKicked
		case ReasonBlocked:
			code = fsm.ClosedBlocked
		}
	}
	out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgClosed, Dev: m.Dev, Seq: m.Seq, Code: code})
}
