package properties

import (
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// Config holds the model parameters some checkers need.
type Config struct {
	// Schedule is the reconnection schedule (P6): after counted failure k
	// of a streak the next attempt starts Schedule[k-1] later; the last
	// value repeats. Empty: P6 is not checked.
	Schedule []time.Duration
	// DBOpen is how long opening the local database takes (P4): an
	// accepted call gets onDatabaseOpened no later than DBOpen after its
	// Connect. Negative: P4 checks order and count only, not time.
	DBOpen time.Duration
}

// DefaultConfig returns the model defaults (spec sections 5.5 and 11):
// schedule 50ms, 250ms, 500ms, 1s, 2s, 4s, 8s, 16s, 32s, 64s; DBOpen 20ms.
func DefaultConfig() Config {
	return Config{Schedule: slices.Clone(fsm.DefaultSchedule), DBOpen: 20 * time.Millisecond}
}

// interval returns the wait after counted failure k (k >= 1) of a streak.
func (c Config) interval(k int) time.Duration {
	return c.Schedule[min(max(k, 1), len(c.Schedule))-1]
}

// Checker checks one property over a trace and returns its violations in
// record order, nil if none.
type Checker func(cfg Config, recs []trace.Record) []Violation

// Property is one entry of the catalogue (spec section 10).
type Property struct {
	ID   string // "P1" .. "P11"
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
}

// Catalogue lists the properties of spec section 10 in order.
var Catalogue = []Property{
	{ID: "P1", Name: names[1], Check: CheckP1},
	{ID: "P2", Name: names[2], Check: CheckP2},
	{ID: "P3", Name: names[3], Check: CheckP3},
	{ID: "P4", Name: names[4], Check: CheckP4},
	{ID: "P5", Name: names[5], Check: CheckP5},
	{ID: "P6", Name: names[6], Check: CheckP6},
	{ID: "P7", Name: names[7], Check: CheckP7},
	{ID: "P8", Name: names[8], Check: nil},
	{ID: "P9", Name: names[9], Check: CheckP9},
	{ID: "P10", Name: names[10], Check: CheckP10},
	{ID: "P11", Name: names[11], Check: nil},
}

// Name returns the catalogue name of property id ("P3" -> "silence after
// timeout"), or "" for an unknown id.
func Name(id string) string {
	if n := number(id); n > 0 {
		return names[n]
	}
	return ""
}

// number returns n for "Pn" with 1 <= n <= 11, else 0.
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

// Check runs every trace checker of the catalogue (P1-P7, P9, P10) and
// returns their violations ordered by record index, then property number;
// nil when the trace keeps every property. It does not allocate on a
// passing trace of a few devices and calls.
func Check(cfg Config, recs []trace.Record) []Violation {
	var out []Violation
	for i := range Catalogue {
		if c := Catalogue[i].Check; c != nil {
			out = append(out, c(cfg, recs)...)
		}
	}
	if len(out) > 1 {
		slices.SortStableFunc(out, func(a, b Violation) int {
			if a.Index != b.Index {
				return a.Index - b.Index
			}
			return number(a.Property) - number(b.Property)
		})
	}
	return out
}
