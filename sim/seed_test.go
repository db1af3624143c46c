package sim

import (
	"reflect"
	"slices"
	"testing"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
)

// TestWorldSeedChange: a World mixes a run's seed once (netmodel.RunSeed)
// and again whenever the seed changes, so a trial run after trials of
// another seed is the trial a new World runs.
func TestWorldSeedChange(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	sc := model.DefaultScenario()
	type trial struct {
		res  Result
		recs []trace.Record
	}
	run := func(w *World, seed uint64, i int) trial {
		r := w.Run(seed, i)
		return trial{r, slices.Clone(w.Recs)}
	}
	w := NewWorld(p, sc)
	differ := false
	for _, seed := range []uint64{1, 2, 2, 1, 3} {
		for i := range 4 {
			got, want := run(w, seed, i), run(NewWorld(p, sc), seed, i)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d trial %d after other seeds: %+v, a new World: %+v", seed, i, got.res, want.res)
			}
			differ = differ || !reflect.DeepEqual(got, run(NewWorld(p, sc), seed+1, i))
		}
	}
	if !differ {
		t.Fatal("every seed ran the same trials: the test tells no seed from another")
	}
}
