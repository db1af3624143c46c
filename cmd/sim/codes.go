package main

import (
	"slices"

	"github.com/rcsim/connsim/fsm"
)

// sortedCodes returns the keys of m in increasing order.
func sortedCodes(m map[fsm.Code]int) []fsm.Code {
	out := make([]fsm.Code, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
