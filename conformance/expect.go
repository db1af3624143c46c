package conformance

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// WebConfig is the property configuration of the web engine's contract,
// as `sim check --profile web` has it: the web profile's machine (P7), its
// schedule (P6: fixed 5 s, a loss retries at once), no database
// callback (P4), and the engine's attempt (P20, P21: steps, a 10 s
// navigation timeout, 5 s per socket, a 2 h navigation cache, one server).
func WebConfig() properties.Config {
	return properties.Config{Profile: fsm.ProfileWeb, Policy: fsm.ProfileWeb.Policy, DBOpen: -1,
		AttemptTimeout: 5 * time.Second, NaviTimeout: 10 * time.Second, NaviTTL: 2 * time.Hour,
		Attempt: fsm.AttemptFull, Servers: 1}
}

// ScenarioConfig returns WebConfig for a scenario whose model arguments
// (Scenario.Model, which run.js --manifest starts with what the harness's
// setup implies) are args: the navigation answer cached at the first
// Connect (--visit returning), the servers it lists (--servers) and how
// long it stays fresh (--navi-ttl), for P21.
func ScenarioConfig(args string) properties.Config {
	cfg := WebConfig()
	f := strings.Fields(args)
	for i := 0; i+1 < len(f); i++ {
		switch v := f[i+1]; f[i] {
		case "--visit":
			cfg.Returning = v == "returning"
		case "--servers":
			if n, err := strconv.Atoi(v); err == nil {
				cfg.Servers = n
			}
		case "--navi-ttl":
			if d, err := time.ParseDuration(v); err == nil {
				cfg.NaviTTL = d
			}
		}
	}
	return cfg
}

// Violated returns the ids of the properties a trace violates under
// configuration cfg (ScenarioConfig), in catalogue order, and the
// violations themselves.
func Violated(cfg properties.Config, recs []trace.Record) ([]string, []properties.Violation) {
	vs := properties.Check(cfg, recs)
	var ids []string
	for _, p := range properties.Catalogue {
		if slices.ContainsFunc(vs, func(v properties.Violation) bool { return v.Property == p.ID }) {
			ids = append(ids, p.ID)
		}
	}
	return ids, vs
}
