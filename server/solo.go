package server

import (
	"time"

	"github.com/rcsim/connsim/vocab"
)

// Solo is the server's message state of a user with a single device: the
// shape of package storm's world, which keeps one beside each client's
// Session instead of a Server's per-user and per-device tables. Its rules
// are Server's (Mailbox, the push rule) for a user whose only device is
// device 0; multi-device sync changes nothing for one device.
// The zero value is a user whose device never opened a session.
type Solo struct {
	box Mailbox
	dev devMsgs
}

// view returns what decides which messages the device still needs.
func (u *Solo) view() view { return view{cursor: u.dev.cursor} }

// Opened notes that the device opened a session (Server: opened).
func (u *Solo) Opened() {
	u.dev.opened = 1
	u.dev.noPush = false
}

// Closed notes that the device's session closed on its Close for reason,
// with the Close's Push preference (Server: close).
func (u *Solo) Closed(reason vocab.Close, push bool) { u.dev.closed(reason, push) }

// SoloOut is what the arrival of one message says for a single device:
// the message, whether it is delivered live (with Prev, the previous
// message the device still needs), stored, or pushed.
type SoloOut struct {
	Chat    Chat
	Deliver bool
	Prev    uint32
	Stored  bool
	Push    bool
}

// Message handles a message that reaches the server at now, the device's
// session being live or not in the server's view (Server.Message's rule
// for one device): it gets the user's next id; it is delivered if the
// session is live; otherwise a normal one is stored and, if the device may
// be pushed to, pushed. A status message is never stored.
func (u *Solo) Message(now time.Duration, conv int32, status, live bool) SoloOut {
	c := u.box.arrive(now, conv, status)
	r := SoloOut{Chat: c}
	switch {
	case live:
		r.Deliver = true
		r.Chat.Route = 0
		if !status {
			r.Prev = u.box.prev(u.view(), c.ID)
		}
	case !status:
		r.Stored = true
		r.Push = u.dev.pushable()
	}
	u.box.store(r.Chat)
	return r
}

// Ack handles a cumulative ack of id (Server: ack).
func (u *Solo) Ack(id uint32) {
	u.dev.cursor = u.box.ack(u.dev.cursor, id)
	v := u.view()
	u.box.sweep(func(c *Chat) bool { return c.Route == 0 && v.acked(c) })
}

// Latest returns the highest id the device still needs, 0 if none (a
// Pong carries it).
func (u *Solo) Latest() uint32 { return u.box.latest(u.view()) }

// Pull appends to items every stored message after id that the device
// needs, in id order, and returns the highest id it needs (Server.Pull's
// answer; the world checks the session).
func (u *Solo) Pull(after uint32, items []Chat) ([]Chat, uint32) {
	return u.box.pull(u.view(), after, items), u.Latest()
}

// Expire drops what outlived retention, appending it to dropped
// (Server.Expire).
func (u *Solo) Expire(now, retention time.Duration, dropped []Chat) []Chat {
	return u.box.expire(now, retention, dropped)
}

// Stored returns the messages the log holds now (read-only).
func (u *Solo) Stored() []Chat { return u.box.log }
