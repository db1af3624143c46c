// Package analytic is the closed form of the first login under the
// simplest network the simulator models, for cross-checking it.
//
// The setting: every message is lost independently with probability p
// (request and answer alike), the one-way latency is fixed (no jitter), the
// server answers at once and always accepts, an attempt fails after the
// attempt timeout A when no answer has come, and after transient failure
// number k of the streak the next attempt starts after interval k of the
// reconnection schedule (spec 5.5; the last interval repeats).
//
// Then attempt 1 starts at Connect (time 0) and attempt k+1 at
//
//	s_{k+1} = s_k + A + schedule[min(k, len(schedule)) - 1],
//
// attempt k succeeds with probability q = (1-p)² when 2·latency < A (and
// never otherwise: its answer would come after the attempt has failed), and
// its onSuccess comes at s_k + 2·latency. The time to connect is therefore a
// discrete distribution with mass q(1-q)^(k-1) at s_k + 2·latency, cut off
// by the time limit L and the horizon H:
//
//   - an answer due exactly at L loses (the time-limit timer was scheduled
//     at Connect, before any answer, and timers due at the same instant run
//     in the order they were scheduled), so atoms count only when
//     s_k + 2·latency < L;
//   - a trial runs the events due at H and no later ones, so atoms count
//     when s_k + 2·latency <= H.
//
// P(success within L) = Σ over those k of q(1-q)^(k-1) = 1 - (1-q)^K_s,
// where K_s is the number of atoms that count.
//
// The attempt's anatomy (fsm/anatomy.go, --attempt full) makes an attempt
// r round trips once the navigation answer is cached (socket, TLS, auth:
// Model.RoundTrips) and r+1 before (the navigation first: Model.Navi, a
// first visit). With q_r = (1-p)^(2r) when r·2·latency < A (else 0), an
// attempt with the answer cached succeeds with q_r at s_k + r·2·latency;
// one without it succeeds with q_{r+1} at s_k + (r+1)·2·latency, and
// leaves the answer cached for the next attempts with q_1 - q_{r+1} (the
// navigation answered in time, a later step failed). The time to connect
// is then a two-state chain over the attempts (no answer, answer cached),
// still discrete with at most two atoms per attempt. A returning visit
// (Navi false) is the one-state case above with q = q_r.
//
// The package does not use the simulator: the parameters are plain values
// and the schedule is a deterministic reconnection policy (fsm.Policy, the
// same value the client follows; the cross-check gives it an independent
// list), so that a bug in the model cannot leak into the check. A jittered
// policy has no closed form here: Validate refuses it.
package analytic

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// Model is the setting of the closed form.
type Model struct {
	Loss           float64       // p: probability that one message is lost, in [0,1]
	Latency        time.Duration // fixed one-way latency, >= 0
	AttemptTimeout time.Duration // A, > 0
	Policy         fsm.Policy    // deterministic: interval k is Policy.Gap(k)
	TimeLimit      time.Duration // L; <= 0 means no limit
	Horizon        time.Duration // H, the end of a trial; <= 0 means none

	// The attempt's anatomy. RoundTrips: the round trips of an attempt
	// whose navigation answer is cached (0 or 1: the auth alone, --attempt
	// auth; socket + TLS + auth under --attempt full). Navi: the client
	// starts without a navigation answer (a first visit under --attempt
	// full), so its attempts take one more round trip until one gets the
	// answer in time. NaviTTL: how long an answer stays cached (0: never
	// cached); it must outlast the trial's last attempt start, and the
	// navigation timeout must not be shorter than A (Validate).
	RoundTrips  int
	Navi        bool
	NaviTTL     time.Duration
	NaviTimeout time.Duration
}

// maxAtoms bounds the attempts the closed form enumerates.
const maxAtoms = 10_000_000

// Validate reports whether the closed form is defined for m.
func (m Model) Validate() error {
	switch {
	case !(m.Loss >= 0 && m.Loss <= 1):
		return fmt.Errorf("loss must be in [0,1] (got %v)", m.Loss)
	case m.Latency < 0:
		return fmt.Errorf("latency must be >= 0 (got %v)", m.Latency)
	case m.AttemptTimeout <= 0:
		return fmt.Errorf("attempt timeout must be > 0 (got %v)", m.AttemptTimeout)
	case m.Policy == nil:
		return errors.New("a reconnection policy is needed")
	case !m.Policy.Deterministic():
		return fmt.Errorf("policy %s draws its gaps: the closed form needs a deterministic policy", m.Policy)
	case m.TimeLimit <= 0 && m.Horizon <= 0:
		return errors.New("a time limit or a horizon is needed: without either the attempts never end")
	}
	for k := 1; k <= 1000; k++ {
		if d := m.Interval(k); d < 0 {
			return fmt.Errorf("schedule intervals must be >= 0 (got %v)", d)
		}
	}
	if n := m.Attempts(); n > maxAtoms {
		return fmt.Errorf("%d attempts fit in the time limit and horizon; at most %d are enumerated", n, maxAtoms)
	}
	if m.RoundTrips > 1 || m.Navi {
		if m.NaviTimeout < m.AttemptTimeout {
			return fmt.Errorf("the navigation timeout (%v) must not be shorter than the attempt timeout (%v): a navigation failing earlier moves the schedule", m.NaviTimeout, m.AttemptTimeout)
		}
		if last := m.Start(m.Attempts()); m.NaviTTL > 0 && m.NaviTTL <= last {
			return fmt.Errorf("the navigation cache (%v) expires before the last attempt starts (%v)", m.NaviTTL, last)
		}
	}
	return nil
}

// roundTrips is r, the round trips of an attempt with the answer cached.
func (m Model) roundTrips() int { return max(m.RoundTrips, 1) }

// pass returns q_k: the probability that k round trips all get through
// (2k messages) before the attempt timeout.
func (m Model) pass(k int) float64 {
	if time.Duration(k)*2*m.Latency >= m.AttemptTimeout {
		return 0
	}
	return math.Pow(1-m.Loss, float64(2*k))
}

// chain returns the two-state chain's per-attempt probabilities: success
// with the answer cached (okC), success without it (okN), and failure
// without it that leaves it cached (toC: 0 when nothing is cached).
func (m Model) chain() (okC, okN, toC float64) {
	r := m.roundTrips()
	okC, okN = m.pass(r), m.pass(r+1)
	if m.NaviTTL > 0 {
		toC = m.pass(1) - okN
	}
	return okC, okN, toC
}

// Interval returns the wait after transient failure number k (k >= 1).
func (m Model) Interval(k int) time.Duration {
	return m.Policy.Gap(max(k, 1), 0, nil)
}

// Start returns s_k, the time attempt k (k >= 1) starts if attempts 1 to
// k-1 all failed.
func (m Model) Start(k int) time.Duration {
	var s time.Duration
	for i := 1; i < k; i++ {
		s += m.AttemptTimeout + m.Interval(i)
	}
	return s
}

// PerAttempt returns q, the probability that one attempt succeeds: neither
// the request nor the answer is lost, and the answer comes before the
// attempt timeout.
//
// Under the attempt's anatomy it is q_r, an attempt with its navigation
// answer cached.
func (m Model) PerAttempt() float64 { return m.pass(m.roundTrips()) }

// before reports whether an event due at t happens within the limit
// (strictly before L: the limit wins ties) and the horizon (at H or before).
func (m Model) before(t time.Duration, limit bool) bool {
	if limit && m.TimeLimit > 0 && t >= m.TimeLimit {
		return false
	}
	return m.Horizon <= 0 || t <= m.Horizon
}

// Attempts returns the most attempts a trial can start: the k with s_k
// before the time limit (an attempt due exactly at L does not start) and
// not after the horizon.
func (m Model) Attempts() int {
	n := 0
	for s := time.Duration(0); m.before(s, true) && n <= maxAtoms; s += m.AttemptTimeout + m.Interval(n) {
		n++
	}
	return n
}

// Atom is one point of a discrete distribution.
type Atom struct {
	At time.Duration
	P  float64
}

// Successes returns the success atoms: onSuccess at s_k + 2·latency with
// probability q(1-q)^(k-1), for every k whose answer comes before the time
// limit and not after the horizon. Their total is Success().
func (m Model) Successes() []Atom {
	if m.Navi {
		return m.chainSuccesses()
	}
	q := m.PerAttempt()
	if q == 0 {
		return nil
	}
	var out []Atom
	fail := 1.0 // (1-q)^(k-1)
	n := m.Attempts()
	s := time.Duration(0)
	for k := 1; k <= n; k++ {
		if t := s + time.Duration(m.roundTrips())*2*m.Latency; m.before(t, true) {
			out = append(out, Atom{At: t, P: q * fail})
		}
		fail *= 1 - q
		s += m.AttemptTimeout + m.Interval(k)
	}
	return out
}

// Success returns P(onSuccess within the time limit, by the horizon):
// 1 - (1-q)^K_s with K_s = len(Successes()).
func (m Model) Success() float64 {
	if m.Navi {
		total := 0.0
		for _, a := range m.chainSuccesses() {
			total += a.P
		}
		return math.Min(total, 1) // a sum of products may round just above 1
	}
	ks := len(m.Successes())
	if ks == 0 {
		return 0
	}
	return 1 - math.Pow(1-m.PerAttempt(), float64(ks))
}

// Timeout returns P(onError(34006)): every counted attempt failed and the
// time limit came by the horizon.
func (m Model) Timeout() float64 {
	if m.TimeLimit <= 0 || !m.before(m.TimeLimit, false) {
		return 0
	}
	return 1 - m.Success()
}

// Unfinished returns P(no terminal callback by the horizon).
func (m Model) Unfinished() float64 {
	return math.Max(0, 1-m.Success()-m.Timeout())
}

// AttemptsDist returns the distribution of the number of attempts a trial
// starts, as atoms whose At is the count (not a duration): attempt k+1
// starts exactly when attempts 1..k failed and s_{k+1} fits, so with K =
// Attempts(), P(N=k) = q(1-q)^(k-1) for k < K and P(N=K) = (1-q)^(K-1).
func (m Model) AttemptsDist() []Atom {
	if m.Navi {
		return m.chainAttempts()
	}
	n := m.Attempts()
	q := m.PerAttempt()
	out := make([]Atom, 0, n)
	fail := 1.0
	for k := 1; k <= n; k++ {
		p := q * fail
		if k == n {
			p = fail
		}
		out = append(out, Atom{At: time.Duration(k), P: p})
		fail *= 1 - q
	}
	return out
}

// AttemptsMean returns the mean and variance of the number of attempts.
func (m Model) AttemptsMean() (mean, variance float64) {
	var s1, s2 float64
	for _, a := range m.AttemptsDist() {
		k := float64(a.At)
		s1 += k * a.P
		s2 += k * k * a.P
	}
	return s1, math.Max(0, s2-s1*s1)
}

// TTC returns the time-to-connect distribution conditional on success, the
// distribution that `sim run` summarises over its successful trials.
func (m Model) TTC() Dist {
	atoms := m.Successes()
	total := 0.0
	for _, a := range atoms {
		total += a.P
	}
	d := Dist{Atoms: make([]Atom, len(atoms)), cdf: make([]float64, len(atoms))}
	c := 0.0
	for i, a := range atoms {
		d.Atoms[i] = Atom{At: a.At, P: a.P / total}
		c += a.P
		d.cdf[i] = c / total
	}
	if len(atoms) > 0 {
		d.cdf[len(atoms)-1] = 1
	}
	return d
}

// Dist is a discrete distribution of durations with atoms in increasing
// order, normalised to 1 (empty when success is impossible).
type Dist struct {
	Atoms []Atom
	cdf   []float64
}

// CDF returns P(X <= t).
func (d Dist) CDF(t time.Duration) float64 {
	c := 0.0
	for i, a := range d.Atoms {
		if a.At > t {
			break
		}
		c = d.cdf[i]
	}
	return c
}

// Quantile returns the smallest atom x with P(X <= x) >= p, the definition
// of the simulator's empirical quantiles; 0 for an empty distribution.
func (d Dist) Quantile(p float64) time.Duration {
	for i, a := range d.Atoms {
		if d.cdf[i] >= p {
			return a.At
		}
	}
	if len(d.Atoms) == 0 {
		return 0
	}
	return d.Atoms[len(d.Atoms)-1].At
}

// CDFAt returns the cumulative probability at the i-th atom.
func (d Dist) CDFAt(i int) float64 { return d.cdf[i] }

// Mean returns E[X].
func (d Dist) Mean() time.Duration {
	m := 0.0
	for _, a := range d.Atoms {
		m += float64(a.At) * a.P
	}
	return time.Duration(math.Round(m))
}

// chainSuccesses is Successes for a first visit (Navi): attempt k
// succeeds with the answer cached at s_k + r·2·latency and without it at
// s_k + (r+1)·2·latency, each with the chain's probability of being in
// that state at attempt k.
func (m Model) chainSuccesses() []Atom {
	okC, okN, toC := m.chain()
	r := time.Duration(m.roundTrips())
	var out []Atom
	pc, pu := 0.0, 1.0 // P(answer cached), P(none), with attempts 1..k-1 failed
	n := m.Attempts()
	s := time.Duration(0)
	for k := 1; k <= n; k++ {
		if t := s + r*2*m.Latency; pc*okC > 0 && m.before(t, true) {
			out = append(out, Atom{At: t, P: pc * okC})
		}
		if t := s + (r+1)*2*m.Latency; pu*okN > 0 && m.before(t, true) {
			out = append(out, Atom{At: t, P: pu * okN})
		}
		pc, pu = pc*(1-okC)+pu*toC, pu*(1-okN-toC)
		s += m.AttemptTimeout + m.Interval(k)
	}
	return out
}

// chainAttempts is AttemptsDist for a first visit: attempt k < K ends the
// trial when it succeeds, and K when every earlier one failed.
func (m Model) chainAttempts() []Atom {
	okC, okN, toC := m.chain()
	n := m.Attempts()
	out := make([]Atom, 0, n)
	pc, pu := 0.0, 1.0
	for k := 1; k <= n; k++ {
		p := pc*okC + pu*okN
		if k == n {
			p = pc + pu
		}
		out = append(out, Atom{At: time.Duration(k), P: p})
		pc, pu = pc*(1-okC)+pu*toC, pu*(1-okN-toC)
	}
	return out
}
