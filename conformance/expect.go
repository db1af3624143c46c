package conformance

import (
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// WebConfig is the property configuration of the web engine's contract:
// after a lost connection the engine reconnects at once, then every 5 s
// after each failure (its fixed retry), so P6's schedule is 0s, 5s.
func WebConfig() properties.Config {
	return properties.Config{Policy: fsm.List{Name: "list:0s,5s", Gaps: []time.Duration{0, 5 * time.Second}}, DBOpen: -1}
}

// WebSkip are the properties the web engine's contract does not have: it
// has no onDatabaseOpened callback (P4).
var WebSkip = []string{"P4"}

// Violated returns the ids of the properties a trace violates under the web
// configuration, in catalogue order, and the violations themselves.
func Violated(recs []trace.Record) ([]string, []properties.Violation) {
	var vs []properties.Violation
	for _, v := range properties.Check(WebConfig(), recs) {
		if !slices.Contains(WebSkip, v.Property) {
			vs = append(vs, v)
		}
	}
	var ids []string
	for _, p := range properties.Catalogue {
		if slices.ContainsFunc(vs, func(v properties.Violation) bool { return v.Property == p.ID }) {
			ids = append(ids, p.ID)
		}
	}
	return ids, vs
}
