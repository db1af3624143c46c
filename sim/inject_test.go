package sim

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/trace"
)

// A script injected action by action while the trial runs gives the trace
// that Run gives for the whole script from the start, even with actions at
// the very time events fall due (an answer at 0.1 s, a timeout at 5 s).
func TestInjectMatchesRun(t *testing.T) {
	p := lossyParams()
	p.Detail = true
	sc := DefaultScenario()
	sc.Devices = append(sc.Devices, DeviceSpec{User: 0, Platform: server.Mobile})
	sc.Tokens = append(sc.Tokens, TokenSpec{User: 0})
	ms := time.Millisecond
	sc.Script = append(sc.Script,
		Action{At: 100 * ms, Dev: 1, Op: OpInit},
		Action{At: 100 * ms, Dev: 1, Op: OpConnect, Token: -1, TimeLimit: 5 * time.Second, HasLimit: true},
		Action{At: 5 * time.Second, Dev: 0, Op: OpNetChange},
		Action{At: 5200 * ms, Dev: 1, Op: OpNetOff},
		Action{At: 9 * time.Second, Dev: 0, Op: OpDisconnect, Push: true},
		Action{At: 40 * time.Second, Dev: 1, Op: OpNetOn},
		Action{At: 90 * time.Second, Dev: -1, Op: OpMark},
	)
	for k := range 50 {
		batch := NewWorld(p, sc)
		batch.Run(5, k)

		inc := NewWorld(p, Scenario{Devices: sc.Devices, Tokens: sc.Tokens, AppKeys: sc.AppKeys})
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
	w := NewWorld(DefaultParams(), DefaultScenario())
	w.Begin(1, 0)
	w.Hold()
	w.RunBefore(time.Second)
	if err := w.Inject(Action{At: 500 * time.Millisecond, Op: OpNetOff}); err == nil {
		t.Error("Inject accepted an action before RunBefore's bound")
	}
	if err := w.Inject(Action{At: time.Second, Dev: 7, Op: OpNetOff}); err == nil {
		t.Error("Inject accepted an action on a device that does not exist")
	}
	if err := w.Inject(Action{At: time.Second, Op: OpNetOff}); err != nil {
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
