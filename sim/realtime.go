package sim

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/rcsim/connsim/trace"
)

// Play runs trial `trial` of seed `seed` on w, pacing it on clk: the event
// due at virtual time t runs at wall time start + t/speed, where start is
// clk.Now() when Play begins. After each event it calls emit for every
// record that event added, in order; the record points into w.Recs and is
// valid only during the call (copy it to keep it). Play returns the trial's
// Result, with a *BudgetError if the trial ran out of its work budget. A canceled ctx stops it early with ctx.Err(), and an error from
// emit stops it with that error; either way the Result returned is the
// trial's result so far. speed must be > 0; +Inf means no pacing at all.
//
// # How time flows
//
// Virtual time is the truth. Play drives the very same kernel as
// World.Run: Begin, then NextAt and Step until the trial ends, so the
// events, their order, every random draw and the records are exactly those
// of w.Run(seed, trial). The wall clock only paces the output: before each
// Step, Play waits until the wall clock reaches the due time of the event
// the kernel says is next (NextAt). It never asks the clock what happens
// next, and nothing runs on a clock callback, so the clock can make a trace
// late but never different.
//
// Every due time is computed from start (start + t/speed), not by adding up
// the waits, so neither rounding nor late timer wake-ups accumulate: an
// event that is already due when the previous one is done (a slow emit, a
// late timer, a stalled terminal) runs at once, and the trace catches up.
// Events at the same virtual time run back to back, without consulting the
// clock in between. Waiting uses at most one clk.Timer per distinct due time,
// stopped as soon as ctx is done.
//
// # Why the simulator never runs on clock.Mock
//
// Simulated trials (sim run, sim trace without --realtime) are driven by
// the virtual-time event queue of World, never by a clock.Mock. The mock
// sleeps 1 ms of real time in every Add and again after firing every timer
// (about 2.2 ms of real time per timer fired), so a trial of a few hundred
// timers would take most of a second instead of microseconds; and it runs
// AfterFunc callbacks on new goroutines, so two timers due at the same
// instant may run in either order, which would make traces depend on the
// scheduler. The mock is used only to test this driver, where it stands in
// for the wall clock.
func Play(ctx context.Context, clk clock.Clock, w *World, seed uint64, trial int, speed float64, emit func(*trace.Record) error) (Result, error) {
	if !(speed > 0) { // also rejects NaN
		return Result{}, errors.New("sim: Play speed must be > 0")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	start := clk.Now()
	w.Begin(seed, trial)
	reached := time.Duration(0) // the latest wall offset already waited for
	emitted := 0
	for {
		at, ok := w.NextAt()
		if !ok {
			break
		}
		if off := wallOffset(at, speed); off > reached {
			if err := waitUntil(ctx, clk, start, off); err != nil {
				return w.Result(), err
			}
			reached = off
		}
		if err := ctx.Err(); err != nil {
			return w.Result(), err
		}
		more := w.Step()
		for ; emitted < len(w.Recs); emitted++ {
			if err := emit(&w.Recs[emitted]); err != nil {
				return w.Result(), err
			}
		}
		if !more {
			break
		}
	}
	return w.Result(), w.Err()
}

// wallOffset is the wall-clock offset from the start at which an event due
// at virtual time t runs: t/speed, saturated at the largest Duration.
func wallOffset(t time.Duration, speed float64) time.Duration {
	f := float64(t) / speed
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(f)
}

// waitUntil blocks until the wall clock reaches start+off, or ctx is done.
func waitUntil(ctx context.Context, clk clock.Clock, start time.Time, off time.Duration) error {
	elapsed := max(clk.Since(start), 0)
	d := off - elapsed
	if d <= 0 {
		return nil
	}
	t := clk.Timer(d)
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}
