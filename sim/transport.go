package sim

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/vocab"
)

// stream is the trial's random stream as netmodel draws it: w.rng and
// the PCG under it.
func (w *World) stream() netmodel.Stream { return netmodel.Stream{PCG: w.pcg, R: w.rng} }

// dir is the direction of a message event kind on the device's link.
func dir(k evKind) netmodel.Dir {
	if k == evToClient {
		return netmodel.DirDown
	}
	return netmodel.DirUp
}

// connOf is the TCP connection a message rides: the navigation request
// and its answer their own, everything else the IM server's.
func connOf(k fsm.MsgKind) netmodel.ConnID {
	if k == fsm.MsgNavi || k == fsm.MsgNaviReply {
		return netmodel.ConnNavi
	}
	return netmodel.ConnIM
}

// sendTCP carries m over device dev's TCP connections (transport tcp).
// netmodel computes at send time when the message arrives,
// retransmissions included, or that the connection gives up; the event is
// stamped with the link's epoch and the connection's generation, so a
// message of an older connection or network is dropped as stale at
// arrival. A device with no network drops the message at once
// ("offline": connect fails with no route).
//
// Under attempt auth each Auth is an attempt: it opens a new IM
// connection (the handshake, then the request as its first data segment);
// every other message rides the connection of the device's latest Auth.
// Under attempt full the steps are the packets (netmodel.AttemptTCP,
// validated against gVisor by tcpcheck):
//
//   - Navi opens a new navigation connection and is its HTTP request;
//     NaviReply is the answer on it;
//   - Open round 0 (the socket) is the IM connection's handshake: it
//     arrives when the client is connected (the SYN-ACK's arrival), and
//     its OpenAck is that arrival, sent and delivered at once (a server
//     that refuses the socket answers in the handshake's time: its reset
//     is timed as a SYN-ACK);
//   - Open and OpenAck of rounds 1 to Config.TLS are the TLS flights, one
//     data segment each way, then Auth and the session ride the same
//     connection.
func (w *World) sendTCP(dev int16, m *fsm.Msg, k evKind) {
	l := &w.net.Links[dev]
	if !l.Up {
		w.msgRec(vocab.MsgDrop, dev, m, vocab.DropOffline)
		return
	}
	id := connOf(m.Kind)
	at, ok := w.now, true
	switch {
	case m.Kind == fsm.MsgOpenAck && m.ID == 0:
		// the handshake's answer, already on the link in Open's connect
	case m.Kind == fsm.MsgOpen && m.ID == 0:
		at, ok = w.net.TCPConnectOn(w.stream(), int(dev), id, w.now)
	default:
		if m.Kind == fsm.MsgNavi || m.Kind == fsm.MsgAuth && w.p.Client.Attempt == fsm.AttemptAuth {
			at, ok = w.net.TCPConnectOn(w.stream(), int(dev), id, w.now)
		}
		if ok {
			at, ok = w.net.TCPSendOn(w.stream(), int(dev), id, dir(k), at)
		}
	}
	if !ok {
		w.msgRec(vocab.MsgDrop, dev, m, vocab.DropTCPGaveUp)
		return
	}
	w.msgRec(vocab.MsgSend, dev, m, vocab.None)
	w.q.push(event{at: at, kind: k, dev: dev, epoch: l.Epoch, gen: w.net.Conn(int(dev), id).Gen, msg: *m})
}

// deliverable reports whether message event e arrives now: its link is up
// on the same epoch and, over TCP, its connection is still the device's
// current one of its kind.
func (w *World) deliverable(e *event) bool {
	if !w.net.Deliverable(int(e.dev), e.epoch) {
		return false
	}
	return w.p.Net.Transport != netmodel.TransportTCP || w.net.Conn(int(e.dev), connOf(e.msg.Kind)).Gen == e.gen
}
