package fsm

// slot returns s's index in a profileTables array (s+1, as in a Table),
// and whether it has one.
func slot(s Status) (int, bool) {
	i := int(s) + 1
	return i, uint(i) < statusSlots
}

// profileTables holds what a checker asks a profile for every record,
// computed once from the profile's names and Edges (see index): published
// names by status and the published machine by (from, to). They answer
// exactly as the definitions they are computed from (publishedOf,
// publishedEdge), which TestProfileTables checks on every pair.
type profileTables struct {
	pub  [statusSlots]Published // pub[slot(s)]: s's published name and value
	has  [statusSlots]bool      // has[slot(s)]: the profile's machine uses s
	edge EdgeTable
}

// EdgeTable is a profile's published machine by (from, to) status slots:
// what PublishedEdge answers, one load per question (Edge inlines where
// PublishedEdge does not), for a checker that asks it at every status
// record.
type EdgeTable [statusSlots][statusSlots]bool

// EdgeTable returns p's published machine as a table, nil for a profile
// with no tables (one not of Profiles: ask PublishedEdge).
func (p *Profile) EdgeTable() *EdgeTable {
	if p = p.Or(); p.tables != nil {
		return &p.tables.edge
	}
	return nil
}

// Edge reports PublishedEdge(from, to) of t's profile; ok is false when
// from or to is outside the table, or t is nil (ask PublishedEdge).
func (t *EdgeTable) Edge(from, to Status) (edge, ok bool) {
	i, j := uint(int(from)+1), uint(int(to)+1)
	if t != nil && i < statusSlots && j < statusSlots {
		return t[i][j], true
	}
	return false, false
}

func init() {
	for _, p := range Profiles {
		p.tables, p.machine = p.index(), p.compiled()
	}
}

// index computes p's tables.
func (p *Profile) index() *profileTables {
	t := &profileTables{}
	for i := range statusSlots {
		t.pub[i], t.has[i] = p.publishedOf(Status(i - 1))
	}
	for i := range statusSlots {
		for j := range statusSlots {
			t.edge[i][j] = p.publishedEdge(Status(i-1), Status(j-1))
		}
	}
	return t
}

// publishedOf is the definition of Publish: the profile's names map.
func (p *Profile) publishedOf(s Status) (Published, bool) {
	n, ok := p.names[s]
	return n, ok
}

// publishedEdge is the definition of PublishedEdge: a scan of the
// profile's edges by published name.
func (p *Profile) publishedEdge(from, to Status) bool {
	fn, tn := p.StatusName(from), p.StatusName(to)
	for _, e := range p.Edges {
		dst, _ := ParseStatus(e.To)
		if p.StatusName(dst) != tn {
			continue
		}
		for _, s := range e.From {
			src, _ := ParseStatus(s)
			if p.StatusName(src) == fn && fn != tn {
				return true
			}
		}
	}
	return false
}
