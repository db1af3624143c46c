package analytic

import (
	"github.com/rcsim/connsim/fsm"
	"math"
	"testing"
	"time"
)

// sched is spec 5.5's schedule, written out here rather than taken from
// the model.
var sched = []time.Duration{
	50 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
	16 * time.Second, 32 * time.Second, 64 * time.Second,
}

func model(p float64, limit, horizon time.Duration) Model {
	return Model{Loss: p, Latency: 50 * time.Millisecond, AttemptTimeout: 5 * time.Second,
		Policy: fsm.List{Name: "spec55", Gaps: sched}, TimeLimit: limit, Horizon: horizon}
}

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

func TestStarts(t *testing.T) {
	m := model(0.3, 0, 10*time.Minute)
	// s_k by hand: each step is A + interval k-1; after the 10th failure
	// the last interval (64 s) repeats.
	want := []time.Duration{0, ms(5050), ms(10300), ms(15800), ms(21800), ms(28800),
		ms(37800), ms(50800), ms(71800), ms(108800), ms(177800), ms(246800)}
	for i, w := range want {
		if got := m.Start(i + 1); got != w {
			t.Errorf("s_%d = %v, want %v", i+1, got, w)
		}
	}
	// 600 s horizon: s_17 = 591.8 s is the last start.
	if got := m.Attempts(); got != 17 {
		t.Errorf("attempts within 10 min = %d, want 17", got)
	}
}

func TestClosedForm(t *testing.T) {
	q := 0.49 // (1-0.3)^2
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	cases := []struct {
		limit, horizon time.Duration
		want           float64
		attempts       int
	}{
		{5 * time.Second, 10 * time.Minute, q, 1},                     // 0.49 at p = 0.3 (--attempt auth)
		{ms(100), 10 * time.Minute, 0, 1},                             // tie: the answer due exactly at L loses
		{ms(100) + 1, 10 * time.Minute, q, 1},                         // one nanosecond more and it wins
		{ms(5050), 10 * time.Minute, q, 1},                            // attempt 2 due exactly at L does not start
		{ms(5050) + 1, 10 * time.Minute, q, 2},                        // it starts, its answer is too late
		{ms(5150), 10 * time.Minute, q, 2},                            // tie for attempt 2
		{ms(5150) + 1, 10 * time.Minute, 1 - (1-q)*(1-q), 2},          // attempt 2 counts
		{ms(10400), 10 * time.Minute, 1 - (1-q)*(1-q), 3},             // tie for attempt 3
		{0, ms(10400), 1 - math.Pow(1-q, 3), 3},                       // the horizon is inclusive
		{0, ms(10400) - 1, 1 - (1-q)*(1-q), 3},                        // ... and exact
		{0, 10 * time.Minute, 1 - math.Pow(1-q, 17), 17},              // no limit
		{30 * time.Second, 20 * time.Second, 1 - math.Pow(1-q, 4), 4}, // L after H: unfinished
	}
	for _, c := range cases {
		m := model(0.3, c.limit, c.horizon)
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := m.Success(); !near(got, c.want) {
			t.Errorf("L=%v H=%v: success %v, want %v", c.limit, c.horizon, got, c.want)
		}
		if got := m.Attempts(); got != c.attempts {
			t.Errorf("L=%v H=%v: %d attempts, want %d", c.limit, c.horizon, got, c.attempts)
		}
		sum := 0.0
		for _, a := range m.Successes() {
			sum += a.P
		}
		if !near(sum, m.Success()) {
			t.Errorf("L=%v H=%v: atoms sum to %v, success %v", c.limit, c.horizon, sum, m.Success())
		}
		if tot := m.Success() + m.Timeout() + m.Unfinished(); !near(tot, 1) {
			t.Errorf("L=%v H=%v: outcomes sum to %v", c.limit, c.horizon, tot)
		}
		tot := 0.0
		for _, a := range m.AttemptsDist() {
			tot += a.P
		}
		if !near(tot, 1) {
			t.Errorf("L=%v H=%v: attempts distribution sums to %v", c.limit, c.horizon, tot)
		}
	}
	if m := model(0.3, 30*time.Second, 20*time.Second); m.Timeout() != 0 || !near(m.Unfinished(), 1-m.Success()) {
		t.Errorf("L after H: timeout %v unfinished %v", m.Timeout(), m.Unfinished())
	}
}

func TestTTC(t *testing.T) {
	m := model(0.5, 0, 10*time.Minute) // q = 0.25
	d := m.TTC()
	if d.Atoms[0].At != ms(100) || d.Atoms[1].At != ms(5150) || d.Atoms[2].At != ms(10400) {
		t.Fatalf("atoms %v", d.Atoms[:3])
	}
	s := m.Success()
	if got, want := d.CDFAt(0), 0.25/s; math.Abs(got-want) > 1e-12 {
		t.Errorf("F(100ms) = %v, want %v", got, want)
	}
	// 0.25/s < 0.5 < (0.25+0.1875)/s? s = 1-0.75^17 = 0.9925: F = 0.2519, 0.4408, 0.5826.
	if got := d.Quantile(0.5); got != ms(10400) {
		t.Errorf("p50 = %v, want 10.4s", got)
	}
	if got := d.Quantile(0); got != ms(100) {
		t.Errorf("p0 = %v", got)
	}
	if got := d.CDF(ms(5150)); math.Abs(got-d.CDFAt(1)) > 0 {
		t.Errorf("CDF(5.15s) = %v, want %v", got, d.CDFAt(1))
	}
	if (Model{}).TTC().Quantile(0.5) != 0 {
		t.Error("empty distribution")
	}
}

func TestNoSuccessWhenTheAnswerIsLate(t *testing.T) {
	m := model(0, 0, time.Minute)
	m.Latency = m.AttemptTimeout / 2 // the answer comes exactly at the attempt timeout: the timer wins
	if m.Success() != 0 || m.PerAttempt() != 0 {
		t.Errorf("success %v with 2*latency = A", m.Success())
	}
}

func TestValidate(t *testing.T) {
	bad := []Model{
		{Loss: 1.5, AttemptTimeout: time.Second, Policy: fsm.List{Name: "spec55", Gaps: sched}, TimeLimit: time.Second},
		{Loss: math.NaN(), AttemptTimeout: time.Second, Policy: fsm.List{Name: "spec55", Gaps: sched}, TimeLimit: time.Second},
		{AttemptTimeout: 0, Policy: fsm.List{Name: "spec55", Gaps: sched}, TimeLimit: time.Second},
		{AttemptTimeout: time.Second, TimeLimit: time.Second},
		{AttemptTimeout: time.Second, Policy: fsm.List{Name: "spec55", Gaps: sched}},
		{AttemptTimeout: time.Second, Policy: fsm.List{Name: "neg", Gaps: []time.Duration{-1}}, TimeLimit: time.Second},
	}
	for _, m := range bad {
		if m.Validate() == nil {
			t.Errorf("%+v: no error", m)
		}
	}
}
