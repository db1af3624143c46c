package analytic

import (
	"errors"
	"time"
)

// Outage is the closed form of messages through one network outage
// (issue 15 item 7; docs/messages.md "What sim run measures").
//
// The setting: an attempt of one auth round trip (--attempt auth), no
// loss, a fixed one-way latency λ, one device that is
// connected (and has pulled) before the outage, no network from Off (T1)
// to On (T2), and normal messages towards its user as a Poisson process of
// rate R. The outage is short enough that the server never closes the
// dead session for idleness (T2 - T1 + 2λ below the idle timeout less one
// heartbeat interval, the longest the server can go without hearing a
// connected client), and the device learns of the loss from the OS at T1
// and reconnects at T2 without waiting (a network-up attempt).
//
// The first connect: the device's auth reaches the server at λ (the
// session opens), the answer makes it CONNECTED at 2λ, and its pull,
// answered at 3λ, shows at 4λ everything the server holds. A message that
// reaches the server at u in [0, λ) finds no session: it is stored (and not
// pushed: no device has logged in yet); in [λ, 3λ) it is sent live and
// also comes with the pull's reply (a duplicate). All of them are shown
// by the pull at 4λ.
//
// The outage: the attempt's auth round trip makes the device CONNECTED at
// T2+2λ; it pulls at once, the server answers at T2+3λ with every message
// it holds for the device, and the app shows them at T2+4λ. A message that
// reaches the server at u:
//
//   - u < T1-λ: written into the socket, shown live at u+λ;
//   - T1-λ <= u < T2+λ: written into the old session's socket, which
//     the server still holds (it is replaced at T2+λ, when the new auth
//     arrives): it reaches the device while offline or on a session the
//     device has left, and is lost. The server neither stores nor pushes
//     it (for u >= T1 it is a ghost: the server's session is dead);
//   - T2+λ <= u < T2+3λ: sent on the new session, it reaches the device
//     while the pull is in flight; the pull's reply, answered after u,
//     holds it too and shows it, and the live copy is a duplicate;
//   - u >= T2+3λ: live again, shown at u+λ.
//
// So the pulls show the messages with u in [0, 3λ) at 4λ and those with u
// in [T1-λ, T2+3λ), a window of W = T2-T1+4λ, at T2+4λ. The arrivals of
// a Poisson process in a window are independent and uniform on it, so a
// pulled message's latency is a mixture of the uniforms on (λ, 4λ] and
// (λ, λ+W], weighted 3λ and W (PullCDF); the number of pulled messages per
// trial is Poisson with mean R(3λ+W). A ghost is a message the server
// writes only into sessions no device reads (a device reads a session it
// is CONNECTED on, or whose handshake it has in flight): those with u in
// [T1, T2+λ), so the ghosts per trial are Poisson with mean R(T2-T1+λ).
// The duplicates per trial
// are Poisson with mean R·4λ, the stored messages with mean Rλ; no message
// is pushed or dropped, every live message takes exactly λ, and each trial
// pulls twice.
//
// Like Model, the package does not use the simulator.
type Outage struct {
	Rate    float64       // R, messages per second towards the user, > 0
	Latency time.Duration // λ, fixed one-way latency, > 0
	Off, On time.Duration // T1 < T2: the outage
}

// Validate reports whether the closed form is defined for o, given the
// idle timeout and heartbeat interval of the server and client, and the
// time the first connect and pull take (4λ from 0).
func (o Outage) Validate(idle, hbInterval time.Duration) error {
	switch {
	case o.Rate <= 0 || o.Latency <= 0:
		return errors.New("analytic: the outage's rate and latency must be positive")
	case o.Off < 5*o.Latency || o.On <= o.Off:
		return errors.New("analytic: the outage must start after the first connect and pull and end after it starts")
	case o.On-o.Off+2*o.Latency >= idle-hbInterval:
		return errors.New("analytic: the outage is long enough for the server to close the dead session (then messages are stored and pushed)")
	}
	return nil
}

// Window is W: the width of the outage's window of pulled arrivals.
func (o Outage) Window() time.Duration { return o.On - o.Off + 4*o.Latency }

// pulled is the total width of the pulled arrivals' windows, 3λ + W.
func (o Outage) pulled() float64 { return float64(3*o.Latency + o.Window()) }

// PullMin and PullMax bound the pull latency: (λ, λ+W].
func (o Outage) PullMin() time.Duration { return o.Latency }

// PullMax is the largest pull latency, λ+W.
func (o Outage) PullMax() time.Duration { return o.Latency + o.Window() }

// PullCDF is the pull latency's CDF at d.
func (o Outage) PullCDF(d time.Duration) float64 {
	x := float64(d - o.Latency)
	return (min(max(x, 0), float64(3*o.Latency)) + min(max(x, 0), float64(o.Window()))) / o.pulled()
}

// PullDensity is the pull latency's density at d (per nanosecond).
func (o Outage) PullDensity(d time.Duration) float64 {
	x, f := d-o.Latency, 0.0
	if x > 0 && x <= 3*o.Latency {
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
	for _, u := range []struct{ b, w float64 }{{a + float64(3*o.Latency), float64(3 * o.Latency)}, {a + float64(o.Window()), float64(o.Window())}} {
		m += u.w / o.pulled() * (a + u.b) / 2
		m2 += u.w / o.pulled() * (a*a + a*u.b + u.b*u.b) / 3
	}
	return m, m2
}

// PullMean is the mean number of pulled messages per trial, R(3λ+W).
func (o Outage) PullMean() float64 { return o.Rate * o.pulled() / float64(time.Second) }

// GhostMean is the mean number of ghosts per trial, R(T2-T1+λ).
func (o Outage) GhostMean() float64 { return o.Rate * (o.On - o.Off + o.Latency).Seconds() }

// DupMean is the mean number of duplicates per trial, R·4λ.
func (o Outage) DupMean() float64 { return o.Rate * (4 * o.Latency).Seconds() }

// StoredMean is the mean number of stored messages per trial, Rλ.
func (o Outage) StoredMean() float64 { return o.Rate * o.Latency.Seconds() }
