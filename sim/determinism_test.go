package sim

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
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
		e := q.pop()
		if e.at < last.at || (e.at == last.at && e.idx < last.idx) {
			t.Fatalf("popped %v/%d after %v/%d", e.at, e.idx, last.at, last.idx)
		}
		last = e
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
	b[len(b)-1].Timer = "x" // an end record writes no timer
	if !sameTrace(a, b) {
		t.Error("records with the same JSON encoding differ")
	}
	b[1].T++
	if sameTrace(a, b) {
		t.Error("records at different times are the same")
	}
	if sameTrace(a, a[:len(a)-1]) {
		t.Error("a trace and its prefix are the same")
	}
}
