package properties

import (
	"unsafe"

	"github.com/rcsim/connsim/trace"
)

// A Monitor's prefix: records that begin most of the traces it checks.
// Every trial of a sim World begins with the same records (its opening:
// add_listener, init, the first Connect's call record and its effects up
// to its first send), so the checkers would reach the same state at the
// end of them in every trial. Given them (SetPrefix), a Monitor observes
// them once, from a Reset with its parameters, and keeps the state they
// leave (a snapshot); Check then starts a trace that begins with exactly
// those records from the snapshot (Reset's work and the few entries the
// prefix touched: restore) and observes only the rest. Any other trace
// is checked from the start.
//
// Invariant: Check's verdict, messages and record indexes included, is
// the same with and without a prefix (TestPrefixSameVerdicts); restore
// knows every field of Monitor (TestPrefixRestoreCoversFields).
type prefix struct {
	recs []trace.Record // the Monitor's own copy
	snap Monitor        // after recs, from a Reset, with the owner's Config and mask (ready)
	// ready: snap is the state for the owner's Config (setConfig clears
	// it) and snap.mask. usable: ready, and restore can give snap's state:
	// the prefix left no P6 wait queued, now or before (restore does not
	// copy the queue of waits), and did not pass MaxRecords.
	ready, usable bool
	// passed[n]: the last trace of n records (below memoLen) that began
	// with recs and kept every property with snap's Config and mask
	// (empty: none); observe empties them. A Monitor's verdict is a
	// function of its parameters and the records, so a trace equal to it
	// byte for byte keeps every property too, and is not observed: the
	// trials of a World repeat (at loss 0.3 all but a few: 5 traces of
	// 20,000 default trials observed).
	passed [memoLen]passedTrace
	// hits: traces restored from snap; memoHits: traces found in passed
	// (the tests' witnesses).
	hits, memoHits int
	// The memo's own account (memoOn): tries and found in the current
	// window of memoWindow tries, and how many traces it still sits out.
	tries, found, rest int
}

// The memo pays for itself when traces repeat: a miss costs its compare
// and the copy of a passing trace (about 270 instructions, +11% on a
// check of traces that never repeat), a hit saves the trace's check
// (about 2,600 at loss 0.3). Over each window of memoWindow tries, a memo
// that found fewer than one trace in memoMinShare sits out the next
// memoRest traces (no compare, no copy), then tries again. Its account
// depends only on the traces the Monitor checked, never on the verdicts'
// content, so whether it is on changes no verdict.
const (
	memoWindow   = 256
	memoMinShare = 8
	memoRest     = 4096
)

// memoOn reports whether the memo is tried on the next trace of fewer
// than memoLen records, counting the traces it sits out.
func (p *prefix) memoOn() bool {
	if p.rest > 0 {
		p.rest--
		return false
	}
	return true
}

// memoTried counts one try of the memo, found or not, and closes the
// window when it is full.
func (p *prefix) memoTried(found bool) {
	p.tries++
	if found {
		p.found++
	}
	if p.tries < memoWindow {
		return
	}
	if p.found*memoMinShare < p.tries {
		p.rest = memoRest
	}
	p.tries, p.found = 0, 0
}

// memoLen bounds the length of the traces a prefix remembers (passed):
// a trial's trace is about 11 records.
const memoLen = 32

// SetPrefix makes recs (copied) the records m expects most traces it
// checks to begin with: Check and CheckTrace resume a trace that begins
// with exactly these records from the state they leave, observed once
// (at the first such trace after SetPrefix or a change of parameters),
// and check any other trace from the start. The verdicts are the same
// either way; a prefix only saves the work of observing its records
// again. A trace that begins with the prefix and equals one that kept
// every property since is not observed at all (prefix.passed).
// SetPrefix with the records m already has keeps its state; with none,
// m has no prefix. Reset, Observe and Finish ignore the prefix.
func (m *Monitor) SetPrefix(recs []trace.Record) {
	p := m.pre
	switch {
	case len(recs) == 0:
		if p != nil {
			p.recs, p.ready = p.recs[:0], false
		}
		return
	case p == nil:
		p = &prefix{}
		m.pre = p
	case len(p.recs) == len(recs) && p.begins(recs):
		return
	}
	p.recs, p.ready = append(p.recs[:0], recs...), false
	p.tries, p.found, p.rest = 0, 0, 0
}

// Prefix returns the records of m's prefix (SetPrefix's, m's memory), nil
// if none.
func (m *Monitor) Prefix() []trace.Record {
	if m.pre == nil || len(m.pre.recs) == 0 {
		return nil
	}
	return m.pre.recs
}

// begins reports whether recs begins with p's records, compared as bytes:
// equal bytes are equal records, observed alike. (A Record has no
// padding, TestRecordHasNoPadding, so equal records are equal bytes but
// for a Value of NaN or -0, whose trace is then checked from the start.)
func (p *prefix) begins(recs []trace.Record) bool {
	n := len(p.recs)
	return len(recs) >= n && trace.Bytes(recs[:n]) == trace.Bytes(p.recs)
}

// prepared reports whether m can resume from its prefix's snapshot,
// observing the prefix first if the snapshot is not ready for m's
// Config and mask.
func (m *Monitor) prepared() bool {
	p := m.pre
	if !p.ready || p.snap.mask != m.mask {
		p.observe(m)
	}
	return p.usable
}

// observe makes p's snapshot: m's parameters and mask, a Reset, p's
// records.
func (p *prefix) observe(m *Monitor) {
	s := &p.snap
	s.mask = m.mask
	s.setConfig(&m.cfg)
	s.Reset()
	s.observe(p.recs)
	p.ready = true
	p.usable = !s.over && s.dues.used == 0
	for i := range p.passed {
		p.passed[i].recs = p.passed[i].recs[:0]
	}
}

// restore makes m the state of s, a snapshot of m's prefix (same Config
// and mask, no P6 wait ever queued): Reset's work, table by table, fused
// with the copy of what s holds, entry by entry (a trial's prefix holds
// a device, a call and a listener: a copy through memmove, or of a
// table's whole header, costs more than the entries). It knows every
// field of Monitor: cfg, mask, att and edges are already s's; overdue is
// scratch.
func (m *Monitor) restore(s *Monitor) {
	m.n, m.over, m.lastT, m.endIdx, m.endReason, m.endT = s.n, s.over, s.lastT, s.endIdx, s.endReason, s.endT
	m.devIdx.restore(&s.devIdx)
	m.devs.restore(&s.devs)
	m.callIdx.restore(&s.callIdx)
	m.calls.restore(&s.calls)
	m.cold.restore(&s.cold)
	m.dcold.restore(&s.dcold)
	m.rejects = m.rejects[:0]
	for _, r := range s.rejects {
		m.rejects = append(m.rejects, r)
	}
	m.listeners.reset()
	m.listeners.restore(&s.listeners)
	m.sessions.reset()
	if s.sessions.hasPlat { // else empty, as reset left m's
		m.sessions = m.sessions.copyFrom(&s.sessions)
	}
	m.msg.reset()
	if !s.msg.empty() {
		m.msg = m.msg.copyFrom(&s.msg)
	}
	m.dues.reset()
	m.out = m.out[:0]
	for i := range s.out {
		m.out = append(m.out, s.out[i])
	}
}

// restore makes t a copy of s (whose ids are not reserved: a
// snapshot's), keeping t's memory. It is reset's work too: the entries
// of t.direct past its length are never read (set appends zeros).
func (t *idTable) restore(s *idTable) {
	t.direct = t.direct[:0]
	for _, v := range s.direct {
		t.direct = append(t.direct, v)
	}
	if len(t.big) > 0 {
		clear(t.big)
	}
	if len(s.big) > 0 {
		if t.big == nil {
			t.big = make(map[int32]int32, len(s.big))
		}
		for k, v := range s.big {
			t.big[k] = v
		}
	}
	t.lim = s.lim
}

// restore makes t a copy of s, keeping t's memory (reset's work too).
func (t *paged[T]) restore(s *paged[T]) {
	if int(s.n) > len(t.first) {
		*t = t.copyFrom(s)
		return
	}
	for i := range s.n {
		t.first[i] = s.first[i]
	}
	t.n = s.n
}

// restore makes t, just reset, a copy of s, keeping t's memory.
func (t *listenerSet) restore(s *listenerSet) {
	if s.big {
		*t = t.copyFrom(s)
		return
	}
	for _, k := range s.few {
		t.few = append(t.few, k)
	}
}

// checkFrom is Check's work: for a trace that begins with m's prefix, nil
// if an equal trace passed (p.passed), else the trace from the prefix's
// state; for another, the trace from a Reset. (After a trace found in
// p.passed, m's state is an earlier trace's: Check's caller reads only
// its verdict.)
//
// begun: the caller knows recs begins with m's prefix, byte for byte
// (CheckBegun), so checkFrom does not compare them.
func (m *Monitor) checkFrom(recs []trace.Record, begun bool) []Violation {
	p := m.pre
	if p == nil || len(p.recs) == 0 || !(begun && len(recs) >= len(p.recs) || p.begins(recs)) || !m.prepared() {
		m.Reset()
		m.observe(recs)
		return m.Finish()
	}
	if len(recs) >= memoLen || !p.memoOn() {
		return m.resume(recs, false)
	}
	found := p.passedAlready(recs)
	p.memoTried(found)
	if !found {
		return m.resume(recs, true)
	}
	p.memoHits++
	return nil
}

// resume is checkFrom's work on a trace that begins with m's prefix and
// is not found in p.passed: the trace from the prefix's state. memo: the
// memo was tried on it, so that it keeps the trace if it passes.
func (m *Monitor) resume(recs []trace.Record, memo bool) []Violation {
	p := m.pre
	n, k := len(recs), len(p.recs)
	m.restore(&p.snap)
	p.hits++
	m.observe(recs[k:])
	vs := m.Finish()
	if vs == nil && memo {
		e := &p.passed[n]
		if len(e.recs) == n { // it begins with p.recs too: the rest
			copy(e.recs[k:], recs[k:])
		} else {
			e.recs, e.at = append(e.recs[:0], recs...), compareAt(n, k)
		}
	}
	return vs
}

// passedTrace is a trace that passed (prefix.passed), and where
// passedAlready's comparison with it begins.
type passedTrace struct {
	recs []trace.Record // empty: none
	at   uintptr        // compareAt(len(recs), len of the prefix)
}

// passedAlready reports whether recs (which begins with p.recs, and has
// fewer than memoLen records) is the trace of its length in p.passed:
// its records after the prefix, compared as bytes in one comparison (the
// traces a World repeats are found so; one that differs costs no more
// than the comparison, next to the observing it then takes), from the
// byte compareAt gives.
func (p *prefix) passedAlready(recs []trace.Record) bool {
	e := &p.passed[len(recs)]
	if len(e.recs) != len(recs) {
		return false
	}
	size := uintptr(len(recs))*unsafe.Sizeof(trace.Record{}) - e.at
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(e.recs)), e.at)), size) ==
		unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(recs)), e.at)), size)
}

// compareAt returns the byte where passedAlready's comparison of traces
// of n records that begin with the same k begins: a little before their
// records after the k, inside the k (equal bytes: comparing more could
// only find fewer traces equal), so that it covers a multiple of 64
// bytes, the unit runtime.memequal compares fastest (no tail compared 8
// bytes at a time); at 0 if the whole trace is shorter.
func compareAt(n, k int) uintptr {
	size := int(unsafe.Sizeof(trace.Record{}))
	return uintptr(max(0, n*size-((n-k)*size+63)&^63))
}

// dropPrefixState makes m observe its prefix again before it next
// resumes from it: its parameters changed.
func (m *Monitor) dropPrefixState() {
	if m.pre != nil {
		m.pre.ready = false
	}
}
