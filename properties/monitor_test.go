package properties

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// DiffReference returns "" when the monitors' verdict vs on recs is the
// batch checkers' (reference_test.go), or when they may differ (see
// TestMonitorMatchesReference); else the difference. For the external
// tests (the rapid suite compares every trace it checks).
func DiffReference(cfg Config, recs []trace.Record, vs []Violation) string {
	if cfg.Profile.Or() != fsm.ProfileAndroid {
		return "" // the batch checkers predate the profiles: android's rules only
	}
	want := refCheck(cfg, recs)
	if d := sameVerdict(oldProperties(vs), want); d != "" && !lateRejection(want) && !dupCalls(recs) {
		return d
	}
	return ""
}

// sameVerdict returns "" when a and b are equal, else a report of the
// first difference.
func sameVerdict(a, b []Violation) string {
	if slices.Equal(a, b) {
		return ""
	}
	var sb strings.Builder
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i].String()
		}
		if i < len(b) {
			y = b[i].String()
		}
		mark := " "
		if x != y {
			mark = "!"
		}
		fmt.Fprintf(&sb, "%s monitor: %s\n  reference: %s\n", mark, x, y)
	}
	return sb.String()
}

// oldProperties returns vs without what the reference does not check:
// P12-P14 and P5's CONNECTED after a stop.
func oldProperties(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if number(v.Property) >= 12 || (v.Property == "P5" && strings.HasPrefix(v.Msg, "status ")) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// baseTraces are the hand-written traces of the tests.
func baseTraces(tb testing.TB) [][]trace.Record {
	var out [][]trace.Record
	for _, src := range []string{happy, timedOut, reconnects, stopped, rejected, twoDevices, benchTrace} {
		out = append(out, parseTrace(tb, src))
	}
	for _, tc := range propCases {
		if number(tc.prop) < 15 { // the reference knows no message or liveness property
			out = append(out, parseTrace(tb, tc.trace))
		}
	}
	return out
}

// TestMonitorMatchesReference checks the monitors against the batch
// checkers they replace, on the tests' traces and on many random
// mutations of them (records dropped, duplicated, retimed, renumbered,
// given other codes or statuses), with several parameter sets. The
// monitor decides a Connect call's acceptance at its device's next record
// where the batch checkers look ahead; the two may differ only on a trace
// where P9 reports that the rejection did not come at once.
func TestMonitorMatchesReference(t *testing.T) {
	cfgs := []Config{DefaultConfig(), {DBOpen: -1}, fixtureConfig(), {DBOpen: -1, Returning: true}, {Policy: fsm.List{Name: "fixed:1s", Gaps: []time.Duration{time.Second}}, DBOpen: 0}, {Policy: fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterFull}}}
	rng := rand.New(rand.NewPCG(1, 2))
	n, skipped := 0, 0
	mutations := 400
	if testing.Short() {
		mutations = 40
	}
	for _, base := range baseTraces(t) {
		for k := range mutations {
			recs := base
			if k > 0 {
				recs = mutate(rng, base, 1+rng.IntN(3))
			}
			for _, cfg := range cfgs {
				n++
				got, want := oldProperties(Check(cfg, recs)), refCheck(cfg, recs)
				if d := sameVerdict(got, want); d != "" {
					if lateRejection(want) || dupCalls(recs) {
						skipped++
						continue
					}
					var sb strings.Builder
					for i := range recs {
						fmt.Fprintf(&sb, "%d: %s\n", i, trace.AppendJSON(nil, &recs[i]))
					}
					t.Fatalf("cfg %+v: verdicts differ:\n%s\ntrace:\n%s", cfg, d, sb.String())
				}
			}
		}
	}
	t.Logf("%d traces checked, %d with a late rejection or duplicate call ids differ", n, skipped)
	if skipped*20 > n {
		t.Errorf("too many traces differ: %d of %d", skipped, n)
	}
}

// lateRejection reports whether vs holds P9's report of a rejection that
// did not come at once, or of a call rejected later.
func lateRejection(vs []Violation) bool {
	for _, v := range vs {
		if v.Property == "P9" && (strings.Contains(v.Msg, "came between") || strings.Contains(v.Msg, "rejected later") || strings.Contains(v.Msg, "exactly one callback")) {
			return true
		}
	}
	return false
}

// dupCalls reports whether a call record has no device, or two connect
// call records of recs share a call id (docs/properties.md asks for unique ids; the monitor then follows the newer
// call, the batch checkers both).
func dupCalls(recs []trace.Record) bool {
	seen := map[int32]bool{}
	for i := range recs {
		if r := &recs[i]; r.Kind == trace.KCall && r.Dev < 0 {
			return true // a call of no device: the reader refuses it
		}
		if r := &recs[i]; r.Kind == trace.KCall && r.Op == vocab.OpConnect {
			if seen[r.Call] {
				return true
			}
			seen[r.Call] = true
		}
	}
	return false
}

// mutate returns a copy of recs with k random changes, still sorted by
// time.
func mutate(rng *rand.Rand, recs []trace.Record, k int) []trace.Record {
	out := slices.Clone(recs)
	for range k {
		if len(out) == 0 {
			break
		}
		i := rng.IntN(len(out))
		r := &out[i]
		switch rng.IntN(9) {
		case 0:
			out = slices.Delete(out, i, i+1)
		case 1:
			out = slices.Insert(out, i, *r)
		case 2: // retime within its neighbours
			lo, hi := time.Duration(0), r.T+2*time.Second
			if i > 0 {
				lo = out[i-1].T
			}
			if i+1 < len(out) {
				hi = out[i+1].T
			}
			r.T = lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
		case 3:
			r.Call = int32(rng.IntN(4))
		case 4:
			r.Code = []fsm.Code{fsm.ConnectTimeout, fsm.ConnectionExist, fsm.ClientNotInit, fsm.ConnTokenExpire, 0}[rng.IntN(5)]
		case 5:
			r.Status = fsm.AllStatuses[rng.IntN(len(fsm.AllStatuses))]
		case 6:
			r.Dev = int32(rng.IntN(3)) - 1
		case 7: // swap with the next record, times kept in order
			if i+1 < len(out) {
				out[i], out[i+1] = out[i+1], out[i]
				out[i].T, out[i+1].T = out[i+1].T, out[i].T
			}
		case 8:
			r.Name = []vocab.Word{vocab.CbError, vocab.CbSuccess, vocab.CbDatabaseOpened}[rng.IntN(3)]
			r.Kind = trace.KCallback
		}
	}
	return out
}

// TestReserveThenObserve: a reserved monitor takes sessions like a fresh one.
func TestReserveThenObserve(t *testing.T) {
	m := NewMonitor(DefaultConfig())
	m.Reserve(4, 4)
	m.Observe(&trace.Record{Kind: trace.KSession, Dev: 1, Op: vocab.SessOpen, User: 1, Platform: vocab.PlatformMobile, Seq: 1})
	m.Observe(&trace.Record{Kind: trace.KSession, Dev: 1, Op: vocab.SessClose, User: 1, Platform: vocab.PlatformMobile, Seq: 1, Reason: vocab.CloseLogout.Word()})
	if vs := m.Finish(); len(vs) != 0 {
		t.Fatalf("violations: %v", vs)
	}
}

// TestFirstCallbackKept: P9's report of a rejected call's callback names
// the callback's record, time and device, whether the monitor keeps the
// callback as the call's first terminal one (cCbTerm) or in its
// callCold (a callback of another device, or a non-terminal one first).
func TestFirstCallbackKept(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"terminal, own device", `
			0     d0  call init
			0     d0  call connect 2
			0     d0  status CONNECTING
			0.01  d0  cb err 2 34001
			1     srv end settled`},
		{"terminal, another device", `
			0     d0  call init
			0     d1  call init
			0     d0  call connect 2
			0     d0  status CONNECTING
			0.01  d1  cb err 2 34001
			1     srv end settled`},
		{"not terminal first", `
			0     d0  call init
			0     d0  call connect 2
			0     d0  status CONNECTING
			0.01  d0  cb db 2
			0.02  d0  cb err 2 34001
			1     srv end settled`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := parseTrace(t, tc.src)
			m := NewMonitor(fixtureConfig())
			for i := range recs {
				m.Observe(&recs[i])
			}
			vs := m.Finish()
			var got *Violation
			for i, v := range vs {
				if v.Property == "P9" && strings.Contains(v.Msg, "exactly one callback") {
					got = &vs[i]
				}
			}
			if got == nil {
				t.Fatalf("no P9 report of the rejected call's callback: %v", vs)
			}
			cb := recs[got.Index]
			if cb.Kind != trace.KCallback || got.T != cb.T || got.Dev != cb.Dev || cb.Call != 2 {
				t.Errorf("P9 blames record %d (%+v) at t=%v dev %d: want the call's first callback's", got.Index, cb, got.T, got.Dev)
			}
			if want := Check(fixtureConfig(), recs); !slices.Equal(vs, want) {
				t.Errorf("monitor %v, Check %v", vs, want)
			}
		})
	}
}

// TestSilenceKeptAcrossIDs: a device silenced by call 2's 34006 stays
// silenced for call 2's callbacks when another device's connect call
// record takes the id 2 (the monitor keeps the silenced device in the
// call's callCold, cSil).
func TestSilenceKeptAcrossIDs(t *testing.T) {
	recs := parseTrace(t, `
		0  d0  call init
		0  d0  call connect 2
		0  d0  status CONNECTING
		0  d0  attempt start connect
		5  d0  cb err 2 34006
		6  d1  call init
		6  d1  call connect 2
		6  d1  status CONNECTING
		7  d1  cb ok 2
		9  srv end settled`)
	m := NewMonitor(fixtureConfig())
	for i := range recs {
		m.Observe(&recs[i])
	}
	vs, want := m.Finish(), Check(fixtureConfig(), recs)
	if !slices.ContainsFunc(want, func(v Violation) bool { return v.Property == "P3" && v.Index == 8 }) {
		t.Fatalf("Check finds no P3 at record 8: %v", want)
	}
	if !slices.Equal(vs, want) {
		t.Errorf("monitor %v, Check %v", vs, want)
	}
}

// TestMonitorReusedWithAnotherConfig: a Monitor computes what it takes
// from its parameters once per configuration (SetConfig, CheckTrace), not
// per trace; reused with another configuration, by CheckTrace or by
// SetConfig and Check, it gives each trace a fresh monitor's verdict.
func TestMonitorReusedWithAnotherConfig(t *testing.T) {
	web := DefaultConfig()
	web.Profile = fsm.ProfileWeb
	full := DefaultConfig()
	full.Attempt, full.AttemptTimeout, full.NaviTimeout = fsm.AttemptFull, 2*time.Second, time.Second
	short := full
	short.Profile, short.AttemptTimeout, short.IdleTimeout = fsm.ProfileIOS, time.Millisecond, time.Second
	cfgs := []Config{DefaultConfig(), web, full, short, {DBOpen: -1}}
	m := NewMonitor(cfgs[0])
	n := 0
	for _, recs := range baseTraces(t) {
		for i, cfg := range cfgs {
			want := slices.Clone(NewMonitor(cfg).CheckTrace(cfg, recs))
			var got []Violation
			if i%2 == 0 {
				got = m.CheckTrace(cfg, recs)
			} else {
				m.SetConfig(&cfg)
				got = m.Check(recs)
			}
			if d := sameVerdict(got, want); d != "" {
				t.Fatalf("cfg %d: a reused monitor's verdict differs from a fresh one's:\n%s", i, d)
			}
			n += len(want)
		}
	}
	if n == 0 {
		t.Error("no violation on any trace: the comparison tells nothing")
	}
}
