package storm

import (
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

// event is one entry of the queue: 32 bytes, a flat value, so that a
// million clients' timers and messages fit in a few hundred megabytes.
// Events at the same time run in the order they were pushed (calendar).
type event struct {
	at    time.Duration
	cl    int32
	code  fsm.Code
	gen   uint32 // timer generation, the server generation of a handshake, or a message's ID
	msq   uint32 // message or attempt sequence number
	epoch uint32 // link epoch a message was sent on
	kind  evKind
	timer fsm.TimerKind
	mkind fsm.MsgKind
	flags uint8 // msgAuto, msgPush
}

const (
	msgAuto uint8 = 1 << iota
	msgPush
)

func (e *event) msg() fsm.Msg {
	return fsm.Msg{Kind: e.mkind, Seq: e.msq, Code: e.code, ID: e.gen, Auto: e.flags&msgAuto != 0, Push: e.flags&msgPush != 0}
}

func msgEvent(at time.Duration, kind evKind, cl int32, m fsm.Msg, epoch uint32) event {
	var f uint8
	if m.Auto {
		f |= msgAuto
	}
	if m.Push {
		f |= msgPush
	}
	return event{at: at, kind: kind, cl: cl, mkind: m.Kind, msq: m.Seq, code: m.Code, gen: m.ID, flags: f, epoch: epoch}
}
