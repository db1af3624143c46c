package properties

import (
	"fmt"
	"math"
	"slices"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P10 (one session per user and platform), across devices: a session open
// record while another session of the same (user, platform) is open, of
// another device or of the same one, is a violation. A close record closes
// the open session with the same user, platform, device and seq (a close
// that matches none changes nothing). With Config.MultiMobile, mobile
// sessions are not checked.

// session checks P10 at session record r.
func (m *Monitor) session(r *trace.Record) {
	if m.cfg.MultiMobile && r.Platform == mobile {
		return
	}
	k := sessKey{r.User, r.Platform}
	switch r.Op {
	case vocab.SessOpen:
		if s, ok := m.sessions.oldest(k); ok {
			m.reportAt(10, "P10", r, fmt.Sprintf(
				"second live session of user %d on %s: dev%d seq %d, opened at record %d, is still open",
				r.User, r.Platform, s.dev, s.seq, s.idx))
		}
		m.sessions.open(k, sess{dev: r.Dev, seq: r.Seq, idx: m.at()})
	case vocab.SessClose:
		m.sessions.close(k, r.Dev, r.Seq)
	}
}

// mobile is the mobile platform class (server.Mobile's Word; properties
// reads traces and does not import the server).
const mobile = vocab.PlatformMobile

type sessKey struct {
	user     int32
	platform vocab.Word
}

// sess is an open session.
type sess struct {
	dev        int32
	seq        uint32
	idx        rec   // its open record
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
// open order, and, for a key with two or more sessions open, per (user,
// platform, device, seq) another, so that an open and a close cost O(1)
// however many sessions are open. The lists of the first platform seen
// are a slice indexed by user (for users 0 to maxDirect-1, or to the
// users reserved), the others a map; a key with one session open (a
// storm: a million users, one session each) needs no second index at
// all, and a direct key holds it in place (sessSlot), not in all. Entries are recycled through a free list, so a
// warm table does not allocate.
//
// Invariants: a key's list holds its open sessions in open order; same
// holds, for every key with two or more, each of its sessions, chained
// oldest first per (device, seq), and nothing else.
type sessionTable struct {
	plat    vocab.Word // the first platform seen (hasPlat)
	hasPlat bool       // ... since the last reset
	direct  []sessSlot // the sessions of (user, plat), by user
	lim     int32      // users below max(lim, maxDirect) are direct (reserve; 0 after reset)
	lists   map[sessKey]sessList
	same    map[fullKey][2]int32 // head, tail (index+1), linked by nextSame
	all     []sess
	free    []int32
}

// sessList is one key's open sessions: head, tail (index+1 in all; 0
// when none). One session open: head = tail.
type sessList struct{ head, tail int32 }

// sessSlot is a direct key's open sessions: none (head 0), one held
// here (head -1: its dev, seq and idx), or a list in all (head > 0; dev
// is the list's tail, seq and idx unused). A key whose second session
// opens moves its first to all; it stays there.
type sessSlot struct {
	head int32
	dev  int32
	seq  uint32
	idx  rec
}

// empty reports whether l holds no session.
func (l sessList) empty() bool { return l.head == 0 }

// single reports whether l holds exactly one session.
func (l sessList) single() bool { return l.head != 0 && l.head == l.tail }

func (t *sessionTable) reset() {
	if !t.hasPlat && t.lim == 0 {
		return // no session opened since the last reset, none reserved: empty
	}
	if len(t.lists) > 0 {
		clear(t.lists)
	}
	if len(t.same) > 0 {
		clear(t.same)
	}
	clear(t.direct)
	t.direct = t.direct[:0]
	t.plat, t.hasPlat, t.lim = vocab.None, false, 0
	t.all, t.free = t.all[:0], t.free[:0]
}

// reserve makes users 0 to users-1 of one platform direct, with room
// for them.
func (t *sessionTable) reserve(users int) {
	users = min(users, math.MaxInt32)
	t.lim = max(t.lim, int32(users))
	t.direct = slices.Grow(t.direct, max(users-len(t.direct), 0))
}

// isDirect reports whether k's list lives in direct.
func (t *sessionTable) isDirect(k sessKey) bool {
	return t.hasPlat && k.platform == t.plat && direct(k.user, t.lim)
}

// get returns k's list in all: none for a direct key with its one
// session in place (see inPlace).
func (t *sessionTable) get(k sessKey) sessList {
	if t.isDirect(k) {
		if int(k.user) < len(t.direct) {
			if e := &t.direct[k.user]; e.head > 0 {
				return sessList{e.head, e.dev}
			}
		}
		return sessList{}
	}
	return t.lists[k]
}

// inPlace returns the slot of direct key k if it holds its one session
// in place, else nil.
func (t *sessionTable) inPlace(k sessKey) *sessSlot {
	if t.isDirect(k) && int(k.user) < len(t.direct) {
		if e := &t.direct[k.user]; e.head < 0 {
			return e
		}
	}
	return nil
}

// slot returns the slot of direct key k, making it.
func (t *sessionTable) slot(k sessKey) *sessSlot {
	for len(t.direct) <= int(k.user) {
		t.direct = append(t.direct, sessSlot{})
	}
	return &t.direct[k.user]
}

func (t *sessionTable) put(k sessKey, l sessList) {
	if t.isDirect(k) {
		*t.slot(k) = sessSlot{head: l.head, dev: l.tail}
		return
	}
	if l.empty() {
		delete(t.lists, k)
		return
	}
	if t.lists == nil {
		t.lists = map[sessKey]sessList{}
	}
	t.lists[k] = l
}

func (t *sessionTable) oldest(k sessKey) (sess, bool) {
	if e := t.inPlace(k); e != nil {
		return sess{dev: e.dev, seq: e.seq, idx: e.idx}, true
	}
	l := t.get(k)
	if l.empty() {
		return sess{}, false
	}
	return t.all[l.head-1], true
}

func (t *sessionTable) open(k sessKey, s sess) {
	if !t.hasPlat {
		t.plat, t.hasPlat = k.platform, true
	}
	if t.isDirect(k) {
		switch e := t.slot(k); {
		case e.head == 0: // its first: in place
			*e = sessSlot{head: -1, dev: s.dev, seq: s.seq, idx: s.idx}
			return
		case e.head < 0: // its second: the first moves to all
			j := t.alloc(sess{dev: e.dev, seq: e.seq, idx: e.idx})
			*e = sessSlot{head: j, dev: j}
		}
	}
	i := t.alloc(sess{})
	l := t.get(k)
	was := l
	s.prev, s.next, s.nextSame = l.tail, 0, 0
	t.all[i-1] = s
	if l.tail > 0 {
		t.all[l.tail-1].next = i
	} else {
		l.head = i
	}
	l.tail = i
	if was.single() {
		t.addSame(k, l.head) // the older one first
	}
	if !was.empty() {
		t.addSame(k, i)
	}
	t.put(k, l)
}

// alloc stores s in a free entry of all and returns its index+1.
func (t *sessionTable) alloc(s sess) int32 {
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		t.all[i-1] = s
		return i
	}
	t.all = append(t.all, s)
	return int32(len(t.all))
}

// addSame appends session i of key k to its (device, seq) chain.
func (t *sessionTable) addSame(k sessKey, i int32) {
	if t.same == nil {
		t.same = map[fullKey][2]int32{}
	}
	s := &t.all[i-1]
	fk := fullKey{k, s.dev, s.seq}
	f := t.same[fk]
	if f[1] > 0 {
		t.all[f[1]-1].nextSame = i
	} else {
		f[0] = i
	}
	f[1] = i
	s.nextSame = 0
	t.same[fk] = f
}

// close closes the oldest open session of k with device dev and seq.
func (t *sessionTable) close(k sessKey, dev int32, seq uint32) {
	if e := t.inPlace(k); e != nil {
		if e.dev == dev && e.seq == seq {
			*e = sessSlot{}
		}
		return
	}
	l := t.get(k)
	var i int32
	switch {
	case l.empty():
		return
	case l.single():
		if s := &t.all[l.head-1]; s.dev != dev || s.seq != seq {
			return
		}
		i = l.head
	default:
		fk := fullKey{k, dev, seq}
		f, ok := t.same[fk]
		if !ok {
			return
		}
		i = f[0]
		if f[0] = t.all[i-1].nextSame; f[0] == 0 {
			delete(t.same, fk)
		} else {
			t.same[fk] = f
		}
	}
	s := &t.all[i-1]
	if s.prev > 0 {
		t.all[s.prev-1].next = s.next
	} else {
		l.head = s.next
	}
	if s.next > 0 {
		t.all[s.next-1].prev = s.prev
	} else {
		l.tail = s.prev
	}
	s.nextSame = 0
	t.free = append(t.free, i)
	if l.single() {
		// One left (of two or more): it leaves same, where it is alone
		// in its chain.
		r := &t.all[l.head-1]
		delete(t.same, fullKey{k, r.dev, r.seq})
		r.nextSame = 0
	}
	t.put(k, l)
}
