package properties

// pageBits sets the length of a paged table's page: 1<<pageBits entries
// (576 KB of devState, 448 KB of callState).
const pageBits = 12

const (
	pageLen  = 1 << pageBits
	pageMask = pageLen - 1
)

// paged is a table of T that grows by pages: its first pageLen entries
// are a slice that grows by doubling (a trial's monitor holds one or two
// devices and calls, and finds them as in a slice), and each page after
// it is allocated whole, when the one before is full. So it copies at
// most a page's worth as it grows, and never has more than a page of
// room beyond its entries: its memory follows what it holds, whether the
// runtime gives it fresh memory (resident page by page as it is written)
// or reused memory (which the runtime zeroes whole).
//
// Invariants: entry i < pageLen is first[i], entry i >= pageLen is
// pages[i>>pageBits][i&pageMask]; pages is empty until first has
// pageLen entries, and pages[0] is nil (first stands for it). Entries
// from n on are stale: add zeroes an entry before handing it out. An
// entry's address changes only while first grows.
type paged[T any] struct {
	first []T // len(first) == cap(first) <= pageLen
	pages []*[pageLen]T
	n     int32
}

// len returns the number of entries.
func (t *paged[T]) len() int32 { return t.n }

// at returns entry i (0 <= i < t.len()).
func (t *paged[T]) at(i int32) *T {
	u, f := uint(uint32(i)), t.first // unsigned and as wide as len: the test below is f's bounds check
	if u < uint(len(f)) {
		return &f[u]
	}
	return &t.pages[u>>pageBits][u&pageMask]
}

// add appends a zero entry and returns it.
func (t *paged[T]) add() *T {
	if int(t.n) >= len(t.first) {
		return t.addPaged()
	}
	e := &t.first[t.n]
	t.n++
	var zero T
	*e = zero
	return e
}

// side returns the entry *ref names, adding a zero one first when it
// names none: *ref is an entry's index plus one, 0 for none (how a
// device's or a call's state refers to its cold side entry, made on
// first use).
func (t *paged[T]) side(ref *int32) *T {
	if *ref == 0 {
		e := t.add()
		*ref = t.n
		return e
	}
	return t.at(*ref - 1)
}

// addPaged is add once first is full: first doubles up to pageLen
// entries, then the entries go to pages, a new page when the last is full.
func (t *paged[T]) addPaged() *T {
	if len(t.first) < pageLen {
		q := make([]T, min(max(2*len(t.first), 4), pageLen))
		copy(q, t.first)
		t.first = q
		return t.add()
	}
	pg := int(t.n >> pageBits)
	if len(t.pages) == 0 {
		t.pages = append(t.pages, nil)
	}
	for len(t.pages) <= pg {
		t.pages = append(t.pages, new([pageLen]T))
	}
	e := &t.pages[pg][t.n&pageMask]
	t.n++
	var zero T
	*e = zero
	return e
}

// reset empties t, keeping its memory.
func (t *paged[T]) reset() { t.n = 0 }

// copyFrom returns a copy of s in t's memory (t's own memory goes to
// the copy).
func (t paged[T]) copyFrom(s *paged[T]) paged[T] {
	k := min(int(s.n), len(s.first))
	if len(t.first) < k {
		t.first = make([]T, len(s.first))
	}
	copy(t.first, s.first[:k])
	for pg := 1; pg*pageLen < int(s.n); pg++ {
		if len(t.pages) == 0 {
			t.pages = append(t.pages, nil)
		}
		if len(t.pages) == pg {
			t.pages = append(t.pages, new([pageLen]T))
		}
		copy(t.pages[pg][:], s.pages[pg][:min(int(s.n)-pg*pageLen, pageLen)])
	}
	t.n = s.n
	return t
}
