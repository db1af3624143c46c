package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// CheckP1 checks P1 (at most one terminal): each Connect call gets at most
// one terminal callback (onSuccess or onError). Calls are matched by call
// id across the whole trace; every terminal after the first is a violation.
func CheckP1(_ Config, recs []trace.Record) []Violation {
	type first struct {
		call int32
		idx  int
	}
	var buf [16]first
	seen := buf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !isTerminal(r) {
			continue
		}
		j := len(seen) - 1
		for j >= 0 && seen[j].call != r.Call {
			j--
		}
		if j < 0 {
			seen = append(seen, first{r.Call, i})
			continue
		}
		f := seen[j].idx
		out = append(out, violation("P1", recs, i, fmt.Sprintf(
			"second terminal callback %s; the first was %s at record %d",
			describe(r), describe(&recs[f]), f)))
	}
	return out
}
