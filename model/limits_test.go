package model

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMergeWindows(t *testing.T) {
	s := time.Second
	for _, c := range []struct{ in, want []Window }{
		{[]Window{{10 * s, 40 * s}, {20 * s, 30 * s}}, []Window{{10 * s, 40 * s}}},
		{[]Window{{10 * s, 40 * s}, {20 * s, 0}}, []Window{{10 * s, 0}}},
		{[]Window{{20 * s, 0}, {10 * s, 15 * s}}, []Window{{10 * s, 15 * s}, {20 * s, 0}}},
		{[]Window{{30 * s, 50 * s}, {10 * s, 30 * s}, {60 * s, 70 * s}}, []Window{{10 * s, 50 * s}, {60 * s, 70 * s}}},
		{[]Window{{10 * s, 0}, {20 * s, 30 * s}}, []Window{{10 * s, 0}}},
	} {
		if got := MergeWindows(c.in); !slices.Equal(got, c.want) {
			t.Errorf("MergeWindows(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// Overlapping --net-off windows give one net_off and one net_on at the
// union's ends (issue 7 item 6).
func TestKnobsNetOffUnion(t *testing.T) {
	s := time.Second
	for _, c := range []struct {
		ws      []Window
		off, on []time.Duration
	}{
		{[]Window{{10 * s, 40 * s}, {20 * s, 30 * s}}, []time.Duration{10 * s}, []time.Duration{40 * s}},
		{[]Window{{10 * s, 40 * s}, {20 * s, 0}}, []time.Duration{10 * s}, nil},
	} {
		k := NoKnobs()
		k.NetOff = c.ws
		sc, err := k.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		var off, on []time.Duration
		for _, a := range sc.Script {
			switch a.Op {
			case OpNetOff:
				off = append(off, a.At)
			case OpNetOn:
				on = append(on, a.At)
			}
		}
		if !slices.Equal(off, c.off) || !slices.Equal(on, c.on) {
			t.Errorf("%v: net_off at %v, net_on at %v; want %v and %v", c.ws, off, on, c.off, c.on)
		}
	}
}

// net_off windows in a file (net_off with until) are merged per device
// as --net-off's are.
func TestFileNetOffWindows(t *testing.T) {
	s := time.Second
	_, sc, err := ParseFile("w.yaml", []byte(`devices: [{}, {}]
script:
  - {at: 0s, dev: 0, do: init}
  - {at: 10s, dev: 0, do: net_off, until: 40s}
  - {at: 10s, dev: 1, do: net_off, until: 15s}
  - {at: 20s, dev: 0, do: net_off, until: 30s}
  - {at: 35s, dev: 0, do: net_off, until: 50s}
  - {at: 40s, dev: 1, do: net_off}
`))
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		at  time.Duration
		dev int
		op  Op
	}
	var got []ev
	for _, a := range sc.Script {
		if a.Op == OpNetOff || a.Op == OpNetOn {
			got = append(got, ev{a.At, a.Dev, a.Op})
		}
	}
	want := []ev{{10 * s, 0, OpNetOff}, {10 * s, 1, OpNetOff}, {15 * s, 1, OpNetOn}, {40 * s, 1, OpNetOff}, {50 * s, 0, OpNetOn}}
	if !slices.Equal(got, want) {
		t.Errorf("network ops %v, want %v", got, want)
	}
	for _, c := range []struct{ doc, want string }{
		{"script:\n  - {at: 5s, do: net_off, until: 5s}\n", "w.yaml:2: script[0].until: must be after at (5s)"},
		{"script:\n  - {at: 5s, do: mark, until: 6s}\n", "w.yaml:2: script[0].until: is only for net_off"},
	} {
		if _, _, err := ParseFile("w.yaml", []byte(c.doc)); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.doc, err, c.want)
		}
	}
}

// FitsRun refuses a scripted server the run's --servers does not list,
// naming the file's line and the range, and accepts one it lists.
func TestFitsRunServers(t *testing.T) {
	f, _, err := ParseFile("s.yaml", []byte("script:\n  - {at: 0s, do: init}\n  - {at: 1s, do: server_up, server: 0}\n  - {at: 2s, do: server_down, server: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	servers := func(n int) Params {
		p := DefaultParams()
		p.Client.Servers = n
		return p
	}
	want := "s.yaml:4: script[2].server: must be between 0 and 2, a listed server (--servers 3) (got 3)"
	if err := f.FitsRun(servers(3)); err == nil || err.Error() != want {
		t.Errorf("FitsRun(--servers 3) = %v, want %s", err, want)
	}
	if err := f.FitsRun(servers(4)); err != nil {
		t.Errorf("FitsRun(--servers 4) = %v", err)
	}
}

// FitsRun refuses a Connect's positive time_limit under web, whose
// connect takes none (as --time-limit is refused), naming the file's
// line, and accepts it on android and a limit of 0 or less on web.
func TestFitsRunWebTimeLimit(t *testing.T) {
	f, _, err := ParseFile("w.yaml", []byte("script:\n  - {at: 0s, do: init}\n  - {at: 0s, do: connect, time_limit: -1s}\n  - {at: 1s, do: disconnect}\n  - {at: 2s, do: connect, time_limit: 10ms}\n"))
	if err != nil {
		t.Fatal(err)
	}
	web, err := Registry.Defaults("web")
	if err != nil {
		t.Fatal(err)
	}
	want := "w.yaml:5: script[3].time_limit: must be 0 or less with --profile web: its connect takes no timeLimit (got 10ms)"
	if err := f.FitsRun(web); err == nil || err.Error() != want {
		t.Errorf("FitsRun(web) = %v, want %s", err, want)
	}
	if err := f.FitsRun(DefaultParams()); err != nil {
		t.Errorf("FitsRun(android) = %v", err)
	}
}
