package properties

import (
	"math/rand/v2"
	"testing"
)

// TestListenerSet: a listenerSet holds what a map holds through adds and
// removes on both sides of fewListeners, resets and copies.
func TestListenerSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var s, c listenerSet
	want := map[uint64]bool{}
	for i := range 5000 {
		k := uint64(rng.IntN(3*fewListeners)) << 32
		switch {
		case i%1000 == 999:
			s.reset()
			clear(want)
		case want[k]:
			s.remove(k)
			delete(want, k)
		default:
			s.add(k)
			want[k] = true
		}
		if i%97 == 0 {
			c = c.copyFrom(&s)
			s, c = c, s // go on with the copy
		}
		for x := range uint64(3 * fewListeners) {
			if s.has(x<<32) != want[x<<32] {
				t.Fatalf("step %d: has(%d) = %v, want %v", i, x, s.has(x<<32), want[x<<32])
			}
		}
	}
}
