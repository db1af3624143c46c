package sim

import (
	"math"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"gonum.org/v1/gonum/stat"
)

// Summary is what `sim run` reports. Its JSON form is the machine-readable
// output (`sim run --json`); field names are part of the CLI's contract.
type Summary struct {
	Trials     int `json:"trials"`
	Successes  int `json:"successes"`
	Timeouts   int `json:"timeouts"`
	Unfinished int `json:"unfinished"`
	Stopped    int `json:"stopped"`
	NoConnect  int `json:"no_connect"`
	Violations int `json:"violations"`
	// Offline counts trials that ended with a device stranded in TIMEOUT
	// on a working network (ignore-timeout quirk only; see Result.Offline).
	Offline int `json:"offline_at_end,omitempty"`
	// SuccessRate is Successes/Trials: success of the first Connect call
	// within its time limit (or at all, with no limit).
	SuccessRate float64 `json:"success_rate"`
	CILow       float64 `json:"ci_low"`  // 95% Wilson score interval
	CIHigh      float64 `json:"ci_high"` // 95% Wilson score interval
	// TTC is the time from Connect to onSuccess over successful trials, in
	// milliseconds.
	TTC          Quantiles `json:"ttc_ms"`
	AttemptsMean float64   `json:"attempts_mean"`
	AttemptsMax  int       `json:"attempts_max"`
	// Errors maps each onError code of first calls, 34006 included, to its count.
	Errors map[fsm.Code]int `json:"errors"`
	// ViolationsBy maps a property id to the number of trials violating it.
	ViolationsBy map[string]int `json:"violations_by_property"`
	Failing      []Failing      `json:"failing_trials"`
	// ObservedLossRate is the share of messages (packets over TCP) lost by
	// the loss model, over every trial, link and direction; messages
	// dropped because the device was offline do not count.
	ObservedLossRate float64 `json:"observed_loss_rate"`
	// MeanBurstLength is the mean length of a run of consecutive losses
	// on one direction of one link (0 when nothing was lost).
	MeanBurstLength float64 `json:"mean_burst_length"`
}

// Quantiles of a duration distribution, in milliseconds. Empirical
// quantiles (the smallest sample with CDF >= p); all zero when empty.
type Quantiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Failing names a trial with a property violation.
type Failing struct {
	Trial    int    `json:"trial"`
	Property string `json:"property"`
	Message  string `json:"message"`
}

// MaxFailingListed bounds Summary.Failing.
const MaxFailingListed = 5

// Summarize folds trial outcomes, in trial order, into a summary.
func Summarize(outs []TrialOutcome) Summary {
	s := Summary{Trials: len(outs), Errors: map[fsm.Code]int{}, ViolationsBy: map[string]int{}, Failing: []Failing{}}
	var ttc []float64
	var attempts int64
	var sent, lost, bursts uint64
	for i := range outs {
		o := &outs[i]
		switch o.Outcome {
		case OutcomeSuccess:
			s.Successes++
			ttc = append(ttc, float64(o.TTC)/float64(time.Millisecond))
		case OutcomeError:
			s.Errors[o.Code]++
			if o.Code == fsm.ConnectTimeout {
				s.Timeouts++
			}
		case OutcomeStopped:
			s.Stopped++
		case OutcomeUnfinished:
			s.Unfinished++
		case OutcomeNoConnect:
			s.NoConnect++
		}
		if o.Offline {
			s.Offline++
		}
		attempts += int64(o.Attempts)
		sent, lost, bursts = sent+o.NetSent, lost+o.NetLost, bursts+o.NetBursts
		s.AttemptsMax = max(s.AttemptsMax, int(o.Attempts))
		if o.NViolations > 0 {
			s.Violations++
			seen := map[string]bool{}
			for _, v := range o.Violations {
				if !seen[v.Property] {
					seen[v.Property] = true
					s.ViolationsBy[v.Property]++
				}
			}
			if len(s.Failing) < MaxFailingListed {
				v := o.Violations[0]
				s.Failing = append(s.Failing, Failing{Trial: i, Property: v.Property, Message: v.String()})
			}
		}
	}
	if s.Trials > 0 {
		s.AttemptsMean = float64(attempts) / float64(s.Trials)
		s.SuccessRate = float64(s.Successes) / float64(s.Trials)
		s.CILow, s.CIHigh = Wilson(s.Successes, s.Trials, 1.959963984540054)
	}
	if sent > 0 {
		s.ObservedLossRate = float64(lost) / float64(sent)
	}
	if bursts > 0 {
		s.MeanBurstLength = float64(lost) / float64(bursts)
	}
	if len(ttc) > 0 {
		slices.Sort(ttc)
		s.TTC = Quantiles{
			P50: stat.Quantile(0.50, stat.Empirical, ttc, nil),
			P90: stat.Quantile(0.90, stat.Empirical, ttc, nil),
			P99: stat.Quantile(0.99, stat.Empirical, ttc, nil),
			Max: ttc[len(ttc)-1],
		}
	}
	return s
}

// Wilson returns the Wilson score interval for k successes in n trials at
// normal quantile z (1.96 for 95%).
func Wilson(k, n int, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	z2 := z * z
	den := 1 + z2/nn
	mid := (p + z2/(2*nn)) / den
	half := z / den * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn))
	// Rounding can put an end a hair inside p (p = 1 gives hi = 1-2^-53);
	// the interval always contains the estimate.
	return math.Max(0, math.Min(mid-half, p)), math.Min(1, math.Max(mid+half, p))
}
