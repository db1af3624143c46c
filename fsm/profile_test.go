package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestAndroidPublishesCoreNames: the default profile publishes the core's
// own names and values, so android traces are what they were before
// profiles existed.
func TestAndroidPublishesCoreNames(t *testing.T) {
	for _, s := range AllStatuses {
		if n, v := ProfileAndroid.StatusName(s), ProfileAndroid.StatusValue(s); n != s.String() || v != int(s) {
			t.Errorf("android publishes %s as %s(%d)", s, n, v)
		}
		var nilProf *Profile
		if nilProf.StatusName(s) != s.String() {
			t.Errorf("a nil profile is not android for %s", s)
		}
	}
	if ProfileAndroid.Table() != DefaultTable {
		t.Error("android's table is not DefaultTable")
	}
}

// codeFor is a code the web listener gets with core status s.
func codeFor(s Status) Code {
	switch s {
	case KickedOffline:
		return CodeDisconnKick
	case TokenIncorrect:
		return ConnTokenExpire
	case UserBlocked:
		return CodeDisconnBlocked
	case SignOut:
		return CodeActiveDisconnect
	}
	return 0
}

// TestProfileStatusRoundTrip: a status read back by name or by value (with
// the record's code) is the status written, on every profile.
func TestProfileStatusRoundTrip(t *testing.T) {
	for _, p := range Profiles {
		for _, s := range p.Statuses() {
			if got, ok := p.ParseStatus(p.StatusName(s), codeFor(s)); !ok || got != s {
				t.Errorf("%s: %s written as %s reads back as %s (%v)", p.Name, s, p.StatusName(s), got, ok)
			}
			if got, ok := p.ParseStatusValue(p.StatusValue(s), codeFor(s)); !ok || got != s {
				t.Errorf("%s: %s written as %d reads back as %s (%v)", p.Name, s, p.StatusValue(s), got, ok)
			}
		}
		if _, ok := p.ParseStatus("NO_SUCH_STATUS", 0); ok {
			t.Errorf("%s: an unknown name parses", p.Name)
		}
	}
	if _, ok := ProfileWeb.ParseStatus("NETWORK_UNAVAILABLE", 0); ok {
		t.Error("web parses NETWORK_UNAVAILABLE, a status it does not publish")
	}
}

// TestPublishedEdges: no profile's published machine has a self-loop (a
// listener never sees the same status twice in a row), and the web machine
// as published is the engine's four statuses.
func TestPublishedEdges(t *testing.T) {
	for _, p := range Profiles {
		for _, e := range p.PublishedEdges() {
			for _, s := range e.From {
				if s == e.To {
					t.Errorf("%s: self-loop %s on %s", p.Name, e.Event, s)
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range ProfileWeb.PublishedEdges() {
		seen[e.To] = true
		for _, s := range e.From {
			seen[s] = true
		}
	}
	if len(seen) != 4 || !seen["CONNECTED"] || !seen["CONNECTING"] || !seen["DISCONNECTED"] || !seen["SUSPENDED"] {
		t.Errorf("web publishes %v, want CONNECTED, CONNECTING, DISCONNECTED, SUSPENDED", seen)
	}
	if !ProfileWeb.PublishedEdge(Connecting, Suspend) || ProfileAndroid.PublishedEdge(Connecting, Suspend) {
		t.Error("CONNECTING -> SUSPEND must be an edge of web only")
	}
	if ProfileWeb.PublishedEdge(KickedOffline, SignOut) {
		t.Error("DISCONNECTED -> DISCONNECTED is an edge of web")
	}
}

// drv drives one client, keeping the live timers, and logs the effects that
// matter to the lifecycle tests in a compact form.
type drv struct {
	t      *testing.T
	c      *Client
	timers map[TimerKind]Effect
	log    []string
}

func newDrv(t *testing.T, cfg Config) *drv {
	return &drv{t: t, c: NewClient(cfg, testDev), timers: map[TimerKind]Effect{}}
}

func (d *drv) in(now time.Duration, in Input) *drv {
	d.t.Helper()
	for _, e := range d.c.Step(now, in) {
		switch e.Kind {
		case EffTimer:
			if e.Timer != TimerDB {
				d.timers[e.Timer] = e
			}
		case EffStatus:
			s := "status " + d.c.profile().StatusName(e.To)
			if e.Code != 0 {
				s += " " + itoa(int(e.Code))
			}
			d.log = append(d.log, s)
		case EffAttempt:
			d.log = append(d.log, "attempt "+e.Phase.String()+" "+e.Reason.String())
		case EffSend:
			if e.Msg.Kind == MsgClose {
				d.log = append(d.log, "close "+itoa(int(e.Msg.Code)))
			}
		case EffCallback:
			d.log = append(d.log, e.Name.String()+" "+itoa(int(e.Code)))
		case EffEnv, EffLost:
			d.log = append(d.log, e.Phase.String()+e.Reason.String())
		}
	}
	return d
}

// fire fires timer k, which must be live and due at at.
func (d *drv) fire(k TimerKind, at time.Duration) *drv {
	d.t.Helper()
	e, ok := d.timers[k]
	if !ok || e.At != at {
		d.t.Fatalf("timer %s: have %+v (live %v), want due at %v", k, e, ok, at)
	}
	return d.in(at, timerIn(e))
}

func (d *drv) want(lines ...string) {
	d.t.Helper()
	if got, want := strings.Join(d.log, "\n"), strings.Join(lines, "\n"); got != want {
		d.t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	d.log = nil
}

func profCfg(p *Profile) Config {
	c := DefaultConfig()
	c.Profile, c.Policy, c.BgDisconnectAfter = p, p.Policy, p.BgDisconnectAfter
	return c
}

// TestWebOfflineRounds: offline, the web SDK does not pause: the lost
// connection (30011) is retried at once, each round fails at once, goes
// CONNECTING -> SUSPENDED with 35008 (the engine's task after its socket
// failed; a timed-out round too) and waits 5 s (docs/profiles.md).
func TestWebOfflineRounds(t *testing.T) {
	d := newDrv(t, profCfg(ProfileWeb))
	d.in(0, initIn()).in(0, connectIn(1, 5*sec)) // web ignores the time limit
	if _, ok := d.timers[TimerLimit]; ok {
		t.Error("web set a time limit")
	}
	d.in(100*ms, replyIn(1, OK))
	d.want("status CONNECTING", "attempt start connect", "attempt ok ", "status CONNECTED", "onSuccess 0")
	d.in(10*sec, env(InNetDown))
	d.want("network-down", "status SUSPENDED 30011", "status CONNECTING", "attempt start reconnect",
		"attempt fail network-down", "status SUSPENDED 35008")
	d.fire(TimerRetry, 15*sec)
	d.want("status CONNECTING", "attempt start schedule", "attempt fail network-down", "status SUSPENDED 35008")
	d.in(16*sec, env(InNetUp)) // nothing: the next round is on the 5 s beat
	d.want()
	d.fire(TimerRetry, 20*sec)
	d.want("status CONNECTING", "attempt start schedule")
	d.fire(TimerAttempt, 25*sec)
	d.want("attempt fail attempt-timeout", "status SUSPENDED 35008")
	d.fire(TimerRetry, 30*sec)
	d.in(30*sec+100*ms, replyIn(5, OK))
	d.want("status CONNECTING", "attempt start schedule", "attempt ok ", "status CONNECTED")
	d.in(40*sec, disconnectIn(true))
	d.want("close 0", "status DISCONNECTED 2")
}

// TestIOSBackgroundDisconnect: after 2 minutes in the background the iOS
// SDK closes its connection (push allowed) and goes to Suspend; nothing
// happens until the foreground, which attempts at once.
func TestIOSBackgroundDisconnect(t *testing.T) {
	d := newDrv(t, profCfg(ProfileIOS))
	d.in(0, initIn()).in(0, connectIn(1, 0)).in(100*ms, replyIn(1, OK))
	d.log = nil
	d.in(10*sec, env(InBackground))
	d.in(11*sec, env(InBackground)) // a second background changes nothing
	d.fire(TimerBgDisconnect, 130*sec)
	d.want("background", "close -2004", "status ConnectionStatus_Suspend")
	if *d.c.gen(TimerPing) != d.timers[TimerPing].Gen+1 && d.c.TimerLive(TimerPing, d.timers[TimerPing].Gen) {
		t.Error("the ping timer survives the background disconnect")
	}
	d.in(140*sec, env(InNetChange)) // nothing while stopped
	d.want()
	d.in(200*sec, env(InForeground))
	d.want("status ConnectionStatus_Connecting", "attempt start foreground")

	// Back before the 2 minutes: the timer is cancelled.
	d = newDrv(t, profCfg(ProfileIOS))
	d.in(0, initIn()).in(0, connectIn(1, 0)).in(100*ms, replyIn(1, OK))
	d.in(10*sec, env(InBackground)).in(20*sec, env(InForeground))
	d.log = nil
	d.in(130*sec, timerIn(d.timers[TimerBgDisconnect]))
	d.want()
}

// TestAndroidFreeze: with BgSuspendAfter the OS freezes the process: no
// timer but the time limit runs, nothing is received, and on foreground
// the connection is gone and an attempt starts at once.
func TestAndroidFreeze(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BgSuspendAfter = 30 * sec
	d := newDrv(t, cfg)
	d.in(0, initIn()).in(0, connectIn(1, 0)).in(100*ms, replyIn(1, OK))
	d.in(10*sec, env(InBackground))
	d.log = nil
	d.fire(TimerBgSuspend, 40*sec)
	d.want("os_suspend")
	d.in(50*sec, timerIn(d.timers[TimerPing]))
	d.in(51*sec, closedIn(1, ClosedKicked)) // nothing runs in a frozen process
	d.want()
	d.in(90*sec, env(InForeground))
	d.want("os-suspended", "status SUSPEND", "status CONNECTING", "attempt start foreground")
}

// TestBgDisconnectNeedsItsEdge: only a profile whose machine has the
// background edge accepts --bg-disconnect-after.
func TestBgDisconnectNeedsItsEdge(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BgDisconnectAfter = time.Minute
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--bg-disconnect-after") {
		t.Errorf("android with --bg-disconnect-after: %v", err)
	}
	cfg.Profile = ProfileIOS
	if err := cfg.Validate(); err != nil {
		t.Errorf("ios with --bg-disconnect-after: %v", err)
	}
}

// TestProfileTables: every profile's tables answer as the definitions they
// are computed from, on every pair of statuses with a slot and a few
// without.
func TestProfileTables(t *testing.T) {
	for _, p := range Profiles {
		if p.tables == nil || p.EdgeTable() == nil {
			t.Fatalf("%s: no tables", p.Name)
		}
		for a := -3; a < statusSlots+2; a++ {
			s := Status(a)
			gp, gok := p.Publish(s)
			wp, wok := p.publishedOf(s)
			if gp != wp || gok != wok {
				t.Errorf("%s: Publish(%d) = %v %v, want %v %v", p.Name, a, gp, gok, wp, wok)
			}
			for b := -3; b < statusSlots+2; b++ {
				if got, want := p.PublishedEdge(s, Status(b)), p.publishedEdge(s, Status(b)); got != want {
					t.Errorf("%s: PublishedEdge(%d, %d) = %v, want %v", p.Name, a, b, got, want)
				}
				e, ok := p.EdgeTable().Edge(s, Status(b))
				if inside := a >= -1 && a < statusSlots-1 && b >= -1 && b < statusSlots-1; ok != inside || ok && e != p.publishedEdge(s, Status(b)) {
					t.Errorf("%s: EdgeTable().Edge(%d, %d) = %v %v, want %v", p.Name, a, b, e, ok, p.publishedEdge(s, Status(b)))
				}
			}
		}
	}
}

// TestEdgeTableNil: a profile with no tables has no EdgeTable (its
// checker asks PublishedEdge).
func TestEdgeTableNil(t *testing.T) {
	p := *ProfileWeb
	p.tables = nil
	if p.EdgeTable() != nil {
		t.Error("a profile with no tables has an EdgeTable")
	}
	if _, ok := p.EdgeTable().Edge(Connecting, Connected); ok {
		t.Error("a nil EdgeTable answers")
	}
	if (*Profile)(nil).EdgeTable() != &ProfileAndroid.tables.edge {
		t.Error("a nil profile's EdgeTable is not android's")
	}
}

// TestParseStatusDoesNotAllocate: a trace reader asks it twice per status
// record.
func TestParseStatusDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		ProfileWeb.ParseStatus("DISCONNECTED", CodeDisconnKick)
		ProfileWeb.ParseStatusValue(2, 0)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
