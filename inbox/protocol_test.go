package inbox

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/server"
)

// TestProtocol is a rapid state-machine test of the message protocol:
// two devices of one user (an inbox each) and a server.Server, joined by
// FIFO links that lose what rapid says. rapid draws messages, (re)connects,
// disconnects (the server keeps a ghost), deliveries and losses in either
// direction, pings and pull timers. After every action: each device's
// normal ids grow strictly, and without multi-device sync no message is
// shown on two devices. After healing (both devices reconnect, nothing is
// lost, pings until every pull is answered), every normal message is shown
// on every device (sync on) or on exactly one (sync off).
func TestProtocol(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := newProto(rapid.Bool().Draw(t, "sync"))
		t.Repeat(map[string]func(*rapid.T){
			"message": func(t *rapid.T) {
				p.message(rapid.IntRange(0, 3).Draw(t, "kind") == 0)
			},
			"connect":    func(t *rapid.T) { p.connect(t, p.dev(t)) },
			"disconnect": func(t *rapid.T) { p.disconnect(p.dev(t)) },
			"up":         func(t *rapid.T) { p.up(t, p.dev(t), rapid.IntRange(0, 3).Draw(t, "lose") == 0) },
			"down":       func(t *rapid.T) { p.down(t, p.dev(t), rapid.IntRange(0, 3).Draw(t, "lose") == 0) },
			"ping":       func(t *rapid.T) { p.ping(p.dev(t)) },
			"timer":      func(t *rapid.T) { p.timer(t, p.dev(t)) },
		})
		p.heal(t)
	})
}

const devices = 2

type proto struct {
	sync  bool
	s     server.Server
	out   server.Out
	now   time.Duration
	box   [devices]*Inbox
	seq   [devices]uint32
	on    [devices]bool
	gen   [devices]uint32
	upQ   [devices][]fsm.Msg
	downQ [devices][]fsm.Msg
	batch [][]server.Chat // by a pull reply's Batch
	sent  []bool          // by id-1: a status message
	shown [devices][]uint32
	seen  map[uint32]int // normal id -> devices that showed it
}

func newProto(sync bool) *proto {
	p := &proto{sync: sync, seen: map[uint32]int{}}
	p.s.MultiDeviceSync = sync
	p.s.AddAppKey(server.AppValid)
	p.s.AddUser()
	p.s.AddDevice(server.Device{User: 0, Platform: server.Mobile})
	p.s.AddDevice(server.Device{User: 0, Platform: server.Desktop})
	p.s.AddToken(server.Token{User: 0})
	for d := range devices {
		p.box[d] = New(&cfg, int16(d))
	}
	return p
}

func (p *proto) dev(t *rapid.T) int { return rapid.IntRange(0, devices-1).Draw(t, "dev") }

// tick moves time on, so that the log's arrival times grow.
func (p *proto) tick() time.Duration { p.now += time.Millisecond; return p.now }

// serve hands the server's replies to the down links.
func (p *proto) serve() {
	for _, m := range p.out.Replies {
		p.downQ[m.Dev] = append(p.downQ[m.Dev], m)
	}
	p.out.Replies, p.out.Sessions = p.out.Replies[:0], p.out.Sessions[:0]
}

// effects carries out device d's inbox effects and checks what it shows.
func (p *proto) effects(t *rapid.T, d int, effs []Effect) {
	for _, e := range effs {
		switch e.Kind {
		case EffSend:
			p.upQ[d] = append(p.upQ[d], e.Msg)
		case EffTimer:
			p.gen[d] = e.Gen
		case EffShow:
			id := e.Chat.ID
			if id == 0 || int(id) > len(p.sent) || p.sent[id-1] != e.Chat.Status {
				t.Fatalf("dev%d shows %d (status %v), never sent as such", d, id, e.Chat.Status)
			}
			if e.Chat.Status {
				continue
			}
			if n := len(p.shown[d]); n > 0 && id <= p.shown[d][n-1] {
				t.Fatalf("dev%d shows %d after %d", d, id, p.shown[d][n-1])
			}
			p.shown[d] = append(p.shown[d], id)
			p.seen[id]++
			if !p.sync && p.seen[id] > 1 {
				t.Fatalf("message %d shown on two devices without multi-device sync", id)
			}
		}
	}
}

func (p *proto) message(status bool) {
	r := p.s.Message(p.tick(), 0, 0, status, &p.out)
	p.sent = append(p.sent, status)
	if int(r.ID) != len(p.sent) {
		panic(fmt.Sprintf("id %d for message %d", r.ID, len(p.sent)))
	}
	p.serve()
}

// connect opens a new session of device d at once (the handshake is not
// the subject here) and tells its inbox.
func (p *proto) connect(t *rapid.T, d int) {
	p.box[d].Disconnected()
	p.seq[d]++
	p.upQ[d], p.downQ[d] = p.upQ[d][:0], p.downQ[d][:0] // a new connection
	p.s.Handle(p.tick(), fsm.Msg{Kind: fsm.MsgAuth, Dev: int16(d), Seq: p.seq[d]}, false, &p.out)
	p.out.Replies = p.out.Replies[:0] // the AuthReply: the session is open
	p.serve()
	p.on[d] = true
	p.effects(t, d, p.box[d].Connected(p.now, p.seq[d]))
}

// disconnect drops device d's connection; the server keeps its session (a
// ghost) until the device's next one.
func (p *proto) disconnect(d int) {
	p.on[d] = false
	p.box[d].Disconnected()
	p.upQ[d], p.downQ[d] = p.upQ[d][:0], p.downQ[d][:0]
}

// up delivers (or loses) the next message from device d to the server.
func (p *proto) up(t *rapid.T, d int, lose bool) {
	if len(p.upQ[d]) == 0 {
		return
	}
	m := p.upQ[d][0]
	p.upQ[d] = p.upQ[d][1:]
	if lose {
		return
	}
	if m.Kind == fsm.MsgPull {
		items, ok := p.s.Pull(m, nil, &p.out)
		if ok {
			p.out.Replies[len(p.out.Replies)-1].Batch = int32(len(p.batch))
			p.batch = append(p.batch, items)
		}
	} else {
		p.s.Handle(p.tick(), m, false, &p.out)
	}
	p.serve()
}

// down delivers (or loses) the next message from the server to device d.
func (p *proto) down(t *rapid.T, d int, lose bool) {
	if len(p.downQ[d]) == 0 {
		return
	}
	m := p.downQ[d][0]
	p.downQ[d] = p.downQ[d][1:]
	if lose || !p.on[d] {
		return
	}
	var batch []server.Chat
	if m.Kind == fsm.MsgPullReply {
		batch = p.batch[m.Batch]
	}
	p.effects(t, d, p.box[d].Recv(p.tick(), m, batch))
}

func (p *proto) ping(d int) {
	if p.on[d] {
		p.upQ[d] = append(p.upQ[d], fsm.Msg{Kind: fsm.MsgPing, Dev: int16(d), Seq: p.seq[d]})
	}
}

func (p *proto) timer(t *rapid.T, d int) {
	if p.on[d] {
		p.effects(t, d, p.box[d].Timer(p.tick(), p.gen[d]))
	}
}

// heal reconnects both devices and runs the links without loss, firing
// pull timers and pinging, until a round of pings starts no pull; then
// every normal message must have reached the app of each device that
// should get it.
func (p *proto) heal(t *rapid.T) {
	for d := range devices {
		p.connect(t, d)
	}
	settled := false
	for range 100 {
		p.drain(t)
		if p.pulling() {
			for d := range devices {
				p.timer(t, d)
			}
			continue
		}
		for d := range devices {
			p.ping(d)
		}
		p.drain(t)
		if settled = !p.pulling(); settled {
			break
		}
	}
	if !settled {
		t.Fatalf("the healed links never settled")
	}
	want := 1
	if p.sync {
		want = devices
	}
	for id := uint32(1); int(id) <= len(p.sent); id++ {
		if !p.sent[id-1] && p.seen[id] != want {
			t.Fatalf("message %d shown on %d devices after healing, want %d (shown: %v)", id, p.seen[id], want, p.shown)
		}
	}
}

// drain delivers everything in flight, losing nothing.
func (p *proto) drain(t *rapid.T) {
	for busy := true; busy; {
		busy = false
		for d := range devices {
			if len(p.upQ[d]) > 0 || len(p.downQ[d]) > 0 {
				busy = true
				p.up(t, d, false)
				p.down(t, d, false)
			}
		}
	}
}

// pulling reports whether a device has a pull in flight.
func (p *proto) pulling() bool { return p.box[0].Pulling() || p.box[1].Pulling() }
