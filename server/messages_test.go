package server

import (
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// message sends a message for user at now and returns what it said and
// the deliveries (copies).
func (w *world) message(now time.Duration, user int32, conv int32, status bool) (MessageOut, []fsm.Msg) {
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	r := w.s.Message(now, user, conv, status, &w.out)
	return r, slices.Clone(w.out.Replies)
}

// pull answers a pull of device dev on session seq after id: the batch's
// ids and the reply (ok false: not answered).
func (w *world) pull(dev int16, seq, after uint32) ([]uint32, fsm.Msg, bool) {
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	items, ok := w.s.Pull(fsm.Msg{Kind: fsm.MsgPull, Dev: dev, Seq: seq, ID: after}, nil, &w.out)
	var ids []uint32
	for _, c := range items {
		ids = append(ids, c.ID)
	}
	if !ok {
		return ids, fsm.Msg{}, false
	}
	return ids, w.out.Replies[len(w.out.Replies)-1], true
}

func ackMsg(dev int16, seq, id uint32) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgAck, Dev: dev, Seq: seq, ID: id}
}

func deliverMsg(dev int16, seq, id, prev uint32) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgDeliver, Dev: dev, Seq: seq, ID: id, Prev: prev}
}

// storedIDs returns the ids user's log holds.
func storedIDs(s *Server, user int32) []uint32 {
	var ids []uint32
	for _, c := range s.Stored(user) {
		ids = append(ids, c.ID)
	}
	return ids
}

// TestMessageArrival: what one message's arrival says (its id, stored,
// the push) and where it goes live, after a setup of sessions (newWorld:
// devices 0 and 1 user 0 mobile, 2 user 0 desktop, 3 user 1 mobile).
func TestMessageArrival(t *testing.T) {
	tests := []struct {
		name    string
		sync    bool
		setup   func(*testing.T, *world)
		user    int32
		status  bool
		want    MessageOut
		deliver []fsm.Msg
		stored  []uint32 // the user's log after it
	}{
		{"no device ever connected: stored, no push", false, func(*testing.T, *world) {}, 0, false,
			MessageOut{ID: 1, Stored: true, Push: -1}, nil, []uint32{1}},
		{"live session: delivered, kept until acked, not stored", false, func(t *testing.T, w *world) { w.connect(t, 0, 1) }, 0, false,
			MessageOut{ID: 1, Push: -1}, []fsm.Msg{deliverMsg(0, 1, 1, 0)}, []uint32{1}},
		{"status, live: delivered, never in the log", false, func(t *testing.T, w *world) { w.connect(t, 0, 1) }, 0, true,
			MessageOut{ID: 1, Push: -1}, []fsm.Msg{{Kind: fsm.MsgDeliver, Dev: 0, Seq: 1, ID: 1, Status: true}}, nil},
		{"status, offline: neither stored nor pushed", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(0, 1, true))
		}, 0, true, MessageOut{ID: 1, Push: -1}, nil, nil},
		{"after disconnect(true): stored and pushed", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(0, 1, true))
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: 0}, nil, []uint32{1}},
		{"after logout (push=false): stored, not pushed", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(0, 1, false))
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: -1}, nil, []uint32{1}},
		{"logout then a new session: push allowed again", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(0, 1, false))
			w.connect(t, 0, 2)
			w.handle(0, closeMsg(0, 2, true))
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: 0}, nil, []uint32{1}},
		{"the last logged-in device gets the push", false, func(t *testing.T, w *world) {
			w.connect(t, 2, 1)
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(0, 1, true))
			w.handle(0, closeMsg(2, 1, true))
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: 0}, nil, []uint32{1}},
		{"the last logged-in device logged out: no push to the other", false, func(t *testing.T, w *world) {
			w.connect(t, 2, 1)
			w.connect(t, 0, 1)
			w.handle(0, closeMsg(2, 1, true))
			w.handle(0, closeMsg(0, 1, false))
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: -1}, nil, []uint32{1}},
		{"a ghost (no close heard): written into it, not stored, not pushed", false, func(t *testing.T, w *world) { w.connect(t, 0, 1) }, 0, false,
			MessageOut{ID: 1, Push: -1}, []fsm.Msg{deliverMsg(0, 1, 1, 0)}, []uint32{1}},
		{"sync off: only the most recently opened live session", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.connect(t, 2, 1)
		}, 0, false, MessageOut{ID: 1, Push: -1}, []fsm.Msg{deliverMsg(2, 1, 1, 0)}, []uint32{1}},
		{"sync on: every live session", true, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.connect(t, 2, 1)
		}, 0, false, MessageOut{ID: 1, Push: -1}, []fsm.Msg{deliverMsg(0, 1, 1, 0), deliverMsg(2, 1, 1, 0)}, []uint32{1}},
		{"sync on: stored for a device that logged in before and is offline", true, func(t *testing.T, w *world) {
			w.connect(t, 2, 1)
			w.handle(0, closeMsg(2, 1, true))
			w.connect(t, 0, 1)
		}, 0, false, MessageOut{ID: 1, Stored: true, Push: -1}, []fsm.Msg{deliverMsg(0, 1, 1, 0)}, []uint32{1}},
		{"another user's session does not count", false, func(t *testing.T, w *world) { w.connect(t, 3, 1) }, 0, false,
			MessageOut{ID: 1, Stored: true, Push: -1}, nil, []uint32{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.MultiDeviceSync = tt.sync
			tt.setup(t, w)
			r, d := w.message(time.Second, tt.user, 0, tt.status)
			if r != tt.want {
				t.Errorf("Message = %+v, want %+v", r, tt.want)
			}
			checkOut(t, Out{Replies: d}, tt.deliver, nil)
			if got := storedIDs(&w.s, tt.user); !slices.Equal(got, tt.stored) {
				t.Errorf("log %v, want %v", got, tt.stored)
			}
		})
	}
}

// TestMessageIDs: ids grow from 1 per user, status messages included.
func TestMessageIDs(t *testing.T) {
	w := newWorld(t)
	var got []uint32
	for i, u := range []int32{0, 1, 0, 0, 1} {
		r, _ := w.message(time.Duration(i)*time.Second, u, 0, i == 2)
		got = append(got, r.ID)
	}
	if want := []uint32{1, 1, 2, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if got := storedIDs(&w.s, 0); !slices.Equal(got, []uint32{1, 3}) {
		t.Errorf("user 0's log %v, want [1 3] (2 was a status message)", got)
	}
}

// TestPrevAndLatest: a delivery names the previous message the device
// still needs, and a pong the highest; acks move them.
func TestPrevAndLatest(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	if _, d := w.message(0, 0, 0, false); d[0].Prev != 0 {
		t.Errorf("first message: prev %d, want 0", d[0].Prev)
	}
	if _, d := w.message(0, 0, 0, false); d[0].Prev != 1 {
		t.Errorf("second message, first unacked: prev %d, want 1", d[0].Prev)
	}
	if o := w.handle(0, pingMsg(0, 1)); o.Replies[0].ID != 2 {
		t.Errorf("pong carries %d, want 2", o.Replies[0].ID)
	}
	w.handle(0, ackMsg(0, 1, 2))
	if _, d := w.message(0, 0, 0, false); d[0].Prev != 0 {
		t.Errorf("after ack 2: prev %d, want 0", d[0].Prev)
	}
	w.handle(0, ackMsg(0, 1, 3))
	if o := w.handle(0, pingMsg(0, 1)); o.Replies[0].ID != 0 {
		t.Errorf("everything acked: pong carries %d, want 0", o.Replies[0].ID)
	}
	if got := storedIDs(&w.s, 0); got != nil {
		t.Errorf("everything acked: log %v, want empty", got)
	}
}

// TestPull: a pull gets, in id order, what the device needs after its id;
// without multi-device sync a pulled message belongs to that device.
func TestPull(t *testing.T) {
	tests := []struct {
		name  string
		sync  bool
		setup func(*testing.T, *world) // three messages stored for user 0
		dev   int16
		seq   uint32
		after uint32
		ids   []uint32
		reply fsm.Msg
		ok    bool
	}{
		{"everything after 0", false, func(t *testing.T, w *world) { w.connect(t, 0, 1) }, 0, 1, 0,
			[]uint32{1, 2, 3}, fsm.Msg{Kind: fsm.MsgPullReply, Dev: 0, Seq: 1, ID: 3, N: 3}, true},
		{"after 2", false, func(t *testing.T, w *world) { w.connect(t, 0, 1) }, 0, 1, 2,
			[]uint32{3}, fsm.Msg{Kind: fsm.MsgPullReply, Dev: 0, Seq: 1, ID: 3, N: 1}, true},
		{"not the live session: not answered", false, func(t *testing.T, w *world) { w.connect(t, 0, 2) }, 0, 1, 0, nil, fsm.Msg{}, false},
		{"no session: not answered", false, func(*testing.T, *world) {}, 0, 1, 0, nil, fsm.Msg{}, false},
		{"sync off: another device pulled them first", false, func(t *testing.T, w *world) {
			w.connect(t, 2, 1)
			w.pull(2, 1, 0)
			w.connect(t, 0, 1)
		}, 0, 1, 0, nil, fsm.Msg{Kind: fsm.MsgPullReply, Dev: 0, Seq: 1, N: 0}, true},
		{"sync on: every device gets them", true, func(t *testing.T, w *world) {
			w.connect(t, 2, 1)
			w.pull(2, 1, 0)
			w.handle(0, ackMsg(2, 1, 3))
			w.connect(t, 0, 1)
		}, 0, 1, 0, []uint32{1, 2, 3}, fsm.Msg{Kind: fsm.MsgPullReply, Dev: 0, Seq: 1, ID: 3, N: 3}, true},
		{"acked: nothing left", false, func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.pull(0, 1, 0)
			w.handle(0, ackMsg(0, 1, 3))
		}, 0, 1, 0, nil, fsm.Msg{Kind: fsm.MsgPullReply, Dev: 0, Seq: 1, N: 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.MultiDeviceSync = tt.sync
			for range 3 {
				w.message(0, 0, 0, false)
			}
			tt.setup(t, w)
			ids, reply, ok := w.pull(tt.dev, tt.seq, tt.after)
			if ok != tt.ok || !slices.Equal(ids, tt.ids) || reply != tt.reply {
				t.Errorf("pull = %v, %+v, %v; want %v, %+v, %v", ids, reply, ok, tt.ids, tt.reply, tt.ok)
			}
		})
	}
}

// TestRouting: without multi-device sync a message delivered live belongs
// to its device for good: the other device neither pulls it nor is told
// of it, and only that device's ack takes it out of the log.
func TestRouting(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	w.connect(t, 2, 1)
	w.message(0, 0, 0, false) // to device 2, the most recently opened
	if w.s.NeedsMsg(0, 1) || !w.s.NeedsMsg(2, 1) {
		t.Errorf("NeedsMsg(0, 1) = %v, NeedsMsg(2, 1) = %v; want false, true", w.s.NeedsMsg(0, 1), w.s.NeedsMsg(2, 1))
	}
	if ids, _, _ := w.pull(0, 1, 0); ids != nil {
		t.Errorf("device 0 pulls %v, want nothing", ids)
	}
	w.handle(0, ackMsg(0, 1, 1))
	if got := storedIDs(&w.s, 0); !slices.Equal(got, []uint32{1}) {
		t.Errorf("after the other device's ack: log %v, want [1]", got)
	}
	w.handle(0, ackMsg(2, 1, 1))
	if got := storedIDs(&w.s, 0); got != nil {
		t.Errorf("after its device's ack: log %v, want empty", got)
	}
}

// TestExpire: the store keeps a message for the retention, then drops it;
// retention 0 keeps it forever.
func TestExpire(t *testing.T) {
	tests := []struct {
		name      string
		retention time.Duration
		at        time.Duration
		dropped   []uint32
		left      []uint32
	}{
		{"forever", 0, 30 * 24 * time.Hour, nil, []uint32{1, 2}},
		{"before the first is due", time.Minute, 70 * time.Second, nil, []uint32{1, 2}},
		{"the first exactly at its due time", time.Minute, 80 * time.Second, []uint32{1}, []uint32{2}},
		{"both", time.Minute, time.Hour, []uint32{1, 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.Retention = tt.retention
			w.message(20*time.Second, 0, 0, false)
			w.message(40*time.Second, 0, 0, false)
			var got []uint32
			for _, c := range w.s.Expire(tt.at, 0, nil) {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tt.dropped) {
				t.Errorf("dropped %v, want %v", got, tt.dropped)
			}
			if left := storedIDs(&w.s, 0); !slices.Equal(left, tt.left) {
				t.Errorf("left %v, want %v", left, tt.left)
			}
		})
	}
}

// TestIdle: the server closes a session it has heard nothing from for the
// idle timeout (reason idle), and a message heard re-arms the check.
func TestIdle(t *testing.T) {
	w := newWorld(t)
	w.s.IdleTimeout = time.Minute
	w.connect(t, 0, 1) // heard at 0
	if at, ok := w.s.IdleAt(0); !ok || at != time.Minute {
		t.Fatalf("IdleAt = %v, %v; want 1m, true", at, ok)
	}
	w.handle(30*time.Second, pingMsg(0, 1))
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	if next, ok := w.s.Idle(time.Minute, 0, &w.out); !ok || next != 90*time.Second || len(w.out.Sessions) != 0 {
		t.Fatalf("Idle at 1m after a ping at 30s = %v, %v, %+v; want 1m30s, true, no close", next, ok, w.out)
	}
	if _, ok := w.s.Idle(90*time.Second, 0, &w.out); ok {
		t.Fatal("Idle at 1m30s: still live")
	}
	checkOut(t, w.out, []fsm.Msg{closedMsg(0, 1, fsm.ClosedGone)}, []SessionEvent{closeEv(&w.s, 0, 1, vocab.CloseIdle, false)})
	checkLive(t, &w.s, nil)
	w.s.IdleTimeout = 0
	w.connect(t, 0, 2)
	if _, ok := w.s.IdleAt(0); ok {
		t.Error("IdleTimeout 0: the server still plans an idle close")
	}
}
