package properties

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rcsim/connsim/trace"
)

// An idTable keeps ids below maxDirect in its slice and the others in its
// map, unless reserved: a trace's own ids, however large, never make the
// slice longer than maxDirect; reserved ids beyond it are in the slice;
// reset forgets the reservation.
func TestIdTableReserve(t *testing.T) {
	var tb idTable
	for _, id := range []int32{math.MaxInt32, maxDirect, maxDirect + 5} {
		tb.set(id, 7)
		if tb.get(id) != 7 || len(tb.direct) != 0 || len(tb.big) == 0 {
			t.Fatalf("unreserved id %d: get %d, %d direct, %d in the map", id, tb.get(id), len(tb.direct), len(tb.big))
		}
	}
	tb.reset()
	tb.reserve(maxDirect + 10)
	tb.set(maxDirect+9, 3)
	if tb.get(maxDirect+9) != 3 || len(tb.big) != 0 || tb.get(maxDirect+8) != 0 {
		t.Fatalf("reserved id: get %d, %d in the map", tb.get(maxDirect+9), len(tb.big))
	}
	tb.set(maxDirect+10, 4)
	if tb.get(maxDirect+10) != 4 || len(tb.big) != 1 || len(tb.direct) != maxDirect+10 {
		t.Fatalf("id past the reserved: get %d, %d in the map, %d direct", tb.get(maxDirect+10), len(tb.big), len(tb.direct))
	}
	tb.reset()
	tb.set(maxDirect+9, 5)
	if tb.get(maxDirect+9) != 5 || len(tb.big) != 1 || len(tb.direct) != 0 {
		t.Fatalf("after reset: get %d, %d in the map, %d direct", tb.get(maxDirect+9), len(tb.big), len(tb.direct))
	}
}

// A monitor reserved for devices, calls and users above maxDirect checks
// a trace of such ids as a monitor that was not reserved does, and finds
// them all without its maps. (Only the order of equal reports may differ:
// the end-of-trace checks visit the devices in slot order, which Reserve
// makes the order of their ids; so the verdicts are compared sorted.)
func TestReserveAboveMaxDirect(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("a reserved monitor of a million devices")
	}
	const base = maxDirect + 3
	shift := func(recs []trace.Record) []trace.Record {
		out := slices.Clone(recs)
		for i := range out {
			r := &out[i]
			if r.Dev >= 0 {
				r.Dev += base
			}
			if r.Call > 0 {
				r.Call += base
			}
			if r.User >= 0 {
				r.User += base
			}
		}
		return out
	}
	sorted := func(vs []Violation) []Violation {
		return slices.SortedStableFunc(slices.Values(vs), func(a, b Violation) int {
			if a.String() < b.String() {
				return -1
			}
			if a.String() > b.String() {
				return 1
			}
			return 0
		})
	}
	rng := rand.New(rand.NewPCG(5, 6))
	reserved, fresh := NewMonitor(DefaultConfig()), NewMonitor(DefaultConfig())
	n, reports, mapped, unordered := 0, 0, 0, 0
	for _, b := range baseTraces(t) {
		for k := range 2 {
			recs := b
			if k > 0 {
				recs = mutate(rng, b, 1+rng.IntN(3))
			}
			recs = shift(recs)
			reserved.Reset()
			fresh.Reset()
			reserved.Reserve(base+64, base+64)
			for i := range recs {
				reserved.Observe(&recs[i])
				fresh.Observe(&recs[i])
			}
			if len(reserved.devIdx.big)+len(reserved.callIdx.big)+len(reserved.msg.lastOpen.big) != 0 {
				t.Fatalf("trace %d: the reserved monitor used its maps: %d devices, %d calls, %d users",
					n, len(reserved.devIdx.big), len(reserved.callIdx.big), len(reserved.msg.lastOpen.big))
			}
			if len(fresh.devIdx.direct) > maxDirect || len(fresh.callIdx.direct) > maxDirect || len(fresh.sessions.direct) > maxDirect {
				t.Fatalf("trace %d: a trace's ids grew an unreserved monitor's slices past maxDirect", n)
			}
			mapped += len(fresh.devIdx.big)
			got, want := reserved.Finish(), fresh.Finish()
			if !slices.Equal(got, want) {
				unordered++
			}
			if d := sameVerdict(sorted(got), sorted(want)); d != "" {
				t.Fatalf("trace %d: reserved and fresh monitors differ:\n%s", n, d)
			}
			n++
			reports += len(got)
		}
	}
	if reports == 0 || mapped == 0 {
		t.Fatalf("%d traces: %d reports, %d devices mapped by the fresh monitor: the test checks nothing", n, reports, mapped)
	}
	t.Logf("%d traces, %d reports; %d verdicts in another order", n, reports, unordered)
}
