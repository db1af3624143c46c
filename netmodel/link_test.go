package netmodel

import (
	"math"
	"testing"
	"time"
)

// withLoss returns l with the default latency and both directions
// Bernoulli(p), never started.
func withLoss(l Link, p float64) Link {
	l.Latency = 50 * time.Millisecond
	l.Path = [2]Path{{Model: Bernoulli(p)}, {Model: Bernoulli(p)}}
	return l
}

func TestReset(t *testing.T) {
	var n Net
	p := DefaultParams()
	p.Loss = 0.25
	n.Reset(p, 3)
	if len(n.Links) != 3 {
		t.Fatalf("len(Links) = %d, want 3", len(n.Links))
	}
	for i, l := range n.Links {
		if l != withLoss(Link{Up: true}, 0.25) {
			t.Errorf("Links[%d] = %+v after Reset", i, l)
		}
	}
	n.Down(1)
	n.Change(2)
	n.SetLoss(0, 0.9)
	first := &n.Links[0]
	n.Reset(DefaultParams(), 2)
	if &n.Links[0] != first {
		t.Error("Reset did not reuse the Links slice")
	}
	if len(n.Links) != 2 {
		t.Fatalf("len(Links) = %d, want 2", len(n.Links))
	}
	for i, l := range n.Links {
		if l != withLoss(Link{Up: true}, 0) {
			t.Errorf("Links[%d] = %+v after second Reset", i, l)
		}
	}
	if n.P != DefaultParams() {
		t.Errorf("P = %+v", n.P)
	}
}

func TestLinkTransitions(t *testing.T) {
	tests := []struct {
		name string
		ops  string // d = Down, u = Up, c = Change
		want Link
	}{
		{"none", "", Link{Up: true}},
		{"down", "d", Link{Up: false, Epoch: 1}},
		{"down up", "du", Link{Up: true, Epoch: 2}},
		{"change", "c", Link{Up: true, Type: 1, Epoch: 1}},
		{"change twice", "cc", Link{Up: true, Type: 2, Epoch: 2}},
		{"down down counts twice", "dd", Link{Up: false, Epoch: 2}},
		{"up while up counts", "u", Link{Up: true, Epoch: 1}},
		{"change while down", "dc", Link{Up: false, Type: 1, Epoch: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n Net
			n.Reset(DefaultParams(), 2)
			for _, op := range tt.ops {
				switch op {
				case 'd':
					n.Down(0)
				case 'u':
					n.Up(0)
				case 'c':
					n.Change(0)
				}
			}
			if want := withLoss(tt.want, 0); n.Links[0] != want {
				t.Errorf("Links[0] = %+v, want %+v", n.Links[0], want)
			}
			if n.Links[1] != withLoss(Link{Up: true}, 0) {
				t.Errorf("other link changed: %+v", n.Links[1])
			}
		})
	}
}

func TestSetLoss(t *testing.T) {
	tests := []struct {
		dev  int
		p    float64
		want [3]float64
	}{
		{1, 0.5, [3]float64{0.1, 0.5, 0.1}},
		{-1, 0.5, [3]float64{0.5, 0.5, 0.5}},
		{-1, 2, [3]float64{1, 1, 1}},
		{0, -1, [3]float64{0, 0.1, 0.1}},
		{2, math.NaN(), [3]float64{0.1, 0.1, 0}},
	}
	for _, tt := range tests {
		var n Net
		p := DefaultParams()
		p.Loss = 0.1
		n.Reset(p, 3)
		n.SetLoss(tt.dev, tt.p)
		for i := range 3 {
			if got := n.Links[i].Path; got[DirUp].Model != Bernoulli(tt.want[i]) || got[DirDown].Model != Bernoulli(tt.want[i]) {
				t.Errorf("SetLoss(%d, %v): Links[%d] loss = %v, want %v", tt.dev, tt.p, i, n.Links[i].LossText(), tt.want[i])
			}
		}
		if n.P.Loss != 0.1 {
			t.Errorf("SetLoss changed P.Loss to %v", n.P.Loss)
		}
	}
}
