package sim

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/inbox"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Messages in the kernel (spec section 12, docs/messages.md). The layer is
// on only when the trial can carry a message (--msg-rate > 0 or a message
// op in the script): with it off nothing here runs and nothing is drawn,
// so such a trial's trace is what it was before messages existed.
//
// The server's rules are package server's (Message, Pull, ack, Expire),
// the SDK's are package inbox's; the world moves their messages over the
// same lossy links as everything else and writes the message records.

// msgState is the world's message bookkeeping of one trial.
type msgState struct {
	on     bool // the layer is on (NewWorld: it never changes)
	icfg   inbox.Config
	boxes  []*inbox.Inbox // by device
	batch  []server.Chat  // every pull reply's messages, by Msg.Batch
	sent   [][]sentMsg    // by user, by id-1
	drops  []server.Chat
	res    *model.MsgResult
	anyOps bool // the script has a message op
}

// sentMsg is what the world remembers of a message to measure it.
type sentMsg struct {
	at     time.Duration
	pushed uint64 // bit d: a push of it reached device d (devices 0 to 63)
}

// beginMsgs sets up the message layer for a trial (begin calls it when
// the layer is on: the parameters and the script's ops, which never
// change, say so; buildServer gives the server the layer's rules).
func (w *World) beginMsgs() {
	m := &w.msg
	m.icfg = inbox.Config{PullTimeout: w.p.Client.AttemptTimeout}
	for len(m.boxes) < len(w.clients) {
		m.boxes = append(m.boxes, inbox.New(&m.icfg, int16(len(m.boxes))))
	}
	for i, b := range m.boxes {
		b.Reset(&m.icfg, int16(i))
	}
	m.batch = m.batch[:0]
	users := w.sc.Users()
	for len(m.sent) < users {
		m.sent = append(m.sent, nil)
	}
	for u := range m.sent {
		m.sent[u] = m.sent[u][:0]
	}
	m.res = &model.MsgResult{}
	w.res.Msg = m.res
	if w.p.Msg.Rate > 0 {
		for u := range users {
			w.nextArrival(int32(u))
		}
	}
}

// nextArrival queues user's next --msg-rate message.
func (w *World) nextArrival(user int32) {
	gap := w.p.Msg.Gap(w.rng)
	w.q.push(event{at: addTime(w.now, gap), kind: evMsgRate, idx: user})
}

// message handles a message for user reaching the server now.
func (w *World) message(user int32, conv int32, status bool) {
	m := &w.msg
	w.expire(user)
	w.so.Replies, w.so.Sessions = w.so.Replies[:0], w.so.Sessions[:0]
	r := w.srvMut().Message(w.now, user, conv, status, &w.so)
	m.sent[user] = append(m.sent[user], sentMsg{at: w.now})
	m.res.Sent++
	kind := vocab.MessageNormal
	if status {
		kind = vocab.MessageStatus
	}
	w.rec(trace.Record{Kind: trace.KMessage, Dev: -1, Op: vocab.MessageSend, User: user, ID: r.ID, Conv: conv, Msg: kind})
	if r.Stored {
		m.res.Stored++
		w.rec(trace.Record{Kind: trace.KMessage, Dev: -1, Op: vocab.MessageStore, User: user, ID: r.ID})
	}
	if !status {
		if len(w.so.Replies) > 0 && !w.anyConnected() {
			m.res.Ghosts++
		}
		// The store drops it when its retention ends, if the trial lasts
		// that long (a later expiry would never run: not queued).
		if at := addTime(w.now, w.p.Msg.Retention); w.p.Msg.Retention > 0 && at <= w.p.Horizon {
			w.q.push(event{at: at, kind: evExpire, idx: user})
		}
	}
	if r.Push >= 0 {
		w.q.push(event{at: addTime(w.now, w.p.Msg.PushDelay(w.rng)), kind: evPush, dev: r.Push, idx: user, msg: fsm.Msg{ID: r.ID}})
	}
	w.serverOut()
}

// anyConnected reports whether some delivery in w.so.Replies goes to a
// device that reads that very session: CONNECTED on it, or with the
// attempt that opened it in flight (the handshake's answer is on its way:
// the device reads the session once connected). Otherwise the message is
// a ghost, as in storm.
func (w *World) anyConnected() bool {
	for _, rep := range w.so.Replies {
		c := w.clients[rep.Dev]
		if seq, ok := c.Session(); ok && seq == rep.Seq {
			return true
		}
		if s := c.Snapshot(); s.InFlight && s.Seq == rep.Seq {
			return true
		}
	}
	return false
}

// push delivers a push notification of message id of user to device dev.
func (w *World) push(dev int16, user int32, id uint32) {
	m := &w.msg
	m.res.Pushes++
	if _, ok := w.clients[dev].Session(); ok {
		m.res.PushedOn++
	}
	if dev < 64 && int(id) <= len(m.sent[user]) {
		m.sent[user][id-1].pushed |= 1 << dev
	}
	w.rec(trace.Record{Kind: trace.KMessage, Dev: int32(dev), Op: vocab.MessagePush, User: user, ID: id})
}

// expire drops from user's store what outlived the retention.
func (w *World) expire(user int32) {
	m := &w.msg
	m.drops = w.srvMut().Expire(w.now, user, m.drops[:0])
	for _, c := range m.drops {
		m.res.Dropped++
		w.rec(trace.Record{Kind: trace.KMessage, Dev: -1, Op: vocab.MessageDrop, User: user, ID: c.ID, Reason: vocab.DropRetention})
	}
}

// msgStatus tells device dev's inbox about a status change of its core.
func (w *World) msgStatus(dev int16, e *fsm.Effect) {
	b := w.msg.boxes[dev]
	switch {
	case e.To == fsm.Connected && e.From != fsm.Connected:
		seq, _ := w.clients[dev].Session()
		w.inboxOut(dev, b.Connected(w.now, seq))
	case e.From == fsm.Connected && e.To != fsm.Connected:
		b.Disconnected()
	}
}

// msgRecv hands a message from the server to device dev's inbox. It
// reports whether the message was the inbox's alone (the core ignores
// message kinds).
func (w *World) msgRecv(dev int16, msg fsm.Msg) bool {
	var batch []server.Chat
	switch msg.Kind {
	case fsm.MsgPullReply:
		batch = w.msg.batch[msg.Batch : msg.Batch+msg.N]
	case fsm.MsgDeliver:
	case fsm.MsgPong:
		w.inboxOut(dev, w.msg.boxes[dev].Recv(w.now, msg, nil))
		return false
	default:
		return false
	}
	w.inboxOut(dev, w.msg.boxes[dev].Recv(w.now, msg, batch))
	return true
}

// msgServe handles a Pull at the server (after Handle heard it).
func (w *World) msgServe(msg fsm.Msg) {
	m := &w.msg
	w.expire(w.srv.Devices[msg.Dev].User)
	start := len(m.batch)
	var ok bool
	if m.batch, ok = w.srvMut().Pull(msg, m.batch, &w.so); ok {
		w.so.Replies[len(w.so.Replies)-1].Batch = int32(start)
	}
}

// inboxOut carries out device dev's inbox effects.
func (w *World) inboxOut(dev int16, effs []inbox.Effect) {
	m := &w.msg
	user := w.srv.Devices[dev].User
	for i := range effs {
		e := &effs[i]
		switch e.Kind {
		case inbox.EffSend:
			if e.Msg.Kind == fsm.MsgPull {
				m.res.Pulls++
			}
			w.send(dev, &e.Msg, evToServer)
		case inbox.EffTimer:
			w.q.push(event{at: e.At, kind: evPullTimer, dev: dev, gen: e.Gen})
		case inbox.EffDup:
			m.res.Dups++
			w.rec(trace.Record{Kind: trace.KMessage, Dev: int32(dev), Op: vocab.MessageDup, User: user, ID: e.Chat.ID})
		case inbox.EffShow:
			path := vocab.PathLive
			if e.Path == inbox.PathPull {
				path = vocab.PathPull
			}
			var lat time.Duration
			if s := m.sent[user]; int(e.Chat.ID) <= len(s) && e.Chat.ID > 0 {
				lat = w.now - s[e.Chat.ID-1].at
				if path == vocab.PathPull && dev < 64 && s[e.Chat.ID-1].pushed&(1<<dev) != 0 {
					path = vocab.PathPush
				}
			}
			m.res.Show(path, lat)
			kind := vocab.MessageNormal
			if e.Chat.Status {
				kind = vocab.MessageStatus
			}
			w.rec(trace.Record{Kind: trace.KMessage, Dev: int32(dev), Op: vocab.MessageShow, User: user, ID: e.Chat.ID, Conv: e.Chat.Conv, Msg: kind, Reason: path})
		}
	}
}

// msgEvent runs a message event.
func (w *World) msgEvent(e *event) {
	switch e.kind {
	case evMsgRate:
		w.message(e.idx, 0, false)
		w.nextArrival(e.idx)
	case evPush:
		w.push(e.dev, e.idx, e.msg.ID)
	case evPullTimer:
		w.inboxOut(e.dev, w.msg.boxes[e.dev].Timer(w.now, e.gen))
	case evExpire:
		w.expire(e.idx)
	}
}

// msgBusy reports whether the message layer keeps the trial from settling:
// with --msg-rate messages keep coming until the horizon; otherwise a pull
// in flight is work still to do.
func (w *World) msgBusy() bool {
	if !w.msg.on {
		return false
	}
	if w.p.Msg.Rate > 0 {
		return true
	}
	for _, b := range w.msg.boxes {
		if b.Pulling() {
			return true
		}
	}
	return false
}
