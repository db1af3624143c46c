package storm

import (
	"strings"
	"testing"
	"time"
)

// TestMessagesUnloaded: with no outage, no loss and a fixed latency, every
// message that reaches the server while its client is connected is shown
// live one latency later, the ones sent before the client's first connect
// are pulled, nothing is pushed or lost to a ghost, and only the messages
// still on their way at the horizon (about rate x clients x latency = 7.5)
// are not shown. (A message that arrives while its client's first pull is
// in flight comes twice, live and in the pull: a duplicate, dropped.)
func TestMessagesUnloaded(t *testing.T) {
	p := DefaultParams()
	p.Clients = 300
	p.OutageKind, p.OutageFrom, p.OutageTo = OutageNone, 0, 0
	p.Model.Horizon = time.Minute
	p.Model.Msg.Rate = 0.5
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Msg
	if m == nil || m.Sent < 8000 {
		t.Fatalf("messages: %+v, want about %d sent", m, int(p.Model.Msg.Rate*float64(p.Clients)*p.Model.Horizon.Seconds()))
	}
	for _, d := range m.Live {
		if d != p.Model.Net.Latency {
			t.Fatalf("a live message took %v, want the latency %v", d, p.Model.Net.Latency)
		}
	}
	if m.Pushes != 0 || m.Ghosts != 0 || m.Dropped != 0 || len(m.Push) != 0 {
		t.Errorf("pushes %d, ghosts %d, dropped %d, push path %d: want none", m.Pushes, m.Ghosts, m.Dropped, len(m.Push))
	}
	if m.Stored == 0 || len(m.Pull) < m.Stored {
		t.Errorf("%d stored before the clients logged in, %d pulled: want some, all pulled", m.Stored, len(m.Pull))
	}
	if lost := m.Sent - m.Shown; lost < 0 || lost > 20 {
		t.Errorf("%d sent, %d shown: want all but the few on their way at the horizon", m.Sent, m.Shown)
	}
	if m.Pulls != p.Clients {
		t.Errorf("%d pulls, want one per client's connect, %d", m.Pulls, p.Clients)
	}
}

// TestNoMessagesNoTrace: without --msg-rate a storm has no message layer,
// and neither its --json params nor its series name one.
func TestNoMessagesNoTrace(t *testing.T) {
	p := DefaultParams()
	p.Clients = 50
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Msg != nil || r.MsgRows != nil {
		t.Fatalf("a storm without messages measured them: %+v", r.Msg)
	}
	var js, csv strings.Builder
	runs := []Labelled{{Result: r}}
	if err := WriteJSON(&js, runs); err != nil {
		t.Fatal(err)
	}
	if err := WriteSeriesCSV(&csv, runs); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"msg_rate", "push_latency", "offline_retention", `"messages"`} {
		if strings.Contains(js.String(), s) {
			t.Errorf("--json names %s without messages", s)
		}
	}
	if h, _, _ := strings.Cut(csv.String(), "\n"); strings.Contains(h, "pulls") {
		t.Errorf("the series' header %q has message columns without messages", h)
	}
}
