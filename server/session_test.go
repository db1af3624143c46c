package server

import (
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

func closeMsg(dev int16, seq uint32, push bool) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgClose, Dev: dev, Seq: seq, Push: push}
}

func TestSameDeviceReplacement(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	o := w.handle(0, authMsg(0, 2, true))
	// Silent: no push to the device itself, close before open.
	checkOut(t, o, []fsm.Msg{okReply(0, 2)}, []SessionEvent{closeEv(&w.s, 0, 1, vocab.CloseReplaced, false), openEv(&w.s, 0, 2)})
	checkLive(t, &w.s, map[int16]uint32{0: 2})
}

func TestCloseAndStaleAuth(t *testing.T) {
	type step struct {
		msg      fsm.Msg
		replies  func(*Server) []fsm.Msg
		sessions func(*Server) []SessionEvent
	}
	none := func(*Server) []fsm.Msg { return nil }
	noEv := func(*Server) []SessionEvent { return nil }
	tests := []struct {
		name  string
		steps []step
		live  map[int16]uint32
	}{
		{
			name: "abandoned seq: late Auth is ignored",
			steps: []step{
				{closeMsg(0, 5, false), none, noEv},
				{authMsg(0, 5, false), none, noEv},
				{authMsg(0, 3, false), none, noEv},
				{authMsg(0, 6, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 6)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 6)} }},
			},
			live: map[int16]uint32{0: 6},
		},
		{
			name: "abandoned seq beats every check",
			steps: []step{
				{closeMsg(0, 2, false), none, noEv},
				{fsm.Msg{Kind: fsm.MsgAuth, Dev: 0, Seq: 2, Token: 99}, none, noEv},
			},
		},
		{
			name: "seq 0 is not abandoned before any Close",
			steps: []step{
				{authMsg(0, 0, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 0)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 0)} }},
			},
			live: map[int16]uint32{0: 0},
		},
		{
			name: "close of a late-opened session (timeout): abandoned",
			steps: []step{
				{authMsg(0, 1, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 1)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 1)} }},
				{fsm.Msg{Kind: fsm.MsgClose, Dev: 0, Seq: 1, Code: fsm.ConnectTimeout}, none, func(s *Server) []SessionEvent { return []SessionEvent{closeEv(s, 0, 1, vocab.CloseAbandoned, false)} }},
			},
		},
		{
			name: "logout records push preference",
			steps: []step{
				{authMsg(0, 1, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 1)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 1)} }},
				{closeMsg(0, 1, true), none, func(s *Server) []SessionEvent { return []SessionEvent{closeEv(s, 0, 1, vocab.CloseLogout, true)} }},
			},
		},
		{
			name: "logout with higher seq closes the session, no push",
			steps: []step{
				{authMsg(0, 1, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 1)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 1)} }},
				{closeMsg(0, 4, false), none, func(s *Server) []SessionEvent { return []SessionEvent{closeEv(s, 0, 1, vocab.CloseLogout, false)} }},
				{closeMsg(0, 4, false), none, noEv},
			},
		},
		{
			name: "close of an older seq leaves the newer session",
			steps: []step{
				{authMsg(0, 3, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 3)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 3)} }},
				{closeMsg(0, 2, false), none, noEv},
			},
			live: map[int16]uint32{0: 3},
		},
		{
			name: "Auth older than the live session is stale (reordered by jitter)",
			steps: []step{
				{authMsg(0, 4, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 4)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 4)} }},
				{authMsg(0, 3, false), none, noEv},
				{authMsg(0, 4, false), none, noEv},
			},
			live: map[int16]uint32{0: 4},
		},
		{
			name: "Auth older than a closed session is stale",
			steps: []step{
				{authMsg(0, 4, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 4)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 4)} }},
				{authMsg(1, 1, false), func(*Server) []fsm.Msg { return []fsm.Msg{closedMsg(0, 4, fsm.ClosedKicked), okReply(1, 1)} }, func(s *Server) []SessionEvent {
					return []SessionEvent{closeEv(s, 0, 4, vocab.CloseKicked, false), openEv(s, 1, 1)}
				}},
				{authMsg(0, 2, false), none, noEv},
			},
			live: map[int16]uint32{1: 1},
		},
		{
			name: "Close of another device changes nothing here",
			steps: []step{
				{authMsg(0, 1, false), func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 1)} }, func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 0, 1)} }},
				{closeMsg(2, 9, false), none, noEv},
			},
			live: map[int16]uint32{0: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for i, st := range tt.steps {
				o := w.handle(0, st.msg)
				t.Logf("step %d: %v seq %d", i, st.msg.Kind, st.msg.Seq)
				checkOut(t, o, st.replies(&w.s), st.sessions(&w.s))
			}
			checkLive(t, &w.s, tt.live)
		})
	}
}

func TestHandleIgnoresServerToClientKinds(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	for _, k := range []fsm.MsgKind{fsm.MsgAuthReply, fsm.MsgPong, fsm.MsgClosed, 0} {
		o := w.handle(0, fsm.Msg{Kind: k, Dev: 0, Seq: 1})
		checkOut(t, o, nil, nil)
	}
	checkLive(t, &w.s, map[int16]uint32{0: 1})
}

func TestHolderAndLiveBounds(t *testing.T) {
	w := newWorld(t)
	if _, ok := w.s.Live(-1); ok {
		t.Error("Live(-1) ok")
	}
	if _, ok := w.s.Live(99); ok {
		t.Error("Live(99) ok")
	}
	for _, c := range []struct {
		user int32
		p    Platform
	}{{-1, Mobile}, {9, Mobile}, {0, 7}, {0, Mobile}} {
		if d, ok := w.s.Holder(c.user, c.p); ok || d != -1 {
			t.Errorf("Holder(%d, %v) = %d, %v", c.user, c.p, d, ok)
		}
	}
	w.connect(t, 2, 1)
	if d, ok := w.s.Holder(0, Desktop); !ok || d != 2 {
		t.Errorf("Holder(0, desktop) = %d, %v", d, ok)
	}
}
