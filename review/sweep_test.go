package review

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// TestSweepParseErrors: a sweep's mistakes are named with their line
// before any work.
func TestSweepParseErrors(t *testing.T) {
	head := "title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {time_limit: 0}\nexperiments:\n"
	for _, c := range []struct{ yaml, want string }{
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {latency: [1ms]}\n", "r.yaml:11: experiments[0].axes: latency: a sweep varies one of loss, time_limit, msg_rate"},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: \"0:2:0.5\"}\n", `r.yaml:11: experiments[0].axes: loss: invalid grid "0:2:0.5": 1.5 is not between 0 and 1`},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: [0, 0.5], msg_rate: [0.1], push_latency: [1s]}\n", "experiments[0].axes: must map 1 to 2 parameters"},
		{"  - name: x\n    kind: sweep\n    trials: 10\n", "experiments[0].axes: must map 1 to 2 parameters"},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {time_limit: [5s, 0]}\n", "r.yaml:5: alternatives: b sets time_limit, an axis of experiment \"x\""},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: [0.1]}\n    params: {loss: 0.2}\n", "experiments[0].params: sets loss, an axis of the sweep"},
		{"  - name: x\n    kind: sweep\n    trials: 0\n    axes: {loss: [0.1]}\n", "experiments[0].trials: must be between 1 and 1000000 per point (got 0)"},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {msg_rate: [0.1, -1]}\n", "experiments[0].axes: msg_rate: "},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: [0.1]}\n    measures: [t90]\n", `unknown measure "t90" for kind sweep`},
		{"  - name: x\n    kind: run\n    trials: 10\n    axes: {loss: [0.1]}\n", "experiments[0].axes: is for kind sweep"},
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: [0.1]}\nsensitivity:\n  - {experiment: x, param: latency, values: [1ms]}\n", `sensitivity[0].experiment: "x" is a sweep`},
	} {
		_, err := Parse("r.yaml", []byte(head+c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", c.yaml, err, c.want)
		}
	}
}

// TestSweepPoints: every point of a sweep is the `sim run` of its
// parameters (the numbers sim sweep writes), in grid order, the first
// axis slowest; the closed form is given where it applies.
func TestSweepPoints(t *testing.T) {
	_, r := runReview(t, "r.yaml", "r.yaml", "title: t\nalternatives:\n  - name: rc\n    params: {}\n  - name: web\n    params: {policy: web}\n"+
		"experiments:\n  - name: x\n    kind: sweep\n    trials: 300\n    axes: {time_limit: \"5s,0\", loss: [0.1, 0.5]}\n    measures: [success, ttc_p50]\n", 2)
	x := r.Experiments[0]
	if len(x.Points) != 4 || !slices.Equal(x.Points[1].At, []string{"5s", "0.5"}) || !slices.Equal(x.Points[2].At, []string{"0s", "0.1"}) {
		t.Fatalf("points %v; want time_limit slowest, then loss", x.Points)
	}
	for pi, pt := range x.Points {
		for ai, policy := range []string{"rc", "web"} {
			p := model.DefaultParams()
			for k, v := range map[string]string{"policy": policy, "time_limit": pt.At[0], "loss": pt.At[1]} {
				if err := model.Registry.Lookup(k).Set(&p, v); err != nil {
					t.Fatal(err)
				}
			}
			acc, err := run.Accumulate(context.Background(), run.Config{Params: p, Scenario: model.DefaultScenario(), Trials: 300, Seed: 1, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := pt.Measures[0].Values[ai].Est, 100*acc.Summary().SuccessRate; got != want {
				t.Errorf("point %d, %s: success %v; sim run gives %v", pi, policy, got, want)
			}
			if pt.ClosedForm[ai] == nil {
				t.Errorf("point %d, %s: no closed form; it applies to a deterministic policy", pi, policy)
			}
		}
	}
	if len(x.Summary) != 2 || !strings.HasPrefix(x.Summary[0], "first logins that succeed within the time limit, over 4 points: ") {
		t.Errorf("summary %q; want one verdict per measure", x.Summary)
	}
	if want := "sim sweep --trials 300 --seed 1 --out sweep.csv --time-limit 5s,0 --loss 0.1,0.5 --policy web"; x.Commands[1] != want {
		t.Errorf("command %q; want %q", x.Commands[1], want)
	}
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 1 || figs[0].SVG == "" || len(figs[0].PNG) == 0 {
		t.Errorf("%d figures; want the success-against-loss figure", len(figs))
	}
}
