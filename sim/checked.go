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
	var o TrialOutcome
	w.runOne(seed, trial, t, &o.Result)
	w.setChecks(&pcfg)
	w.mon.SetPrefix(nil) // see checkFromOpening
	w.monGen = 0
	w.checkOne(&o, seed, trial, t, w.Recs, true)
	return o
}

// setChecks makes *pcfg the parameters of the World's Monitor, which
// check uses: once per RunChecked or RunCheckedRange, not per trace
// (parameters the same as the Monitor's keep its state:
// properties.Monitor.SetConfig).
func (w *World) setChecks(pcfg *properties.Config) {
	if w.mon == nil {
		w.mon = properties.NewMonitor(*pcfg)
	} else {
		w.mon.SetConfig(pcfg)
	}
}

// checkFromOpening gives the World's Monitor its opening's records as its
// prefix (properties.Monitor.SetPrefix), once the opening is recorded:
// every trial Run restores begins with them, so the checkers resume its
// trace from the state they leave instead of observing them again (a
// trace that does not begin with them is checked from the start, with
// the same verdict). SetPrefix keeps that state while they are the same,
// and so does setChecks while the parameters are (SetConfig compares
// them: a caller such as sim run passes one Config to every
// RunCheckedRange), with the traces found passing. check tells
// the Monitor which traces begin with them (CheckBegun, no comparison):
// those Run restored from the opening at the gen given (monGen; a trial
// appends records after the opening's, never writes over them).
// RunChecked checks one trial per setChecks, so it gives no prefix
// (observing the opening and restoring its state would cost more than
// observing it).
func (w *World) checkFromOpening() {
	if o := &w.op; o.state == openReady && len(o.recs) > 0 {
		w.mon.SetPrefix(o.recs)
		w.monGen = o.gen
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
// branch history, which cost a fifth of a checked trial. A batch's runs
// share one deferred recover, and so do its checks (runBatch,
// checkBatched), not one each per trial.
func (w *World) RunCheckedRange(seed uint64, from, to int, pcfg properties.Config, out []TrialOutcome) int {
	n := 0
	w.setChecks(&pcfg)
	for from < to {
		k := min(to-from, checkBatch)
		for len(w.ran.batch) < k {
			w.ran.batch = append(w.ran.batch, ranTrial{})
		}
		ran := w.runBatch(seed, from, k, out[n:n+k])
		w.checkFromOpening()
		if ran == 0 { // a big trial: checked alone in the World's buffer
			w.checkOne(&out[n], seed, from, &w.ran.batch[0], w.Recs, true)
			n++
			from++
			if out[n-1].Err != nil {
				return n
			}
			continue
		}
		c, stop := w.checkBatched(seed, from, ran, out[n:])
		n += c
		if stop {
			return n
		}
		from += ran
	}
	return n
}

// runBatch runs trials from to at most from+k-1 into w.ran.batch[:k],
// each keeping its trace, their results into out[:k]'s, and returns how
// many it ran: fewer than k after a trial with an Err (the last it ran)
// or once the traces kept reach checkBatchRecs records; 0 when the first
// trial's trace alone reaches them (it stays in w.Recs).
func (w *World) runBatch(seed uint64, from, k int, out []TrialOutcome) (ran int) {
	defer func() {
		if r := recover(); r != nil {
			w.ran.batch[ran].panicked(w, from+ran, r, &out[ran].Result)
			ran++
		}
	}()
	batch, res := w.ran.batch[:k], out[:k]
	for kept := 0; ran < k && kept < checkBatchRecs; ran++ {
		t := &batch[ran]
		w.run(seed, from+ran)
		res[ran].Result = w.res
		w.took(t)
		if t.err != nil {
			return ran + 1
		}
		if ran == 0 && len(w.Recs) >= checkBatchRecs {
			return 0 // a big trial: checked alone (RunCheckedRange)
		}
		t.recs, w.Recs = w.Recs, t.recs[:0] // t takes the trace, the World t's old buffer: no copy
		t.recsGen, w.recsGen = w.recsGen, t.recsGen
		kept += len(t.recs)
	}
	return ran
}

// checkBatched checks the ran trials of w.ran.batch (trials from on) into
// out[:ran], whose results runBatch wrote; it returns how many outcomes
// it filled and whether the last has an Err (then it stopped there).
func (w *World) checkBatched(seed uint64, from, ran int, out []TrialOutcome) (n int, stop bool) {
	defer func() {
		if r := recover(); r != nil {
			w.checkPanicked(&out[n], from+n, r)
			n, stop = n+1, true
		}
	}()
	batch, res := w.ran.batch[:ran], out[:ran]
	for ; n < ran; n++ {
		t, o := &batch[n], &res[n]
		if w.plain(t, from+n) { // check's work, on its common path
			verdict(o, w.mon.CheckBegun(t.recs))
			continue
		}
		w.check(o, seed, from+n, t, t.recs, false)
		if o.Err != nil {
			return n + 1, true
		}
	}
	return n, false
}

// ranTrial is a trial run and not checked yet (its Result is in its
// outcome already: runOne's and runBatch's callers give them).
type ranTrial struct {
	err     error          // the run's *BudgetError or *PanicError (then check reads nothing else)
	recs    []trace.Record // its trace (RunCheckedRange's)
	offline properties.Violation
	hasOff  bool // offline is P8's violation (World.offlineViolation)
	// began: recs begins with the World's opening as it was at its gen
	// began (opening.began); 0: it was not restored.
	began uint64
	// recsGen is recs's array's claim (World.recsGen), swapped with recs.
	recsGen uint64
}

// ranTrials is the World's memory of trials run and not checked yet.
type ranTrials struct {
	one   ranTrial   // RunChecked's
	batch []ranTrial // RunCheckedRange's
	// first is a copy of a trial's trace, to compare with its replay
	// (P11), when the trace is the World's own.
	first []trace.Record
	// replaying: check is running a trial again (P11), so a panic's
	// result is the World's, not the trial's first run's.
	replaying bool
	// replays counts them (the tests' witness).
	replays int
}

// runOne runs trial into t and *res, its trace in w.Recs; a panic
// becomes t's Err.
func (w *World) runOne(seed uint64, trial int, t *ranTrial, res *Result) {
	defer func() {
		if r := recover(); r != nil {
			t.panicked(w, trial, r, res)
		}
	}()
	w.run(seed, trial)
	*res = w.res
	w.took(t)
}

// took keeps in t what check needs of the trial the World just ran
// (run), but for its trace and result, which its caller keeps. A panic
// of the run is its caller's to turn into t's Err (panicked).
func (w *World) took(t *ranTrial) {
	t.began, t.err, t.hasOff = w.op.began, nil, false
	if w.overBudget || w.res.Offline { // rare
		w.ranRare(t)
	}
}

// ranRare is took's work for the rare trial over the work budget (its
// Err) or that ended offline (quirk ignore-timeout: P8's violation).
func (w *World) ranRare(t *ranTrial) {
	if t.err = w.Err(); t.err != nil {
		return
	}
	t.offline, t.hasOff = w.offlineViolation()
}

// panicked makes r, the panic of trial's run, t's Err, and the World's
// result so far *res.
func (t *ranTrial) panicked(w *World, trial int, r any, res *Result) {
	*res, t.err = w.res, &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}
	w.done = true
}

// checkOne is check with its own recover, for a trial checked alone.
func (w *World) checkOne(o *TrialOutcome, seed uint64, trial int, t *ranTrial, recs []trace.Record, own bool) {
	defer func() {
		if r := recover(); r != nil {
			w.checkPanicked(o, trial, r)
		}
	}()
	w.check(o, seed, trial, t, recs, own)
}

// checkPanicked makes r, the panic of trial's check (or of its replay),
// the outcome *o: with its run's result, which *o holds, or the replay's.
func (w *World) checkPanicked(o *TrialOutcome, trial int, r any) {
	if w.ran.replaying {
		o.Result = w.res
	}
	w.ran.replaying = false
	o.NViolations, o.Violations, o.Err = 0, nil, &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}
	w.done = true
}

// check checks trial t's trace recs (own: the World's w.Recs) with the
// World's Monitor (setChecks; CheckBegun if Run restored it from the
// prefix the Monitor has, checkFromOpening) and replays every determinismEvery-th trial
// to compare (P11), into *o, whose Result the trial's run wrote (the rest
// is written in place: an outcome is 150 bytes). It does not recover:
// its caller turns a panic into *o (checkPanicked).
func (w *World) check(o *TrialOutcome, seed uint64, trial int, t *ranTrial, recs []trace.Record, own bool) {
	o.NViolations, o.Violations, o.Err = 0, nil, t.err
	if t.err != nil {
		return
	}
	var vs []properties.Violation
	if w.begun(t) {
		vs = w.mon.CheckBegun(recs)
	} else {
		vs = w.mon.Check(recs)
	}
	if t.hasOff || replayed(trial) {
		vs = w.checkMore(vs, seed, trial, t, recs, own)
	}
	verdict(o, vs)
}

// plain reports whether check has nothing to do for trial t (number
// trial) but CheckBegun of its trace: no Err, restored from the opening
// the Monitor has as its prefix, no offline violation, no replay.
func (w *World) plain(t *ranTrial, trial int) bool {
	return t.err == nil && w.begun(t) && !t.hasOff && !replayed(trial)
}

// begun reports whether trial t's trace begins with the World's Monitor's
// prefix: Run restored it from the opening the Monitor has (monGen).
func (w *World) begun(t *ranTrial) bool { return t.began != 0 && t.began == w.monGen }

// replayed reports whether trial (>= 0) is one check runs again (P11).
func replayed(trial int) bool { return uint(trial)%determinismEvery == 0 }

// verdict writes vs, the violations of a trial with no Err, into *o.
func verdict(o *TrialOutcome, vs []properties.Violation) {
	o.NViolations, o.Violations, o.Err = len(vs), nil, nil
	if len(vs) > 0 {
		o.Violations = append([]properties.Violation(nil), vs[:min(len(vs), MaxViolationsKept)]...)
	}
}

// checkMore is check's work on the few trials that have more to check
// than their trace: P8's offline violation (t.hasOff), and the replay of
// every determinismEvery-th trial, compared with recs (P11). It returns
// vs with their violations.
func (w *World) checkMore(vs []properties.Violation, seed uint64, trial int, t *ranTrial, recs []trace.Record, own bool) []properties.Violation {
	if t.hasOff {
		vs = append(vs, t.offline)
	}
	if replayed(trial) {
		first := recs
		if own {
			w.ran.first = append(w.ran.first[:0], recs...)
			first = w.ran.first
		}
		w.ran.replaying = true
		w.ran.replays++
		w.run(seed, trial)
		w.ran.replaying = false
		if !sameTrace(first, w.Recs) {
			vs = append(vs, properties.Violation{Property: "P11", Index: -1, Msg: "the same trial run twice gave different traces"})
		}
	}
	return vs
}

// sameTrace reports whether two traces are the same: the same records, or
// records whose JSON Lines encodings are the same (what trace.Digest
// compares, with no chance of a collision). Equal bytes are the same
// records (trace.Bytes), compared at once.
func sameTrace(a, b []trace.Record) bool {
	if len(a) != len(b) {
		return false
	}
	if trace.Bytes(a) == trace.Bytes(b) {
		return true
	}
	var ba, bb [512]byte
	for i := range a {
		if a[i] != b[i] && string(trace.AppendJSON(ba[:0], &a[i])) != string(trace.AppendJSON(bb[:0], &b[i])) {
			return false
		}
	}
	return true
}
