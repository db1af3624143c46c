package storm

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/inbox"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Messages in the storm (spec section 12, docs/messages.md). The layer
// exists only with --msg-rate > 0: with it off, world.msg is nil, nothing
// here runs and nothing is drawn, so a storm is what it was before
// messages existed, in output, memory and speed.
//
// The rules are written once elsewhere: the server's are package server's
// (a server.Solo beside each client's Session: one device per user), the
// SDK's are package inbox's. The world moves their messages over each
// client's lossy link like every other message and counts.
//
// The message store and the push service are not the connection tier: a
// server outage (a restart or a lost host) ends every session, but
// messages keep arriving, are stored and pushed, and survive it.

// msgLayer is the storm's message state.
type msgLayer struct {
	icfg  inbox.Config
	cl    []clientMsgs
	buf   []inbox.Effect // the effect buffer every inbox shares
	items []server.Chat  // a pull's scratch
	drops []server.Chat  // an expiry's scratch
	res   model.MsgResult
	rows  []MsgRow // by series bin
}

// result returns the measures, the rows padded to the series'.
func (m *msgLayer) result(bins int) (*model.MsgResult, []MsgRow) {
	for len(m.rows) < bins {
		m.rows = append(m.rows, MsgRow{})
	}
	return &m.res, m.rows
}

// clientMsgs is the message state of one client: the server's and the
// SDK's, and what the world remembers to measure latency.
//
// Invariant: sent[i] is message id base+i+1 of the client's user; the
// messages at or below base were shown already (or never will be: the
// SDK shows ids in increasing order).
type clientMsgs struct {
	srv  server.Solo
	box  inbox.Inbox
	sent []sentMsg
	base uint32
}

// sentMsg is what the world remembers of a message to measure it.
type sentMsg struct {
	at     time.Duration // it reached the server
	pushed bool          // a push of it reached the device
}

// MsgRow is the message part of one series bin (Result.MsgRows, beside
// Result.Rows).
type MsgRow struct {
	Opens  int // sessions the server opened in the bin
	Pulls  int // pulls that reached the (running) server in the bin
	Pushes int // push notifications that reached a device in the bin
}

// newMsgLayer returns the message layer of a storm with clients clients,
// or nil when p sends no message. It queues each client's first message.
func newMsgLayer(w *world) *msgLayer {
	if w.p.Model.Msg.Rate <= 0 {
		return nil
	}
	m := &msgLayer{icfg: inbox.Config{PullTimeout: w.p.Model.Client.AttemptTimeout}, cl: make([]clientMsgs, w.p.Clients)}
	for i := range m.cl {
		c := &m.cl[i]
		c.box.Reset(&m.icfg, 0) // storm's messages name their client by the event, not Msg.Dev
		c.box.Share(&m.buf)
		w.q.push(event{at: w.p.Model.Msg.Gap(w.rng), kind: evMsg, cl: int32(i)})
	}
	return m
}

// row returns the message row of the series' current bin.
func (m *msgLayer) row(s *series) *MsgRow {
	i := len(s.rows)
	for len(m.rows) <= i {
		m.rows = append(m.rows, MsgRow{})
	}
	return &m.rows[i]
}

// arrive handles a --msg-rate message for client cl reaching the server.
func (w *world) arrive(cl int32) {
	m := w.msg
	c := &m.cl[cl]
	w.expire(cl)
	seq, live := w.cl[cl].sess.Live() // none while the server is down: the outage ended them
	r := c.srv.Message(w.now, 0, false, live)
	c.sent = append(c.sent, sentMsg{at: w.now})
	m.res.Sent++
	w.emitMsg(cl, -1, trace.Record{Op: vocab.MessageSend, ID: r.Chat.ID, Msg: vocab.MessageNormal})
	if r.Stored {
		m.res.Stored++
		w.emitMsg(cl, -1, trace.Record{Op: vocab.MessageStore, ID: r.Chat.ID})
	}
	if r.Deliver {
		// A ghost: written into a socket the client no longer reads. A
		// session whose handshake answer is still on its way to the
		// client is not one: the client reads it once connected.
		k := &w.cl[cl]
		if s, ok := k.core.Session(); (!ok || s != seq) && !(k.inFlight() && k.core.AttemptSeq() == seq) {
			m.res.Ghosts++
		}
		w.send(cl, fsm.Msg{Kind: fsm.MsgDeliver, Seq: seq, ID: r.Chat.ID, Code: fsm.Code(r.Prev)}, evToClient)
	}
	if r.Push {
		w.q.push(event{at: w.now + w.p.Model.Msg.PushDelay(w.rng), kind: evPush, cl: cl, gen: r.Chat.ID})
	}
	if ret := w.p.Model.Msg.Retention; ret > 0 && w.now+ret <= w.p.Model.Horizon {
		w.q.push(event{at: w.now + ret, kind: evExpire, cl: cl})
	}
	w.q.push(event{at: w.now + w.p.Model.Msg.Gap(w.rng), kind: evMsg, cl: cl})
}

// push handles a push notification of message id reaching client cl.
func (w *world) push(cl int32, id uint32) {
	m := w.msg
	c := &m.cl[cl]
	m.res.Pushes++
	m.row(w.series).Pushes++
	if _, ok := w.cl[cl].core.Session(); ok {
		m.res.PushedOn++
	}
	if id > c.base && int(id-c.base) <= len(c.sent) {
		c.sent[id-c.base-1].pushed = true
	}
	w.emitMsg(cl, cl, trace.Record{Op: vocab.MessagePush, ID: id})
}

// expire drops from client cl's store what outlived the retention.
func (w *world) expire(cl int32) {
	m := w.msg
	m.drops = m.cl[cl].srv.Expire(w.now, w.p.Model.Msg.Retention, m.drops[:0])
	for _, c := range m.drops {
		m.res.Dropped++
		w.emitMsg(cl, -1, trace.Record{Op: vocab.MessageDrop, ID: c.ID, Reason: vocab.DropRetention})
	}
}

// msgServer handles a message of the message layer (Ack, Pull) that
// reached the running server on client cl's live or stale session.
func (w *world) msgServer(cl int32, msg fsm.Msg) {
	m := w.msg
	c := &m.cl[cl]
	switch msg.Kind {
	case fsm.MsgAck:
		c.srv.Ack(msg.ID)
	case fsm.MsgPull:
		m.row(w.series).Pulls++
		w.expire(cl)
		if seq, live := w.cl[cl].sess.Live(); !live || seq != msg.Seq {
			return // unanswered: the SDK times out, its connection learns the rest
		}
		var latest uint32
		m.items, latest = c.srv.Pull(msg.ID, m.items[:0])
		// Every storm message is a normal message of conversation 0 and
		// the log loses only its oldest: a pull's answer is the ids
		// (latest-N, latest], which the reply carries as N in Code.
		for i, it := range m.items {
			if it.ID != latest-uint32(len(m.items)-1-i) {
				panic("storm: a pull's answer is not a run of ids ending at the latest")
			}
		}
		w.send(cl, fsm.Msg{Kind: fsm.MsgPullReply, Seq: msg.Seq, ID: latest, Code: fsm.Code(len(m.items))}, evToClient)
	}
}

// msgStatus tells client cl's inbox about a status change of its core.
func (w *world) msgStatus(cl int32, e *fsm.Effect) {
	b := &w.msg.cl[cl].box
	switch {
	case e.To == fsm.Connected && e.From != fsm.Connected:
		seq, _ := w.cl[cl].core.Session()
		w.inboxOut(cl, b.Connected(w.now, seq))
	case e.From == fsm.Connected && e.To != fsm.Connected:
		b.Disconnected()
	}
}

// msgRecv hands a message from the server to client cl's inbox. It
// reports whether the message was the inbox's alone (the core ignores
// message kinds; a Pong is both's).
func (w *world) msgRecv(cl int32, msg fsm.Msg) bool {
	b := &w.msg.cl[cl].box
	switch msg.Kind {
	case fsm.MsgDeliver:
		msg.Prev, msg.Code = uint32(msg.Code), 0
		w.inboxOut(cl, b.Recv(w.now, msg, nil))
		return true
	case fsm.MsgPullReply:
		n := uint32(msg.Code)
		msg.N, msg.Code = int32(n), 0
		items := w.msg.items[:0]
		for id := msg.ID - n + 1; n > 0 && id <= msg.ID; id++ {
			items = append(items, server.Chat{ID: id})
		}
		w.msg.items = items
		w.inboxOut(cl, b.Recv(w.now, msg, items))
		return true
	case fsm.MsgPong:
		w.inboxOut(cl, b.Recv(w.now, msg, nil))
	}
	return false
}

// inboxOut carries out client cl's inbox effects.
func (w *world) inboxOut(cl int32, effs []inbox.Effect) {
	m := w.msg
	c := &m.cl[cl]
	for i := range effs {
		e := &effs[i]
		switch e.Kind {
		case inbox.EffSend:
			if e.Msg.Kind == fsm.MsgPull {
				m.res.Pulls++
			}
			w.send(cl, e.Msg, evToServer)
		case inbox.EffTimer:
			w.q.push(event{at: e.At, kind: evPullTimer, cl: cl, gen: e.Gen})
		case inbox.EffDup:
			m.res.Dups++
			w.emitMsg(cl, cl, trace.Record{Op: vocab.MessageDup, ID: e.Chat.ID})
		case inbox.EffShow:
			w.show(cl, c, e)
		}
	}
}

// show measures and records message e.Chat shown to client cl's app.
func (w *world) show(cl int32, c *clientMsgs, e *inbox.Effect) {
	m := w.msg
	id := e.Chat.ID
	path := vocab.PathLive
	if e.Path == inbox.PathPull {
		path = vocab.PathPull
	}
	var lat time.Duration
	if id > c.base && int(id-c.base) <= len(c.sent) {
		s := c.sent[id-c.base-1]
		lat = w.now - s.at
		if path == vocab.PathPull && s.pushed {
			path = vocab.PathPush
		}
		// Ids at or below id are never shown again: forget them.
		if k := int(id - c.base); k == len(c.sent) {
			c.sent = c.sent[:0]
		} else {
			c.sent = c.sent[k:]
		}
		c.base = id
	}
	m.res.Show(path, lat)
	w.emitMsg(cl, cl, trace.Record{Op: vocab.MessageShow, ID: id, Msg: vocab.MessageNormal, Reason: path})
}

// msgEvent runs an event of the message layer.
func (w *world) msgEvent(e *event) {
	switch e.kind {
	case evMsg:
		w.arrive(e.cl)
	case evPush:
		w.push(e.cl, e.gen)
	case evPullTimer:
		w.inboxOut(e.cl, w.msg.cl[e.cl].box.Timer(w.now, e.gen))
	case evExpire:
		w.expire(e.cl)
	}
}

// emitMsg observes message record r of client cl's user, about device
// dev (-1: the server's records, send, store, drop).
func (w *world) emitMsg(cl, dev int32, r trace.Record) {
	r.Kind = trace.KMessage
	r.User = cl
	w.observe(cl, dev, r)
}
