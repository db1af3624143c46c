package sim

import (
	"testing"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
)

// TestTCPStaleConnection: a message of a connection that was replaced
// (a later Auth opened a new one) is not delivered.
func TestTCPStaleConnection(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Transport = netmodel.TransportTCP
	sc, _ := model.NoKnobs().Scenario()
	w := NewWorld(p, sc)
	w.Begin(1, 0)
	w.net.Conns[0].Gen = 5
	e := event{kind: evToClient, dev: 0, gen: 4}
	if w.deliverable(&e) {
		t.Fatal("a segment of connection 4 delivered on connection 5")
	}
	e.gen = 5
	if !w.deliverable(&e) {
		t.Fatal("a segment of the current connection not delivered")
	}
}
