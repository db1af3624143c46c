package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Window is a span of virtual time [From, To); To <= 0 means "until the end".
type Window struct{ From, To time.Duration }

// ParseWindow parses "FROM:TO" or "FROM:" (Go durations), e.g. "10s:40s".
func ParseWindow(flag, s string) (Window, error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return Window{}, fmt.Errorf("%s must be FROM:TO with Go durations, e.g. 10s:40s (got %q)", flag, s)
	}
	from, err := time.ParseDuration(a)
	if err != nil || from < 0 {
		return Window{}, fmt.Errorf("%s must be FROM:TO with FROM >= 0, e.g. 10s:40s (got %q)", flag, s)
	}
	w := Window{From: from}
	if b != "" {
		w.To, err = time.ParseDuration(b)
		if err != nil || w.To <= from {
			return Window{}, fmt.Errorf("%s must be FROM:TO with TO > FROM, e.g. 10s:40s (got %q)", flag, s)
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
	NetChangeAt       []time.Duration // the network type changes
	IPCAt             []time.Duration // the SDK's process link breaks
	KickAt            []time.Duration // another device of the same user and platform logs in
	DisconnectAt      time.Duration   // the app calls Disconnect()
	LogoutAt          time.Duration   // the app calls Logout()
	SecondConnectAt   time.Duration   // the app calls Connect a second time
	Until             time.Duration   // keep the trial running at least until then
}

// NoKnobs returns knobs that change nothing.
func NoKnobs() Knobs {
	return Knobs{AppKey: "valid", TokenExpires: -1, BlockUserAt: -1, DisconnectAt: -1, LogoutAt: -1, SecondConnectAt: -1, Until: -1}
}

// Scenario applies the knobs to the default scenario.
func (k Knobs) Scenario() (Scenario, error) {
	sc := DefaultScenario()
	if k.AppKey != "" {
		switch k.AppKey {
		case "valid", "wrong", "blocked", "deleted":
			sc.AppKeys[0] = k.AppKey
		default:
			return sc, fmt.Errorf("--app-key must be one of valid, wrong, blocked, deleted (got %q)", k.AppKey)
		}
	}
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
	for _, w := range k.NetOff {
		add(Action{At: w.From, Op: OpNetOff})
		if w.To > 0 {
			add(Action{At: w.To, Op: OpNetOn})
		}
	}
	for _, t := range k.NetChangeAt {
		add(Action{At: t, Op: OpNetChange})
	}
	for _, t := range k.IPCAt {
		add(Action{At: t, Op: OpIPCDisconnect})
	}
	for _, t := range k.KickAt {
		d := len(sc.Devices)
		sc.Devices = append(sc.Devices, DeviceSpec{User: 0, Platform: "mobile"})
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
	sortScript(sc.Script)
	return sc, sc.Validate()
}
