package fsm

import (
	"math/rand/v2"
	"testing"
	"time"
)

// noDraw is a Uniform that fails the test if a policy draws from it.
type noDraw struct{ t *testing.T }

func (n noDraw) Float64() float64 { n.t.Fatal("a deterministic policy drew a number"); return 0 }

func TestParsePolicyRoundTrips(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"rc", "rc"}, {"rc-legacy", "rc-legacy"}, {"web", "web"}, {"grpc", "grpc"},
		{"fixed:5s", "fixed:5s"}, {"fixed:0", "fixed:0s"}, {"fixed:90s", "fixed:1m30s"},
		{"list:1s,2s,1m", "list:1s,2s,1m"}, {"expo:1s,2,60s", "expo:1s,2,1m"}, {"expo:500ms,1.5,2m", "expo:500ms,1.5,2m"},
	} {
		p, err := ParsePolicy(tc.in)
		if err != nil {
			t.Errorf("ParsePolicy(%q): %v", tc.in, err)
			continue
		}
		if p.String() != tc.out {
			t.Errorf("ParsePolicy(%q).String() = %q, want %q", tc.in, p.String(), tc.out)
		}
		q, err := ParsePolicy(p.String())
		if err != nil || q.String() != p.String() {
			t.Errorf("%q does not round-trip: %v, %v", p.String(), q, err)
		}
	}
	for _, bad := range []string{"", "rc2", "fixed:", "fixed:-1s", "fixed:1s,2s", "list:", "list:1s,x",
		"expo:1s,2", "expo:0,2,1m", "expo:1s,0.5,1m", "expo:1s,101,1m", "expo:2m,2,1m", "fixed:721h", "expo:1s,NaN,1m"} {
		if p, err := ParsePolicy(bad); err == nil {
			t.Errorf("ParsePolicy(%q) = %v, want an error", bad, p)
		}
	}
}

// The documented schedules, gap by gap.
func TestNamedPolicies(t *testing.T) {
	ms, s := time.Millisecond, time.Second
	for _, tc := range []struct {
		p    Policy
		want []time.Duration // gaps after failures 1, 2, ...
	}{
		{RC, []time.Duration{50 * ms, 250 * ms, 500 * ms, s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 64 * s}},
		{RCLegacy, []time.Duration{0, 250 * ms, 500 * ms, s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 64 * s}},
		{Web, []time.Duration{5 * s, 5 * s, 5 * s}},
		{Expo{Base: s, Factor: 2, Max: 10 * s}, []time.Duration{s, 2 * s, 4 * s, 8 * s, 10 * s, 10 * s}},
	} {
		for k, want := range tc.want {
			if got := tc.p.Gap(k+1, 0, noDraw{t}); got != want {
				t.Errorf("%s: gap %d = %v, want %v", tc.p, k+1, got, want)
			}
			if lo, hi := tc.p.Bounds(k + 1); lo != want || hi != want {
				t.Errorf("%s: bounds %d = %v, %v", tc.p, k+1, lo, hi)
			}
		}
		if !tc.p.Deterministic() {
			t.Errorf("%s is not deterministic", tc.p)
		}
	}
	// gRPC: 1 s, then ×1.6 with ±20%, capped at 120 s; 20 s connect timeout.
	if g := GRPC.Gap(1, 0, noDraw{t}); g != s {
		t.Errorf("grpc gap 1 = %v, want 1s (no jitter on the first)", g)
	}
	for k, base := range []time.Duration{1600 * ms, 2560 * ms, 4096 * ms} {
		lo, hi := GRPC.Bounds(k + 2)
		if lo != base*8/10 || hi != base*12/10 {
			t.Errorf("grpc bounds %d = %v, %v; want %v ± 20%%", k+2, lo, hi, base)
		}
	}
	if lo, hi := GRPC.Bounds(100); lo != 96*s || hi != 144*s {
		t.Errorf("grpc capped bounds %v, %v; want 96s, 144s", lo, hi)
	}
	if GRPC.Deterministic() || GRPC.ConnectTimeout() != 20*s || GRPC.Longest() != 144*s {
		t.Errorf("grpc: deterministic %v, connect timeout %v, longest %v", GRPC.Deterministic(), GRPC.ConnectTimeout(), GRPC.Longest())
	}
	cfg := DefaultConfig()
	cfg.Policy = GRPC
	if cfg.AttemptTimeoutFor() != 20*s {
		t.Errorf("grpc attempt timeout %v, want 20s", cfg.AttemptTimeoutFor())
	}
}

// Every jittered gap lies within the policy's bounds, the draws use the
// whole range, and a jitter's mean is where the AWS study puts it.
func TestJitterWithinBounds(t *testing.T) {
	base := Expo{Base: 100 * time.Millisecond, Factor: 2, Max: 10 * time.Second}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range []Policy{
		Backoff{base, JitterFull}, Backoff{base, JitterEqual}, Backoff{base, JitterDecorrelated},
		Backoff{RC, JitterFull}, Backoff{Web, JitterEqual}, GRPC,
	} {
		// n streaks of 12 failures each, gaps drawn in order as a client
		// draws them (decorrelated jitter reads the previous gap).
		const n, K = 2000, 12
		var sum, minG, maxG [K + 1]time.Duration
		for k := 1; k <= K; k++ {
			minG[k], maxG[k] = p.Bounds(k)
			minG[k], maxG[k] = maxG[k], minG[k]
		}
		for range n {
			prev := time.Duration(0)
			for k := 1; k <= K; k++ {
				g := p.Gap(k, prev, rng)
				if lo, hi := p.Bounds(k); g < lo || g > hi {
					t.Fatalf("%s: gap %d = %v outside [%v, %v]", p, k, g, lo, hi)
				}
				minG[k], maxG[k] = min(minG[k], g), max(maxG[k], g)
				sum[k] += g / n
				prev = g
			}
		}
		for k := 2; k <= K; k++ {
			lo, hi := p.Bounds(k)
			if b, ok := p.(Backoff); ok && b.Jitter == JitterDecorrelated {
				continue // its draws reach its bounds only along the longest chains
			}
			if lo < hi && float64(maxG[k]-minG[k]) < 0.8*float64(hi-lo) {
				t.Errorf("%s: gap %d draws span only [%v, %v] of [%v, %v]", p, k, minG[k], maxG[k], lo, hi)
			}
			if b, ok := p.(Backoff); ok && b.Jitter == JitterFull {
				g := b.Base.Gap(k, 0, nil)
				if mean := sum[k]; mean < g*45/100 || mean > g*55/100 {
					t.Errorf("%s: full jitter's mean gap %d is %v, want about %v", p, k, mean, g/2)
				}
			}
		}
		if p.Deterministic() {
			t.Errorf("%s claims to be deterministic", p)
		}
	}
	// Decorrelated: min(cap, uniform [base, 3·prev)).
	d := Backoff{base, JitterDecorrelated}
	if g := d.Gap(3, time.Second, constU(0.5)); g != 100*time.Millisecond+1450*time.Millisecond {
		t.Errorf("decorrelated gap from prev 1s at u=0.5: %v, want 1.55s", g)
	}
	if g := d.Gap(3, 9*time.Second, constU(0.99)); g != 10*time.Second {
		t.Errorf("decorrelated gap above the cap: %v, want 10s", g)
	}
}

type constU float64

func (u constU) Float64() float64 { return float64(u) }

// A client with a deterministic policy draws nothing; a jittered one draws
// exactly one number per gap.
func TestClientDrawsOnlyForJitter(t *testing.T) {
	cfg := DefaultConfig()
	c := NewClient(cfg, 0)
	c.SetRand(noDraw{t})
	c.Step(0, Input{Kind: InInit})
	c.Step(0, Input{Kind: InConnect, Call: 1})
	effs := c.Step(5*time.Second, Input{Kind: InTimer, Timer: TimerAttempt, Gen: 1})
	if r := effs[len(effs)-1]; r.Timer != TimerRetry || r.At != 5*time.Second+50*time.Millisecond {
		t.Fatalf("rc retry %+v", r)
	}
	cfg.Policy, cfg.Jitter = Web, JitterFull
	c.Reset(&cfg, 0)
	u := &countU{v: 0.5}
	c.SetRand(u)
	c.Step(0, Input{Kind: InInit})
	c.Step(0, Input{Kind: InConnect, Call: 1})
	effs = c.Step(5*time.Second, Input{Kind: InTimer, Timer: TimerAttempt, Gen: 1})
	if r := effs[len(effs)-1]; r.Timer != TimerRetry || r.At != 5*time.Second+2500*time.Millisecond || u.n != 1 {
		t.Fatalf("web+full retry %+v after %d draws", r, u.n)
	}
}

type countU struct {
	v float64
	n int
}

func (u *countU) Float64() float64 { u.n++; return u.v }
