package netmodel

import (
	"math"
	"testing"
	"time"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	want := Params{Loss: 0, Latency: 50 * time.Millisecond, Jitter: 0, JitterDist: DistUniform, ServerUnavailable: 0}
	if p != want {
		t.Fatalf("DefaultParams() = %+v, want %+v", p, want)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("DefaultParams().Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := DefaultParams()
	with := func(f func(*Params)) Params { p := ok; f(&p); return p }
	tests := []struct {
		name string
		p    Params
		want string // "" = valid
	}{
		{"defaults", ok, ""},
		{"loss 0", with(func(p *Params) { p.Loss = 0 }), ""},
		{"loss 1", with(func(p *Params) { p.Loss = 1 }), ""},
		{"loss 0.3", with(func(p *Params) { p.Loss = 0.3 }), ""},
		{"loss 1.5", with(func(p *Params) { p.Loss = 1.5 }), "--loss must be between 0 and 1 (got 1.5)"},
		{"loss -0.1", with(func(p *Params) { p.Loss = -0.1 }), "--loss must be between 0 and 1 (got -0.1)"},
		{"loss NaN", with(func(p *Params) { p.Loss = math.NaN() }), "--loss must be between 0 and 1 (got NaN)"},
		{"loss +Inf", with(func(p *Params) { p.Loss = math.Inf(1) }), "--loss must be between 0 and 1 (got +Inf)"},
		{"latency 0", with(func(p *Params) { p.Latency = 0 }), ""},
		{"latency -1s", with(func(p *Params) { p.Latency = -time.Second }), "--latency must be >= 0 (got -1s)"},
		{"jitter 10ms", with(func(p *Params) { p.Jitter = 10 * time.Millisecond }), ""},
		{"jitter -5ms", with(func(p *Params) { p.Jitter = -5 * time.Millisecond }), "--jitter must be >= 0 (got -5ms)"},
		{"dist exponential", with(func(p *Params) { p.JitterDist = DistExponential }), ""},
		{"dist 7", with(func(p *Params) { p.JitterDist = 7 }), `--jitter-dist must be one of uniform, normal, exponential (got "dist(7)")`},
		{"unavailable 1", with(func(p *Params) { p.ServerUnavailable = 1 }), ""},
		{"unavailable 2", with(func(p *Params) { p.ServerUnavailable = 2 }), "--server-unavailable must be between 0 and 1 (got 2)"},
		{"unavailable NaN", with(func(p *Params) { p.ServerUnavailable = math.NaN() }), "--server-unavailable must be between 0 and 1 (got NaN)"},
		{"first error wins", with(func(p *Params) { p.Loss = 2; p.Latency = -1 }), "--loss must be between 0 and 1 (got 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}
