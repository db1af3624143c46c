package properties

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// The message properties (spec section 12, docs/messages.md), over the
// message records (send, store, push, show, dup, drop) and the session
// records (the server's view). Message ids are per user, from 1 in send
// order, as the server gives them; a send record with another id is a P15
// violation and is otherwise ignored, and so are records about a message
// never sent. Unlike the connection properties, these keep O(1) state per
// message sent (and a bit per device of its user that showed it).
//
// P15 (messages once and in order), what a trace can decide:
//
//   - a show names a message sent earlier to the device's user, with its
//     kind and conversation;
//   - per device, the normal ids shown grow strictly (so each is shown
//     once, and in order per conversation); a status message is shown at
//     most once per device;
//   - with multi-device sync off, a normal message is shown on one device
//     at most (the server routes each message to one device for good);
//   - with multi-device sync on, nothing is skipped: a device that shows
//     normal message N has shown every normal message of its user below N
//     that the server had not dropped by then;
//   - a dup record (the SDK dropped a duplicate) names a message the device
//     showed, or one the server dropped: otherwise the SDK threw away a
//     message the app never saw;
//   - retention: a normal message sent more than Config.Retention before
//     the trace's reach that was never dropped left the store because the
//     devices that need it acknowledged it: it is shown on some device
//     (sync off) or on every device of its user seen in message records
//     (sync on).
//
// What P15 does not decide: that a device which ends CONNECTED has shown
// what it should by the end. The message may be in a pull still being
// retried over a lossy link (a trace does not say how lossy the link is),
// or, with sync off, routed to another device that has not come back; the
// retention clause is the trace's form of "or it is still stored".
//
// P16 (push only to an offline user's last device): a push record for
// device D of message X of user U is checked against the server's view
// when X arrived (its send record): no session of U was open (session
// records), D was U's last logged-in device (its latest session open),
// and D's last session did not close with push disallowed (a logout
// close with push=false) with no session opened since. X must be a normal
// message sent earlier. The push itself arrives later (push latency): a
// device back online by then is no violation.
//
// P18 (no status message is stored): a store or drop record names a
// normal message sent earlier.

// msgMon is the message properties' state.
type msgMon struct {
	userIdx  idTable // user -> slot+1 in users
	users    []msgUser
	lastOpen idTable // user -> device+1 of its latest session open (P16)
	devIdx   idTable // device -> slot+1 in devs
	devs     []msgDev
	plats    []vocab.Word // the platforms of session records seen (P16)
}

// msgUser is what the message properties keep of one user.
type msgUser struct {
	msgs []msgRec // by id-1
	devs []int32  // the devices of the user seen in message records, by bit (at most 64)
}

// msgRec is one message sent (40 bytes: a storm of a million users keeps
// one per message).
type msgRec struct {
	t       time.Duration
	idx     int    // its send record
	shown   uint64 // bit b: shown on the user's device b
	conv    int32
	pushTo  int32 // the device a push may go to, -1 none
	whyDev  int32 // the device the push rule named (why)
	status  bool
	dropped bool
	why     pushBan
}

// pushBan says why no push, or which push, was allowed for a message.
type pushBan uint8

const (
	pushOK       pushBan = iota
	pushLive             // a session of the user was open (whyDev's)
	pushNoDevice         // no device of the user ever opened a session
	pushLogout           // the last device's last session closed with push disallowed
	pushStatus           // a status message
)

// msgDev is what the message properties keep of one device.
type msgDev struct {
	dev, user int32
	bit       int8   // its bit in its user's devices, -1 beyond 64
	last      uint32 // the highest normal id shown (P15)
	lastIdx   rec    // ... its show record
}

func (s *msgMon) reset() {
	if !s.empty() {
		s.clear()
	}
}

// empty reports whether s holds nothing: no message record and no
// session open since the last reset (a device or a lastOpen entry comes
// with a user or a platform), none reserved.
func (s *msgMon) empty() bool {
	return len(s.users) == 0 && len(s.plats) == 0 && s.lastOpen.lim == 0
}

// clear empties s, keeping its memory.
func (s *msgMon) clear() {
	s.userIdx.reset()
	for i := range s.users {
		s.users[i].msgs = s.users[i].msgs[:0]
		s.users[i].devs = s.users[i].devs[:0]
	}
	s.users = s.users[:0]
	s.lastOpen.reset()
	s.devIdx.reset()
	s.devs = s.devs[:0]
	s.plats = s.plats[:0]
}

// user returns the state of user u, creating it.
func (s *msgMon) user(u int32) *msgUser {
	if i := s.userIdx.get(u); i > 0 {
		return &s.users[i-1]
	}
	if n := len(s.users); n < cap(s.users) {
		s.users = s.users[:n+1]
		s.users[n] = msgUser{msgs: s.users[n].msgs[:0], devs: s.users[n].devs[:0]}
	} else {
		s.users = append(s.users, msgUser{})
	}
	s.userIdx.set(u, int32(len(s.users)))
	return &s.users[len(s.users)-1]
}

// dev returns the state of device d of user u, creating it.
func (s *msgMon) dev(d, u int32) *msgDev {
	if i := s.devIdx.get(d); i > 0 {
		return &s.devs[i-1]
	}
	us := s.user(u)
	bit := int8(-1)
	if len(us.devs) < 64 {
		bit = int8(len(us.devs))
		us.devs = append(us.devs, d)
	}
	s.devs = append(s.devs, msgDev{dev: d, user: u, bit: bit, lastIdx: noRec})
	s.devIdx.set(d, int32(len(s.devs)))
	return &s.devs[len(s.devs)-1]
}

// msg returns message id of user u, nil if it was never sent.
func (s *msgMon) msg(u int32, id uint32) *msgRec {
	i := s.userIdx.get(u)
	if i == 0 || id == 0 || int(id) > len(s.users[i-1].msgs) {
		return nil
	}
	return &s.users[i-1].msgs[id-1]
}

// msgSession follows the session records for P16: the user's last
// logged-in device and the platforms to look for live sessions on.
func (m *Monitor) msgSession(d *devState, r *trace.Record) {
	switch r.Op {
	case vocab.SessOpen:
		m.msg.lastOpen.set(r.User, r.Dev+1)
		d.set(dNoPush, false)
		for _, p := range m.msg.plats {
			if p == r.Platform {
				return
			}
		}
		m.msg.plats = append(m.msg.plats, r.Platform)
	case vocab.SessClose:
		if r.Reason == vocab.ReasonLogout {
			d.set(dNoPush, !r.Push)
		}
	}
}

// message handles a message record.
func (m *Monitor) message(r *trace.Record) {
	switch r.Op {
	case vocab.MessageSend:
		m.msgSend(r)
	case vocab.MessageStore, vocab.MessageDrop:
		m.msgStore(r)
	case vocab.MessagePush:
		m.msgPush(r)
	case vocab.MessageShow:
		m.msgShow(r)
	case vocab.MessageDup:
		m.msgDup(r)
	}
}

// msgSend records a message reaching the server, with the push it allows.
func (m *Monitor) msgSend(r *trace.Record) {
	u := m.msg.user(r.User)
	if int(r.ID) != len(u.msgs)+1 {
		m.reportAt(15, "P15", r, fmt.Sprintf("message id %d sent to user %d after %d messages: ids go 1, 2, ... per user", r.ID, r.User, len(u.msgs)))
		return
	}
	c := msgRec{t: r.T, idx: m.n - 1, conv: r.Conv, status: r.Msg == vocab.MessageStatus, pushTo: -1}
	c.why, c.whyDev = m.pushAllowed(r.User)
	if c.status {
		c.why = pushStatus
	}
	if c.why == pushOK {
		c.pushTo = c.whyDev
	}
	u.msgs = append(u.msgs, c)
}

// pushAllowed returns whether the server may push a message that reaches
// it now for user, and the device that decides: the one to push to, the
// one with a live session, or the last one, which disallowed push.
func (m *Monitor) pushAllowed(user int32) (pushBan, int32) {
	for _, p := range m.msg.plats {
		if s, ok := m.sessions.oldest(sessKey{user, p}); ok {
			return pushLive, s.dev
		}
	}
	last := m.msg.lastOpen.get(user) - 1
	if last < 0 {
		return pushNoDevice, -1
	}
	if _, d := m.dev(last); d.has(dNoPush) {
		return pushLogout, last
	}
	return pushOK, last
}

// msgStore checks P18 at a store or drop record.
func (m *Monitor) msgStore(r *trace.Record) {
	c := m.msg.msg(r.User, r.ID)
	switch {
	case c == nil:
		m.reportAt(18, "P18", r, fmt.Sprintf("%s of message %d of user %d, which was never sent", r.Op, r.ID, r.User))
	case c.status:
		m.reportAt(18, "P18", r, fmt.Sprintf("%s of status message %d of user %d (sent at record %d): status messages are never stored", r.Op, r.ID, r.User, c.idx))
	case r.Op == vocab.MessageDrop:
		c.dropped = true
	}
}

// msgPush checks P16 at a push record.
func (m *Monitor) msgPush(r *trace.Record) {
	c := m.msg.msg(r.User, r.ID)
	if c == nil {
		m.reportAt(16, "P16", r, fmt.Sprintf("push of message %d of user %d, which was never sent", r.ID, r.User))
		return
	}
	if c.pushTo == r.Dev {
		return
	}
	var why string
	switch c.why {
	case pushOK:
		why = fmt.Sprintf("the user's last logged-in device then was dev%d", c.pushTo)
	case pushLive:
		why = fmt.Sprintf("the user had a live session then, on dev%d", c.whyDev)
	case pushNoDevice:
		why = "no device of the user had ever opened a session"
	case pushLogout:
		why = fmt.Sprintf("its last logged-in device, dev%d, had closed its last session with push disallowed (a logout close with push=false), and opened none since", c.whyDev)
	case pushStatus:
		why = "it is a status message"
	}
	m.reportAt(16, "P16", r, fmt.Sprintf("push of message %d of user %d (sent at record %d) to dev%d: %s", r.ID, r.User, c.idx, r.Dev, why))
}

// msgShow checks P15 at a show record.
func (m *Monitor) msgShow(r *trace.Record) {
	c := m.msg.msg(r.User, r.ID)
	if c == nil {
		m.reportAt(15, "P15", r, fmt.Sprintf("shown message %d of user %d was never sent", r.ID, r.User))
		return
	}
	status := r.Msg == vocab.MessageStatus
	if status != c.status || r.Conv != c.conv {
		m.reportAt(15, "P15", r, fmt.Sprintf("message %d of user %d shown as %s in conversation %d, sent as %s in conversation %d (record %d)",
			r.ID, r.User, kindName(status), r.Conv, kindName(c.status), c.conv, c.idx))
		return
	}
	d := m.msg.dev(r.Dev, r.User)
	u := m.msg.user(r.User)
	c = &u.msgs[r.ID-1] // m.msg.dev may have grown users
	bit := uint64(0)
	if d.bit >= 0 {
		bit = 1 << d.bit
	}
	if c.status {
		if c.shown&bit != 0 {
			m.reportAt(15, "P15", r, fmt.Sprintf("status message %d of user %d shown twice on dev%d", r.ID, r.User, r.Dev))
		}
		c.shown |= bit
		return
	}
	if r.ID <= d.last {
		what := "out of order"
		if c.shown&bit != 0 {
			what = "twice"
		}
		c.shown |= bit
		m.reportAt(15, "P15", r, fmt.Sprintf("message %d of user %d shown %s on dev%d: it showed message %d at record %d",
			r.ID, r.User, what, r.Dev, d.last, d.lastIdx))
		return
	}
	if !m.cfg.MultiDeviceSync && c.shown&^bit != 0 {
		m.reportAt(15, "P15", r, fmt.Sprintf("message %d of user %d shown on dev%d and on dev%d: without multi-device sync a message goes to one device",
			r.ID, r.User, r.Dev, u.devs[bits.TrailingZeros64(c.shown&^bit)]))
	}
	if m.cfg.MultiDeviceSync {
		for k := d.last + 1; k < r.ID; k++ {
			if s := &u.msgs[k-1]; !s.status && !s.dropped {
				m.reportAt(15, "P15", r, fmt.Sprintf("dev%d shows message %d of user %d but never showed message %d (sent at record %d, not dropped): with multi-device sync every device gets every message",
					r.Dev, r.ID, r.User, k, s.idx))
				break
			}
		}
	}
	c.shown |= bit
	d.last, d.lastIdx = r.ID, m.at()
}

// msgDup checks P15 at a dup record: the SDK dropped a message as a
// duplicate.
func (m *Monitor) msgDup(r *trace.Record) {
	c := m.msg.msg(r.User, r.ID)
	if c == nil {
		m.reportAt(15, "P15", r, fmt.Sprintf("duplicate of message %d of user %d, which was never sent", r.ID, r.User))
		return
	}
	d := m.msg.dev(r.Dev, r.User)
	c = m.msg.msg(r.User, r.ID)
	if d.bit >= 0 && c.shown&(1<<d.bit) != 0 || c.dropped {
		return
	}
	m.reportAt(15, "P15", r, fmt.Sprintf("dev%d dropped message %d of user %d as a duplicate, but it never showed it: the app never sees it",
		r.Dev, r.ID, r.User))
}

// msgEnd checks P15's retention clause for a trace that reaches reach.
func (m *Monitor) msgEnd(reach time.Duration) {
	if m.cfg.Retention <= 0 {
		return
	}
	for ui := range m.msg.users {
		u := &m.msg.users[ui]
		all := uint64(1)<<len(u.devs) - 1
		for k := range u.msgs {
			c := &u.msgs[k]
			if c.status || c.dropped || c.t+m.cfg.Retention+m.cfg.Tolerance >= reach {
				continue
			}
			switch {
			case c.shown == 0:
				m.report(15, "P15", c.idx, c.t, -1, fmt.Sprintf(
					"message %d was sent more than the retention (%s) before the trace's end and never dropped, but no device showed it",
					k+1, m.cfg.Retention))
			case m.cfg.MultiDeviceSync && c.shown&all != all:
				m.report(15, "P15", c.idx, c.t, -1, fmt.Sprintf(
					"message %d was sent more than the retention (%s) before the trace's end and never dropped, but a device of the user never showed it (multi-device sync)",
					k+1, m.cfg.Retention))
			}
		}
	}
}

func kindName(status bool) vocab.Word {
	if status {
		return vocab.MessageStatus
	}
	return vocab.MessageNormal
}
