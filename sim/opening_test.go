package sim

import (
	"reflect"
	"slices"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
)

// TestOpeningSameTrace: a trial Run restores from the World's opening
// (opening.go), on a server Run copies from the template only after a
// trial used it (World.srvUsed), has the trace, the result and the event
// count the same trial has when run step by step from Begin, which never
// uses the opening and always copies the server: for every scenario of
// testdata/scenarios, as written, at loss 0.3, and at loss 0.3 with the
// wrapper API or with each quirk, trials 0 to 39 on one World (the first
// records the opening, the second goes on into the Connect after it, the
// others restore that).
func TestOpeningSameTrace(t *testing.T) {
	restored, inConn := 0, 0
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			_, p, sc := parseScenarioCase(t, d)
			variants := []func(p *model.Params){
				func(p *model.Params) {},
				func(p *model.Params) { p.Net.Loss = 0.3 },
				func(p *model.Params) { p.Net.Loss, p.Client.API = 0.3, fsm.APIWrapper },
			}
			for _, q := range fsm.QuirkList {
				variants = append(variants, func(p *model.Params) { p.Net.Loss, p.Client.Quirks = 0.3, q.Quirk })
			}
			for v, vary := range variants {
				p := p
				vary(&p)
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
						t.Fatalf("%s: variant %d, trial %d: Run and Begin/Step differ:\n%v\n%v", d.Pos, v, k, run.Recs, stepped.Recs)
					}
				}
				if run.op.state == openReady {
					restored++
				}
				if run.op.inConn {
					inConn++
				}
			}
			return d.Expected
		})
	})
	if restored == 0 || inConn == 0 {
		t.Errorf("%d scenario runs restored an opening, %d into a Connect: the test tests too little", restored, inConn)
	}
	t.Logf("%d scenario runs restored an opening, %d into a Connect", restored, inConn)
}
