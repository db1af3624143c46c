package sim

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
)

// A script injected action by action while the trial runs gives the trace
// that Run gives for the whole script from the start, even with actions at
// the very time events fall due (an answer at 0.1 s, a timeout at 5 s).
func TestInjectMatchesRun(t *testing.T) {
	p := lossyParams()
	p.Detail = true
	sc := model.DefaultScenario()
	sc.Devices = append(sc.Devices, model.DeviceSpec{User: 0, Platform: server.Mobile})
	sc.Tokens = append(sc.Tokens, model.TokenSpec{User: 0})
	ms := time.Millisecond
	sc.Script = append(sc.Script,
		model.Action{At: 100 * ms, Dev: 1, Op: model.OpInit},
		model.Action{At: 100 * ms, Dev: 1, Op: model.OpConnect, Token: -1, TimeLimit: 5 * time.Second, HasLimit: true},
		model.Action{At: 5 * time.Second, Dev: 0, Op: model.OpNetChange},
		model.Action{At: 5200 * ms, Dev: 1, Op: model.OpNetOff},
		model.Action{At: 9 * time.Second, Dev: 0, Op: model.OpDisconnect, Push: true},
		model.Action{At: 40 * time.Second, Dev: 1, Op: model.OpNetOn},
		model.Action{At: 90 * time.Second, Dev: -1, Op: model.OpMark},
	)
	for k := range 50 {
		batch := NewWorld(p, sc)
		batch.Run(5, k)

		inc := NewWorld(p, model.Scenario{Devices: sc.Devices, Tokens: sc.Tokens, AppKeys: sc.AppKeys})
		inc.Begin(5, k)
		inc.Hold()
		for _, a := range sc.Script {
			if !inc.RunBefore(a.At) {
				t.Fatalf("trial %d: the trial ended before %v", k, a.At)
			}
			if err := inc.Inject(a); err != nil {
				t.Fatal(err)
			}
		}
		inc.Release()
		for inc.Step() {
		}
		if a, b := trace.Digest(batch.Recs), trace.Digest(inc.Recs); a != b {
			for i := range min(len(batch.Recs), len(inc.Recs)) {
				if batch.Recs[i] != inc.Recs[i] {
					t.Fatalf("trial %d: record %d differs:\n  run:    %s\n  inject: %s", k, i,
						trace.FormatText(&batch.Recs[i]), trace.FormatText(&inc.Recs[i]))
				}
			}
			t.Fatalf("trial %d: %d records with Run, %d with Inject", k, len(batch.Recs), len(inc.Recs))
		}
	}
}

// Inject refuses an action before the time the world already ran to, and
// an action that makes the scenario invalid.
func TestInjectRefuses(t *testing.T) {
	w := NewWorld(model.DefaultParams(), model.DefaultScenario())
	w.Begin(1, 0)
	w.Hold()
	w.RunBefore(time.Second)
	if err := w.Inject(model.Action{At: 500 * time.Millisecond, Op: model.OpNetOff}); err == nil {
		t.Error("Inject accepted an action before RunBefore's bound")
	}
	if err := w.Inject(model.Action{At: time.Second, Dev: 7, Op: model.OpNetOff}); err == nil {
		t.Error("Inject accepted an action on a device that does not exist")
	}
	if err := w.Inject(model.Action{At: time.Second, Op: model.OpNetOff}); err != nil {
		t.Errorf("Inject refused a valid action: %v", err)
	}
	// Held, the trial does not end; released, it does.
	if !w.RunBefore(time.Minute) {
		t.Fatal("a held trial ended")
	}
	w.Release()
	for w.Step() {
	}
	if r := w.Recs[len(w.Recs)-1]; r.Kind != trace.KEnd {
		t.Errorf("last record %s, want the end", trace.FormatText(&r))
	}
}
