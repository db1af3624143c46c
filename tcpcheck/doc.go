// Package tcpcheck validates the simulator's TCP transport
// (netmodel.FirstAnswerTCP, `sim run --transport tcp`) against a TCP
// implementation none of us wrote: two gVisor userspace TCP/IP stacks
// (gvisor.dev/gvisor/pkg/tcpip) joined by an in-memory link that drops,
// delays and jitters packets with the simulator's own rules
// (netmodel.Net.Send), on a virtual clock that fires timers one at a time
// in (deadline, scheduling order).
//
// One trial (Trial) is a connect, a request and its answer; Sample runs
// trials 0..n-1, Seconds gives their times to the answer, ModelSeconds the
// model's for the same trials, and Compare the two distributions'
// Kolmogorov-Smirnov distance, which the tests
// hold under KSThreshold except for the gaps docs/tcp-validation.md
// diagnoses. Nothing in cmd/sim imports this package, so the sim binary
// does not link gVisor; cmd/tcpcheck draws the comparison.
package tcpcheck
