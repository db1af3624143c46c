package fsm

import (
	"fmt"
	"time"
)

// DefaultSchedule is the reconnection schedule of spec section 5.5, the
// gaps of policy RC: after transient failure number k of a streak the next
// attempt starts after DefaultSchedule[k-1]; the last interval repeats.
// Read it through a Policy (Config.Backoff), never copy it.
var DefaultSchedule = []time.Duration{
	50 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
	16 * time.Second, 32 * time.Second, 64 * time.Second,
}

// Config holds the client-side model parameters (spec section 11).
type Config struct {
	AttemptTimeout time.Duration // an attempt with no answer by then fails transiently (default 5s)
	DBOpen         time.Duration // how long opening the local database takes (default 20ms)
	DBOpenError    float64       // probability that opening the database fails: onDatabaseOpened(DATABASE_OPEN_ERROR) (default 0)
	HBInterval     time.Duration // from the last pong to the next ping (default 15s)
	HBTimeout      time.Duration // how long a ping waits for its pong (default 15s)
	HBMisses       int           // consecutive missed pongs that mean the connection is lost (default 2)
	// Policy is the reconnection policy (default RC, the schedule of spec
	// 5.5) and Jitter the jitter on top of it (default none); Backoff
	// combines them. nil Policy means RC.
	Policy Policy
	Jitter Jitter
	// Quirks switches documented hazards on (spec section 9); none by
	// default. See QuirkList.
	Quirks Quirks
	// API is the app's binding: the native SDK (default: Connect refused
	// at once gets onError) or a wrapper SDK (Flutter, React Native,
	// uni-app: connect returns a code at once, and a non-zero code means
	// no callback).
	API API
	// Table is the status machine the client moves along (nil: the
	// profile's machine).
	Table *Table
	// Profile is the platform the client models (nil: ProfileAndroid); see
	// docs/profiles.md.
	Profile *Profile
	// BgDisconnectAfter: after this long in the background the SDK closes
	// its connection and makes no attempt until the app returns to the
	// foreground (iOS IMKit: 2 min); 0: never.
	BgDisconnectAfter time.Duration
	// BgSuspendAfter: after this long in the background the OS freezes the
	// app's process: no traffic, no attempt, no heartbeat until the
	// foreground (Android may); 0: never.
	BgSuspendAfter time.Duration

	// The attempt's anatomy (fsm/anatomy.go, docs/model.md). Attempt
	// says what one attempt is: AttemptAuth (the default) one auth round
	// trip; AttemptFull the navigation request (skipped while the client
	// holds a fresh answer for the call's token), a socket to each listed
	// server in turn until one opens, TLS round trips, then auth.
	Attempt AttemptMode
	// NaviTimeout bounds the navigation step (default 10 s, the web
	// engine's XHR timeout); the attempt timeout still bounds the whole
	// attempt.
	NaviTimeout time.Duration
	// NaviTTL is how long a navigation answer is reused for the same
	// token (default 2 h, the web engine's cache).
	NaviTTL time.Duration
	// TLS is the number of TLS round trips after the socket opens (0:
	// plain ws or TCP; 1: TLS 1.3; 2: TLS 1.2).
	TLS int
	// Servers is how many IM servers the navigation answer lists (default
	// 1); an attempt tries their sockets in order.
	Servers int
	// Returning: the device is a returning user's. At its first Connect
	// it already holds the navigation answer for that call's token
	// (fresh for NaviTTL) and that token's database (the database rule's
	// stored token, as properties.Config.Returning reads a trace);
	// otherwise it is a first visit (a fresh install).
	Returning bool
	// IPCDownFor: how long the link to the SDK's connection process stays
	// down after it breaks (ipc_disconnect) until the SDK has bound the
	// process again; 0: the break is instant, as before (docs/profiles.md,
	// "What reaches the app"). Only for a profile with an IPC process.
	IPCDownFor time.Duration
	// NativeLibMissing: the SDK's native library for the device's CPU is
	// missing, on every device (a scenario device can say so alone): every
	// Connect gets IPC_DISCONNECT (-2) at once, for good. Only for a
	// profile with an IPC process.
	NativeLibMissing bool
}

// DefaultConfig returns the defaults of spec section 11.
func DefaultConfig() Config {
	return Config{
		AttemptTimeout: 5 * time.Second,
		DBOpen:         20 * time.Millisecond,
		HBInterval:     15 * time.Second,
		HBTimeout:      15 * time.Second,
		HBMisses:       2,
		Policy:         RC,
		NaviTimeout:    10 * time.Second,
		NaviTTL:        2 * time.Hour,
		Servers:        1,
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
	case !(c.DBOpenError >= 0 && c.DBOpenError <= 1):
		return fmt.Errorf("--db-open-error must be between 0 and 1 (got %v)", c.DBOpenError)
	case c.HBInterval <= 0:
		return fmt.Errorf("--hb-interval must be > 0 (got %v)", c.HBInterval)
	case c.HBTimeout <= 0:
		return fmt.Errorf("--hb-timeout must be > 0 (got %v)", c.HBTimeout)
	case c.HBMisses < 1 || c.HBMisses > 100:
		return fmt.Errorf("--hb-misses must be between 1 and 100 (got %d)", c.HBMisses)
	case c.BgDisconnectAfter < 0:
		return fmt.Errorf("--bg-disconnect-after must be >= 0, 0 meaning never (got %v)", c.BgDisconnectAfter)
	case c.BgDisconnectAfter > 0 && !c.Profile.HasEdge(EvBackground):
		return fmt.Errorf("--bg-disconnect-after needs a profile whose SDK disconnects in the background (ios); profile %s has none", c.Profile.Or().Name)
	case c.BgSuspendAfter < 0:
		return fmt.Errorf("--bg-suspend-after must be >= 0, 0 meaning never (got %v)", c.BgSuspendAfter)
	case c.Attempt > AttemptFull:
		return fmt.Errorf("--attempt must be auth or full (got %v)", c.Attempt)
	case c.NaviTimeout <= 0:
		return fmt.Errorf("--navi-timeout must be > 0 (got %v)", c.NaviTimeout)
	case c.NaviTTL < 0:
		return fmt.Errorf("--navi-ttl must be >= 0, 0 meaning no cache (got %v)", c.NaviTTL)
	case c.Servers < 1 || c.Servers > MaxServers:
		return fmt.Errorf("--servers must be between 1 and %d (got %d)", MaxServers, c.Servers)
	case c.TLS < 0 || c.TLS > MaxTLS:
		return fmt.Errorf("--tls must be between 0 and %d (got %d)", MaxTLS, c.TLS)
	case c.IPCDownFor < 0:
		return fmt.Errorf("--ipc-down-for must be >= 0, 0 meaning instant (got %v)", c.IPCDownFor)
	case c.IPCDownFor > 0 && !c.Profile.Or().IPCProcess:
		return fmt.Errorf("--ipc-down-for needs a profile whose SDK runs an IPC process (android); profile %s has none", c.Profile.Or().Name)
	case c.NativeLibMissing && !c.Profile.Or().IPCProcess:
		return fmt.Errorf("--native-lib missing needs a profile whose SDK loads a native library in an IPC process (android); profile %s has none", c.Profile.Or().Name)
	}
	if _, err := NewBackoff(c.policy(), c.Jitter); err != nil {
		return fmt.Errorf("--policy-jitter %s: %v", c.Jitter, err)
	}
	return nil
}

func (c *Config) policy() Policy {
	if c.Policy == nil {
		return RC
	}
	return c.Policy
}

// Backoff returns the policy the client follows: Policy with Jitter on top.
// Every consumer of the schedule (the core, P6, the explorer, the analytic
// closed form) reads it from here.
func (c Config) Backoff() Backoff { return c.backoff() }

// backoff is Backoff without copying the Config (the core's).
func (c *Config) backoff() Backoff { return Backoff{c.policy(), c.Jitter} }

// AttemptTimeoutFor returns the attempt timeout the client uses: the
// configured one, raised to the policy's least connect timeout (gRPC's
// MIN_CONNECT_TIMEOUT, 20 s).
func (c *Config) AttemptTimeoutFor() time.Duration {
	return max(c.AttemptTimeout, c.policy().ConnectTimeout())
}
