package server

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// TestInvariantsRandom drives a server with random, seeded traffic and
// checks after every call that replaying its SessionEvents in order never
// opens a second live session of a (user, platform) (P10), never opens a
// session over the device's own live one, only closes live sessions, and
// leaves exactly the live sessions Server.Live reports.
func TestInvariantsRandom(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		var s Server
		var out Out
		s.Policy = KickPolicy(rng.IntN(2))
		s.AddAppKey(AppValid)
		const users, devices = 3, 9
		for range users {
			s.AddUser()
		}
		for d := range devices {
			s.AddDevice(Device{User: int32(d % users), Platform: Platform(rng.IntN(NumPlatforms))})
		}
		for u := range users {
			s.AddToken(Token{User: int32(u)})
			s.AddToken(Token{User: int32(u)})
		}
		mirror := make([]int64, devices) // live seq, or -1
		for i := range mirror {
			mirror[i] = -1
		}
		nextSeq := make([]uint32, devices)
		now := time.Duration(0)
		for step := range 3000 {
			now += time.Duration(rng.IntN(1000)) * time.Millisecond
			out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
			dev := int16(rng.IntN(devices))
			user := s.Devices[dev].User
			var m fsm.Msg
			switch r := rng.IntN(20); {
			case r < 9:
				nextSeq[dev]++
				seq := nextSeq[dev]
				if rng.IntN(10) == 0 && seq > 2 {
					seq -= uint32(1 + rng.IntN(2)) // a late, reordered Auth
				}
				m = fsm.Msg{Kind: fsm.MsgAuth, Dev: dev, Seq: seq, Auto: rng.IntN(2) == 0, Token: user*2 + int32(rng.IntN(2))}
				if rng.IntN(15) == 0 {
					m.Token = int32(rng.IntN(2 * users)) // maybe another user's token
				}
				s.Handle(now, m, rng.IntN(10) == 0, &out)
			case r < 14:
				m = fsm.Msg{Kind: fsm.MsgPing, Dev: dev, Seq: nextSeq[dev] - uint32(rng.IntN(2))}
				s.Handle(now, m, false, &out)
			case r < 16:
				m = fsm.Msg{Kind: fsm.MsgClose, Dev: dev, Seq: nextSeq[dev], Push: rng.IntN(2) == 0}
				s.Handle(now, m, false, &out)
			case r < 17:
				s.BlockUser(user, &out)
			case r < 18:
				s.UnblockUser(user)
			case r < 19:
				s.ExpireToken(now, int32(rng.IntN(2*users)))
			default:
				s.InvalidateToken(int32(rng.IntN(2 * users)))
			}
			opened := -1
			for _, e := range out.Sessions {
				d := s.Devices[e.Dev]
				if e.User != d.User || e.Platform != d.Platform {
					t.Fatalf("seed %d step %d: event %+v does not match device %+v", seed, step, e, d)
				}
				if !e.Open {
					if mirror[e.Dev] != int64(e.Seq) {
						t.Fatalf("seed %d step %d: close %+v of a session not live (live %d)", seed, step, e, mirror[e.Dev])
					}
					if opened >= 0 {
						t.Fatalf("seed %d step %d: close after open in %+v", seed, step, out.Sessions)
					}
					mirror[e.Dev] = -1
					continue
				}
				opened = int(e.Dev)
				if mirror[e.Dev] >= 0 {
					t.Fatalf("seed %d step %d: open %+v over the device's own live session", seed, step, e)
				}
				for o := range mirror {
					od := s.Devices[o]
					if mirror[o] >= 0 && od.User == d.User && od.Platform == d.Platform {
						t.Fatalf("seed %d step %d: P10 broken: open %+v while device %d is live", seed, step, e, o)
					}
				}
				mirror[e.Dev] = int64(e.Seq)
			}
			for _, r := range out.Replies {
				if r.Kind == fsm.MsgAuthReply && r.Code == fsm.OK && (opened != int(r.Dev) || mirror[r.Dev] != int64(r.Seq)) {
					t.Fatalf("seed %d step %d: OK reply %+v without its open", seed, step, r)
				}
			}
			for d := range int16(devices) {
				seq, ok := s.Live(d)
				if ok != (mirror[d] >= 0) || (ok && int64(seq) != mirror[d]) {
					t.Fatalf("seed %d step %d: Live(%d) = %d, %v; events say %d", seed, step, d, seq, ok, mirror[d])
				}
			}
		}
	}
}
