package conformance

import (
	"slices"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// WebConfig is the property configuration of the web engine's contract,
// as `sim check --profile web` has it: the web profile's machine (P7), its
// schedule (P6: fixed 5 s, a loss retries at once) and no database
// callback (P4).
func WebConfig() properties.Config {
	return properties.Config{Profile: fsm.ProfileWeb, Policy: fsm.ProfileWeb.Policy, DBOpen: -1}
}

// Violated returns the ids of the properties a trace violates under the web
// configuration, in catalogue order, and the violations themselves.
func Violated(recs []trace.Record) ([]string, []properties.Violation) {
	vs := properties.Check(WebConfig(), recs)
	var ids []string
	for _, p := range properties.Catalogue {
		if slices.ContainsFunc(vs, func(v properties.Violation) bool { return v.Property == p.ID }) {
			ids = append(ids, p.ID)
		}
	}
	return ids, vs
}
