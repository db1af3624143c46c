package run

import (
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
)

// Acc folds trial outcomes into a Summary in memory that does not grow
// with the number of trials (see Accumulate): counts, sums, the first
// failing trials, the histogram of attempts per trial, and the times to
// connect of at most KeepTrials trials. Outcomes may be added in any order
// and Accs merged: the Summary is the same as Summarize's of the outcomes
// in trial order, quantiles included (exact; see Quantiles and
// Accumulate's selection passes).
type Acc struct {
	s        Summary // counts, Errors, ViolationsBy; Failing sorted by trial
	attempts int64
	sent     uint64
	lost     uint64
	bursts   uint64
	// AttemptCounts[k] is the number of trials that started k attempts.
	AttemptCounts []int64
	// TTC holds the time to connect (ns) of every successful trial below
	// KeepBelow (in no particular order); TTCMax is the largest of all.
	TTC       []int64
	KeepBelow int
	TTCMax    int64
	// sel holds the values at the quantiles' ranks of a series whose
	// values are not all kept (filled by the selection passes).
	sel map[selKey]int64
	msg msgAcc // the message measures
}

// selKey names one value a selection pass looks for: the value at rank
// (0-based, increasing order) of a series: 0 the times to connect, 1 to
// numPaths the message latencies by path.
type selKey struct{ series, rank int }

// KeepTrials is the most trials whose times to connect a run keeps in
// memory (8 bytes per success: at most 32 MiB). A run of at most that many
// trials sorts them for its quantiles, exactly as before; a bigger run
// keeps those of its first KeepTrials trials (for the CDF figure, which
// then shows that prefix) and finds its quantiles by selection passes.
const KeepTrials = 1 << 22

// keepTrials is KeepTrials, lowered by tests to exercise the selection.
var keepTrials = KeepTrials

// NewAcc returns an empty accumulator that keeps the times to connect of
// trials below keepBelow.
func NewAcc(keepBelow int) *Acc {
	return &Acc{s: Summary{Errors: map[fsm.Code]int{}, ViolationsBy: map[string]int{}, Failing: []Failing{}}, KeepBelow: keepBelow,
		msg: msgAcc{keep: keepAll}}
}

// Add folds trial's outcome in.
func (a *Acc) Add(trial int, o *sim.TrialOutcome) {
	s := &a.s
	s.Trials++
	switch o.Outcome {
	case sim.OutcomeSuccess:
		s.Successes++
		v := int64(o.TTC)
		a.TTCMax = max(a.TTCMax, v)
		if trial < a.KeepBelow {
			a.TTC = append(a.TTC, v)
		}
	case sim.OutcomeError:
		s.Errors[o.Code]++
		if o.Code == fsm.ConnectTimeout {
			s.Timeouts++
		}
	case sim.OutcomeStopped:
		s.Stopped++
	case sim.OutcomeUnfinished:
		s.Unfinished++
	case sim.OutcomeNoConnect:
		s.NoConnect++
	}
	if o.Offline {
		s.Offline++
	}
	a.attempts += int64(o.Attempts)
	a.sent, a.lost, a.bursts = a.sent+o.NetSent, a.lost+o.NetLost, a.bursts+o.NetBursts
	s.AttemptsMax = max(s.AttemptsMax, int(o.Attempts))
	if k := int(max(o.Attempts, 0)); k < len(a.AttemptCounts) {
		a.AttemptCounts[k]++
	} else {
		a.AttemptCounts = append(a.AttemptCounts, make([]int64, k+1-len(a.AttemptCounts))...)
		a.AttemptCounts[k]++
	}
	if o.Msg != nil {
		a.msg.add(o.Msg)
	}
	if o.NViolations > 0 {
		s.Violations++
		seen := map[string]bool{}
		for _, v := range o.Violations {
			if !seen[v.Property] {
				seen[v.Property] = true
				s.ViolationsBy[v.Property]++
			}
		}
		v := o.Violations[0]
		a.addFailing(Failing{Trial: trial, Property: v.Property, Message: v.String()})
	}
}

// addFailing keeps the MaxFailingListed lowest trials, in trial order.
func (a *Acc) addFailing(f Failing) {
	fl := a.s.Failing
	if len(fl) == MaxFailingListed && f.Trial > fl[len(fl)-1].Trial {
		return
	}
	i, _ := slices.BinarySearchFunc(fl, f.Trial, func(x Failing, t int) int { return x.Trial - t })
	fl = slices.Insert(fl, i, f)
	a.s.Failing = fl[:min(len(fl), MaxFailingListed)]
}

// Merge folds b (the outcomes of other trials) into a.
func (a *Acc) Merge(b *Acc) {
	s, t := &a.s, &b.s
	s.Trials += t.Trials
	s.Successes += t.Successes
	s.Timeouts += t.Timeouts
	s.Unfinished += t.Unfinished
	s.Stopped += t.Stopped
	s.NoConnect += t.NoConnect
	s.Violations += t.Violations
	s.Offline += t.Offline
	s.AttemptsMax = max(s.AttemptsMax, t.AttemptsMax)
	for c, n := range t.Errors {
		s.Errors[c] += n
	}
	for p, n := range t.ViolationsBy {
		s.ViolationsBy[p] += n
	}
	for _, f := range t.Failing {
		a.addFailing(f)
	}
	a.attempts += b.attempts
	a.sent, a.lost, a.bursts = a.sent+b.sent, a.lost+b.lost, a.bursts+b.bursts
	if len(b.AttemptCounts) > len(a.AttemptCounts) {
		a.AttemptCounts = append(a.AttemptCounts, make([]int64, len(b.AttemptCounts)-len(a.AttemptCounts))...)
	}
	for k, n := range b.AttemptCounts {
		a.AttemptCounts[k] += n
	}
	a.TTC = append(a.TTC, b.TTC...)
	a.TTCMax = max(a.TTCMax, b.TTCMax)
	a.msg.merge(&b.msg)
}

// Complete reports whether TTC holds every success, so that the quantiles
// need no selection pass.
func (a *Acc) Complete() bool { return len(a.TTC) == a.s.Successes }

// quantileProbs are the quantiles of Summary.TTC other than the maximum.
var quantileProbs = [...]float64{0.50, 0.90, 0.99}

// ranks returns the ranks the summary's time-to-connect quantiles need.
func (a *Acc) ranks() []int {
	out := make([]int, len(quantileProbs))
	for i, p := range quantileProbs {
		out[i] = model.EmpiricalRank(p, a.s.Successes)
	}
	return out
}

// selections returns the values the selection passes must find: those of
// every series whose values are not all kept, with each series' largest.
func (a *Acc) selections() (keys []selKey, maxes map[int]int64) {
	maxes = map[int]int64{}
	if !a.Complete() && a.s.Successes > 0 {
		for _, r := range a.ranks() {
			keys = append(keys, selKey{series: 0, rank: r})
		}
		maxes[0] = a.TTCMax
	}
	if !a.msg.complete() {
		keys = append(keys, a.msg.ranks()...)
		for k := range numPaths {
			maxes[1+k] = a.msg.max[k]
		}
	}
	return keys, maxes
}

// MsgComplete reports whether the accumulator holds every message
// latency (a shard's partial must).
func (a *Acc) MsgComplete() bool { return a.msg.complete() }

// MsgLatencies is the number of message latencies the accumulator counts.
func (a *Acc) MsgLatencies() int64 { return a.msg.total() }

// Summary returns the summary. Unless Complete, the selection passes must
// have filled the values at the quantiles' ranks.
func (a *Acc) Summary() Summary {
	s := a.s
	s.Errors, s.ViolationsBy = maps(a.s.Errors), mapsS(a.s.ViolationsBy)
	s.Failing = slices.Clone(a.s.Failing)
	if s.Trials > 0 {
		s.AttemptsMean = float64(a.attempts) / float64(s.Trials)
		s.SuccessRate = float64(s.Successes) / float64(s.Trials)
		s.CILow, s.CIHigh = Wilson(s.Successes, s.Trials, 1.959963984540054)
	}
	if a.sent > 0 {
		s.ObservedLossRate = float64(a.lost) / float64(a.sent)
	}
	if a.bursts > 0 {
		s.MeanBurstLength = float64(a.lost) / float64(a.bursts)
	}
	if s.Successes > 0 {
		ms := func(v int64) float64 { return float64(v) / float64(time.Millisecond) }
		var at [len(quantileProbs)]int64
		if a.Complete() {
			slices.Sort(a.TTC)
			for i, r := range a.ranks() {
				at[i] = a.TTC[r]
			}
		} else {
			for i, r := range a.ranks() {
				at[i] = a.sel[selKey{series: 0, rank: r}]
			}
		}
		s.TTC = Quantiles{P50: ms(at[0]), P90: ms(at[1]), P99: ms(at[2]), Max: ms(a.TTCMax)}
	}
	if a.msg.trials > 0 {
		s.Msg = a.msg.summary(a.sel)
	}
	return s
}

func maps(m map[fsm.Code]int) map[fsm.Code]int {
	out := make(map[fsm.Code]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mapsS(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
