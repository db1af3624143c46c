package fsm

import (
	"slices"
	"time"
)

// Clone returns an independent copy of c, so that an explorer can step the
// copy and the original apart.
func (c *Client) Clone() *Client {
	d := &Client{}
	d.CopyFrom(c)
	return d
}

// CopyFrom makes c an independent copy of src, reusing c's buffers: an
// explorer that keeps one Client per search depth copies states without
// allocating once warm. The status machine (a Table) is shared: it is
// never modified.
func (c *Client) CopyFrom(src *Client) {
	ids, drv := c.ids, c.drv
	if drv == nil {
		drv = &Driver{}
	}
	*c = *src
	c.drv = drv // src's uniform source in c's own Driver (or c's shared one)
	c.drv.rnd = src.drv.rnd
	c.ids = ids // c's own list, never src's
	s := src.idList()
	if ids == nil && s == nil {
		return
	}
	if ids != nil && len(s) <= cap(*ids) {
		// In place, element by element: a client holds a listener or
		// two, for which calling memmove, as append does, costs more;
		// and storing the length alone, not the whole slice.
		d := (*ids)[:len(s)]
		for i := range s {
			d[i] = s[i]
		}
		*ids = (*ids)[:len(s)]
		return
	}
	c.setIDs(append(c.idList()[:0], s...))
}

// Snapshot is a read-only view of a Client's internal state, for state
// invariants and for exhaustive exploration (package explore), which
// hashes it into a canonical abstract state.
type Snapshot struct {
	Status        Status
	Inited        bool
	Pending       bool  // the current call awaits its terminal callback
	EverConnected bool  // the current call has had a success
	Call          int32 // the current call's id (0: none yet)
	InFlight      bool  // an attempt is in flight
	Waiting       bool  // waiting for the schedule's next attempt
	N             int32 // attempts of the current call
	Streak        int32 // counted transient failures since the last reset
	Seq           uint32
	SessionSeq    uint32
	NetUp         bool
	Foreground    bool
	AwaitingPong  bool
	Misses        int
	DBPending     []int32 // calls whose database is opening; do not modify
	Stored        bool    // the device has had a successful connect ...
	StoredToken   int32   // ... with this token (the database rule)
	DBAfter       bool    // the current call's database waits for its onSuccess
	Listeners     int
	// The attempt's anatomy (AttemptFull, anatomy.go). Step, Server,
	// Round and Tries describe the attempt in flight and mean nothing
	// otherwise: its step (an opaque value: compare, do not interpret),
	// the listed server its socket goes to, that socket's round (0 the
	// socket, 1..TLS the TLS flights) and the sockets it has opened.
	Step                 uint8
	Server, Round, Tries int32
	// NaviHeld: the client holds a navigation answer for the current
	// token, listing NaviN servers, fresh until NaviUntil (the answer is
	// used while the time is before it).
	NaviHeld   bool
	NaviN      int32
	NaviUntil  time.Duration
	Sticky     int32 // StickyServer: 1 + the listed server that accepted the last auth; 0 none
	EverCalled bool  // the device has had a Connect (Config.Returning)
	// BgStopped: the SDK stopped in the background (BgDisconnectAfter):
	// paused, it attempts nothing until the foreground.
	BgStopped bool
}

// Snapshot returns a view of c's state. Its DBPending aliases c's and is
// valid until c's next Step.
func (c *Client) Snapshot() Snapshot {
	return Snapshot{
		Status: c.status, Inited: c.has(markInited), Pending: c.pending, EverConnected: c.has(markEverConnected),
		Call: c.call, InFlight: c.inFlight, Waiting: c.waiting, N: c.n, Streak: c.streak,
		Seq: c.seq, SessionSeq: c.sessionSeq, NetUp: c.netUp, Foreground: c.has(markForeground),
		AwaitingPong: c.has(markAwaitingPong), Misses: int(c.misses), DBPending: slices.Clip(c.dbPending()),
		Stored: c.has(markStored), StoredToken: c.storedToken, DBAfter: c.has(markDBAfter),
		Listeners: int(c.nl),
		Step:      c.stepK, Server: c.server, Round: int32(c.round), Tries: c.tries,
		NaviHeld: c.marks&markNavi != 0 && c.naviTok == c.token, NaviN: c.naviN, NaviUntil: c.naviUntil,
		Sticky: c.sticky, EverCalled: c.marks&markCalled != 0, BgStopped: c.has(markBgStopped),
	}
}
