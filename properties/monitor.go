package properties

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/prefetch"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Monitor checks the trace properties (P1-P7, P9, P10, P12-P22) online: it is fed
// a trace one record at a time (Observe) and reports the violations when
// the trace ends (Finish). It keeps O(1) state per device, per Connect call
// and per open session, and does O(1) amortized work per record, so a
// trace of any length is checked in one pass without being kept:
//
//	m := properties.NewMonitor(cfg)
//	for each record r { m.Observe(&r) }
//	vs := m.Finish()
//
// Finish returns exactly what Check returns for the same records: the
// violations ordered by record index, then property number. Some
// violations are blamed on an earlier record than the one that revealed
// them (a call that never got its callback is blamed on its call record),
// and some can only be decided at the end (they depend on how far the trace
// reaches), so violations are only reported by Finish.
//
// Where the batch definition looks ahead, the monitor decides at the first
// record that settles it: a Connect call is accepted or rejected (33001,
// 34001) at its device's next record, which P9 requires to be the
// rejection. A call rejected later than that (itself a P9 violation) is
// treated as accepted until then. A call id used by a second connect call
// record stands for the newer call from then on (docs/properties.md asks for call
// ids unique per trace).
//
// A Monitor is not safe for concurrent use. Reset makes it ready for
// another trace and keeps its memory, so a worker checking many trials
// allocates nothing once warm.
type Monitor struct {
	cfg  Config
	mask uint32 // bit n: report property Pn
	n    int    // records observed: the index of the next record (at most MaxRecords)
	over bool   // a record past MaxRecords came: Err, and the verdict is void

	lastT     time.Duration // the last record's time
	endIdx    int           // the last end record, -1 if none
	endReason vocab.Word
	endT      time.Duration

	devIdx  idTable // device -> slot in devs (a device of Reserve has none: see dev)
	devs    paged[devState]
	callIdx idTable // call id -> slot in calls
	calls   paged[callState]
	cold    paged[callCold] // the calls' rarely used fields (callState.cold)
	dcold   paged[devCold]  // the devices' rarely used fields (devState.cold)
	rejects []rejection     // rejected calls, for P9

	listeners listenerSet  // P7: (dev, listener id) registered
	sessions  sessionTable // P10
	msg       msgMon       // P15, P16, P18
	dues      dueQueue     // P6: waiting devices by due time
	overdue   []overdue    // P6: scratch, the overdue reports of one record

	att   attemptCfg     // P20, P21: from cfg
	edges *fsm.EdgeTable // P7: cfg.Profile's published machine (nil: ask PublishedEdge)

	out []Violation
	pre *prefix // SetPrefix's records and the state they leave; nil: none
}

// devState is what the monitor knows of one device. Its fields are in
// order of size (8-byte words, then sub-states, then 4-byte words, then
// bytes), and its sub-states hold no flag (their flags are bits of
// flags), which leaves no padding: a storm keeps a million of them. What
// few devices need (P5's stop, P3's silence, P6's reset, P7's listeners)
// is in a devCold, made on first use.
type devState struct {
	statusT time.Duration // P14: the time of its last status record
	talkT   time.Duration // P17: the device's last record that can send
	attT    time.Duration // P20: when the bound of its attempt in flight runs from (anatomy.go)
	// P21: its cached navigation answer (for naviTok) is fresh before
	// this time; 0: none.
	naviUntil time.Duration
	bo        backoff

	statusI  rec   // P14: the last status record
	streak   int32 // P6: counted transient failures since the last reset (see backoff)
	dev      int32
	awaiting int32  // slot+1 of the connect call whose acceptance waits on this device's next record; 0 none
	openHead int32  // slot+1 of the first call of the device's open list; 0 none
	sessSeq  uint32 // P17: the open session's seq
	storedTk int32  // P4: see stored
	tok      int32  // P21: the token its attempts use: its last accepted Connect's
	naviTok  int32  // P21: the token of its cached navigation answer
	cold     int32  // slot+1 of its devCold in Monitor.dcold; 0: none (see the flags dStopped, dSilent, dReset)

	flags  uint32     // dOffline, dNoPush, ..., and the sub-states' flags
	status fsm.Status // P7: the last status (UNCONNECTED at first)
	step   uint8      // P20, P21: the step of its attempt in flight (stepNone: none)
	socks  uint8      // P21: the sockets of its attempt in flight so far
}

// Bits of devState.flags.
const (
	dOffline  uint32 = 1 << iota // env net_off with no net_on since
	dNoPush                      // P16: its last session closed with push disallowed, none opened since
	dSessOpen                    // P17: a session of the device is open in the server's view
	dIdleDone                    // P17: ... reported
	dStored                      // P4: the device had an onSuccess (or Config.Returning) of a call with token storedTk
	dCalled                      // P4: a connect call record of the device came
	dIPCDown                     // P22: env ipc_disconnect, no ipc_back since

	dSilent      // P3: silenced by a 34006 (sil)
	dSilReported // P3: ... reported

	dStopped      // P5: stopped (stop)
	dStopReported // P5: an attempt start since the stop reported
	dConnReported // P5: a CONNECTED since the stop reported

	dWaiting // P6: a counted failure awaits its scheduled attempt (bo)
	dNetOff  // P6: the network is off: env net_off, no net_on since
	dReset   // P6: a reset has happened (bo.resetT is meaningful)
	// P6, the IPC process (Android). dFrozen: env os_suspend, no
	// foreground since. dNoLib: env native_lib_missing (a -2 owes nothing;
	// P5's stop is for good; set by Monitor.env). dIPCOwed: a Connect got
	// onError(-2) while the IPC link was down, so the SDK owes an attempt
	// at once when the link is back (env ipc_back).
	dFrozen
	dNoLib
	dIPCOwed
)

// has reports whether flag f (a bit of devState.flags) is set.
func (d *devState) has(f uint32) bool { return d.flags&f != 0 }

// set sets or clears flag f.
func (d *devState) set(f uint32, on bool) { setFlags(&d.flags, f, on) }

// setFlags sets (on) or clears the bits f of *flags.
func setFlags(flags *uint32, f uint32, on bool) {
	if on {
		*flags |= f
	} else {
		*flags &^= f
	}
}

// rejection is a rejected Connect call, for P9.
type rejection struct {
	idx rec // its call record (the calls' order)
	id  int32
}

// NewMonitor returns a monitor of every trace property of the catalogue
// (P1-P7, P9, P10, P12-P22) with parameters cfg.
func NewMonitor(cfg Config) *Monitor { return newMonitor(cfg, allTrace) }

// allTrace is the mask of every property with a trace checker.
const allTrace = 1<<1 | 1<<2 | 1<<3 | 1<<4 | 1<<5 | 1<<6 | 1<<7 | 1<<9 | 1<<10 | 1<<12 | 1<<13 | 1<<14 | 1<<15 | 1<<16 | 1<<17 | 1<<18 | 1<<19 | 1<<20 | 1<<21 | 1<<22

// NewMonitorOf returns a monitor with parameters cfg that reports only the
// trace properties ids, each one of NewMonitor's (P1-P7, P9, P10,
// P12-P22); it panics on any other id. Its verdict is what running each
// property's Catalogue checker over the trace would find, merged in
// NewMonitor's order. Package explore checks its paths with one.
func NewMonitorOf(cfg Config, ids ...string) *Monitor {
	var mask uint32
	for _, id := range ids {
		n := number(id)
		if n == 0 || allTrace&(1<<n) == 0 {
			panic("properties: NewMonitorOf: " + id + " is not a trace property")
		}
		mask |= 1 << n
	}
	return newMonitor(cfg, mask)
}

func newMonitor(cfg Config, mask uint32) *Monitor {
	m := &Monitor{mask: mask}
	m.setConfig(&cfg)
	m.Reset()
	return m
}

// setConfig makes *cfg m's parameters, with what m computes from them
// once (att, edges), not per trace.
func (m *Monitor) setConfig(cfg *Config) {
	own := m.cfg.Policy
	m.cfg = *cfg
	if !samePolicy(own, cfg.Policy) { // see policycopy.go
		own = ownPolicy(cfg.Policy)
	}
	m.cfg.Policy = own
	m.setAttemptCfg()
	m.edges = cfg.Profile.EdgeTable()
	m.dropPrefixState()
}

// Reset makes m ready for a new trace with the same parameters, keeping
// its memory.
func (m *Monitor) Reset() {
	m.n, m.over, m.lastT, m.endIdx, m.endReason, m.endT = 0, false, 0, -1, vocab.None, 0
	m.devIdx.reset()
	m.devs.reset()
	m.callIdx.reset()
	m.calls.reset()
	m.cold.reset()
	m.dcold.reset()
	m.rejects = m.rejects[:0]
	m.listeners.reset()
	m.sessions.reset()
	m.msg.reset()
	m.dues.reset()
	m.out = m.out[:0]
}

// Reserve prepares m for a trace of the given numbers of devices (ids 0
// to devices-1, each its own user) and Connect calls (ids 0 to calls) up
// front: the call index and the session lists get their room at once, so
// that a monitor of a million devices does not grow them by doubling
// (which would leave up to half of each unused, and both copies alive
// while it copies).
//
// Devices 0 to devices-1 get their slots up front, slot d for device d,
// so that finding a device's state costs no lookup in devIdx; the
// reserved call ids and users are indexed by slices, not maps, however
// many. (Only a driver that knows its sizes reserves: ids a trace brings
// beyond them go to maps, so a hostile trace's ids cost no large slice.)
func (m *Monitor) Reserve(devices, calls int) {
	if m.devs.len() == 0 {
		for d := range int32(min(devices, math.MaxInt32)) {
			m.newDev(d)
		}
	}
	m.callIdx.reserve(calls + 1)
	m.sessions.reserve(devices)
	m.msg.lastOpen.reserve(devices)
}

func (m *Monitor) on(p uint) bool { return m.mask&(1<<p) != 0 }

// report records a violation of property p blamed on record idx (its time
// t and device dev).
func (m *Monitor) report(p uint, id string, idx int, t time.Duration, dev int32, msg string) {
	if m.on(p) {
		m.out = append(m.out, Violation{Property: id, Index: idx, Msg: msg, T: t, Dev: dev})
	}
}

// at returns the index of the record being observed.
func (m *Monitor) at() rec { return rec(m.n - 1) }

// reportAt reports a violation blamed on the record being observed.
func (m *Monitor) reportAt(p uint, id string, r *trace.Record, msg string) {
	m.report(p, id, m.n-1, r.T, r.Dev, msg)
}

// dev returns the state of device d, creating it (devSlow). A device has
// one slot, so a slot d that holds device d is its: such a device (every
// device of a Reserve, and of a trace whose devices come in the order of
// their ids) needs no entry in devIdx.
func (m *Monitor) dev(d int32) (int32, *devState) {
	if uint32(d) < uint32(m.devs.len()) {
		if ds := m.devs.at(d); ds.dev == d {
			return d, ds
		}
	}
	return m.devSlow(d)
}

// devSlow is dev for a device whose slot is not its id, or a new one.
func (m *Monitor) devSlow(d int32) (int32, *devState) {
	if s := m.devIdx.get(d); s > 0 {
		return s - 1, m.devs.at(s - 1)
	}
	s := m.devs.len()
	ds := m.newDev(d)
	if s != d {
		m.devIdx.set(d, s+1)
	}
	return s, ds
}

// newDev appends the state of a new device d and returns it. It is filled
// in place, field by field: building a state on the stack and copying it
// costs more than its size says (the copy's wide loads wait for the
// narrow stores that built it), and each trial makes one.
func (m *Monitor) newDev(d int32) *devState {
	ds := m.devs.add()
	ds.dev, ds.status, ds.statusI = d, fsm.Unconnected, noRec
	return ds
}

// Prefetch hints that records of device dev come soon: a driver of many
// devices that knows its next events calls it a few events ahead, so that
// the device's state is in the caches by then (see internal/prefetch). It
// changes nothing. (Prefetching the state of the device's Connect call
// too, through the call index, costs more than it saves: measured.)
func (m *Monitor) Prefetch(dev int32) {
	if uint32(dev) < uint32(m.devs.len()) {
		prefetch.Range(unsafe.Pointer(m.devs.at(dev)), unsafe.Sizeof(devState{}))
	}
}

// devOf returns the state in slot ds, nil for -1.
func (m *Monitor) devOf(ds int32) *devState {
	if ds < 0 {
		return nil
	}
	return m.devs.at(ds)
}

// call returns the slot+1 of the call with id, 0 if none.
func (m *Monitor) call(id int32) int32 { return m.callIdx.get(id) }

// Observe feeds the next record of the trace.
//
// It looks at the record once. A record of no device (the end, the
// server's) costs P6's due check and, for the kinds read whatever their
// device (callbacks, sessions, messages), those checks. A record of a
// device first settles what waits on the device's next record (a
// Connect's acceptance, an attempt past its bound: P20) and on its time
// (P6's dues, P17's deadline), then one switch on its kind calls the
// checks of that kind, in the order the properties' state needs (P7
// before P3 and P5, P3 and P5 before P6), and no other.
func (m *Monitor) Observe(r *trace.Record) { m.observe(unsafe.Slice(r, 1)) }

// observe observes recs in order: Observe's work in a loop, so that a
// whole trace (CheckTrace) costs no call per record.
func (m *Monitor) observe(recs []trace.Record) {
	if room := MaxRecords - uint64(m.n); uint64(len(recs)) > room {
		m.observe(recs[:room])
		m.over = true // the records past MaxRecords are refused: see Err
		return
	}
	for i := range recs {
		r := &recs[i]
		m.n++
		m.lastT = r.T
		if r.Dev < 0 {
			m.observeNoDev(r)
			continue
		}
		if r.Kind.Detail() {
			continue
		}
		ds, d := r.Dev, (*devState)(nil)
		if uint32(ds) < uint32(m.devs.len()) {
			d = m.devs.at(ds) // dev's first look, inline
			if d.dev != ds {
				ds, d = m.devSlow(r.Dev)
			}
		} else {
			ds, d = m.devSlow(r.Dev)
		}
		if d.awaiting != 0 {
			m.decide(ds, r)
			d = m.devs.at(ds)
		}
		if d.inFlight() && m.late(d, r) { // an attempt in flight past its bound (P20)
			m.attemptLate(d, r)
		}
		if m.dues.len() > 0 && m.dues.min().due+m.cfg.Tolerance < r.T {
			m.checkDue(r, ds)
		}
		// P17's deadline, before the record changes d's status or its
		// P17 state (what the kind's checks below that touch neither
		// do may come first or after: they report other properties).
		if at, ok := m.idleDeadline(d); ok && r.T > at {
			m.idleOverdue(d, r, at)
		}
		switch r.Kind {
		case trace.KCall:
			d.talkT = r.T
			m.call1(ds, d, r)
		case trace.KCallback:
			cs, cl := m.callback(r)
			m.callbackDev(ds, d, r, cs, cl)
		case trace.KStatus:
			d.talkT = r.T
			m.status(d, r)
			m.statusDev(d, r)
		case trace.KAttempt:
			d.talkT = r.T
			m.attemptDev(ds, d, r)
		case trace.KLost:
			d.talkT = r.T
			m.scheduleLost(ds, d, r)
		case trace.KEnv:
			m.env(ds, d, r)
		case trace.KSession:
			m.session(r)
			m.idleSession(d, r)
			m.msgSession(d, r)
		case trace.KHeartbeat:
			d.talkT = r.T
		case trace.KMessage:
			m.message(r)
		case trace.KEnd:
			m.end(r)
		}
	}
}

// observeNoDev is Observe for record r of no device (Dev < 0).
func (m *Monitor) observeNoDev(r *trace.Record) {
	if r.Kind.Detail() {
		return
	}
	if m.dues.len() > 0 && m.dues.min().due+m.cfg.Tolerance < r.T {
		m.checkDue(r, -1)
	}
	switch r.Kind {
	case trace.KEnd:
		m.end(r)
	case trace.KCallback:
		m.callback(r)
	case trace.KSession:
		m.session(r)
	case trace.KMessage:
		m.message(r)
	}
}

// end notes end record r: how far the trace reaches (reach).
func (m *Monitor) end(r *trace.Record) {
	m.endIdx, m.endReason, m.endT = m.n-1, r.Reason, r.T
}

// Err returns ErrTooLong once the trace has gone past MaxRecords records:
// the records from there on were not observed, so the verdict is void
// (Finish panics). Else nil.
func (m *Monitor) Err() error {
	if m.over {
		return ErrTooLong
	}
	return nil
}

// call1 handles call record r of device ds (d): the op's checks, and a
// Disconnect/Logout's stop (P5, P6).
func (m *Monitor) call1(ds int32, d *devState, r *trace.Record) {
	switch r.Op {
	case vocab.OpConnect:
		m.connect(ds, r)
	case vocab.OpDisconnect, vocab.OpLogout:
		m.disconnect(ds, r)
		m.stop(d, r)
	case vocab.OpAddListener, vocab.OpRemoveListener:
		m.listener(ds, r)
	case vocab.OpStatus:
		m.query(d, r)
	}
}

// callbackDev handles callback r of call cs (slot+1) at its device ds
// (d), an onError's code of class cl (callback's): a 34006 silences the
// device (P3), a terminal error stops it (P5, P6), a -2 owes an attempt
// at the IPC link's return (P6).
func (m *Monitor) callbackDev(ds int32, d *devState, r *trace.Record, cs int32, cl fsm.Class) {
	if r.Name != vocab.CbError {
		return
	}
	if r.Code == fsm.ConnectTimeout {
		m.silenceStart(ds, d, r, cs)
	}
	if cl == fsm.ClassTerminal {
		m.stop(d, r)
	}
	if r.Code == fsm.IPCDisconnect && !d.has(dNoLib) {
		d.set(dIPCOwed, true) // P6: the SDK owes a connection when the IPC link is back
	}
	if retried(r.Code, cl) {
		m.retriedError(d, r)
	}
}

// statusDev checks status record r of device d for P3 and P5 and applies
// it to d's schedule (P6). P7 (status) has run.
func (m *Monitor) statusDev(d *devState, r *trace.Record) {
	if r.Status == fsm.Connecting || r.Status == fsm.Connected {
		m.silenceBroken(d, r)
	}
	switch {
	case stopsAt(r.Status):
		m.stop(d, r)
	case r.Status == fsm.Connected:
		m.stopConnected(d, r)
	}
	if m.cfg.Policy != nil && r.From == fsm.Connecting && r.Status == fsm.Suspend && m.cfg.Profile.Or().HasEdge(fsm.EvBackground) {
		d.set(dWaiting, false) // ios: the SDK disconnected in the background
	}
}

// attemptDev checks attempt record r of device ds (d), by its phase: a
// start breaks a silence (P3) or a stop (P5); the attempt's anatomy (P20,
// P21) and its schedule (P6) at every phase. (The anatomy's state and the
// schedule's are apart: either may go first.)
func (m *Monitor) attemptDev(ds int32, d *devState, r *trace.Record) {
	switch r.Phase {
	case vocab.PhaseStart:
		m.silenceBroken(d, r)
		m.stopStart(d, r)
		m.anatomyStart(d, r)
		m.scheduleStart(d, r)
	case vocab.PhaseStep:
		if m.full() && d.step != stepLate {
			m.step(d, r)
		}
	case vocab.PhaseOK:
		m.anatomyOK(d, r)
		m.scheduleOK(d)
	case vocab.PhaseFail:
		d.step = stepNone
		m.scheduleFail(ds, d, r)
	}
}

// env applies env record r to device d: its network (P9's pending calls)
// and its schedule (P6).
func (m *Monitor) env(ds int32, d *devState, r *trace.Record) {
	switch r.Op {
	case vocab.EnvNetOff:
		d.set(dOffline, true)
	case vocab.EnvNetOn:
		d.set(dOffline, false)
	case vocab.EnvNoNativeLib:
		m.stop(d, r) // for good (P5): the SDK cannot connect
		d.set(dNoLib, true)
	case vocab.EnvIPCDisconnect, vocab.EnvIPCBack:
		d.set(dIPCDown, r.Op == vocab.EnvIPCDisconnect)
	case vocab.EnvOSSuspend:
		d.step = stepNone // the OS froze the process: its attempt is dropped with no record (P20)
	}
	m.scheduleEnv(ds, d, r)
}

// connect starts a Connect call: its acceptance waits on the device's next
// record.
func (m *Monitor) connect(ds int32, r *trace.Record) {
	cs := m.call(r.Call)
	term, termName, termCode, silDev, cold := noRec, vocab.None, fsm.Code(0), int32(0), int32(0)
	var c *callState // filled in place: see newDev
	if cs > 0 {
		c = m.calls.at(cs - 1)
		term, termName, termCode, silDev, cold = c.term, c.termName, c.termCode, m.silDev(c), c.cold
		m.unlink(cs)
		if c.idx.ok() && !c.has(cDecided) && !c.has(cRejected) {
			if od := m.devs.at(c.dev); od.awaiting == cs {
				od.awaiting = 0
			}
		}
		*c = callState{}
	} else {
		c = m.calls.add()
		cs = m.calls.len()
		m.callIdx.set(r.Call, cs)
	}
	d := m.devs.at(ds)
	if m.cfg.Returning && !d.has(dCalled) {
		d.set(dStored, true)
		d.storedTk = r.Token
		m.anatomyConnect(d, r)
	}
	d.set(dCalled, true)
	c.id, c.dev, c.idx, c.t, c.limit = r.Call, ds, m.at(), r.T, r.TimeLimit
	c.term, c.termName, c.termCode, c.db = term, termName, termCode, noRec
	if cold != 0 { // the older call's callCold, cleared
		*m.cold.at(cold - 1), c.cold = callCold{}, cold
	}
	if silDev != 0 {
		m.setSilDev(c, silDev)
	}
	c.set(cP2done, r.TimeLimit <= 0)
	c.tok = r.Token
	c.set(cAfter, !(d.has(dStored) && d.storedTk == r.Token))
	if d.openHead > 0 {
		h := m.calls.at(d.openHead - 1)
		k := m.coldOf(c)
		k.conc, k.concID = h.idx, h.id
		c.set(cConc, true)
	} else if d.status.Active() {
		k := m.coldOf(c)
		k.conc, k.concSt = d.statusI, d.status
		c.set(cConc|cBySt, true)
	}
	if r.Code != 0 {
		// The wrapper API returned the refusal at once: decided now,
		// and no callback is due (P19 checks that none comes).
		c.set(cDecided|cRefused, true)
		m.coldOf(c).retCode = r.Code
		c.next = m.at()
		m.reject(cs)
		return
	}
	m.devs.at(ds).awaiting = cs
}

// decide settles the acceptance of the call whose device's next record is
// r: rejected when r is that call's misuse onError, accepted otherwise.
func (m *Monitor) decide(ds int32, r *trace.Record) {
	d := m.devs.at(ds)
	cs := d.awaiting
	d.awaiting = 0
	c := m.calls.at(cs - 1)
	c.set(cDecided, true)
	c.next = m.at()
	m.setBrief(&c.nextB, r)
	if r.T != c.t {
		m.coldOf(c).nextT = r.T
		c.set(cNextLate, true)
	}
	c.set(cNextOwn, r.Kind == trace.KCallback && r.Call == c.id)
	if !c.has(cRejected) && c.has(cNextOwn) && misuse(r) {
		m.reject(cs)
		return
	}
	if c.has(cRejected) {
		m.checkRejected(c)
		return
	}
	m.accept(cs)
}

// misuse reports whether r is an onError with a misuse code (33001, 34001).
func misuse(r *trace.Record) bool {
	return r.Kind == trace.KCallback && r.Name == vocab.CbError && r.Code.Class() == fsm.ClassMisuse
}

// accept applies the acceptance of call cs to its device: P3's silence,
// P5's stop and P6's streak end; the call joins the device's open list.
func (m *Monitor) accept(cs int32) {
	c := m.calls.at(cs - 1)
	d := m.devs.at(c.dev)
	m.endSilence(d)
	if !d.has(dNoLib) { // without its native library the device stays stopped (P5)
		d.flags &^= dStopped | dStopReported | dConnReported
	}
	d.streak = 0
	d.set(dWaiting, false)
	if d.openHead == 0 {
		// P21: its attempts use its token (a call accepted while another
		// is pending, under the quirk multi-connect-clears, leaves the
		// connection in progress on the other's).
		d.tok = c.tok
	}
	if !c.has(cEnded) {
		c.set(cOpen, true)
		c.prev, c.nxt = 0, d.openHead
		if d.openHead > 0 {
			m.calls.at(d.openHead - 1).prev = cs
		}
		d.openHead = cs
	}
}

// unlink takes call cs off its device's open list, if it is on it.
func (m *Monitor) unlink(cs int32) {
	c := m.calls.at(cs - 1)
	if !c.has(cOpen) {
		return
	}
	c.set(cOpen, false)
	if c.prev > 0 {
		m.calls.at(c.prev - 1).nxt = c.nxt
	} else {
		m.devs.at(c.dev).openHead = c.nxt
	}
	if c.nxt > 0 {
		m.calls.at(c.nxt - 1).prev = c.prev
	}
	c.prev, c.nxt = 0, 0
}

// disconnect handles a Disconnect/Logout call of device ds: every open call
// of the device is no longer pending (P9), and is excused from P2 when its
// time limit has not run out yet.
func (m *Monitor) disconnect(ds int32, r *trace.Record) {
	for cs := m.devs.at(ds).openHead; cs > 0; {
		c := m.calls.at(cs - 1)
		next := c.nxt
		if !c.has(cTerm1) && r.T <= c.t+c.limit+m.cfg.Tolerance {
			c.set(cP2done, true)
		}
		c.set(cDisconnected|cDisc, true)
		m.coldOf(c).disc = m.at()
		c.set(cDiscOut, r.Op == vocab.OpLogout)
		m.unlink(cs)
		cs = next
	}
}

// callback handles a callback record: P1, P2, P3's silence, P4, P9,
// P12, P13. It returns the slot+1 of the record's call (made if new)
// and, for an onError, its code's class (fsm.Code.Class, which costs a
// division: asked once per record).
func (m *Monitor) callback(r *trace.Record) (int32, fsm.Class) {
	i := m.at()
	cs := m.call(r.Call)
	if cs == 0 {
		c := m.calls.add() // filled in place: see newDev
		c.id, c.idx, c.dev, c.term, c.db, c.flags = r.Call, noRec, -1, noRec, noRec, cP2done|cP4done
		cs = m.calls.len()
		m.callIdx.set(r.Call, cs)
	}
	c := m.calls.at(cs - 1)
	terminal := isTerminal(r)
	var cl fsm.Class
	if r.Name == vocab.CbError {
		cl = r.Code.Class()
	}
	if terminal {
		m.terminalOnce(c, r)
	}
	if c.has(cSil) {
		m.silenceBreach(c, r)
	}
	if !c.idx.ok() {
		return cs, cl
	}
	if !(c.has(cDecided) && c.next == i) && !c.has(cCb) {
		c.cbT = r.T
		c.set(cCb, true)
		if terminal && c.term == i && r.Dev == m.devs.at(c.dev).dev {
			c.set(cCbTerm, true) // kept as term
		} else {
			k := m.coldOf(c)
			k.cb, k.cbDev, k.cbName, k.cbCode = i, r.Dev, r.Name, r.Code
		}
	}
	if r.Name == vocab.CbError && cl == fsm.ClassMisuse && !c.has(cRejected) { // misuse(r)
		m.reject(cs)
		c = m.calls.at(cs - 1)
	}
	if c.has(cRefused) && !c.has(cCbReported) {
		c.set(cCbReported, true)
		m.reportAt(19, "P19", r, fmt.Sprintf("%s: call %d's connect returned %d at once, and a non-zero return means no callback",
			m.text(m.brief(r)), c.id, m.retCode(c)))
	}
	if c.has(cRejected) && !c.has(cRefused) && c.has(cCb) && !c.has(cCbReported) {
		c.set(cCbReported, true)
		cb, dev, name, code := m.firstCb(c)
		m.report(9, "P9", int(cb), c.cbT, dev, m.cbText(name, code, c.id)+": a rejected call gets exactly one callback, at once")
	}
	if terminal {
		c.set(cEnded, true)
		m.unlink(cs)
	}
	if terminal && !c.has(cP2done|cRejected) {
		m.limitCallback(c, r)
	}
	m.database(c, r, terminal)
	if terminal && c.flags&(cDisc|cRepP12) == cDisc {
		m.afterDisconnect(c, r)
	}
	if c.flags&(cConc|cRepP13) == cConc {
		m.concurrent(c, r)
	}
	return cs, cl
}

// Finish ends the trace and returns its violations ordered by record
// index, then property number; nil when the trace keeps every property.
// The returned slice is m's: it is valid until the next Reset.
func (m *Monitor) Finish() []Violation {
	if m.over {
		panic("properties: Finish: " + ErrTooLong.Error())
	}
	m.endChecks()
	if len(m.out) == 0 {
		return nil
	}
	sortViolations(m.out)
	return m.out
}

// endChecks appends to m.out the violations only the end of the trace
// decides. It changes nothing else but the order of m.rejects.
func (m *Monitor) endChecks() {
	reach := m.reach()
	if len(m.rejects) > 1 {
		slices.SortStableFunc(m.rejects, func(a, b rejection) int { return cmp.Compare(a.idx, b.idx) })
	}
	for k := range m.calls.len() {
		c := m.calls.at(k)
		if !c.idx.ok() || c.has(cRejected) || c.settled() {
			continue
		}
		m.limitMissing(c, reach)
		m.databaseMissing(c, reach)
		m.pendingMissing(c)
		m.forgotten(c, reach)
	}
	m.endDevices(reach)
	if len(m.msg.users) > 0 {
		m.msgEnd(reach)
	}
}

// settled reports whether call c owes nothing at the end of the trace:
// it fails the first test of each of limitMissing, databaseMissing,
// pendingMissing and forgotten (P2 done or a terminal callback; no
// database owed; ended or disconnected).
func (c *callState) settled() bool {
	return c.flags&(cP2done|cTerm1) != 0 && c.flags&(cEnded|cDisconnected) != 0 && !c.dbOwed()
}

// endDevices checks P17 (idleMissing) and P20 (attemptEnd) at the end of
// the trace, which reaches reach, device by device: each property's
// reports come in device order, as Finish's order wants.
func (m *Monitor) endDevices(reach time.Duration) {
	idx, t := m.endIdx, m.endT
	if idx < 0 {
		idx, t = m.n-1, m.lastT
	}
	p20 := m.cfg.AttemptTimeout > 0 && m.on(20)
	for k := range m.devs.len() {
		d := m.devs.at(k)
		if at, ok := m.idleDeadline(d); ok {
			m.idleMissing(d, at, reach, idx, t)
		}
		if p20 && d.inFlight() {
			m.attemptEnd(d, reach, idx, t)
		}
	}
}

// sortViolations orders vs by record index, then property number, keeping
// the order of equal ones.
func sortViolations(vs []Violation) {
	if len(vs) > 1 {
		slices.SortStableFunc(vs, func(a, b Violation) int {
			if a.Index != b.Index {
				return a.Index - b.Index
			}
			return number(a.Property) - number(b.Property)
		})
	}
}

// vocab.EndIdle is the end reason of a trial that stopped because nothing was
// left to happen: no timer, message or scripted event.

// forever is how far a trace that ended idle reaches.
const forever = time.Duration(1<<63 - 1)

// reach returns how far in time the trace reaches: the time of its last
// end record; forever if that record says idle (nothing was left to
// happen, so a callback missing at the end never comes: the documented
// hazard of a Connect before Init with no callback at all ends this way);
// or, for a trace with no end record, its last record's time.
func (m *Monitor) reach() time.Duration {
	switch {
	case m.endIdx < 0:
		return m.lastT
	case m.endReason == vocab.EndIdle:
		return forever
	}
	return m.endT
}

// reachText says how far the trace reaches, for a message.
func (m *Monitor) reachText() string {
	if m.reach() == forever {
		return "the trace ended idle at t=" + seconds(m.lastT) + ": nothing more could happen"
	}
	return "the trace goes on to t=" + seconds(m.reach())
}

// idTable maps an id (a device or a call id) to a slot+1 (0: none): a
// slice for the ids below its bound, a map for the others. The bound is
// maxDirect, or more for the ids a driver reserves (reserve): so a
// trace's own ids never make the slice longer than maxDirect.
type idTable struct {
	direct []int32
	big    map[int32]int32
	lim    int32 // ids below max(lim, maxDirect) are direct (reserve; 0 after reset)
}

// maxDirect bounds the ids idTable keeps in its slice (4 MB at most)
// unless they are reserved.
const maxDirect = 1 << 20

// isDirect reports whether id's entry is in the slice.
func (t *idTable) isDirect(id int32) bool { return direct(id, t.lim) }

// direct reports whether a table that reserved ids below lim keeps id in
// its slice: ids below maxDirect or lim.
func direct(id, lim int32) bool { return id >= 0 && (id < maxDirect || id < lim) }

func (t *idTable) get(id int32) int32 {
	if id >= 0 && int(id) < len(t.direct) {
		return t.direct[id]
	}
	if t.isDirect(id) {
		return 0
	}
	return t.big[id]
}

func (t *idTable) set(id, v int32) {
	if t.isDirect(id) {
		for len(t.direct) <= int(id) {
			t.direct = append(t.direct, 0)
		}
		t.direct[id] = v
		return
	}
	if t.big == nil {
		t.big = map[int32]int32{}
	}
	t.big[id] = v
}

// reserve makes ids 0 to n-1 direct, with room for them in the slice.
func (t *idTable) reserve(n int) {
	n = min(n, math.MaxInt32)
	t.lim = max(t.lim, int32(n))
	t.direct = slices.Grow(t.direct, max(n-len(t.direct), 0))
}

func (t *idTable) reset() {
	if n := len(t.direct); n > 0 {
		if n <= 8 { // a trial's few ids: clear calls the runtime, even for one entry
			for i := 0; i < n; i++ {
				t.direct[i] = 0
			}
		} else {
			clear(t.direct)
		}
		t.direct = t.direct[:0]
	}
	if len(t.big) > 0 { // clear calls the runtime even for an empty map
		clear(t.big)
	}
	t.lim = 0
}
