package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// optDur is a duration flag that may be unset ("never"); unset is < 0.
type optDur struct{ d *time.Duration }

func (o optDur) String() string {
	if o.d == nil || *o.d < 0 {
		return "never"
	}
	return o.d.String()
}

func (o optDur) Set(s string) error {
	if s == "never" {
		*o.d = -1
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 || v > model.MaxDuration {
		return fmt.Errorf("want a Go duration between 0 and %s such as 30s, or never", param.FormatDuration(model.MaxDuration))
	}
	*o.d = v
	return nil
}

func (optDur) Type() string { return "duration" }

// durList is a repeatable duration flag (also comma-separated).
type durList struct{ l *[]time.Duration }

func (o durList) String() string {
	var s []string
	for _, d := range *o.l {
		s = append(s, d.String())
	}
	return strings.Join(s, ",")
}

func (o durList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		v, err := time.ParseDuration(p)
		if err != nil || v < 0 || v > model.MaxDuration {
			return fmt.Errorf("want Go durations between 0 and %s such as 20s (repeat the flag or separate with commas)", param.FormatDuration(model.MaxDuration))
		}
		if len(*o.l) >= model.MaxKnobValues {
			return fmt.Errorf("at most %d times", model.MaxKnobValues)
		}
		*o.l = append(*o.l, v)
	}
	return nil
}

func (durList) Type() string { return "durations" }

// windowList is a repeatable FROM:TO flag.
type windowList struct {
	name string
	l    *[]model.Window
}

func (o windowList) String() string {
	var s []string
	for _, w := range *o.l {
		to := ""
		if w.To > 0 {
			to = w.To.String()
		}
		s = append(s, w.From.String()+":"+to)
	}
	return strings.Join(s, ",")
}

func (o windowList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		w, err := model.ParseWindow("--"+o.name, p)
		if err != nil {
			return err
		}
		if len(*o.l) >= model.MaxKnobValues {
			return fmt.Errorf("at most %d windows", model.MaxKnobValues)
		}
		*o.l = append(*o.l, w)
	}
	return nil
}

func (windowList) Type() string { return "from:to" }

// durVal is a duration flag; its range is checked by Params.Validate.
type durVal struct{ d *time.Duration }

func (o durVal) String() string { return o.d.String() }

func (o durVal) Set(s string) error {
	if s == "0" {
		*o.d = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a Go duration")
	}
	*o.d = v
	return nil
}

func (durVal) Type() string { return "duration" }

// floatVal parses a float that must not be NaN.
type floatVal struct{ f *float64 }

func (o floatVal) String() string { return strconv.FormatFloat(*o.f, 'g', -1, 64) }

func (o floatVal) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		return fmt.Errorf("not a number")
	}
	*o.f = v
	return nil
}

func (floatVal) Type() string { return "float" }
