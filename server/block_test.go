package server

import (
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

func TestBlockUser(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 2, 4) // user 0 desktop
	w.connect(t, 0, 1) // user 0 mobile
	w.connect(t, 3, 1) // user 1 mobile
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	w.s.BlockUser(0, &w.out)
	checkOut(t, w.out,
		[]fsm.Msg{closedMsg(0, 1, fsm.ClosedBlocked), closedMsg(2, 4, fsm.ClosedBlocked)},
		[]SessionEvent{closeEv(&w.s, 0, 1, vocab.CloseBlocked, false), closeEv(&w.s, 2, 4, vocab.CloseBlocked, false)})
	checkLive(t, &w.s, map[int16]uint32{3: 1})

	// Next attempts of the user get 31009; the other user is unaffected.
	o := w.handle(0, authMsg(0, 2, true))
	checkOut(t, o, []fsm.Msg{authReply(0, 2, fsm.ConnUserBlocked)}, nil)
	o = w.handle(0, authMsg(3, 2, true))
	checkOut(t, o, []fsm.Msg{okReply(3, 2)}, []SessionEvent{closeEv(&w.s, 3, 1, vocab.CloseReplaced, false), openEv(&w.s, 3, 2)})

	// Blocking again closes nothing more.
	w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
	w.s.BlockUser(0, &w.out)
	checkOut(t, w.out, nil, nil)

	// Unblocked, the user connects again.
	w.s.UnblockUser(0)
	w.connect(t, 0, 3)
	checkLive(t, &w.s, map[int16]uint32{0: 3, 3: 2})
}

func TestBlockUnknownUser(t *testing.T) {
	w := newWorld(t)
	w.s.BlockUser(5, &w.out)
	if len(w.s.UserBlocked) != 6 || !w.s.UserBlocked[5] {
		t.Fatalf("UserBlocked = %v", w.s.UserBlocked)
	}
	checkOut(t, w.out, nil, nil)
	w.s.UnblockUser(42) // no-op, no panic
	if w.s.UserBlocked[5] != true {
		t.Fatal("unblocking another user changed user 5")
	}
}
