package sim

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
)

// Params are the model parameters of a run (spec section 11), with the
// run's time limit and horizon.
type Params struct {
	Net    netmodel.Params
	Client fsm.Config
	// TimeLimit is the timeLimit of every Connect that does not name its
	// own; <= 0 means no limit.
	TimeLimit time.Duration
	// Horizon is the most virtual time a trial may run.
	Horizon time.Duration
	// Policy is the server's reconnection-kick policy: default|reconnect-kicked.
	Policy string
	// Detail asks for detail records (messages, timers) in the trace.
	Detail bool
}

// DefaultParams returns the defaults of spec section 11, a 5 s time limit
// and a 10 min horizon.
func DefaultParams() Params {
	return Params{
		Net:       netmodel.DefaultParams(),
		Client:    fsm.DefaultConfig(),
		TimeLimit: 5 * time.Second,
		Horizon:   10 * time.Minute,
		Policy:    "default",
	}
}

// MaxHorizon bounds --horizon so that a trial always ends.
const MaxHorizon = 30 * 24 * time.Hour

// Validate returns a one-line error naming the flag and its accepted range.
func (p Params) Validate() error {
	if err := p.Net.Validate(); err != nil {
		return err
	}
	if err := p.Client.Validate(); err != nil {
		return err
	}
	if p.TimeLimit < 0 {
		return fmt.Errorf("--time-limit must be >= 0, 0 meaning no limit (got %v)", p.TimeLimit)
	}
	if p.Horizon <= 0 || p.Horizon > MaxHorizon {
		return fmt.Errorf("--horizon must be between 1ns and %v (got %v)", MaxHorizon, p.Horizon)
	}
	if p.Policy != "default" && p.Policy != "reconnect-kicked" {
		return fmt.Errorf("--kick-policy must be default or reconnect-kicked (got %q)", p.Policy)
	}
	return nil
}
