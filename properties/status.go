package properties

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P7 (legal statuses), per device. The status records form a chain from
// UNCONNECTED: each record's From is the previous record's Status, (From,
// Status) is an edge of the profile's published machine
// (fsm.Profile.PublishedEdge; android: fsm.EdgeEvent), Status
// differs from the previous status, and Listeners equals the number of
// listeners registered by the device's add_listener / remove_listener
// calls so far (adding a registered id or removing an absent one changes
// nothing). One violation per offending record; the chain then continues
// from the record's Status. A status query (call record op status)
// answers the chain's current status.

// listener registers or removes a listener of device ds (P7).
func (m *Monitor) listener(ds int32, r *trace.Record) {
	d := m.devs.at(ds)
	k := uint64(uint32(r.Dev))<<32 | uint64(uint32(r.Listeners))
	ok := m.listeners.has(k)
	switch {
	case r.Op == vocab.OpAddListener && !ok:
		m.listeners.add(k)
		m.coldDev(d).nl++
	case r.Op == vocab.OpRemoveListener && ok:
		m.listeners.remove(k)
		m.coldDev(d).nl--
	}
}

// listenerSet is the set of registered (device, listener id) pairs, as
// dev<<32 | id: a short slice while it is small (a trial registers one or
// two), a map once it outgrows fewListeners (a trace of many devices), so
// that a trial's Reset and the explorer's copies clear and copy a few
// words, not a map.
type listenerSet struct {
	few  []uint64            // the pairs while big is false
	many map[uint64]struct{} // the pairs while big is true
	big  bool
}

// fewListeners bounds the slice of a listenerSet.
const fewListeners = 16

func (s *listenerSet) has(k uint64) bool {
	if s.big {
		_, ok := s.many[k]
		return ok
	}
	return slices.Contains(s.few, k)
}

// add adds k, which s must not hold.
func (s *listenerSet) add(k uint64) {
	if s.big {
		s.many[k] = struct{}{}
		return
	}
	if len(s.few) < fewListeners {
		s.few = append(s.few, k)
		return
	}
	if s.many == nil {
		s.many = map[uint64]struct{}{}
	}
	clear(s.many) // it may hold the pairs of a set this one was copied over
	for _, x := range s.few {
		s.many[x] = struct{}{}
	}
	s.many[k] = struct{}{}
	s.few, s.big = s.few[:0], true
}

// remove removes k, which s must hold.
func (s *listenerSet) remove(k uint64) {
	if s.big {
		delete(s.many, k)
		return
	}
	s.few = slices.DeleteFunc(s.few, func(x uint64) bool { return x == k })
}

func (s *listenerSet) reset() {
	s.few = s.few[:0]
	if s.big {
		clear(s.many)
		s.big = false
	}
}

// copyFrom returns a copy of src in s's memory.
func (s listenerSet) copyFrom(src *listenerSet) listenerSet {
	out := listenerSet{few: append(s.few[:0], src.few...), many: s.many, big: src.big}
	if src.big {
		out.many = copyMap(s.many, src.many)
	}
	return out
}

// status checks P7 at status record r of device d.
func (m *Monitor) status(d *devState, r *trace.Record) {
	n := m.listenersOf(d)
	edge, in := m.edges.Edge(r.From, r.Status) // inline, where PublishedEdge is a call
	if !in {
		edge = m.cfg.Profile.PublishedEdge(r.From, r.Status)
	}
	if r.From != d.status || r.Status == d.status || r.Listeners != n || !edge {
		// a fault (statusFaults' tests, which the record passes else)
		if msg := statusFaults(m.cfg.Profile, d.status, r, n); msg != "" {
			m.reportAt(7, "P7", r, msg)
		}
	}
	d.status, d.statusI, d.statusT = r.Status, m.at(), r.T
}

// query checks P7 at status query r of device d: the answer is the
// status its listeners were last told (UNCONNECTED before any), compared
// as published (a web DISCONNECTED is one answer whatever its code).
func (m *Monitor) query(d *devState, r *trace.Record) {
	if msg := queryFault(m.cfg.Profile, d.status, r); msg != "" {
		m.reportAt(7, "P7", r, msg)
	}
}

// queryFault returns what is wrong with status query r of a device whose
// last status delivered is cur, or "".
func queryFault(p *fsm.Profile, cur fsm.Status, r *trace.Record) string {
	if p.StatusName(r.Status) == p.StatusName(cur) {
		return ""
	}
	return fmt.Sprintf("status query answered %s, but the listeners were last told %s", r.Status, cur)
}

// statusFaults returns what is wrong with status record r of a device whose
// previous status is prev and that has n listeners registered, or "".
func statusFaults(p *fsm.Profile, prev fsm.Status, r *trace.Record, n int32) string {
	var faults []string
	if r.From != prev {
		faults = append(faults, fmt.Sprintf("from %s but the previous status was %s", r.From, prev))
	}
	if r.Status == prev {
		faults = append(faults, fmt.Sprintf("%s twice in a row", r.Status))
	} else if !p.PublishedEdge(r.From, r.Status) {
		faults = append(faults, fmt.Sprintf("%s -> %s is not an edge of the state machine", r.From, r.Status))
	}
	if r.Listeners != n {
		faults = append(faults, fmt.Sprintf("told %d listeners, %d registered", r.Listeners, n))
	}
	if faults == nil {
		return ""
	}
	return "status " + r.Status.String() + ": " + strings.Join(faults, "; ")
}
