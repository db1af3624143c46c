package explore

import (
	"cmp"
	"flag"
	"reflect"
	"slices"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/testsize"
	"github.com/rcsim/connsim/vocab"
)

var exploreDepth = flag.Int("explore.depth", 0, "depth of TestExhaustive's explorations (go test ./explore -run Exhaustive -explore.depth 10); 0: each case's own")

// anatomyCfg returns the default client with the attempt's anatomy
// (--attempt full) and the given servers, TLS rounds and visit.
func anatomyCfg(servers, tls int, returning bool) fsm.Config {
	c := fsm.DefaultConfig()
	c.Attempt, c.Servers, c.TLS, c.Returning = fsm.AttemptFull, servers, tls, returning
	return c
}

// exhaustiveCases are TestExhaustive's explorations, each with its depth
// in -short mode, in the everyday loop and at full size (testsize): one
// auth round trip per attempt, and the attempt's anatomy (sim run's
// default) with one server, with failover to a second, with a TLS round,
// for a returning device, with two servers and a TLS round together
// (a refused TLS round fails over to the next server, as P21 allows),
// and with no navigation cache.
// Each everyday depth takes 1.5 s of CPU or less; the full size explores
// the anatomy at its default depth (3.5 s).
var exhaustiveCases = []struct {
	name                  string
	cfg                   fsm.Config
	short, everyday, full int
	allEdges              int // from this depth on every edge of fsm.Edges is taken
}{
	// The last edge is CONNECTING -> KICKED, the reconnection-kick
	// refusal of an automatic reconnection: a first success, the idle
	// close delivered, then the reconnection's auth answered "kicked":
	// 8 moves under auth, 12 for a returning device (its socket round
	// trip), 14 on a first visit (the navigation round trip too), 16
	// with a TLS round: past MaxDepth.
	{"attempt auth", fsm.DefaultConfig(), 7, DefaultDepth, DefaultDepth, 8},
	{"attempt full", anatomyCfg(1, 0, false), 8, 10, DefaultDepthFull, 14},
	{"attempt full, 2 servers", anatomyCfg(2, 0, false), 7, 9, 10, 14},
	{"attempt full, tls 1", anatomyCfg(1, 1, false), 7, 9, 10, 16},
	{"attempt full, returning", anatomyCfg(1, 0, true), 7, 8, 9, 12},
	{"attempt full, 2 servers, tls 1", anatomyCfg(2, 1, false), 7, 9, 10, 16},
	{"attempt full, no navigation cache", noNaviCache(anatomyCfg(1, 0, false)), 7, 9, 10, 16},
}

// noNaviCache returns c with --navi-ttl 0: every attempt asks the
// navigation service.
func noNaviCache(c fsm.Config) fsm.Config {
	c.NaviTTL = 0
	return c
}

// TestExhaustive explores every sequence of up to its depth of abstract
// moves of one client (see Run), for each of exhaustiveCases, and checks
// the trace properties and state invariants in every state reached.
func TestExhaustive(t *testing.T) {
	for _, tc := range exhaustiveCases {
		t.Run(tc.name, func(t *testing.T) {
			depth := testsize.Pick(t, tc.everyday, tc.full)
			switch {
			case *exploreDepth > 0:
				depth = *exploreDepth
			case testing.Short():
				depth = tc.short
			}
			r := Run(Config{Depth: depth, Client: tc.cfg})
			t.Logf("depth %d: %d states, %d edges, %d expansions, %d/%d status edges taken, %v",
				r.Depth, r.States, r.Edges, r.Expansions, r.StatusEdges, r.AllStatusEdges, r.Elapsed)
			for _, f := range r.Findings {
				t.Errorf("%s", f)
			}
			if r.Violations > 0 {
				t.Fatalf("%d violations", r.Violations)
			}
			if r.Depth >= tc.allEdges && r.StatusEdges != r.AllStatusEdges {
				t.Errorf("only %d of the %d status edges were taken", r.StatusEdges, r.AllStatusEdges)
			}
		})
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
// tampered one, one auth round trip per attempt and the attempt's anatomy.
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
	// The attempt's anatomy's state (steps, sockets, the cache, the
	// world's memory of them) is in the key too: with two servers, a TLS
	// round and a returning device, the graph takes the same status
	// edges as the tree: for the correct core in the everyday loop, and
	// for every tampered one too, one level deeper, at full size (700,000
	// to 900,000 move sequences each, half a minute in all).
	full := testsize.Pick(t, 0, 1)
	for _, client := range []struct {
		name  string
		depth int
		cfg   fsm.Config
	}{
		{"attempt auth", depth, fsm.DefaultConfig()},
		{"attempt full, 2 servers, tls 1", depth + full, anatomyCfg(2, 1, false)},
		{"attempt full, returning", depth + full, anatomyCfg(1, 0, true)},
	} {
		for i, tc := range cases {
			if i > 0 && full == 0 && client.cfg.Attempt == fsm.AttemptFull {
				break
			}
			cfg := Config{Depth: client.depth, Client: client.cfg, tamper: tc.f, MaxFindings: 1 << 20}
			graph := Run(cfg)
			cfg.noDedup = true
			tree := Run(cfg)
			if g, tr := props(graph), props(tree); !slices.Equal(g, tr) || graph.StatusEdges != tree.StatusEdges {
				t.Errorf("%s, %s: with duplicates removed %v and %d status edges, full tree %v and %d",
					client.name, tc.name, g, graph.StatusEdges, tr, tree.StatusEdges)
			}
			if tc.f == nil {
				t.Logf("%s, depth %d: %d states (full tree: %d move sequences)", client.name, client.depth, graph.States, tree.States)
			}
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
