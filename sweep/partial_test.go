package sweep

import (
	"github.com/rcsim/connsim/grid"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/run"
)

// testPlan is a plan with every kind of axis: two policies (one with its
// own jitter), two loss models, both transports, a model-parameter axis
// of two values and one of none.
func testPlan(t *testing.T) *Plan {
	t.Helper()
	base := model.DefaultParams()
	base.Net.Latency = 30 * time.Millisecond
	var pols []fsm.Backoff
	for _, s := range [][2]string{{"rc", "none"}, {"expo:1s,2,60s", "full"}} {
		p, err := fsm.ParsePolicy(s[0])
		if err != nil {
			t.Fatal(err)
		}
		j, err := fsm.ParseJitter(s[1])
		if err != nil {
			t.Fatal(err)
		}
		b, err := fsm.NewBackoff(p, j)
		if err != nil {
			t.Fatal(err)
		}
		pols = append(pols, b)
	}
	var models []netmodel.LossModel
	for _, s := range []string{"bernoulli", "burst:3"} {
		m, err := netmodel.ParseLossModel(s)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	var axes []ParamAxis
	for _, name := range grid.ParamAxes {
		a := ParamAxis{Q: model.Registry.Lookup(name)}
		if name == "msg-rate" {
			a.Values = []string{"0.1", "1"}
		}
		axes = append(axes, a)
	}
	return &Plan{Base: base, Seed: 7, Trials: 10, Workers: 1, Losses: []float64{0, 0.25}, Limits: []time.Duration{2 * time.Second, 0},
		Net:      NetAxes{Models: models, Transports: []netmodel.Transport{netmodel.TransportMessage, netmodel.TransportTCP}, Params: axes},
		Policies: pols, Analytic: true}
}

// A plan stored in a partial (Grid, and the base as the header's params)
// comes back from FromPartial with the same grid points, in the same
// order, and the same axes: what sim merge rebuilds is what the shards ran.
func TestGridRoundTrip(t *testing.T) {
	ge := testPlan(t) // a Gilbert-Elliott chain sets the loss itself
	m, err := netmodel.ParseLossModel("ge:0.1,0.5,0.9,0.1")
	if err != nil {
		t.Fatal(err)
	}
	ge.Losses, ge.Net.Models = []float64{0}, []netmodel.LossModel{m}
	for _, pl := range []*Plan{testPlan(t), ge} {
		roundTrip(t, pl)
	}
}

func roundTrip(t *testing.T, pl *Plan) {
	t.Helper()
	g, err := pl.Grid()
	if err != nil {
		t.Fatal(err)
	}
	h := &run.PartialHeader{Command: "sweep", Params: model.Registry.Texts(&pl.Base), Grid: g, Seed: pl.Seed, Trials: pl.Trials}
	back, err := FromPartial(h)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := back.Points(), pl.Points(); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d points back, want %d, or they differ", len(got), len(want))
	}
	if !reflect.DeepEqual(back.Net, pl.Net) || !reflect.DeepEqual(back.Policies, pl.Policies) || back.Analytic != pl.Analytic ||
		back.Seed != pl.Seed || back.Trials != pl.Trials || back.Size() != pl.Size() {
		t.Errorf("the plan back differs:\n%+v\nwant\n%+v", back, pl)
	}
}

// A grid a partial gives is checked before any point is made: too many
// points, an axis with no values, an axis that is none, a value out of
// range each name the grid.
func TestGridRefuses(t *testing.T) {
	pl := testPlan(t)
	params := model.Registry.Texts(&pl.Base)
	for _, c := range []struct{ grid, want string }{
		{`{"losses":[0],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"analytic":false}`, ""},
		{`{"losses":[],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"analytic":false}`, "grid: every axis needs 1 to"},
		{`{"losses":[` + strings.Repeat("0,", 100000) + `0],"limits_ns":[0,1],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"analytic":false}`, "grid: every axis needs 1 to"},
		{`{"losses":[2],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"analytic":false}`, "grid: --loss must be between 0 and 1"},
		{`{"losses":[0],"limits_ns":[0],"loss_models":["x"],"transports":["message"],"policies":[["rc","none"]],"analytic":false}`, `grid: loss_models: "x"`},
		{`{"losses":[0],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"param_axes":[{"name":"loss","values":["0"]}],"analytic":false}`, `grid: param_axes: "loss" is not a sweep axis`},
		{`{"losses":[0],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"param_axes":[{"name":"msg-rate","values":["-1"]}],"analytic":false}`, "grid: param_axes: msg-rate: "},
		{`{"losses":[0],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["nope","none"]],"analytic":false}`, "grid: policies: --policy "},
		{`{"losses":[0],"limits_ns":[0],"loss_models":["bernoulli"],"transports":["message"],"policies":[["rc","none"]],"analytic":false,"more":1}`, `grid: unknown field "more"`},
	} {
		_, err := FromPartial(&run.PartialHeader{Command: "sweep", Params: params, Grid: []byte(c.grid), Seed: 1, Trials: 1})
		got := ""
		if err != nil {
			got = err.Error()
		}
		if c.want == "" && err != nil || c.want != "" && !strings.HasPrefix(got, c.want) {
			t.Errorf("%.60s...: error %q, want %q", c.grid, got, c.want)
		}
	}
}
