package storm

import (
	"math/rand/v2"
	"time"
)

// pending is an Auth waiting in the accept queue.
type pending struct {
	cl   int32
	seq  uint32
	auto bool
}

// frontEnd is the storm's IM server in front of the session rules (a
// server.Session beside each client, one device per user with valid
// credentials): finite capacity, a rate limit and restarts.
//
// Invariants: 0 <= busy <= Workers; the queue is non-empty only while every
// worker is busy; busy and the queue are empty while down.
type frontEnd struct {
	p    *Params
	down bool
	// gen counts restarts: a handshake that ends with an older generation
	// was lost in a restart.
	gen  uint32
	busy int

	// q is the accept queue, a ring of capacity p.Queue grown on demand.
	q           []pending
	qHead, qLen int

	// The token bucket: tokens at time refilled.
	tokens   float64
	refilled time.Duration
}

func newServer(p *Params) *frontEnd {
	return &frontEnd{p: p, tokens: p.burst()}
}

// admit takes a token from the bucket at now; false: rate limited.
func (s *frontEnd) admit(now time.Duration) bool {
	if s.p.Rate <= 0 {
		return true
	}
	s.tokens = min(s.p.burst(), s.tokens+s.p.Rate*(now-s.refilled).Seconds())
	s.refilled = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}

// enqueue appends an Auth to the accept queue; false: the queue is full.
func (s *frontEnd) enqueue(a pending) bool {
	if s.qLen >= s.p.Queue {
		return false
	}
	if s.qLen == len(s.q) {
		// Grow the ring, unrolling it so that qHead is 0.
		n := min(max(2*len(s.q), 64), s.p.Queue)
		q := make([]pending, n)
		for i := range s.qLen {
			q[i] = s.q[(s.qHead+i)%len(s.q)]
		}
		s.q, s.qHead = q, 0
	}
	s.q[(s.qHead+s.qLen)%len(s.q)] = a
	s.qLen++
	return true
}

func (s *frontEnd) dequeue() pending {
	a := s.q[s.qHead]
	s.qHead = (s.qHead + 1) % len(s.q)
	s.qLen--
	return a
}

// serviceTime draws the duration of one handshake.
func (s *frontEnd) serviceTime(rng *rand.Rand) time.Duration {
	if s.p.ServiceDist == ServiceConst || s.p.Service == 0 {
		return s.p.Service
	}
	return time.Duration(rng.ExpFloat64() * float64(s.p.Service))
}

// restart loses the queue and the handshakes in service; the world ends
// every live session (CloseRestart) first.
func (s *frontEnd) restart() {
	s.gen++
	s.busy = 0
	s.qHead, s.qLen = 0, 0
}
