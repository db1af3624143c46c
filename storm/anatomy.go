package storm

import "github.com/rcsim/connsim/fsm"

// stepServe answers an attempt's steps before its auth (--attempt full,
// fsm/anatomy.go): the navigation service answers at once with the listed
// servers, or, during a navi outage, refuses at once (the attempt fails
// transiently: 30007; counted as refused by the outage), and the IM
// server's host accepts a socket round at once, without a worker: only the
// auth takes one. During an outage a socket meets the server as an auth
// did: a silent server drops it (the attempt times out), a resetting one
// refuses it (the client tries the next listed server, then fails). The
// outage counters count an attempt's first socket round (round 0).
func (w *world) stepServe(cl int32, m fsm.Msg) {
	switch m.Kind {
	case fsm.MsgNavi:
		r := fsm.Msg{Kind: fsm.MsgNaviReply, Seq: m.Seq, N: int32(w.p.Model.Client.Servers)}
		if w.naviDown {
			r.Code, r.N = fsm.ReplyUnavailable, 0
			w.st.RefusedOutage++
			w.series.cur.Refused++
		}
		w.send(cl, r, evToClient)
	case fsm.MsgOpen:
		r := fsm.Msg{Kind: fsm.MsgOpenAck, Seq: m.Seq, N: m.N, ID: m.ID}
		if w.srv.down {
			if w.p.OutageKind == OutageServerSilent {
				if m.ID == 0 {
					w.st.DroppedOutage++
				}
				return
			}
			if m.ID == 0 {
				w.st.RefusedOutage++
				w.series.cur.Refused++
			}
			r.Code = fsm.ReplyUnavailable
		}
		w.send(cl, r, evToClient)
	}
}
