package sim

import (
	"math"
	"slices"
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

func TestAddTimeSaturates(t *testing.T) {
	if got := addTime(math.MaxInt64-5, 10); got != maxTime {
		t.Errorf("addTime near the top = %v", got)
	}
	if got := addTime(5, 10); got != 15 {
		t.Errorf("addTime(5, 10) = %v", got)
	}
	if got := addTime(MaxDuration, MaxDuration); got != 2*MaxDuration {
		t.Errorf("two maximal durations = %v", got)
	}
}
