package server

import (
	"time"

	"github.com/rcsim/connsim/vocab"
)

// Mailbox is the message log of one user, with the rules that read and
// trim it (spec section 12). Server keeps one per user; package storm,
// whose users have one device each, keeps one per client beside its
// Session (Solo). A rule that depends on which messages a device still
// needs takes the device's view.
//
// Invariants: ids grow from 1 in arrival order (next is the last one
// handed out); log holds, in id order, the user's normal messages that
// some device still needs and that are younger than the retention; status
// messages never enter it.
type Mailbox struct {
	next uint32 // the last id handed out
	log  []Chat
}

// view is what decides which messages of its user's log one device still
// needs: the device, its cursor (the highest id it acknowledged) and
// whether every device needs every message (MultiDeviceSync).
type view struct {
	dev    int16
	cursor uint32
	all    bool
}

// needs reports whether the device still needs message c: above its
// cursor, and (without multi-device sync) routed to it or to no device.
func (v view) needs(c *Chat) bool {
	return c.ID > v.cursor && (v.all || c.Route < 0 || c.Route == v.dev)
}

// acked reports whether the device acknowledged message c, which it
// needs or needed.
func (v view) acked(c *Chat) bool { return c.ID <= v.cursor }

// arrive gives a message that reaches the server at now the user's next
// id, routed to no device yet; store enters it in the log.
func (b *Mailbox) arrive(now time.Duration, conv int32, status bool) Chat {
	b.next++
	return Chat{ID: b.next, Conv: conv, Status: status, At: now, Route: -1}
}

// store enters c, a message that just arrived, in the log, unless it is a
// status message.
func (b *Mailbox) store(c Chat) {
	if !c.Status {
		b.log = append(b.log, c)
	}
}

// prev returns the highest id below id in the log that the device of v
// still needs, 0 if none.
func (b *Mailbox) prev(v view, id uint32) uint32 {
	for i := len(b.log) - 1; i >= 0; i-- {
		if b.log[i].ID < id && v.needs(&b.log[i]) {
			return b.log[i].ID
		}
	}
	return 0
}

// latest returns the highest id in the log that the device of v still
// needs, 0 if none.
func (b *Mailbox) latest(v view) uint32 {
	for i := len(b.log) - 1; i >= 0; i-- {
		if v.needs(&b.log[i]) {
			return b.log[i].ID
		}
	}
	return 0
}

// pull appends to items, in id order, every message of the log after id
// after that the device of v needs; without multi-device sync each is
// routed to that device for good.
func (b *Mailbox) pull(v view, after uint32, items []Chat) []Chat {
	for i := range b.log {
		if c := &b.log[i]; c.ID > after && v.needs(c) {
			if !v.all {
				c.Route = v.dev // pulled: this device's for good
			}
			items = append(items, *c)
		}
	}
	return items
}

// ack returns a device's cursor after a cumulative ack of id (an id
// beyond the last handed out counts as that one).
func (b *Mailbox) ack(cursor, id uint32) uint32 { return max(cursor, min(id, b.next)) }

// sweep drops from the log every message acked reports acknowledged by
// every device that needs it.
func (b *Mailbox) sweep(acked func(*Chat) bool) {
	k := 0
	for i := range b.log {
		if !acked(&b.log[i]) {
			b.log[k] = b.log[i]
			k++
		}
	}
	b.log = b.log[:k]
}

// expire drops from the log every message that reached the server
// retention or more before now, appending them to dropped: the offline
// store keeps messages for retention. retention <= 0: forever.
func (b *Mailbox) expire(now, retention time.Duration, dropped []Chat) []Chat {
	if retention <= 0 {
		return dropped
	}
	k := 0
	for k < len(b.log) && b.log[k].At+retention <= now {
		k++
	}
	if k == 0 {
		return dropped
	}
	dropped = append(dropped, b.log[:k]...)
	b.log = append(b.log[:0], b.log[k:]...)
	return dropped
}

// devMsgs is the server's message state of one device.
type devMsgs struct {
	cursor uint32 // the highest id this device acknowledged
	opened uint32 // the user's opens count when this device last opened a session (0: never)
	noPush bool   // its last session closed with push disallowed (Logout, Disconnect(false))
}

// pushable reports whether the push service may be triggered for the
// device: it has opened a session, and its last session did not close
// with push disallowed.
func (d *devMsgs) pushable() bool { return d.opened > 0 && !d.noPush }

// closed applies a session close (reason, the Close's Push preference)
// to the push rule: a Logout or Disconnect(false) disallows push until
// the device's next session.
func (d *devMsgs) closed(reason vocab.Close, push bool) {
	d.noPush = reason == vocab.CloseLogout && !push
}
