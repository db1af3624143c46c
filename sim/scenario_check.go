package sim

import (
	"fmt"
	"slices"
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

// Validate checks that every index the scenario uses exists.
func (s *Scenario) Validate() error {
	if len(s.Devices) == 0 {
		return fmt.Errorf("scenario: devices: at least one device is needed")
	}
	if len(s.Devices) > 1000 {
		return fmt.Errorf("scenario: devices: at most 1000 devices (got %d)", len(s.Devices))
	}
	for i, d := range s.Devices {
		switch d.Platform {
		case "mobile", "desktop", "web":
		default:
			return fmt.Errorf("scenario: devices[%d].platform must be mobile, desktop or web (got %q)", i, d.Platform)
		}
		if d.User < 0 {
			return fmt.Errorf("scenario: devices[%d].user must be >= 0 (got %d)", i, d.User)
		}
	}
	if len(s.Tokens) < len(s.Devices) {
		return fmt.Errorf("scenario: tokens: need one token per device at least (%d devices, %d tokens)", len(s.Devices), len(s.Tokens))
	}
	if len(s.AppKeys) == 0 {
		return fmt.Errorf("scenario: app_keys: at least one app key is needed")
	}
	for i, k := range s.AppKeys {
		switch k {
		case "valid", "wrong", "blocked", "deleted":
		default:
			return fmt.Errorf("scenario: app_keys[%d] must be valid, wrong, blocked or deleted (got %q)", i, k)
		}
	}
	for i, t := range s.Tokens {
		if t.AppKey < 0 || t.AppKey >= len(s.AppKeys) || t.User < 0 {
			return fmt.Errorf("scenario: tokens[%d]: app_key must be in [0,%d) and user >= 0", i, len(s.AppKeys))
		}
	}
	if s.InitKey < 0 || s.InitKey >= len(s.AppKeys) {
		return fmt.Errorf("scenario: init_key must be in [0,%d) (got %d)", len(s.AppKeys), s.InitKey)
	}
	for i, a := range s.Script {
		if a.At < 0 {
			return fmt.Errorf("scenario: script[%d].at must be >= 0 (got %v)", i, a.At)
		}
		if i > 0 && a.At < s.Script[i-1].At {
			return fmt.Errorf("scenario: script[%d] comes before script[%d] in time; list actions in time order", i, i-1)
		}
		if a.Op == 0 || a.Op >= numOps {
			return fmt.Errorf("scenario: script[%d].do is missing or unknown", i)
		}
		if a.Op.device() && (a.Dev < 0 || a.Dev >= len(s.Devices)) && !(a.Op == OpLoss && a.Dev == -1) {
			return fmt.Errorf("scenario: script[%d].dev must be in [0,%d) (got %d)", i, len(s.Devices), a.Dev)
		}
		switch a.Op {
		case OpConnect, OpTokenExpire, OpTokenInvalidate:
			if a.Token < -1 || a.Token >= len(s.Tokens) || (a.Token == -1 && a.Op != OpConnect) {
				return fmt.Errorf("scenario: script[%d].token must be in [0,%d) (got %d)", i, len(s.Tokens), a.Token)
			}
		case OpLoss, OpUnavailable:
			if !(a.Value >= 0 && a.Value <= 1) {
				return fmt.Errorf("scenario: script[%d].value must be between 0 and 1 (got %v)", i, a.Value)
			}
		case OpBlockUser, OpUnblockUser:
			if a.User < 0 || a.User >= s.users() {
				return fmt.Errorf("scenario: script[%d].user must be in [0,%d) (got %d)", i, s.users(), a.User)
			}
		case OpAppKey:
			switch a.State {
			case "valid", "wrong", "blocked", "deleted":
			default:
				return fmt.Errorf("scenario: script[%d].state must be valid, wrong, blocked or deleted (got %q)", i, a.State)
			}
		}
	}
	return nil
}
