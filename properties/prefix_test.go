package properties

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// prefixConfigs are the parameter sets of the prefix tests: P6 with and
// without waits (a Policy), P20 and P21 (an attempt timeout), returning
// users.
func prefixConfigs() []Config {
	return []Config{DefaultConfig(), {DBOpen: -1}, fixtureConfig(), {DBOpen: -1, Returning: true},
		{Policy: fsm.List{Name: "fixed:1s", Gaps: []time.Duration{time.Second}}, DBOpen: 0},
		{Policy: fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterFull}}, withTimeout(10 * time.Second)}
}

// A Monitor with a prefix gives Check's verdict on every trace, byte for
// byte (messages and record indexes included): the tests' traces and
// random mutations of them, each with prefixes of several lengths, and
// the traces that begin with the prefix and go on otherwise (mutations
// of the rest), the traces that do not, and the prefix alone; and
// CheckBegun's on those that begin with it. One
// Monitor per configuration checks them all in turn, so each resumes
// over the state the trace before it left.
func TestPrefixSameVerdicts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	bases := baseTraces(t)
	mutations := 60
	if testing.Short() {
		mutations = 10
	}
	for _, cfg := range prefixConfigs() {
		m := NewMonitor(cfg)
		checked, hits := 0, 0
		for bi, base := range bases {
			for k := range mutations {
				recs := base
				if k > 0 {
					recs = mutate(rng, base, 1+rng.IntN(3))
				}
				at := rng.IntN(len(recs) + 1)
				if k%4 == 0 {
					at = min(len(recs), 1+rng.IntN(6)) // an opening's length
				}
				m.SetPrefix(recs[:at])
				others := [][]trace.Record{recs, recs[:at], bases[(bi+1)%len(bases)],
					append(slices.Clone(recs[:at]), mutate(rng, recs[at:], 1+rng.IntN(3))...)}
				for j, x := range others {
					want := Check(cfg, x)
					h := PrefixHits(m)
					got := m.Check(x)
					if !slices.Equal(got, want) {
						t.Fatalf("cfg %+v, trace %d, prefix of %d: %v, Check %v\n%s", cfg, bi, at, got, want, dump(x))
					}
					checked++
					hits += PrefixHits(m) - h
					if j != 2 { // it begins with the prefix: CheckBegun's too
						if got := m.CheckBegun(x); !slices.Equal(got, want) {
							t.Fatalf("cfg %+v, trace %d, prefix of %d: CheckBegun %v, Check %v\n%s", cfg, bi, at, got, want, dump(x))
						}
					}
				}
			}
		}
		t.Logf("cfg %+v: %d traces, %d resumed from the prefix", cfg, checked, hits)
		if hits*4 < checked {
			t.Errorf("cfg %+v: %d of %d traces resumed from the prefix: too few to tell", cfg, hits, checked)
		}
	}
}

// dump is recs as JSON Lines, numbered.
func dump(recs []trace.Record) string {
	s := ""
	for i := range recs {
		s += fmt.Sprintf("%d: %s\n", i, trace.AppendJSON(nil, &recs[i]))
	}
	return s
}

// A trace that differs from the prefix inside it (one field of one
// record), or that is shorter than it, is checked from the start: it is
// not resumed, and its violations inside the prefix's records are
// reported (a resumed check would miss them).
func TestPrefixDivergingTraceFromStart(t *testing.T) {
	cfg := fixtureConfig()
	recs := parseTrace(t, happy)
	if len(Check(cfg, recs)) != 0 {
		t.Fatal("the happy trace violates a property")
	}
	m := NewMonitor(cfg)
	n := min(len(recs)-1, 5)
	m.SetPrefix(recs[:n])
	if got := m.Check(recs); got != nil || PrefixHits(m) != 1 {
		t.Fatalf("the trace itself: %v, %d resumed, want none and 1", got, PrefixHits(m))
	}
	st := slices.IndexFunc(recs[:n], func(r trace.Record) bool { return r.Kind == trace.KStatus })
	if st < 0 {
		t.Fatal("no status record in the prefix")
	}
	bad := slices.Clone(recs)
	bad[st].Listeners++ // P7: the listeners told are not the listeners registered
	for _, x := range [][]trace.Record{bad, recs[:n-1], nil} {
		want := Check(cfg, x)
		if x != nil && len(want) == 0 {
			continue
		}
		got := m.Check(x)
		if !slices.Equal(got, want) || PrefixHits(m) != 1 {
			t.Errorf("%d records: %v, %d resumed; want %v, 1", len(x), got, PrefixHits(m), want)
		}
	}
	if got := Check(cfg, bad); len(got) == 0 || got[0].Index != st || got[0].Property != "P7" {
		t.Errorf("the diverging trace: %v, want P7 at record %d", got, st)
	}
}

// A change of parameters drops the prefix's state: the next trace that
// begins with it is checked against the new parameters, as is one after
// CopyFrom (which gives the copy the source's).
func TestPrefixConfigChange(t *testing.T) {
	recs, a, b := differingConfigs(t)
	m := NewMonitor(a)
	m.SetPrefix(recs[:len(recs)-1])
	for i, cfg := range []Config{a, b, a, b} {
		if i > 0 {
			m.SetConfig(&cfg)
		}
		if got, want := m.Check(recs), Check(cfg, recs); !slices.Equal(got, want) {
			t.Errorf("config %d: %v, want %v", i, got, want)
		}
	}
	if PrefixHits(m) != 4 {
		t.Errorf("%d traces resumed, want 4", PrefixHits(m))
	}
	src := NewMonitor(a)
	m.CopyFrom(src)
	if got, want := m.Check(recs), Check(a, recs); !slices.Equal(got, want) || PrefixHits(m) != 5 {
		t.Errorf("after CopyFrom: %v, %d resumed; want %v, 5", got, PrefixHits(m), want)
	}
	m.SetPrefix(nil)
	if m.Prefix() != nil || !slices.Equal(m.Check(recs), Check(a, recs)) || PrefixHits(m) != 5 {
		t.Errorf("no prefix: %d records, %d resumed", len(m.Prefix()), PrefixHits(m))
	}
}

// SetConfig with m's parameters keeps the prefix's state and the traces
// found passing: the same Config again, a copy, and one built again (its
// Policy a new value, deeply equal). Any other parameters drop them: a
// Policy of other gaps, another field, another Profile. Each trace gets
// Check's verdict.
func TestPrefixSameConfigKept(t *testing.T) {
	list := func(gaps ...time.Duration) fsm.Policy { return fsm.List{Name: "fixed", Gaps: gaps} }
	a := fixtureConfig()
	a.Policy = list(time.Second, 2*time.Second)
	recs := parseTrace(t, happy)
	if len(Check(a, recs)) != 0 {
		t.Fatal("the happy trace violates a property")
	}
	m := NewMonitor(a)
	m.SetPrefix(recs[:4])
	other := func(f func(c *Config)) Config {
		c := a
		f(&c)
		return c
	}
	for i, c := range []struct {
		cfg  Config
		same bool
	}{
		{a, true},
		{other(func(c *Config) {}), true},
		{other(func(c *Config) { c.Policy = list(time.Second, 2*time.Second) }), true},
		{other(func(c *Config) { c.Policy = list(time.Second, 3*time.Second) }), false},
		{other(func(c *Config) { c.DBOpen++ }), false},
		{other(func(c *Config) { c.Profile = fsm.ProfileWeb }), false},
		{a, false},
	} {
		m.Check(recs) // ready, and recs found passing
		memo := m.pre.memoHits
		m.SetConfig(&c.cfg)
		if m.pre.ready != c.same {
			t.Errorf("config %d: the prefix's state kept %v, want %v", i, m.pre.ready, c.same)
		}
		if got, want := m.Check(recs), Check(c.cfg, recs); !slices.Equal(got, want) {
			t.Errorf("config %d: %v, want %v", i, got, want)
		}
		if found := m.pre.memoHits > memo; found != c.same {
			t.Errorf("config %d: the passing trace found %v, want %v", i, found, c.same)
		}
	}
}

// differingConfigs returns a test trace and two of prefixConfigs under
// which its prefix but its last record already has different verdicts.
func differingConfigs(t *testing.T) ([]trace.Record, Config, Config) {
	cfgs := prefixConfigs()
	for _, recs := range baseTraces(t) {
		for _, a := range cfgs {
			for _, b := range cfgs {
				if len(recs) > 1 && !slices.Equal(Check(a, recs[:len(recs)-1]), Check(b, recs[:len(recs)-1])) {
					return recs, a, b
				}
			}
		}
	}
	t.Fatal("no trace tells two configurations apart")
	return nil, Config{}, Config{}
}

// A prefix that queues a P6 wait (a failure under a Policy) is not
// resumed from (restore does not copy the queue), and its traces get
// Check's verdict.
func TestPrefixWithWaitFromStart(t *testing.T) {
	cfg := Config{Policy: fsm.List{Name: "fixed:1s", Gaps: []time.Duration{time.Second}}, DBOpen: 0}
	recs := parseTrace(t, reconnects)
	m := NewMonitor(cfg)
	for n := 1; n <= len(recs); n++ {
		m.SetPrefix(recs[:n])
		h := PrefixHits(m)
		if got, want := m.Check(recs), Check(cfg, recs); !slices.Equal(got, want) {
			t.Fatalf("prefix of %d: %v, want %v", n, got, want)
		}
		if waits := m.pre.snap.dues.used > 0; waits == (PrefixHits(m) > h) {
			t.Errorf("prefix of %d: waits queued %v, resumed %v", n, waits, PrefixHits(m) > h)
		}
	}
}

// restore knows every field of Monitor: a field added to Monitor must be
// restored there (or said why not), then named here; so must a field of
// idTable (restore's own copy).
func TestPrefixRestoreCoversFields(t *testing.T) {
	known := map[reflect.Type][]string{
		reflect.TypeFor[Monitor](): {"cfg", "mask", "n", "over", "lastT", "endIdx", "endReason", "endT", "devIdx", "devs", "callIdx",
			"calls", "cold", "dcold", "rejects", "listeners", "sessions", "msg", "dues", "overdue", "att", "edges", "out", "pre"},
		reflect.TypeFor[idTable](): {"direct", "big", "lim"},
	}
	for typ, names := range known {
		for i := range typ.NumField() {
			if f := typ.Field(i).Name; !slices.Contains(names, f) {
				t.Errorf("%s.%s: restore (prefix.go) does not know it", typ.Name(), f)
			}
		}
	}
}

// A Record has no padding: its fields' sizes add up to its size, so
// records equal field by field are equal as bytes (prefix.begins).
func TestRecordHasNoPadding(t *testing.T) {
	typ := reflect.TypeFor[trace.Record]()
	sum := uintptr(0)
	for i := range typ.NumField() {
		sum += typ.Field(i).Type.Size()
	}
	if sum != typ.Size() {
		t.Errorf("trace.Record: fields of %d B in %d B", sum, typ.Size())
	}
}

// Resuming from a prefix allocates nothing once warm: restored (two
// passing traces of one length in turn, each replacing the other as the
// one remembered) or found passed.
func TestPrefixDoesNotAllocate(t *testing.T) {
	recs := parseTrace(t, happy)
	other := slices.Clone(recs)
	other[len(other)-1].T += time.Millisecond
	m := NewMonitor(fixtureConfig())
	m.SetPrefix(recs[:4])
	for _, x := range [][]trace.Record{recs, other} {
		if vs := m.Check(x); vs != nil {
			t.Fatalf("%v", vs)
		}
	}
	restored := func() {
		m.Check(recs)
		m.Check(other)
	}
	if n := testing.AllocsPerRun(100, restored); n != 0 || m.pre.hits < 200 {
		t.Errorf("%v allocations per two checks, %d restored", n, m.pre.hits)
	}
	if n := testing.AllocsPerRun(100, func() { m.Check(other) }); n != 0 || m.pre.memoHits < 100 {
		t.Errorf("%v allocations per check, %d found passed", n, m.pre.memoHits)
	}
}

// The memo compares every byte after the prefix: a trace that differs
// from the passed one of its length only in the first or the last byte
// of one record after the prefix is observed, not found passed, whatever
// the prefix's length (compareAt moves where the comparison begins); and
// compareAt never begins after the prefix.
func TestPrefixPassedComparesEveryByte(t *testing.T) {
	size := int(unsafe.Sizeof(trace.Record{}))
	for n := range memoLen {
		for k := 0; k <= n; k++ {
			if at := int(compareAt(n, k)); at > k*size || at < 0 || at > 0 && (n*size-at)%64 != 0 {
				t.Fatalf("compareAt(%d, %d) = %d", n, k, at)
			}
		}
	}
	recs := parseTrace(t, happy)
	m := NewMonitor(fixtureConfig())
	tried := 0
	for k := 1; k < len(recs); k++ {
		m.SetPrefix(recs[:k])
		for i := k; i < len(recs); i++ {
			for _, change := range []func(r *trace.Record){
				func(r *trace.Record) { r.T++ },            // its first byte
				func(r *trace.Record) { r.Push = !r.Push }, // its last
			} {
				x := slices.Clone(recs)
				change(&x[i])
				m.Check(recs)
				hits := m.pre.memoHits
				m.Check(recs)
				if m.pre.memoHits != hits+1 {
					t.Fatalf("prefix of %d: the same trace again not found passed", k)
				}
				if m.Check(x); m.pre.memoHits != hits+1 {
					t.Fatalf("prefix of %d: a trace changed in record %d found passed", k, i)
				}
				tried++
			}
		}
	}
	if tried == 0 {
		t.Error("no trace changed: the test tests nothing")
	}
}

// A trace equal to one that passed is found passed; one that differs
// from it in a byte, or failed, is observed; a change of parameters
// forgets what passed.
func TestPrefixPassedTraces(t *testing.T) {
	recs, a, b := differingConfigs(t)
	m := NewMonitor(a)
	m.SetPrefix(recs[:1])
	for round, cfg := range []Config{a, a, b, b, a} {
		if round > 0 {
			m.SetConfig(&cfg)
		}
		for _, x := range [][]trace.Record{recs, recs[:len(recs)-1], recs, recs[:len(recs)-1]} {
			h, mh := m.pre.hits, m.pre.memoHits
			want := Check(cfg, x)
			if got := m.Check(x); !slices.Equal(got, want) {
				t.Fatalf("round %d, %d records: %v, want %v", round, len(x), got, want)
			}
			found := m.pre.memoHits > mh
			if found == (m.pre.hits > h) || (found && len(want) > 0) {
				t.Fatalf("round %d, %d records: restored %v, found passed %v, %d violations", round, len(x), m.pre.hits > h, found, len(want))
			}
		}
	}
	if m.pre.memoHits == 0 {
		t.Error("no trace found passed: the test tests nothing")
	}
}

// PrefixHits returns the traces m resumed from its prefix so far,
// restored or found passed (for the rapid checks, package
// properties_test, too).
func PrefixHits(m *Monitor) int {
	if m.pre == nil {
		return 0
	}
	return m.pre.hits + m.pre.memoHits
}

// A memo that finds fewer than one trace in memoMinShare over a window
// sits out the next memoRest traces and then tries again; one that finds
// them stays on; the verdicts are the same either way.
func TestPrefixMemoSitsOut(t *testing.T) {
	recs := parseTrace(t, happy)
	m := NewMonitor(fixtureConfig())
	m.SetPrefix(recs[:4])
	x := slices.Clone(recs)
	// Never repeating: each trace's end a millisecond later.
	for i := range memoWindow {
		x[len(x)-1].T += time.Millisecond
		if vs := m.Check(x); vs != nil {
			t.Fatalf("trace %d: %v", i, vs)
		}
	}
	if m.pre.rest != memoRest || m.pre.memoHits != 0 {
		t.Fatalf("after %d traces that never repeat: sits out %d, found %d; want %d, 0", memoWindow, m.pre.rest, m.pre.memoHits, memoRest)
	}
	for range memoRest {
		if vs := m.Check(recs); vs != nil {
			t.Fatal(vs)
		}
	}
	if m.pre.memoHits != 0 || m.pre.rest != 0 {
		t.Fatalf("sitting out: found %d, %d left to sit out", m.pre.memoHits, m.pre.rest)
	}
	// Back on: the same trace again and again is found.
	for range 2 * memoWindow {
		if vs := m.Check(recs); vs != nil {
			t.Fatal(vs)
		}
	}
	if m.pre.rest != 0 || m.pre.memoHits < 2*memoWindow-2 {
		t.Fatalf("repeating traces: sits out %d, found %d of %d", m.pre.rest, m.pre.memoHits, 2*memoWindow)
	}
}

// CheckBegun gives Check's verdict on a trace that begins with the
// prefix, resumed from it, and falls back to Check with no prefix or on
// a trace shorter than it (the caller's guarantee cannot hold there).
func TestCheckBegun(t *testing.T) {
	cfg := fixtureConfig()
	recs := parseTrace(t, happy)
	bad := slices.Clone(recs)
	st := slices.IndexFunc(bad, func(r trace.Record) bool { return r.Kind == trace.KStatus })
	if st < 0 || st+1 >= len(bad) {
		t.Fatal("no status record before the happy trace's last")
	}
	bad[st].Listeners++ // P7
	m := NewMonitor(cfg)
	for _, x := range [][]trace.Record{recs, bad, bad[:st+1], nil} {
		if got, want := m.CheckBegun(x), Check(cfg, x); !slices.Equal(got, want) {
			t.Errorf("no prefix, %d records: %v, want %v", len(x), got, want)
		}
	}
	m.SetPrefix(bad[:st+2])
	for i, x := range [][]trace.Record{bad, bad[:st+1], nil} {
		h, resumes := PrefixHits(m), 0
		if i == 0 {
			resumes = 1
		}
		if got, want := m.CheckBegun(x), Check(cfg, x); !slices.Equal(got, want) || PrefixHits(m)-h != resumes {
			t.Errorf("prefix of %d, %d records: %v, %d resumed; want %v", st+2, len(x), got, PrefixHits(m)-h, want)
		}
	}
	if len(Check(cfg, bad)) == 0 {
		t.Error("the changed trace keeps every property: the test tests nothing")
	}
}

// TestSetConfigPolicyChangedInPlace: a List's gaps changed in place (its
// copies share their array) and passed to SetConfig again are other
// parameters: the Monitor drops its prefix's state and its memo, and
// judges by the new gaps. So does a Backoff over such a List. It fails
// if the Monitor keeps the caller's array (ownPolicy) or compares the
// Policies by identity alone.
func TestSetConfigPolicyChangedInPlace(t *testing.T) {
	recs := parseTrace(t, happy)
	for _, wrap := range []func(fsm.List) fsm.Policy{
		func(l fsm.List) fsm.Policy { return l },
		func(l fsm.List) fsm.Policy { return fsm.Backoff{Base: l, Jitter: fsm.JitterFull} },
	} {
		gaps := []time.Duration{time.Second, 2 * time.Second}
		cfg := fixtureConfig()
		cfg.Policy = wrap(fsm.List{Name: "fixed", Gaps: gaps})
		m := NewMonitor(cfg)
		m.SetPrefix(recs[:4])
		m.Check(recs)
		m.SetConfig(&cfg)
		if !m.pre.ready {
			t.Fatalf("%v: the same Config again dropped the prefix's state", cfg.Policy)
		}
		gaps[1] = 3 * time.Second
		m.SetConfig(&cfg)
		if m.pre.ready {
			t.Errorf("%v: gaps changed in place kept the prefix's state", cfg.Policy)
		}
		if _, hi := m.cfg.Policy.Bounds(2); hi != 3*time.Second {
			t.Errorf("%v: the Monitor judges by the old gaps (the longest second gap %v)", cfg.Policy, hi)
		}
	}
}
