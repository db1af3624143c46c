package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P4 (the database rule; docs/model.md, "The local database"). A device's
// stored token is the token of its last onSuccess (none at first); it
// survives Disconnect and Logout. Each accepted Connect call gets exactly
// one onDatabaseOpened, as its token decides:
//
//   - the stored token (a returning user): before its terminal callback
//     and (when cfg.DBOpen >= 0) no later than DBOpen after its Connect;
//   - a first connect or another token: none before its onSuccess, one
//     after it, no later than DBOpen after it; none at all when the call
//     gets onError or no terminal callback (a Disconnect ended it).
//
// A call whose trace reaches past its deadline without the callback (a
// trace that ended idle reaches forever) is a violation, blamed on its call
// record. A rejected call (33001, 34001) gets none. The callback's code
// (DATABASE_OPEN_SUCCESS or DATABASE_OPEN_ERROR) does not matter here.

// database checks P4 at callback r of call c.
func (m *Monitor) database(c *callState, r *trace.Record, terminal bool) {
	if terminal && r.Name == vocab.CbSuccess && c.idx.ok() && !c.has(cRejected) {
		d := m.devs.at(c.dev)
		d.set(dStored, true)
		d.storedTk = c.tok
	}
	if c.has(cP4done) || !m.cfg.Profile.Or().DBCallback { // web: Connect opens no database
		return
	}
	db := r.Name == vocab.CbDatabaseOpened
	switch {
	case db && c.has(cRejected):
		m.reportAt(4, "P4", r, fmt.Sprintf("onDatabaseOpened of call %d, which was rejected", c.id))
		c.set(cP4done, true)
	case db && c.db.ok():
		m.reportAt(4, "P4", r, fmt.Sprintf("second onDatabaseOpened of call %d; the first was record %d", c.id, c.db))
	case db && c.has(cAfter) && !c.has(cSucc):
		what := "before its onSuccess"
		if c.has(cP4term) {
			what = "after its onError"
		}
		m.reportAt(4, "P4", r, fmt.Sprintf("onDatabaseOpened of call %d %s; its token is not the device's stored one, so its database opens only after a success",
			c.id, what))
		c.set(cP4done, true)
	case db:
		c.db = m.at()
		from, since := c.t, "its Connect"
		if c.has(cAfter) {
			from, since = m.succT(c), "its onSuccess"
		}
		if m.cfg.DBOpen >= 0 && r.T > from+m.cfg.DBOpen+m.cfg.Tolerance {
			m.reportAt(4, "P4", r, fmt.Sprintf("onDatabaseOpened of call %d at t=%s, later than db-open (%s) after %s",
				c.id, seconds(r.T), seconds(m.cfg.DBOpen), since))
		}
	case terminal && !c.has(cP4term) && !c.has(cRejected):
		c.set(cP4term, true)
		switch {
		case c.has(cAfter):
			c.set(cSucc, r.Name == vocab.CbSuccess)
			if c.has(cSucc) {
				m.setSuccT(c, r.T)
			}
		case !c.db.ok():
			m.reportAt(4, "P4", r, fmt.Sprintf("%s before onDatabaseOpened of call %d (its token is the device's stored one)", describe(r), c.id))
		}
	}
}

// dbOwed reports whether accepted call c may still owe its
// onDatabaseOpened at the end of the trace (databaseMissing): none came
// and P4 is not done with it, and it had its onSuccess (a new token: no
// success, no database) or no terminal callback yet (the stored token:
// its terminal callback judged it).
func (c *callState) dbOwed() bool {
	switch {
	case c.db.ok() || c.has(cP4done):
		return false
	case c.has(cAfter):
		return c.has(cSucc)
	}
	return !c.has(cP4term)
}

// databaseMissing checks, at the end of the trace (which reaches reach),
// that accepted call c got its onDatabaseOpened in time: DBOpen after its
// Connect for the stored token (unless its terminal callback, checked
// then, came first), DBOpen after its onSuccess for a new token.
func (m *Monitor) databaseMissing(c *callState, reach time.Duration) {
	if !c.dbOwed() || m.cfg.DBOpen < 0 || !m.cfg.Profile.Or().DBCallback {
		return
	}
	due, since := c.t+m.cfg.DBOpen, "its Connect"
	if c.has(cAfter) {
		due, since = m.succT(c)+m.cfg.DBOpen, "its onSuccess"
	}
	if reach > due+m.cfg.Tolerance {
		m.report(4, "P4", int(c.idx), c.t, m.devs.at(c.dev).dev, fmt.Sprintf(
			"call %d got no onDatabaseOpened by t=%s (db-open %s after %s); %s",
			c.id, seconds(due), seconds(m.cfg.DBOpen), since, m.reachText()))
	}
}
