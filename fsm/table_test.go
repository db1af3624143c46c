package fsm

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// The compiled table is the looplab machine's transition function: for
// every (status, event) it moves exactly where a fresh looplab machine
// over Edges moves, and refuses exactly what that machine refuses.
func TestTableAgreesWithLooplab(t *testing.T) {
	for _, s := range AllStatuses {
		for e := range numEvents {
			m := newMachine(Edges)
			m.SetState(s.String())
			to, ok := DefaultTable.Next(s, e)
			if !m.Can(e.String()) {
				if ok {
					t.Errorf("table moves %s -%s-> %s; looplab refuses", s, e, to)
				}
				continue
			}
			if err := m.Event(t.Context(), e.String()); err != nil {
				t.Fatalf("looplab %s -%s->: %v", s, e, err)
			}
			if !ok || to.String() != m.Current() {
				t.Errorf("table %s -%s-> %s (%v); looplab -> %s", s, e, to, ok, m.Current())
			}
			// And the edge is a published one (the independent map).
			if ev, ok := EdgeEvent(s, to); !ok || ev != e.String() {
				t.Errorf("table edge %s -%s-> %s: EdgeEvent says %q, %v", s, e, to, ev, ok)
			}
		}
	}
	// Every event name of Edges is one of the core's events.
	for _, ed := range Edges {
		if _, ok := eventByName(ed.Event); !ok {
			t.Errorf("Edges event %q is not a core event", ed.Event)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edges []Edge
		want  string
	}{
		{"unknown status", []Edge{{Event: EvConnect, From: []string{"NOPE"}, To: "CONNECTING"}}, `unknown status "NOPE"`},
		{"unknown event", []Edge{{Event: "fly", From: []string{"UNCONNECTED"}, To: "CONNECTING"}}, `unknown event "fly"`},
		{"self-loop", []Edge{{Event: EvConnect, From: []string{"CONNECTING"}, To: "CONNECTING"}}, "self-loop"},
		{"empty", nil, "empty machine"},
	} {
		if _, err := Compile(tc.edges); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Compile error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// An edge the machine does not have panics, naming the event and status.
func TestIllegalMovePanics(t *testing.T) {
	c := NewClient(DefaultConfig(), 0)
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `illegal move "connected" from UNCONNECTED`) {
			t.Fatalf("panic %v", r)
		}
	}()
	c.fire(evConnected)
}

// A machine from Config.Table is the one the client moves along.
func TestConfigTable(t *testing.T) {
	// A machine without the offline connect edge: Connect offline panics.
	var edges []Edge
	for _, e := range Edges {
		if e.Event != EvConnectOffline {
			edges = append(edges, e)
		}
	}
	cfg := DefaultConfig()
	cfg.Table = MustCompile(edges)
	c := NewClient(cfg, 0)
	c.Step(0, Input{Kind: InInit})
	c.Step(0, Input{Kind: InNetDown})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "connect_offline") {
			t.Fatalf("panic %v", r)
		}
	}()
	c.Step(0, Input{Kind: InConnect, Call: 1})
}

// clientBytes is the memory one client holds: the struct and the backing
// array of its listeners. The Config's Policy, the Table and a shared
// Driver are shared by every client and not counted.
func clientBytes(c *Client) int {
	n := int(unsafe.Sizeof(*c))
	if c.ids != nil {
		n += int(unsafe.Sizeof(*c.ids)) + cap(*c.ids)*int(unsafe.Sizeof(int32(0)))
	}
	return n
}

// clientBudget is the per-client memory budget of the storm issue (1 KB
// including timers and the server session) less a share for those, which
// live in the driver and the server.
const clientBudget = 512

// A client driven through StepInto with a shared Driver and buffer (the
// way a driver of many clients runs it) stays within clientBudget bytes
// through a connect, a loss, a reconnection and heartbeats, its struct
// within 144 B.
func TestClientBytes(t *testing.T) {
	cfg := DefaultConfig()
	c, drv := &Client{}, &Driver{}
	c.Share(drv)
	c.Reset(&cfg, 0)
	var buf []Effect
	step := func(now time.Duration, in Input) []Effect {
		buf = c.StepInto(buf[:0], now, in)
		return buf
	}
	step(0, Input{Kind: InAddListener, Listener: 1})
	step(0, Input{Kind: InInit, AppKey: 1})
	step(0, Input{Kind: InConnect, Call: 1, Token: 1, TimeLimit: 5 * time.Second})
	step(20*time.Millisecond, Input{Kind: InTimer, Timer: TimerDB, Call: 1})
	step(50*time.Millisecond, Input{Kind: InRecv, Msg: Msg{Kind: MsgAuthReply, Seq: 1, Code: OK}})
	effs := step(time.Second, Input{Kind: InIPCDisconnect})
	retry := effs[len(effs)-1]
	step(retry.At, Input{Kind: InTimer, Timer: TimerRetry, Gen: retry.Gen})
	step(retry.At+time.Millisecond, Input{Kind: InRecv, Msg: Msg{Kind: MsgAuthReply, Seq: 2, Code: OK}})
	if c.CurrentStatus() != Connected {
		t.Fatalf("status %s", c.CurrentStatus())
	}
	if cap(drv.out) != 0 {
		t.Errorf("StepInto left an effect buffer of %d in the Driver", cap(drv.out))
	}
	if s := unsafe.Sizeof(*c); s > 144 {
		t.Errorf("Client is %d B, want <= 144", s)
	}
	n := clientBytes(c)
	t.Logf("client: %d B (struct %d B)", n, unsafe.Sizeof(*c))
	if n > clientBudget {
		t.Errorf("a client holds %d B, budget %d B", n, clientBudget)
	}
}

// BenchmarkClientBytes reports the bytes one client holds after a connect
// and a reconnection (B/client: the struct and its slices, as
// TestClientBytes counts them), and the cost of building it.
func BenchmarkClientBytes(b *testing.B) {
	cfg := DefaultConfig()
	var buf []Effect
	var c *Client
	b.ReportAllocs()
	for b.Loop() {
		c = NewClient(cfg, 0)
		buf = c.StepInto(buf[:0], 0, Input{Kind: InInit, AppKey: 1})
		buf = c.StepInto(buf[:0], 0, Input{Kind: InConnect, Call: 1, Token: 1})
		buf = c.StepInto(buf[:0], time.Millisecond, Input{Kind: InRecv, Msg: Msg{Kind: MsgAuthReply, Seq: 1, Code: OK}})
	}
	b.ReportMetric(float64(clientBytes(c)), "B/client")
}
