// Package explore is the exhaustive bounded search of the client core: one
// fsm.Client in an abstract world (world.go) where time and probabilities
// are gone, every sequence of abstract moves up to a depth is tried with
// duplicate states removed, and after every move the trace properties of
// package properties that make sense without real time (Properties) and
// the state invariants (Invariants) are checked. It is the third driver of
// the core beside sim's world and the storm; `sim explore` runs it.
//
// The package judges with package properties' checkers and follows package
// server's session rules (server.Session); it holds no property or session
// rule of its own but the invariants, which need the abstract world's
// state.
package explore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/internal/zoo/tamper"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// DefaultDepth is the depth `go test ./explore -run Exhaustive` and `sim
// explore` use by default for one auth round trip per attempt (--attempt
// auth).
const DefaultDepth = 9

// DefaultDepthFull is the default depth under the attempt's anatomy
// (--attempt full, what `sim run` runs): an attempt's first success takes
// four more moves than an auth round trip (the navigation request and
// the socket, each delivered and answered), so depth 11 there reaches
// about what depth 9 reaches under auth, at a little over twice its cost
// (docs/properties.md).
const DefaultDepthFull = 11

// DefaultDepthFor returns the default depth for the core's attempt mode.
func DefaultDepthFor(a fsm.AttemptMode) int {
	if a == fsm.AttemptFull {
		return DefaultDepthFull
	}
	return DefaultDepth
}

// MaxDepth bounds Config.Depth: the state space grows about
// 4.4-fold per level (depth 10: 1.4 million states, 130 MB; depth 12 needs
// a few GB).
const MaxDepth = 12

// Config sets up an exhaustive exploration.
type Config struct {
	Depth       int        // moves per path, 1..MaxDepth
	Client      fsm.Config // the core's parameters; time is abstract, so no duration matters but whether NaviTTL is 0 (no cache); Profile (its machine, its switches, its API), HBMisses, Quirks and the anatomy's Attempt, Servers, TLS and Returning do
	MaxFindings int        // properties whose shortest offending path is kept (0: 10); every violation is counted

	tamper  func([]fsm.Effect) []fsm.Effect // tests: corrupt the core's effects
	noDedup bool                            // tests: explore the full tree of paths
	replay  bool                            // tests: check each path's whole trace afresh, as before the monitors were kept per depth
}

// Result is what an exploration found.
type Result struct {
	Depth      int
	States     int // distinct abstract states reached, the initial one included
	Edges      int // moves taken, including those into states already seen
	Expansions int // states expanded (a state first reached deep is expanded again when reached shallower)
	Violations int // offending moves found (each path stops at its first)
	// Findings holds, for each property violated (at most MaxFindings
	// of them, in the order first found), the shortest offending path.
	// StatusEdges is how many edges of the profile's status machine
	// (fsm.Profile.Edges: fsm.Edges by default) some path took, out of
	// AllStatusEdges.
	StatusEdges, AllStatusEdges int
	Findings                    []Finding
	Elapsed                     time.Duration
}

// Finding is one violation with the path that leads to it.
type Finding struct {
	Property string         // "P3", "I2", ...
	Msg      string         // the violation (properties.Violation.String for trace properties)
	Steps    []string       // the abstract moves of the path, in order
	Trace    []trace.Record // the path's trace; each move is one second of abstract time
}

// String renders f: the violation, the moves and the trace as a timeline.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Msg)
	b.WriteString("\n  moves:\n")
	for i, s := range f.Steps {
		b.WriteString("    ")
		fmt.Fprintf(&b, "%2d. ", i+1)
		b.WriteString(s)
		b.WriteByte('\n')
	}
	b.WriteString("  trace (t = move number):\n")
	for i := range f.Trace {
		b.WriteString("  ")
		b.WriteString(trace.FormatText(&f.Trace[i]))
		b.WriteByte('\n')
	}
	return b.String()
}

// Properties are the trace properties Run checks on every path:
// those that make sense without real time. P2 (time limit), P6 (schedule),
// P8 (liveness) and P20 (attempt timeouts) need time; invariants I2, I4
// and I6 stand in for the first three. P21 reads the cache's age: the
// move that expires it advances the abstract time past --navi-ttl.
var Properties = []string{"P1", "P3", "P4", "P5", "P7", "P9", "P10", "P21", "P22"}

// Run runs an exhaustive bounded exploration of the client core in the
// abstract world (see world): from the initial state (one status listener,
// network up, nothing called), every sequence of up to cfg.Depth abstract
// moves, with duplicate states removed. After every move it checks
// Properties on the path's trace and, in the state reached, the
// Invariants. A path stops at its first violation.
//
// The search is depth-first and remembers, per canonical state (see
// keyer), the smallest depth it was expanded at; a state reached again at
// that depth or deeper is not expanded again, so every state reachable in
// cfg.Depth moves is expanded with the largest budget it can have.
func Run(cfg Config) Result {
	start := time.Now()
	if cfg.MaxFindings <= 0 {
		cfg.MaxFindings = 10
	}
	e := &explorer{cfg: cfg, seen: map[stateKey]uint8{}, taken: map[[2]fsm.Status]bool{}, edges: statusEdges(cfg.Client.Profile)}
	e.res.Depth = cfg.Depth
	e.levels = make([]*world, cfg.Depth+1)
	e.mons = make([]*properties.Monitor, cfg.Depth+1)
	e.moves = make([][]move, cfg.Depth+1)
	for i := range e.levels {
		e.mons[i] = properties.NewMonitorOf(e.checkCfg(), Properties...)
		e.levels[i] = newWorld(cfg.Client)
		e.levels[i].tamper = cfg.tamper
		if zoo.Enabled && cfg.tamper == nil {
			e.levels[i].tamper = tamper.Effects // the bug zoo's mutants of the core's output
		}
	}
	root := e.levels[0]
	root.c.Step(0, fsm.Input{Kind: fsm.InAddListener, Listener: 1})
	e.recs = append(e.recs, trace.Record{Kind: trace.KCall, Op: vocab.OpAddListener, Listeners: 1})
	e.mons[0].Observe(&e.recs[0])
	e.seen[e.k.key(root)] = 0
	e.res.States = 1
	if msg := e.violated(root, 0); msg == "" {
		e.dfs(0)
	}
	e.res.StatusEdges, e.res.AllStatusEdges = len(e.taken), len(e.edges)
	e.res.Elapsed = time.Since(start)
	return e.res
}

type explorer struct {
	cfg    Config
	levels []*world
	// mons[d] has observed the trace of the path to levels[d]: a move
	// copies its parent's monitor and feeds it the move's records alone.
	mons   []*properties.Monitor
	vs     []properties.Violation // scratch: a monitor's verdict
	moves  [][]move
	labels []string
	recs   []trace.Record
	seen   map[stateKey]uint8 // the smallest depth each state was reached at
	k      keyer
	res    Result
	taken  map[[2]fsm.Status]bool // status edges some path took
	edges  map[[2]fsm.Status]bool // the (from, to) pairs of the profile's machine
}

// statusEdges returns the (from, to) pairs of the status machine of
// profile prof (nil: android, fsm.Edges).
func statusEdges(prof *fsm.Profile) map[[2]fsm.Status]bool {
	out := map[[2]fsm.Status]bool{}
	for _, e := range prof.Or().Edges {
		to, _ := fsm.ParseStatus(e.To)
		for _, f := range e.From {
			from, _ := fsm.ParseStatus(f)
			out[[2]fsm.Status{from, to}] = true
		}
	}
	return out
}

// checkers are the batch checkers of Properties, in order: what the
// tests' replay (Config.replay) runs on each path's whole trace.
var checkers = func() []properties.Checker {
	var out []properties.Checker
	for _, id := range Properties {
		i := slices.IndexFunc(properties.Catalogue, func(p properties.Property) bool { return p.ID == id })
		out = append(out, properties.Catalogue[i].Check)
	}
	return out
}()

// checkCfg is the properties' configuration: the schedule and db-open
// times are abstract (P6 is not checked, P4 checks order and count
// only); a returning device's first Connect finds its token stored.
func (e *explorer) checkCfg() properties.Config {
	c := &e.cfg.Client
	return properties.Config{DBOpen: -1, Returning: c.Returning, Profile: c.Profile,
		Attempt: c.Attempt, Servers: c.Servers, TLS: c.TLS, NaviTTL: c.NaviTTL}
}

func (e *explorer) dfs(d int) {
	w := e.levels[d]
	e.moves[d] = w.moves(e.moves[d][:0])
	for _, m := range e.moves[d] {
		child := e.levels[d+1]
		child.copyFrom(w)
		label := m.label(w)
		n := len(e.recs)
		e.recs = child.apply(m, e.recs)
		mon := e.mons[d+1]
		mon.CopyFrom(e.mons[d])
		for i := n; i < len(e.recs); i++ {
			mon.Observe(&e.recs[i])
		}
		e.labels = append(e.labels, label)
		e.res.Edges++
		for i := range child.new {
			if r := &child.new[i]; r.Kind == trace.KStatus {
				if k := [2]fsm.Status{r.From, r.Status}; e.edges[k] {
					e.taken[k] = true
				}
			}
		}
		e.visit(child, d+1)
		e.recs = e.recs[:n]
		e.labels = e.labels[:len(e.labels)-1]
	}
}

// visit checks the state w reached at depth d and expands it if needed.
func (e *explorer) visit(w *world, d int) {
	if e.violated(w, d) != "" {
		return
	}
	if e.cfg.noDedup {
		e.res.States++
		if d < e.cfg.Depth {
			e.res.Expansions++
			e.dfs(d)
		}
		return
	}
	k := e.k.key(w)
	prev, ok := e.seen[k]
	if !ok {
		e.res.States++
	}
	if ok && int(prev) <= d {
		return
	}
	e.seen[k] = uint8(d)
	if d < e.cfg.Depth {
		e.res.Expansions++
		e.dfs(d)
	}
}

// violated checks the path's trace and the state's invariants, records a
// finding if something is violated, and returns its property ("" if none).
// Of the trace's violations it takes the first property of
// Properties violated, and that property's first violation.
func (e *explorer) violated(w *world, d int) string {
	if e.cfg.replay {
		for _, check := range checkers {
			if vs := check(e.checkCfg(), e.recs); len(vs) > 0 {
				e.found(vs[0].Property, vs[0].String())
				return vs[0].Property
			}
		}
	} else if e.vs = e.mons[d].VerdictInto(e.vs[:0]); len(e.vs) > 0 {
		v := firstOf(e.vs)
		e.found(v.Property, v.String())
		return v.Property
	}
	s := w.c.Snapshot()
	for _, inv := range invariants {
		if msg := inv.check(w, &s); msg != "" {
			e.found(inv.id, inv.id+" "+inv.about[:strings.IndexByte(inv.about, ':')]+": "+msg)
			return inv.id
		}
	}
	return ""
}

// found counts a violation and keeps, per property, the shortest path.
func (e *explorer) found(prop, msg string) {
	e.res.Violations++
	i := slices.IndexFunc(e.res.Findings, func(f Finding) bool { return f.Property == prop })
	switch {
	case i >= 0 && len(e.labels) >= len(e.res.Findings[i].Steps):
		return
	case i < 0 && len(e.res.Findings) >= e.cfg.MaxFindings:
		return
	case i < 0:
		i = len(e.res.Findings)
		e.res.Findings = append(e.res.Findings, Finding{})
	}
	e.res.Findings[i] = Finding{
		Property: prop, Msg: msg,
		Steps: append([]string(nil), e.labels...),
		Trace: append([]trace.Record(nil), e.recs...),
	}
}

// firstOf returns, of vs (a verdict: ordered by record index, then
// property), the first violation of the first property of Properties
// that has one: what checking each property on its own, in that order,
// finds first.
func firstOf(vs []properties.Violation) *properties.Violation {
	for _, id := range Properties {
		for i := range vs {
			if vs[i].Property == id {
				return &vs[i]
			}
		}
	}
	panic("explore: a violation of a property the explorer does not check")
}
