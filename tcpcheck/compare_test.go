package tcpcheck

import (
	"math"
	"testing"
	"time"
)

func TestCompareLocatesTheGap(t *testing.T) {
	inf := math.Inf(1)
	a := []float64{0.2, 0.2, 0.6, inf}
	b := []float64{0.2, 0.2, 0.5, 0.6}
	g := Compare(a, b)
	if g.KS != 0.25 || g.At != 0.5 || g.A != 0.5 || g.B != 0.75 {
		t.Errorf("got %+v, want KS 0.25 at 0.5 (0.5 vs 0.75)", g)
	}
	if g := Compare(a, a); g.KS != 0 {
		t.Errorf("a sample against itself: %+v", g)
	}
}

// ModelSeconds is the model's FirstAnswerTCP: at loss 0 every trial is two
// round trips, as gVisor's (TestLossFreeIsTwoRoundTrips).
func TestModelLossFree(t *testing.T) {
	xs := ModelSeconds(params(0, 50*time.Millisecond), 1, 10)
	for _, x := range xs {
		if x != 0.2 {
			t.Fatalf("model at loss 0: %v, want all 0.2 s", xs)
		}
	}
}
