package fsm

import (
	"fmt"
	"time"
)

// DefaultSchedule is the reconnection schedule of spec section 5.5: after
// transient failure number k of a streak the next attempt starts after
// DefaultSchedule[k-1]; the last interval repeats.
var DefaultSchedule = []time.Duration{
	50 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
	16 * time.Second, 32 * time.Second, 64 * time.Second,
}

// Config holds the client-side model parameters (spec section 11).
type Config struct {
	AttemptTimeout time.Duration   // an attempt with no answer by then fails transiently (default 5s)
	DBOpen         time.Duration   // how long opening the local database takes (default 20ms)
	HBInterval     time.Duration   // from the last pong to the next ping (default 15s)
	HBTimeout      time.Duration   // how long a ping waits for its pong (default 15s)
	HBMisses       int             // consecutive missed pongs that mean the connection is lost (default 2)
	Schedule       []time.Duration // reconnection schedule (default DefaultSchedule)
	// Quirks switches documented hazards on (spec section 9); none by
	// default. See QuirkList.
	Quirks Quirks
	// Table is the status machine the client moves along (nil: DefaultTable,
	// the machine of Edges).
	Table *Table
}

// DefaultConfig returns the defaults of spec section 11.
func DefaultConfig() Config {
	return Config{
		AttemptTimeout: 5 * time.Second,
		DBOpen:         20 * time.Millisecond,
		HBInterval:     15 * time.Second,
		HBTimeout:      15 * time.Second,
		HBMisses:       2,
		Schedule:       DefaultSchedule,
	}
}

// Validate returns a one-line error naming the CLI flag and its accepted
// range, or nil.
func (c Config) Validate() error {
	switch {
	case c.AttemptTimeout <= 0:
		return fmt.Errorf("--attempt-timeout must be > 0 (got %v)", c.AttemptTimeout)
	case c.DBOpen < 0:
		return fmt.Errorf("--db-open must be >= 0 (got %v)", c.DBOpen)
	case c.HBInterval <= 0:
		return fmt.Errorf("--hb-interval must be > 0 (got %v)", c.HBInterval)
	case c.HBTimeout <= 0:
		return fmt.Errorf("--hb-timeout must be > 0 (got %v)", c.HBTimeout)
	case c.HBMisses < 1 || c.HBMisses > 100:
		return fmt.Errorf("--hb-misses must be between 1 and 100 (got %d)", c.HBMisses)
	case len(c.Schedule) == 0:
		return fmt.Errorf("schedule must have at least one interval")
	}
	for _, d := range c.Schedule {
		if d < 0 {
			return fmt.Errorf("schedule intervals must be >= 0 (got %v)", d)
		}
	}
	return nil
}

// Interval returns the wait after transient failure number k (k >= 1) of a
// streak: Schedule[k-1], or the last interval for every later failure.
func (c Config) Interval(k int) time.Duration {
	if k < 1 {
		k = 1
	}
	if k > len(c.Schedule) {
		k = len(c.Schedule)
	}
	return c.Schedule[k-1]
}
