package sim

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/rcsim/connsim/model"
)

// DefaultMaxEvents is the default work budget of one trial: the most
// events (timer firings, message arrivals, scripted actions) it may run.
//

// BudgetError reports a trial that exceeded the work budget
// (Params.MaxEvents). It is the input that is too big: exit 2.
type BudgetError struct {
	Trial int
	Max   int
	At    time.Duration // virtual time reached
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("trial %d exceeded the work budget of %d events (--max-events, params.max_events) at t=%v; shorten --horizon or lengthen --hb-interval, or raise --max-events (at most %d)",
		e.Trial, e.Max, e.At, model.MaxMaxEvents)
}

// PanicError reports a panic of the model inside a trial: a bug of the
// simulator, never a property violation of the SDK. Replaying the trial
// with `sim trace --trial Trial` reproduces it.
type PanicError struct {
	Trial int
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("trial %d panicked: %v", e.Trial, e.Value)
}

// Err returns why the current trial stopped abnormally: a *BudgetError
// when it exceeded the work budget, nil otherwise.
func (w *World) Err() error {
	if !w.overBudget {
		return nil
	}
	return &BudgetError{Trial: w.trial, Max: w.p.MaxEvents, At: w.now}
}

// budgetLeft counts one more event against the work budget and reports
// whether it may run. Once the budget is spent the trial is over (done),
// without an end record: its trace is not a trial's trace.
func (w *World) budgetLeft() bool {
	if w.p.MaxEvents > 0 && w.events >= w.p.MaxEvents {
		w.overBudget, w.done = true, true
		w.res.End = w.now
		return false
	}
	w.events++
	return true
}

// RunTrial is Run that reports instead of crashing: a trial over the work
// budget returns a *BudgetError, and a panic of the model a *PanicError
// (the trace so far stays in w.Recs).
func (w *World) RunTrial(seed uint64, trial int) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = w.res, &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}
			w.done = true
		}
	}()
	res = w.Run(seed, trial)
	return res, w.Err()
}

// panicTrial, when >= 0, is a trial that panics as it begins: the seam
// that lets tests exercise the path of a model bug (exit 3) without one.
var panicTrial = -1

// PanicTrialForTest makes trial k of every later run panic as it begins,
// until the returned function restores the model. Only tests call it (the
// CLI never does, and the package does not link "testing" to check). Not
// safe to call while trials run.
func PanicTrialForTest(k int) (restore func()) {
	panicTrial = k
	return func() { panicTrial = -1 }
}

// Events returns how many events the current trial has run (its work
// budget counts them).
func (w *World) Events() int { return w.events }
