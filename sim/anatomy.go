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
	"cmp"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
)

// anatomy is the trial's state of the navigation service and the servers:
// the scenario's navi_down and server_down ops (--navi-unavailable and
// --server-down are read from the parameters when asked) and the next
// --server-down edge to run; the listed server each device's live session
// is on is the device's (devState.on).
//
// A server that goes down (server_down, or a --server-down window's
// start) is a host whose IM process is gone: it refuses sockets (the
// TCP reset that conformance maps to it) and the sessions it held are
// lost with their sockets: each such device's socket closes with no frame
// (server.Server.Drop, session close reason dropped), which the device
// learns as a lost connection at once.
type anatomy struct {
	naviDown bool
	srvDown  [fsm.MaxServers]bool
	// edge is the index in World.edges of the next window edge to run.
	edge int
}

// reset clears the state for a trial.
func (a *anatomy) reset() {
	a.naviDown, a.srvDown, a.edge = false, [fsm.MaxServers]bool{}, 0
}

// edge is a --server-down edge: listed server Server goes down (Down) or
// comes back at At.
type edge struct {
	At     time.Duration
	Server int
	Down   bool
}

// serverEdges returns the edges of the --server-down windows: each
// server's windows merged where they overlap or touch (a window's To is
// exclusive), a down edge at each merged window's start and an up edge at
// its end, in time order, then server order, then list order.
func serverEdges(wins []model.ServerDown) []edge {
	var out []edge
	for i := range fsm.MaxServers {
		var mine []model.ServerDown
		for _, d := range wins {
			if d.Server == i {
				mine = append(mine, d)
			}
		}
		slices.SortStableFunc(mine, func(a, b model.ServerDown) int { return cmp.Compare(a.From, b.From) })
		for k := 0; k < len(mine); {
			from, to := mine[k].From, mine[k].To
			for k++; k < len(mine) && mine[k].From <= to; k++ {
				to = max(to, mine[k].To)
			}
			out = append(out, edge{At: from, Server: i, Down: true}, edge{At: to, Server: i})
		}
	}
	slices.SortStableFunc(out, func(a, b edge) int { return cmp.Compare(a.At, b.At) })
	return out
}

// nextEdge returns the time of the next --server-down edge of the trial.
func (w *World) nextEdge() (time.Duration, bool) {
	if w.an.edge >= len(w.edges) {
		return 0, false
	}
	return w.edges[w.an.edge].At, true
}

// windowEdge runs the next --server-down edge: a server record as a
// scripted server_down/server_up writes, and at a down edge the loss of
// the server's sessions.
func (w *World) windowEdge() {
	e := w.edges[w.an.edge]
	w.an.edge++
	op := model.OpServerUp
	if e.Down {
		op = model.OpServerDown
	}
	w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: op.Word(), Value: float64(e.Server)})
	if e.Down {
		w.dropServer(int32(e.Server))
	}
}

// sessionOn notes the listed server of the session the auth m opened, if
// it opened one (w.so holds the server's answer to m).
func (w *World) sessionOn(m fsm.Msg) {
	for i := range w.so.Sessions {
		if s := &w.so.Sessions[i]; s.Open && s.Dev == m.Dev {
			w.devs[m.Dev].on = m.N
		}
	}
}

// dropServer closes, in device order, the live sessions listed server i
// holds: their sockets close with no frame (server.Server.Drop).
func (w *World) dropServer(i int32) {
	w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
	for d := range w.clients {
		if _, live := w.srv.Live(int16(d)); live && w.devs[d].on == i {
			w.srvMut().Drop(int16(d), &w.so)
		}
	}
	w.serverOut()
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
func (w *World) stepServe(m *fsm.Msg) {
	var r fsm.Msg // filled in place: a literal is built aside and copied
	r.Dev, r.Seq = m.Dev, m.Seq
	switch m.Kind {
	case fsm.MsgNavi:
		r.Kind = fsm.MsgNaviReply
		if w.an.naviDown || w.p.NaviDown(w.rng.Float64) {
			r.Code = fsm.ReplyUnavailable
		} else if r.Code = w.srv.NaviCheck(w.now, m); r.Code == fsm.OK {
			r.N = int32(w.p.Client.Servers) // else the token refused (HTTP 401/403), no list
		}
	case fsm.MsgOpen:
		r.Kind, r.N, r.ID = fsm.MsgOpenAck, m.N, m.ID
		if w.serverDown(m.N) {
			r.Code = fsm.ReplyUnavailable
		}
	default:
		return
	}
	w.send(m.Dev, &r, evToClient)
}

// anatomyOp carries out a scripted op of the navigation service or a
// server.
func (w *World) anatomyOp(a *model.Action) {
	r := trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word()}
	switch a.Op {
	case model.OpServerDown, model.OpServerUp:
		r.Value = float64(a.Server)
		w.an.srvDown[a.Server] = a.Op == model.OpServerDown
	case model.OpNaviDown, model.OpNaviUp:
		w.an.naviDown = a.Op == model.OpNaviDown
	}
	w.rec(r)
	if a.Op == model.OpServerDown {
		w.dropServer(int32(a.Server))
	}
}
