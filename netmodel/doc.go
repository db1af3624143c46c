// Package netmodel is the network between each simulated device and the IM
// server: plain data (Params, one Link per device) plus the rules that decide
// the fate of every message (Net.Send, Net.Deliverable), in the spirit of
// tokio-rs/turmoil. It holds no goroutines, reads no clock and owns no RNG:
// the caller passes the trial's random stream (a Stream: its PCG and the
// *rand.Rand over it), so a trial is reproducible from its seed (spec
// property P11).
//
// # Rules of Send
//
// Send is called once per message per direction (client to server is
// DirUp, server to client DirDown; each direction of each link has its own
// Path with its own loss model). The first rule that decides wins:
//
//  1. The device's link is down: DropOffline. No RNG draw, and the
//     direction's loss model does not move (a GE chain stays where it is).
//  2. Loss, by the direction's model (LossModel):
//     - Bernoulli(p): with p <= 0 the message is never lost and no draw is
//     made; with p >= 1 it is always lost and no draw is made; otherwise
//     exactly one Float64 is drawn and the message is lost (DropLoss)
//     when the draw is < p (Send compares the draw's integer with a cut
//     worked out once from p, which decides the same; see cutOf). This is the model of --loss and of the script's
//     `loss` op, and it draws exactly what the message model always drew.
//     - GE (Gilbert-Elliott, netem's gemodel order p, r, 1-h, 1-k): on the
//     direction's first message the chain's start state is drawn from its
//     stationary distribution (bad with probability p/(p+r)); then, for
//     every message, the chain moves (good to bad with probability p, bad
//     to good with probability r) and the message is lost with the new
//     state's loss probability (1-k in good, 1-h in bad), as netem does.
//     Each of these three events draws one Float64, except that an event
//     of probability 0 or 1 draws nothing.
//  3. Pass, with delay = the link's latency + jitter, saturated at the
//     largest Duration and never negative. With Jitter == 0 no draw is
//     made; otherwise exactly one jitter sample is drawn (see Dist).
//
// Every message that meets rule 2 is counted (Net.Counts: sent, lost and
// bursts, a burst being a maximal run of consecutive losses on one
// direction of one link), and `sim run` reports the observed
// loss rate and mean burst length from them. StationaryLoss and
// StationaryBurst are the closed forms a long stream converges to.
//
// # Order of RNG draws
//
// Determinism depends on the sequence of calls to the shared RNG, so it is
// part of the contract: for one message Send draws, in this order, the
// loss model's draws of rule 2 (Bernoulli: at most one Float64, only when
// 0 < p < 1; GE: at most start, transition, loss, one Float64 each) and
// then at most one jitter sample (only when the message passed and Jitter
// > 0). A jitter sample is one call of Float64 (uniform), NormFloat64
// (normal) or ExpFloat64 (exponential); the last two may consume more than
// one value of the underlying source, deterministically. Unavailable draws
// one Float64 only when 0 < ServerUnavailable < 1. Down, Up, Change,
// SetLoss, SetModel, SetLatency, Reset, Counts and Deliverable never draw.
// With --loss-model bernoulli (the default) and no per-direction override,
// the draws are those of the message model before loss models existed, so
// the same seed gives byte-identical traces.
//
// KindBurst (--loss-model burst:B) is not a chain of its own: Params.Resolve
// turns it into the simple Gilbert chain with mean burst B whose long-run
// loss is Params.Loss (BurstChain), so it draws as a GE chain does.
//
// # Network traces
//
// ParseTrace reads a network trace (CSV time,state,type,loss,latency; see
// docs/nettraces); package sim turns its rows into script actions that
// call Down, Up, Change, SetModel and SetLatency at the rows' times. None
// of them draws.
//
// # TCP transport
//
// With Params.Transport = TransportTCP the caller (package sim) carries
// messages over one TCP connection per attempt: TCPConnect runs the
// handshake (SYN with a 1 s RTO doubling, TCPSynRetries = 6 as Linux's
// tcp_syn_retries, so connect gives up after 127 s; the server answers
// every SYN and retransmits its SYN-ACK on its own timer), and TCPSend
// carries one data segment with RFC 6298 retransmission (SRTT, RTTVAR, a
// 200 ms floor as Linux's TCP_RTO_MIN, doubling backoff capped at 120 s,
// failure after TCPRetries2 = 15 retransmissions). Every segment, SYN,
// SYN-ACK, ACK, data copy, is one Send, in the order the segments are
// sent, so --loss and the loss models are per packet. Both functions
// compute a message's fate when it is sent (the retransmissions it will
// need, drawn in order), not segment by segment on the event queue; see
// their docs for what is modelled and docs/networks.md for the simplifications.
//
// FirstAnswerTCP(loss, latency, seed, trial) is the model's time from
// connect to the first answered request (connect, one request, its
// answer), or its failure: the function the gVisor validation compares
// with a real TCP stack. It seeds its RNG with TrialSeed(seed, trial), as
// sim does for trial number trial, so it equals, trial by trial, the time
// to connect of `sim run --transport tcp --seed seed --attempt-timeout 30m
// --time-limit 0` (sim's TestTCPFirstAnswerMatchesSim checks this).
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
// epoch never decreases; Send, TCPConnect and TCPSend never allocate.
package netmodel
