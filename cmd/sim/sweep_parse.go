// The sweep's policy grid and network axes as flag text (the loss and
// time-limit grids are package grid's).

package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/sweep"
)

// policyGridForm describes --policy's grid for errors and help.
const policyGridForm = "a comma list of policies (" + fsm.PolicyForms + "), each with an optional /JITTER (" +
	"none, full, equal or decorrelated; else --policy-jitter), such as rc,web,expo:1s,2,60s/full,grpc"

// parsePolicyGrid parses sweep's --policy grid with fsm.ParsePolicyList
// (the syntax of sim storm --policy): an entry's jitter is its /JITTER,
// else jitter (--policy-jitter). An entry may not repeat.
func parsePolicyGrid(s string, jitter fsm.Jitter) ([]fsm.Backoff, error) {
	list, err := fsm.ParsePolicyList(s, 4*plots.PaletteSize)
	if err != nil {
		return nil, err
	}
	var out []fsm.Backoff
	for _, c := range list {
		j := jitter
		if c.JitterSet {
			j = c.Jitter
		}
		b, err := fsm.NewBackoff(c.Policy, j)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", c, err)
		}
		if slices.ContainsFunc(out, func(x fsm.Backoff) bool { return x.String() == b.String() }) {
			return nil, fmt.Errorf("%s is listed twice", b)
		}
		out = append(out, b)
	}
	return out, nil
}

// parseNetAxes parses --loss-model (repeatable; values also separated by
// ';', since a ge: model has commas) and --transport (a comma list).
func parseNetAxes(models []string, transports string) (sweep.NetAxes, error) {
	var a sweep.NetAxes
	for _, arg := range models {
		for _, v := range strings.Split(arg, ";") {
			m, err := netmodel.ParseLossModel(strings.TrimSpace(v))
			if err != nil {
				return a, usageError{fmt.Errorf("--loss-model: invalid grid value %q: want bernoulli, ge:P,R,1-H,1-K or burst:B; repeat the flag or separate values with ';'", v)}
			}
			if slices.Contains(a.Models, m) {
				return a, usageError{fmt.Errorf("--loss-model: invalid grid: %s is listed twice", strings.TrimSpace(v))}
			}
			a.Models = append(a.Models, m)
		}
	}
	for _, v := range strings.Split(transports, ",") {
		t, err := netmodel.ParseTransport(strings.TrimSpace(v))
		if err != nil {
			return a, usageError{fmt.Errorf("--transport: invalid grid value %q: want a comma list of message and tcp", v)}
		}
		if slices.Contains(a.Transports, t) {
			return a, usageError{fmt.Errorf("--transport: invalid grid %q: %s is listed twice", transports, t)}
		}
		a.Transports = append(a.Transports, t)
	}
	return a, nil
}
