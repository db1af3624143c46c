package server

import (
	"testing"

	"github.com/rcsim/connsim/fsm"
)

func pingMsg(dev int16, seq uint32) fsm.Msg { return fsm.Msg{Kind: fsm.MsgPing, Dev: dev, Seq: seq} }

func TestPing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*testing.T, *world)
		ping  fsm.Msg
		want  fsm.Msg
	}{
		{"live session: pong", func(t *testing.T, w *world) { w.connect(t, 0, 1) }, pingMsg(0, 1), fsm.Msg{Kind: fsm.MsgPong, Dev: 0, Seq: 1}},
		{"never connected: gone", func(*testing.T, *world) {}, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedGone)},
		{"never connected, seq 0: gone", func(*testing.T, *world) {}, pingMsg(0, 0), closedMsg(0, 0, fsm.ClosedGone)},
		{"kicked: kicked", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.connect(t, 1, 1) }, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedKicked)},
		{"kicker still gets pong", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.connect(t, 1, 1) }, pingMsg(1, 1), fsm.Msg{Kind: fsm.MsgPong, Dev: 1, Seq: 1}},
		{"blocked: blocked", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.s.BlockUser(0, &w.out) }, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedBlocked)},
		{"replaced: gone", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.connect(t, 0, 2) }, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedGone)},
		{"logged out: gone", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.handle(0, closeMsg(0, 1, true)) }, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedGone)},
		{"wrong seq while live: gone", func(t *testing.T, w *world) { w.connect(t, 0, 2) }, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedGone)},
		{"kicked, then ping of an unrelated seq: gone", func(t *testing.T, w *world) { w.connect(t, 0, 1); w.connect(t, 1, 1) }, pingMsg(0, 3), closedMsg(0, 3, fsm.ClosedGone)},
		{"kicked then reconnected and replaced: only the last close counts", func(t *testing.T, w *world) {
			w.connect(t, 0, 1)
			w.connect(t, 1, 1) // kicks 0/1
			w.connect(t, 0, 2) // kicks 1/1
			w.connect(t, 0, 3) // replaces 0/2
		}, pingMsg(0, 1), closedMsg(0, 1, fsm.ClosedGone)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			tt.setup(t, w)
			o := w.handle(0, tt.ping)
			checkOut(t, o, []fsm.Msg{tt.want}, nil)
		})
	}
}
