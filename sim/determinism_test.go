package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

func lossyParams() model.Params {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	p.Net.Jitter = 30 * time.Millisecond
	p.TimeLimit = 0
	return p
}

// A trial's trace depends only on (seed, trial): a fresh World and a World
// that ran other trials before give the same bytes, which is what lets
// `sim trace --trial K` replay trial K of a run.
func TestTrialIndependentOfHistory(t *testing.T) {
	p := lossyParams()
	p.Detail = true
	reused := NewWorld(p, model.DefaultScenario())
	for k := range 200 {
		reused.Run(3, k)
		got := trace.Digest(reused.Recs)
		fresh := NewWorld(p, model.DefaultScenario())
		fresh.Run(3, k)
		if want := trace.Digest(fresh.Recs); got != want {
			t.Fatalf("trial %d: reused world digest %x, fresh %x", k, got, want)
		}
	}
}

// Detail records change nothing in the simulated path: the trace without
// detail is the trace with detail minus the detail records.
func TestDetailDoesNotChangeTheTrial(t *testing.T) {
	p := lossyParams()
	plain := NewWorld(p, model.DefaultScenario())
	p.Detail = true
	detailed := NewWorld(p, model.DefaultScenario())
	for k := range 200 {
		plain.Run(1, k)
		detailed.Run(1, k)
		var filtered []trace.Record
		for _, r := range detailed.Recs {
			if !r.Kind.Detail() {
				filtered = append(filtered, r)
			}
		}
		if !reflect.DeepEqual(filtered, plain.Recs) {
			t.Fatalf("trial %d: detail changed the trial", k)
		}
	}
}

// Same-time events run in the order they were scheduled.
func TestQueueTiesInScheduleOrder(t *testing.T) {
	var q queue
	for i := range 50 {
		q.push(event{at: time.Duration(i%3) * time.Second, idx: int32(i)})
	}
	last := event{at: -1}
	for q.len() > 0 {
		e := *q.pop()
		if e.at < last.at || (e.at == last.at && e.idx < last.idx) {
			t.Fatalf("popped %v/%d after %v/%d", e.at, e.idx, last.at, last.idx)
		}
		last = e
	}
}

// TestQueueOrder: the queue, small or a heap, pops in (time, push order)
// whatever the pushes and pops interleaved, and a copy pops the same.
func TestQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var q, c queue
	for round := range 200 {
		q.reset()
		var want []event // queued, in push order
		pushed := int32(0)
		for range 1 + round%40 {
			if len(want) > 0 && rng.IntN(3) == 0 {
				m := 0
				for i := range want {
					if want[i].at < want[m].at {
						m = i
					}
				}
				if e := *q.pop(); e.at != want[m].at || e.idx != want[m].idx {
					t.Fatalf("round %d: popped %v/%d, want %v/%d", round, e.at, e.idx, want[m].at, want[m].idx)
				}
				want = slices.Delete(want, m, m+1)
				continue
			}
			e := event{at: time.Duration(rng.IntN(1 + round%12)), idx: pushed}
			pushed++
			q.push(e)
			want = append(want, e)
			if q.len() != len(want) {
				t.Fatalf("round %d: %d queued, want %d", round, q.len(), len(want))
			}
		}
		slices.SortStableFunc(want, func(a, b event) int { return cmp.Compare(a.at, b.at) })
		c.copyFrom(&q)
		for _, q := range []*queue{&c, &q} {
			for i := range want {
				e := *q.pop()
				if e.at != want[i].at || e.idx != want[i].idx {
					t.Fatalf("round %d: popped %v/%d, want %v/%d", round, e.at, e.idx, want[i].at, want[i].idx)
				}
			}
		}
	}
}

// TestSameTrace: RunChecked's P11 compares a replayed trial's records with
// the first run's; records that differ only where their JSON Lines
// encodings agree (what trace.Digest compared before) are the same.
func TestSameTrace(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	w := NewWorld(p, model.DefaultScenario())
	w.Run(1, 3)
	a := slices.Clone(w.Recs)
	w.Run(1, 3)
	if !sameTrace(a, w.Recs) {
		t.Fatal("a trial and its replay differ")
	}
	b := slices.Clone(a)
	b[len(b)-1].Timer = vocab.TimerRetry // an end record writes no timer
	if !sameTrace(a, b) {
		t.Error("records with the same JSON encoding differ")
	}
	for _, i := range []int{0, 1, len(a) - 1} { // the first bytes, and the last record
		b := slices.Clone(a)
		b[i].T++
		if sameTrace(a, b) {
			t.Errorf("records at different times (record %d) are the same", i)
		}
	}
	if sameTrace(a, a[:len(a)-1]) {
		t.Error("a trace and its prefix are the same")
	}
}

// TestCheckedReplays: RunCheckedRange and RunChecked replay every
// determinismEvery-th trial to compare its trace (P11), and no other:
// trials 0 to 249 in chunks of 64, as sim run checks them (their common
// path, World.plain, leaves the replay to check), then 300 and 301 alone.
func TestCheckedReplays(t *testing.T) {
	w, pcfg := checkedWorld()
	outs := make([]TrialOutcome, 64)
	for from := 0; from < 250; from += len(outs) {
		to := min(from+len(outs), 250)
		if n := w.RunCheckedRange(1, from, to, pcfg, outs); n != to-from {
			t.Fatalf("trials %d to %d: %d outcomes", from, to-1, n)
		}
	}
	if w.ran.replays != 3 {
		t.Errorf("trials 0 to 249: %d replayed, want 3 (0, 100, 200)", w.ran.replays)
	}
	w.RunChecked(1, 300, pcfg)
	w.RunChecked(1, 301, pcfg)
	if w.ran.replays != 4 {
		t.Errorf("then trials 300 and 301: %d replayed in all, want 4", w.ran.replays)
	}
}

// TestRunCheckedRangeIsRunChecked: RunCheckedRange's outcomes are
// RunChecked's, trial for trial, with violations (the ignore-timeout
// quirk's P8), over the work budget, and with a panicking trial, where it
// stops after the first outcome with an error; and with batches bounded
// by their records (checkBatchRecs): every trial checked alone in the
// World's buffer (1 record), or a few per batch (50).
func TestRunCheckedRangeIsRunChecked(t *testing.T) {
	quirky := model.DefaultParams()
	quirky.Net.Loss = 0.3
	quirky.Client.Quirks |= fsm.QuirkIgnoreTimeout
	quirky.Horizon = 20 * time.Second
	tight := model.DefaultParams()
	tight.Net.Loss = 0.3
	tight.MaxEvents = 8
	lossy := model.DefaultParams()
	lossy.Net.Loss, lossy.TimeLimit = 0.3, 0 // until success: attempts time out, counted failures (P6)
	cases := []struct {
		name  string
		p     model.Params
		panic int
		recs  int // checkBatchRecs; 0: as it is
	}{{"default", model.DefaultParams(), -1, 0}, {"ignore-timeout", quirky, -1, 0}, {"budget", tight, -1, 0}, {"panic", model.DefaultParams(), 150, 0},
		{"alone", quirky, -1, 1}, {"alone-panic", model.DefaultParams(), 150, 1}, {"few", quirky, -1, 50}, {"few-budget", tight, -1, 50},
		{"check-panic", lossy, -1, 0}, {"alone-check-panic", lossy, -1, 1}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.panic >= 0 {
				defer PanicTrialForTest(c.panic)()
			}
			if c.recs > 0 {
				old := checkBatchRecs
				checkBatchRecs = c.recs
				defer func() { checkBatchRecs = old }()
			}
			sc := model.DefaultScenario()
			pcfg := properties.ConfigFor(c.p, sc)
			checkPanic := strings.HasSuffix(c.name, "check-panic")
			left := new(int)
			if checkPanic { // the checkers panic at a counted failure, some trials on
				pcfg.Policy = panicPolicy{pcfg.Policy, left}
			}
			*left = 20
			const from, to = 100, 300
			outs := make([]TrialOutcome, to-from)
			n := NewWorld(c.p, sc).RunCheckedRange(1, from, to, pcfg, outs)
			one := NewWorld(c.p, sc)
			*left = 20
			violations := 0
			for k := range n {
				want := one.RunChecked(1, from+k, pcfg)
				got := outs[k]
				if we, ge := want.Err, got.Err; we != nil || ge != nil {
					if we == nil || ge == nil || we.Error() != ge.Error() {
						t.Fatalf("trial %d: error %v, RunChecked's %v", from+k, ge, we)
					}
					want.Err, got.Err = nil, nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("trial %d: %+v, RunChecked's %+v", from+k, got, want)
				}
				violations += got.NViolations
			}
			t.Logf("%d outcomes, %d violations", n, violations)
			last := outs[n-1].Err
			switch {
			case checkPanic && (n < 2 || n == to-from || !strings.Contains(fmt.Sprint(last), "panicked: the checkers' policy panics")):
				t.Errorf("%d outcomes, the last with error %v; want the checkers' panic", n, last)
			case c.panic >= 0 && (n != c.panic-from+1 || last == nil):
				t.Errorf("%d outcomes, the last with error %v; want %d, the panic", n, last, c.panic-from+1)
			case strings.HasSuffix(c.name, "budget") && (n == to-from || last == nil):
				t.Errorf("%d outcomes, none over the budget", n)
			case c.panic < 0 && !checkPanic && !strings.HasSuffix(c.name, "budget") && n != to-from:
				t.Errorf("%d outcomes, want %d", n, to-from)
			case c.p.Client.Quirks != 0 && violations == 0:
				t.Error("no violation to compare")
			}
		})
	}
}

// panicPolicy is a policy whose bounds panic once asked *left times: the
// checkers (P6) ask them at a counted failure, the trial does not (it has
// its own).
type panicPolicy struct {
	fsm.Policy
	left *int
}

func (p panicPolicy) Bounds(k int) (time.Duration, time.Duration) {
	if *p.left--; *p.left < 0 {
		panic("the checkers' policy panics")
	}
	return p.Policy.Bounds(k)
}
