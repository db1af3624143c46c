package model

import (
	"cmp"
	"fmt"

	"slices"
	"strings"
	"time"

	"github.com/rcsim/connsim/netmodel"

	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/server"
)

// Window is a span of virtual time [From, To); To <= 0 means "until the end".
type Window struct{ From, To time.Duration }

// ParseWindow parses "FROM:TO" or "FROM:" (Go durations), e.g. "10s:40s".
func ParseWindow(flag, s string) (Window, error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return Window{}, knobErr(flag, "must be FROM:TO with Go durations, e.g. 10s:40s (got %q)", s)
	}
	max := param.FormatDuration(MaxDuration)
	from, err := time.ParseDuration(a)
	if err != nil || from < 0 || from > MaxDuration {
		return Window{}, knobErr(flag, "must be FROM:TO with FROM between 0 and %s, e.g. 10s:40s (got %q)", max, s)
	}
	w := Window{From: from}
	if b != "" {
		w.To, err = time.ParseDuration(b)
		if err != nil || w.To <= from || w.To > MaxDuration {
			return Window{}, knobErr(flag, "must be FROM:TO with FROM < TO <= %s, e.g. 10s:40s (got %q)", max, s)
		}
	}
	return w, nil
}

// Knobs are the scenario knobs of the command line: each reproduces one
// documented behaviour on the default one-device scenario. Times are
// virtual times since the trial began; negative means "never".
type Knobs struct {
	NoInit            bool            // Connect without Init (33001)
	AppKey            string          // valid|wrong|blocked|deleted (31002, 31008)
	VerificationFails bool            // 31005
	ProxyUnavailable  bool            // 31028
	TokenInvalid      bool            // the token was invalidated before the trial (31004)
	TokenExpires      time.Duration   // the token expires at this time (31020 at a later attempt)
	UserBlocked       bool            // the user is blocked from the start (31009)
	BlockUserAt       time.Duration   // the user is blocked at this time
	NetOff            []Window        // the device has no network during these windows
	Background        []Window        // the app is in the background during these windows
	NetChangeAt       []time.Duration // the network type changes
	IPCAt             []time.Duration // the SDK's process link breaks
	StatusAt          []time.Duration // the app queries the status (getCurrentConnectionStatus)
	KickAt            []time.Duration // another device of the same user and platform logs in
	DisconnectAt      time.Duration   // the app calls Disconnect()
	LogoutAt          time.Duration   // the app calls Logout()
	SecondConnectAt   time.Duration   // the app calls Connect a second time
	Until             time.Duration   // keep the trial running at least until then
	NetTrace          string          // a network trace file replayed on every device ("" = none)
}

// NoKnobs returns knobs that change nothing.
func NoKnobs() Knobs {
	return Knobs{AppKey: "valid", TokenExpires: -1, BlockUserAt: -1, DisconnectAt: -1, LogoutAt: -1, SecondConnectAt: -1, Until: -1}
}

// knobErr is a knob out of range, named by its flag.
func knobErr(flag, format string, a ...any) error {
	return &param.FieldError{Field: flag, Err: fmt.Errorf(format, a...)}
}

// check checks the knobs' counts and times against the limits.
func (k Knobs) check() error {
	lists := []struct {
		flag string
		n    int
		max  int
	}{
		{"--net-off", len(k.NetOff), MaxKnobValues},
		{"--net-change-at", len(k.NetChangeAt), MaxKnobValues},
		{"--ipc-disconnect-at", len(k.IPCAt), MaxKnobValues},
		{"--status-at", len(k.StatusAt), MaxKnobValues},
		// Each kick adds a device of its own.
		{"--kick-at", len(k.KickAt), MaxDevices - 1},
	}
	for _, l := range lists {
		if l.n > l.max {
			return knobErr(l.flag, "may be given at most %d times (got %d)", l.max, l.n)
		}
	}
	times := []struct {
		flag string
		ts   []time.Duration
	}{
		{"--token-expires", []time.Duration{k.TokenExpires}}, {"--block-user-at", []time.Duration{k.BlockUserAt}},
		{"--net-change-at", k.NetChangeAt}, {"--ipc-disconnect-at", k.IPCAt}, {"--status-at", k.StatusAt}, {"--kick-at", k.KickAt},
		{"--disconnect-at", []time.Duration{k.DisconnectAt}}, {"--logout-at", []time.Duration{k.LogoutAt}},
		{"--second-connect-at", []time.Duration{k.SecondConnectAt}}, {"--until", []time.Duration{k.Until}},
	}
	for _, w := range k.NetOff {
		times = append(times, struct {
			flag string
			ts   []time.Duration
		}{"--net-off", []time.Duration{w.From, w.To}})
	}
	for _, t := range times {
		for _, d := range t.ts {
			if d > MaxDuration {
				return knobErr(t.flag, "must be at most %s (got %v)", param.FormatDuration(MaxDuration), d)
			}
		}
	}
	return nil
}

// MergeWindows returns the union of ws as disjoint windows in time order:
// overlapping or touching windows become one, and a window with no end
// (To <= 0) swallows every window after its start.
func MergeWindows(ws []Window) []Window {
	s := slices.Clone(ws)
	slices.SortStableFunc(s, func(a, b Window) int { return cmp.Compare(a.From, b.From) })
	var out []Window
	for _, w := range s {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.To <= 0 {
				continue // the network never comes back
			}
			if w.From <= last.To {
				if w.To <= 0 || w.To > last.To {
					last.To = w.To
				}
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// Scenario applies the knobs to the default scenario.
func (k Knobs) Scenario() (Scenario, error) {
	sc := DefaultScenario()
	if err := k.check(); err != nil {
		return sc, err
	}
	st, err := server.ParseAppKeyState(k.AppKey)
	if err != nil {
		return sc, knobErr("--app-key", "must be one of valid, wrong, blocked, deleted (got %q)", k.AppKey)
	}
	sc.AppKeys[0] = st
	sc.VerificationFails = k.VerificationFails
	sc.ProxyUnavailable = k.ProxyUnavailable
	if k.NoInit {
		sc.Script = slices.DeleteFunc(sc.Script, func(a Action) bool { return a.Op == OpInit })
	}
	add := func(a Action) { sc.Script = append(sc.Script, a) }
	if k.TokenInvalid {
		sc.Script = append([]Action{{Op: OpTokenInvalidate, Dev: -1, Token: 0}}, sc.Script...)
	}
	if k.TokenExpires >= 0 {
		sc.Tokens[0].ExpiresAt = k.TokenExpires
		if k.TokenExpires == 0 {
			sc.Tokens[0].ExpiresAt = 1 // expired from the start
		}
	}
	if k.UserBlocked {
		sc.BlockedUsers = []int{0}
	}
	if k.BlockUserAt >= 0 {
		add(Action{At: k.BlockUserAt, Dev: -1, Op: OpBlockUser, User: 0})
	}
	for _, w := range MergeWindows(k.NetOff) {
		add(Action{At: w.From, Op: OpNetOff})
		if w.To > 0 {
			add(Action{At: w.To, Op: OpNetOn})
		}
	}
	for _, w := range k.Background {
		add(Action{At: w.From, Op: OpBackground})
		if w.To > 0 {
			add(Action{At: w.To, Op: OpForeground})
		}
	}
	for _, t := range k.NetChangeAt {
		add(Action{At: t, Op: OpNetChange})
	}
	for _, t := range k.IPCAt {
		add(Action{At: t, Op: OpIPCDisconnect})
	}
	for _, t := range k.StatusAt {
		add(Action{At: t, Op: OpStatus})
	}
	for _, t := range k.KickAt {
		d := len(sc.Devices)
		sc.Devices = append(sc.Devices, DeviceSpec{User: 0, Platform: server.Mobile})
		sc.Tokens = append(sc.Tokens, TokenSpec{User: 0})
		add(Action{At: t, Dev: d, Op: OpAddListener, Listener: 1})
		add(Action{At: t, Dev: d, Op: OpInit})
		add(Action{At: t, Dev: d, Op: OpConnect, Token: -1})
	}
	if k.DisconnectAt >= 0 {
		add(Action{At: k.DisconnectAt, Op: OpDisconnect, Push: true})
	}
	if k.LogoutAt >= 0 {
		add(Action{At: k.LogoutAt, Op: OpLogout})
	}
	if k.SecondConnectAt >= 0 {
		add(Action{At: k.SecondConnectAt, Op: OpConnect, Token: -1})
	}
	if k.Until >= 0 {
		add(Action{At: k.Until, Dev: -1, Op: OpMark})
	}
	if k.NetTrace != "" {
		rows, err := netmodel.LoadTrace(k.NetTrace)
		if err != nil {
			return sc, err
		}
		// Counted before they are built: the trace plays on every device.
		per := len(TraceActions(0, rows))
		if total := int64(per)*int64(len(sc.Devices)) + int64(len(sc.Script)); total > MaxScriptActions {
			return sc, knobErr("--net-trace", "%s (%d rows, %d actions) replayed on each of the %d devices, with the scenario's %d actions, makes %d script actions, more than the %d a scenario may hold",
				k.NetTrace, len(rows), per, len(sc.Devices), len(sc.Script), total, MaxScriptActions)
		}
		var acts []Action
		for d := range sc.Devices {
			acts = append(acts, TraceActions(d, rows)...)
		}
		sc.Script = append(acts, sc.Script...)
	}
	sortScript(sc.Script)
	return sc, sc.Validate()
}
