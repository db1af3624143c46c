package sim

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// envInputs maps device environment ops to the core's inputs.
var envInputs = map[model.Op]fsm.InputKind{
	model.OpNetOff:        fsm.InNetDown,
	model.OpNetOn:         fsm.InNetUp,
	model.OpNetChange:     fsm.InNetChange,
	model.OpBackground:    fsm.InBackground,
	model.OpForeground:    fsm.InForeground,
	model.OpIPCDisconnect: fsm.InIPCDisconnect,
}

// script carries out one scripted action at the current virtual time.
func (w *World) script(a *model.Action) {
	dev := int16(a.Dev)
	switch a.Op {
	case model.OpInit:
		w.newRec(trace.KCall, int32(dev)).Op = a.Op.Word()
		w.step(dev, &fsm.Input{Kind: fsm.InInit, AppKey: int32(w.sc.InitKey)})
	case model.OpConnect:
		w.nextCall++
		tl := w.p.TimeLimit
		if a.HasLimit {
			tl = a.TimeLimit
		}
		tok := a.Dev
		if a.Token >= 0 {
			tok = a.Token
		}
		ret := fsm.OK // the native connect returns nothing
		if w.p.Client.API == fsm.APIWrapper {
			ret = w.clients[dev].Refusal()
		}
		r := w.newRec(trace.KCall, int32(dev))
		r.Op, r.Call, r.Token, r.TimeLimit, r.Code = a.Op.Word(), w.nextCall, int32(tok), tl, ret
		if w.res.FirstCall == 0 {
			w.res.FirstCall, w.res.connectAt, w.res.firstDev = w.nextCall, w.now, dev
		}
		if ret != fsm.OK {
			// Refused by its return code (wrapper API): the call ends
			// here, with no callback; the result counts the code as the
			// first call's error.
			w.res.callback(w.now, &fsm.Effect{Kind: fsm.EffCallback, Call: w.nextCall, Name: vocab.CbError, Code: ret})
		} else {
			w.open = append(w.open, openCall{call: w.nextCall, dev: dev})
		}
		if w.op.hit && dev == w.op.dev {
			w.connectStep(dev) // the step the opening recorded (opening.go)
			break
		}
		w.step(dev, &fsm.Input{Kind: fsm.InConnect, Call: w.nextCall, Token: int32(tok), TimeLimit: tl})
	case model.OpDisconnect, model.OpLogout:
		push := a.Push && a.Op == model.OpDisconnect
		w.rec(trace.Record{Kind: trace.KCall, Dev: int32(dev), Op: a.Op.Word(), Push: push})
		w.step(dev, &fsm.Input{Kind: fsm.InDisconnect, Push: push})
		w.closeCalls(dev, 0)
		if w.res.Outcome == 0 && w.res.FirstCall != 0 && w.res.firstDev == dev && !w.clients[dev].Pending() {
			w.res.Outcome = OutcomeStopped
		}
	case model.OpAddListener, model.OpRemoveListener:
		r := w.newRec(trace.KCall, int32(dev))
		r.Op, r.Listeners = a.Op.Word(), int32(a.Listener)
		k := fsm.InAddListener
		if a.Op == model.OpRemoveListener {
			k = fsm.InRemoveListener
		}
		w.step(dev, &fsm.Input{Kind: k, Listener: int32(a.Listener)})
	case model.OpNetOff, model.OpNetOn, model.OpNetChange, model.OpBackground, model.OpForeground, model.OpIPCDisconnect:
		w.rec(trace.Record{Kind: trace.KEnv, Dev: int32(dev), Op: a.Op.Word()})
		switch a.Op {
		case model.OpNetOff:
			w.net.Down(a.Dev)
		case model.OpNetOn:
			w.net.Up(a.Dev)
		case model.OpNetChange:
			w.net.Change(a.Dev)
		}
		w.step(dev, &fsm.Input{Kind: envInputs[a.Op]})
	case model.OpLoss:
		if a.Quality {
			w.netQuality(a)
			break
		}
		w.rec(trace.Record{Kind: trace.KEnv, Dev: int32(dev), Op: a.Op.Word(), Value: a.Value})
		w.net.SetLoss(a.Dev, a.Value)
	case model.OpTokenExpire:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word(), Token: int32(a.Token)})
		w.srvMut().ExpireToken(w.now, int32(a.Token))
	case model.OpTokenInvalidate:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word(), Token: int32(a.Token)})
		w.srvMut().InvalidateToken(int32(a.Token))
	case model.OpBlockUser:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word(), User: int32(a.User)})
		w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
		w.srvMut().BlockUser(int32(a.User), &w.so)
		w.serverOut()
	case model.OpUnblockUser:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word(), User: int32(a.User)})
		w.srvMut().UnblockUser(int32(a.User))
	case model.OpAppKey:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.State.Op()})
		w.srvMut().AppKeys[w.sc.InitKey] = a.State
	case model.OpUnavailable:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word(), Value: a.Value})
		w.net.SetServerUnavailable(a.Value)
	case model.OpMark:
		w.rec(trace.Record{Kind: trace.KServer, Dev: -1, Op: a.Op.Word()})
	case model.OpServerDown, model.OpServerUp, model.OpNaviDown, model.OpNaviUp:
		w.anatomyOp(a)
	case model.OpServerClose:
		w.rec(trace.Record{Kind: trace.KServer, Dev: int32(dev), Op: a.Op.Word()})
		w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
		w.srvMut().Drop(dev, &w.so)
		w.serverOut()
	case model.OpMessage:
		w.message(int32(a.User), int32(a.Conv), a.Status)
	case model.OpStatus:
		w.rec(trace.Record{Kind: trace.KCall, Dev: int32(dev), Op: a.Op.Word(), Status: w.queryStatus(dev)})
	}
}

// queryStatus is device dev's answer to the app's status query
// (fsm.Client.QueryStatus). The zoo's StatusQueryStale answers the status
// before the device's last status change instead (P7 catches it).
func (w *World) queryStatus(dev int16) fsm.Status {
	if zoo.Is(zoo.StatusQueryStale) {
		for i := len(w.Recs) - 1; i >= 0; i-- {
			if r := &w.Recs[i]; r.Kind == trace.KStatus && r.Dev == int32(dev) {
				return r.From
			}
		}
	}
	return w.clients[dev].QueryStatus()
}
