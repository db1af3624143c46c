package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// CheckP4 checks P4 (database first, once). Each accepted Connect call gets
// onDatabaseOpened exactly once, before its terminal callback, and (when
// cfg.DBOpen >= 0) no later than DBOpen after its Connect: a call whose
// trace reaches past that time without it (traceReach: a trace that ended
// idle reaches forever) is a violation, blamed on its call record. A
// rejected call (33001, 34001) gets none.
func CheckP4(cfg Config, recs []trace.Record) []Violation {
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	var out []Violation
	for _, c := range calls {
		out = checkDatabase(out, cfg, recs, c)
	}
	return out
}

// checkDatabase checks P4 for call c.
func checkDatabase(out []Violation, cfg Config, recs []trace.Record, c call) []Violation {
	due := c.t + cfg.DBOpen
	db, term := -1, -1
	for j := c.idx + 1; j < len(recs); j++ {
		r := &recs[j]
		if r.Kind != trace.KCallback || r.Call != c.id {
			continue
		}
		switch {
		case r.Name == trace.OnDatabaseOpened && c.rejected:
			return append(out, violation("P4", recs, j, fmt.Sprintf(
				"onDatabaseOpened of call %d, which was rejected", c.id)))
		case r.Name == trace.OnDatabaseOpened && db >= 0:
			out = append(out, violation("P4", recs, j, fmt.Sprintf(
				"second onDatabaseOpened of call %d; the first was record %d", c.id, db)))
		case r.Name == trace.OnDatabaseOpened:
			db = j
			if cfg.DBOpen >= 0 && r.T > due {
				out = append(out, violation("P4", recs, j, fmt.Sprintf(
					"onDatabaseOpened of call %d at t=%s, later than db-open (%s) after its Connect",
					c.id, seconds(r.T), seconds(cfg.DBOpen))))
			}
		case isTerminal(r) && term < 0 && !c.rejected:
			term = j
			if db < 0 {
				out = append(out, violation("P4", recs, j, fmt.Sprintf(
					"%s before onDatabaseOpened of call %d", describe(r), c.id)))
			}
		}
	}
	if db < 0 && term < 0 && !c.rejected && cfg.DBOpen >= 0 && traceReach(recs) > due {
		out = append(out, violation("P4", recs, c.idx, fmt.Sprintf(
			"call %d got no onDatabaseOpened by t=%s (db-open %s after its Connect); %s",
			c.id, seconds(due), seconds(cfg.DBOpen), reachText(recs))))
	}
	return out
}
