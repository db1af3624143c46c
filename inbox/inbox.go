// Package inbox is the SDK's message layer (spec section 12): what the
// device does with the messages the server sends it, above the connection
// that package fsm keeps.
//
// Like fsm.Client it is a pure core in the raft manner: Step(now, input)
// returns effects (send this, show that to the app, set this timer) and
// the world carries them out; it has no clock, no goroutine and no RNG.
//
// The rules:
//
//   - After every (re)connect the SDK pulls: a MsgPull asking for every
//     stored message after the last id it showed. A pull that gets no
//     answer within Config.PullTimeout is sent again while the session
//     lasts.
//   - A live MsgDeliver is shown at once if the SDK has shown its Prev (the
//     server's previous message this device still needs); otherwise the
//     SDK has missed one and pulls. While a pull is in flight, live
//     messages wait (Held) and are handled after the pull's answer, so the
//     app sees messages in id order.
//   - A message whose id the SDK already showed is a duplicate (it came by
//     both the socket and a pull, or again after a lost ack): dropped, and
//     the ack is repeated.
//   - Every message shown is acknowledged, cumulatively (MsgAck with the
//     highest id shown). A Pong carries the highest id the server holds
//     for the device; a higher one than the SDK showed means a message was
//     lost on the way: the SDK pulls.
//   - Status messages are shown on arrival, never acknowledged, never
//     pulled (the server never stores them).
//
// Invariant: the ids the app is shown (normal messages) grow strictly, so
// each is shown once and in order, per conversation too.
package inbox

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/server"
)

// Config is the message layer's configuration.
type Config struct {
	// PullTimeout: a pull unanswered this long is sent again.
	PullTimeout time.Duration
}

// MaxHeld bounds the live messages waiting for a pull's answer; one beyond
// it is dropped (the pull, or the next, brings it).
const MaxHeld = 1024

// Path says how a message reached the app.
type Path uint8

// The paths.
const (
	PathLive Path = iota + 1 // on the socket, as the server sent it
	PathPull                 // in the answer to a pull
)

var pathNames = [...]string{"?", "live", "pull"}

func (p Path) String() string {
	if int(p) < len(pathNames) {
		return pathNames[p]
	}
	return "?"
}

// EffectKind names an effect of the message layer.
type EffectKind uint8

// Effects.
const (
	EffSend  EffectKind = iota + 1 // send Msg to the server
	EffShow                        // the app is shown message Chat (Path)
	EffDup                         // the SDK dropped a duplicate of message Chat
	EffTimer                       // set the pull timer to fire at At with Gen (a later set supersedes it)
)

// Effect is one effect.
type Effect struct {
	Kind EffectKind
	Msg  fsm.Msg
	Chat server.Chat
	Path Path
	At   time.Duration
	Gen  uint32
}

// Inbox is one device's message layer. The zero value is a device that
// never connected; Reset reuses one for another trial.
type Inbox struct {
	cfg *Config
	dev int16

	last    uint32 // the highest message id shown to the app
	live    bool   // the connection is up (CONNECTED) on session seq
	seq     uint32
	pulling bool      // a pull is in flight on seq
	gen     uint32    // the pull timer's generation
	held    []fsm.Msg // live Delivers that came while a pull was in flight
	out     []Effect
	shared  *[]Effect // Share's buffer, or nil: out is the inbox's own
}

// New returns the message layer of device dev.
func New(cfg *Config, dev int16) *Inbox {
	return &Inbox{cfg: cfg, dev: dev}
}

// Reset empties the inbox for a new trial, keeping memory (and Share's
// buffer).
func (b *Inbox) Reset(cfg *Config, dev int16) {
	*b = Inbox{cfg: cfg, dev: dev, held: b.held[:0], out: b.out[:0], shared: b.shared}
}

// Share makes the inbox write its effects into *buf, reset at each call,
// instead of into a buffer of its own: a world of many inboxes that
// carries out each call's effects before the next call (package storm,
// with up to a million) keeps one buffer for them all. The effects a
// call returns are then valid until the next call of any inbox sharing
// buf.
func (b *Inbox) Share(buf *[]Effect) { b.shared, b.out = buf, nil }

// begin starts a call's effects.
func (b *Inbox) begin() {
	if b.shared != nil {
		b.out = (*b.shared)[:0]
		return
	}
	b.out = b.out[:0]
}

// end returns a call's effects.
func (b *Inbox) end() []Effect {
	if b.shared == nil {
		return b.out
	}
	out := b.out
	*b.shared, b.out = out, nil
	return out
}

// Last returns the highest message id shown to the app.
func (b *Inbox) Last() uint32 { return b.last }

// Connected tells the inbox that the connection is up on session seq: it
// pulls.
func (b *Inbox) Connected(now time.Duration, seq uint32) []Effect {
	b.begin()
	b.live, b.seq = true, seq
	b.held = b.held[:0]
	b.pull(now)
	return b.end()
}

// Disconnected tells the inbox that the connection is down: a pull in
// flight is given up, held messages are dropped (the next pull brings
// them).
func (b *Inbox) Disconnected() {
	b.live, b.pulling = false, false
	b.gen++
	b.held = b.held[:0]
}

// TimerLive reports whether the pull timer with gen is still wanted.
func (b *Inbox) TimerLive(gen uint32) bool { return b.pulling && gen == b.gen }

// Timer handles the pull timer of generation gen: the pull is sent again.
func (b *Inbox) Timer(now time.Duration, gen uint32) []Effect {
	b.begin()
	if b.TimerLive(gen) {
		b.pull(now)
	}
	return b.end()
}

// Recv handles a message from the server. batch holds a PullReply's
// messages (m.N of them, in id order); nil otherwise.
func (b *Inbox) Recv(now time.Duration, m fsm.Msg, batch []server.Chat) []Effect {
	b.begin()
	if !b.live || m.Seq != b.seq {
		return b.end() // about a session the SDK no longer uses
	}
	switch m.Kind {
	case fsm.MsgDeliver:
		c := server.Chat{ID: m.ID, Conv: m.Conv, Status: m.Status}
		switch {
		case c.Status:
			b.show(c, PathLive)
		case b.pulling:
			if len(b.held) < MaxHeld {
				b.held = append(b.held, m)
			}
		case c.ID <= b.last:
			b.dup(c)
			b.ack()
		case m.Prev <= b.last:
			b.show(c, PathLive)
			b.ack()
		default:
			b.pull(now)
		}
	case fsm.MsgPullReply:
		if !b.pulling {
			return b.end()
		}
		b.pulling = false
		b.gen++
		shown := b.last
		for _, c := range batch {
			if c.ID <= b.last {
				b.dup(c)
				continue
			}
			b.show(c, PathPull)
		}
		gap := false
		for _, h := range b.held {
			c := server.Chat{ID: h.ID, Conv: h.Conv}
			switch {
			case c.ID <= b.last:
				b.dup(c)
			case h.Prev <= b.last:
				b.show(c, PathLive)
			default:
				gap = true // one was lost after the pull was served: pull again
			}
			if gap {
				break
			}
		}
		b.held = b.held[:0]
		if b.last != shown || len(batch) > 0 || len(b.out) > 0 {
			b.ack()
		}
		if gap || m.ID > b.last {
			b.pull(now) // the server holds more than the batch and the held messages covered
		}
	case fsm.MsgPong:
		if !b.pulling && m.ID > b.last {
			b.pull(now)
		}
	}
	return b.end()
}

func (b *Inbox) show(c server.Chat, p Path) {
	if !c.Status {
		b.last = c.ID
	}
	b.out = append(b.out, Effect{Kind: EffShow, Chat: c, Path: p})
}

// dup drops a duplicate of c; the caller acknowledges (once per input).
func (b *Inbox) dup(c server.Chat) {
	b.out = append(b.out, Effect{Kind: EffDup, Chat: c})
}

func (b *Inbox) ack() {
	b.out = append(b.out, Effect{Kind: EffSend, Msg: fsm.Msg{Kind: fsm.MsgAck, Dev: b.dev, Seq: b.seq, ID: b.last}})
}

func (b *Inbox) pull(now time.Duration) {
	b.pulling = true
	b.gen++
	b.out = append(b.out,
		Effect{Kind: EffSend, Msg: fsm.Msg{Kind: fsm.MsgPull, Dev: b.dev, Seq: b.seq, ID: b.last}},
		Effect{Kind: EffTimer, At: now + b.cfg.PullTimeout, Gen: b.gen})
}

// Pulling reports whether a pull is in flight.
func (b *Inbox) Pulling() bool { return b.pulling }
