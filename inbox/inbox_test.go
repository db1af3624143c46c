package inbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/server"
)

var cfg = Config{PullTimeout: 5 * time.Second}

// render writes effects compactly: "pull>2 timer@5s/1 show3(live) dup2
// ack3 send?" (a pull after id 2, the timer at 5s of generation 1, ...).
func render(effs []Effect) string {
	var out []string
	for _, e := range effs {
		switch e.Kind {
		case EffSend:
			switch e.Msg.Kind {
			case fsm.MsgPull:
				out = append(out, fmt.Sprintf("pull>%d", e.Msg.ID))
			case fsm.MsgAck:
				out = append(out, fmt.Sprintf("ack%d", e.Msg.ID))
			default:
				out = append(out, "send?")
			}
		case EffShow:
			s := fmt.Sprintf("show%d(%s)", e.Chat.ID, e.Path)
			if e.Chat.Status {
				s = fmt.Sprintf("status%d", e.Chat.ID)
			}
			out = append(out, s)
		case EffDup:
			out = append(out, fmt.Sprintf("dup%d", e.Chat.ID))
		case EffTimer:
			out = append(out, fmt.Sprintf("timer@%v/%d", e.At, e.Gen))
		}
	}
	return strings.Join(out, " ")
}

func deliver(seq, id, prev uint32) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgDeliver, Seq: seq, ID: id, Prev: prev}
}

func reply(seq, latest uint32, ids ...uint32) (fsm.Msg, []server.Chat) {
	var batch []server.Chat
	for _, id := range ids {
		batch = append(batch, server.Chat{ID: id})
	}
	return fsm.Msg{Kind: fsm.MsgPullReply, Seq: seq, ID: latest, N: int32(len(ids))}, batch
}

// step is one input to the inbox and the effects it must give.
type step struct {
	in   func(b *Inbox) []Effect
	want string
}

func connected(seq uint32) func(*Inbox) []Effect {
	return func(b *Inbox) []Effect { return b.Connected(0, seq) }
}

func recv(m fsm.Msg) func(*Inbox) []Effect {
	return func(b *Inbox) []Effect { return b.Recv(0, m, nil) }
}

func recvReply(seq, latest uint32, ids ...uint32) func(*Inbox) []Effect {
	m, batch := reply(seq, latest, ids...)
	return func(b *Inbox) []Effect { return b.Recv(0, m, batch) }
}

func disconnected(b *Inbox) []Effect { b.Disconnected(); return nil }

func timer(gen uint32) func(*Inbox) []Effect {
	return func(b *Inbox) []Effect { return b.Timer(0, gen) }
}

func TestInbox(t *testing.T) {
	// Every case starts connected on session 1 with an empty pull
	// answered (nothing shown), unless it starts with its own Connected.
	ready := []step{{connected(1), "pull>0 timer@5s/1"}, {recvReply(1, 0), ""}}
	tests := []struct {
		name  string
		steps []step
		last  uint32
	}{
		{"live in order: shown, acked", append(ready,
			step{recv(deliver(1, 1, 0)), "show1(live) ack1"},
			step{recv(deliver(1, 2, 1)), "show2(live) ack2"}), 2},
		{"a gap: pull, not shown", append(ready,
			step{recv(deliver(1, 2, 1)), "pull>0 timer@5s/3"},
			step{recvReply(1, 2, 1, 2), "show1(pull) show2(pull) ack2"}), 2},
		{"a duplicate: dropped, acked again", append(ready,
			step{recv(deliver(1, 1, 0)), "show1(live) ack1"},
			step{recv(deliver(1, 1, 0)), "dup1 ack1"}), 1},
		{"status: shown at once, never acked, last unchanged", append(ready,
			step{recv(fsm.Msg{Kind: fsm.MsgDeliver, Seq: 1, ID: 1, Status: true}), "status1"}), 0},
		{"held while pulling, shown after the batch in order", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recv(deliver(1, 3, 2)), ""},
			{recv(deliver(1, 4, 3)), ""},
			{recvReply(1, 3, 1, 2, 3), "show1(pull) show2(pull) show3(pull) dup3 show4(live) ack4"}}, 4},
		{"status while pulling: not held", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recv(fsm.Msg{Kind: fsm.MsgDeliver, Seq: 1, ID: 1, Status: true}), "status1"}}, 0},
		{"a held message whose prev is missing: pull again", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recv(deliver(1, 5, 4)), ""},
			{recvReply(1, 3, 1, 2, 3), "show1(pull) show2(pull) show3(pull) ack3 pull>3 timer@5s/3"}}, 3},
		{"the server holds more than the batch: pull again", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recvReply(1, 2, 1), "show1(pull) ack1 pull>1 timer@5s/3"}}, 1},
		{"a batch of duplicates: dropped, acked once", append(ready,
			step{recv(deliver(1, 1, 0)), "show1(live) ack1"},
			step{recv(fsm.Msg{Kind: fsm.MsgPong, Seq: 1, ID: 2}), "pull>1 timer@5s/3"},
			step{recvReply(1, 2, 1, 2), "dup1 show2(pull) ack2"}), 2},
		{"a pong with a higher id: pull", append(ready,
			step{recv(fsm.Msg{Kind: fsm.MsgPong, Seq: 1, ID: 1}), "pull>0 timer@5s/3"}), 0},
		{"a pong with nothing new: nothing", append(ready,
			step{recv(fsm.Msg{Kind: fsm.MsgPong, Seq: 1, ID: 0}), ""}), 0},
		{"a pong while pulling: nothing", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recv(fsm.Msg{Kind: fsm.MsgPong, Seq: 1, ID: 5}), ""}}, 0},
		{"an unanswered pull is sent again", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{timer(1), "pull>0 timer@5s/2"},
			{timer(1), ""}, // superseded
			{recvReply(1, 0), ""},
			{timer(2), ""}}, 0}, // answered
		{"another session's messages: ignored", append(ready,
			step{recv(deliver(2, 1, 0)), ""},
			step{recvReply(2, 1, 1), ""}), 0},
		{"a reply with no pull in flight: ignored", append(ready,
			step{recvReply(1, 1, 1), ""}), 0},
		{"disconnected: nothing is handled, the pull timer dies", []step{
			{connected(1), "pull>0 timer@5s/1"},
			{recv(deliver(1, 1, 0)), ""},
			{disconnected, ""},
			{timer(1), ""},
			{recvReply(1, 1, 1), ""},
			{recv(deliver(1, 2, 1)), ""}}, 0},
		{"reconnected: held messages are gone, the new pull asks after the last shown", append(ready,
			step{recv(deliver(1, 1, 0)), "show1(live) ack1"},
			step{disconnected, ""},
			step{connected(2), "pull>1 timer@5s/4"},
			step{recvReply(2, 2, 2), "show2(pull) ack2"}), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(&cfg, 0)
			for i, s := range tt.steps {
				if got := render(s.in(b)); got != s.want {
					t.Fatalf("step %d: %q, want %q", i, got, s.want)
				}
			}
			if b.Last() != tt.last {
				t.Errorf("Last() = %d, want %d", b.Last(), tt.last)
			}
		})
	}
}

// TestMaxHeld: live messages beyond MaxHeld while a pull is in flight are
// dropped (the next pull brings them).
func TestMaxHeld(t *testing.T) {
	b := New(&cfg, 0)
	b.Connected(0, 1)
	for id := uint32(1); id <= MaxHeld+5; id++ {
		b.Recv(0, deliver(1, id, id-1), nil)
	}
	m, batch := reply(1, MaxHeld+5)
	effs := b.Recv(0, m, batch)
	if b.Last() != MaxHeld {
		t.Errorf("Last() = %d, want %d (the held ones)", b.Last(), MaxHeld)
	}
	if got := render(effs[len(effs)-3:]); got != fmt.Sprintf("ack%d pull>%d timer@5s/3", MaxHeld, MaxHeld) {
		t.Errorf("the reply ends with %q: want the ack and another pull", got)
	}
}

// TestShare: inboxes that share a buffer write their effects there, each
// call's valid until the next call.
func TestShare(t *testing.T) {
	var buf []Effect
	a, b := New(&cfg, 0), New(&cfg, 1)
	a.Share(&buf)
	b.Share(&buf)
	ea := a.Connected(0, 1)
	if got := render(ea); got != "pull>0 timer@5s/1" || ea[0].Msg.Dev != 0 {
		t.Fatalf("a: %q dev %d", got, ea[0].Msg.Dev)
	}
	eb := b.Connected(0, 7)
	if got := render(eb); got != "pull>0 timer@5s/1" || eb[0].Msg.Dev != 1 || eb[0].Msg.Seq != 7 {
		t.Fatalf("b: %q dev %d seq %d", got, eb[0].Msg.Dev, eb[0].Msg.Seq)
	}
	if &buf[0] != &eb[0] {
		t.Error("b's effects are not in the shared buffer")
	}
	b.Reset(&cfg, 1)
	if got := render(b.Connected(0, 1)); got != "pull>0 timer@5s/1" || &buf[0] == nil {
		t.Errorf("after Reset: %q", got)
	}
}

func TestPathNames(t *testing.T) {
	for p, want := range map[Path]string{0: "?", PathLive: "live", PathPull: "pull", 9: "?"} {
		if p.String() != want {
			t.Errorf("Path(%d) = %q, want %q", p, p.String(), want)
		}
	}
}
