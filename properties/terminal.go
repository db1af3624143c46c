package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// P1 (at most one terminal): each Connect call gets at most one terminal
// callback (onSuccess or onError). Calls are matched by call id across the
// whole trace; every terminal after the first is a violation.

// terminalOnce checks P1 at terminal callback r of call c.
func (m *Monitor) terminalOnce(c *callState, r *trace.Record) {
	if !c.term.ok() {
		c.term, c.termName, c.termCode = m.at(), r.Name, r.Code
		return
	}
	m.reportAt(1, "P1", r, fmt.Sprintf("second terminal callback %s; the first was %s at record %d",
		describe(r), m.cbText(c.termName, c.termCode, c.id), c.term))
}
