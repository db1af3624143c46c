package storm

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
)

// unlimited returns storm parameters with a server that never pushes back:
// a worker for every client, no service time, no outage.
func unlimited(clients int) Params {
	p := DefaultParams()
	p.Clients = clients
	p.Workers = clients
	p.Queue = 0
	p.Service = 0
	p.OutageFrom, p.OutageTo = 0, 0
	return p
}

// ksCritical is the two-sample Kolmogorov-Smirnov distance beyond which
// the hypothesis "same distribution" is rejected at level 0.001
// (c(0.001) = 1.949): the 99.9% interval of the distance.
func ksCritical(n, m int) float64 {
	return 1.949 * math.Sqrt(float64(n+m)/float64(n*m))
}

// ksDistance is the largest gap between the empirical CDFs of a and b
// (both sorted).
func ksDistance(a, b []time.Duration) float64 {
	d, i, j := 0.0, 0, 0
	for i < len(a) && j < len(b) {
		x := min(a[i], b[j])
		for i < len(a) && a[i] == x {
			i++
		}
		for j < len(b) && b[j] == x {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}

// TestConnectTimeMatchesSimRun: with unlimited capacity and no outage, a
// storm's clients are independent trials of sim run's default scenario, so
// their times from Connect to onSuccess have sim run's distribution for the
// same network (two-sample KS within the 99.9% interval). Loss 0.3 and
// latency jitter make the distribution wide.
func TestConnectTimeMatchesSimRun(t *testing.T) {
	const n = 20000
	p := unlimited(n)
	p.Model.Net.Loss = 0.3
	p.Model.Net.Jitter = 20 * time.Millisecond
	// An hour: at loss 0.3 a first visit's attempt (navigation, socket,
	// auth) succeeds with 0.7^6 and later ones with 0.7^4, so every
	// client connects well within it.
	p.Model.Horizon = time.Hour
	p.Model.Client.HBInterval = p.Model.Horizon // no heartbeats: only the first connect is compared
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Duration
	for _, d := range r.ConnectTimes {
		if d < 0 {
			t.Fatalf("a client never connected in %v with no limit", p.Model.Horizon)
		}
		got = append(got, d)
	}
	sp := model.DefaultParams()
	sp.Net = p.Model.Net
	sp.TimeLimit = 0
	sp.Horizon = p.Model.Horizon
	w := sim.NewWorld(sp, model.DefaultScenario())
	var want []time.Duration
	for k := range n {
		res := w.Run(7, k)
		if res.Outcome != sim.OutcomeSuccess {
			t.Fatalf("sim trial %d: outcome %v", k, res.Outcome)
		}
		want = append(want, res.TTC)
	}
	slices.Sort(got)
	slices.Sort(want)
	d, crit := ksDistance(got, want), ksCritical(len(got), len(want))
	t.Logf("KS distance %.4f, 99.9%% critical %.4f; medians %v vs %v", d, crit, got[n/2], want[n/2])
	if d > crit {
		t.Fatalf("storm's time to connect differs from sim run's: KS %.4f > %.4f", d, crit)
	}
}

// TestConnectTimeDiffersUnderLoad shows the KS check has teeth: a loaded
// server (one worker, 50 ms per handshake) makes the storm's distribution
// differ from sim run's.
func TestConnectTimeDiffersUnderLoad(t *testing.T) {
	p := unlimited(2000)
	p.Workers, p.Queue, p.Service, p.ServiceDist = 1, 100000, 50*time.Millisecond, ServiceConst
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	q := unlimited(2000)
	r0, err := Run(q)
	if err != nil {
		t.Fatal(err)
	}
	a, b := slices.Clone(r.ConnectTimes), slices.Clone(r0.ConnectTimes)
	slices.Sort(a)
	slices.Sort(b)
	if d, crit := ksDistance(a, b), ksCritical(len(a), len(b)); d <= crit {
		t.Fatalf("a loaded server left the distribution unchanged: KS %.4f <= %.4f", d, crit)
	}
}

// scheduleInstants returns the attempt start times of a client whose
// session the server closes at from, while the server refuses every
// attempt until to: the push arrives after one latency L; the loss is
// transient failure 1, so attempt 1 starts after interval 1; attempt k is
// refused after a round trip 2L and attempt k+1 starts interval k+1 later.
// It returns the instants up to the first one at or after to, and then the
// following ones up to horizon as if every attempt kept failing.
func scheduleInstants(p Params, horizon time.Duration) []time.Duration {
	L := p.Model.Net.Latency
	at := p.OutageFrom + L + p.Model.Client.Backoff().Gap(1, 0, nil)
	out := []time.Duration{at}
	for k := 1; at < horizon; k++ {
		at += 2*L + p.Model.Client.Backoff().Gap(k+1, 0, nil)
		out = append(out, at)
	}
	return out
}

func binOf(r *Result, at time.Duration) Row { return r.Rows[int(at/r.Params.Bin)] }

// TestOutagePeaksAtScheduleInstants: with the rc schedule and a server
// restart, every client (all logged in at once) retries at the schedule's
// instants, so the attempt rate peaks in the bins holding them; with
// unlimited capacity every client is back one round trip after the first
// instant past the outage's end.
func TestOutagePeaksAtScheduleInstants(t *testing.T) {
	const n = 3000
	p := unlimited(n)
	p.LoginSpread = 0
	p.OutageKind, p.OutageFrom, p.OutageTo = OutageServer, 30*time.Second, 150*time.Second
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	inst := scheduleInstants(p, p.OutageTo)
	for _, at := range inst {
		if got := binOf(r, at).Attempts; got != n {
			t.Errorf("bin of the schedule instant %v holds %d attempts, want every client's %d", at, got, n)
		}
	}
	total := 0
	for _, row := range r.Rows {
		total += row.Attempts
	}
	if want := n * (len(inst) + 1); total != want { // +1: the logins
		t.Errorf("%d attempts in all, want %d (the logins and one per instant)", total, want)
	}
	last := inst[len(inst)-1]
	// Back two round trips after that instant: socket and auth (the
	// navigation answer is cached since the login).
	if d, ok := r.TimeTo(1); !ok || d != last+4*p.Model.Net.Latency-p.OutageTo {
		t.Errorf("everyone back after %v (%v), want %v", d, ok, last+4*p.Model.Net.Latency-p.OutageTo)
	}
	if peak, at := r.PeakAttempts(); peak != float64(n)/p.Bin.Seconds() {
		t.Errorf("peak %v/s at %v, want %v/s", peak, at, float64(n)/p.Bin.Seconds())
	}
}

// TestCapacityRefusesTheHerd: with a finite server, the first wave after
// the outage admits at most workers + queue handshakes and refuses the
// rest, which retry together one interval later.
func TestCapacityRefusesTheHerd(t *testing.T) {
	const n = 5000
	p := DefaultParams()
	p.Clients, p.LoginSpread = n, 0
	p.Workers, p.Queue = 10, 1000
	p.Model.Horizon = 10 * time.Minute
	r, err := Run(p)
	if err != nil {
		t.Fatal(err)
	}
	inst := scheduleInstants(p, p.OutageTo)
	first := inst[len(inst)-1]
	row := binOf(r, first+3*p.Model.Net.Latency) // the auth reaches the server after the socket's round trip
	if row.Refused < n-p.Workers-p.Queue || row.Refused >= n {
		t.Errorf("first wave: %d refused, want between %d and %d", row.Refused, n-p.Workers-p.Queue, n-1)
	}
	if r.DownAtHorizon != 0 {
		t.Errorf("%d clients still down at %v", r.DownAtHorizon, p.Model.Horizon)
	}
	if r.Stats.Served < int64(2*n) {
		t.Errorf("%d handshakes served, want at least the %d logins and %d reconnections", r.Stats.Served, n, n)
	}
}

// TestFullJitterSpreadsTheWave: the same restart under a finite server,
// the rc schedule against rc with full jitter, every client logged in at
// once. Deterministic rc sends every client's retry in one bin after the
// outage; full jitter spreads them over the gap, lowering the peak after
// the outage's end at least 50-fold, and gets 99% of clients back no
// later than rc does (rc's refused clients retry in lockstep, 64 s apart).
func TestFullJitterSpreadsTheWave(t *testing.T) {
	p := DefaultParams()
	p.Clients, p.LoginSpread = 10000, 0
	p.Policies = []fsm.PolicyChoice{{Policy: fsm.RC}, {Policy: fsm.RC, Jitter: fsm.JitterFull, JitterSet: true}}
	ps, _ := p.Runs()
	var res [2]*Result
	for i, q := range ps {
		r, err := Run(q)
		if err != nil {
			t.Fatal(err)
		}
		res[i] = r
	}
	det, jit := res[0], res[1]
	pd, _ := det.PeakAttemptsFrom(det.Since)
	pj, _ := jit.PeakAttemptsFrom(jit.Since)
	t.Logf("peak after the outage: rc %.0f/s, rc+full %.0f/s (%.0fx)", pd, pj, pd/pj)
	if pd < 50*pj {
		t.Errorf("full jitter lowered the peak after the outage from %.0f/s to %.0f/s, less than 50-fold", pd, pj)
	}
	dj, okj := jit.TimeTo(0.99)
	dd, okd := det.TimeTo(0.99)
	t.Logf("99%% back: rc %v (%v), rc+full %v (%v)", dd, okd, dj, okj)
	if !okj || okd && dd < dj {
		t.Errorf("99%% back: rc+full %v (reached %v), rc %v (reached %v): jitter is not at least as fast", dj, okj, dd, okd)
	}
	if det.Violations+jit.Violations != 0 {
		t.Errorf("property violations: %v %v", det.Violated, jit.Violated)
	}
}
