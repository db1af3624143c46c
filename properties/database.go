package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P4 (database first, once). Each accepted Connect call gets
// onDatabaseOpened exactly once, before its terminal callback, and (when
// cfg.DBOpen >= 0) no later than DBOpen after its Connect: a call whose
// trace reaches past that time without it (a trace that ended idle reaches
// forever) is a violation, blamed on its call record. A rejected call
// (33001, 34001) gets none.

// database checks P4 at callback r of call c.
func (m *Monitor) database(c *callState, r *trace.Record, terminal bool) {
	if c.p4done || !m.cfg.Profile.Or().DBCallback { // web: Connect opens no database
		return
	}
	db := r.Name == vocab.CbDatabaseOpened
	switch {
	case db && c.rejected:
		m.reportAt(4, "P4", r, fmt.Sprintf("onDatabaseOpened of call %d, which was rejected", c.id))
		c.p4done = true
	case db && c.db >= 0:
		m.reportAt(4, "P4", r, fmt.Sprintf("second onDatabaseOpened of call %d; the first was record %d", c.id, c.db))
	case db:
		c.db = m.n - 1
		if m.cfg.DBOpen >= 0 && r.T > c.t+m.cfg.DBOpen+m.cfg.Tolerance {
			m.reportAt(4, "P4", r, fmt.Sprintf("onDatabaseOpened of call %d at t=%s, later than db-open (%s) after its Connect",
				c.id, seconds(r.T), seconds(m.cfg.DBOpen)))
		}
	case terminal && !c.p4term && !c.rejected:
		c.p4term = true
		if c.db < 0 {
			m.reportAt(4, "P4", r, fmt.Sprintf("%s before onDatabaseOpened of call %d", describe(r), c.id))
		}
	}
}

// databaseMissing checks, at the end of the trace (which reaches reach),
// that accepted call c got its onDatabaseOpened in time.
func (m *Monitor) databaseMissing(c *callState, reach time.Duration) {
	if c.db >= 0 || c.p4term || m.cfg.DBOpen < 0 || !m.cfg.Profile.Or().DBCallback {
		return
	}
	if due := c.t + m.cfg.DBOpen; reach > due+m.cfg.Tolerance {
		m.report(4, "P4", c.idx, c.t, m.devs[c.dev].dev, fmt.Sprintf(
			"call %d got no onDatabaseOpened by t=%s (db-open %s after its Connect); %s",
			c.id, seconds(due), seconds(m.cfg.DBOpen), m.reachText()))
	}
}
