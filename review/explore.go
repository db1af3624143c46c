// Experiments of kind explore: sim explore's exhaustive search of the
// client core for each alternative (its quirks; the abstract world takes
// no other parameter), with the shortest path to each violation kept as
// a timeline.

package review

import (
	"fmt"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
)

// exploreOnce is `sim explore --attempt auth --depth D --quirk Q` for the
// alternative: one auth round trip per attempt (the quirks live in the
// core's answers, and depth 9 reaches every status edge there).
func exploreOnce(x Experiment, b built) explore.Result {
	cfg := fsm.DefaultConfig()
	cfg.Quirks = b.run.Client.Quirks
	r := explore.Run(explore.Config{Depth: x.Depth, Client: cfg})
	r.Elapsed = 0 // wall time: not part of the result
	return r
}

// exploreTraces returns the first finding of each alternative as a trace
// page: the shortest path to the first property violated, one move per
// second of abstract time.
func exploreTraces(s *Spec, r *Result, xi int) []Trace {
	x := s.Experiments[xi]
	var out []Trace
	for ai, a := range s.Alternatives {
		res := r.units[xi][ai].expl
		if len(res.Findings) == 0 {
			continue
		}
		f := res.Findings[0]
		b, _ := s.build(x, a, "", "")
		why := "shortest violation"
		out = append(out, Trace{Experiment: x.Name, Alternative: a.Name, Why: why,
			Command: command(s, x, a, "", ""), File: traceFile(xi, ai, why),
			Note: fmt.Sprintf("%s: %s (%d moves: %v)", f.Property, f.Msg, len(f.Steps), f.Steps),
			recs: f.Trace, violations: properties.Check(properties.ConfigForParams(b.run), f.Trace), params: b.run})
	}
	return out
}
