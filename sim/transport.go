package sim

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/vocab"
)

// dir is the direction of a message event kind on the device's link.
func dir(k evKind) netmodel.Dir {
	if k == evToClient {
		return netmodel.DirDown
	}
	return netmodel.DirUp
}

// sendTCP carries m over device dev's TCP connection (transport tcp).
// Each Auth is an attempt: it opens a new connection (the handshake, then
// the request as its first data segment); every other message rides the
// connection of the device's latest Auth. netmodel computes at send time
// when the message arrives, retransmissions included, or that the
// connection gives up; the event is stamped with the link's epoch and the
// connection's generation, so a message of an older connection or network
// is dropped as stale at arrival. A device with no network drops the
// message at once ("offline": connect fails with no route).
func (w *World) sendTCP(dev int16, m fsm.Msg, k evKind) {
	l := &w.net.Links[dev]
	if !l.Up {
		w.msgRec(vocab.MsgDrop, dev, &m, "offline")
		return
	}
	var at = w.now
	ok := true
	if m.Kind == fsm.MsgAuth {
		at, ok = w.net.TCPConnect(w.rng, int(dev), w.now)
	}
	if ok {
		at, ok = w.net.TCPSend(w.rng, int(dev), dir(k), at)
	}
	if !ok {
		w.msgRec(vocab.MsgDrop, dev, &m, "tcp-gave-up")
		return
	}
	w.msgRec(vocab.MsgSend, dev, &m, "")
	w.q.push(event{at: at, kind: k, dev: dev, epoch: l.Epoch, gen: w.net.Conns[dev].Gen, msg: m})
}

// deliverable reports whether message event e arrives now: its link is up
// on the same epoch and, over TCP, its connection is still the device's
// current one.
func (w *World) deliverable(e *event) bool {
	if !w.net.Deliverable(int(e.dev), e.epoch) {
		return false
	}
	return w.p.Net.Transport != netmodel.TransportTCP || w.net.Conns[e.dev].Gen == e.gen
}
