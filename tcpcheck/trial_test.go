package tcpcheck

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/netmodel"
)

func params(loss float64, latency time.Duration) Params {
	return Params{Net: netmodel.Params{Loss: loss, Latency: latency}}
}

// Without loss the exchange is two round trips: SYN, SYN-ACK, then the
// request (with the handshake's last ACK) and the reply. Seven packets:
// the server also ACKs the request alone before writing the reply, and the
// client ACKs the reply. (A round trip above the 1 s initial RTO would add
// spurious SYN retries, so latencies stay below 500 ms.)
func TestLossFreeIsTwoRoundTrips(t *testing.T) {
	for _, lat := range []time.Duration{0, time.Millisecond, 50 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond} {
		r, err := Trial(params(0, lat), 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := Result{OK: true, Time: 4 * lat, End: 4 * lat, Sent: 7}
		if r != want {
			t.Errorf("latency %v: got %+v, want %+v", lat, r, want)
		}
	}
}

// With every packet lost the client sends its SYN and gVisor's six
// retries, at 0, 1, 3, 7, 15, 31 and 63 s (initial RTO 1 s, doubled), and
// gives up at 127 s, when the doubled RTO (128 s) would exceed MaxRTO
// (120 s): the same schedule as Linux with tcp_syn_retries = 6.
func TestAllLostGivesUpAfterSixSYNRetries(t *testing.T) {
	var tr bytes.Buffer
	r, err := runTrial(params(1, 50*time.Millisecond), 1, 0, &tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{OK: false, End: 127 * time.Second, Sent: 7, Lost: 7}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
	var at []string
	for _, line := range strings.Split(strings.TrimSpace(tr.String()), "\n") {
		at = append(at, strings.Fields(line)[0])
	}
	if w := []string{"0s", "1s", "3s", "7s", "15s", "31s", "1m3s"}; !slices.Equal(at, w) {
		t.Errorf("SYNs at %v, want %v\n%s", at, w, tr.String())
	}
}

// A horizon shorter than the give-up ends the trial at the horizon.
func TestHorizonEndsTrial(t *testing.T) {
	p := params(1, 50*time.Millisecond)
	p.Horizon = 10 * time.Second
	r, err := Trial(p, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Result{End: 10 * time.Second, Sent: 4, Lost: 4}); r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
}

// One chosen loss each, with the time gVisor's timers predict (latency
// 50 ms, so one round trip is 100 ms). Packets are numbered in the order
// they are put on the link: 0 SYN, 1 SYN-ACK, 2 ACK, 3 request, 4 the
// server's ACK, 5 reply, 6 the client's ACK.
func TestSingleLossTimes(t *testing.T) {
	cases := []struct {
		name string
		lose int
		want time.Duration
	}{
		// SYN retransmitted after the 1 s initial RTO.
		{"SYN", 0, time.Second + 200*time.Millisecond},
		// The client's SYN retry at 1 s meets the server's own SYN-ACK
		// retry (1 s after the first, at 1.05 s): the SYN-ACK arrives at
		// 1.1 s.
		{"SYN-ACK", 1, 1100*time.Millisecond + 100*time.Millisecond},
		// The request carries the ACK too: losing the bare ACK costs nothing.
		{"ACK", 2, 200 * time.Millisecond},
		// The request is resent by RACK's tail loss probe, not the RTO:
		// PTO = 2*SRTT + 200 ms (worst-case delayed ACK) = 400 ms, where
		// the RTO would be SRTT + 4*RTTVAR = 300 ms. Sent at 100 ms,
		// resent at 500 ms, answered at 600 ms.
		{"request", 3, 600 * time.Millisecond},
		{"server ACK", 4, 200 * time.Millisecond},
		// The server's SRTT is 100 ms too: resent 400 ms after 150 ms.
		{"reply", 5, 600 * time.Millisecond},
		{"client ACK", 6, 200 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tr bytes.Buffer
			r, err := runTrial(params(0, 50*time.Millisecond), 1, 0, &tr, func(i int) bool { return i == c.lose })
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK || r.Time != c.want || r.Lost != 1 {
				t.Errorf("got %+v, want OK in %v with 1 loss\n%s", r, c.want, tr.String())
			}
		})
	}
}

// Without RACK (NoTailLossProbe) a lost request or reply waits for the RFC
// 6298 RTO instead of the tail loss probe: SRTT 100 ms, RTTVAR 50 ms, so
// RTO = 100 + 4*50 = 300 ms and the answer comes 100 ms earlier than with
// the probe (400 ms).
func TestNoTailLossProbeResendsAtRTO(t *testing.T) {
	p := params(0, 50*time.Millisecond)
	p.NoTailLossProbe = true
	for lose, want := range map[int]time.Duration{3: 500 * time.Millisecond, 5: 500 * time.Millisecond, 0: 1200 * time.Millisecond} {
		var tr bytes.Buffer
		r, err := runTrial(p, 1, 0, &tr, func(i int) bool { return i == lose })
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.Time != want {
			t.Errorf("packet %d lost: got %+v, want answered at %v\n%s", lose, r, want, tr.String())
		}
	}
}

// The trial answers at the loss-free 4 latencies exactly when SYN,
// SYN-ACK, request and reply all pass: probability (1-p)^4 under the
// Bernoulli model. The observed share must be within the 99.9% normal
// interval of that, which checks that every packet meets the loss model
// once and independently.
func TestLossFreeShareMatchesBernoulli(t *testing.T) {
	const n = 600
	for _, p := range []float64{0.1, 0.3} {
		rs, err := Sample(params(p, 50*time.Millisecond), 7, n, 2)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, r := range rs {
			if r.OK && r.Time == 200*time.Millisecond {
				k++
			}
		}
		q := math.Pow(1-p, 4)
		half := 3.29 * math.Sqrt(q*(1-q)/n)
		if got := float64(k) / n; math.Abs(got-q) > half {
			t.Errorf("loss %v: %d of %d trials loss-free (%.3f), want %.3f +- %.3f", p, k, n, got, q, half)
		}
	}
}

// The same trial gives the same packets at the same times, and Sample's
// output does not depend on its worker count.
func TestDeterministic(t *testing.T) {
	p := params(0.4, 30*time.Millisecond)
	p.Net.Jitter = 20 * time.Millisecond
	for trial := range 20 {
		var a, b bytes.Buffer
		ra, err := runTrial(p, 3, trial, &a, nil)
		if err != nil {
			t.Fatal(err)
		}
		rb, _ := runTrial(p, 3, trial, &b, nil)
		if ra != rb || a.String() != b.String() {
			t.Fatalf("trial %d differs between runs:\n%+v\n%s\n%+v\n%s", trial, ra, a.String(), rb, b.String())
		}
	}
	one, err := Sample(p, 5, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, _ := Sample(p, 5, 60, 3)
	if !slices.Equal(one, three) {
		t.Error("Sample differs between 1 and 3 workers")
	}
	other, _ := Sample(p, 6, 60, 1)
	if slices.Equal(one, other) {
		t.Error("seeds 5 and 6 gave the same 60 trials")
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []Params{params(-0.1, 0), params(1.5, 0), params(math.NaN(), 0), params(0, -time.Second), {RequestBytes: 5000}} {
		if _, err := Trial(p, 1, 0); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}

func TestSecondsSortsAndMarksFailures(t *testing.T) {
	got := Seconds([]Result{{OK: true, Time: 3 * time.Second}, {End: 9 * time.Second}, {OK: true, Time: time.Second / 2}})
	if fmt.Sprint(got) != "[0.5 3 +Inf]" {
		t.Errorf("got %v", got)
	}
}

// The link takes netmodel's loss models whole: a Gilbert-Elliott chain
// that stays good (P = 0, nothing lost when good) loses nothing, one that
// stays bad (R = 0, stationary bad share 1, everything lost when bad)
// loses every packet, and a per-direction override applies to its
// direction only (the client's SYNs pass, every SYN-ACK is lost).
func TestLossModelsReachTheLink(t *testing.T) {
	good, bad := netmodel.LossModel{Kind: netmodel.KindGE, GE: netmodel.GE{P: 0, R: 1, LossBad: 1}},
		netmodel.LossModel{Kind: netmodel.KindGE, GE: netmodel.GE{P: 1, R: 0, LossBad: 1}}
	p := params(0, 50*time.Millisecond)
	p.Net.LossModel = good
	if r, err := Trial(p, 1, 0); err != nil || !r.OK || r.Time != 200*time.Millisecond || r.Lost != 0 {
		t.Errorf("always-good chain: %+v %v", r, err)
	}
	p.Net.LossModel = bad
	if r, err := Trial(p, 1, 0); err != nil || r.OK || r.Lost != r.Sent {
		t.Errorf("always-bad chain: %+v %v", r, err)
	}
	p.Net.LossModel = netmodel.LossModel{}
	p.Net.LossDown = netmodel.Bernoulli(1)
	var tr bytes.Buffer
	r, err := runTrial(p, 1, 0, &tr, nil)
	if err != nil || r.OK || r.End != 127*time.Second || strings.Count(tr.String(), "c>s  S       len=0\n") != 7 || strings.Count(tr.String(), "LOST") != r.Lost {
		t.Errorf("down link lost: %+v %v\n%s", r, err, tr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(tr.String()), "\n") {
		if strings.Contains(line, "s>c") != strings.HasSuffix(line, "LOST") {
			t.Errorf("only server-to-client packets may be lost: %q", line)
		}
	}
}

// gVisor's full schedule for a lost request (SRTT 100 ms, RTTVAR 50 ms,
// RTO 300 ms): sent at 0.1 s, the tail loss probe 400 ms later (0.5 s),
// then the RTO, not doubled by the probe (0.8 s), then doubling (1.4 s,
// 2.6 s). The model would need this schedule to match (docs).
func TestDataRetransmissionSchedule(t *testing.T) {
	var tr bytes.Buffer
	// Packets 3 to 6 are the request and its first three copies.
	r, err := runTrial(params(0, 50*time.Millisecond), 1, 0, &tr, func(i int) bool { return i >= 3 && i <= 6 })
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	for _, line := range strings.Split(tr.String(), "\n") {
		if strings.Contains(line, "c>s    PA    len=200") {
			at = append(at, strings.Fields(line)[0])
		}
	}
	if w := []string{"100ms", "500ms", "800ms", "1.4s", "2.6s"}; !slices.Equal(at, w) || !r.OK || r.Time != 2700*time.Millisecond {
		t.Errorf("request copies at %v, want %v; %+v\n%s", at, w, r, tr.String())
	}
}

// The attempt's steps without loss (Params.Navi, Exchanges): the
// navigation's connection and its exchange are two round trips, then the
// IM server's connection one more and each exchange one, in gVisor and
// in the model alike.
func TestAttemptLossFree(t *testing.T) {
	const lat = 50 * time.Millisecond
	for _, c := range []struct {
		navi      bool
		exchanges int
		rtts      int
	}{{false, 1, 2}, {false, 3, 4}, {true, 1, 4}, {true, 2, 5}, {true, 5, 8}} {
		p := params(0, lat)
		p.Navi, p.Exchanges = c.navi, c.exchanges
		r, err := Trial(p, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Duration(c.rtts) * 2 * lat
		if !r.OK || r.Time != want {
			t.Errorf("navi %v, %d exchanges: gVisor %+v, want answered at %v", c.navi, c.exchanges, r, want)
		}
		if m := ModelSeconds(p, 1, 1); m[0] != want.Seconds() {
			t.Errorf("navi %v, %d exchanges: model %v s, want %v", c.navi, c.exchanges, m[0], want)
		}
	}
}
