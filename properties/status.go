package properties

import (
	"fmt"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// CheckP7 checks P7 (legal statuses) per device. The status records form a
// chain from UNCONNECTED: each record's From is the previous record's
// Status, (From, Status) is an edge of the published machine
// (fsm.EdgeEvent), Status differs from the previous status, and Listeners
// equals the number of listeners registered by the device's add_listener /
// remove_listener calls so far (adding a registered id or removing an
// absent one changes nothing). One violation per offending record; the
// chain then continues from the record's Status.
func CheckP7(_ Config, recs []trace.Record) []Violation {
	type listener struct {
		dev int16
		id  int32
	}
	var sbuf [8]fsm.Status
	cur := sbuf[:0]
	var lbuf [16]listener
	ls := lbuf[:0]
	find := func(dev int16, id int32) int {
		for j := range ls {
			if ls[j] == (listener{dev, id}) {
				return j
			}
		}
		return -1
	}
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !deviceRec(r) {
			continue
		}
		switch {
		case isCall(r, opAddL):
			if find(r.Dev, r.Listeners) < 0 {
				ls = append(ls, listener{r.Dev, r.Listeners})
			}
		case isCall(r, opRemoveL):
			if j := find(r.Dev, r.Listeners); j >= 0 {
				ls = append(ls[:j], ls[j+1:]...)
			}
		case r.Kind == trace.KStatus:
			for len(cur) <= int(r.Dev) {
				cur = append(cur, fsm.Unconnected)
			}
			n := int32(0)
			for _, l := range ls {
				if l.dev == r.Dev {
					n++
				}
			}
			if msg := statusFaults(cur[r.Dev], r, n); msg != "" {
				out = append(out, violation("P7", recs, i, msg))
			}
			cur[r.Dev] = r.Status
		}
	}
	return out
}

// statusFaults returns what is wrong with status record r of a device whose
// previous status is prev and that has n listeners registered, or "".
func statusFaults(prev fsm.Status, r *trace.Record, n int32) string {
	var faults []string
	if r.From != prev {
		faults = append(faults, fmt.Sprintf("from %s but the previous status was %s", r.From, prev))
	}
	if r.Status == prev {
		faults = append(faults, fmt.Sprintf("%s twice in a row", r.Status))
	} else if _, ok := fsm.EdgeEvent(r.From, r.Status); !ok {
		faults = append(faults, fmt.Sprintf("%s -> %s is not an edge of the state machine", r.From, r.Status))
	}
	if r.Listeners != n {
		faults = append(faults, fmt.Sprintf("told %d listeners, %d registered", r.Listeners, n))
	}
	if faults == nil {
		return ""
	}
	return "status " + r.Status.String() + ": " + strings.Join(faults, "; ")
}
