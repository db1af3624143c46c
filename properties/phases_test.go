package properties_test

import (
	"fmt"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/sim"
)

// runCheck is one rapid check of the whole suite: the random phase (rapid
// draws actions; every safety property is checked after each), the
// liveness phase (heal, advance, P8), the end of the trial (every safety
// property on the whole trace, with its end record, and again with
// prefixes: checkPrefixes) and P11 (the same
// script run again from the start gives the same trace). only restricts
// the verdict to some properties (nil: every one).
func runCheck(t *rapid.T, only []string) {
	zooStats.checks++
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(spoiled); !ok {
				panic(r)
			}
		}
	}()
	m := newMachine(t, only)
	t.Repeat(m.actions())
	m.liveness(t)
	m.finish(t)
	m.determinism(t)
}

// liveness heals the world, TigerBeetle style: loss 0 on every link, the
// server available, the user unblocked, the app key valid, every device's
// network back (and its app in the foreground where the profile's SDK
// disconnects in the background: iOS); a device that is out of the connection mechanism may log
// in again (drawn) with a fresh token and no time limit. Then time runs for
// P8's bound and a second (up to a mark, the script's last action), and P8
// is checked with the safety properties; finish checks them again on the
// whole trace.
func (m *machine) liveness(t *rapid.T) {
	m.healed = true
	m.heal.At = m.now
	m.inject(t, model.Action{Dev: -1, Op: model.OpLoss, Value: 0})
	m.inject(t, model.Action{Op: model.OpUnavailable, Value: 0})
	m.inject(t, model.Action{Op: model.OpUnblockUser})
	m.inject(t, model.Action{Op: model.OpAppKey, State: server.AppValid})
	if m.full {
		m.inject(t, model.Action{Op: model.OpNaviUp})
		for i := range m.p.Client.Servers {
			m.inject(t, model.Action{Op: model.OpServerUp, Server: i})
		}
	}
	for d := range m.n {
		if m.netOff[d] {
			m.netOff[d] = false
			m.inject(t, model.Action{Dev: d, Op: model.OpNetOn})
		}
		// An SDK that stops in the background (iOS's background
		// disconnect) reconnects at the foreground; elsewhere the
		// background must not stop reconnection, so the app stays there.
		if m.bg[d] && m.p.Client.BgDisconnectAfter > 0 {
			m.bg[d] = false
			m.inject(t, model.Action{Dev: d, Op: model.OpForeground})
		}
	}
	for d := range m.n {
		c := m.w.Client(d)
		if c.Pending() || c.CurrentStatus().Active() {
			continue
		}
		if rapid.Bool().Draw(t, fmt.Sprintf("fresh_login%d", d)) {
			m.inject(t, model.Action{Dev: d, Op: model.OpInit})
			m.inject(t, model.Action{Dev: d, Op: model.OpConnect, Token: m.n + d, HasLimit: true})
		}
	}
	m.now += m.heal.Bound(m.cfg) + time.Second
	m.inject(t, model.Action{Op: model.OpMark})
	m.run(t, func() { m.w.RunBefore(m.now) }) // the mark runs in finish, as the script's last action
	m.check(t)
	m.verdict(t, properties.CheckP8(m.cfg, m.w.Recs, m.heal), "liveness")
}

// finish lets the trial end as a `sim trace` of the same script would (it
// ends at the mark if every call is settled) and checks the whole trace.
func (m *machine) finish(t *rapid.T) {
	m.w.Release()
	m.run(t, func() {
		for m.w.Step() {
		}
	})
	vs := properties.Check(m.cfg, m.w.Recs)
	checkPrefixes(t, m.cfg, m.w.Recs, vs)
	vs = append(vs, m.modelState()...)
	vs = append(vs, properties.CheckP8(m.cfg, m.w.Recs, m.heal)...)
	m.verdict(t, vs, "whole trace")
}

// determinism checks P11: the script, run again from the start in a new
// world with the same seed, gives the same trace, record for record.
func (m *machine) determinism(t *rapid.T) {
	w := sim.NewWorld(m.p, m.w.Scenario())
	m.run(t, func() { w.Run(m.seed, 0) })
	if v := properties.Determinism(m.w.Recs, w.Recs); v != nil {
		m.verdict(t, []properties.Violation{*v}, "the script run again")
	}
}

// scenarioYAML renders sc and p as a scenario file (docs/cli.md, "Scenario
// knobs"): `sim trace --scenario FILE --seed S --trial 0` replays it.
func scenarioYAML(sc model.Scenario, p model.Params) string {
	var b strings.Builder
	b.WriteString("description: rapid counterexample\ndevices: [")
	for i, d := range sc.Devices {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{user: %d, platform: %s", d.User, d.Platform)
		if d.Kick != server.KickUnset {
			fmt.Fprintf(&b, ", reconnect_kick: %v", d.Kick == server.KickOn)
		}
		if d.NoNativeLib {
			b.WriteString(", native_lib: missing")
		}
		b.WriteString("}")
	}
	b.WriteString("]\ntokens: [")
	for i, tk := range sc.Tokens {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{user: %d, app_key: %d}", tk.User, tk.AppKey)
	}
	keys := make([]string, len(sc.AppKeys))
	for i, k := range sc.AppKeys {
		keys[i] = k.String()
	}
	fmt.Fprintf(&b, "]\napp_keys: [%s]\n", strings.Join(keys, ", "))
	sync := "off"
	if p.Msg.MultiDeviceSync {
		sync = "on"
	}
	fmt.Fprintf(&b, "params: {profile: %s, loss: %v, latency: %v, jitter: %v, jitter_dist: %s, attempt_timeout: %v, db_open: %v, hb_interval: %v, hb_timeout: %v, hb_misses: %d, kick_policy: %s, multi_mobile: %s, api: %s, time_limit: %v, horizon: %v, multi_device_sync: %q, offline_retention: %v, ipc_down_for: %v, attempt: %s, tls: %d, servers: %d, navi_ttl: %v, navi_timeout: %v, visit: %s}\n",
		p.Client.Profile.Or().Name, p.Net.Loss, p.Net.Latency, p.Net.Jitter, p.Net.JitterDist, p.Client.AttemptTimeout, p.Client.DBOpen,
		p.Client.HBInterval, p.Client.HBTimeout, p.Client.HBMisses, p.KickPolicy, map[bool]string{false: "off", true: "on"}[p.MultiMobile], p.Client.API, p.TimeLimit, p.Horizon, sync, p.Msg.Retention, p.Client.IPCDownFor, p.Client.Attempt,
		p.Client.TLS, p.Client.Servers, p.Client.NaviTTL, p.Client.NaviTimeout, map[bool]string{false: "first", true: "returning"}[p.Client.Returning])
	b.WriteString("script:\n")
	for _, a := range sc.Script {
		fmt.Fprintf(&b, "  - {at: %v, ", a.At)
		if a.Op.Device() {
			fmt.Fprintf(&b, "dev: %d, ", a.Dev)
		}
		fmt.Fprintf(&b, "do: %s", a.Op)
		switch a.Op {
		case model.OpConnect:
			fmt.Fprintf(&b, ", token: %d, time_limit: %v", a.Token, a.TimeLimit)
		case model.OpDisconnect:
			fmt.Fprintf(&b, ", push: %v", a.Push)
		case model.OpAddListener, model.OpRemoveListener:
			fmt.Fprintf(&b, ", listener: %d", a.Listener)
		case model.OpLoss, model.OpUnavailable:
			fmt.Fprintf(&b, ", value: %v", a.Value)
		case model.OpTokenExpire, model.OpTokenInvalidate:
			fmt.Fprintf(&b, ", token: %d", a.Token)
		case model.OpBlockUser, model.OpUnblockUser:
			fmt.Fprintf(&b, ", user: %d", a.User)
		case model.OpAppKey:
			fmt.Fprintf(&b, ", state: %s", a.State)
		case model.OpServerDown, model.OpServerUp:
			fmt.Fprintf(&b, ", server: %d", a.Server)
		case model.OpMessage:
			kind := "normal"
			if a.Status {
				kind = "status"
			}
			fmt.Fprintf(&b, ", to: %d, kind: %s, conv: %d", a.User, kind, a.Conv)
		}
		b.WriteString("}\n")
	}
	return b.String()
}
