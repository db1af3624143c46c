package fsm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Policy is a reconnection policy: the wait (gap) before the next attempt
// after counted transient failure k (k >= 1) of a streak (spec 5.5). It is
// a value: the client core, P6, the explorer, the analytic closed form and
// the CLI all read the schedule from the one Policy in Config (with its
// Jitter, see Backoff), never from a copy.
//
// A Policy draws no random number itself. A jittered one takes uniform
// draws from the Uniform the driver gives it (the trial's RNG stream), so
// runs stay deterministic; a deterministic one never calls it, so it adds
// no draw to a trial.
type Policy interface {
	// Gap returns the wait after failure k. prev is the gap the streak
	// waited after failure k-1 (0 for k = 1); rnd is called only by a
	// jittered policy, and then exactly once.
	Gap(k int, prev time.Duration, rnd Uniform) time.Duration
	// Bounds returns the least and the greatest gap after failure k,
	// whatever the draws. A deterministic policy has lo == hi == Gap.
	Bounds(k int) (lo, hi time.Duration)
	// Longest returns the greatest gap after any failure.
	Longest() time.Duration
	// Deterministic reports whether Gap draws nothing.
	Deterministic() bool
	// ConnectTimeout is the least attempt timeout the policy asks for (0:
	// none; gRPC's MIN_CONNECT_TIMEOUT). See Config.AttemptTimeoutFor.
	ConnectTimeout() time.Duration
	// String is the policy as --policy names it: "rc", "fixed:5s", ...
	String() string
}

// Uniform is a source of uniform draws in [0, 1): the driver's RNG.
type Uniform interface{ Float64() float64 }

// MaxGap bounds every gap a policy may name (30 days, the longest horizon).
const MaxGap = 30 * 24 * time.Hour

// List is a deterministic policy: gap k is Gaps[k-1]; the last repeats.
// rc, rc-legacy, web, fixed:D and list:... are Lists.
type List struct {
	Name string // the --policy text
	Gaps []time.Duration
}

// The named policies.
var (
	// RC is the documented schedule (spec 5.5): 50ms, 250ms, 500ms, 1s,
	// 2s, 4s, 8s, 16s, 32s, then 64s.
	RC = List{"rc", DefaultSchedule}
	// RCLegacy is the schedule before SDK 5.6.2, whose first interval was
	// 0 s ("0.05s (0s before version 5.6.2)", docs.rongcloud.io
	// android-imlib/connection/reconnect-kick; the Flutter page lists 0s).
	RCLegacy = List{"rc-legacy", []time.Duration{
		0, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
		4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, 64 * time.Second}}
	// Web is the web SDK's fixed 5 s retry (seen in @rongcloud/engine).
	Web = List{"web", []time.Duration{5 * time.Second}}
	// GRPC is gRPC's connection backoff (grpc/grpc doc/connection-backoff.md).
	GRPC = Expo{Base: time.Second, Factor: 1.6, Max: 120 * time.Second, Spread: 0.2,
		MinConnect: 20 * time.Second, Name: "grpc"}
)

func (l List) gap(k int) time.Duration { return l.Gaps[min(max(k, 1), len(l.Gaps))-1] }

// Gap returns Gaps[k-1], or the last gap.
func (l List) Gap(k int, _ time.Duration, _ Uniform) time.Duration { return l.gap(k) }

// Bounds returns the gap twice.
func (l List) Bounds(k int) (time.Duration, time.Duration) { return l.gap(k), l.gap(k) }

// Longest returns the longest gap.
func (l List) Longest() time.Duration {
	var m time.Duration
	for _, g := range l.Gaps {
		m = max(m, g)
	}
	return m
}

func (List) Deterministic() bool           { return true }
func (List) ConnectTimeout() time.Duration { return 0 }
func (l List) String() string              { return l.Name }

// Expo is exponential backoff: gap k is min(Max, Base·Factor^(k-1)). With
// Spread > 0 (gRPC's JITTER) gaps after the first are multiplied by a
// uniform factor in [1-Spread, 1+Spread): gRPC draws no jitter for the
// first wait (its first deadline is INITIAL_BACKOFF after the start).
type Expo struct {
	Base, Max  time.Duration
	Factor     float64
	Spread     float64       // 0: none
	MinConnect time.Duration // least attempt timeout (gRPC: 20 s)
	Name       string        // "" : "expo:BASE,FACTOR,MAX"
}

// base returns min(Max, Base·Factor^(k-1)) without overflow.
func (e Expo) base(k int) time.Duration {
	if e.Factor <= 1 {
		return min(e.Base, e.Max)
	}
	g := float64(e.Base)
	for i := 1; i < k && g < float64(e.Max); i++ {
		g = float64(g * e.Factor)
	}
	if g >= float64(e.Max) {
		return e.Max
	}
	return time.Duration(g)
}

// Gap returns the exponential gap, jittered by Spread after the first.
func (e Expo) Gap(k int, _ time.Duration, rnd Uniform) time.Duration {
	b := e.base(k)
	if e.Spread == 0 || k <= 1 {
		return b
	}
	f := float64(1 - e.Spread + float64(2*e.Spread*rnd.Float64()))
	return time.Duration(float64(float64(b) * f))
}

// Bounds returns the gap's range.
func (e Expo) Bounds(k int) (time.Duration, time.Duration) {
	b := e.base(k)
	if e.Spread == 0 || k <= 1 {
		return b, b
	}
	return time.Duration(float64(float64(b) * (1 - e.Spread))), time.Duration(float64(float64(b) * (1 + e.Spread)))
}

// Longest returns the cap (with the spread above it).
func (e Expo) Longest() time.Duration {
	_, hi := e.Bounds(math.MaxInt32)
	return max(hi, e.Base)
}

func (e Expo) Deterministic() bool           { return e.Spread == 0 }
func (e Expo) ConnectTimeout() time.Duration { return e.MinConnect }
func (e Expo) String() string {
	if e.Name != "" {
		return e.Name
	}
	return "expo:" + fmtDur(e.Base) + "," + strconv.FormatFloat(e.Factor, 'g', -1, 64) + "," + fmtDur(e.Max)
}

// Jitter is how a deterministic policy's gaps are randomized, as in the AWS
// Architecture Blog's "Exponential Backoff And Jitter" (Brooker, 2015),
// with the base policy's gap g_k in place of min(cap, base·2^k):
//
//	none:         g_k
//	full:         uniform in [0, g_k)
//	equal:        g_k/2 + uniform in [0, g_k/2)
//	decorrelated: min(cap, uniform in [base, 3·prev)), prev = base at first,
//	              with base the first gap and cap the longest
type Jitter uint8

// The jitters.
const (
	JitterNone Jitter = iota
	JitterFull
	JitterEqual
	JitterDecorrelated
)

var jitterNames = [...]string{"none", "full", "equal", "decorrelated"}

// JitterNames lists the --policy-jitter values.
func JitterNames() []string { return jitterNames[:] }

func (j Jitter) String() string {
	if int(j) < len(jitterNames) {
		return jitterNames[j]
	}
	return "jitter(" + strconv.Itoa(int(j)) + ")"
}

// ParseJitter parses a --policy-jitter value.
func ParseJitter(s string) (Jitter, error) {
	for i, n := range jitterNames {
		if n == s {
			return Jitter(i), nil
		}
	}
	return 0, fmt.Errorf("unknown jitter %q", s)
}

// Backoff is the policy a client follows: a base Policy with a Jitter on
// top. It is itself a Policy; with JitterNone it is the base unchanged.
type Backoff struct {
	Base   Policy
	Jitter Jitter
}

// Gap draws the gap after failure k.
func (b Backoff) Gap(k int, prev time.Duration, rnd Uniform) time.Duration {
	if b.Jitter == JitterNone {
		return b.Base.Gap(k, prev, rnd)
	}
	g := b.Base.Gap(k, prev, nil) // deterministic: ParsePolicy refuses jitter on a jittered base
	switch b.Jitter {
	case JitterFull:
		return uniformIn(0, g, rnd)
	case JitterEqual:
		return g/2 + uniformIn(0, g-g/2, rnd)
	default: // decorrelated
		base, cap := b.Base.Gap(1, 0, nil), b.Base.Longest()
		if k <= 1 || prev < base {
			prev = base
		}
		return min(cap, uniformIn(base, min(3*prev, MaxGap), rnd))
	}
}

// uniformIn returns a uniform gap in [lo, hi) (lo when hi <= lo).
func uniformIn(lo, hi time.Duration, rnd Uniform) time.Duration {
	u := rnd.Float64()
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(float64(u*float64(hi-lo)))
}

// Bounds returns the range of the gap after failure k.
func (b Backoff) Bounds(k int) (time.Duration, time.Duration) {
	lo, hi := b.Base.Bounds(k)
	switch b.Jitter {
	case JitterFull:
		return 0, hi
	case JitterEqual:
		return lo / 2, hi
	case JitterDecorrelated:
		base, cap := b.Base.Gap(1, 0, nil), b.Base.Longest()
		top := base
		for i := 0; i < k && top < cap; i++ {
			top = min(3*top, MaxGap)
		}
		return min(base, cap), min(top, cap)
	}
	return lo, hi
}

// Longest returns the base policy's longest gap (no jitter exceeds it).
func (b Backoff) Longest() time.Duration        { return b.Base.Longest() }
func (b Backoff) Deterministic() bool           { return b.Jitter == JitterNone && b.Base.Deterministic() }
func (b Backoff) ConnectTimeout() time.Duration { return b.Base.ConnectTimeout() }

// String is --policy's text, with "/JITTER" when there is one (the entry
// syntax of ParsePolicyList).
func (b Backoff) String() string {
	if b.Jitter == JitterNone {
		return b.Base.String()
	}
	return b.Base.String() + "/" + b.Jitter.String()
}

// PolicyForms describes the accepted --policy values, for errors and help.
const PolicyForms = "rc, rc-legacy, web, grpc, fixed:D, list:D1,D2,... or expo:BASE,FACTOR,MAX (durations between 0 and 720h; BASE > 0, FACTOR between 1 and 100, MAX >= BASE)"

// ParsePolicy parses a --policy value.
func ParsePolicy(s string) (Policy, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "rc":
		return RC, nil
	case "rc-legacy":
		return RCLegacy, nil
	case "web":
		return Web, nil
	case "grpc":
		return GRPC, nil
	}
	kind, args, ok := strings.Cut(s, ":")
	if !ok {
		return nil, fmt.Errorf("unknown policy %q", s)
	}
	parts := strings.Split(args, ",")
	durs := func() ([]time.Duration, error) {
		out := make([]time.Duration, 0, len(parts))
		for _, p := range parts {
			d, err := parseGap(p)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, nil
	}
	switch kind {
	case "fixed":
		if len(parts) != 1 {
			return nil, errors.New("fixed takes one duration")
		}
		g, err := durs()
		if err != nil {
			return nil, err
		}
		return List{Name: "fixed:" + fmtDur(g[0]), Gaps: g}, nil
	case "list":
		if len(parts) > 1000 {
			return nil, errors.New("list takes at most 1000 durations")
		}
		g, err := durs()
		if err != nil {
			return nil, err
		}
		names := make([]string, len(g))
		for i, d := range g {
			names[i] = fmtDur(d)
		}
		return List{Name: "list:" + strings.Join(names, ","), Gaps: g}, nil
	case "expo":
		if len(parts) != 3 {
			return nil, errors.New("expo takes BASE,FACTOR,MAX")
		}
		base, err := parseGap(parts[0])
		if err != nil {
			return nil, err
		}
		capd, err := parseGap(parts[2])
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		if err != nil || !(f >= 1 && f <= 100) {
			return nil, fmt.Errorf("FACTOR %q must be between 1 and 100", parts[1])
		}
		if base <= 0 || capd < base {
			return nil, errors.New("expo needs 0 < BASE <= MAX")
		}
		return Expo{Base: base, Factor: f, Max: capd}, nil
	}
	return nil, fmt.Errorf("unknown policy %q", s)
}

// NewBackoff combines a policy and a jitter, refusing a jitter on a policy
// that has its own (grpc) and decorrelated jitter on a first gap of 0.
func NewBackoff(p Policy, j Jitter) (Backoff, error) {
	if j == JitterNone {
		return Backoff{p, j}, nil
	}
	if !p.Deterministic() {
		return Backoff{}, fmt.Errorf("policy %s has its own jitter", p)
	}
	if j == JitterDecorrelated && p.Gap(1, 0, nil) <= 0 {
		return Backoff{}, fmt.Errorf("decorrelated jitter needs a first gap > 0 (policy %s)", p)
	}
	return Backoff{p, j}, nil
}

func parseGap(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if s == "0" {
		d, err = 0, nil
	}
	if err != nil || d < 0 || d > MaxGap {
		return 0, fmt.Errorf("gap %q must be a Go duration between 0 and 720h", s)
	}
	return d, nil
}

// fmtDur is d.String() without zero trailing units (1m, not 1m0s). It is
// param.FormatDuration except that 0 is "0s" in policy names; it is a copy
// so that fsm imports no package of the command line's (param links pflag
// and yaml). TestFmtDurIsParams keeps the two equal.
func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
