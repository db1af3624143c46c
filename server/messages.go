package server

import (
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
)

// Messages, offline storage and push (spec section 12). The server keeps,
// per user, a log of the normal messages some device still needs, and
// delivers each new message to live sessions; the SDK acknowledges what it
// showed (cumulatively) and pulls what it misses after each (re)connect.
//
// Which device needs which message:
//
//   - MultiDeviceSync off (the default): a message is for one device. A new
//     message is delivered live to the user's most recently opened live
//     session only, and is routed to that device for good: no other device
//     gets it (the docs: once one device has received a message, the
//     others do not). A message that finds no live session is unrouted
//     (stored); the first device to pull it takes it.
//   - MultiDeviceSync on: every device gets every message, and a new one
//     goes to every live session.
//
// Each device has a cursor: the highest id it acknowledged (acks are
// cumulative over the messages the device needs).
//
// Invariants: ids grow from 1 per user in arrival order; log holds, in id
// order, the user's normal messages that some device still needs (an
// entry leaves when every device that needs it acknowledged it, or
// Retention after it arrived); status messages are never in the log.

// Chat is one message of a user's log.
type Chat struct {
	ID     uint32
	Conv   int32
	Status bool
	At     time.Duration // when it reached the server
	Route  int16         // MultiDeviceSync off: the device it was delivered or pulled to; -1: none yet
}

// userMsgs is the server's message state of one user.
type userMsgs struct {
	Mailbox
	opens uint32 // sessions opened so far (orders "last logged in")
}

// MessageOut is what the arrival of one message says, beside Out: the id
// it got, whether it was stored for a device with no live session, and
// the device to push to, if any.
type MessageOut struct {
	ID     uint32
	Stored bool
	Push   int16 // -1: none
}

// growMsgs grows the message state to the users and devices, reusing the
// logs' memory of earlier trials (Reset keeps capacity).
func (s *Server) growMsgs() {
	for len(s.users) < len(s.UserBlocked) {
		if n := len(s.users); n < cap(s.users) {
			s.users = s.users[:n+1]
			s.users[n] = userMsgs{Mailbox: Mailbox{log: s.users[n].log[:0]}}
			continue
		}
		s.users = append(s.users, userMsgs{})
	}
	for len(s.dmsg) < len(s.Devices) {
		s.dmsg = append(s.dmsg, devMsgs{})
	}
}

// view returns what decides which messages device dev still needs.
func (s *Server) view(dev int16) view {
	return view{dev: dev, cursor: s.dmsg[dev].cursor, all: s.MultiDeviceSync}
}

// needs reports whether device dev still needs message c of its user.
func (s *Server) needs(dev int16, c *Chat) bool { return s.view(dev).needs(c) }

// Message handles a message for user that reaches the server at now: it
// gets the user's next id, a normal one enters the log, and it is
// delivered (MsgDeliver in out.Replies) to the user's live sessions (all
// of them with MultiDeviceSync, else the most recently opened one). A
// normal message that finds no live session of a device that should get
// it is stored for that device; if the user has no live session at all,
// the push service is triggered for the user's last logged-in device,
// unless that device's last session closed with push disallowed. A status
// message goes only to live sessions and is never stored.
func (s *Server) Message(now time.Duration, user int32, conv int32, status bool, out *Out) MessageOut {
	s.sync()
	u := &s.users[user]
	c := u.arrive(now, conv, status)
	r := MessageOut{ID: c.ID, Push: -1}
	target, last := int16(-1), int16(-1)
	live := false
	for dev := range s.Devices {
		d := int16(dev)
		if s.Devices[d].User != user {
			continue
		}
		if last < 0 || s.dmsg[d].opened > s.dmsg[last].opened {
			last = d
		}
		seq, ok := s.devs[d].Live()
		if !ok {
			if s.MultiDeviceSync && !status && s.dmsg[d].opened > 0 {
				r.Stored = true
			}
			continue
		}
		live = true
		if s.MultiDeviceSync {
			s.deliver(d, seq, c, out)
		} else if target < 0 || s.dmsg[d].opened > s.dmsg[target].opened {
			target = d
		}
	}
	if target >= 0 {
		seq, _ := s.devs[target].Live()
		c.Route = target
		s.deliver(target, seq, c, out)
	}
	u.store(c)
	if !live && !status {
		r.Stored = true
		if last >= 0 && (s.dmsg[last].pushable() || zoo.Is(zoo.PushAfterLogout) && s.dmsg[last].opened > 0) { // bug zoo (P16): push=false ignored
			r.Push = last
		}
	}
	if !live && status && zoo.Is(zoo.StoreStatus) { // bug zoo (P18): a status message stored
		r.Stored = true
	}
	return r
}

// deliver sends message c to device dev on its live session seq.
func (s *Server) deliver(dev int16, seq uint32, c Chat, out *Out) {
	m := fsm.Msg{Kind: fsm.MsgDeliver, Dev: dev, Seq: seq, ID: c.ID, Conv: c.Conv, Status: c.Status}
	if !c.Status {
		m.Prev = s.prev(dev, c.ID)
	}
	out.Replies = append(out.Replies, m)
}

// prev returns the highest id below id in the log that device dev still
// needs, 0 if none: the SDK shows a live message only once it has shown
// prev (else it pulls).
func (s *Server) prev(dev int16, id uint32) uint32 {
	return s.users[s.Devices[dev].User].prev(s.view(dev), id)
}

// latest returns the highest id in the log that device dev still needs, 0
// if none (a Pong carries it, so the SDK notices a message it missed).
func (s *Server) latest(dev int16) uint32 {
	return s.users[s.Devices[dev].User].latest(s.view(dev))
}

// ack handles a cumulative MsgAck: the device has shown every message it
// needs up to m.ID. Its cursor moves and the log drops what no device
// needs any more.
func (s *Server) ack(m fsm.Msg) {
	user := s.Devices[m.Dev].User
	u := &s.users[user]
	d := &s.dmsg[m.Dev]
	d.cursor = u.ack(d.cursor, m.ID)
	u.sweep(func(c *Chat) bool { return s.acked(user, c) })
}

// acked reports whether every device that needs c acknowledged it.
func (s *Server) acked(user int32, c *Chat) bool {
	if !s.MultiDeviceSync {
		return c.Route >= 0 && s.view(c.Route).acked(c)
	}
	for dev := range s.Devices {
		if s.Devices[dev].User == user && !s.view(int16(dev)).acked(c) {
			return false
		}
	}
	return true
}

// Pull answers a MsgPull of device dev on its live session m.Seq: every
// message of the log after m.ID that the device needs, appended to items
// in id order, and the reply (MsgPullReply with ID the highest id the
// device needs) in out.Replies; the world fills the reply's Batch. A pull
// on a session that is not live is ignored (the SDK times out and its
// connection learns the rest). ok reports whether it was answered.
func (s *Server) Pull(m fsm.Msg, items []Chat, out *Out) ([]Chat, bool) {
	s.sync()
	seq, live := s.devs[m.Dev].Live()
	if !live || seq != m.Seq {
		return items, false
	}
	n := len(items)
	items = s.users[s.Devices[m.Dev].User].pull(s.view(m.Dev), m.ID, items)
	if zoo.Is(zoo.PullNewestFirst) { // bug zoo (P15): the batch newest first
		slices.Reverse(items[n:])
	}
	out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgPullReply, Dev: m.Dev, Seq: m.Seq, ID: s.latest(m.Dev), N: int32(len(items) - n)})
	return items, true
}

// Expire drops from user's log every message that reached the server
// Retention or more before now, appending them to dropped: the offline
// store keeps messages for Retention (spec section 12). Retention <= 0:
// forever.
func (s *Server) Expire(now time.Duration, user int32, dropped []Chat) []Chat {
	s.sync()
	return s.users[user].expire(now, s.Retention, dropped)
}

// Stored returns the messages user's log holds now (read-only).
func (s *Server) Stored(user int32) []Chat {
	s.sync()
	return s.users[user].log
}

// NeedsMsg reports whether device dev still needs message id (it is in
// the log and above the device's cursor).
func (s *Server) NeedsMsg(dev int16, id uint32) bool {
	s.sync()
	log := s.users[s.Devices[dev].User].log
	for i := range log {
		if log[i].ID == id {
			return s.needs(dev, &log[i])
		}
	}
	return false
}

// opened notes that device dev opened a session: it is now its user's last
// logged-in device, and push is allowed again.
func (s *Server) opened(dev int16) {
	u := &s.users[s.Devices[dev].User]
	u.opens++
	s.dmsg[dev].opened = u.opens
	s.dmsg[dev].noPush = false
}
