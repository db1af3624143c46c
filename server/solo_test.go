package server

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// TestSoloIsServerForOneDevice drives a Server with one user of one
// device and a Solo with the same random operations (sessions opened and
// closed by the device, with and without push; messages, normal and
// status; acks, pulls, pongs and expiry) and checks that they say the
// same at every step: ids, delivery and its prev, storage, push, a pull's
// answer, the pong's high-water mark, the log and the drops. Solo is
// storm's form of the server's message rules; this is the check that it
// is the same rules. Multi-device sync is off, as in a storm (with it on,
// a lone device differs only on an ack of a message it was never given,
// which no SDK sends, and the random acks here do).
func TestSoloIsServerForOneDevice(t *testing.T) {
	for seed := range uint64(100) {
		soloAgrees(t, seed)
	}
}

func soloAgrees(t *testing.T, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	var s Server
	s.AddAppKey(AppValid)
	s.AddUser()
	s.AddDevice(Device{User: 0, Platform: Mobile})
	s.AddToken(Token{User: 0})
	const retention = 40 * time.Second
	s.Retention = retention
	var u Solo
	var out Out
	var items, drops []Chat
	seq := uint32(0)
	now := time.Duration(0)
	same := func(a, b []Chat) bool { return reflect.DeepEqual(append([]Chat{}, a...), append([]Chat{}, b...)) }
	fail := func(step int, what string, got, want any) {
		t.Fatalf("seed %d step %d: %s: Solo says %v, Server %v", seed, step, what, got, want)
	}
	for step := range 400 {
		now += time.Duration(rng.IntN(5000)) * time.Millisecond
		out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
		live, isLive := s.Live(0)
		switch op := rng.IntN(8); op {
		case 0: // a connect
			seq++
			s.Handle(now, fsm.Msg{Kind: fsm.MsgAuth, Dev: 0, Seq: seq, Token: 0}, false, &out)
			if _, ok := s.Live(0); ok {
				u.Opened()
			}
		case 1: // the device's Close: Disconnect, Logout (push or not), or an abandon
			codes := []fsm.Code{fsm.OK, fsm.CloseBackground, 34006}
			m := fsm.Msg{Kind: fsm.MsgClose, Dev: 0, Seq: seq, Code: codes[rng.IntN(3)], Push: rng.IntN(2) == 0}
			s.Handle(now, m, false, &out)
			for _, e := range out.Sessions {
				u.Closed(e.Reason, m.Push)
			}
		case 2, 3, 4: // a message
			status := rng.IntN(5) == 0
			r := s.Message(now, 0, 0, status, &out)
			o := u.Message(now, 0, status, isLive)
			if o.Chat.ID != r.ID || o.Stored != r.Stored || o.Push != (r.Push == 0) || o.Deliver != (len(out.Replies) == 1) {
				fail(step, "message", o, r)
			}
			if o.Deliver && o.Prev != out.Replies[0].Prev {
				fail(step, "prev", o.Prev, out.Replies[0].Prev)
			}
		case 5: // an ack of some id shown
			id := uint32(rng.IntN(int(u.box.next) + 2))
			s.Handle(now, fsm.Msg{Kind: fsm.MsgAck, Dev: 0, Seq: live, ID: id}, false, &out)
			u.Ack(id)
		case 6: // a pull after some id
			if !isLive {
				continue
			}
			after := uint32(rng.IntN(int(u.box.next) + 2))
			var ok bool
			items, ok = s.Pull(fsm.Msg{Kind: fsm.MsgPull, Dev: 0, Seq: live, ID: after}, items[:0], &out)
			got, latest := u.Pull(after, nil)
			if !ok || !same(got, items) || latest != out.Replies[0].ID {
				fail(step, "pull", got, items)
			}
		case 7: // expiry, and a ping's high-water mark
			drops = s.Expire(now, 0, drops[:0])
			got := u.Expire(now, retention, nil)
			if !same(got, drops) {
				fail(step, "expire", got, drops)
			}
			if isLive {
				s.Handle(now, fsm.Msg{Kind: fsm.MsgPing, Dev: 0, Seq: live}, false, &out)
				if out.Replies[0].ID != u.Latest() {
					fail(step, "pong", u.Latest(), out.Replies[0].ID)
				}
			}
		}
		if !same(u.Stored(), s.Stored(0)) {
			fail(step, "log", u.Stored(), s.Stored(0))
		}
	}
}
