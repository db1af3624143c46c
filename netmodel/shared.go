package netmodel

import "time"

// Shared is the network of many devices whose links all keep the
// parameters P: no device's loss, latency or network type changes, only
// whether it is up (a storm's clients). It holds what the links share,
// each direction's loss model; a device's own state is a Bits and an
// epoch, which the caller keeps beside the rest of the device's state (a
// word, where a Link is 48 bytes). A device
// sends, loses and draws exactly as a Net's Link of the same parameters
// (the rules of the package doc), without the counters.
type Shared struct {
	P      Params
	models [2]LossModel
	cuts   [2]uint64 // cutOf(&models[d])
}

// Bits is a Shared device's link state but its epoch: whether it is down,
// and each GE direction's chain. The zero Bits is a fresh link: up, no
// chain started.
type Bits uint8

// The bits of Bits; a direction d's chain bits are geStarted<<(2*d) and
// geBad<<(2*d).
const (
	BitDown   Bits = 1 << iota // the device has no network
	geStarted                  // GE: the chain's initial state has been drawn
	geBad                      // GE: the chain is in the bad state
)

// Reset gives s the parameters p, each direction the model Net.Reset
// would give it.
func (s *Shared) Reset(p *Params) {
	s.P = *p
	for d := DirUp; d <= DirDown; d++ {
		s.models[d] = resolved(p, d)
		s.cuts[d] = cutOf(&s.models[d])
	}
}

// Send is Net.Send for a device whose link state is *b: the message's
// fate and, if it passes, its delay. The caller stamps it with the
// device's epoch.
func (s *Shared) Send(st Stream, b *Bits, dir Dir) (Verdict, time.Duration) {
	if *b&BitDown != 0 {
		return DropOffline, 0
	}
	var lost bool
	if c := s.cuts[dir]; drawsLoss(c) {
		var u uint64 // st.uint64 by hand, as in Net.Send
		if st.PCG != nil {
			u = st.PCG.Uint64()
		} else {
			u = st.R.Uint64()
		}
		lost = cutLoses(c, u)
	} else if c == cutGE {
		sh := 2 * dir
		var bad bool
		bad, lost = s.models[dir].GE.next(st, *b>>sh&geStarted != 0, *b>>sh&geBad != 0)
		*b &^= geBad << sh
		*b |= geStarted << sh
		if bad {
			*b |= geBad << sh
		}
	} else {
		lost = c == cutAlways
	}
	if lost {
		return DropLoss, 0
	}
	return Pass, s.P.delay(st, s.P.Latency)
}
