// Package grid is the grid of a sweep: the loss and time-limit grids as
// `sim sweep` and a review file's sweep experiments write them, and the
// closed form (package analytic) at a grid point where it applies. It
// holds what `sim sweep` (cmd/sim) and `sim review` (package review)
// share.
package grid

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// Grid syntax, quoted by every grid error.
const (
	LossForm  = "START:STOP:STEP (inclusive) or a comma list of numbers between 0 and 1, such as 0:0.9:0.1 or 0,0.3,0.5"
	LimitForm = "a comma list of Go durations between -720h and 720h (0 or less means no limit) or START:STOP:STEP, such as 2s,5s,10s,0 or 1s:10s:1s"
	MaxPoints = 10000 // grid points of one sweep
)

// Losses parses a grid of losses: START:STOP:STEP (inclusive) or a
// comma list, each between 0 and 1, none twice, at most MaxPoints.
func Losses(s string) ([]float64, error) {
	num := func(t string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a number", t)
		}
		return v, nil
	}
	var vals []float64
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, errors.New("a range has three parts")
		}
		var r [3]float64
		for i, t := range parts {
			v, err := num(t)
			if err != nil {
				return nil, err
			}
			r[i] = v
		}
		start, stop, step := r[0], r[1], r[2]
		if !(step > 0) {
			return nil, errors.New("STEP must be > 0")
		}
		if stop < start {
			return nil, errors.New("STOP is below START")
		}
		n := math.Floor((stop-start)/step+1e-9) + 1
		if n > MaxPoints {
			return nil, fmt.Errorf("%g points; at most %d", n, MaxPoints)
		}
		for i := range int(n) {
			// Round away the float noise of start + i*step (0.30000000000000004).
			v, _ := strconv.ParseFloat(strconv.FormatFloat(start+float64(i)*step, 'f', 12, 64), 64)
			vals = append(vals, v)
		}
	} else {
		for _, t := range strings.Split(s, ",") {
			v, err := num(t)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
	}
	for i, v := range vals {
		if v < 0 || v > 1 {
			return nil, fmt.Errorf("%g is not between 0 and 1", v)
		}
		if slices.Contains(vals[:i], v) {
			return nil, fmt.Errorf("%g appears twice", v)
		}
	}
	return vals, nil
}

// Limits parses a grid of time limits: a comma list of durations or
// START:STOP:STEP; 0 or less (and "none") is no limit, listed once.
func Limits(s string) ([]time.Duration, error) {
	dur := func(t string) (time.Duration, error) {
		t = strings.TrimSpace(t)
		if t == "0" || t == "none" {
			return 0, nil
		}
		v, err := time.ParseDuration(t)
		if err != nil {
			return 0, fmt.Errorf("%q is not a Go duration", t)
		}
		if v < -model.MaxDuration || v > model.MaxDuration {
			return 0, fmt.Errorf("%v is not between -%s and %s", v, param.FormatDuration(model.MaxDuration), param.FormatDuration(model.MaxDuration))
		}
		return v, nil
	}
	var vals []time.Duration
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, errors.New("a range has three parts")
		}
		var r [3]time.Duration
		for i, t := range parts {
			v, err := dur(t)
			if err != nil {
				return nil, err
			}
			r[i] = v
		}
		start, stop, step := r[0], r[1], r[2]
		if step <= 0 {
			return nil, errors.New("STEP must be > 0")
		}
		if stop < start {
			return nil, errors.New("STOP is below START")
		}
		if n := (stop-start)/step + 1; n > MaxPoints {
			return nil, fmt.Errorf("%d points; at most %d", n, MaxPoints)
		}
		// Count, not v += step: every value is at most model.MaxDuration, so
		// start + i*step cannot wrap.
		for i := range (stop-start)/step + 1 {
			vals = append(vals, start+i*step)
		}
	} else {
		for _, t := range strings.Split(s, ",") {
			v, err := dur(t)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
	}
	// Every value <= 0 is the same point (no limit).
	for i, v := range vals {
		if slices.ContainsFunc(vals[:i], func(w time.Duration) bool { return w == v || w <= 0 && v <= 0 }) {
			return nil, fmt.Errorf("%v appears twice (0 or less means no limit)", LimitText(v))
		}
	}
	return vals, nil
}

// LimitText is a time limit as the sweep's tables write it: "none" for
// no limit.
func LimitText(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return d.String()
}

// ParamAxes are the model parameters (model.Registry names, with dashes)
// that `sim sweep` also takes as grids, a comma list each, in the order
// their values vary in its grid (the first slowest).
var ParamAxes = []string{"msg-rate", "multi-device-sync", "offline-retention", "push-latency", "server-idle-timeout", "attempt", "visit", "tls"}
