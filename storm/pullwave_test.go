package storm

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// pullWave is what the pull-burst check reads of a storm: per bin, the
// sessions the server opened and the pulls that reached it, from the
// outage's end on.
type pullWave struct {
	bin          time.Duration
	opens, pulls []int
}

func pullWaveOf(r *Result) pullWave {
	w := pullWave{bin: r.Params.Bin}
	for i, row := range r.MsgRows {
		if r.Rows[i].T >= r.Params.OutageTo {
			w.opens = append(w.opens, row.Opens)
			w.pulls = append(w.pulls, row.Pulls)
		}
	}
	return w
}

// check tests that the pulls follow the opens by one round trip in
// [rttMin, rttMax) (both multiples of the bin): every session the server
// opens reaches its client after one one-way delay, the client pulls at
// once, and the pull reaches the server after another. So, counting
// whole bins, by the end of every bin the pulls so far number at least
// the opens up to rttMax earlier and at most those up to rttMin earlier,
// and at the end they match.
func (w pullWave) check(rttMin, rttMax time.Duration) error {
	lo, hi := int(rttMin/w.bin), int(rttMax/w.bin)
	var o, p []int // cumulative: o[i] counts bins [0, i)
	o, p = append(o, 0), append(p, 0)
	for i := range w.opens {
		o = append(o, o[i]+w.opens[i])
		p = append(p, p[i]+w.pulls[i])
	}
	at := func(c []int, i int) int { return c[max(0, min(i, len(c)-1))] }
	for i := range p {
		if low, high := at(o, i-hi), at(o, i-lo); p[i] < low || p[i] > high {
			return fmt.Errorf("%v after the outage's end: %d pulls reached the server, want between %d and %d (the sessions opened %v and %v earlier)",
				time.Duration(i)*w.bin, p[i], low, high, rttMax, rttMin)
		}
	}
	if n := len(o) - 1; o[n] != p[n] {
		return fmt.Errorf("%d sessions opened after the outage's end and %d pulls reached the server, want as many", o[n], p[n])
	}
	return nil
}

// TestPullBurstFollowsReconnectWave: after a server restart, 20,000
// clients reconnect in the waves their schedule and the server's capacity
// make, and each pulls what was stored for it as soon as it is back: the
// burst of pulls at the server is the wave of session opens delayed by one
// round trip (latency 50 ms each way), bin by bin, and their counts match
// (loss 0: no pull is lost or repeated, no handshake wasted). The latency
// is fixed: with jitter a pong or a message can overtake an earlier
// message, and the SDK then rightly pulls again for the gap it sees. The
// check fails on broken series: pulls one bin later, a pull missing, or a
// pull twice.
func TestPullBurstFollowsReconnectWave(t *testing.T) {
	p := DefaultParams()
	p.Clients = 20_000
	p.Model.Msg.Rate = 0.01
	p.Bin = 10 * time.Millisecond
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Wasted != 0 || r.Msg.Pushes == 0 {
		t.Fatalf("want no wasted handshake and some pushes (messages stored during the outage), got %d and %d", r.Stats.Wasted, r.Msg.Pushes)
	}
	w := pullWaveOf(r)
	rttMin, rttMax := 2*p.Model.Net.Latency, 2*(p.Model.Net.Latency+p.Model.Net.Jitter)
	if err := w.check(rttMin, rttMax); err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Max(w.pulls), slices.Max(w.opens)/4; got < want {
		t.Errorf("the busiest bin has %d pulls: want a burst, at least a quarter of the busiest bin's opens (%d)", got, want)
	}

	broken := map[string]func(w *pullWave){
		"pulls a bin late": func(w *pullWave) { w.pulls = append([]int{0}, w.pulls[:len(w.pulls)-1]...) },
		"a pull missing":   func(w *pullWave) { w.pulls[slices.Index(w.pulls, slices.Max(w.pulls))]-- },
		"a pull twice":     func(w *pullWave) { w.pulls[slices.Index(w.pulls, slices.Max(w.pulls))]++ },
	}
	for name, brk := range broken {
		b := pullWave{bin: w.bin, opens: slices.Clone(w.opens), pulls: slices.Clone(w.pulls)}
		brk(&b)
		if b.check(rttMin, rttMax) == nil {
			t.Errorf("%s: the check passed", name)
		}
	}
}
