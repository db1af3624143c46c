package properties_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
)

// The driver of the rapid suite (rapid_test.go) and the bug zoo
// (zoo_test.go). A machine is one rapid check: rapid draws the model
// parameters, one to three devices of user 0, and then actions one at a
// time; each action is injected into a sim.World at the current virtual
// time (World.Inject), and the world runs up to the next action's time
// (World.RunBefore). The script so built is a model.Scenario: a failure
// prints it as a YAML scenario that `sim trace --scenario` replays record
// for record.

const (
	randomPhase = 20 * time.Minute // the random phase advances time at most this far
	horizon     = 2 * time.Hour    // the trial's horizon; a settled trial ends much earlier
)

// machine is the state of one rapid check.
type machine struct {
	p    model.Params
	prof *fsm.Profile // the client profile (p.Client.Profile, never nil)
	cfg  properties.Config
	seed uint64
	n    int // devices; tokens 0..n-1 are theirs, n..2n-1 fresh ones for the heal, 2n user 1's
	w    *sim.World
	now  time.Duration // actions are injected at now; the world ran every event before it

	msgs   bool   // the check carries messages
	full   bool   // attempts are steps (--attempt full): the server actions take the navigation or a server down
	netOff []bool // per device: the script took its network away
	bg     []bool // per device: the script put its app in the background
	heal   properties.Heal
	healed bool

	// only restricts the verdict to some properties (the zoo: "is the
	// mutant caught by its own property?"); nil counts every property.
	only []string

	scanned int          // w.Recs[:scanned] have been read into status
	status  []fsm.Status // per device: the status of its last status record
}

// newMachine draws the parameters, the devices and the first actions at
// t=0 (device 0: a listener, Init unless drawn otherwise, and a Connect;
// the others: Init and a listener, each drawn), and starts the world.
func newMachine(t *rapid.T, only []string) *machine {
	m := &machine{only: only}
	// The client profile first (shrinking goes to android): its defaults,
	// as `sim run --profile` resolves them (the policy, web's time limit
	// 0), and what its SDK allows below.
	prof := drawProfile(t)
	m.prof = prof
	p, err := model.Registry.Defaults(prof.Name)
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	p.Detail = true
	p.Horizon = horizon
	p.TimeLimit = 0
	p.Net.Latency = rapid.SampledFrom([]time.Duration{0, 10 * time.Millisecond, 50 * time.Millisecond, 200 * time.Millisecond}).Draw(t, "latency")
	p.Net.Jitter = rapid.SampledFrom([]time.Duration{0, 0, 30 * time.Millisecond, 300 * time.Millisecond}).Draw(t, "jitter")
	p.Net.JitterDist = netmodel.DistUniform
	p.Net.Loss = rapid.SampledFrom([]float64{0, 0, 0.3}).Draw(t, "loss")
	p.Client.AttemptTimeout = rapid.SampledFrom([]time.Duration{time.Second, 5 * time.Second}).Draw(t, "attempt_timeout")
	p.Client.DBOpen = rapid.SampledFrom([]time.Duration{0, 20 * time.Millisecond, 200 * time.Millisecond}).Draw(t, "db_open")
	p.Client.HBInterval = rapid.SampledFrom([]time.Duration{time.Second, 15 * time.Second}).Draw(t, "hb_interval")
	p.Client.HBTimeout = rapid.SampledFrom([]time.Duration{time.Second, 15 * time.Second}).Draw(t, "hb_timeout")
	p.Client.HBMisses = rapid.IntRange(1, 2).Draw(t, "hb_misses")
	if prof != fsm.ProfileWeb { // web SDKs cannot set the reconnection kick
		p.KickPolicy = rapid.SampledFrom([]server.KickPolicy{server.PolicyDefault, server.PolicyReconnectKicked}).Draw(t, "kick_policy")
	}
	p.MultiMobile = rapid.IntRange(0, 2).Draw(t, "multi_mobile") == 0
	// Half the checks carry messages (spec section 12): a message to
	// user 0 at t=0, before any session (stored, pulled at the first
	// connect), turns the message layer on; the message action sends
	// more. A short retention lets drops happen within the check.
	if m.msgs = rapid.Bool().Draw(t, "messages"); m.msgs {
		if rapid.Bool().Draw(t, "multi_device_sync") {
			p.Msg.MultiDeviceSync = true
		}
		p.Msg.Retention = rapid.SampledFrom([]time.Duration{30 * time.Second, 7 * 24 * time.Hour}).Draw(t, "retention")
	}
	if rapid.IntRange(0, 3).Draw(t, "wrapper_api") == 0 {
		p.Client.API = fsm.APIWrapper
	}
	// A quarter of the checks keep the IPC link down a while after each
	// ipc_disconnect (Android): a Connect then gets -2 and the SDK owes
	// a connection when the link is back (P6).
	if prof.IPCProcess && rapid.IntRange(0, 3).Draw(t, "ipc_down") == 0 {
		p.Client.IPCDownFor = rapid.SampledFrom([]time.Duration{300 * time.Millisecond, 2 * time.Second, 20 * time.Second}).Draw(t, "ipc_down_for")
	}
	m.p = p
	m.seed = rapid.Uint64().Draw(t, "seed")

	m.n = rapid.IntRange(1, 3).Draw(t, "devices")
	sc := model.Scenario{AppKeys: []server.AppKeyState{server.AppValid}}
	for i := range m.n {
		// A web profile's devices are web clients (model.Scenario.ForProfile),
		// which cannot set their reconnection kick.
		spec := model.DeviceSpec{User: 0, Platform: server.Web}
		if prof != fsm.ProfileWeb {
			spec.Platform = server.Mobile
			if i > 0 {
				spec.Platform = rapid.SampledFrom([]server.Platform{server.Mobile, server.Desktop, server.MiniProgram}).Draw(t, fmt.Sprintf("platform%d", i))
			}
			// Each device's own reconnection kick, mostly the server's default.
			spec.Kick = rapid.SampledFrom([]server.KickChoice{server.KickUnset, server.KickUnset, server.KickOn, server.KickOff}).Draw(t, fmt.Sprintf("kick%d", i))
		}
		// Rarely, the device's SDK lacks its native library (Android):
		// every Connect gets -2, for good (P5).
		spec.NoNativeLib = prof.IPCProcess && rapid.IntRange(0, 9).Draw(t, fmt.Sprintf("no_native_lib%d", i)) == 0
		sc.Devices = append(sc.Devices, spec)
	}
	for range 2 * m.n {
		sc.Tokens = append(sc.Tokens, model.TokenSpec{User: 0})
	}
	sc.Tokens = append(sc.Tokens, model.TokenSpec{User: 1}) // another user's: 31004
	// Rarely, every attempt that gets far enough fails for good.
	sc.VerificationFails = rapid.IntRange(0, 19).Draw(t, "verification_fails") == 0 // 31005
	sc.ProxyUnavailable = rapid.IntRange(0, 19).Draw(t, "proxy_unavailable") == 0   // 31028
	if m.msgs {
		sc.Script = append(sc.Script, model.Action{Dev: -1, Op: model.OpMessage, User: 0})
	}
	m.netOff, m.bg = make([]bool, m.n), make([]bool, m.n)
	// An attempt is one round trip (--attempt auth) or 3 + TLS (full, a
	// first visit: navigation, socket, TLS, auth). The world heals only if
	// an attempt fits in its timeout, so full is drawn where it does, for
	// a quarter of the machines (more makes the zoo's budget of checks
	// miss multi-mobile-all, which needs two devices online together).
	rounds := time.Duration(1)
	if rapid.IntRange(0, 3).Draw(t, "attempt_full") == 0 && m.drawAnatomy(t, &p) {
		rounds = time.Duration(3 + p.Client.TLS)
	} else {
		p.Client.Attempt = fsm.AttemptAuth
	}
	m.p = p
	if err := p.Validate(); err != nil {
		t.Fatalf("driver: %v", err)
	}
	if err := sc.FitsProfile(p); err != nil {
		t.Fatalf("driver: %v", err)
	}
	m.cfg = properties.ConfigFor(p, sc) // its Profile judges the profile's rules
	m.heal = properties.Heal{
		AttemptTimeout: p.Client.AttemptTimeoutFor(),
		RoundTrip:      rounds * 2 * (p.Net.Latency + p.Net.Jitter),
	}
	if m.full && prof.SocketTimer {
		// No timer spans a web attempt: one in flight at the heal may
		// wait out its navigation's own timer, or every listed server's
		// socket timer in turn: once the attempt's auth reached the
		// server (its reply lost), the next servers' auths carry the same
		// seq, which the server ignores as stale (server.Session.Stale).
		m.heal.AttemptTimeout = max(m.heal.AttemptTimeout*time.Duration(p.Client.Servers), p.Client.NaviTimeout)
	}
	m.w = sim.NewWorld(p, sc)
	m.w.Begin(m.seed, 0)
	m.w.Hold()

	m.inject(t, model.Action{Op: model.OpAddListener, Listener: 1})
	if !rapid.Bool().Draw(t, "no_init") {
		m.inject(t, model.Action{Op: model.OpInit})
	}
	m.inject(t, model.Action{Op: model.OpConnect, Token: -1, TimeLimit: m.drawLimit(t), HasLimit: true})
	for d := 1; d < m.n; d++ {
		if rapid.Bool().Draw(t, fmt.Sprintf("listener%d", d)) {
			m.inject(t, model.Action{Dev: d, Op: model.OpAddListener, Listener: 1})
		}
		if rapid.Bool().Draw(t, fmt.Sprintf("init%d", d)) {
			m.inject(t, model.Action{Dev: d, Op: model.OpInit})
		}
	}
	return m
}

// drawProfile draws one of fsm.Profiles by name (rapid logs the name).
func drawProfile(t *rapid.T) *fsm.Profile {
	names := make([]string, len(fsm.Profiles))
	for i, p := range fsm.Profiles {
		names[i] = p.Name
	}
	prof, err := fsm.ParseProfile(rapid.SampledFrom(names).Draw(t, "profile"))
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	return prof
}

// drawAnatomy draws the attempt's anatomy for a machine under --attempt
// full (P20, P21): TLS round trips, the servers the navigation lists (the
// server actions take one down or up), how long its answer stays fresh
// (often short, so that reconnections ask again, or 0: never cached), its
// timeout (sometimes below the attempt timeout, so that the navigation's
// own timer ends the attempt) and a returning visit. It reports false,
// drawing nothing more, when a first visit's round trips at the longest
// delay do not fit in the attempt timeout (the heal would not connect).
func (m *machine) drawAnatomy(t *rapid.T, p *model.Params) bool {
	rt := 2 * (p.Net.Latency + p.Net.Jitter)
	tls := rapid.SampledFrom([]int{0, 0, 1, 2}).Draw(t, "tls")
	if time.Duration(3+tls)*rt >= p.Client.AttemptTimeoutFor() {
		return false
	}
	p.Client.TLS = tls
	p.Client.Servers = rapid.IntRange(1, 2).Draw(t, "servers")
	p.Client.NaviTTL = rapid.SampledFrom([]time.Duration{2 * time.Hour, 2 * time.Hour, 3 * time.Second, 0}).Draw(t, "navi_ttl")
	if nt := rapid.SampledFrom([]time.Duration{10 * time.Second, 10 * time.Second, time.Second}).Draw(t, "navi_timeout"); nt > rt {
		p.Client.NaviTimeout = nt
	}
	p.Client.Returning = rapid.IntRange(0, 3).Draw(t, "returning") == 0
	m.full = true
	return true
}

// drawLimit draws a Connect's timeLimit: none (negative or 0), or one
// around a round trip or db-open (answers, the database and timeouts
// cross), or longer ones. A profile whose connect takes none (web) gets 0.
func (m *machine) drawLimit(t *rapid.T) time.Duration {
	if !m.prof.TimeLimit {
		return 0
	}
	return rapid.SampledFrom([]time.Duration{
		-time.Second, 0, 0,
		10 * time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond,
		200 * time.Millisecond, 400 * time.Millisecond,
		time.Second, 5 * time.Second, 12 * time.Second, 40 * time.Second,
	}).Draw(t, "time_limit")
}

// drawGap draws the virtual time between an action and the next one:
// often none (same-time actions), often about a round trip.
func drawGap(t *rapid.T) time.Duration {
	return rapid.SampledFrom([]time.Duration{
		0, 0, 0, time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
		120 * time.Millisecond, 250 * time.Millisecond, time.Second, 3 * time.Second, 5 * time.Second,
	}).Draw(t, "gap")
}

// inject adds action a at the current time.
func (m *machine) inject(t *rapid.T, a model.Action) {
	a.At = m.now
	if !a.Op.Device() { // a server op: no device
		a.Dev = -1
	}
	if err := m.w.Inject(a); err != nil {
		t.Fatalf("driver: %v", err)
	}
}

// act injects a at the current time, then advances by a drawn gap.
func (m *machine) act(t *rapid.T, a model.Action) {
	m.inject(t, a)
	m.advance(t, drawGap(t))
}

// advance runs the world for d of virtual time (no further than the random
// phase allows).
func (m *machine) advance(t *rapid.T, d time.Duration) {
	d = max(0, min(d, randomPhase-m.now))
	m.now += d
	m.run(t, func() {
		if !m.w.RunBefore(m.now) {
			m.fail(t, nil, "the trial ended during the random phase")
		}
	})
}

// spoiled aborts a zoo check whose model panicked before the property
// under test saw anything (runCheck recovers it: the check passes).
type spoiled struct{}

// run runs f, which runs the world. A panic of the model (an illegal edge,
// say) fails the check as a P7 violation, as in `sim run`, together with
// whatever the trace so far violates.
func (m *machine) run(t *rapid.T, f func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(spoiled); ok {
			panic(r)
		}
		vs := properties.Check(m.cfg, m.w.Recs)
		vs = append(vs, properties.Violation{Property: "P7", Index: -1, Dev: -1, Msg: fmt.Sprint("model panic: ", r)})
		m.verdict(t, vs, "model panic")
		panic(spoiled{})
	}()
	f()
}

// dev draws a device.
func (m *machine) dev(t *rapid.T) int { return rapid.IntRange(0, m.n-1).Draw(t, "dev") }

// actions returns the rapid actions: app calls, environment and server
// changes, and time advancing. rapid picks one uniformly at each step, so
// the server's changes, which mostly end the connection for good, share
// one entry. The "" entry checks every safety property after each action.
func (m *machine) actions() map[string]func(*rapid.T) {
	dev := func(op model.Op) func(*rapid.T) {
		return func(t *rapid.T) { m.act(t, model.Action{Dev: m.dev(t), Op: op}) }
	}
	acts := map[string]func(*rapid.T){
		"init": dev(model.OpInit),
		"connect": func(t *rapid.T) {
			// Mostly the device's own token; device 0's; another user's.
			tok := rapid.SampledFrom([]int{-1, -1, -1, -1, 0, 2 * m.n}).Draw(t, "token")
			m.act(t, model.Action{Dev: m.dev(t), Op: model.OpConnect, Token: tok, TimeLimit: m.drawLimit(t), HasLimit: true})
		},
		"other_login": func(t *rapid.T) {
			// Another device of the user logs in: Init and Connect with
			// no time limit on one device, at once.
			d := m.dev(t)
			m.inject(t, model.Action{Dev: d, Op: model.OpInit})
			m.act(t, model.Action{Dev: d, Op: model.OpConnect, Token: -1, HasLimit: true})
		},
		"disconnect": func(t *rapid.T) {
			op := rapid.SampledFrom([]model.Op{model.OpDisconnect, model.OpLogout}).Draw(t, "op")
			m.act(t, model.Action{Dev: m.dev(t), Op: op, Push: op == model.OpDisconnect && rapid.Bool().Draw(t, "push")})
		},
		"listener": func(t *rapid.T) {
			op := rapid.SampledFrom([]model.Op{model.OpAddListener, model.OpRemoveListener}).Draw(t, "op")
			m.act(t, model.Action{Dev: m.dev(t), Op: op, Listener: rapid.IntRange(1, 3).Draw(t, "listener")})
		},
		"net_off": func(t *rapid.T) {
			d := m.dev(t)
			m.netOff[d] = true
			m.act(t, model.Action{Dev: d, Op: model.OpNetOff})
		},
		"net_on": func(t *rapid.T) {
			d := m.dev(t)
			m.netOff[d] = false
			m.act(t, model.Action{Dev: d, Op: model.OpNetOn})
		},
		"net_change": dev(model.OpNetChange),
		"status":     dev(model.OpStatus),
		"app_state": func(t *rapid.T) {
			op := rapid.SampledFrom([]model.Op{model.OpBackground, model.OpForeground}).Draw(t, "op")
			d := m.dev(t)
			m.bg[d] = op == model.OpBackground
			m.act(t, model.Action{Dev: d, Op: op})
		},
		"ipc": dev(model.OpIPCDisconnect),
		"loss": func(t *rapid.T) {
			d := rapid.IntRange(-1, m.n-1).Draw(t, "dev") // -1: every link
			m.act(t, model.Action{Dev: d, Op: model.OpLoss, Value: rapid.SampledFrom([]float64{0, 0.3, 0.7, 1}).Draw(t, "value")})
		},
		"heartbeats_lost": func(t *rapid.T) {
			// Loss 1 on one link for long enough to miss heartbeats,
			// then loss 0 again.
			d := m.dev(t)
			m.inject(t, model.Action{Dev: d, Op: model.OpLoss, Value: 1})
			m.advance(t, time.Duration(rapid.IntRange(20, 70).Draw(t, "seconds"))*time.Second)
			m.act(t, model.Action{Dev: d, Op: model.OpLoss, Value: 0})
		},
		"server":  func(t *rapid.T) { m.act(t, m.serverAction(t)) },
		"advance": func(t *rapid.T) { m.advance(t, drawAdvance(t)) },
		"":        m.check,
	}
	if m.msgs {
		acts["message"] = m.message
	}
	if !m.prof.IPCProcess { // iOS and web have no IPC process to lose
		delete(acts, "ipc")
	}
	return acts
}

// message sends one to three messages to user 0 at once (a burst makes a
// pull batch of several, and a loss among them a gap): normal mostly,
// sometimes a status message, in conversation 0 or 1.
func (m *machine) message(t *rapid.T) {
	n := rapid.IntRange(1, 3).Draw(t, "burst")
	for i := range n {
		a := model.Action{Op: model.OpMessage, User: 0, Conv: rapid.IntRange(0, 1).Draw(t, "conv"),
			Status: rapid.IntRange(0, 3).Draw(t, "kind") == 0}
		if i < n-1 {
			m.inject(t, a)
		} else {
			m.act(t, a)
		}
	}
}

// serverAction draws a change on the server: a token expires or is
// invalidated, the user is blocked or unblocked, the app key changes, or
// the server becomes (un)available; under attempt full also the
// navigation service or a listed server goes down or comes back.
func (m *machine) serverAction(t *rapid.T) model.Action {
	ops := []model.Op{model.OpTokenExpire, model.OpTokenInvalidate, model.OpBlockUser,
		model.OpUnblockUser, model.OpAppKey, model.OpUnavailable}
	if m.full {
		ops = append(ops, model.OpNaviDown, model.OpNaviUp, model.OpServerDown, model.OpServerUp)
	}
	switch op := rapid.SampledFrom(ops).Draw(t, "server_op"); op {
	case model.OpServerDown, model.OpServerUp:
		return model.Action{Op: op, Server: rapid.IntRange(0, m.p.Client.Servers-1).Draw(t, "server")}
	case model.OpTokenExpire, model.OpTokenInvalidate:
		return model.Action{Op: op, Token: rapid.IntRange(0, m.n-1).Draw(t, "token")}
	case model.OpAppKey:
		return model.Action{Op: op, State: rapid.SampledFrom([]server.AppKeyState{server.AppValid, server.AppWrong, server.AppBlocked, server.AppDeleted}).Draw(t, "state")}
	case model.OpUnavailable:
		return model.Action{Op: op, Value: rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(t, "value")}
	default:
		return model.Action{Op: op}
	}
}

// drawAdvance draws a longer advance of virtual time: up to 2 ms, 0.1 s,
// 0.2 s, 2 s, 20 s or 200 s.
func drawAdvance(t *rapid.T) time.Duration {
	ms := rapid.SampledFrom([]int{1, 50, 100, 1000, 10_000, 100_000}).Draw(t, "scale")
	return time.Duration(rapid.IntRange(1, 2*ms).Draw(t, "ms")) * time.Millisecond
}

// check checks every safety property (P1-P7, P9, P10, P12-P14) on the trace so far
// and on the model's own state: each client's CurrentStatus equals its
// status machine's state and its last status record (P7), and the server
// holds at most one live session per user and platform class (P10).
func (m *machine) check(t *rapid.T) {
	vs := properties.Check(m.cfg, m.w.Recs)
	if d := properties.DiffReference(m.cfg, m.w.Recs, vs); d != "" {
		t.Fatalf("the monitors and the batch checkers differ:\n%s", d)
	}
	vs = append(vs, m.modelState()...)
	m.verdict(t, vs, "")
}

// modelState checks the model's own state against the trace.
func (m *machine) modelState() []properties.Violation {
	var out []properties.Violation
	bad := func(id string, dev int, format string, args ...any) {
		out = append(out, properties.Violation{Property: id, Index: -1, Dev: int32(dev), Msg: "model state: " + fmt.Sprintf(format, args...)})
	}
	for len(m.status) < m.n {
		m.status = append(m.status, fsm.Unconnected)
	}
	recs := m.w.Recs
	for ; m.scanned < len(recs); m.scanned++ {
		if r := &recs[m.scanned]; r.Kind == trace.KStatus && r.Dev >= 0 && int(r.Dev) < m.n {
			m.status[r.Dev] = r.Status
		}
	}
	srv := m.w.Server()
	type slot struct {
		user     int32
		platform string
	}
	live := map[slot]int{}
	for d := range m.n {
		c := m.w.Client(d)
		if c.CurrentStatus() != m.status[d] {
			bad("P7", d, "dev%d: CurrentStatus() %s, last status delivered %s", d, c.CurrentStatus(), m.status[d])
		}
		if _, ok := srv.Live(int16(d)); ok {
			info := srv.Devices[d]
			if m.p.MultiMobile && info.Platform == server.Mobile {
				continue // several mobile sessions are allowed
			}
			s := slot{info.User, info.Platform.String()}
			live[s]++
			if live[s] == 2 {
				bad("P10", d, "the server holds two live sessions of user %d on %s", s.user, s.platform)
			}
		}
	}
	return out
}

// verdict fails the check with the violations of vs that count (those of
// m.only, if set).
func (m *machine) verdict(t *rapid.T, vs []properties.Violation, phase string) {
	var keep []properties.Violation
	for _, v := range vs {
		if m.only == nil || slices.Contains(m.only, v.Property) {
			keep = append(keep, v)
		}
	}
	if len(keep) > 0 {
		m.fail(t, keep, phase)
	}
}

// fail logs the counterexample (its scenario and its timeline) and fails
// the check. rapid shrinks the drawn actions first and prints the replay
// flags (-rapid.seed, -rapid.failfile) with the shrunk case's log.
func (m *machine) fail(t *rapid.T, vs []properties.Violation, what string) {
	t.Helper()
	t.Log(m.report())
	var b strings.Builder
	if what != "" {
		b.WriteString(what)
		b.WriteString(": ")
	}
	for i, v := range vs {
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(v.String())
	}
	zooStats.note(m, vs)
	t.Fatal(b.String())
}

// report renders the counterexample: a YAML scenario that `sim trace`
// replays, the command that does, and the trace as a text timeline.
func (m *machine) report() string {
	var b strings.Builder
	b.WriteString("\ncounterexample, as a scenario file (save as ce.yaml):\n\n")
	b.WriteString(scenarioYAML(m.w.Scenario(), m.p))
	fmt.Fprintf(&b, "\nreplay: go run ./cmd/sim trace --scenario ce.yaml --seed %d --trial 0 --format text", m.seed)
	if m.healed {
		fmt.Fprintf(&b, "\nhealed at t=%v (P8 bound %v)", m.heal.At, m.heal.Bound(m.cfg))
	}
	b.WriteString("\n\ntimeline (sim trace --format text):\n\n")
	for i := range m.w.Recs {
		fmt.Fprintf(&b, "%5d %s\n", i, trace.AppendTextProfile(nil, &m.w.Recs[i], m.p.Client.Profile))
	}
	return b.String()
}
