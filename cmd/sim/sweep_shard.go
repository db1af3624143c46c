// Sweep shards: `sim sweep --shard K/N` runs trials K·T/N to (K+1)·T/N−1
// of every grid point (each point's trials are independent of the
// others', so the shards are balanced however the points differ in cost)
// and writes one partial: per point, in row order, the accumulators of
// its slice. `sim merge` reads the partials of the N shards one point at a
// time and hands the sweep command the merged accumulator of each point
// instead of running it.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// cdfKeep is how many of a point's first trials keep their times to
// connect for the CDF figure (run.KeepTrials; lowered by tests).
var cdfKeep = run.KeepTrials

// shardParts cuts the trials [from, to) at cdfKeep: a sweep partial holds
// one accumulator per part, so that merge can tell the times of the trials
// the CDF draws from the others. Every shard has one part but the one
// whose slice straddles cdfKeep, which has two.
func shardParts(from, to int) [][2]int {
	if from < cdfKeep && cdfKeep < to {
		return [][2]int{{from, cdfKeep}, {cdfKeep, to}}
	}
	return [][2]int{{from, to}}
}

// runShard runs trials [from, to) of every grid point and returns the
// partial's result: a JSON array with one element per point, in row
// order, each a sweepPoint: the digest of the point's parameters and the
// accumulators of shardParts(from, to). A
// point's accumulator is marshalled as soon as the point is done: the
// shard holds its partial's text and one point's times to connect. It
// returns the result's digest too (resultSum).
func (sw *sweep) runShard(ctx context.Context, from, to int, k, n int) (json.RawMessage, string, int64, error) {
	var buf bytes.Buffer
	var lats int64 // the most message latencies of one accumulator
	sum := run.NewResultSum()
	buf.WriteByte('[')
	for i, p := range sw.gridParams() {
		if sw.onPoint != nil {
			sw.onPoint(i)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"point_sha256":%q,"accs":[`, run.Digest(p, sw.scenario))
		for j, part := range shardParts(from, to) {
			rc := run.Config{Params: p, Scenario: sw.scenario, From: part[0], Trials: part[1] - part[0], Seed: sw.seed, Workers: sw.workers, KeepAll: true}
			if sw.progress != nil {
				base := i*(to-from) + part[0] - from
				rc.Progress = func(n int) { sw.progress(base + n) }
			}
			acc, err := run.Accumulate(ctx, rc)
			if err != nil {
				return nil, "", 0, sw.failure(err, p)
			}
			if err := checkLatencies(acc, k, n); err != nil {
				return nil, "", 0, err
			}
			lats = max(lats, acc.MsgLatencies())
			b, err := json.Marshal(acc)
			if err != nil {
				return nil, "", 0, err
			}
			sum.Add(b)
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.Write(b)
		}
		buf.WriteString("]}")
	}
	buf.WriteByte(']')
	return buf.Bytes(), sum.String(), lats, nil
}

// failure is the error of a trial of grid point p that did not finish
// (over the work budget, or a panic), with the command that replays it.
func (sw *sweep) failure(err error, p model.Params) error {
	return trialFailure(err, sw.seed, sw.replay+fmt.Sprintf(" --loss %g --time-limit %s", p.Net.Loss, p.TimeLimit)+netReplay(p)+paramReplay(sw.axes.params, p)+policyFlags(p))
}

// sweepShardOpts is what `sim sweep --shard` needs besides the sweep.
type sweepShardOpts struct {
	k, n  int
	out   string // "": stdout
	quiet bool
	args  []string
}

// writeSweepShard runs the shard and writes its partial.
func writeSweepShard(ctx context.Context, stdout, stderr io.Writer, sw *sweep, o sweepShardOpts) error {
	from, to := run.ShardRange(o.k, o.n, sw.trials)
	npoints := len(sw.gridParams())
	bar := newProgress(stderr, o.quiet, npoints*(to-from))
	if bar != nil {
		sw.progress = func(n int) { _ = bar.Set(n) }
		sw.onPoint = func(i int) { bar.Describe(fmt.Sprintf("point %d/%d", i+1, npoints)) }
	}
	res, sum, lats, err := sw.runShard(ctx, from, to, o.k, o.n)
	finishProgress(bar, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{fmt.Errorf("interrupted before shard %d/%d finished; nothing written", o.k, o.n)}
		}
		return err
	}
	pf := run.PartialHeader{Format: run.PartialFormat, Version: run.PartialVersion, Command: "sweep", Args: o.args, ResultSum: sum, Latencies: lats,
		Seed: sw.seed, Trials: sw.trials, Shard: o.k, Shards: o.n, From: from, To: to,
		Digest: run.Digest(sw.gridParams(), sw.scenario), Result: res}
	return writePartial(stdout, stderr, &pf, o.out, o.quiet)
}

// mergedSweep is what `sim merge` hands the sweep command: the open
// partials of its shards, whose results it reads one grid point at a time.
type mergedSweep struct {
	parts []*run.PartialReader
	run.MergedHeader
	started bool
}

// sweepPoint is one grid point of a sweep partial's result: the digest of
// its parameters (paramsDigest of the point's model.Params), so that points
// out of the grid's order are refused, and its accumulators.
type sweepPoint struct {
	Digest string            `json:"point_sha256"`
	Accs   []json.RawMessage `json:"accs"`
}

// point reads grid point i (0, 1, ... in turn), whose parameters have the
// digest digest, from every partial and returns its merged accumulator
// and the times to connect of its first min(trials, cdfKeep) trials (a
// copy, in no particular order).
func (m *mergedSweep) point(i int, digest string) (*run.Acc, []int64, error) {
	var head, tail *run.Acc
	for _, pr := range m.parts {
		if !m.started {
			if t, err := pr.Dec.Token(); err != nil || t != json.Delim('[') {
				return nil, nil, pr.Fail("result", fmt.Errorf("want an array of grid points (got %s)", run.TokenText(t, err)))
			}
		}
		if !pr.Dec.More() {
			return nil, nil, pr.Fail("result", fmt.Errorf("%d grid points; the grid has more", i))
		}
		var pt sweepPoint
		pr.Allow(fmt.Sprintf("result: grid point %d (shard of %d trials%s)", i, pr.Header.To-pr.Header.From, pr.LatText()), 2*run.AccBound(pr.Header.To-pr.Header.From, pr.Header.Latencies))
		if err := pr.Dec.Decode(&pt); err != nil {
			return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d", i), err)
		}
		if pt.Digest != digest {
			return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d: point_sha256", i), fmt.Errorf("the point ran other parameters than the grid's point %d (points out of order, or from another sweep)", i))
		}
		raw := pt.Accs
		parts := shardParts(pr.Header.From, pr.Header.To)
		if len(raw) != len(parts) {
			return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d", i), fmt.Errorf("%d accumulators; trials %d to %d cut at trial %d make %d", len(raw), pr.Header.From, pr.Header.To-1, cdfKeep, len(parts)))
		}
		for j, part := range parts {
			pr.Sum.Add(raw[j])
			a, err := run.UnmarshalPartial(raw[j], part[0], part[1])
			if err == nil && a.MsgLatencies() > pr.Header.Latencies {
				err = fmt.Errorf("%d message latencies; msg_latencies says at most %d", a.MsgLatencies(), pr.Header.Latencies)
			}
			if err != nil {
				return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d", i), err)
			}
			dst := &tail
			if part[1] <= cdfKeep {
				dst = &head
			}
			if *dst == nil {
				*dst = a
			} else {
				(*dst).Merge(a)
			}
		}
	}
	m.started = true
	if head == nil { // cannot happen: shard 0 starts at trial 0
		return tail, nil, nil
	}
	ttc := slices.Clone(head.TTC)
	if tail != nil {
		head.Merge(tail)
	}
	return head, ttc, nil
}

// finish checks that every partial ends after the grid's last point.
func (m *mergedSweep) finish() error {
	for _, pr := range m.parts {
		if pr.Dec.More() {
			return pr.Fail("result", fmt.Errorf("more grid points than the grid's"))
		}
		if t, err := pr.Dec.Token(); err != nil || t != json.Delim(']') {
			return pr.Fail("result", fmt.Errorf("want the end of the grid points (got %s)", run.TokenText(t, err)))
		}
		if err := pr.End(); err != nil {
			return err
		}
		if err := pr.CheckSum(); err != nil {
			return err
		}
	}
	return nil
}
