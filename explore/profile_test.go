package explore

import (
	"slices"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/testsize"
	"github.com/rcsim/connsim/trace"
)

// profileCfg returns the default client of profile prof with its
// defaults (policy, background disconnect), as `sim explore --profile`
// builds it, under attempt mode a.
func profileCfg(prof *fsm.Profile, a fsm.AttemptMode) fsm.Config {
	c := fsm.DefaultConfig()
	c.Profile, c.Policy, c.BgDisconnectAfter, c.Attempt = prof, prof.Policy, prof.BgDisconnectAfter, a
	return c
}

// TestExhaustiveProfiles explores each profile's core, under both attempt
// modes, at a small depth: no property or invariant is violated.
func TestExhaustiveProfiles(t *testing.T) {
	for _, prof := range fsm.Profiles {
		for _, a := range []fsm.AttemptMode{fsm.AttemptAuth, fsm.AttemptFull} {
			t.Run(prof.Name+" "+a.String(), func(t *testing.T) {
				depth := testsize.Pick(t, 8, DefaultDepthFor(a))
				if testing.Short() {
					depth = 6
				}
				r := Run(Config{Depth: depth, Client: profileCfg(prof, a)})
				t.Logf("depth %d: %d states, %d edges, %d/%d status edges taken, %v",
					r.Depth, r.States, r.Edges, r.StatusEdges, r.AllStatusEdges, r.Elapsed)
				for _, f := range r.Findings {
					t.Errorf("%s", f)
				}
				if r.Violations > 0 {
					t.Fatalf("%d violations", r.Violations)
				}
				if r.AllStatusEdges != len(statusEdges(prof)) || r.StatusEdges == 0 {
					t.Errorf("%d of %d status edges: want some of the profile's %d", r.StatusEdges, r.AllStatusEdges, len(statusEdges(prof)))
				}
				// Under auth, every edge of each machine is taken by
				// depth 8 (ios's background edges too).
				if a == fsm.AttemptAuth && r.Depth >= 8 && r.StatusEdges != r.AllStatusEdges {
					t.Errorf("only %d of the %d status edges were taken", r.StatusEdges, r.AllStatusEdges)
				}
			})
		}
	}
}

// TestProfileReachesCore shows the profile is the explored core's: the
// same moves take the web machine's edge CONNECTING -> SUSPEND where
// android's goes NETWORK_UNAVAILABLE, web's Connect offers no time
// limit, only ios's app goes to the background, where its SDK
// disconnects (CONNECTING -> SUSPEND, ios's edge background), and the
// searches differ.
func TestProfileReachesCore(t *testing.T) {
	offline := func(prof *fsm.Profile) [2]fsm.Status {
		w := newWorld(profileCfg(prof, fsm.AttemptAuth))
		var recs []trace.Record
		for _, k := range []moveKind{mvInit, mvConnect, mvNetOff} {
			recs = w.apply(move{kind: k}, recs)
		}
		i := slices.IndexFunc(w.new, func(r trace.Record) bool { return r.Kind == trace.KStatus })
		if i < 0 {
			t.Fatalf("%s: net_off while connecting publishes no status: %v", prof.Name, w.new)
		}
		return [2]fsm.Status{w.new[i].From, w.new[i].Status}
	}
	for _, c := range []struct {
		prof *fsm.Profile
		want [2]fsm.Status
	}{
		{fsm.ProfileAndroid, [2]fsm.Status{fsm.Connecting, fsm.NetworkUnavailable}},
		{fsm.ProfileIOS, [2]fsm.Status{fsm.Connecting, fsm.NetworkUnavailable}},
		{fsm.ProfileWeb, [2]fsm.Status{fsm.Connecting, fsm.Suspend}},
	} {
		if got := offline(c.prof); got != c.want {
			t.Errorf("%s: init, connect, net_off: %v -> %v, want %v -> %v", c.prof.Name, got[0], got[1], c.want[0], c.want[1])
		}
		moves := newWorld(profileCfg(c.prof, fsm.AttemptAuth)).moves(nil)
		limited := slices.ContainsFunc(moves, func(m move) bool { return m.kind == mvConnectLimit })
		if limited != c.prof.TimeLimit {
			t.Errorf("%s: connect with a time limit offered %v, want %v", c.prof.Name, limited, c.prof.TimeLimit)
		}
		bg := slices.ContainsFunc(moves, func(m move) bool { return m.kind == mvBackground })
		if bg != c.prof.HasEdge(fsm.EvBackground) {
			t.Errorf("%s: background offered %v, want %v", c.prof.Name, bg, !bg)
		}
	}
	w := newWorld(profileCfg(fsm.ProfileIOS, fsm.AttemptAuth))
	var recs []trace.Record
	for _, m := range []move{{kind: mvInit}, {kind: mvConnect}, {kind: mvBackground}, {kind: mvFire, timer: fsm.TimerBgDisconnect}} {
		recs = w.apply(m, recs)
	}
	if s := w.c.Snapshot(); s.Status != fsm.Suspend || !s.BgStopped {
		t.Errorf("ios: init, connect, background, its timer: %v (stopped in the background %v), want SUSPEND, stopped", s.Status, s.BgStopped)
	}
	android := Run(Config{Depth: 6, Client: profileCfg(fsm.ProfileAndroid, fsm.AttemptAuth)})
	web := Run(Config{Depth: 6, Client: profileCfg(fsm.ProfileWeb, fsm.AttemptAuth)})
	ios := Run(Config{Depth: 6, Client: profileCfg(fsm.ProfileIOS, fsm.AttemptAuth)})
	if android.States == web.States || android.AllStatusEdges == web.AllStatusEdges || android.States == ios.States {
		t.Errorf("a profile explores as android: android %d states, ios %d, web %d; status edges %d, %d, %d",
			android.States, ios.States, web.States, android.AllStatusEdges, ios.AllStatusEdges, web.AllStatusEdges)
	}
}
