package sim

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
)

// FuzzScenarioYAML: no scenario file makes the simulator panic. Each input
// is parsed as a scenario file; an accepted one (file and params valid)
// runs one trial, bounded by a work budget of 20,000 events (the budget is
// what stops a runaway trial), and its trace is checked against every
// property. Bad input must be an error, never a panic; a trial may run out
// of its budget, but never panic or loop. The seeds are every scenario of
// the transcripts (sim/testdata/scenarios) and of the hostile corpus.
func FuzzScenarioYAML(f *testing.F) {
	addScenarioSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		p, sc, ok := fuzzScenario(in)
		if !ok {
			return
		}
		w := NewWorld(p, sc)
		w.Run(7, 3) // a panic fails the fuzz run
		if w.Err() != nil {
			return // over the budget: stopped, as it must
		}
		properties.Check(properties.Config{Policy: p.Client.Backoff(), DBOpen: p.Client.DBOpen}, w.Recs)
	})
}

// FuzzOpeningSameTrace is TestOpeningSameTrace on FuzzScenarioYAML's
// inputs: trials 3 to 6 Run on one World (the first records the opening,
// the second goes on into the Connect, the others restore) have the
// traces, results and event counts of the same trials run with Begin and
// Step.
func FuzzOpeningSameTrace(f *testing.F) {
	addScenarioSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		p, sc, ok := fuzzScenario(in)
		if !ok {
			return
		}
		run, stepped := NewWorld(p, sc), NewWorld(p, sc)
		for k := 3; k < 7; k++ {
			res := run.Run(7, k)
			stepped.Begin(7, k)
			for stepped.Step() {
			}
			if !slices.Equal(run.Recs, stepped.Recs) || !reflect.DeepEqual(res, stepped.Result()) || run.Events() != stepped.Events() || (run.Err() == nil) != (stepped.Err() == nil) {
				t.Fatalf("trial %d: Run and Begin/Step differ:\n%v\n%v", k, run.Recs, stepped.Recs)
			}
		}
	})
}

// fuzzScenario parses in as a scenario file onto DefaultParams, with a
// work budget of at most 20,000 events (what stops a runaway trial); ok
// is false for input the simulator refuses.
func fuzzScenario(in string) (p model.Params, sc model.Scenario, ok bool) {
	if len(in) > 1<<16 {
		return p, sc, false
	}
	file, sc, err := model.ParseFile("fuzz.yaml", []byte(in))
	if err != nil {
		return p, sc, false
	}
	p = model.DefaultParams()
	if err := file.Params.Apply(&p); err != nil {
		return p, sc, false
	}
	if err := p.Validate(); err != nil {
		return p, sc, false
	}
	p.MaxEvents = min(p.MaxEvents, 20_000)
	return p, sc, true
}

// addScenarioSeeds seeds f with every scenario of the transcripts
// (sim/testdata/scenarios) and of the hostile corpus, and two more.
func addScenarioSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "scenarios", "*.txt"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, block := range strings.Split(string(b), "\nrun\n")[1:] {
			if yml, _, ok := strings.Cut(block, "\n----\n"); ok {
				f.Add(yml)
			}
		}
	}
	hostile, _ := filepath.Glob(filepath.Join("..", "cmd", "sim", "testdata", "hostile", "*.yaml"))
	for _, name := range hostile {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("devices: [{user: 0}, {user: 1, platform: web}]\nscript:\n  - {at: 0s, do: init}\n  - {at: 0s, do: connect}\n  - {at: 1s, dev: 1, do: init}\n  - {at: 1s, dev: 1, do: connect}\n")
	f.Add("params: {loss: 0.5, time_limit: 0, hb_interval: 1ms}\n")
}
