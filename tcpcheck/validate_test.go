package tcpcheck

import (
	"bytes"
	"testing"
	"time"
)

// validationTrials is the sample size on each side at each loss (issue 11:
// at least 2,000).
const validationTrials = 2000

// knownGaps lists the losses at which the model is known to miss gVisor by
// more than KSThreshold, each with its diagnosis (docs/tcp-validation.md,
// "Comparison with the model"). The threshold is never raised: a listed
// loss must still exceed it, so an entry expires, and this test fails
// asking for its removal, as soon as the model closes the gap. An empty
// map means the TCP model is validated.
var knownGaps = map[float64]string{}

// TestModelAgainstGVisor is issue 11's validation: at loss 0.1, 0.3 and
// 0.5 (50 ms one-way latency), the Kolmogorov-Smirnov distance between
// 2,000 gVisor trials and 2,000 trials of the simulator's TCP model
// (netmodel FirstAnswerTCP) must be at most 0.05, or be a diagnosed known
// gap.
func TestModelAgainstGVisor(t *testing.T) {
	skipShort(t)
	for _, loss := range []float64{0.1, 0.3, 0.5} {
		p := params(loss, 50*time.Millisecond)
		rs, err := Sample(p, 1, validationTrials, 4)
		if err != nil {
			t.Fatal(err)
		}
		g := Compare(Seconds(rs), ModelSeconds(p, 1, validationTrials))
		t.Logf("loss %.1f: KS %.4f at %.3f s (gVisor %.4f, model %.4f)", loss, g.KS, g.At, g.A, g.B)
		why, known := knownGaps[loss]
		switch {
		case g.KS > KSThreshold && !known:
			t.Errorf("loss %.1f: KS %.4f > %.2f at %.3f s: gVisor %.4f, model %.4f answered by then", loss, g.KS, KSThreshold, g.At, g.A, g.B)
		case g.KS > KSThreshold:
			t.Logf("loss %.1f: known gap, not validated: %s", loss, why)
		case known:
			t.Errorf("loss %.1f: KS %.4f <= %.2f: the known gap is closed; remove it from knownGaps and update docs/tcp-validation.md", loss, g.KS, KSThreshold)
		}
	}
}

// The comparison has the power to see one timer: gVisor with and without
// its tail loss probe (first resend of a lost request or answer after
// 400 ms or after the 300 ms RTO) are more than KSThreshold apart at loss
// 0.1. A model that got that timer wrong would fail TestModelAgainstGVisor
// by as much (it did, at 0.130, before the model had the probe: see
// docs/tcp-validation.md).
func TestComparisonSeesTheTailLossProbe(t *testing.T) {
	skipShort(t)
	p := params(0.1, 50*time.Millisecond)
	with, err := Sample(p, 1, validationTrials, 4)
	if err != nil {
		t.Fatal(err)
	}
	p.NoTailLossProbe = true
	without, err := Sample(p, 2, validationTrials, 4)
	if err != nil {
		t.Fatal(err)
	}
	g := Compare(Seconds(with), Seconds(without))
	t.Logf("loss 0.1, gVisor with and without TLP: KS %.4f at %.3f s", g.KS, g.At)
	if g.KS <= KSThreshold {
		t.Errorf("KS %.4f <= %.2f: the validation could not tell a 400 ms probe from a 300 ms RTO", g.KS, KSThreshold)
	}
}

// The second diagnosis, shown on one trial: the SYN and then the request
// are lost. gVisor's first RTT sample runs from the first SYN (0 s) to the
// SYN-ACK (1.1 s), so SRTT = 1.1 s, RTTVAR = 0.55 s, and the request sent
// at 1.1 s is probed at 1.1 + 2*1.1 + 0.2 = 3.5 s, answered at 3.6 s. A
// sample from the SYN copy that was answered (100 ms, as the model and
// Linux take it) would answer at 1.6 s (probe) or 1.5 s (RTO).
func TestHandshakeRTTSpansLostSYN(t *testing.T) {
	var tr bytes.Buffer
	// Packets: 0 SYN (lost), 1 SYN retry, 2 SYN-ACK, 3 ACK, 4 request (lost).
	r, err := runTrial(params(0, 50*time.Millisecond), 1, 0, &tr, func(i int) bool { return i == 0 || i == 4 })
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || r.Time != 3600*time.Millisecond {
		t.Errorf("got %+v, want answered at 3.6 s\n%s", r, tr.String())
	}
}

// skipShort skips a validation against gVisor (2,000 trials a side, a few
// seconds each) in -short mode; `go test ./tcpcheck` runs them.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("samples 2,000 gVisor trials a side; not in -short mode")
	}
}

// TestAttemptAgainstGVisor extends the validation to the attempt's steps
// over TCP (issue 20: `sim --transport tcp --attempt full`): the
// navigation's own connection and exchange, then the IM server's
// connection with two TLS round trips and auth on it (three exchanges,
// each after the answer before: the RTO state carries over). At loss
// 0.1 and 0.3 the model's distribution (netmodel AttemptTCP) must be
// within KSThreshold of gVisor's.
func TestAttemptAgainstGVisor(t *testing.T) {
	skipShort(t)
	for _, loss := range []float64{0.1, 0.3} {
		p := params(loss, 50*time.Millisecond)
		p.Navi, p.Exchanges = true, 3
		rs, err := Sample(p, 1, validationTrials, 4)
		if err != nil {
			t.Fatal(err)
		}
		g := Compare(Seconds(rs), ModelSeconds(p, 1, validationTrials))
		t.Logf("loss %.1f, navigation + 3 exchanges: KS %.4f at %.3f s (gVisor %.4f, model %.4f)", loss, g.KS, g.At, g.A, g.B)
		if g.KS > KSThreshold {
			t.Errorf("loss %.1f: KS %.4f > %.2f at %.3f s: gVisor %.4f, model %.4f answered by then", loss, g.KS, KSThreshold, g.At, g.A, g.B)
		}
	}
}
