package run

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
)

// RunSummary gives Summarize's summary of Run's outcomes exactly, whether
// it keeps every time to connect or finds the quantiles by selection
// passes (forced here by keeping 7 trials and collecting at most 5
// values), for any number of workers, with ties (no jitter), a long tail
// and violations (a quirk).
func TestRunSummaryExact(t *testing.T) {
	defer func(k, c int) { keepTrials, collectCap = k, c }(keepTrials, collectCap)
	base := model.DefaultParams()
	var cases []model.Params
	p := base
	p.Net.Loss = 0.3
	p.Net.Jitter = 20 * time.Millisecond
	cases = append(cases, p)
	p = base // no loss, no jitter: every success takes the same time
	cases = append(cases, p)
	p = base
	p.Net.Loss, p.TimeLimit = 0.6, 0
	cases = append(cases, p)
	for ci, p := range cases {
		rc := Config{Params: p, Scenario: model.DefaultScenario(), Trials: 700, Seed: 5, Workers: 3}
		outs, err := Outcomes(context.Background(), rc)
		if err != nil {
			t.Fatal(err)
		}
		want := Summarize(outs)
		for _, kc := range [][2]int{{KeepTrials, 1 << 20}, {7, 5}, {0, 1 << 20}} {
			keepTrials, collectCap = kc[0], kc[1]
			for _, workers := range []int{1, 4} {
				rc.Workers = workers
				a, err := Accumulate(context.Background(), rc)
				if err != nil {
					t.Fatal(err)
				}
				if got := a.Summary(); !reflect.DeepEqual(got, want) {
					t.Errorf("case %d keep %d collect %d workers %d:\n got %+v\nwant %+v", ci, kc[0], kc[1], workers, got, want)
				}
			}
		}
	}
}

// A run in shards (From) merges into the whole run's summary.
func TestRunSummaryShardsMerge(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Loss, p.Net.Jitter = 0.3, 10*time.Millisecond
	rc := Config{Params: p, Scenario: model.DefaultScenario(), Trials: 1000, Seed: 2, Workers: 2}
	whole, err := Accumulate(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	var merged *Acc
	for _, r := range [][2]int{{0, 333}, {333, 334}, {667, 333}} {
		rc.From, rc.Trials = r[0], r[1]
		a, err := Accumulate(context.Background(), rc)
		if err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = a
		} else {
			merged.Merge(a)
		}
	}
	if got, want := merged.Summary(), whole.Summary(); !reflect.DeepEqual(got, want) {
		t.Errorf("merged shards:\n got %+v\nwant %+v", got, want)
	}
}
