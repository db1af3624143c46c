package sim

// The world around the attempt's anatomy (fsm/anatomy.go): the navigation
// service and the listed IM servers' sockets. Both answer at once; the
// network carries their messages as any other (loss, latency, offline).
// The IM server's session rules (package server) never see a navigation
// request or a socket round: a server that is down refuses the socket,
// and an auth that reaches it is answered "unavailable". The navigation
// reads the server's tokens (Server.NaviCheck): a service that is up
// refuses a bad or expired token.

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
)

// anatomy is the trial's state of the navigation service and the servers:
// the scenario's navi_down and server_down ops (--navi-unavailable and
// --server-down are read from the parameters when asked).
type anatomy struct {
	naviDown bool
	srvDown  [fsm.MaxServers]bool
}

// serverDown reports whether listed server i refuses now.
func (w *World) serverDown(i int32) bool {
	if i < 0 || int(i) >= len(w.an.srvDown) {
		return false
	}
	return w.an.srvDown[i] || w.p.ServerDownAt(int(i), w.now)
}

// stepServe answers a navigation request or a socket round that reached
// the world.
func (w *World) stepServe(m fsm.Msg) {
	switch m.Kind {
	case fsm.MsgNavi:
		r := fsm.Msg{Kind: fsm.MsgNaviReply, Dev: m.Dev, Seq: m.Seq, N: int32(w.p.Client.Servers)}
		if w.an.naviDown || w.p.NaviDown(w.rng.Float64) {
			r.Code, r.N = fsm.ReplyUnavailable, 0
		} else if code := w.srv.NaviCheck(w.now, m); code != fsm.OK {
			r.Code, r.N = code, 0 // the token refused (HTTP 401/403)
		}
		w.send(m.Dev, r, evToClient)
	case fsm.MsgOpen:
		r := fsm.Msg{Kind: fsm.MsgOpenAck, Dev: m.Dev, Seq: m.Seq, N: m.N, ID: m.ID}
		if w.serverDown(m.N) {
			r.Code = fsm.ReplyUnavailable
		}
		w.send(m.Dev, r, evToClient)
	}
}

// anatomyOp carries out a scripted op of the navigation service or a
// server.
func (w *World) anatomyOp(a *model.Action) {
	r := trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.String()}
	switch a.Op {
	case model.OpServerDown, model.OpServerUp:
		r.Value = float64(a.Server)
		w.an.srvDown[a.Server] = a.Op == model.OpServerDown
	case model.OpNaviDown, model.OpNaviUp:
		w.an.naviDown = a.Op == model.OpNaviDown
	}
	w.rec(r)
}
