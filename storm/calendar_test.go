package storm

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestCalendarOrder: whatever is pushed (never before the last pop), the
// calendar pops in (at, seq) order, as one heap would.
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
		now := time.Duration(0)
		steps := rapid.IntRange(1, 400).Draw(t, "steps")
		for range steps {
			if ref.len() > 0 && rapid.Bool().Draw(t, "pop") {
				want := ref.pop()
				got := q.pop()
				if got.at != want.at || got.seq != want.seq {
					t.Fatalf("popped (%v, %d), want (%v, %d)", got.at, got.seq, want.at, want.seq)
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
					seq++
					q.push(event{at: now + d})
					ref.push(event{at: now + d, seq: seq})
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
			seq++
			q.push(event{at: now + d})
			ref.push(event{at: now + d, seq: seq})
		}
		for ref.len() > 0 {
			want, got := ref.pop(), q.pop()
			if got.at != want.at || got.seq != want.seq {
				t.Fatalf("drain: popped (%v, %d), want (%v, %d)", got.at, got.seq, want.at, want.seq)
			}
		}
		if _, ok := q.peek(); ok || q.len() != 0 {
			t.Fatalf("calendar not empty after draining: %d", q.len())
		}
	})
}
