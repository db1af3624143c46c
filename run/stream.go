package run

import (
	"context"
	"errors"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/sim"
)

// Accumulate runs trials From to From+Trials-1 of rc, checking every
// property of every trial as Run does, and folds them into an Acc whose
// Summary is that of Summarize over Run's outcomes, byte for byte, in
// memory that does not grow with the number of trials.
//
// # Exact quantiles in bounded memory
//
// A trial is a pure function of (seed, trial index, parameters), so the
// trials can be run again. The accumulator keeps the times to connect of
// the first KeepTrials trials; when every success is among them the
// quantiles come from sorting them, as before. Otherwise Accumulate finds
// the value at each quantile's rank by selection passes, each re-running
// the trials (without the property checks) and streaming their times
// through fixed-size per-worker tables:
//
//  1. a histogram over logarithmic buckets (7,424 of them, each 1/128 of
//     an octave wide), with the smallest and largest value seen in each,
//     tells which bucket holds the rank and how many values lie below it;
//  2. if that bucket's smallest and largest values are equal, that is the
//     value; if it holds at most 2^20 values, the next pass collects them
//     and sorts them; otherwise the next pass histograms that bucket's
//     range linearly (4,096 buckets), and so on.
//
// Each pass narrows the range at least 4,096-fold, so a 30-day range of
// nanoseconds (2^52) needs at most five passes, and typically two. Memory
// is KeepTrials*8 bytes plus a few MiB per worker. With several ranks the
// passes serve them all at once.
func Accumulate(ctx context.Context, rc Config) (*Acc, error) {
	workers := max(1, min(rc.Workers, rc.Trials))
	accs := make([]*Acc, workers)
	keep := rc.From + min(rc.Trials, keepTrials)
	if rc.Keep > 0 {
		keep = min(rc.Keep, rc.From+rc.Trials)
	}
	if rc.KeepAll {
		keep = rc.From + rc.Trials
	}
	for i := range accs {
		accs[i] = NewAcc(keep)
		accs[i].msg.keep = keepLatencies / workers
		if rc.KeepAll {
			// A partial holds every latency: a shard over
			// MaxPartialLatencies is refused by its caller.
			accs[i].msg.keep = MaxPartialLatencies
		}
	}
	err := checkedChunks(ctx, rc, workers, func(wk int, trial int, o *sim.TrialOutcome) error {
		if o.Err != nil {
			return o.Err
		}
		accs[wk].Add(trial, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	a := accs[0]
	for _, b := range accs[1:] {
		a.Merge(b)
	}
	keys, maxes := a.selections()
	if len(keys) == 0 || rc.KeepAll {
		return a, nil
	}
	sel, err := selectRanks(ctx, rc, workers, keys, maxes)
	if err != nil {
		return nil, err
	}
	a.sel = sel
	return a, nil
}

// forTrials runs fn on every trial of rc on workers goroutines, each with
// its own World, trials taken in chunks of 64 in increasing order. It stops
// at the lowest trial for which fn returns an error (see Run) and returns
// that error, or ctx.Err() when cancelled. progress: report to
// rc.Progress.
func forTrials(ctx context.Context, rc Config, workers int, progress bool, fn func(worker int, w *sim.World, trial int) error) error {
	return forChunks(ctx, rc, workers, progress, func(wk int, w *sim.World, from, to int, failed *atomic.Int64) (int, error) {
		for i := from; i < to; i++ {
			if int64(i) >= failed.Load() {
				return i, errStopped
			}
			if err := fn(wk, w, i); err != nil {
				return i, err
			}
		}
		return to, nil
	})
}

// errStopped: a chunk function stopped at a trial above the lowest failure.
var errStopped = errors.New("stopped")

// forChunks is forTrials with fn running one chunk, trials from to to-1 in
// order: it returns the first trial whose fn failed and its error, or (to,
// nil); it may stop with errStopped at a trial at or above failed (the
// lowest failing trial so far), and may run trials above a failure (their
// work is lost, never reported).
func forChunks(ctx context.Context, rc Config, workers int, progress bool, fn func(worker int, w *sim.World, from, to int, failed *atomic.Int64) (int, error)) error {
	end := rc.From + rc.Trials
	var next, done atomic.Int64
	next.Store(int64(rc.From))
	var failed atomic.Int64
	failed.Store(int64(end))
	errs := make([]error, workers)
	errAt := make([]int, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := sim.NewWorld(rc.Params, rc.Scenario)
			for ctx.Err() == nil {
				start := int(next.Add(64)) - 64
				if start >= end || int64(start) >= failed.Load() {
					return
				}
				i, err := fn(wk, w, start, min(start+64, end), &failed)
				if err == errStopped {
					return
				}
				if err != nil {
					if errs[wk] == nil || i < errAt[wk] {
						errs[wk], errAt[wk] = err, i
					}
					lowerTo(&failed, int64(i))
					return
				}
				n := done.Add(int64(min(start+64, end) - start))
				if progress && rc.Progress != nil {
					rc.Progress(int(n))
				}
			}
		}()
	}
	wg.Wait()
	if f := int(failed.Load()); f < end {
		for wk := range workers {
			if errs[wk] != nil && errAt[wk] == f {
				return errs[wk]
			}
		}
	}
	return ctx.Err()
}

// checkedChunks runs fn on the checked outcome of every trial of rc, as
// forTrials does, the trials of each chunk run and checked by
// sim.World.RunCheckedRange.
func checkedChunks(ctx context.Context, rc Config, workers int, fn func(worker int, trial int, o *sim.TrialOutcome) error) error {
	pcfg := properties.ConfigFor(rc.Params, rc.Scenario)
	outs := make([][64]sim.TrialOutcome, workers)
	return forChunks(ctx, rc, workers, true, func(wk int, w *sim.World, from, to int, _ *atomic.Int64) (int, error) {
		os := outs[wk][:to-from]
		n := w.RunCheckedRange(rc.Seed, from, to, pcfg, os)
		for k := range n {
			if err := fn(wk, from+k, &os[k]); err != nil {
				return from + k, err
			}
		}
		return to, nil
	})
}

// collectCap: a bucket with at most this many values is collected and
// sorted (8 MiB per rank). A variable for tests.
var collectCap = 1 << 20

// linearBuckets is the width of a refining histogram.
const linearBuckets = 4096

// logBucket maps v >= 0 to one of numLogBuckets buckets, increasing with
// v: values below 256 alone, then 128 buckets per octave.
func logBucket(v int64) int {
	u := uint64(max(v, 0))
	if u < 256 {
		return int(u)
	}
	shift := bits.Len64(u) - 8
	return 256 + (shift-1)*128 + int(u>>shift) - 128
}

const numLogBuckets = 256 + 56*128

// target is the search for the value at one rank of one series.
type target struct {
	series  int
	rank    int
	lo, hi  int64 // the value lies in [lo, hi]
	below   int   // values < lo
	collect bool  // next pass collects [lo, hi] instead of a histogram
	first   bool  // next pass is the logarithmic histogram
	done    bool
	value   int64
}

// histo is one worker's table for one target in one pass.
type histo struct {
	n        []int64
	min, max []int64
	vals     []int64
}

func (t *target) buckets() int {
	if t.first {
		return numLogBuckets
	}
	return linearBuckets
}

func (t *target) bucket(v int64) int {
	if t.first {
		return logBucket(v)
	}
	width := (t.hi-t.lo)/linearBuckets + 1
	return int((v - t.lo) / width)
}

// trialValues calls fn with every value trial result res adds to a
// series: its time to connect (series 0) when it succeeded, and its
// message latencies by path (series 1 to numPaths).
func trialValues(res *sim.Result, fn func(series int, v int64)) {
	if res.Outcome == sim.OutcomeSuccess {
		fn(0, int64(res.TTC))
	}
	if m := res.Msg; m != nil {
		for k, vs := range [numPaths][]time.Duration{m.Live, m.Pull, m.Push} {
			for _, v := range vs {
				fn(1+k, int64(v))
			}
		}
	}
}

// selectRanks returns the value at each of keys (a rank, 0-based in
// increasing order, of a series of trialValues) among rc's trials,
// maxes[series] the series' largest.
func selectRanks(ctx context.Context, rc Config, workers int, keys []selKey, maxes map[int]int64) (map[selKey]int64, error) {
	var ts []*target
	for _, k := range keys {
		if !slices.ContainsFunc(ts, func(t *target) bool { return t.series == k.series && t.rank == k.rank }) {
			ts = append(ts, &target{series: k.series, rank: k.rank, lo: 0, hi: maxes[k.series], first: true})
		}
	}
	for {
		var open []*target
		for _, t := range ts {
			if !t.done {
				open = append(open, t)
			}
		}
		if len(open) == 0 {
			break
		}
		tabs := make([][]histo, workers)
		for wk := range tabs {
			tabs[wk] = make([]histo, len(open))
			for j, t := range open {
				if !t.collect {
					n := t.buckets()
					tabs[wk][j] = histo{n: make([]int64, n), min: make([]int64, n), max: make([]int64, n)}
				}
			}
		}
		err := forTrials(ctx, rc, workers, false, func(wk int, w *sim.World, trial int) error {
			res, err := w.RunTrial(rc.Seed, trial)
			if err != nil {
				return err
			}
			trialValues(&res, func(series int, v int64) {
				for j, t := range open {
					if t.series != series || v < t.lo || v > t.hi {
						continue
					}
					h := &tabs[wk][j]
					if t.collect {
						h.vals = append(h.vals, v)
						continue
					}
					b := t.bucket(v)
					if h.n[b] == 0 || v < h.min[b] {
						h.min[b] = v
					}
					if h.n[b] == 0 || v > h.max[b] {
						h.max[b] = v
					}
					h.n[b]++
				}
			})
			return nil
		})
		if err != nil {
			return nil, err
		}
		for j, t := range open {
			if t.collect {
				var vals []int64
				for wk := range tabs {
					vals = append(vals, tabs[wk][j].vals...)
				}
				slices.Sort(vals)
				t.value, t.done = vals[t.rank-t.below], true
				continue
			}
			m := tabs[0][j]
			for wk := 1; wk < workers; wk++ {
				h := tabs[wk][j]
				for b, n := range h.n {
					if n == 0 {
						continue
					}
					if m.n[b] == 0 || h.min[b] < m.min[b] {
						m.min[b] = h.min[b]
					}
					if m.n[b] == 0 || h.max[b] > m.max[b] {
						m.max[b] = h.max[b]
					}
					m.n[b] += n
				}
			}
			want := int64(t.rank - t.below)
			for b, n := range m.n {
				if want >= n {
					want -= n
					t.below += int(n)
					continue
				}
				t.lo, t.hi, t.first = m.min[b], m.max[b], false
				switch {
				case t.lo == t.hi:
					t.value, t.done = t.lo, true
				case n <= int64(collectCap):
					t.collect = true
				}
				break
			}
		}
	}
	out := map[selKey]int64{}
	for _, t := range ts {
		out[selKey{series: t.series, rank: t.rank}] = t.value
	}
	return out, nil
}
