package main

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/storm"
)

// Every duration parameter of every registry refuses more than
// model.MaxDuration (720h), so that a parameter added later cannot bring
// back wrapped virtual time (issue 7 item 1).
func TestEveryDurationIsBounded(t *testing.T) {
	checkDurations(t, "sim", model.Registry, model.DefaultParams)
	checkDurations(t, "storm", storm.Registry, storm.DefaultParams)
}

func checkDurations[P any](t *testing.T, name string, r *param.Registry[P], defaults func() P) {
	t.Helper()
	n := 0
	for _, q := range r.All() {
		if q.Type != "duration" {
			continue
		}
		n++
		bad := []string{"721h", "2562047h", "-1ns"}
		if q.Name == "time-limit" {
			// timeLimit <= 0 means no limit (the seed): -720h to 720h.
			bad = []string{"721h", "2562047h", "-721h"}
		}
		for _, v := range bad {
			p := defaults()
			if err := q.Set(&p, v); err == nil {
				t.Errorf("%s: --%s %s accepted; every duration must be between 0 (-%v for time-limit) and %v", name, q.Name, v, model.MaxDuration, model.MaxDuration)
			}
		}
	}
	if n == 0 {
		t.Errorf("%s: no duration parameters", name)
	}
}

// TestPolicyListLimit: the Limits table's bound on --policy list: is the
// one fsm.ParsePolicy enforces, and the refusal says why.
func TestPolicyListLimit(t *testing.T) {
	list := func(n int) string { return "list:" + strings.Repeat("1s,", n-1) + "1s" }
	if _, err := fsm.ParsePolicy(list(maxPolicyListGaps)); err != nil {
		t.Errorf("%d durations refused: %v", maxPolicyListGaps, err)
	}
	if _, err := fsm.ParsePolicy(list(maxPolicyListGaps + 1)); err == nil {
		t.Errorf("%d durations accepted", maxPolicyListGaps+1)
	}
	code, _, errs := runCLI("run", "--policy", list(maxPolicyListGaps+1))
	if code != 2 || !strings.Contains(errs, "list takes at most 1000 durations") || len(errs) > 600 {
		t.Errorf("exit %d, stderr %q; want exit 2, the reason, and not the whole value", code, errs)
	}
}
