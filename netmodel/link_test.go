package netmodel

import (
	"math"
	"slices"
	"testing"
	"time"
)

// withLoss returns l with the default latency and both directions on
// model 0 of the net's table, Bernoulli(p), never started.
func withLoss(l Link, p float64) Link {
	l.Latency = 50 * time.Millisecond
	m := Bernoulli(p)
	l.Path = [2]Path{pathOf(0, &m), pathOf(0, &m)}
	return l
}

// checkModels fails unless n's links share one model, Bernoulli(p).
func checkModels(t *testing.T, n *Net, p float64) {
	t.Helper()
	if len(n.Models) != 1 || n.Models[0] != Bernoulli(p) {
		t.Errorf("Models = %+v, want [Bernoulli(%v)]", n.Models, p)
	}
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
	checkModels(t, &n, 0.25)
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
	checkModels(t, &n, 0)
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
			if n.Model(i, DirUp) != Bernoulli(tt.want[i]) || n.Model(i, DirDown) != Bernoulli(tt.want[i]) {
				t.Errorf("SetLoss(%d, %v): Links[%d] loss = %v, want %v", tt.dev, tt.p, i, n.LossText(i), tt.want[i])
			}
		}
		if n.P.Loss != 0.1 {
			t.Errorf("SetLoss changed P.Loss to %v", n.P.Loss)
		}
	}
}

// TestModelTable: links share their loss models through Net.Models, past
// the size where a scan gives way to the index, and Reset starts over.
func TestModelTable(t *testing.T) {
	var n Net
	n.Reset(DefaultParams(), 50)
	for i := range 50 {
		n.SetLoss(i, float64(i%40)/100)
	}
	for i := range 50 {
		if want := Bernoulli(float64(i%40) / 100); n.Model(i, DirUp) != want || n.Model(i, DirDown) != want {
			t.Fatalf("link %d: loss %s, want %v", i, n.LossText(i), want)
		}
	}
	if len(n.Models) != 40 {
		t.Errorf("%d models for 40 distinct losses", len(n.Models))
	}
	n.SetLoss(-1, 0.5)
	n.SetLoss(3, 0.07)
	if n.Model(3, DirUp) != Bernoulli(0.07) || n.Model(4, DirUp) != Bernoulli(0.5) || len(n.Models) != 41 {
		t.Errorf("after SetLoss(-1) and (3): %s, %s, %d models", n.LossText(3), n.LossText(4), len(n.Models))
	}
	p := DefaultParams()
	p.Loss = 0.2
	n.Reset(p, 2)
	checkModels(t, &n, 0.2)
	n.SetLoss(1, 0.07)
	if n.Model(0, DirUp) != Bernoulli(0.2) || n.Model(1, DirDown) != Bernoulli(0.07) || len(n.Models) != 2 {
		t.Errorf("after Reset: %s, %s, %d models", n.LossText(0), n.LossText(1), len(n.Models))
	}
}

// TestResetSame: ResetSame leaves the links as ResetTo with the same
// parameters does, and declines after a change it cannot see without
// comparing them: a new model, P set, no ResetTo yet.
func TestResetSame(t *testing.T) {
	var n Net
	if n.ResetSame(2) {
		t.Fatal("ResetSame before any ResetTo")
	}
	p := Params{Loss: 0.3, Latency: 50 * time.Millisecond}
	n.ResetTo(&p, 2)
	want := slices.Clone(n.Links)
	n.Down(0)
	n.SetLoss(1, 0.3) // the same model: nothing to redo
	if !n.ResetSame(2) || !slices.Equal(n.Links, want) {
		t.Fatalf("ResetSame: %v, want %v", n.Links, want)
	}
	n.SetLoss(1, 0.5)
	if n.ResetSame(2) {
		t.Fatal("ResetSame after a new model")
	}
	n.ResetTo(&p, 2)
	n.SetServerUnavailable(1)
	if n.ResetSame(2) {
		t.Fatal("ResetSame after SetServerUnavailable")
	}
	n.ResetTo(&p, 2)
	if !n.ResetSame(2) || n.P.ServerUnavailable != 0 || !slices.Equal(n.Links, want) {
		t.Fatalf("ResetTo after SetServerUnavailable: %v, %v", n.P.ServerUnavailable, n.Links)
	}
}

// TestCounts: Counts adds up every path's messages since Reset; a burst
// is a run on one path, so losses on one path interleaved with passes on
// others stay one burst; a message sent offline is not counted.
func TestCounts(t *testing.T) {
	var n Net
	n.Reset(Params{}, 2)
	n.SetLoss(0, 1)
	rng := newRNG(1)
	for range 5 {
		for _, dir := range []Dir{DirUp, DirDown} {
			n.Send(rng, 0, dir)
			n.Send(rng, 1, dir)
		}
	}
	n.Down(1)
	n.Send(rng, 1, DirUp)
	if s, l, b := n.Counts(); s != 20 || l != 10 || b != 2 {
		t.Errorf("Counts = %d sent, %d lost, %d bursts; want 20, 10, 2", s, l, b)
	}
	n.SetLoss(0, 0)
	n.Send(rng, 0, DirUp)
	n.SetLoss(0, 1)
	n.Send(rng, 0, DirUp)
	if s, l, b := n.Counts(); s != 22 || l != 11 || b != 3 {
		t.Errorf("after a pass: Counts = %d sent, %d lost, %d bursts; want 22, 11, 3", s, l, b)
	}
	n.Reset(Params{}, 2)
	if s, l, b := n.Counts(); s != 0 || l != 0 || b != 0 {
		t.Errorf("after Reset: Counts = %d, %d, %d", s, l, b)
	}
}
