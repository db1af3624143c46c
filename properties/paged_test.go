package properties

import "testing"

// A paged table holds what was added where it was added, across pages,
// hands out zero entries after a reset, and copies.
func TestPaged(t *testing.T) {
	var p paged[int64]
	n := int32(3*pageLen + 5)
	for i := range n {
		e := p.add()
		if *e != 0 {
			t.Fatalf("entry %d: %d, want 0", i, *e)
		}
		*e = int64(i) + 1
	}
	check := func(what string, p *paged[int64], n int32) {
		t.Helper()
		if p.len() != n {
			t.Fatalf("%s: len %d, want %d", what, p.len(), n)
		}
		for i := range n {
			if got := *p.at(i); got != int64(i)+1 {
				t.Fatalf("%s: entry %d: %d", what, i, got)
			}
		}
	}
	check("added", &p, n)
	if len(p.pages) != 4 || len(p.first) != pageLen {
		t.Fatalf("%d pages, the first of %d entries: want 4, %d", len(p.pages), len(p.first), pageLen)
	}
	var small paged[int64]
	for range 5 {
		*small.add() = 7
	}
	if len(small.pages) != 0 || len(small.first) != 8 {
		t.Fatalf("5 entries: %d pages, the first of %d entries", len(small.pages), len(small.first))
	}
	c := small.copyFrom(&p) // into a smaller table (copyFrom takes over small's memory)
	check("copied", &c, n)
	var five paged[int64]
	for range 5 {
		*five.add() = 7
	}
	c = c.copyFrom(&five)
	if c.len() != 5 || *c.at(4) != 7 {
		t.Fatalf("copied back: len %d, entry 4 %d", c.len(), *c.at(4))
	}
	pages := len(p.pages)
	p.reset()
	for i := range n {
		if e := p.add(); *e != 0 {
			t.Fatalf("after reset, entry %d: %d, want 0", i, *e)
		}
	}
	if len(p.pages) != pages {
		t.Fatalf("after reset: %d pages, want %d (kept)", len(p.pages), pages)
	}
}
