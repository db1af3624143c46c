package properties_test

import (
	"slices"
	"sync"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// prefixMon is the Monitor with which the rapid checks (TestRapid, the
// bug zoo's mutants) check each whole trace again, with prefixes of it
// (properties.Monitor.SetPrefix): one for the whole run, so that it
// resumes over the state other traces left.
var prefixMon struct {
	sync.Mutex
	m *properties.Monitor
}

// checkPrefixes checks recs, whose verdict with no prefix is want, with
// prefixMon: with the prefix the trace before left it, then with prefixes
// of recs of several lengths (an opening's among them). Each verdict
// must be want, byte for byte, and the trace is resumed from a prefix of
// one record (whose state restore always copies).
func checkPrefixes(t *rapid.T, cfg properties.Config, recs []trace.Record, want []properties.Violation) {
	prefixMon.Lock()
	defer prefixMon.Unlock()
	if prefixMon.m == nil {
		prefixMon.m = properties.NewMonitor(cfg)
	}
	m := prefixMon.m
	m.SetConfig(&cfg)
	n := len(recs)
	for i, k := range []int{-1, 1, 6, n / 3, n / 2, n - 1, n} {
		if i > 0 {
			if k < 1 || k > n {
				continue
			}
			m.SetPrefix(recs[:k])
		}
		h := properties.PrefixHits(m)
		if got := m.Check(recs); !slices.Equal(got, want) {
			t.Fatalf("with a prefix of %d records (%d given): %v\nwithout: %v", len(m.Prefix()), k, got, want)
		}
		if k == 1 && properties.PrefixHits(m) != h+1 {
			t.Fatalf("a trace was not resumed from its first record")
		}
	}
}
