package sim

import (
	"os"
	"path/filepath"
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
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		file, sc, err := model.ParseFile("fuzz.yaml", []byte(in))
		if err != nil {
			return
		}
		p := model.DefaultParams()
		if err := file.Params.Apply(&p); err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			return
		}
		p.MaxEvents = min(p.MaxEvents, 20_000)
		w := NewWorld(p, sc)
		w.Run(7, 3) // a panic fails the fuzz run
		if w.Err() != nil {
			return // over the budget: stopped, as it must
		}
		properties.Check(properties.Config{Policy: p.Client.Backoff(), DBOpen: p.Client.DBOpen}, w.Recs)
	})
}
