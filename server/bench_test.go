package server

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// trial runs a small trial on s: setup, two devices fighting over one slot,
// heartbeats, a block and a logout. It is the unit of the no-allocation
// test and of the benchmark.
func trial(s *Server, out *Out) {
	s.Reset()
	s.AddAppKey(AppValid)
	u := s.AddUser()
	s.AddUser()
	a := s.AddDevice(Device{User: u, Platform: Mobile})
	b := s.AddDevice(Device{User: u, Platform: Mobile})
	tok := s.AddToken(Token{User: u})
	for seq := uint32(1); seq <= 20; seq++ {
		for _, d := range []int16{a, b} {
			out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
			s.Handle(time.Duration(seq)*time.Second, fsm.Msg{Kind: fsm.MsgAuth, Dev: d, Seq: seq, Auto: seq%2 == 0, Token: tok}, false, out)
			out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
			s.Handle(time.Duration(seq)*time.Second, fsm.Msg{Kind: fsm.MsgPing, Dev: d, Seq: seq}, false, out)
		}
	}
	out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
	s.BlockUser(u, out)
	s.UnblockUser(u)
	out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
	s.Handle(time.Minute, fsm.Msg{Kind: fsm.MsgAuth, Dev: a, Seq: 30, Token: tok}, false, out)
	s.Handle(time.Minute, fsm.Msg{Kind: fsm.MsgClose, Dev: a, Seq: 30, Push: true}, false, out)
}

func TestNoAllocAfterWarmUp(t *testing.T) {
	var s Server
	var out Out
	trial(&s, &out)
	if n := testing.AllocsPerRun(100, func() { trial(&s, &out) }); n != 0 {
		t.Fatalf("a warm trial allocates %v times", n)
	}
}

func BenchmarkHandle(b *testing.B) {
	var s Server
	var out Out
	trial(&s, &out)
	s.Reset()
	s.AddAppKey(AppValid)
	u := s.AddUser()
	devs := [...]int16{s.AddDevice(Device{User: u, Platform: Mobile}), s.AddDevice(Device{User: u, Platform: Mobile})}
	tok := s.AddToken(Token{User: u})
	b.Run("auth-kick", func(b *testing.B) {
		b.ReportAllocs()
		seq := uint32(0)
		for i := 0; b.Loop(); i++ {
			seq++
			out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
			s.Handle(0, fsm.Msg{Kind: fsm.MsgAuth, Dev: devs[i&1], Seq: seq, Token: tok}, false, &out)
		}
	})
	b.Run("ping", func(b *testing.B) {
		b.ReportAllocs()
		d := devs[0]
		out.Replies, out.Sessions = out.Replies[:0], out.Sessions[:0]
		s.Handle(0, fsm.Msg{Kind: fsm.MsgAuth, Dev: d, Seq: 1 << 31, Token: tok}, false, &out)
		for b.Loop() {
			out.Replies = out.Replies[:0]
			s.Handle(0, fsm.Msg{Kind: fsm.MsgPing, Dev: d, Seq: 1 << 31}, false, &out)
		}
	})
	b.Run("trial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			trial(&s, &out)
		}
	})
}
