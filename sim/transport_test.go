package sim

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
)

// TestTCPStaleConnection: a message of a connection that was replaced
// (a later Auth opened a new one) is not delivered.
func TestTCPStaleConnection(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Transport = netmodel.TransportTCP
	sc, _ := model.NoKnobs().Scenario()
	w := NewWorld(p, sc)
	w.Begin(1, 0)
	w.net.Conns[0].Gen = 5
	e := event{kind: evToClient, dev: 0, gen: 4}
	if w.deliverable(&e) {
		t.Fatal("a segment of connection 4 delivered on connection 5")
	}
	e.gen = 5
	if !w.deliverable(&e) {
		t.Fatal("a segment of the current connection not delivered")
	}
}

// sendAt sends m from (evToServer) or to (evToClient) device 0 at now on
// an otherwise empty queue and returns the event it queued, or false when
// the message was dropped.
func sendAt(w *World, now time.Duration, m fsm.Msg, k evKind) (event, bool) {
	w.q.reset()
	w.now = now
	w.send(0, &m, k)
	if w.q.len() == 0 {
		return event{}, false
	}
	return *w.q.pop(), true
}

// TestTCPAttemptSteps: under attempt full over TCP, at loss 0 and 50 ms
// one way, the navigation opens its own connection (2 round trips to its
// answer), the socket is the IM connection's handshake (1 round trip, its
// answer at once), and auth rides that connection (1 round trip); under
// attempt auth an Auth still opens the connection itself.
func TestTCPAttemptSteps(t *testing.T) {
	ms := time.Millisecond
	p := model.DefaultParams()
	p.Net.Transport = netmodel.TransportTCP
	p.Client.Attempt = fsm.AttemptFull
	sc, _ := model.NoKnobs().Scenario()
	w := NewWorld(p, sc)
	w.Begin(1, 0)
	steps := []struct {
		now  time.Duration
		m    fsm.Msg
		k    evKind
		want time.Duration
		conn netmodel.ConnID
	}{
		{0, fsm.Msg{Kind: fsm.MsgNavi, Seq: 1}, evToServer, 150 * ms, netmodel.ConnNavi},
		{150 * ms, fsm.Msg{Kind: fsm.MsgNaviReply, Seq: 1, N: 1}, evToClient, 200 * ms, netmodel.ConnNavi},
		{200 * ms, fsm.Msg{Kind: fsm.MsgOpen, Seq: 1}, evToServer, 300 * ms, netmodel.ConnIM},
		{300 * ms, fsm.Msg{Kind: fsm.MsgOpenAck, Seq: 1}, evToClient, 300 * ms, netmodel.ConnIM},
		{300 * ms, fsm.Msg{Kind: fsm.MsgOpen, Seq: 1, ID: 1}, evToServer, 350 * ms, netmodel.ConnIM},
		{350 * ms, fsm.Msg{Kind: fsm.MsgOpenAck, Seq: 1, ID: 1}, evToClient, 400 * ms, netmodel.ConnIM},
		{400 * ms, fsm.Msg{Kind: fsm.MsgAuth, Seq: 1}, evToServer, 450 * ms, netmodel.ConnIM},
		{450 * ms, fsm.Msg{Kind: fsm.MsgAuthReply, Seq: 1}, evToClient, 500 * ms, netmodel.ConnIM},
	}
	for _, s := range steps {
		e, ok := sendAt(w, s.now, s.m, s.k)
		if !ok || e.at != s.want {
			t.Fatalf("%s round %d sent at %v: arrives %v (queued %v), want %v", s.m.Kind, s.m.ID, s.now, e.at, ok, s.want)
		}
		if g := w.net.Conn(0, s.conn).Gen; e.gen != 1 || g != 1 {
			t.Errorf("%s: event of connection %d, connection %d's generation %d; want 1 and 1", s.m.Kind, e.gen, s.conn, g)
		}
		w.now = e.at
		if !w.deliverable(&e) {
			t.Errorf("%s: not deliverable on its own connection", s.m.Kind)
		}
	}
	// A second navigation opens a new navigation connection: the first's
	// answer is stale, the IM connection is untouched.
	old := event{kind: evToClient, dev: 0, gen: 1, msg: fsm.Msg{Kind: fsm.MsgNaviReply}}
	sendAt(w, time.Second, fsm.Msg{Kind: fsm.MsgNavi, Seq: 2}, evToServer)
	if w.deliverable(&old) {
		t.Error("the first navigation connection's answer delivered after a second navigation")
	}
	if g := w.net.Conn(0, netmodel.ConnIM).Gen; g != 1 {
		t.Errorf("IM connection generation %d after a navigation, want 1", g)
	}

	p.Client.Attempt = fsm.AttemptAuth
	w = NewWorld(p, sc)
	w.Begin(1, 0)
	if e, ok := sendAt(w, 0, fsm.Msg{Kind: fsm.MsgAuth, Seq: 1}, evToServer); !ok || e.at != 150*ms {
		t.Errorf("attempt auth: Auth arrives %v (queued %v), want 150ms (handshake, then the request)", e.at, ok)
	}
}
