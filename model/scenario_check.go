package model

import (
	"fmt"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/server"
)

// sortScript orders actions by time; actions at the same time keep their
// list order (they run in the order they were scheduled).
func sortScript(s []Action) {
	slices.SortStableFunc(s, func(a, b Action) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
}

// FieldError is a scenario value out of range. Path is the field as a
// scenario file writes it ("devices[3].user", "script[7].at"), so that a
// file's errors can name FILE:LINE (see ParseFile).
type FieldError struct {
	Path string
	Msg  string // "must be ... (got ...)"
}

func (e *FieldError) Error() string { return "scenario: " + e.Path + " " + e.Msg }

// webKickRefused is the error of a web device's reconnect_kick.
const webKickRefused = "must be left out for a web device: web SDKs cannot set the reconnection kick (only mobile and desktop clients can, once the Console switch is on)"

func fieldErr(path string, format string, a ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, a...)}
}

// checkTime checks a scripted time or duration: 0 to MaxDuration.
func checkTime(path string, d time.Duration, zero string) error {
	if d < 0 || d > MaxDuration {
		if zero != "" {
			zero = ", 0 meaning " + zero
		}
		return fieldErr(path, "must be between 0 and %s%s (got %v)", param.FormatDuration(MaxDuration), zero, d)
	}
	return nil
}

// Validate checks every count, index and time of the scenario against the
// limits (limits.go).
func (s *Scenario) Validate() error {
	if len(s.Devices) == 0 {
		return fieldErr("devices", "must list at least one device")
	}
	if len(s.Devices) > MaxDevices {
		return fieldErr("devices", "must list at most %d devices (got %d)", MaxDevices, len(s.Devices))
	}
	for i, d := range s.Devices {
		if d.Platform >= server.NumPlatforms {
			return fieldErr(fmt.Sprintf("devices[%d].platform", i), "must be %s (got %q)", server.PlatformNames, d.Platform.String())
		}
		if d.Kick != server.KickUnset && d.Platform == server.Web {
			return fieldErr(fmt.Sprintf("devices[%d].reconnect_kick", i), webKickRefused)
		}
		if d.User < 0 || d.User >= MaxUsers {
			return fieldErr(fmt.Sprintf("devices[%d].user", i), "must be between 0 and %d (got %d)", MaxUsers-1, d.User)
		}
	}
	if len(s.Tokens) < len(s.Devices) {
		return fieldErr("tokens", "must have one token per device at least (%d devices, %d tokens)", len(s.Devices), len(s.Tokens))
	}
	if len(s.Tokens) > MaxTokens {
		return fieldErr("tokens", "must list at most %d tokens (got %d)", MaxTokens, len(s.Tokens))
	}
	if len(s.AppKeys) == 0 {
		return fieldErr("app_keys", "must list at least one app key")
	}
	if len(s.AppKeys) > MaxAppKeys {
		return fieldErr("app_keys", "must list at most %d app keys (got %d)", MaxAppKeys, len(s.AppKeys))
	}
	for i, k := range s.AppKeys {
		if k > server.AppDeleted {
			return fieldErr(fmt.Sprintf("app_keys[%d]", i), "must be valid, wrong, blocked or deleted (got %q)", k.String())
		}
	}
	for i, t := range s.Tokens {
		if t.AppKey < 0 || t.AppKey >= len(s.AppKeys) {
			return fieldErr(fmt.Sprintf("tokens[%d].app_key", i), "must be between 0 and %d, an index into app_keys (got %d)", len(s.AppKeys)-1, t.AppKey)
		}
		if t.User < 0 || t.User >= MaxUsers {
			return fieldErr(fmt.Sprintf("tokens[%d].user", i), "must be between 0 and %d (got %d)", MaxUsers-1, t.User)
		}
		// ExpiresAt <= 0 means never (a file's negative expires is refused
		// in File.Scenario).
		if err := checkTime(fmt.Sprintf("tokens[%d].expires", i), max(t.ExpiresAt, 0), "never"); err != nil {
			return err
		}
	}
	if len(s.BlockedUsers) > MaxUsers {
		return fieldErr("blocked_users", "must list at most %d users (got %d)", MaxUsers, len(s.BlockedUsers))
	}
	for i, u := range s.BlockedUsers {
		if u < 0 || u >= MaxUsers {
			return fieldErr(fmt.Sprintf("blocked_users[%d]", i), "must be between 0 and %d (got %d)", MaxUsers-1, u)
		}
	}
	if s.InitKey < 0 || s.InitKey >= len(s.AppKeys) {
		return fieldErr("init_key", "must be between 0 and %d (got %d)", len(s.AppKeys)-1, s.InitKey)
	}
	if len(s.Script) > MaxScriptActions {
		return fieldErr("script", "must list at most %d actions (got %d)", MaxScriptActions, len(s.Script))
	}
	for i, a := range s.Script {
		at := func(f string) string { return fmt.Sprintf("script[%d].%s", i, f) }
		if err := checkTime(at("at"), a.At, ""); err != nil {
			return err
		}
		if i > 0 && a.At < s.Script[i-1].At {
			return fieldErr(at("at"), "must not come before script[%d].at (%v); list actions in time order", i-1, s.Script[i-1].At)
		}
		if a.Op == 0 || a.Op >= numOps {
			return fieldErr(at("do"), "is missing or unknown")
		}
		if a.Op.device() && (a.Dev < 0 || a.Dev >= len(s.Devices)) && !(a.Op == OpLoss && a.Dev == -1) {
			return fieldErr(at("dev"), "must be between 0 and %d (got %d)", len(s.Devices)-1, a.Dev)
		}
		switch a.Op {
		case OpConnect, OpTokenExpire, OpTokenInvalidate:
			if a.Token < -1 || a.Token >= len(s.Tokens) || (a.Token == -1 && a.Op != OpConnect) {
				return fieldErr(at("token"), "must be between 0 and %d (got %d)", len(s.Tokens)-1, a.Token)
			}
			if a.HasLimit && (a.TimeLimit < -MaxDuration || a.TimeLimit > MaxDuration) {
				// <= 0 means no limit (the seed's timeLimit <= 0).
				return fieldErr(at("time_limit"), "must be between -%s and %s, 0 or less meaning no limit (got %v)",
					param.FormatDuration(MaxDuration), param.FormatDuration(MaxDuration), a.TimeLimit)
			}
		case OpAddListener, OpRemoveListener:
			if a.Listener < 0 || a.Listener >= MaxListeners {
				return fieldErr(at("listener"), "must be between 0 and %d (got %d)", MaxListeners-1, a.Listener)
			}
		case OpLoss, OpUnavailable:
			if !(a.Value >= 0 && a.Value <= 1) {
				return fieldErr(at("value"), "must be between 0 and 1 (got %v)", a.Value)
			}
		case OpMessage:
			if a.User < 0 || a.User >= s.Users() {
				return fieldErr(at("to"), "must be between 0 and %d, a user of the scenario (got %d)", s.Users()-1, a.User)
			}
			if a.Conv < 0 || a.Conv > MaxConv {
				return fieldErr(at("conv"), "must be between 0 and %d (got %d)", MaxConv, a.Conv)
			}
		case OpBlockUser, OpUnblockUser:
			if a.User < 0 || a.User >= s.Users() {
				return fieldErr(at("user"), "must be between 0 and %d, a user of the scenario (got %d)", s.Users()-1, a.User)
			}
		case OpServerDown, OpServerUp:
			if a.Server < 0 || a.Server >= fsm.MaxServers {
				return fieldErr(at("server"), "must be between 0 and %d, a listed server (below --servers) (got %d)", fsm.MaxServers-1, a.Server)
			}
		case OpAppKey:
			if a.State > server.AppDeleted {
				return fieldErr(at("state"), "must be valid, wrong, blocked or deleted (got %q)", a.State.String())
			}
		}
	}
	return nil
}

// FitsProfile checks what of the scenario depends on the profile p runs,
// which the command line may set after the file was read: a device without
// its native library (native_lib: missing) needs an SDK that loads one in a
// process of its own (android). The error names --profile, the flag whose
// value does not fit.
func (s *Scenario) FitsProfile(p Params) error {
	prof := p.Client.Profile.Or()
	if prof.IPCProcess {
		return nil
	}
	for i, d := range s.Devices {
		if d.NoNativeLib {
			return fmt.Errorf("--profile must be android for a scenario whose devices[%d].native_lib is missing: only Android's SDK loads a native library in a process of its own (got %s)", i, prof.Name)
		}
	}
	return nil
}
