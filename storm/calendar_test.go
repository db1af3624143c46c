package storm

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestCalendarOrder: whatever is pushed (never before the last pop) or
// killed, the calendar pops in (at, seq) order, as one heap would, every
// event but the ones kill reported dropped. An event's gen is its seq
// here (the calendar's events carry none).
func TestCalendarOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// A small ring (16 buckets of 1 ms) wraps and overflows often;
		// the real one is checked too.
		q := newCalendarSized(calWidth, 16)
		if rapid.Bool().Draw(t, "full size") {
			q = newCalendar()
		}
		var ref heap4
		var seq uint64
		var pushed []handle // by seq-1
		killed := map[uint64]bool{}
		live := 0 // events of ref not killed
		popRef := func() event {
			for {
				e := ref.pop()
				if !killed[e.key] {
					live--
					return e.event
				}
			}
		}
		push := func(at time.Duration) {
			seq++
			pushed = append(pushed, q.push(event{at: at, kind: evTimer, gen: uint32(seq)}))
			ref.push(keyed{event{at: at, gen: uint32(seq)}, seq})
			live++
		}
		now := time.Duration(0)
		steps := rapid.IntRange(1, 400).Draw(t, "steps")
		for range steps {
			if live > 0 && rapid.IntRange(0, 4).Draw(t, "kill") == 0 {
				i := rapid.IntRange(0, len(pushed)-1).Draw(t, "victim")
				if q.kill(pushed[i], 0, 0, uint32(i+1)) {
					if killed[uint64(i+1)] {
						t.Fatalf("event %d killed twice", i+1)
					}
					killed[uint64(i+1)] = true
					live--
				}
				continue
			}
			if live > 0 && rapid.Bool().Draw(t, "pop") {
				want := popRef()
				got := q.pop()
				if got.at != want.at || got.gen != want.gen {
					t.Fatalf("popped (%v, %d), want (%v, %d)", got.at, got.gen, want.at, want.gen)
				}
				now = got.at
				continue
			}
			if rapid.IntRange(0, 9).Draw(t, "burst") == 0 {
				// A herd: many events in a few buckets, some at one
				// instant (sortRun's distribution and its bins).
				k := rapid.IntRange(32, 300).Draw(t, "herd")
				off := time.Duration(rapid.Int64Range(0, int64(5*time.Second)).Draw(t, "off"))
				spread := time.Duration(rapid.Int64Range(0, int64(3*calWidth)).Draw(t, "spread"))
				for range k {
					d := off
					if spread > 0 && rapid.Bool().Draw(t, "apart") {
						d += time.Duration(rapid.Int64Range(0, int64(spread)).Draw(t, "j"))
					}
					push(now + d)
				}
				continue
			}
			// Delays from 0 (same instant) through sub-bucket, in-window
			// and beyond the window (overflow), to far jumps.
			var d time.Duration
			switch rapid.IntRange(0, 4).Draw(t, "scale") {
			case 0:
				d = 0
			case 1:
				d = time.Duration(rapid.Int64Range(0, int64(40*calWidth)).Draw(t, "d"))
			case 2:
				d = time.Duration(rapid.Int64Range(0, int64(70*time.Second)).Draw(t, "d"))
			case 3:
				d = time.Duration(rapid.Int64Range(int64(120*time.Second), int64(300*time.Second)).Draw(t, "d"))
			case 4:
				d = time.Duration(rapid.Int64Range(0, int64(30*24*time.Hour)).Draw(t, "d"))
			}
			push(now + d)
		}
		for live > 0 {
			want, got := popRef(), q.pop()
			if got.at != want.at || got.gen != want.gen {
				t.Fatalf("drain: popped (%v, %d), want (%v, %d)", got.at, got.gen, want.at, want.gen)
			}
		}
		if _, ok := q.peek(); ok || q.len() != 0 {
			t.Fatalf("calendar not empty after draining: %d", q.len())
		}
	})
}

// TestCalendarKillFreesBlocks: a herd's timers killed in push order give
// their blocks back at once, not when their bucket comes.
func TestCalendarKillFreesBlocks(t *testing.T) {
	q := newCalendar()
	var hs []handle
	for i := range 100 {
		hs = append(hs, q.push(event{at: 2 * time.Second, kind: evTimer, cl: int32(i), gen: 1}))
	}
	for i, h := range hs {
		if !q.kill(h, int32(i), 0, 1) {
			t.Fatalf("kill %d failed", i)
		}
	}
	free := 0
	for k := q.free; k >= 0; k = q.block(k).next {
		free++
	}
	if free != int(q.blocks) || q.len() != 0 {
		t.Fatalf("%d of %d blocks free, %d events queued; want all free, none queued", free, q.blocks, q.len())
	}
	if _, ok := q.peek(); ok {
		t.Fatal("an event left after killing them all")
	}
	// A block in the middle of its bucket's chain, then the last one:
	// the others pop in order.
	hs = hs[:0]
	for i := range 4 * blockLen {
		hs = append(hs, q.push(event{at: 3 * time.Second, kind: evTimer, cl: int32(i), gen: 2}))
	}
	for i := blockLen; i < 2*blockLen; i++ {
		q.kill(hs[i], int32(i), 0, 2)
	}
	for i := 3 * blockLen; i < 4*blockLen; i++ {
		q.kill(hs[i], int32(i), 0, 2)
	}
	for _, want := range []int{0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23} {
		if e := q.pop(); e.cl != int32(want) {
			t.Fatalf("popped client %d, want %d", e.cl, want)
		}
	}
	if q.len() != 0 {
		t.Fatalf("%d events left", q.len())
	}
}

// TestCalendarAhead: ahead(k) is the event k pops after the next one, in
// a bucket read in place (killed events skipped) and in a sorted run.
func TestCalendarAhead(t *testing.T) {
	const n = 100
	for _, inPlace := range []bool{true, false} {
		q := newCalendar()
		var hs []handle
		for i := range n {
			at := 2 * time.Second
			if !inPlace {
				at += time.Duration(n-i) * time.Microsecond // more than maxStrays out of order: copied and sorted
			}
			hs = append(hs, q.push(event{at: at, kind: evTimer, cl: int32(i), gen: 1}))
		}
		killed := 0
		for i := 0; i < n; i += 3 {
			q.kill(hs[i], int32(i), 0, 1)
			killed++
		}
		q.pop()
		var want []int32
		for k := 1; ; k++ {
			e, ok := q.ahead(k)
			if !ok {
				break
			}
			want = append(want, e.cl)
		}
		q.pop()
		for k, cl := range want {
			if e := q.pop(); e.cl != cl {
				t.Fatalf("in place %v: ahead(%d) was client %d, popped %d", inPlace, k+1, cl, e.cl)
			}
		}
		if q.len() != 0 || len(want) != n-killed-2 {
			t.Fatalf("in place %v: %d ahead, %d left", inPlace, len(want), q.len())
		}
	}
}
