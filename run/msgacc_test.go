package run

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
)

// msgCase is a run with messages.
type msgCase struct {
	p  model.Params
	sc model.Scenario
}

// msgCases are runs with messages: loss (pulls that retry, duplicates),
// and an outage (pulls, ghosts, pushes) with a short retention (drops).
func msgCases(t *testing.T) []msgCase {
	base := model.DefaultParams()
	base.Horizon = 3 * time.Minute
	base.Msg.Rate = 0.2
	p := base
	p.Net.Loss, p.Net.Jitter = 0.2, 20*time.Millisecond
	q := base
	q.Net.Jitter = 5 * time.Millisecond
	q.Msg.Retention = 20 * time.Second
	k := model.NoKnobs()
	k.NetOff = []model.Window{{From: 30 * time.Second, To: 100 * time.Second}}
	sc, err := k.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	return []msgCase{{p, model.DefaultScenario()}, {q, sc}}
}

// RunSummary's message measures are Summarize's of Run's outcomes exactly,
// whether it keeps every latency or finds the quantiles by selection
// passes (forced by keeping none, and collecting at most 5 values), for
// any number of workers.
func TestRunSummaryMsgExact(t *testing.T) {
	defer func(k, l, c int) { keepTrials, keepLatencies, collectCap = k, l, c }(keepTrials, keepLatencies, collectCap)
	for ci, c := range msgCases(t) {
		rc := Config{Params: c.p, Scenario: c.sc, Trials: 120, Seed: 3, Workers: 2}
		outs, err := Outcomes(context.Background(), rc)
		if err != nil {
			t.Fatal(err)
		}
		want := Summarize(outs)
		m := want.Msg
		if m == nil || m.Sent == 0 || m.ShownLive == 0 || m.ShownPull == 0 {
			t.Fatalf("case %d: the run shows too few messages to test: %+v", ci, m)
		}
		if ci == 1 && (m.ShownPush == 0 || m.Dropped == 0 || m.Ghosts == 0) {
			t.Fatalf("case %d: no push, drop or ghost: %+v", ci, m)
		}
		for _, kc := range [][3]int{{KeepTrials, KeepLatencies, 1 << 20}, {7, 0, 5}, {0, 100, 1 << 20}} {
			keepTrials, keepLatencies, collectCap = kc[0], kc[1], kc[2]
			for _, workers := range []int{1, 3} {
				rc.Workers = workers
				a, err := Accumulate(context.Background(), rc)
				if err != nil {
					t.Fatal(err)
				}
				if got := a.Summary(); !reflect.DeepEqual(got, want) {
					t.Errorf("case %d keep %v workers %d:\n got %+v %+v\nwant %+v %+v", ci, kc, workers, got, got.Msg, want, want.Msg)
				}
			}
		}
	}
}

// A run without messages has no message summary (its output is what it
// was before messages existed), and a partial of it no messages field.
func TestNoMsgNoSummary(t *testing.T) {
	rc := Config{Params: model.DefaultParams(), Scenario: model.DefaultScenario(), Trials: 50, Seed: 1, Workers: 1, KeepAll: true}
	a, err := Accumulate(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Summary(); s.Msg != nil {
		t.Errorf("message summary without messages: %+v", s.Msg)
	}
	b, _ := json.Marshal(a)
	if strings.Contains(string(b), "messages") {
		t.Errorf("partial without messages holds them: %s", b)
	}
}

// Shards written as partials and read back merge into the whole run's
// summary, messages included; a tampered partial is refused.
func TestMsgPartialsMerge(t *testing.T) {
	c := msgCases(t)[1]
	rc := Config{Params: c.p, Scenario: c.sc, Trials: 90, Seed: 4, Workers: 2}
	whole, err := Accumulate(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	var merged *Acc
	var text []byte
	for _, r := range [][2]int{{0, 30}, {30, 31}, {61, 29}} {
		rc.From, rc.Trials, rc.KeepAll = r[0], r[1], true
		a, err := Accumulate(context.Background(), rc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		text = b
		back, err := UnmarshalPartial(b, r[0], r[0]+r[1])
		if err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = back
		} else {
			merged.Merge(back)
		}
	}
	if got, want := merged.Summary(), whole.Summary(); !reflect.DeepEqual(got, want) {
		t.Errorf("merged partials:\n got %+v\nwant %+v", got.Msg, want.Msg)
	}
	for _, tc := range []struct{ from, to, want string }{
		{`"pushes_to_online":`, `"pushes_to_online":99999,"x":`, "pushes_to_online"},
		{`"live_ns":[`, `"live_ns":[-5,`, "live_ns"},
		{`"trials":29,"sent"`, `"trials":30,"sent"`, "trials"},
		{`"ghosts":`, `"ghosts":-1,"y":`, "ghosts"},
	} {
		bad := strings.Replace(string(text), tc.from, tc.to, 1)
		if bad == string(text) {
			t.Fatalf("no %s in %s", tc.from, text)
		}
		if _, err := UnmarshalPartial([]byte(bad), 61, 90); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one naming %s", tc.to, err, tc.want)
		}
	}
}
