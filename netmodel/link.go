package netmodel

import "slices"

import "time"

// Dir is a direction on a link.
type Dir uint8

// The two directions of a device's link.
const (
	DirUp   Dir = iota // device to server
	DirDown            // server to device
)

// String returns "up" or "down".
func (d Dir) String() string {
	if d == DirDown {
		return "down"
	}
	return "up"
}

// Link is the state of one device's network.
//
// Invariant: Epoch increments on every Down, Up and Change (whether or not
// the state changed), so a message stamped with an older epoch is never
// delivered. Every Path's Model is Bernoulli with Loss in [0,1] or a valid
// GE chain (never KindInherit).
type Link struct {
	Up      bool          // the device has a network
	Type    uint8         // network type; Change increments it (wraps at 256)
	Epoch   uint32        // incremented on every Down/Up/Change
	Latency time.Duration // one-way base latency of this link, >= 0 (Reset: Params.Latency)
	Path    [2]Path       // the loss of each direction, indexed by Dir
}

// Net is the network of one trial: the parameters and one Link per device.
// Its zero value is usable after Reset.
type Net struct {
	P     Params
	Links []Link
	// Models holds the distinct loss models of the links' paths; a path
	// names its model by index (Path.Model), so that a storm's million
	// links share one or two models instead of holding a 56-byte copy per
	// direction. models indexes Models once it outgrows a scan.
	Models []LossModel
	models map[LossModel]int32
	tally  tally // what the paths have seen since Reset (Counts)
	// Conns holds each device's TCP connection, parallel to Links, with
	// transport tcp only (empty otherwise: a storm of a million clients
	// over messages does not carry a TCP state per client).
	Conns []Conn
	// NaviConns holds each device's TCP connection to the navigation
	// service (ConnNavi: an attempt's navigation step, attempt full),
	// parallel to Links once a device first opens one; empty otherwise.
	NaviConns []Conn
	// fresh is a link as Reset with parameters P leaves it, and the
	// number of Models then (ok: Reset ran).
	fresh struct {
		ok     bool
		link   Link
		models int
	}
}

// Reset prepares n for a trial with the given parameters and number of
// devices, reusing the Links slice: every link is up, Type 0, Epoch 0,
// latency p.Latency (0 if negative), and each direction has the model
// p.Resolve gives it (a Bernoulli loss that is NaN or out of range is
// clamped into [0,1]), with a GE chain not yet started and zero counters.
//
// A trial after one with the same parameters that added no model (no
// network change) reuses the link the parameters resolved to: resolving
// and interning the models each trial was 6% of a checked trial.
func (n *Net) Reset(p Params, devices int) { n.ResetTo(&p, devices) }

// ResetTo is Reset with the parameters *p, which it does not keep: a
// driver's parameters are a large struct, and copying them for each trial
// cost a percent of one.
func (n *Net) ResetTo(p *Params, devices int) {
	if cap(n.Links) < devices {
		n.Links = make([]Link, devices)
	}
	n.Links = n.Links[:devices]
	if !n.fresh.ok || *p != n.P || len(n.Models) != n.fresh.models {
		n.Models = n.Models[:0]
		clear(n.models)
		l := Link{Up: true, Latency: max(p.Latency, 0)}
		for d := DirUp; d <= DirDown; d++ {
			m := resolved(p, d)
			l.Path[d] = pathOf(n.intern(m), &m)
		}
		n.fresh.ok, n.fresh.link, n.fresh.models = true, l, len(n.Models)
		n.P = *p
	}
	n.resetLinks()
}

// ResetSame is ResetTo with the parameters of the last ResetTo, which the
// caller has not changed since (it need not compare them: 216 bytes, 3% of
// a default trial): it reports false, and does nothing, when there was no
// ResetTo, when n.P was set since (SetServerUnavailable) or when a model
// was added (SetLoss); the caller then calls ResetTo. Writing n.P directly
// between ResetTo and ResetSame is not allowed.
func (n *Net) ResetSame(devices int) bool {
	if !n.fresh.ok || len(n.Models) != n.fresh.models || cap(n.Links) < devices {
		return false
	}
	n.Links = n.Links[:devices]
	n.resetLinks()
	return true
}

// SetServerUnavailable sets P.ServerUnavailable for the rest of the
// trial (the next ResetTo restores the parameters').
func (n *Net) SetServerUnavailable(p float64) {
	n.P.ServerUnavailable = p
	n.fresh.ok = false
}

// resetLinks gives every link the fresh link of the last ResetTo.
func (n *Net) resetLinks() {
	for i := range n.Links {
		n.Links[i] = n.fresh.link
	}
	n.tally = tally{}
	n.Conns = n.Conns[:0]
	n.NaviConns = n.NaviConns[:0]
	if n.P.Transport == TransportTCP {
		n.Conns = slices.Grow(n.Conns, len(n.Links))[:len(n.Links)]
		clear(n.Conns)
	}
}

// Down takes the device's network away (Up = false, Epoch++).
func (n *Net) Down(dev int) {
	l := &n.Links[dev]
	l.Up = false
	l.Epoch++
}

// Up gives the device its network back (Up = true, Epoch++).
func (n *Net) Up(dev int) {
	l := &n.Links[dev]
	l.Up = true
	l.Epoch++
}

// Change switches the device to another network type, e.g. wifi to
// cellular (Type++, Epoch++). Up is unchanged.
func (n *Net) Change(dev int) {
	l := &n.Links[dev]
	l.Type++
	l.Epoch++
}

// SetLoss makes both directions of device dev's link (of every link when
// dev < 0) Bernoulli with probability p, clamped into [0,1] (NaN counts as
// 0). A GE chain's state is forgotten; the counters are kept. Params is
// left unchanged (it is what Reset starts from).
func (n *Net) SetLoss(dev int, p float64) {
	n.SetModel(dev, Bernoulli(p))
}

// SetModel gives both directions of device dev's link (of every link when
// dev < 0) the loss model m (must be Bernoulli or GE; a Bernoulli loss is
// clamped into [0,1]). A new GE chain starts in a stationary state at the
// next message; the counters are kept.
func (n *Net) SetModel(dev int, m LossModel) {
	if m.Kind == KindBernoulli {
		m.Loss = sanitize(m.Loss)
	}
	k, cut := n.intern(m), cutOf(&m)
	set := func(l *Link) {
		for d := range l.Path {
			pa := &l.Path[d]
			pa.Model, pa.cut, pa.Started, pa.Bad = k, cut, false, false
		}
	}
	if dev >= 0 {
		set(&n.Links[dev])
		return
	}
	for i := range n.Links {
		set(&n.Links[i])
	}
}

// SetLatency sets the one-way base latency of device dev's link (of every
// link when dev < 0); negative values count as 0.
func (n *Net) SetLatency(dev int, d time.Duration) {
	d = max(d, 0)
	if dev >= 0 {
		n.Links[dev].Latency = d
		return
	}
	for i := range n.Links {
		n.Links[i].Latency = d
	}
}

// intern returns the index of m in Models, adding it if it is not there:
// a scan while Models is short, the index models once it outgrows that.
func (n *Net) intern(m LossModel) int32 {
	if len(n.models) > 0 {
		if i, ok := n.models[m]; ok {
			return i
		}
	} else if i := slices.Index(n.Models, m); i >= 0 {
		return int32(i)
	}
	i := int32(len(n.Models))
	n.Models = append(n.Models, m)
	switch {
	case len(n.models) > 0:
		n.models[m] = i
	case len(n.Models) > 16:
		if n.models == nil {
			n.models = map[LossModel]int32{}
		}
		for j := range n.Models {
			n.models[n.Models[j]] = int32(j)
		}
	}
	return i
}

// Model returns the loss model of device dev's link in direction dir.
func (n *Net) Model(dev int, dir Dir) LossModel { return n.Models[n.Links[dev].Path[dir].Model] }

// AlwaysLost reports whether every message on device dev's link is lost in
// at least one direction (a stationary loss of 1).
func (n *Net) AlwaysLost(dev int) bool {
	return n.Model(dev, DirUp).StationaryLoss() >= 1 || n.Model(dev, DirDown).StationaryLoss() >= 1
}

// LossText describes the loss of device dev's link: "0.3" when both
// directions share a model, "up 0.1, down 0.3" otherwise.
func (n *Net) LossText(dev int) string {
	u, d := n.Model(dev, DirUp), n.Model(dev, DirDown)
	if u == d {
		return u.String()
	}
	return "up " + u.String() + ", down " + d.String()
}

// Counts returns the messages that reached the loss rule (sent), were lost,
// and the bursts of loss, over every link and direction since Reset.
func (n *Net) Counts() (sent, lost, bursts uint64) {
	return n.tally.sent, n.tally.lost, n.tally.bursts
}
