package netmodel

// Link is the state of one device's network.
//
// Invariant: Epoch increments on every Down, Up and Change (whether or not
// the state changed), so a message stamped with an older epoch is never
// delivered. Loss is always in [0,1].
type Link struct {
	Up    bool    // the device has a network
	Type  uint8   // network type; Change increments it (wraps at 256)
	Epoch uint32  // incremented on every Down/Up/Change
	Loss  float64 // per-message loss probability on this link, in [0,1]
}

// Net is the network of one trial: the parameters and one Link per device.
// Its zero value is usable after Reset.
type Net struct {
	P     Params
	Links []Link
}

// Reset prepares n for a trial with the given parameters and number of
// devices, reusing the Links slice: every link is up, Type 0, Epoch 0, Loss
// p.Loss (NaN and out-of-range values are clamped into [0,1]).
func (n *Net) Reset(p Params, devices int) {
	n.P = p
	if cap(n.Links) < devices {
		n.Links = make([]Link, devices)
	}
	n.Links = n.Links[:devices]
	l := Link{Up: true, Loss: sanitize(p.Loss)}
	for i := range n.Links {
		n.Links[i] = l
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

// SetLoss sets the loss probability of device dev's link, or of every link
// when dev < 0. p is clamped into [0,1]; NaN counts as 0. Params.Loss is
// left unchanged (it is the value Reset starts from).
func (n *Net) SetLoss(dev int, p float64) {
	p = sanitize(p)
	if dev >= 0 {
		n.Links[dev].Loss = p
		return
	}
	for i := range n.Links {
		n.Links[i].Loss = p
	}
}
