package properties

import "maps"

// CopyFrom makes m a copy of s that goes on independently: after it, m and
// s may observe different records, and each reports what it would had it
// observed its own records from the start. m takes s's Config and
// properties. It reuses m's memory, so a search that keeps one monitor per
// depth (package explore) copies without allocating once warm; its cost
// is that of s's state (devices, calls and open sessions), not of the
// records s has observed.
//
// The copy shares s's name table (nameTable only grows, and an index never
// changes meaning). It does not copy P6's queue of waits: s must have none
// (a monitor with no Policy, such as the explorer's, queues none), else
// CopyFrom panics. m keeps its own prefix (SetPrefix), observed again
// with s's Config. TestMonitorCopyCoversFields fails when Monitor gets a
// field this does not know.
func (m *Monitor) CopyFrom(s *Monitor) {
	if s.dues.len() > 0 {
		panic("properties: CopyFrom: a monitor with P6 waits queued cannot be copied")
	}
	dst := *m
	*m = *s
	m.devIdx = dst.devIdx.copyFrom(&s.devIdx)
	m.devs = dst.devs.copyFrom(&s.devs)
	m.callIdx = dst.callIdx.copyFrom(&s.callIdx)
	m.calls = dst.calls.copyFrom(&s.calls)
	m.cold = dst.cold.copyFrom(&s.cold)
	m.dcold = dst.dcold.copyFrom(&s.dcold)
	m.rejects = append(dst.rejects[:0], s.rejects...)
	m.listeners = dst.listeners.copyFrom(&s.listeners)
	m.sessions = dst.sessions.copyFrom(&s.sessions)
	m.msg = dst.msg.copyFrom(&s.msg)
	m.dues = dst.dues
	m.overdue = dst.overdue[:0]
	m.out = append(dst.out[:0], s.out...)
	m.pre = dst.pre // m keeps its own prefix, to observe again with s's Config
	m.dropPrefixState()
}

// copyFrom returns a copy of s in t's memory.
func (t idTable) copyFrom(s *idTable) idTable {
	return idTable{direct: append(t.direct[:0], s.direct...), big: copyMap(t.big, s.big), lim: s.lim}
}

// copyFrom returns a copy of s in t's memory.
func (t sessionTable) copyFrom(s *sessionTable) sessionTable {
	return sessionTable{plat: s.plat, hasPlat: s.hasPlat, lim: s.lim,
		direct: append(t.direct[:0], s.direct...),
		lists:  copyMap(t.lists, s.lists),
		same:   copyMap(t.same, s.same),
		all:    append(t.all[:0], s.all...),
		free:   append(t.free[:0], s.free...),
	}
}

// copyMap returns a copy of src in dst's memory: nil if src is nil.
func copyMap[K comparable, V any](dst, src map[K]V) map[K]V {
	if src == nil {
		return nil
	}
	if dst == nil {
		dst = make(map[K]V, len(src))
	}
	clear(dst)
	maps.Copy(dst, src)
	return dst
}

// VerdictInto appends to buf what Finish would return if the trace ended
// here (ordered by record index, then property number), and returns buf;
// unlike Finish, it leaves m able to observe more records of the same
// trace, and buf does not alias m's memory.
func (m *Monitor) VerdictInto(buf []Violation) []Violation {
	n := len(m.out)
	m.endChecks()
	buf = append(buf, m.out...)
	m.out = m.out[:n]
	sortViolations(buf)
	return buf
}

// copyFrom returns a copy of s in t's memory (the messages' slices are
// copied anew: the explorer, which copies monitors, has no messages).
func (t msgMon) copyFrom(s *msgMon) msgMon {
	users := t.users[:0]
	for _, u := range s.users {
		users = append(users, msgUser{msgs: append([]msgRec(nil), u.msgs...), devs: append([]int32(nil), u.devs...)})
	}
	return msgMon{
		userIdx:  t.userIdx.copyFrom(&s.userIdx),
		users:    users,
		lastOpen: t.lastOpen.copyFrom(&s.lastOpen),
		devIdx:   t.devIdx.copyFrom(&s.devIdx),
		devs:     append(t.devs[:0], s.devs...),
		plats:    append(t.plats[:0], s.plats...),
	}
}
