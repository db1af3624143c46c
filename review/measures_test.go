package review

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/storm"
)

// TestStormMessageMeasures reads the message measures of a storm from a
// made-up result whose answers are known; a storm without messages has
// none of them (never).
func TestStormMessageMeasures(t *testing.T) {
	var push []time.Duration
	for i := 1; i <= 100; i++ {
		push = append(push, time.Duration(101-i)*time.Second) // 100 s down to 1 s: sorted by the measure
	}
	r := &storm.Result{Msg: &model.MsgResult{Sent: 200, Shown: 150, Pushes: 7, PushedOn: 2, Ghosts: 3, Push: push,
		Pull: []time.Duration{time.Second}}}
	for _, c := range []struct {
		name string
		want float64
	}{
		{"msg_push_p50", 50}, {"msg_push_p99", 99}, {"msg_pull_p99", 1}, {"msg_shown", 75},
		{"pushes", 7}, {"pushes_to_connected", 2}, {"ghosts", 3},
	} {
		v := mustMeasure(KindStorm, c.name).storm(r)
		if v.Never || v.Est != c.want || v.Lo != v.Est || v.Hi != v.Est {
			t.Errorf("%s = %+v; want exactly %v", c.name, v, c.want)
		}
	}
	if push[0] != 100*time.Second {
		t.Error("a quantile sorted the storm's own latencies")
	}
	none := &storm.Result{}
	for _, name := range []string{"msg_push_p50", "msg_shown", "pushes", "ghosts", "peak_pulls"} {
		if v := mustMeasure(KindStorm, name).storm(none); !v.Never {
			t.Errorf("%s of a storm without messages = %+v; want never", name, v)
		}
	}
	if v := mustMeasure(KindStorm, "msg_push_p99").storm(&storm.Result{Msg: &model.MsgResult{}}); !v.Never {
		t.Errorf("msg_push_p99 with no pushed message = %+v; want never", v)
	}
}
