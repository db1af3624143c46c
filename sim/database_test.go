package sim

import (
	"math"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// --db-open-error P: over many trials the share of onDatabaseOpened
// callbacks that carry DATABASE_OPEN_ERROR is P (within 4 standard
// errors); every call ends as it does without the errors (in the default
// scenario a first connect's database opens after its success, so the
// draw comes after every draw that decides the call). That P = 0 draws
// nothing is fsm's TestDatabaseOpenError.
func TestDBOpenError(t *testing.T) {
	const trials = 2000
	run := func(p model.Params) (errs, opens, successes int) {
		w := NewWorld(p, model.DefaultScenario())
		for i := range trials {
			res := w.Run(1, i)
			if res.Code == fsm.OK {
				successes++
			}
			for _, r := range w.Recs {
				if r.Kind == trace.KCallback && r.Name == vocab.CbDatabaseOpened {
					opens++
					if r.Code == fsm.DatabaseOpenError {
						errs++
					}
				}
			}
		}
		return errs, opens, successes
	}
	base := model.DefaultParams()
	base.Net.Loss = 0.3
	_, opens0, succ0 := run(base)
	const pe = 0.25
	withErr := base
	withErr.Client.DBOpenError = pe
	errs, opens, succ := run(withErr)
	if opens != opens0 || succ != succ0 {
		t.Errorf("with open errors: %d opens and %d successes, without: %d and %d; the error should change nothing else", opens, succ, opens0, succ0)
	}
	share, se := float64(errs)/float64(opens), math.Sqrt(pe*(1-pe)/float64(opens))
	if math.Abs(share-pe) > 4*se {
		t.Errorf("%d of %d opens failed (%.3f), want %.2f within %.3f", errs, opens, share, pe, 4*se)
	}
	t.Logf("%d of %d opens failed (%.3f, P %.2f)", errs, opens, share, pe)
}
