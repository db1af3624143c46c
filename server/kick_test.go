package server

import (
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// Device 0 (user 0, mobile) is online with session 1; then device `dev`
// authenticates with seq 7.
func TestKickPolicy(t *testing.T) {
	tests := []struct {
		name     string
		policy   KickPolicy
		dev      int16
		auto     bool
		replies  func(s *Server) []fsm.Msg
		sessions func(s *Server) []SessionEvent
		live     map[int16]uint32
	}{
		{
			name: "default, manual login kicks the old device", policy: PolicyDefault, dev: 1, auto: false,
			replies: func(*Server) []fsm.Msg { return []fsm.Msg{closedMsg(0, 1, fsm.ClosedKicked), okReply(1, 7)} },
			sessions: func(s *Server) []SessionEvent {
				return []SessionEvent{closeEv(s, 0, 1, vocab.CloseKicked, false), openEv(s, 1, 7)}
			},
			live: map[int16]uint32{1: 7},
		},
		{
			name: "default, automatic reconnection kicks too", policy: PolicyDefault, dev: 1, auto: true,
			replies: func(*Server) []fsm.Msg { return []fsm.Msg{closedMsg(0, 1, fsm.ClosedKicked), okReply(1, 7)} },
			sessions: func(s *Server) []SessionEvent {
				return []SessionEvent{closeEv(s, 0, 1, vocab.CloseKicked, false), openEv(s, 1, 7)}
			},
			live: map[int16]uint32{1: 7},
		},
		{
			name: "reconnect-kicked, manual login still kicks", policy: PolicyReconnectKicked, dev: 1, auto: false,
			replies: func(*Server) []fsm.Msg { return []fsm.Msg{closedMsg(0, 1, fsm.ClosedKicked), okReply(1, 7)} },
			sessions: func(s *Server) []SessionEvent {
				return []SessionEvent{closeEv(s, 0, 1, vocab.CloseKicked, false), openEv(s, 1, 7)}
			},
			live: map[int16]uint32{1: 7},
		},
		{
			name: "reconnect-kicked, automatic reconnection is kicked itself", policy: PolicyReconnectKicked, dev: 1, auto: true,
			replies:  func(*Server) []fsm.Msg { return []fsm.Msg{authReply(1, 7, fsm.ReplyKicked)} },
			sessions: func(*Server) []SessionEvent { return nil },
			live:     map[int16]uint32{0: 1},
		},
		{
			name: "other platform class: no kick", policy: PolicyDefault, dev: 2, auto: false,
			replies:  func(*Server) []fsm.Msg { return []fsm.Msg{okReply(2, 7)} },
			sessions: func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 2, 7)} },
			live:     map[int16]uint32{0: 1, 2: 7},
		},
		{
			name: "other platform class, reconnect-kicked auto: no kick", policy: PolicyReconnectKicked, dev: 2, auto: true,
			replies:  func(*Server) []fsm.Msg { return []fsm.Msg{okReply(2, 7)} },
			sessions: func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 2, 7)} },
			live:     map[int16]uint32{0: 1, 2: 7},
		},
		{
			name: "other user: no kick", policy: PolicyDefault, dev: 3, auto: false,
			replies:  func(*Server) []fsm.Msg { return []fsm.Msg{okReply(3, 7)} },
			sessions: func(s *Server) []SessionEvent { return []SessionEvent{openEv(s, 3, 7)} },
			live:     map[int16]uint32{0: 1, 3: 7},
		},
		{
			name: "reconnect-kicked, same device reconnecting replaces itself", policy: PolicyReconnectKicked, dev: 0, auto: true,
			replies: func(*Server) []fsm.Msg { return []fsm.Msg{okReply(0, 7)} },
			sessions: func(s *Server) []SessionEvent {
				return []SessionEvent{closeEv(s, 0, 1, vocab.CloseReplaced, false), openEv(s, 0, 7)}
			},
			live: map[int16]uint32{0: 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.Policy = tt.policy
			w.connect(t, 0, 1)
			o := w.handle(0, authMsg(tt.dev, 7, tt.auto))
			checkOut(t, o, tt.replies(&w.s), tt.sessions(&w.s))
			checkLive(t, &w.s, tt.live)
		})
	}
}

// The flapping-device scenario of spec section 7: old device A is online,
// new device B logs in manually (kicks A), A reconnects automatically.
func TestFlappingOldDevice(t *testing.T) {
	for _, tt := range []struct {
		policy KickPolicy
		online int16 // who is online at the end
	}{
		{PolicyDefault, 0},
		{PolicyReconnectKicked, 1},
	} {
		t.Run(tt.policy.String(), func(t *testing.T) {
			w := newWorld(t)
			w.s.Policy = tt.policy
			w.connect(t, 0, 1) // A
			w.connect(t, 1, 1) // B kicks A
			w.handle(0, authMsg(0, 2, true))
			h, ok := w.s.Holder(0, Mobile)
			if !ok || h != tt.online {
				t.Fatalf("Holder = %d, %v; want %d", h, ok, tt.online)
			}
			// Once B is gone, A's automatic reconnection succeeds under either policy.
			w.handle(0, fsm.Msg{Kind: fsm.MsgClose, Dev: 1, Seq: 1})
			w.handle(0, fsm.Msg{Kind: fsm.MsgClose, Dev: 0, Seq: 2})
			o := w.handle(0, authMsg(0, 3, true))
			checkOut(t, o, []fsm.Msg{okReply(0, 3)}, []SessionEvent{openEv(&w.s, 0, 3)})
		})
	}
}
