package run

import (
	"math"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/sim"
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
	// Msg is the message measures, when some trial carried messages
	// (nil, and absent from the JSON, otherwise).
	Msg *MsgSummary `json:"messages,omitempty"`
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

// Summarize folds trial outcomes, in trial order, into a summary. It
// keeps every time to connect; Accumulate is the bounded-memory form.
func Summarize(outs []sim.TrialOutcome) Summary {
	a := NewAcc(len(outs))
	for i := range outs {
		a.Add(i, &outs[i])
	}
	return a.Summary()
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
