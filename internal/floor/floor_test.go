package floor

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestTrialRunsEveryEvent: a trial runs every event it queued.
func TestTrialRunsEveryEvent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Heap
	for range 100 {
		last := Trial(&h, rng)
		if last <= 0 || len(h) != 0 {
			t.Fatalf("last event at %v, %d left queued", last, len(h))
		}
	}
}

// TestHeapPopsInOrder: the hand-sifted heap pops events in time order.
func TestHeapPopsInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var h Heap
	for i := range 1000 {
		h.push(Event{At: time.Duration(rng.Int64N(100)), Seq: uint64(i)})
	}
	prev := h.pop()
	for len(h) > 0 {
		e := h.pop()
		if e.At < prev.At || e.At == prev.At && e.Seq < prev.Seq {
			t.Fatalf("%v popped after %v", e, prev)
		}
		prev = e
	}
}

// TestDecode: the floor decoder reads the fields of the lines sim trace
// writes (the floor must do the work it stands for).
func TestDecode(t *testing.T) {
	data := []byte(`{"t":5.05,"kind":"attempt","dev":7,"n":2,"phase":"start","reason":"schedule","streak":1,"auto":true,"seq":2}` + "\n\n" +
		`{"t":0,"kind":"status","dev":0,"status":"CONNECTING","value":1,"from":"UNCONNECTED","from_value":2,"listeners":-1}` + "\n")
	var got []Fields
	n := Decode(data, func(f *Fields) { got = append(got, *f) })
	if n != 2 || len(got) != 2 {
		t.Fatalf("%d records", n)
	}
	a, s := got[0], got[1]
	if a.T != int64(5050*time.Millisecond) || string(a.Kind) != "attempt" || a.Dev != 7 || a.N != 2 || string(a.Phase) != "start" ||
		string(a.Reason) != "schedule" || a.Streak != 1 || !a.Auto || a.Seq != 2 {
		t.Errorf("attempt: %+v", a)
	}
	if s.T != 0 || string(s.Status) != "CONNECTING" || string(s.From) != "UNCONNECTED" || s.Listeners != -1 {
		t.Errorf("status: %+v", s)
	}
}
