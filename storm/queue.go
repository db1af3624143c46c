package storm

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// evKind names what a queued event does when it falls due.
type evKind uint8

const (
	evKilled    evKind = iota // a cancelled timer, dropped from the ring (calendar.kill)
	evLogin                   // client cl calls Init and Connect
	evTimer                   // a timer of client cl's core (timer, gen)
	evToServer                // a message from cl reaches the server (sent on epoch)
	evToClient                // a message reaches client cl (sent on epoch)
	evDone                    // the handshake of cl's attempt seq ends (server generation gen)
	evOutage                  // the outage starts
	evRestore                 // the outage ends
	evIdle                    // the server's liveness check of cl's session
	evMsg                     // a --msg-rate message for cl's user reaches the server
	evPush                    // a push of message gen reaches cl
	evPullTimer               // cl's inbox's pull timer (generation gen)
	evExpire                  // the retention of a message of cl's user ends
)

// event is one entry of the queue: 24 bytes, a flat value, so that a
// million clients' timers and messages fit in a few hundred megabytes.
// Events at the same time run in the order they were pushed (calendar).
type event struct {
	at   time.Duration
	cl   int32
	gen  uint32 // timer generation, the server generation of a handshake, or a message's ID
	msq  uint32 // message or attempt sequence number
	kind evKind
	sub  uint8 // evTimer: its fsm.TimerKind; a message: its fsm.MsgKind
	code uint8 // a message's code, numbered by the world's codeTable
	bits uint8 // msgAuto, msgPush, and the link epoch a message was sent on << epochShift
}

const (
	msgAuto uint8 = 1 << iota
	msgPush

	// epochShift places a link's epoch in event.bits: a storm's epochs
	// are 0, 1 and 2 (a network outage takes each link down once and up
	// once), well below the 64 the bits hold.
	epochShift = 2
)

// timer returns the kind of timer of an evTimer event.
func (e *event) timer() fsm.TimerKind { return fsm.TimerKind(e.sub) }

// epoch returns the link epoch a message event was sent on.
func (e *event) epoch() uint8 { return e.bits >> epochShift }

// codeTable numbers the codes that the storm's messages carry, so that an
// event holds a byte rather than a 4-byte fsm.Code: the client core and
// the server send a few distinct codes, each a constant of theirs (fewer
// than 256).
type codeTable struct{ codes []fsm.Code }

// number returns code c's number, numbering it if it is new.
func (t *codeTable) number(c fsm.Code) uint8 {
	for i, x := range t.codes {
		if x == c {
			return uint8(i)
		}
	}
	if len(t.codes) > 255 {
		panic(fmt.Sprintf("storm: a 257th distinct message code (%d)", c))
	}
	t.codes = append(t.codes, c)
	return uint8(len(t.codes) - 1)
}

// unpack returns the message of a message event.
func (w *world) unpack(e *event) fsm.Msg {
	return fsm.Msg{Kind: fsm.MsgKind(e.sub), Seq: e.msq, Code: w.codes.codes[e.code], ID: e.gen, Auto: e.bits&msgAuto != 0, Push: e.bits&msgPush != 0}
}

// pack returns the event of message m reaching kind's end of client
// cl's link at at, sent on epoch.
func (w *world) pack(at time.Duration, kind evKind, cl int32, m fsm.Msg, epoch uint8) event {
	f := epoch << epochShift
	if m.Auto {
		f |= msgAuto
	}
	if m.Push {
		f |= msgPush
	}
	return event{at: at, kind: kind, cl: cl, sub: uint8(m.Kind), msq: m.Seq, code: w.codes.number(m.Code), gen: m.ID, bits: f}
}
