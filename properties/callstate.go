package properties

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// callState is what the monitor knows of one Connect call (or, for P1, of
// a call id that only callbacks name). Its fields are in order of size,
// as devState's; a record index (noRec: none) comes with the record's time
// and what a message says of it where a message needs them. A callback
// of the call is said by its name and code (the call is this one). What
// few calls need is in a callCold, made on first use.
//
// Acceptance. Invariant: rejected or decided or the device's awaiting
// names this call (or the trace ended first).
type callState struct {
	t     time.Duration
	limit time.Duration

	idx  rec // its connect call record; noRec: no such record (callbacks only)
	next rec // acceptance: the device's next record after the call record (when decided; its time: nextT)
	// P1, by call id: the first terminal callback. Kept, like the
	// silenced device (cSil), when a newer connect call record takes the
	// id.
	term rec
	db   rec // P4: its onDatabaseOpened

	nextB brief // acceptance: next, described

	id        int32
	dev       int32 // device slot of its call record
	prev, nxt int32 // the device's open list: slot+1 links
	tok       int32 // P4: its token
	termCode  fsm.Code
	cold      int32 // slot+1 of its callCold in Monitor.cold; 0: none (see the flags cNextLate, cRefused, cDisc, cConc, cSil, cCb)

	cbT time.Duration // P9 (cCb): the time of cb, the first callback of the call that is not its next record (see firstCb); the time of its onSuccess too with cSuccCb

	termName vocab.Word // P1: term's callback name (termCode its code)
	flags    uint32     // cDecided, cRejected, ...
}

// callCold is what the monitor knows of a call that few calls need; a
// flag of the call says which fields hold something.
type callCold struct {
	nextT time.Duration // cNextLate: the time of next, when not the call's own
	succT time.Duration // cSucc and not cSuccCb, P4: the time of its onSuccess (see succT)
	disc  rec           // cDisc, P12: the Disconnect/Logout that ended it while pending
	// cConc, P13: the call record of a call of its device pending when it
	// was made (its call id concID), or the status record of the device's
	// active status then (concSt; cBySt).
	conc   rec
	concID int32
	// cRefused: the non-zero return code its call record carries (the
	// wrapper API): refused at once, and no callback may follow (P19).
	retCode fsm.Code
	silDev  int32 // cSil, P3: slot+1 of a device silenced by this call's 34006
	// cCb and not cCbTerm, P9: the call's first callback that is not its
	// next record (cb), its device, name and code.
	cb     rec
	cbDev  int32
	cbCode fsm.Code
	cbName vocab.Word
	concSt fsm.Status
}

// Bits of callState.flags.
const (
	cDecided      uint32 = 1 << iota // acceptance: decided
	cRejected                        // acceptance: rejected
	cNextOwn                         // acceptance: next is a callback of this call
	cNextLate                        // acceptance: next came later than the call record (cold.nextT)
	cRefused                         // its call record carries a non-zero return code (cold.retCode)
	cCbReported                      // P9 (or P19): reported
	cEnded                           // a terminal callback came
	cDisconnected                    // a Disconnect/Logout of its device came (while open)
	cOpen                            // on the open list: accepted, neither ended nor disconnected
	cTerm1                           // P2: a terminal callback came
	cP2done                          // P2: nothing more to check (excused, judged, or rejected)
	cP4term                          // P4: a terminal callback came
	cP4done                          // P4: nothing more to check
	cAfter                           // P4: a new token (not the device's stored one): the database opens after onSuccess
	cSucc                            // P4: it had its onSuccess (at Monitor.succT)
	cDisc                            // P12: a Disconnect/Logout ended it while pending (cold.disc)
	cDiscOut                         // P12: ... a Logout
	cRepP12                          // P12: reported
	cConc                            // P13: made while another call of its device was pending or its status active (cold.conc)
	cBySt                            // P13: ... its status
	cRepP13                          // P13: reported
	cSil                             // P3: its 34006 silenced a device (cold.silDev, or with cSilOwn its own)
	cCb                              // P9: it had cb (see firstCb)
	cCbTerm                          // P9: ... which is term, of the call's device (else cold.cb)
	cSuccCb                          // P4: its onSuccess came at cbT (else at cold.succT)
	cSilOwn                          // P3 (cSil): the device silenced is the call's own (dev), not cold.silDev
)

// has reports whether flag f (a bit of callState.flags) is set.
func (c *callState) has(f uint32) bool { return c.flags&f != 0 }

// set sets or clears the flags f.
func (c *callState) set(f uint32, on bool) { setFlags(&c.flags, f, on) }

// coldOf returns the callCold of call c, making it.
func (m *Monitor) coldOf(c *callState) *callCold { return m.cold.side(&c.cold) }

// firstCb returns call c's first callback that is not its next record
// (cCb): its record, device, name and code. A storm's calls keep it
// only as a flag: it is their first terminal callback (cCbTerm).
func (m *Monitor) firstCb(c *callState) (cb rec, dev int32, name vocab.Word, code fsm.Code) {
	if c.has(cCbTerm) {
		return c.term, m.devs.at(c.dev).dev, c.termName, c.termCode
	}
	k := m.cold.at(c.cold - 1)
	return k.cb, k.cbDev, k.cbName, k.cbCode
}

// succT returns the time of call c's onSuccess (cSucc). A storm's calls
// keep it only as a flag: it is the time of their first callback (cbT).
func (m *Monitor) succT(c *callState) time.Duration {
	if c.has(cSuccCb) {
		return c.cbT
	}
	return m.cold.at(c.cold - 1).succT
}

// setSuccT sets the time of call c's onSuccess: a flag when it is cbT,
// which never changes once set.
func (m *Monitor) setSuccT(c *callState, t time.Duration) {
	if c.has(cCb) && c.cbT == t {
		c.set(cSuccCb, true)
		return
	}
	c.set(cSuccCb, false)
	m.coldOf(c).succT = t
}

// silDev returns the slot+1 of the device call c's 34006 silenced, 0 if
// none.
func (m *Monitor) silDev(c *callState) int32 {
	switch {
	case c.has(cSilOwn):
		return c.dev + 1
	case c.has(cSil):
		return m.cold.at(c.cold - 1).silDev
	}
	return 0
}

// setSilDev records that call c's 34006 silenced device slot+1 silDev
// (not 0): a flag when it is the call's own device (a trial's, a
// storm's), else in its callCold.
func (m *Monitor) setSilDev(c *callState, silDev int32) {
	if silDev == c.dev+1 {
		c.set(cSil|cSilOwn, true)
		return
	}
	c.set(cSilOwn, false)
	m.coldOf(c).silDev = silDev
	c.set(cSil, true)
}

// nextT returns the time of call c's next record (when decided).
func (m *Monitor) nextT(c *callState) time.Duration {
	if c.has(cNextLate) {
		return m.cold.at(c.cold - 1).nextT
	}
	return c.t
}

// retCode returns the return code of call c's call record: 0 for none.
func (m *Monitor) retCode(c *callState) fsm.Code {
	if c.has(cRefused) {
		return m.cold.at(c.cold - 1).retCode
	}
	return 0
}
