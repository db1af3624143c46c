package param

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Param is one parameter of a model whose parameters live in a struct P.
// Build one with Float, Duration, Int, Enum or Custom; the chainable
// methods add its JSON key, unit and per-profile defaults.
type Param[P any] struct {
	Name string // command-line name, e.g. "time-limit"; see Key for YAML
	Doc  string // one line, lower case, no final period
	// Type is the value's kind as --help shows it: float, duration, int,
	// string, names.
	Type string
	// Unit is the docs table's unit column: probability, duration, count, name.
	Unit string
	// Accepted is the accepted range in words, e.g. "between 0 and 1"; range
	// errors say "must be " + Accepted.
	Accepted string
	jsonKey  string
	profiles []profileDefault
	selects  bool // the parameter names the profile (see SelectsProfile)
	ops      Ops[P]
}

type profileDefault struct{ profile, value string }

// Ops are what a parameter does to a P. Set parses s (the text of a flag
// or a YAML scalar) into p and returns a FieldError-style message
// ("must be ... (got ...)") without the field's name; Check reports
// whether the value in p is in range, in the same form.
type Ops[P any] struct {
	Set   func(p *P, s string) error
	Check func(p *P) error
	Get   func(p *P) string      // the value as flag text (replay commands, --help defaults)
	Show  func(p *P) string      // the value for the docs table, if not Get's text
	JSON  func(p *P) (any, bool) // the value in --json output; false omits it
	Copy  func(dst, src *P)      // copies this parameter only
	// Reset and Slice make the parameter repeatable (a flag given several
	// times, a YAML list): Set accumulates, Reset clears, Slice lists the
	// values one per flag.
	Reset func(p *P)
	Slice func(p *P) []string
}

// Key is the parameter's YAML key and the name its file errors use:
// Name with dashes as underscores ("time_limit").
func (q *Param[P]) Key() string { return strings.ReplaceAll(q.Name, "-", "_") }

// JSONKey is the key of the parameter in --json "params" and the sweep
// CSV column; "" when the parameter is not in the JSON output.
func (q *Param[P]) JSONKey() string { return q.jsonKey }

// Repeatable reports whether the parameter accumulates values.
func (q *Param[P]) Repeatable() bool { return q.ops.Reset != nil }

// JSON sets the parameter's JSON key (and sweep CSV column).
func (q *Param[P]) JSON(key string) *Param[P] { q.jsonKey = key; return q }

// WithUnit sets the docs table's unit column.
func (q *Param[P]) WithUnit(u string) *Param[P] { q.Unit = u; return q }

// Profile declares that platform profile name changes the default to value
// (flag syntax). NewRegistry checks the value.
func (q *Param[P]) Profile(name, value string) *Param[P] {
	q.profiles = append(q.profiles, profileDefault{name, value})
	return q
}

// SelectsProfile marks the parameter whose value (Get) names the profile
// whose defaults apply: --profile. See Registry.Resolve.
func (q *Param[P]) SelectsProfile() *Param[P] { q.selects = true; return q }

// Set parses s into p and checks the range.
func (q *Param[P]) Set(p *P, s string) error {
	if err := q.ops.Set(p, s); err != nil {
		return err
	}
	return q.ops.Check(p)
}

// Check reports whether p's value is in range: nil, or "must be ...".
func (q *Param[P]) Check(p *P) error { return q.ops.Check(p) }

// Get returns p's value as flag text.
func (q *Param[P]) Get(p *P) string { return q.ops.Get(p) }

// Value returns p's value as --json shows it; false when omitted.
func (q *Param[P]) Value(p *P) (any, bool) {
	if q.ops.JSON == nil {
		return nil, false
	}
	return q.ops.JSON(p)
}

// Reset clears a repeatable parameter (no value given); it does nothing
// to another.
func (q *Param[P]) Reset(p *P) {
	if q.ops.Reset != nil {
		q.ops.Reset(p)
	}
}

// Slice returns a repeatable parameter's values, one per flag given (nil
// for another).
func (q *Param[P]) Slice(p *P) []string {
	if q.ops.Slice == nil {
		return nil
	}
	return q.ops.Slice(p)
}

// Copy copies the parameter from src to dst.
func (q *Param[P]) Copy(dst, src *P) { q.ops.Copy(dst, src) }

// rangeErr is the error of every range check: "must be ACCEPTED (got V)".
// quoteShort quotes s, or its beginning and its length when it is long.
func quoteShort(s string) string {
	const max = 60
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s... (%d characters)", strconv.Quote(s[:max]), len(s))
}

func rangeErr(accepted string, got any) error {
	return fmt.Errorf("must be %s (got %v)", accepted, got)
}

// Float declares a number in [min, max]; NaN is refused.
func Float[P any](name, doc string, min, max float64, ptr func(*P) *float64) *Param[P] {
	acc := fmt.Sprintf("between %s and %s", ftoa(min), ftoa(max))
	return &Param[P]{Name: name, Doc: doc, Type: "float", Unit: "number", Accepted: acc, ops: Ops[P]{
		Set: func(p *P, s string) error {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) {
				return rangeErr("a number "+acc, strconv.Quote(s))
			}
			*ptr(p) = v
			return nil
		},
		Check: func(p *P) error {
			if v := *ptr(p); !(v >= min && v <= max) {
				return rangeErr(acc, ftoa(v))
			}
			return nil
		},
		Get:  func(p *P) string { return ftoa(*ptr(p)) },
		JSON: func(p *P) (any, bool) { return *ptr(p), true },
		Copy: func(dst, src *P) { *ptr(dst) = *ptr(src) },
	}}
}

// Int declares an integer in [min, max].
func Int[P any](name, doc string, min, max int, ptr func(*P) *int) *Param[P] {
	acc := fmt.Sprintf("between %d and %d", min, max)
	return &Param[P]{Name: name, Doc: doc, Type: "int", Unit: "count", Accepted: acc, ops: Ops[P]{
		Set: func(p *P, s string) error {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64)
			if err != nil {
				return rangeErr("an integer "+acc, strconv.Quote(s))
			}
			if v < int64(min) || v > int64(max) {
				return rangeErr(acc, v)
			}
			*ptr(p) = int(v)
			return nil
		},
		Check: func(p *P) error {
			if v := *ptr(p); v < min || v > max {
				return rangeErr(acc, v)
			}
			return nil
		},
		Get:  func(p *P) string { return strconv.Itoa(*ptr(p)) },
		JSON: func(p *P) (any, bool) { return *ptr(p), true },
		Copy: func(dst, src *P) { *ptr(dst) = *ptr(src) },
	}}
}

// DurationUnit is how a duration appears in --json: seconds or
// milliseconds, as a float.
type DurationUnit int

const (
	Seconds DurationUnit = iota
	Millis
)

// Duration declares a Go duration in [min, max]; zero, if not "", says
// what 0 means (e.g. "no limit"), or what 0 and less mean when min < 0
// (the seed's "timeLimit <= 0: no limit"). unit is its --json unit.
func Duration[P any](name, doc string, min, max time.Duration, zero string, unit DurationUnit, ptr func(*P) *time.Duration) *Param[P] {
	acc := fmt.Sprintf("between %s and %s", FormatDuration(min), FormatDuration(max))
	switch {
	case zero != "" && min < 0:
		acc += ", 0 or less meaning " + zero
	case zero != "":
		acc += ", 0 meaning " + zero
	}
	return &Param[P]{Name: name, Doc: doc, Type: "duration", Unit: "duration", Accepted: acc, ops: Ops[P]{
		Set: func(p *P, s string) error {
			v, err := ParseDuration(s)
			if err != nil {
				return rangeErr("a Go duration (such as 5s) "+acc, strconv.Quote(s))
			}
			*ptr(p) = v
			return nil
		},
		Check: func(p *P) error {
			if v := *ptr(p); v < min || v > max {
				return rangeErr(acc, v)
			}
			return nil
		},
		Get:  func(p *P) string { return ptr(p).String() },
		Show: func(p *P) string { return FormatDuration(*ptr(p)) },
		JSON: func(p *P) (any, bool) {
			if unit == Millis {
				return float64(*ptr(p)) / 1e6, true
			}
			return ptr(p).Seconds(), true
		},
		Copy: func(dst, src *P) { *ptr(dst) = *ptr(src) },
	}}
}

// Enum declares a value of type T named by a string: parse turns a name
// (or a spec such as "fixed:5s") into a T, format turns it back. names,
// if given, lists the accepted names for errors and --help; otherwise
// accepted describes them.
func Enum[P, T any](name, doc, accepted string, names []string, parse func(string) (T, error), format func(T) string, ptr func(*P) *T) *Param[P] {
	return enum(name, doc, accepted, names, parse, format, ptr, false)
}

// Forms declares a parameter written in one of several forms (accepted
// describes them; a reconnection policy), parsed by parse: a refusal
// gives parse's reason after the forms, and a long value only its
// beginning.
func Forms[P, T any](name, doc, accepted string, parse func(string) (T, error), format func(T) string, ptr func(*P) *T) *Param[P] {
	return enum(name, doc, accepted, nil, parse, format, ptr, true)
}

func enum[P, T any](name, doc, accepted string, names []string, parse func(string) (T, error), format func(T) string, ptr func(*P) *T, reasons bool) *Param[P] {
	acc := accepted
	if len(names) > 0 {
		acc = OneOf(names)
	}
	return &Param[P]{Name: name, Doc: doc, Type: "string", Unit: "name", Accepted: acc, ops: Ops[P]{
		Set: func(p *P, s string) error {
			v, err := parse(strings.TrimSpace(s))
			if err != nil && reasons {
				// A free-form value (a policy): the parser's reason says
				// what is wrong, and a long value is not echoed whole.
				return fmt.Errorf("%w: %v", rangeErr(acc, quoteShort(s)), err)
			}
			if err != nil {
				return rangeErr(acc, strconv.Quote(s))
			}
			*ptr(p) = v
			return nil
		},
		Check: func(p *P) error {
			// A T that parse made is in range; check it round-trips.
			s := format(*ptr(p))
			if _, err := parse(s); err != nil {
				return rangeErr(acc, strconv.Quote(s))
			}
			return nil
		},
		Get:  func(p *P) string { return format(*ptr(p)) },
		JSON: func(p *P) (any, bool) { return format(*ptr(p)), true },
		Copy: func(dst, src *P) { *ptr(dst) = *ptr(src) },
	}}
}

// Custom declares a parameter with hand-written ops (e.g. a set of names).
func Custom[P any](name, doc, typ, unit, accepted string, ops Ops[P]) *Param[P] {
	if ops.Check == nil {
		ops.Check = func(*P) error { return nil }
	}
	return &Param[P]{Name: name, Doc: doc, Type: typ, Unit: unit, Accepted: accepted, ops: ops}
}

// OneOf renders names as "a or b" or "one of a, b, c".
func OneOf(names []string) string {
	if len(names) == 2 {
		return names[0] + " or " + names[1]
	}
	return "one of " + strings.Join(names, ", ")
}

// ParseDuration is time.ParseDuration that also takes a bare "0".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// FormatDuration is d.String() without zero trailing units: 720h, 10m,
// 1m30s, 50ms.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
