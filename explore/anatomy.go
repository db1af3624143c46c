package explore

import (
	"fmt"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// The attempt's anatomy in the abstract world (attempt full, fsm/anatomy.go,
// docs/model.md): what the world knows of it apart from the core, from
// the messages the core sends and the steps it shows, and the two
// invariants that read it (I7, I8).
//
// The world's memory of the navigation cache follows the rule, not the
// core: the client holds an answer once it acted on one (an OK navigation
// answer delivered, and in the same move a socket of that attempt
// opened), or from its first Connect on for a returning device, until
// time passes its TTL (mvNaviExpire). The explorer has one token, so the
// cache's token always matches.
type anatomy struct {
	held      bool          // the client holds a navigation answer ...
	heldUntil time.Duration // ... fresh while the world's time is before this
	// A step record is due: the attempt started in this move has shown
	// no step yet (its first one tells whether it asked the navigation
	// service).
	firstStep bool
	// What P21 remembers of the attempt in flight, from its step
	// records: its last step (stepNames' index + 1; 0 none) and how many
	// socket steps it showed. For a correct core these follow from its
	// state; a key without them could merge a mutant's states that P21
	// tells apart.
	lastStep, socks uint8
	// The sockets of attempt sockSeq, the latest to open one: the next
	// opens listed server sockNext (list order, each once).
	sockSeq  uint32
	sockNext int32
	// naviSeq: the move delivers an OK navigation answer to attempt
	// naviSeq (0: it does not).
	naviSeq uint32
	// The first violation of I7 or I8 the last move showed (badID ""
	// none).
	badID, bad string
}

// stepNames are the steps' names in the trace.
var stepNames = []vocab.Word{vocab.StepNavi, vocab.StepSocket, vocab.StepTLS, vocab.StepAuth}

// fresh reports whether, by the rule, the client holds a fresh
// navigation answer at the world's time t.
func (a *anatomy) fresh(t time.Duration) bool { return a.held && t < a.heldUntil }

// hold records that the client took a navigation answer at time t.
func (a *anatomy) hold(t, ttl time.Duration) {
	a.held, a.heldUntil = true, t+ttl
}

// connect: a returning device holds its token's answer from its first
// Connect on (fsm.Config.Returning).
func (w *world) anatomyConnect(first bool) {
	if w.full && first && w.returning {
		w.an.hold(w.t, w.naviTTL)
	}
}

// anatomyEffect follows one effect of the core under attempt full:
// the first step of each attempt (I7) and the sockets it opens (I8).
func (w *world) anatomyEffect(e *fsm.Effect) {
	if !w.full {
		return
	}
	a := &w.an
	switch {
	case e.Kind == fsm.EffAttempt && e.Phase == vocab.PhaseStart:
		a.firstStep, a.lastStep, a.socks = true, 0, 0
	case e.Kind == fsm.EffAttempt && e.Phase == vocab.PhaseStep:
		a.lastStep = uint8(slices.Index(stepNames, e.Reason) + 1)
		if e.Reason == vocab.StepSocket {
			a.socks++
		}
		if !a.firstStep {
			return
		}
		a.firstStep = false
		fresh := a.fresh(w.t)
		switch {
		case e.Reason == vocab.StepNavi && fresh:
			w.violate("I7", fmt.Sprintf("attempt seq %d asks the navigation service while the client holds a fresh answer for its token", e.Seq))
		case e.Reason != vocab.StepNavi && !fresh:
			w.violate("I7", fmt.Sprintf("attempt seq %d begins with step %s while the client holds no fresh navigation answer for its token", e.Seq, e.Reason))
		}
	case e.Kind == fsm.EffSend && e.Msg.Kind == fsm.MsgOpen && e.Msg.ID == 0:
		m := &e.Msg
		if a.naviSeq != 0 && a.naviSeq == m.Seq {
			a.hold(w.t, w.naviTTL) // the answer delivered this move was taken
		}
		k := int32(0)
		if a.sockSeq == m.Seq {
			k = a.sockNext
		}
		a.sockSeq, a.sockNext = m.Seq, k+1
		if !w.sticky && (m.N != k || k >= w.servers) {
			w.violate("I8", fmt.Sprintf("socket %d of attempt seq %d goes to listed server %d; want server %d of %d (list order, each once)", k+1, m.Seq, m.N, k, w.servers))
		}
	}
}

func (w *world) violate(id, msg string) {
	if w.an.badID == "" {
		w.an.badID, w.an.bad = id, msg
	}
}

// invSteps is I7 and I8: the violation the last move's steps and sockets
// showed, if it was of invariant id.
func invSteps(id string) func(w *world, s *fsm.Snapshot) string {
	return func(w *world, s *fsm.Snapshot) string {
		if w.an.badID == id {
			return w.an.bad
		}
		return ""
	}
}
