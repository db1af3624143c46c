package sim

import (
	"runtime/debug"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// MaxViolationsKept bounds the violations a trial keeps for reporting.
const MaxViolationsKept = 3

// determinismEvery: every trial whose index is a multiple of it is run a
// second time in the same World and its trace digest compared (P11).
const determinismEvery = 100

// TrialOutcome is the result of one trial with its property verdicts.
type TrialOutcome struct {
	Result
	NViolations int
	Violations  []properties.Violation // the first MaxViolationsKept
	// Err: the trial did not finish as a trial: a *BudgetError or a
	// *PanicError. A run stops at the first such trial.
	Err error
}

// RunChecked runs one trial and checks every property over its trace. A
// panic (of the model or of a check) is a bug of the simulator, never a
// property violation: it comes back as o.Err, a *PanicError naming the
// trial, and so does a trial over the work budget (*BudgetError).
func (w *World) RunChecked(seed uint64, trial int, pcfg properties.Config) (o TrialOutcome) {
	defer func() {
		if r := recover(); r != nil {
			o = TrialOutcome{Result: w.res, Err: &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}}
			w.done = true
		}
	}()
	o.Result = w.Run(seed, trial)
	if err := w.Err(); err != nil {
		o.Err = err
		return o
	}
	if w.mon == nil {
		w.mon = properties.NewMonitor(pcfg)
	}
	vs := w.mon.CheckTrace(pcfg, w.Recs)
	if v, ok := w.offlineViolation(); ok {
		vs = append(vs, v)
	}
	if trial%determinismEvery == 0 {
		w.first = append(w.first[:0], w.Recs...)
		w.Run(seed, trial)
		if !sameTrace(w.first, w.Recs) {
			vs = append(vs, properties.Violation{Property: "P11", Index: -1, Msg: "the same trial run twice gave different traces"})
		}
	}
	o.NViolations = len(vs)
	if len(vs) > 0 {
		o.Violations = append([]properties.Violation(nil), vs[:min(len(vs), MaxViolationsKept)]...)
	}
	return o
}

// sameTrace reports whether two traces are the same: the same records, or
// records whose JSON Lines encodings are the same (what trace.Digest
// compares, with no chance of a collision).
func sameTrace(a, b []trace.Record) bool {
	if len(a) != len(b) {
		return false
	}
	var ba, bb [512]byte
	for i := range a {
		if a[i] != b[i] && string(trace.AppendJSON(ba[:0], &a[i])) != string(trace.AppendJSON(bb[:0], &b[i])) {
			return false
		}
	}
	return true
}
