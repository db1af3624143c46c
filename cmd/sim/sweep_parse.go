// The sweep's policy grid (the loss and time-limit grids are package
// grid's).

package main

import (
	"fmt"
	"slices"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/plots"
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
