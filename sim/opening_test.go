package sim

import (
	"reflect"
	"slices"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/rcsim/connsim/model"
)

// TestOpeningSameTrace: a trial Run restores from the World's opening
// (opening.go), on a server Run copies from the template only after a
// trial used it (World.srvUsed), has the trace, the result and the event
// count the same trial has when run step by step from Begin, which never
// uses the opening and always copies the server: for every
// scenario of testdata/scenarios, as written and at loss 0.3, trials 0 to
// 39 on one World (the first records the opening, the others restore it).
func TestOpeningSameTrace(t *testing.T) {
	restored := 0
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			f, sc, err := model.ParseFile(d.Pos, []byte(d.Input))
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			p, err := f.Params.Resolve()
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			for _, loss := range []float64{p.Net.Loss, 0.3} {
				p.Net.Loss = loss
				p.Detail = d.HasArg("detail")
				if p.Validate() != nil {
					continue
				}
				run, stepped := NewWorld(p, sc), NewWorld(p, sc)
				for k := range 40 {
					res := run.Run(1, k)
					stepped.Begin(1, k)
					for stepped.Step() {
					}
					if !slices.Equal(run.Recs, stepped.Recs) || !reflect.DeepEqual(res, stepped.Result()) || run.Events() != stepped.Events() {
						t.Fatalf("%s: loss %v, trial %d: Run and Begin/Step differ:\n%v\n%v", d.Pos, loss, k, run.Recs, stepped.Recs)
					}
				}
				if run.op.state == openReady {
					restored++
				}
			}
			return d.Expected
		})
	})
	if restored == 0 {
		t.Error("no scenario has an opening: the test tests nothing")
	}
	t.Logf("%d scenario runs restored an opening", restored)
}
