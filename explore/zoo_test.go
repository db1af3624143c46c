//go:build zoo

package explore

import (
	"cmp"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/testsize"
	"github.com/rcsim/connsim/internal/zoo"
)

// The bug zoo's mutants of the client core (package internal/zoo) are each
// caught within depth 7 (or the depth given), P6's and P8's by the
// invariants that stand in for them. The zoo's server and simulator
// mutants (two sessions, map order) live outside the abstract world.
func TestExhaustiveCatchesZoo(t *testing.T) {
	for _, tc := range []struct {
		m     zoo.Mutant
		want  string
		depth int
		cfg   fsm.Config // zero: fsm.DefaultConfig() (one auth round trip per attempt)
	}{
		{zoo.CrossTerminal, "P1", 0, fsm.Config{}},
		{zoo.LimitPausedOffline, "I4", 0, fsm.Config{}},
		// The answer beats the database only for the stored token: a
		// first connect (4 moves: init, connect, auth, OK), Logout, and
		// a second connect (3 more) whose OK comes before its database.
		{zoo.DBAfterSuccess, "P4", 8, fsm.Config{}},
		{zoo.DBFirstNewToken, "P4", 0, fsm.Config{}},
		{zoo.AttemptAfterTimeout, "I2", 0, fsm.Config{}},
		{zoo.RetryAfterExpire, "I2", 0, fsm.Config{}},
		{zoo.NoResetOnNetChange, "I6", 0, fsm.Config{}},
		{zoo.StatusTwice, "P7", 0, fsm.Config{}},
		{zoo.SecondConnectClears, "I3", 0, fsm.Config{}},
		{zoo.NoReconnectAfterHeartbeat, "I2", 0, fsm.Config{}},
		// The mutants P12-P14 and P22 catch on traces: the explorer
		// catches them by what the wrong answer breaks (an answer after
		// Disconnect connects, P5; or reaches onSuccess and opens the
		// database after it, P4; a call forgotten, I3) or by P22.
		{zoo.ConnectedAfterDisconnect, "P5", 0, fsm.Config{}},
		{zoo.SuccessAfterDisconnect, "P4", 0, fsm.Config{}},
		{zoo.SecondConnectSucceeds, "I3", 0, fsm.Config{}},
		{zoo.SuccessDropped, "I3", 0, fsm.Config{}},
		{zoo.IPCBreakReachesCall, "P22", 0, fsm.Config{}},
		// The attempt's anatomy's (attempt full): a network change right
		// after the first navigation answer was taken (init, connect,
		// the request and its answer delivered: 5 moves) starts an
		// attempt that asks again (P21 on the trace, I7 on the world's
		// memory); a second server's socket after the first refused
		// (init, connect, the navigation round trip, the socket refused
		// and the refusal delivered: 6 moves).
		{zoo.NaviCacheSkipped, "P21", 0, anatomyCfg(1, 0, false)}, // the trace shows it too; I7 would next
		{zoo.FailoverRestarts, "I8", 0, anatomyCfg(2, 0, false)},
	} {
		cfg := tc.cfg
		if cfg.AttemptTimeout == 0 {
			cfg = fsm.DefaultConfig()
		}
		off := zoo.Switch(tc.m)
		r := Run(Config{Depth: cmp.Or(tc.depth, 7), Client: cfg, MaxFindings: 1})
		off()
		if r.Violations == 0 {
			t.Errorf("%s: not caught (%d states)", tc.m, r.States)
			continue
		}
		if f := r.Findings[0]; f.Property != tc.want {
			t.Errorf("%s: caught by %s, want %s:\n%s", tc.m, f.Property, tc.want, f)
			continue
		}
		t.Logf("%s: caught by %s after %d moves", tc.m, tc.want, len(r.Findings[0].Steps))
	}
}

// Under the attempt's anatomy (sim explore's default), the same mutants
// of the client core are caught, by the same properties, at the depth
// given: an attempt's first success takes four more moves there (the
// navigation and the socket round trips). db-after-success needs two
// successes (16 moves), past MaxDepth; no-reconnect-after-heartbeat's
// depth 11 (3 s) runs at full size only (testsize).
func TestExhaustiveCatchesZooFull(t *testing.T) {
	for _, tc := range []struct {
		m     zoo.Mutant
		want  string
		depth int
	}{
		{zoo.CrossTerminal, "P1", 9},
		{zoo.LimitPausedOffline, "I4", 3},
		{zoo.DBFirstNewToken, "P4", 3},
		{zoo.AttemptAfterTimeout, "I2", 4},
		{zoo.RetryAfterExpire, "I2", 8},
		{zoo.NoResetOnNetChange, "I6", 4},
		{zoo.StatusTwice, "P7", 8},
		{zoo.SecondConnectClears, "I3", 3},
		{zoo.NoReconnectAfterHeartbeat, "I2", 11},
		{zoo.SecondConnectSucceeds, "I3", 3},
		{zoo.IPCBreakReachesCall, "P22", 3},
	} {
		if tc.depth > DefaultDepthFull-1 && !testsize.Full(t) {
			t.Logf("%s: at depth %d, only at full size", tc.m, tc.depth)
			continue
		}
		off := zoo.Switch(tc.m)
		r := Run(Config{Depth: tc.depth, Client: anatomyCfg(1, 0, false), MaxFindings: 1})
		off()
		switch {
		case r.Violations == 0:
			t.Errorf("%s: not caught within depth %d (%d states)", tc.m, tc.depth, r.States)
		case r.Findings[0].Property != tc.want:
			t.Errorf("%s: caught by %s, want %s:\n%s", tc.m, r.Findings[0].Property, tc.want, r.Findings[0])
		default:
			t.Logf("%s: caught by %s after %d moves", tc.m, tc.want, len(r.Findings[0].Steps))
		}
	}
}

// For each mutant of the client core, the monitors kept per depth find
// what checking every path's whole trace afresh finds (see
// TestExploreMonitorsMatchReplay).
func TestExploreZooMonitorsMatchReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays every path; not in -short mode")
	}
	for _, mu := range zoo.All {
		if mu.Pkg != "fsm" {
			continue
		}
		off := zoo.Switch(mu.Mutant)
		cfg := Config{Depth: 5, Client: fsm.DefaultConfig(), MaxFindings: 1 << 20}
		got := Run(cfg)
		cfg.replay = true
		want := Run(cfg)
		off()
		sameExploration(t, mu.Name, got, want)
	}
}
