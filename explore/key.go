package explore

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// monitor is what the trace checkers Run runs (P1, P3, P4, P5, P7, P9,
// P10; P21's memory is the anatomy's, in the key apart; P22's, whether
// the IPC link is down, is not in the key: the explorer's break is
// instant, so it matters only to a core that answers a Connect with -2)
// remember of a path's history that can still matter for the rest of
// the path. It is derived from the records alone, not from the core, and is
// part of the abstract state: two paths that reach the same core state with
// different histories (one already had a terminal callback, say) are
// different states. P10's memory (the open sessions) is the server's state.
type monitor struct {
	status     fsm.Status // the last status told (P7)
	stopped    bool       // P5: stopped since the last accepted Connect
	silent     bool       // P3: a 34006 since the last accepted Connect
	silentCall int32      // P3: the call that timed out
	stored     bool       // P4: an onSuccess came (the explorer's one token is stored)
	calls      []callFact // accepted calls that may still get callbacks
}

// callFact is what P1 and P4 (and invariant I3) remember of an accepted
// call: whether it had its terminal callback (and whether that was
// onSuccess), its onDatabaseOpened, whether a Disconnect ended it, and
// whether its token was new when it was made (P4's database rule).
type callFact struct {
	id                                  int32
	terminal, success, db, ended, after bool
}

func (m *monitor) fact(id int32) *callFact {
	for i := range m.calls {
		if m.calls[i].id == id {
			return &m.calls[i]
		}
	}
	return nil
}

// observe updates m with the records of one move.
func (m *monitor) observe(recs []trace.Record) {
	for i := range recs {
		r := &recs[i]
		switch r.Kind {
		case trace.KCall:
			if r.Op == vocab.OpConnect && !rejectedIn(recs[i+1:], r.Call) {
				m.stopped, m.silent = false, false
				m.calls = append(m.calls, callFact{id: r.Call, after: !m.stored})
			} else if r.Op == vocab.OpDisconnect || r.Op == vocab.OpLogout {
				m.stopped = true
				for j := range m.calls {
					m.calls[j].ended = true
				}
			}
		case trace.KCallback:
			if f := m.fact(r.Call); f != nil {
				if r.Name == vocab.CbDatabaseOpened {
					f.db = true
				} else {
					f.terminal = true
					f.success = r.Name == vocab.CbSuccess
				}
			}
			m.stored = m.stored || r.Name == vocab.CbSuccess
			if r.Name == vocab.CbError && r.Code == fsm.ConnectTimeout && !m.silent {
				m.silent, m.silentCall = true, r.Call
			}
			m.stopped = m.stopped || properties.Stops(r)
		case trace.KStatus:
			m.status = r.Status
			m.stopped = m.stopped || properties.Stops(r)
		}
	}
}

// rejectedIn reports whether recs hold the misuse onError of call id.
func rejectedIn(recs []trace.Record, id int32) bool {
	for i := range recs {
		r := &recs[i]
		if r.Kind == trace.KCallback && r.Call == id && r.Name == vocab.CbError && r.Code.Class() == fsm.ClassMisuse {
			return true
		}
	}
	return false
}

// keyer computes canonical keys. Sequence numbers and call ids are
// replaced by their rank among the values present in the state (0 stays
// 0): the core and the server only compare them (equal, less or equal)
// and take fresh ones above every value present, so two states that differ
// by an order-preserving renaming behave alike. The attempt counter and
// the streak are left out: they only pick the schedule's interval (time is
// abstract) and fill record fields no checked property reads. Messages in
// flight and database timers are a bag: sorted.
type keyer struct {
	seqs  []uint32
	calls []int32
	msgs  [][10]byte
	buf   []byte
}

// keySeeds seed the two 64-bit halves of a state key. Keys are compared
// within one exploration only, so random seeds are fine: a collision (two
// states taken for one) has a probability of about states²/2¹²⁹.
var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

type stateKey [2]uint64

func rank[T uint32 | int32](vals []T, v T) byte {
	i, _ := slices.BinarySearch(vals, v)
	return byte(i)
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// key returns the canonical key of w's abstract state: a 128-bit hash of
// its canonical encoding.
func (k *keyer) key(w *world) stateKey {
	s := w.c.Snapshot()
	sv := w.srv.State()
	k.seqs = append(k.seqs[:0], 0, s.Seq, s.SessionSeq, sv.Seq, sv.Floor, sv.ClosedSeq)
	for _, m := range w.msgs {
		k.seqs = append(k.seqs, m.Seq)
	}
	slices.Sort(k.seqs)
	k.seqs = slices.Compact(k.seqs)
	k.calls = append(k.calls[:0], 0, s.Call, w.mon.silentCall)
	k.calls = append(k.calls, s.DBPending...)
	k.calls = append(k.calls, w.db...)
	slices.Sort(k.calls)
	k.calls = slices.Compact(k.calls)
	seq := func(v uint32) byte { return rank(k.seqs, v) }
	call := func(v int32) byte { return rank(k.calls, v) }

	b := k.buf[:0]
	b = append(b, byte(s.Status), b2i(s.Inited), b2i(s.Pending), b2i(s.EverConnected), b2i(s.InFlight),
		b2i(s.Waiting), b2i(s.NetUp), b2i(s.Foreground), b2i(s.BgStopped), b2i(s.AwaitingPong), b2i(s.N > 0),
		byte(s.Misses), byte(s.Listeners), seq(s.Seq), seq(s.SessionSeq), call(s.Call), b2i(s.Stored), b2i(s.DBAfter),
		byte(len(s.DBPending)))
	for _, c := range s.DBPending {
		b = append(b, call(c))
	}
	var live uint16
	for _, t := range timers {
		if w.live(t) {
			live |= 1 << t
		}
	}
	b = binary.LittleEndian.AppendUint16(b, live)
	if w.full {
		// The attempt's anatomy: the step, server, round and sockets of
		// the attempt in flight (nothing otherwise: they are stale), and
		// the navigation answer the client holds, fresh at the world's
		// time.
		if s.InFlight {
			b = append(b, s.Step, byte(s.Server), byte(s.Round), byte(s.Tries))
		}
		b = append(b, b2i(w.naviFresh()), byte(s.NaviN), byte(s.Sticky), b2i(s.EverCalled))
		// The world's memory (I7, I8): the rule's cache, and the
		// sockets the attempt in flight has opened.
		b = append(b, b2i(w.an.fresh(w.t)), b2i(w.called && w.returning))
		if sv.Live {
			b = append(b, byte(w.on)) // the server mvServerDown takes down
		}
		if s.InFlight && w.an.sockSeq == s.Seq {
			b = append(b, byte(w.an.sockNext))
		} else {
			b = append(b, 0xff)
		}
		if s.InFlight {
			b = append(b, w.an.lastStep, w.an.socks)
		}
	}
	b = append(b, b2i(w.netUp), b2i(w.limited), byte(len(w.db)))
	dbs := len(b)
	for _, c := range w.db {
		b = append(b, call(c))
	}
	slices.Sort(b[dbs:])
	k.msgs = k.msgs[:0]
	for _, m := range w.msgs {
		var e [10]byte
		e[0], e[1], e[2], e[3] = byte(m.Kind), seq(m.Seq), b2i(m.Auto), b2i(m.Push)
		binary.LittleEndian.PutUint32(e[4:], uint32(m.Code))
		e[8], e[9] = byte(m.N), byte(m.ID) // a server index, a socket round (attempt full)
		k.msgs = append(k.msgs, e)
	}
	slices.SortFunc(k.msgs, func(x, y [10]byte) int { return slices.Compare(x[:], y[:]) })
	b = append(b, byte(len(k.msgs)))
	for _, e := range k.msgs {
		b = append(b, e[:]...)
	}
	b = append(b, b2i(sv.Live), seq(sv.Seq), b2i(sv.HasFloor), seq(sv.Floor), seq(sv.ClosedSeq), byte(sv.Closed))
	m := &w.mon
	b = append(b, byte(m.status), b2i(m.stopped), b2i(m.silent), call(m.silentCall), b2i(m.stored))
	// Facts of calls the state still refers to; others can get no callback.
	for _, c := range k.calls[1:] {
		if f := m.fact(c); f != nil {
			b = append(b, call(c), b2i(f.terminal), b2i(f.success), b2i(f.db), b2i(f.ended), b2i(f.after))
		}
	}
	k.buf = b
	return stateKey{maphash.Bytes(keySeeds[0], b), maphash.Bytes(keySeeds[1], b)}
}
