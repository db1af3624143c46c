package analytic

import (
	"errors"
	"time"
)

// Outage is the closed form of messages through one network outage
// (issue 15 item 7; docs/messages.md "What sim run measures").
//
// The setting: no loss, a fixed one-way latency λ, one device that is
// connected (and has pulled) before the outage, no network from Off (T1)
// to On (T2), and normal messages towards its user as a Poisson process of
// rate R. The outage is short enough that the server never closes the
// dead session for idleness (T2 - T1 + (2b+2)λ below the idle timeout less
// one heartbeat interval, the longest the server can go without hearing a
// connected client), and the device learns of the loss from the OS at T1
// and reconnects at T2 without waiting (a network-up attempt).
//
// The attempt's anatomy (docs/model.md): an attempt is round trips before
// its auth, then the auth's. The first connect's attempt has a =
// FirstSteps of them (--attempt full: the navigation, the socket and
// --tls TLS round trips on a first visit, 2 + TLS; 1 + TLS for a
// returning visit, whose navigation answer is cached), the reconnection's
// b = ReSteps (1 + TLS: the answer the first connect fetched is still
// cached); under --attempt auth both are 0 (OutageSteps). The IM server
// sees nothing of the steps before the auth: its session opens when the
// auth arrives.
//
// The first connect: the device's auth reaches the server at A1 = (2a+1)λ
// (the session opens), the answer makes it CONNECTED at A1+λ, and its
// pull, answered at A1+2λ, shows at A1+3λ everything the server holds. A
// message that reaches the server at u in [0, A1) finds no session: it is
// stored (and not pushed: no device has logged in yet); in [A1, A1+2λ) it
// is sent live and also comes with the pull's reply (a duplicate). All of
// them are shown by the pull at A1+3λ: a first window of width F = A1+2λ.
//
// The outage: the reconnection's auth reaches the server at A2 =
// T2+(2b+1)λ, which makes the device CONNECTED at A2+λ; it pulls at once,
// the server answers at A2+2λ with every message it holds for the device,
// and the app shows them at A2+3λ. A message that reaches the server at u:
//
//   - u < T1-λ: written into the socket, shown live at u+λ;
//   - T1-λ <= u < A2: written into the old session's socket, which the
//     server still holds (it is replaced at A2, when the new auth
//     arrives): it reaches the device while offline or on a session the
//     device has left, and is lost. The server neither stores nor pushes
//     it (for u >= T1 it is a ghost: the server's session is dead);
//   - A2 <= u < A2+2λ: sent on the new session, it reaches the device
//     while the pull is in flight; the pull's reply, answered after u,
//     holds it too and shows it, and the live copy is a duplicate;
//   - u >= A2+2λ: live again, shown at u+λ.
//
// So the pulls show the messages with u in [0, F) at F+λ and those with u
// in [T1-λ, A2+2λ), a window of W = T2-T1+(2b+4)λ, at A2+3λ. The arrivals
// of a Poisson process in a window are independent and uniform on it, so
// a pulled message's latency is a mixture of the uniforms on (λ, λ+F] and
// (λ, λ+W], weighted F and W (PullCDF); the number of pulled messages per
// trial is Poisson with mean R(F+W). A ghost is a message the server
// writes only into sessions no device reads (a device reads a session it
// is CONNECTED on, or whose handshake it has in flight): those with u in
// [T1, A2), so the ghosts per trial are Poisson with mean
// R(T2-T1+(2b+1)λ). The duplicates per trial are Poisson with mean R·4λ,
// the stored messages with mean R·A1; no message is pushed or dropped,
// every live message takes exactly λ, and each trial pulls twice. With
// a = b = 0 (--attempt auth) F is 3λ and W is T2-T1+4λ.
//
// Like Model, the package does not use the simulator.
type Outage struct {
	Rate    float64       // R, messages per second towards the user, > 0
	Latency time.Duration // λ, fixed one-way latency, > 0
	Off, On time.Duration // T1 < T2: the outage
	// FirstSteps and ReSteps are a and b: the round trips before the auth
	// of the first connect's attempt and of the reconnection's (0 under
	// --attempt auth; OutageSteps).
	FirstSteps, ReSteps int
}

// OutageSteps returns FirstSteps and ReSteps for an attempt of the
// anatomy (--attempt full) with tls TLS round trips, on a first visit or
// (returning) with the navigation answer cached: the first connect asks
// the navigation unless returning, then opens the socket and runs TLS;
// the reconnection finds the answer cached.
func OutageSteps(tls int, returning bool) (first, re int) {
	first, re = 2+tls, 1+tls
	if returning {
		first = re
	}
	return first, re
}

// FirstAuth is A1, when the first connect's auth reaches the server (its
// session opens).
func (o Outage) FirstAuth() time.Duration { return time.Duration(2*o.FirstSteps+1) * o.Latency }

// ReAuth is A2, when the reconnection's auth reaches the server (the old
// session is replaced).
func (o Outage) ReAuth() time.Duration { return o.On + time.Duration(2*o.ReSteps+1)*o.Latency }

// First is F: the width of the first connect's window of pulled arrivals.
func (o Outage) First() time.Duration { return o.FirstAuth() + 2*o.Latency }

// Validate reports whether the closed form is defined for o, given the
// idle timeout and heartbeat interval of the server and client, and the
// time the first connect and pull take (F+λ from 0).
func (o Outage) Validate(idle, hbInterval time.Duration) error {
	switch {
	case o.Rate <= 0 || o.Latency <= 0:
		return errors.New("analytic: the outage's rate and latency must be positive")
	case o.FirstSteps < 0 || o.ReSteps < 0:
		return errors.New("analytic: the round trips before an auth must not be negative")
	case o.Off < o.First()+2*o.Latency || o.On <= o.Off:
		return errors.New("analytic: the outage must start after the first connect and pull and end after it starts")
	case o.On-o.Off+time.Duration(2*o.ReSteps+2)*o.Latency >= idle-hbInterval:
		return errors.New("analytic: the outage is long enough for the server to close the dead session (then messages are stored and pushed)")
	}
	return nil
}

// Window is W: the width of the outage's window of pulled arrivals,
// [T1-λ, A2+2λ).
func (o Outage) Window() time.Duration { return o.ReAuth() + 2*o.Latency - (o.Off - o.Latency) }

// pulled is the total width of the pulled arrivals' windows, F + W.
func (o Outage) pulled() float64 { return float64(o.First() + o.Window()) }

// PullMin and PullMax bound the pull latency: (λ, λ+max(F, W)].
func (o Outage) PullMin() time.Duration { return o.Latency }

// PullMax is the largest pull latency, λ+max(F, W).
func (o Outage) PullMax() time.Duration { return o.Latency + max(o.First(), o.Window()) }

// PullCDF is the pull latency's CDF at d.
func (o Outage) PullCDF(d time.Duration) float64 {
	x := float64(d - o.Latency)
	return (min(max(x, 0), float64(o.First())) + min(max(x, 0), float64(o.Window()))) / o.pulled()
}

// PullDensity is the pull latency's density at d (per nanosecond).
func (o Outage) PullDensity(d time.Duration) float64 {
	x, f := d-o.Latency, 0.0
	if x > 0 && x <= o.First() {
		f++
	}
	if x > 0 && x <= o.Window() {
		f++
	}
	return f / o.pulled()
}

// PullQuantile is the p-quantile of the pull latency (0 < p <= 1): the
// smallest d with PullCDF(d) >= p, to the nanosecond.
func (o Outage) PullQuantile(p float64) time.Duration {
	lo, hi := o.PullMin(), o.PullMax()
	for lo < hi {
		mid := lo + (hi-lo)/2
		if o.PullCDF(mid) >= p {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// PullLatencyMean and PullLatencyVar are the pull latency's mean and
// variance (ns, ns²): the mixture's of its two uniforms.
func (o Outage) PullLatencyMean() float64 {
	m, _ := o.moments()
	return m
}

// PullLatencyVar is the pull latency's variance (ns²).
func (o Outage) PullLatencyVar() float64 {
	m, m2 := o.moments()
	return m2 - m*m
}

func (o Outage) moments() (m, m2 float64) {
	a := float64(o.Latency)
	for _, u := range []struct{ b, w float64 }{{a + float64(o.First()), float64(o.First())}, {a + float64(o.Window()), float64(o.Window())}} {
		m += u.w / o.pulled() * (a + u.b) / 2
		m2 += u.w / o.pulled() * (a*a + a*u.b + u.b*u.b) / 3
	}
	return m, m2
}

// PullMean is the mean number of pulled messages per trial, R(F+W).
func (o Outage) PullMean() float64 { return o.Rate * o.pulled() / float64(time.Second) }

// GhostMean is the mean number of ghosts per trial, R(A2-T1) =
// R(T2-T1+(2b+1)λ).
func (o Outage) GhostMean() float64 { return o.Rate * (o.ReAuth() - o.Off).Seconds() }

// DupMean is the mean number of duplicates per trial, R·4λ.
func (o Outage) DupMean() float64 { return o.Rate * (4 * o.Latency).Seconds() }

// StoredMean is the mean number of stored messages per trial, R·A1.
func (o Outage) StoredMean() float64 { return o.Rate * o.FirstAuth().Seconds() }
