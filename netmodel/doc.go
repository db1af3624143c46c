// Package netmodel is the network between each simulated device and the IM
// server: plain data (Params, one Link per device) plus the rules that decide
// the fate of every message (Net.Send, Net.Deliverable), in the spirit of
// tokio-rs/turmoil. It holds no goroutines, reads no clock and owns no RNG:
// the caller passes the trial's *rand.Rand, so a trial is reproducible from
// its seed (spec property P11).
//
// # Rules of Send
//
// Send is called once per message per direction (client to server and
// server to client use the same rules). The first rule that decides wins:
//
//  1. The device's link is down: DropOffline. No RNG draw.
//  2. Loss: with Link.Loss <= 0 the message is never lost and no draw is
//     made; with Link.Loss >= 1 it is always lost and no draw is made;
//     otherwise exactly one rng.Float64() is drawn and the message is lost
//     (DropLoss) when the draw is < Link.Loss.
//  3. Pass, with delay = Latency + jitter, saturated at the largest
//     Duration and never negative. With Jitter == 0 no draw is made;
//     otherwise exactly one jitter sample is drawn (see Dist).
//
// # Order of RNG draws
//
// Determinism depends on the sequence of calls to the shared RNG, so it is
// part of the contract: for one message Send draws, in this order, at most
// one Float64 for loss (only when 0 < Loss < 1) and then at most one jitter
// sample (only when the message passed and Jitter > 0). A jitter sample is
// one call of Float64 (uniform), NormFloat64 (normal) or ExpFloat64
// (exponential); the last two may consume more than one value of the
// underlying source, deterministically. Unavailable draws one Float64 only
// when 0 < ServerUnavailable < 1. Down, Up, Change, SetLoss, Reset and
// Deliverable never draw.
//
// # Epochs
//
// Every Link carries an Epoch that is incremented on each Down, Up and
// Change. Send returns the epoch the message left on; at arrival time the
// caller asks Deliverable, which requires the link to be up and on the same
// epoch. A message sent on an older network therefore never arrives, even
// if the network is back by then: on a real device the socket belongs to the
// network it was opened on, and when that network goes away (or the device
// switches from wifi to cellular) the socket dies with everything in flight.
//
// Invariants: len(Net.Links) is the number of devices given to Reset; an
// epoch never decreases; Send never allocates.
package netmodel
