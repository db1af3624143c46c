package netmodel

import (
	"math/rand/v2"
	"testing"
	"time"
)

// fateSource scripts the fate of each Float64 draw on a link with loss
// 0.5 and no jitter: 'l' returns 0 (lost), 'p' returns just under 1
// (passes). Past the script every draw passes.
type fateSource struct {
	fates string
	n     int
}

func (f *fateSource) Uint64() uint64 {
	i := f.n
	f.n++
	if i < len(f.fates) && f.fates[i] == 'l' {
		return 0
	}
	return ^uint64(0)
}

// scripted runs connect, one request and its answer with the given fates
// (loss 0.5, latency 50 ms) and returns the connect time and the answer's
// arrival.
func scripted(t *testing.T, fates string) (conn, answer time.Duration, ok bool, draws int) {
	t.Helper()
	var n Net
	n.Reset(Params{Loss: 0.5, Latency: 50 * time.Millisecond, Transport: TransportTCP}, 1)
	src := &fateSource{fates: fates}
	rng := StreamOf(rand.New(src))
	conn, ok = n.TCPConnect(rng, 0, 0)
	if !ok {
		return conn, 0, false, src.n
	}
	at, ok := n.TCPSend(rng, 0, DirUp, conn)
	if !ok {
		return conn, at, false, src.n
	}
	answer, ok = n.TCPSend(rng, 0, DirDown, at)
	return conn, answer, ok, src.n
}

func TestTCPScripted(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name         string
		fates        string // draws in order; see each case
		conn, answer time.Duration
		ok           bool
	}{
		// SYN, SYN-ACK, ACK; request, its ACK; answer, its ACK.
		{"no loss", "ppppppp", 100 * ms, 200 * ms, true},
		// SYN lost; the retransmission at 1 s gets through.
		{"first SYN lost", "lpppppp", 1100 * ms, 1200 * ms, true},
		// SYN, SYN-ACK lost; at 1 s the client's SYN (l) is lost, at
		// 1.05 s the server's timer resends the SYN-ACK (p): connected at
		// 1.1 s. RTT sample 1.1 s - 0 s (it echoes the first SYN).
		{"SYN-ACK lost, server timer", "pllp" + "ppppp", 1100 * ms, 1200 * ms, true},
		// SYN, SYN-ACK lost; at 1 s the client's SYN passes (arrives 1.05 s);
		// at 1.05 s the server's timer resends the SYN-ACK (lost) before the
		// duplicate SYN, which gets a bare ACK (p) and no SYN-ACK; at 3 s
		// the client's SYN (p); at 3.05 s the timer's SYN-ACK (p), then the
		// bare ACK for the duplicate (p): connected at 3.1 s.
		{"duplicate SYN not answered", "plplp" + "ppp" + "ppppp", 3100 * ms, 3200 * ms, true},
		// Connected at 100 ms (RTT 100 ms: SRTT 100, RTTVAR 50, RTO 300 ms,
		// tail loss probe 2*100+200 = 400 ms); the request is lost once:
		// the probe at 500 ms arrives at 550 ms; the server answers at once
		// (gVisor's TestSingleLossTimes: 600 ms).
		{"request lost once", "ppp" + "l" + "pp" + "pp", 100 * ms, 600 * ms, true},
		// The answer is lost twice: sent at 150 ms, probed at 550 ms (lost),
		// resent at the RTO, 850 ms: arrives 900 ms.
		{"answer lost twice", "ppp" + "pp" + "l" + "l" + "pp", 100 * ms, 900 * ms, true},
		// SYN lost: connected at 1.1 s with an RTT sample from the first SYN
		// (1.1 s: SRTT 1.1, RTO 3.3 s, probe 2.4 s); the request is lost:
		// probed at 3.5 s, answered at 3.6 s (gVisor's
		// TestHandshakeRTTSpansLostSYN).
		{"SYN and request lost", "lppp" + "l" + "pp" + "pp", 1100 * ms, 3600 * ms, true},
		// The request's ACK is lost: the request was delivered at 150 ms
		// anyway; the spurious retransmission at 400 ms is drawn too.
		{"request ACK lost", "ppp" + "pl" + "pp" + "pp", 100 * ms, 200 * ms, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, answer, ok, _ := scripted(t, tt.fates)
			if conn != tt.conn || answer != tt.answer || ok != tt.ok {
				t.Errorf("connected %v, answer %v (ok %v); want %v, %v (ok %v)", conn, answer, ok, tt.conn, tt.answer, tt.ok)
			}
		})
	}
}

func TestTCPGivesUp(t *testing.T) {
	var n Net
	n.Reset(Params{Loss: 1, Latency: 50 * time.Millisecond}, 1)
	rng := newRNG(1)
	at, ok := n.TCPConnect(rng, 0, 0)
	if ok || at != 127*time.Second || !n.Conns[0].Failed {
		t.Fatalf("connect at loss 1: %v %v, want failure at 127s (1+2+...+64)", at, ok)
	}
	// Connected, then every data segment lost.
	n.Reset(Params{Latency: 50 * time.Millisecond}, 1)
	at, ok = n.TCPConnect(rng, 0, 0)
	if !ok || at != 100*time.Millisecond {
		t.Fatalf("connect: %v %v", at, ok)
	}
	n.SetLoss(0, 1)
	got, ok := n.TCPSend(rng, 0, DirUp, at)
	// The tail loss probe at 400 ms, then the RTO from 300 ms doubling,
	// capped at 120 s: 15 retransmissions, failure at the 16th expiry.
	want := at + 400*time.Millisecond
	rto := 300 * time.Millisecond
	for range TCPRetries2 {
		want += rto
		rto = min(2*rto, TCPMaxRTO)
	}
	if ok || got != want {
		t.Fatalf("data at loss 1: %v %v, want failure at %v", got, ok, want)
	}
	if _, ok := n.TCPSend(rng, 0, DirDown, got); ok {
		t.Fatal("a failed connection carried a segment")
	}
}

func TestTCPRTO(t *testing.T) {
	var s rtoState
	if s.current() != time.Second {
		t.Fatalf("initial RTO %v", s.current())
	}
	s.sample(100 * time.Millisecond)
	if s.srtt != 100*time.Millisecond || s.rttvar != 50*time.Millisecond || s.current() != 300*time.Millisecond {
		t.Fatalf("after one sample: %+v", s)
	}
	for range 50 {
		s.sample(100 * time.Millisecond)
	}
	if s.current() != TCPMinRTO {
		t.Fatalf("steady RTO %v, want the 200 ms floor", s.current())
	}
	s.sample(time.Hour)
	if s.current() != TCPMaxRTO {
		t.Fatalf("RTO %v, want the 120 s ceiling", s.current())
	}
}

// TestFirstAnswerTCP: deterministic per (seed, trial); at loss 0 it is
// two round trips; the share answered within 127 s falls with loss.
func TestFirstAnswerTCP(t *testing.T) {
	if d, ok := FirstAnswerTCP(0, 50*time.Millisecond, 1, 0); !ok || d != 200*time.Millisecond {
		t.Fatalf("loss 0: %v %v", d, ok)
	}
	for trial := range 50 {
		a, okA := FirstAnswerTCP(0.3, 50*time.Millisecond, 9, trial)
		b, okB := FirstAnswerTCP(0.3, 50*time.Millisecond, 9, trial)
		if a != b || okA != okB {
			t.Fatalf("trial %d not deterministic", trial)
		}
	}
	fast := func(loss float64) int {
		k := 0
		for trial := range 2000 {
			if d, ok := FirstAnswerTCP(loss, 50*time.Millisecond, 1, trial); ok && d < 2*time.Second {
				k++
			}
		}
		return k
	}
	f1, f3, f5 := fast(0.1), fast(0.3), fast(0.5)
	if !(f1 > f3 && f3 > f5) {
		t.Fatalf("answered within 2 s: %d, %d, %d at loss 0.1, 0.3, 0.5", f1, f3, f5)
	}
}

func TestTCPNoAlloc(t *testing.T) {
	var n Net
	n.Reset(Params{Loss: 0.3, Latency: 50 * time.Millisecond, Transport: TransportTCP}, 1)
	rng := newRNG(4)
	a := testing.AllocsPerRun(200, func() {
		if at, ok := n.TCPConnect(rng, 0, 0); ok {
			n.TCPSend(rng, 0, DirUp, at)
		}
	})
	if a != 0 {
		t.Fatalf("%v allocations per connect and send", a)
	}
}

// A device's navigation connection is a connection of its own: opening it
// does not move the IM connection's generation or state, and Reset
// forgets it.
func TestNaviConnIsSeparate(t *testing.T) {
	var n Net
	n.Reset(Params{Latency: 50 * time.Millisecond, Transport: TransportTCP}, 2)
	rng := NewStream(rand.NewPCG(1, 2))
	if at, ok := n.TCPConnect(rng, 1, 0); !ok || at != 100*time.Millisecond {
		t.Fatalf("IM connect: %v %v", at, ok)
	}
	im := *n.Conn(1, ConnIM)
	for range 2 {
		if at, ok := n.TCPConnectOn(rng, 1, ConnNavi, time.Second); !ok || at != 1100*time.Millisecond {
			t.Fatalf("navigation connect: %v %v", at, ok)
		}
	}
	if got := *n.Conn(1, ConnIM); got != im {
		t.Errorf("the IM connection changed: %+v, was %+v", got, im)
	}
	if g := n.Conn(1, ConnNavi).Gen; g != 2 {
		t.Errorf("navigation connection generation %d, want 2", g)
	}
	if g := n.Conn(0, ConnNavi).Gen; g != 0 {
		t.Errorf("device 0's navigation connection generation %d, want 0", g)
	}
	n.Reset(n.P, 2)
	if g := n.Conn(1, ConnNavi).Gen; g != 0 {
		t.Errorf("after Reset: navigation connection generation %d, want 0", g)
	}
}
