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
func (w *World) RunChecked(seed uint64, trial int, pcfg properties.Config) TrialOutcome {
	t := &w.ran.one
	w.runOne(seed, trial, t)
	var o TrialOutcome
	w.setChecks(&pcfg)
	w.check(&o, seed, trial, t, w.Recs, true)
	return o
}

// setChecks makes *pcfg the parameters of the World's Monitor, which
// check uses: once per RunChecked or RunCheckedRange, not per trace.
func (w *World) setChecks(pcfg *properties.Config) {
	if w.mon == nil {
		w.mon = properties.NewMonitor(*pcfg)
	} else {
		w.mon.SetConfig(pcfg)
	}
}

// checkBatch bounds the trials RunCheckedRange runs before it checks them
// (their traces, 11 records of 88 B on average, about 1 KB each and 62 KB
// a batch, stay in the second-level cache): 64, a chunk of `sim run`
// (which a larger batch never fills), measured as fast as 32 and 6%
// faster than 16 (BenchmarkTrialChecked, turn about, at f234120).
const checkBatch = 64

// checkBatchRecs bounds the records of the traces a batch keeps: a batch
// ends with the trial that reaches it, and a trial whose trace alone
// reaches it is checked in the World's buffer as RunChecked checks it. A
// scenario of a thousand devices (about 30 MB of trace per trial) then
// holds one trace, not checkBatch (TestDeviceMemoryFigures). Default
// trials (11 records on average: 64 of them about 700) do
// not reach it. A variable for tests.
var checkBatchRecs = 1 << 12

// RunCheckedRange is RunChecked of trials from to to-1, in order, into
// out[:to-from]; it returns how many outcomes it filled, stopping after
// the first with an Err. The outcomes are RunChecked's, field for field.
// It runs up to checkBatch trials, keeping their traces, and then checks
// them: a trial and its check, alternated, evict each other's code and
// branch history, which cost a fifth of a checked trial.
func (w *World) RunCheckedRange(seed uint64, from, to int, pcfg properties.Config, out []TrialOutcome) int {
	n := 0
	w.setChecks(&pcfg)
	for from < to {
		k := min(to-from, checkBatch)
		for len(w.ran.batch) < k {
			w.ran.batch = append(w.ran.batch, ranTrial{})
		}
		ran, kept := 0, 0
		for ran < k && kept < checkBatchRecs {
			t := &w.ran.batch[ran]
			w.runOne(seed, from+ran, t)
			if t.err == nil && ran == 0 && len(w.Recs) >= checkBatchRecs {
				break // a big trial: checked alone, below
			}
			if t.err == nil { // t takes the trace, the World t's old buffer: no copy
				t.recs, w.Recs = w.Recs, t.recs[:0]
				kept += len(t.recs)
			}
			ran++
			if t.err != nil {
				break
			}
		}
		if ran == 0 {
			w.check(&out[n], seed, from, &w.ran.batch[0], w.Recs, true)
			n++
			from++
			if out[n-1].Err != nil {
				return n
			}
			continue
		}
		for j := range ran {
			t := &w.ran.batch[j]
			w.check(&out[n], seed, from+j, t, t.recs, false)
			n++
			if out[n-1].Err != nil {
				return n
			}
		}
		from += ran
	}
	return n
}

// ranTrial is a trial run and not checked yet.
type ranTrial struct {
	res     Result
	err     error          // the run's *BudgetError or *PanicError
	recs    []trace.Record // its trace (RunCheckedRange's)
	offline properties.Violation
	hasOff  bool // offline is P8's violation (World.offlineViolation)
}

// ranTrials is the World's memory of trials run and not checked yet.
type ranTrials struct {
	one   ranTrial   // RunChecked's
	batch []ranTrial // RunCheckedRange's
	// first is a copy of a trial's trace, to compare with its replay
	// (P11), when the trace is the World's own.
	first []trace.Record
}

// runOne runs trial into t, its trace in w.Recs.
func (w *World) runOne(seed uint64, trial int, t *ranTrial) {
	defer func() {
		if r := recover(); r != nil {
			t.res, t.err = w.res, &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}
			w.done = true
		}
	}()
	t.err, t.hasOff = nil, false
	t.res = w.Run(seed, trial)
	if t.err = w.Err(); t.err != nil {
		return
	}
	if w.res.Offline { // rare (quirk ignore-timeout): skip the call and its 80-byte result
		t.offline, t.hasOff = w.offlineViolation()
	}
}

// check checks trial t's trace recs (own: the World's w.Recs) with the
// World's Monitor (setChecks) and replays every determinismEvery-th trial
// to compare (P11), into *o (written in place: an outcome is 150 bytes).
func (w *World) check(o *TrialOutcome, seed uint64, trial int, t *ranTrial, recs []trace.Record, own bool) {
	replaying := false
	defer func() {
		if r := recover(); r != nil {
			res := t.res
			if replaying {
				res = w.res
			}
			*o = TrialOutcome{Result: res, Err: &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}}
			w.done = true
		}
	}()
	*o = TrialOutcome{}
	o.Result = t.res
	if t.err != nil {
		o.Err = t.err
		return
	}
	vs := w.mon.Check(recs)
	if t.hasOff {
		vs = append(vs, t.offline)
	}
	if trial%determinismEvery == 0 {
		first := recs
		if own {
			w.ran.first = append(w.ran.first[:0], recs...)
			first = w.ran.first
		}
		replaying = true
		w.Run(seed, trial)
		replaying = false
		if !sameTrace(first, w.Recs) {
			vs = append(vs, properties.Violation{Property: "P11", Index: -1, Msg: "the same trial run twice gave different traces"})
		}
	}
	o.NViolations = len(vs)
	if len(vs) > 0 {
		o.Violations = append([]properties.Violation(nil), vs[:min(len(vs), MaxViolationsKept)]...)
	}
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
