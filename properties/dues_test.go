package properties

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestDueQueueOrder: whatever is pushed (in time order or not, with few or
// many gaps, across resets), the queue's earliest wait and every pop have
// the earliest due, as one heap's, and the waits popped are the ones
// pushed. (Among waits of one due the order does not matter: checkDue
// takes them all and reports in device order.)
func TestDueQueueOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var q dueQueue
		var ref dueHeap
		his := rapid.SliceOfN(rapid.Int64Range(0, int64(time.Minute)), 1, 6).Draw(t, "his")
		now := time.Duration(0)
		popped := map[dueEntry]int{}
		for range rapid.IntRange(1, 300).Draw(t, "steps") {
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op == 0:
				q.reset()
				ref = ref[:0]
				clear(popped) // equal only once both are drained
			case op <= 3 && ref.len() > 0:
				want := ref.pop()
				if got := q.min(); got.due != want.due {
					t.Fatalf("min %+v, want due %v", *got, want.due)
				}
				got := q.pop()
				if got.due != want.due {
					t.Fatalf("popped %+v, want due %v", got, want.due)
				}
				popped[got]++
				popped[want]--
			default:
				if rapid.IntRange(0, 9).Draw(t, "back") == 0 {
					now -= time.Duration(rapid.Int64Range(0, int64(time.Second)).Draw(t, "dt"))
				} else {
					now += time.Duration(rapid.Int64Range(0, int64(time.Second)).Draw(t, "dt"))
				}
				hi := time.Duration(rapid.SampledFrom(his).Draw(t, "hi"))
				e := dueEntry{due: now + hi, slot: rapid.Int32Range(0, 5).Draw(t, "slot"), wait: rec(len(ref))}
				q.push(e, hi)
				ref.push(e)
			}
			if q.len() != ref.len() {
				t.Fatalf("len %d, want %d", q.len(), ref.len())
			}
		}
		for ref.len() > 0 {
			want, got := ref.pop(), q.pop()
			if got.due != want.due {
				t.Fatalf("drain: popped %+v, want due %v", got, want.due)
			}
			popped[got]++
			popped[want]--
		}
		check(t, popped)
	})
}

// check fails unless both queues popped the same waits.
func check(t *rapid.T, popped map[dueEntry]int) {
	for e, n := range popped {
		if n != 0 {
			t.Fatalf("wait %+v popped %+d times more by the queue than by the heap", e, n)
		}
	}
	clear(popped)
}

// TestDueQueueBlocks: runs longer than a block (herds of devices on one
// gap) keep their order across block boundaries, and blocks go back to
// the pool and are reused.
func TestDueQueueBlocks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var q dueQueue
		var ref dueHeap
		his := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
		now := time.Duration(0)
		for round := range 3 {
			n := rapid.IntRange(1, 3*dueBlockLen).Draw(t, "n")
			for k := range n {
				now += time.Duration(rapid.Int64Range(0, int64(time.Millisecond)).Draw(t, "dt"))
				hi := his[(k+round)%len(his)]
				e := dueEntry{due: now + hi, slot: int32(k), wait: rec(round)}
				q.push(e, hi)
				ref.push(e)
				if rapid.IntRange(0, 3).Draw(t, "pop") == 0 {
					if got, want := q.pop(), ref.pop(); got.due != want.due {
						t.Fatalf("popped due %v, want %v", got.due, want.due)
					}
				}
			}
			for ref.len() > rapid.IntRange(0, ref.len()).Draw(t, "keep") {
				if got, want := q.pop(), ref.pop(); got.due != want.due {
					t.Fatalf("drain: popped due %v, want %v", got.due, want.due)
				}
			}
		}
		for ref.len() > 0 {
			if got, want := q.pop(), ref.pop(); got.due != want.due {
				t.Fatalf("end: popped due %v, want %v", got.due, want.due)
			}
		}
		if q.len() != 0 || len(q.pool) == 0 {
			t.Fatalf("queue left %d waits, pool %d blocks", q.len(), len(q.pool))
		}
	})
}
