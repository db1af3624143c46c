package explore

import (
	"cmp"
	"flag"
	"reflect"
	"slices"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

var exploreDepth = flag.Int("explore.depth", DefaultDepth, "depth of TestExhaustive (go test ./explore -run Exhaustive -explore.depth 10)")

// shortExploreDepth is TestExhaustive's depth in -short mode, unless
// -explore.depth is given: 16,553 states, a tenth of a second.
const shortExploreDepth = 7

// TestExhaustive explores every sequence of up to -explore.depth abstract
// moves of one client (see Run) and checks the trace properties and
// state invariants in every state reached.
func TestExhaustive(t *testing.T) {
	depth := *exploreDepth
	if testing.Short() && !flagSet("explore.depth") {
		depth = shortExploreDepth
	}
	r := Run(Config{Depth: depth, Client: fsm.DefaultConfig()})
	t.Logf("depth %d: %d states, %d edges, %d expansions, %d/%d status edges taken, %v",
		r.Depth, r.States, r.Edges, r.Expansions, r.StatusEdges, r.AllStatusEdges, r.Elapsed)
	for _, f := range r.Findings {
		t.Errorf("%s", f)
	}
	if r.Violations > 0 {
		t.Fatalf("%d violations", r.Violations)
	}
	if r.Depth >= 8 && r.StatusEdges != r.AllStatusEdges {
		t.Errorf("only %d of the %d status edges were taken", r.StatusEdges, r.AllStatusEdges)
	}
}

// tampers corrupt the core's effects the way a buggy core would; each must
// be caught by the property named, within depth 6 or its tamperDepth.
var tampers = []struct {
	name, want string
	f          func([]fsm.Effect) []fsm.Effect
}{
	{"second terminal callback", "P1", func(es []fsm.Effect) []fsm.Effect {
		var out []fsm.Effect
		for _, e := range es {
			out = append(out, e)
			if e.Kind == fsm.EffCallback && e.Name == vocab.CbSuccess {
				out = append(out, fsm.Effect{Kind: fsm.EffCallback, Call: e.Call, Name: vocab.CbError, Code: fsm.Unknown})
			}
		}
		return out
	}},
	{"attempt after 34006", "P3", func(es []fsm.Effect) []fsm.Effect {
		var out []fsm.Effect
		for _, e := range es {
			out = append(out, e)
			if e.Kind == fsm.EffCallback && e.Code == fsm.ConnectTimeout {
				out = append(out, fsm.Effect{Kind: fsm.EffAttempt, Phase: vocab.PhaseStart, Reason: vocab.ReasonSchedule})
			}
		}
		return out
	}},
	{"no onDatabaseOpened before the terminal", "P4", func(es []fsm.Effect) []fsm.Effect {
		return slices.DeleteFunc(slices.Clone(es), func(e fsm.Effect) bool {
			return e.Kind == fsm.EffCallback && e.Name == vocab.CbDatabaseOpened
		})
	}},
	{"attempt after a logout", "P5", func(es []fsm.Effect) []fsm.Effect {
		out := slices.Clone(es)
		for _, e := range es {
			if e.Kind == fsm.EffStatus && e.To == fsm.SignOut {
				out = append(out, fsm.Effect{Kind: fsm.EffAttempt, Phase: vocab.PhaseStart, Reason: vocab.ReasonSchedule})
			}
		}
		return out
	}},
	{"a status told twice", "P7", func(es []fsm.Effect) []fsm.Effect {
		var out []fsm.Effect
		for _, e := range es {
			out = append(out, e)
			if e.Kind == fsm.EffStatus && e.To == fsm.Suspend {
				out = append(out, e)
			}
		}
		return out
	}},
	{"34001 clears the pending call's status", "P9", func(es []fsm.Effect) []fsm.Effect {
		var out []fsm.Effect
		for _, e := range es {
			if e.Kind == fsm.EffCallback && e.Code == fsm.ConnectionExist {
				out = append(out, fsm.Effect{Kind: fsm.EffStatus, From: fsm.Connecting, To: fsm.Timeout})
			}
			out = append(out, e)
		}
		return out
	}},
	{"a status change not told", "I1", func(es []fsm.Effect) []fsm.Effect {
		return slices.DeleteFunc(slices.Clone(es), func(e fsm.Effect) bool {
			return e.Kind == fsm.EffStatus && e.To == fsm.NetworkUnavailable
		})
	}},
	{"a retry timer lost", "I2", func(es []fsm.Effect) []fsm.Effect {
		return slices.DeleteFunc(slices.Clone(es), func(e fsm.Effect) bool {
			return e.Kind == fsm.EffTimer && e.Timer == fsm.TimerRetry
		})
	}},
	{"a second Connect gets no callback (spec 9)", "I3", func(es []fsm.Effect) []fsm.Effect {
		return slices.DeleteFunc(slices.Clone(es), func(e fsm.Effect) bool {
			return e.Kind == fsm.EffCallback && e.Code == fsm.ConnectionExist
		})
	}},
	{"no time-limit timer", "I4", func(es []fsm.Effect) []fsm.Effect {
		return slices.DeleteFunc(slices.Clone(es), func(e fsm.Effect) bool {
			return e.Kind == fsm.EffTimer && e.Timer == fsm.TimerLimit
		})
	}},
}

// tamperDepth is the depth a tamper needs when 6 is not enough. Without
// times (the explorer's P4 checks order and count) a missing
// onDatabaseOpened shows only before the terminal callback of a call with
// the stored token: init, connect, the auth and its OK, Logout, connect,
// the auth and its OK: 8 moves.
var tamperDepth = map[string]int{"no onDatabaseOpened before the terminal": 8}

// Each tampered core is caught, by the property expected, within depth 6
// (or its own depth).
func TestExhaustiveCatchesTamperedCore(t *testing.T) {
	for _, tc := range tampers {
		depth := cmp.Or(tamperDepth[tc.name], 6)
		r := Run(Config{Depth: depth, Client: fsm.DefaultConfig(), tamper: tc.f, MaxFindings: 1})
		if r.Violations == 0 {
			t.Errorf("%s: not caught (%d states, %d edges)", tc.name, r.States, r.Edges)
			continue
		}
		f := r.Findings[0]
		if f.Property != tc.want {
			t.Errorf("%s: caught by %s, want %s:\n%s", tc.name, f.Property, tc.want, f)
			continue
		}
		t.Logf("%s: caught by %s after %d moves (%d states, %d edges)", tc.name, f.Property, len(f.Steps), r.States, r.Edges)
	}
	r := Run(Config{Depth: 6, Client: fsm.DefaultConfig(), tamper: tampers[1].f, MaxFindings: 1})
	t.Logf("example finding:\n%s", r.Findings[0])
}

// Removing duplicate states loses no violation: at a small depth, the
// exploration with duplicates removed finds violations of the same
// properties as the full tree of paths, for the correct core and for every
// tampered one.
func TestExhaustiveDedupLosesNothing(t *testing.T) {
	depth := 5
	if testing.Short() {
		depth = 4
	}
	props := func(r Result) []string {
		var ps []string
		for _, f := range r.Findings {
			ps = append(ps, f.Property)
		}
		slices.Sort(ps)
		return slices.Compact(ps)
	}
	cases := append([]struct {
		name, want string
		f          func([]fsm.Effect) []fsm.Effect
	}{{name: "correct core"}}, tampers...)
	for _, tc := range cases {
		cfg := Config{Depth: depth, Client: fsm.DefaultConfig(), tamper: tc.f, MaxFindings: 1 << 20}
		graph := Run(cfg)
		cfg.noDedup = true
		tree := Run(cfg)
		if g, tr := props(graph), props(tree); !slices.Equal(g, tr) {
			t.Errorf("%s: with duplicates removed %v, full tree %v", tc.name, g, tr)
		}
		if tc.f == nil {
			t.Logf("depth %d: %d states (full tree: %d move sequences)", depth, graph.States, tree.States)
		}
	}
}

// The monitors kept per depth (each move feeds only its own records to a
// copy of its parent's monitor) find exactly what checking every path's
// whole trace afresh finds: the same states, edges, violations and
// findings, for the correct core, each tampered one and each quirk.
func TestExploreMonitorsMatchReplay(t *testing.T) {
	type tc struct {
		name  string
		depth int
		cfg   fsm.Config
		f     func([]fsm.Effect) []fsm.Effect
	}
	depth := 6
	if testing.Short() {
		depth = 4
	}
	cases := []tc{{name: "correct core", depth: depth, cfg: fsm.DefaultConfig()}}
	for _, tp := range tampers {
		cases = append(cases, tc{name: tp.name, depth: depth - 1, cfg: fsm.DefaultConfig(), f: tp.f})
	}
	for _, q := range []fsm.Quirks{fsm.QuirkConnectBeforeInitSilent, fsm.QuirkMultiConnectClears} {
		cfg := fsm.DefaultConfig()
		cfg.Quirks = q
		cases = append(cases, tc{name: q.String(), depth: depth - 1, cfg: cfg})
	}
	for _, c := range cases {
		cfg := Config{Depth: c.depth, Client: c.cfg, tamper: c.f, MaxFindings: 1 << 20}
		got := Run(cfg)
		cfg.replay = true
		want := Run(cfg)
		sameExploration(t, c.name, got, want)
	}
}

// sameExploration fails unless got and want, two explorations of one
// configuration, found the same things.
func sameExploration(t *testing.T, name string, got, want Result) {
	t.Helper()
	got.Elapsed, want.Elapsed = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: monitors per depth %d states, %d edges, %d violations, %d findings; replay %d, %d, %d, %d",
			name, got.States, got.Edges, got.Violations, len(got.Findings), want.States, want.Edges, want.Violations, len(want.Findings))
		for i := range min(len(got.Findings), len(want.Findings)) {
			if !reflect.DeepEqual(got.Findings[i], want.Findings[i]) {
				t.Errorf("%s: finding %d:\n%s\nreplay:\n%s", name, i, got.Findings[i], want.Findings[i])
				break
			}
		}
	}
}

// flagSet reports whether the command line set flag name.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
