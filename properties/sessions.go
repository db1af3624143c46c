package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// P10 (one session per user and platform), across devices: a session open
// record while another session of the same (user, platform) is open, of
// another device or of the same one, is a violation. A close record closes
// the open session with the same user, platform, device and seq (a close
// that matches none changes nothing).

// session checks P10 at session record r.
func (m *Monitor) session(r *trace.Record) {
	k := sessKey{r.User, r.Platform}
	switch r.Op {
	case opOpen:
		if s, ok := m.sessions.oldest(k); ok {
			m.reportAt(10, "P10", r, fmt.Sprintf(
				"second live session of user %d on %s: dev%d seq %d, opened at record %d, is still open",
				r.User, r.Platform, s.dev, s.seq, s.idx))
		}
		m.sessions.open(k, sess{dev: r.Dev, seq: r.Seq, idx: m.n - 1})
	case opClose:
		m.sessions.close(k, r.Dev, r.Seq)
	}
}

type sessKey struct {
	user     int32
	platform string
}

// sess is an open session.
type sess struct {
	dev        int32
	seq        uint32
	idx        int   // its open record
	prev, next int32 // the key's list, in open order: index+1 in sessionTable.all
	nextSame   int32 // the next open session with the same key, device and seq
}

// fullKey names the sessions a close record may close.
type fullKey struct {
	k   sessKey
	dev int32
	seq uint32
}

// sessionTable holds the open sessions: per (user, platform), a list in
// open order, and per (user, platform, device, seq) another, so that an
// open and a close cost O(1) however many sessions are open. Entries are
// recycled through a free list, so a warm table does not allocate.
type sessionTable struct {
	lists map[sessKey][2]int32 // head, tail (index+1)
	same  map[fullKey][2]int32 // head, tail (index+1), linked by nextSame
	all   []sess
	free  []int32
}

func (t *sessionTable) reset() {
	clear(t.lists)
	clear(t.same)
	t.all, t.free = t.all[:0], t.free[:0]
}

func (t *sessionTable) oldest(k sessKey) (sess, bool) {
	l := t.lists[k]
	if l[0] == 0 {
		return sess{}, false
	}
	return t.all[l[0]-1], true
}

func (t *sessionTable) open(k sessKey, s sess) {
	if t.lists == nil {
		t.lists = map[sessKey][2]int32{}
	}
	if t.same == nil {
		t.same = map[fullKey][2]int32{}
	}
	var i int32
	if n := len(t.free); n > 0 {
		i, t.free = t.free[n-1], t.free[:n-1]
	} else {
		t.all = append(t.all, sess{})
		i = int32(len(t.all))
	}
	l := t.lists[k]
	s.prev, s.next = l[1], 0
	t.all[i-1] = s
	if l[1] > 0 {
		t.all[l[1]-1].next = i
	} else {
		l[0] = i
	}
	l[1] = i
	t.lists[k] = l
	fk := fullKey{k, s.dev, s.seq}
	f := t.same[fk]
	if f[1] > 0 {
		t.all[f[1]-1].nextSame = i
	} else {
		f[0] = i
	}
	f[1] = i
	t.same[fk] = f
}

// close closes the oldest open session of k with device dev and seq.
func (t *sessionTable) close(k sessKey, dev int32, seq uint32) {
	fk := fullKey{k, dev, seq}
	f, ok := t.same[fk]
	if !ok {
		return
	}
	i := f[0]
	s := &t.all[i-1]
	if f[0] = s.nextSame; f[0] == 0 {
		delete(t.same, fk)
	} else {
		t.same[fk] = f
	}
	l := t.lists[k]
	if s.prev > 0 {
		t.all[s.prev-1].next = s.next
	} else {
		l[0] = s.next
	}
	if s.next > 0 {
		t.all[s.next-1].prev = s.prev
	} else {
		l[1] = s.prev
	}
	s.nextSame = 0
	t.free = append(t.free, i)
	if l[0] == 0 {
		delete(t.lists, k)
	} else {
		t.lists[k] = l
	}
}
