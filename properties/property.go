package properties

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
)

// Config holds the model parameters some checkers need.
type Config struct {
	// Policy is the reconnection policy (P6): after counted failure k of a
	// streak the next attempt starts Policy's gap later, exactly for a
	// deterministic policy, within Policy.Bounds(k) for a jittered one.
	// nil: P6 is not checked. Usually fsm.Config.Backoff().
	Policy fsm.Policy
	// DBOpen is how long opening the local database takes (P4): an
	// accepted call gets onDatabaseOpened no later than DBOpen after its
	// Connect (the device's stored token) or after its onSuccess (a new
	// token). Negative: P4 checks order and count only, not time.
	DBOpen time.Duration
	// Returning: each device starts the trace with a stored token (P4's
	// database rule), the token of its first Connect call record, as a
	// trace cut from a device's later life (a real SDK's log of a user who
	// logged in before) does. false: each device starts as a fresh
	// install, as every simulated trial does.
	Returning bool
	// Tolerance is how far a time may deviate from the one the contract
	// gives, for logs whose timestamps jitter: P2's 34006 (exactly at the
	// limit) and terminal callback (by the limit), P4's deadline and P6's
	// attempt starts (exactly one interval after the failure) accept a
	// deviation of up to Tolerance. Zero (the default): exact times.
	Tolerance time.Duration
	// Profile is the platform whose contract the trace keeps (nil:
	// android): its status machine (P7), whether Connect opens a database
	// (P4), and how its schedule reacts to losses and the environment (P6).
	Profile *fsm.Profile

	// MultiDeviceSync is the server's multi-device sync switch (P15): on,
	// every device of a user needs every message; off (the vendor's
	// default, and the weaker reading), one device of the user suffices.
	MultiDeviceSync bool
	// Retention is how long the server keeps a stored message (P15): one
	// sent longer ago than that and never dropped must have been shown.
	// <= 0: forever (that clause is not checked).
	Retention time.Duration
	// IdleTimeout is the server's idle timeout (P17): a session the
	// server holds for a silent device must close within IdleTimeout +
	// HBInterval + MaxDelay + Tolerance of the device's last record that
	// can send. <= 0: P17 is not checked.
	IdleTimeout time.Duration
	// HBInterval is the heartbeat interval, P17's slack.
	HBInterval time.Duration
	// MaxDelay bounds how long a device's message takes to reach the
	// server (P17): 0 assumes it is below HBInterval.
	MaxDelay time.Duration
	// MultiMobile: several mobile devices of a user may be online at once
	// (sim --multi-mobile on), so P10 holds for the other platform classes
	// only.
	MultiMobile bool

	// The attempt's anatomy (P20, P21; docs/model.md "The attempt's
	// anatomy"). AttemptTimeout bounds an attempt (P20: the client's
	// fsm.Config.AttemptTimeoutFor; per socket on a profile with
	// SocketTimer under attempt full); <= 0: P20 is not checked.
	// NaviTimeout bounds a navi step. Attempt says whether attempts are
	// steps (AttemptFull: P21 checks their order; AttemptAuth: one auth
	// round trip, nothing for P21 to check); NaviTTL is how long a
	// navigation answer is reused, Servers how many servers it lists and
	// TLS how many TLS round trips follow a socket.
	AttemptTimeout time.Duration
	NaviTimeout    time.Duration
	NaviTTL        time.Duration
	Attempt        fsm.AttemptMode
	Servers        int
	TLS            int
}

// DefaultConfig returns the model defaults (spec sections 5.5, 11 and
// 12): policy rc (50ms, 250ms, 500ms, 1s, 2s, 4s, 8s, 16s, 32s, 64s);
// DBOpen 20ms; multi-device sync off; retention 7 days; the server's idle
// timeout auto (model.Params.ServerIdleTimeout: hb-interval +
// (hb-misses+1) x hb-timeout, 60s) and the heartbeat interval 15s;
// the attempt timeout 5s, the navigation timeout 10s and TTL 2h, one
// server, no TLS, and the core's attempt mode (fsm.DefaultConfig's; sim's
// default is model.DefaultParams').
func DefaultConfig() Config {
	c := fsm.DefaultConfig()
	return Config{Policy: c.Backoff(), DBOpen: c.DBOpen,
		Retention:      model.DefaultMsgParams().Retention,
		IdleTimeout:    model.Params{Client: c}.ServerIdleTimeout(),
		HBInterval:     c.HBInterval,
		AttemptTimeout: c.AttemptTimeoutFor(), NaviTimeout: c.NaviTimeout, NaviTTL: c.NaviTTL,
		Attempt: c.Attempt, Servers: c.Servers, TLS: c.TLS}
}

// gap returns the range of the wait after counted failure k (k >= 1) of a
// streak: one value for a deterministic policy. It is P6's one look at the
// schedule.
func (c Config) gap(k int) (lo, hi time.Duration) { return c.Policy.Bounds(max(k, 1)) }

// Checker checks one property over a trace and returns its violations in
// record order, nil if none.
type Checker func(cfg Config, recs []trace.Record) []Violation

// Property is one entry of the catalogue (spec section 10).
type Property struct {
	ID   string // "P1" .. "P22"
	Name string // the catalogue's short name, e.g. "silence after timeout"
	// Check checks the property over one trace. It is nil for P8, a
	// liveness property that needs the trial's inputs, and for P11, which
	// compares two traces (see Determinism).
	Check Checker
}

// names holds the catalogue's names, indexed by property number.
var names = [...]string{
	1:  "at most one terminal",
	2:  "time limit honoured",
	3:  "silence after timeout",
	4:  "database first, once",
	5:  "terminal means stop",
	6:  "schedule",
	7:  "legal statuses",
	8:  "eventually connected",
	9:  "misuse is contained",
	10: "one session per user and platform",
	11: "determinism",
	12: "no result after Disconnect",
	13: "a second concurrent Connect never succeeds",
	14: "every accepted call ends",
	15: "messages once and in order",
	16: "push only to an offline user's last device",
	17: "the server closes a dead session",
	18: "no status message is stored",
	19: "a refused call stays silent",
	20: "an attempt ends within its timeout",
	21: "an attempt's steps in order",
	22: "a transient failure never reaches onError",
}

// Catalogue lists the properties of spec section 10 in order, then those
// that close its gaps (P12-P14, issue 8; see ends.go), then those of
// messages, push and server liveness (P15-P18, issue 15; see messages.go
// and idle.go) and the rest of names; each property in allTrace has its
// trace checker.
var Catalogue = func() []Property {
	out := make([]Property, len(names)-1)
	for n := 1; n < len(names); n++ {
		out[n-1] = Property{ID: "P" + strconv.Itoa(n), Name: names[n]}
		if allTrace&(1<<n) != 0 {
			out[n-1].Check = only(uint(n))
		}
	}
	return out
}()

// Each CheckPn checks property Pn alone over a whole trace (a Monitor that
// reports only Pn).
var (
	CheckP1  = only(1)
	CheckP2  = only(2)
	CheckP3  = only(3)
	CheckP4  = only(4)
	CheckP5  = only(5)
	CheckP6  = only(6)
	CheckP7  = only(7)
	CheckP9  = only(9)
	CheckP10 = only(10)
	CheckP12 = only(12)
	CheckP13 = only(13)
	CheckP14 = only(14)
	CheckP15 = only(15)
	CheckP16 = only(16)
	CheckP17 = only(17)
	CheckP18 = only(18)
	CheckP19 = only(19)
	CheckP20 = only(20)
	CheckP21 = only(21)
	CheckP22 = only(22)
)

// TraceRange names the properties with a trace checker, runs of three or
// more as a range: "P1-P7, P9, P10, P12-P22".
func TraceRange() string {
	var out []string
	var run []int // consecutive numbers with a checker
	flush := func() {
		if len(run) >= 3 {
			out = append(out, fmt.Sprintf("P%d-P%d", run[0], run[len(run)-1]))
		} else {
			for _, n := range run {
				out = append(out, fmt.Sprintf("P%d", n))
			}
		}
		run = run[:0]
	}
	for _, p := range Catalogue { // numbered 1, 2, ... in order
		if p.Check == nil {
			flush()
			continue
		}
		run = append(run, number(p.ID))
	}
	flush()
	return strings.Join(out, ", ")
}

// only returns the checker of property Pn.
func only(n uint) Checker {
	return func(cfg Config, recs []trace.Record) []Violation { return checkMask(cfg, recs, 1<<n) }
}

// Name returns the catalogue name of property id ("P3" -> "silence after
// timeout"), or "" for an unknown id.
func Name(id string) string {
	if n := number(id); n > 0 {
		return names[n]
	}
	return ""
}

// number returns n for "Pn" with 1 <= n <= 22, else 0.
func number(id string) int {
	if len(id) < 2 || len(id) > 3 || id[0] != 'P' {
		return 0
	}
	n := 0
	for i := 1; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0
		}
		n = n*10 + int(id[i]-'0')
	}
	if n >= len(names) {
		return 0
	}
	return n
}

// Check runs every trace checker of the catalogue (P1-P7, P9, P10, P12-P22) over a
// whole trace and returns their violations ordered by record index, then
// property number; nil when the trace keeps every property. It feeds a
// Monitor (from a pool, so it does not allocate on a passing trace of a
// few devices and calls once warm) and returns a copy of its verdict.
func Check(cfg Config, recs []trace.Record) []Violation { return checkMask(cfg, recs, allTrace) }

var monitors = sync.Pool{New: func() any { return newMonitor(Config{}, 0) }}

func checkMask(cfg Config, recs []trace.Record, mask uint32) []Violation {
	m := monitors.Get().(*Monitor)
	m.mask = mask
	var out []Violation
	if vs := m.CheckTrace(cfg, recs); len(vs) > 0 {
		out = slices.Clone(vs)
	}
	m.cfg = Config{Policy: m.cfg.Policy} // its own copy (ownPolicy): the next Check of the same gaps copies none
	monitors.Put(m)
	return out
}

// CheckTrace checks m's properties over a whole trace with parameters cfg
// (from now on m's): Reset, Observe of each record, Finish (or, for a
// trace that begins with m's prefix, SetPrefix, the same from the state
// the prefix leaves). The returned
// slice is m's, valid until its next Reset. A driver of many trials that
// keeps one Monitor checks each with no allocation once warm.
func (m *Monitor) CheckTrace(cfg Config, recs []trace.Record) []Violation {
	m.setConfig(&cfg)
	return m.Check(recs)
}

// SetConfig makes *cfg m's parameters from its next trace on (as
// NewMonitor's or CheckTrace's cfg). Parameters the same as m's
// (sameConfig) change nothing: m keeps the state its prefix leaves and
// the traces it found passing (SetPrefix), which other parameters drop.
func (m *Monitor) SetConfig(cfg *Config) {
	if !sameConfig(&m.cfg, cfg) {
		m.setConfig(cfg)
	}
}

// sameConfig reports whether a and b are the same parameters: their
// fields but Policy equal (Profile the same pointer), and their Policies
// the same gaps (samePolicy). A Policy is a value, its gaps a function of
// its fields: equal Policies, equal verdicts. (Equal parameters it does
// not find equal, a Policy with a func field or a NaN, only cost
// observing the prefix again.)
func sameConfig(a, b *Config) bool {
	x, y := *a, *b
	x.Policy, y.Policy = nil, nil
	return x == y && samePolicy(a.Policy, b.Policy)
}

// Check is CheckTrace with m's parameters (NewMonitor's, or the last
// SetConfig's or CheckTrace's): a driver of many trials of one
// configuration sets it once, not per trace.
//
// A trace that begins with m's prefix (SetPrefix) is checked from the
// state the prefix leaves, with the same verdict.
func (m *Monitor) Check(recs []trace.Record) []Violation { return m.checkFrom(recs, false) }

// CheckBegun is Check of a trace that its caller knows begins with m's
// prefix, byte for byte: the records it gave SetPrefix, copied into the
// trace and not changed since (sim's World: a trial it restored from the
// opening it gave as the prefix). It skips Check's comparison of the
// trace's first records with the prefix. Given a trace that does not
// begin so, its verdict may be wrong: the caller's guarantee is the
// comparison's. With no prefix, or a trace shorter than it, it is Check.
func (m *Monitor) CheckBegun(recs []trace.Record) []Violation { return m.checkFrom(recs, true) }
