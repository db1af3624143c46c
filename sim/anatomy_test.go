package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/vocab"
)

// serverEdges merges each server's overlapping or touching windows into
// one outage and orders the edges by time, then server (an up and a down
// of one server never share an instant once merged).
func TestServerEdges(t *testing.T) {
	s := time.Second
	got := serverEdges([]model.ServerDown{
		{Server: 1, From: 5 * s, To: 10 * s},
		{Server: 0, From: 5 * s, To: 6 * s},
		{Server: 1, From: 10 * s, To: 12 * s}, // touches: one outage 5-15 s
		{Server: 1, From: 8 * s, To: 15 * s},  // overlaps
		{Server: 0, From: 20 * s, To: 30 * s},
	})
	want := []edge{
		{At: 5 * s, Server: 0, Down: true},
		{At: 5 * s, Server: 1, Down: true},
		{At: 6 * s, Server: 0},
		{At: 15 * s, Server: 1},
		{At: 20 * s, Server: 0, Down: true},
		{At: 30 * s, Server: 0},
	}
	if !slices.Equal(got, want) {
		t.Errorf("serverEdges = %v, want %v", got, want)
	}
	if e := serverEdges(nil); len(e) != 0 {
		t.Errorf("no windows: %v", e)
	}
}

// A trial that settles before a window starts ends there, with no server
// record: the window's edges neither run early nor hold the trial.
func TestServerWindowDoesNotHoldTrial(t *testing.T) {
	p := model.DefaultParams()
	p.Client.Servers = 2
	p.ServerDown = []model.ServerDown{{Server: 0, From: time.Minute, To: 2 * time.Minute}}
	w := NewWorld(p, model.DefaultScenario())
	w.Run(1, 0)
	last := w.Recs[len(w.Recs)-1]
	if last.T >= time.Minute {
		t.Fatalf("the trial ran to %v: the window held it", last.T)
	}
	for _, r := range w.Recs {
		if r.Op == vocab.SrvServerDown {
			t.Fatalf("a server record at %v in a trial that settled before the window", r.T)
		}
	}
}
