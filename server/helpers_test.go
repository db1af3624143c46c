package server

import (
	"reflect"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// world is a small server set up for tests: app key 0 valid; users 0 and 1;
// devices 0 and 1 are user 0 mobile, 2 is user 0 desktop, 3 is user 1
// mobile; token i is for user i and app key 0.
type world struct {
	s   Server
	out Out
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{}
	w.s.AddAppKey(AppValid)
	w.s.AddUser()
	w.s.AddUser()
	w.s.AddDevice(Device{User: 0, Platform: Mobile})
	w.s.AddDevice(Device{User: 0, Platform: Mobile})
	w.s.AddDevice(Device{User: 0, Platform: Desktop})
	w.s.AddDevice(Device{User: 1, Platform: Mobile})
	w.s.AddToken(Token{User: 0})
	w.s.AddToken(Token{User: 1})
	return w
}

// tokenOf returns the default token of device dev in newWorld.
func tokenOf(dev int16) int32 {
	if dev == 3 {
		return 1
	}
	return 0
}

func authMsg(dev int16, seq uint32, auto bool) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgAuth, Dev: dev, Seq: seq, Auto: auto, Token: tokenOf(dev), AppKey: 0}
}

// handle runs one message at time now and returns a copy of what came out.
func (w *world) handle(now time.Duration, m fsm.Msg) Out {
	w.out.Replies = w.out.Replies[:0]
	w.out.Sessions = w.out.Sessions[:0]
	w.s.Handle(now, m, false, &w.out)
	return Out{Replies: append([]fsm.Msg(nil), w.out.Replies...), Sessions: append([]SessionEvent(nil), w.out.Sessions...)}
}

// connect authenticates device dev with seq and fails the test unless it
// gets OK.
func (w *world) connect(t *testing.T, dev int16, seq uint32) {
	t.Helper()
	o := w.handle(0, authMsg(dev, seq, false))
	if n := len(o.Replies); n == 0 || o.Replies[n-1] != okReply(dev, seq) {
		t.Fatalf("connect dev %d seq %d: replies %+v", dev, seq, o.Replies)
	}
}

func okReply(dev int16, seq uint32) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgAuthReply, Dev: dev, Seq: seq, Code: fsm.OK}
}

func authReply(dev int16, seq uint32, c fsm.Code) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgAuthReply, Dev: dev, Seq: seq, Code: c}
}

func closedMsg(dev int16, seq uint32, c fsm.Code) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgClosed, Dev: dev, Seq: seq, Code: c}
}

func openEv(s *Server, dev int16, seq uint32) SessionEvent {
	d := s.Devices[dev]
	return SessionEvent{Open: true, Dev: dev, User: d.User, Platform: d.Platform, Seq: seq}
}

func closeEv(s *Server, dev int16, seq uint32, reason vocab.Close, push bool) SessionEvent {
	d := s.Devices[dev]
	return SessionEvent{Dev: dev, User: d.User, Platform: d.Platform, Seq: seq, Reason: reason, Push: push}
}

func checkOut(t *testing.T, got Out, replies []fsm.Msg, sessions []SessionEvent) {
	t.Helper()
	if len(got.Replies) != 0 || len(replies) != 0 {
		if !reflect.DeepEqual(got.Replies, replies) {
			t.Errorf("replies:\n got  %+v\n want %+v", got.Replies, replies)
		}
	}
	if len(got.Sessions) != 0 || len(sessions) != 0 {
		if !reflect.DeepEqual(got.Sessions, sessions) {
			t.Errorf("sessions:\n got  %+v\n want %+v", got.Sessions, sessions)
		}
	}
}

// checkLive fails unless each device in want holds a live session with seq
// want[dev] and every other device holds none.
func checkLive(t *testing.T, s *Server, want map[int16]uint32) {
	t.Helper()
	for dev := range int16(len(s.Devices)) {
		seq, ok := s.Live(dev)
		if w, live := want[dev]; ok != live || seq != w {
			t.Errorf("Live(%d) = %d, %v; want %d", dev, seq, ok, w)
		}
	}
}
