package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/server"
)

// Incremental driving. A property-based test (the rapid suite of package
// properties) builds a trial's script while the trial runs, checking the
// trace after every step:
//
//	w.Begin(seed, 0)
//	w.Hold()
//	w.Inject(Action{At: 0, Op: OpInit})    // an action at or after the last bound
//	w.RunBefore(10 * time.Second)          // run what is due before 10s
//	...                                    // check w.Recs, inject more
//	w.Release()
//	for w.Step() {}                        // let the trial end as usual
//
// The trace is the one Run gives for the final script (Scenario) from the
// start, record for record: scripted actions due at the same time run
// before any other event (see queue), and RunBefore never runs an event at
// its bound, so an action injected at the bound still runs first.

// Hold keeps the current trial running for injected actions: it no longer
// ends when every call is settled and no scripted action is left (only at
// the horizon), until Release. Call it after Begin.
func (w *World) Hold() {
	w.held = true
	// The world's script may share its array with the caller's scenario:
	// Inject must not append into it.
	w.sc.Script = slices.Clip(w.sc.Script)
}

// Release ends Hold: from now on the trial ends as Step decides.
func (w *World) Release() { w.held = false }

// Inject appends action a to the running trial's script. a.At must not be
// before the bound of the last RunBefore nor before the script's last
// action; the scenario must stay valid (Scenario.Validate). Injected
// actions become part of the world's scenario: a later Begin replays them.
func (w *World) Inject(a model.Action) error {
	if w.done {
		return fmt.Errorf("sim: Inject: the trial is over")
	}
	if a.At < w.ranTo {
		return fmt.Errorf("sim: Inject: action at %v, but the world already ran to %v", a.At, w.ranTo)
	}
	w.sc.Script = append(w.sc.Script, a)
	if err := w.sc.Validate(); err != nil {
		w.sc.Script = w.sc.Script[:len(w.sc.Script)-1]
		return fmt.Errorf("sim: Inject: %v", err)
	}
	w.scriptLeft++ // Step runs it in its turn (World.next)
	return nil
}

// RunBefore runs every event due before t (none at t) and reports whether
// the trial goes on. An event past the horizon ends the trial, as in Step.
func (w *World) RunBefore(t time.Duration) bool {
	for !w.done {
		if at, _, ok := w.nextAt(); !ok || at >= t {
			break
		}
		w.Step()
	}
	w.ranTo = max(w.ranTo, t)
	return !w.done
}

// Scenario returns the world's scenario, with the actions injected so far.
// The script is shared with the world: do not modify it.
func (w *World) Scenario() model.Scenario { return w.sc }

// Params returns the world's parameters.
func (w *World) Params() model.Params { return w.p }

// Now returns the current virtual time: that of the last event run.
func (w *World) Now() time.Duration { return w.now }

// Client returns device dev's client core, for state invariants. Do not
// step it.
func (w *World) Client(dev int) *fsm.Client { return w.clients[dev] }

// Server returns the IM server, for state invariants. Do not change it.
func (w *World) Server() *server.Server { return w.srvMut() }
