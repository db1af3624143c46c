// Sweep shards: `sim sweep --shard K/N` runs trials K·T/N to (K+1)·T/N−1
// of every grid point (each point's trials are independent of the
// others', so the shards are balanced however the points differ in cost)
// and writes one partial: per point, in row order, the accumulators of
// its slice. `sim merge` reads the partials of the N shards one point at a
// time (merge.go) and makes the rows from the merged accumulator of each
// point instead of running it.

package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// CDFKeep is how many of a point's first trials keep their times to
// connect for the CDF figure (run.KeepTrials; lowered by tests).
var CDFKeep = run.KeepTrials

// shardParts cuts the trials [from, to) at CDFKeep: a sweep partial holds
// one accumulator per part, so that merge can tell the times of the trials
// the CDF draws from the others. Every shard has one part but the one
// whose slice straddles CDFKeep, which has two.
func shardParts(from, to int) [][2]int {
	if from < CDFKeep && CDFKeep < to {
		return [][2]int{{from, CDFKeep}, {CDFKeep, to}}
	}
	return [][2]int{{from, to}}
}

// RunShard runs shard k of n, trials [from, to) of every grid point, and
// returns its partial, Flags left for the command to fill. The result is a
// JSON array with one element per point, in row order, each a
// sweepPoint: the digest of the point's parameters and the accumulators
// of shardParts(from, to). A point's accumulator is marshalled as soon as
// the point is done: the shard holds its partial's text and one point's
// times to connect.
func (pl *Plan) RunShard(ctx context.Context, k, n int) (*run.PartialHeader, error) {
	from, to := run.ShardRange(k, n, pl.Trials)
	var buf bytes.Buffer
	var lats int64 // the most message latencies of one accumulator
	sum := run.NewResultSum()
	points := pl.Points()
	buf.WriteByte('[')
	for i, p := range points {
		if pl.OnPoint != nil {
			pl.OnPoint(i)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"point_sha256":%q,"accs":[`, run.Digest(p, pl.Scenario))
		for j, part := range shardParts(from, to) {
			rc := run.Config{Params: p, Scenario: pl.Scenario, From: part[0], Trials: part[1] - part[0], Seed: pl.Seed, Workers: pl.Workers, KeepAll: true}
			if pl.Progress != nil {
				base := i*(to-from) + part[0] - from
				rc.Progress = func(n int) { pl.Progress(base + n) }
			}
			acc, err := run.Accumulate(ctx, rc)
			if err != nil {
				return nil, &TrialError{Params: p, Err: err}
			}
			if err := run.CheckLatencies(acc, k, n); err != nil {
				return nil, &PointError{Point: i, Err: err}
			}
			lats = max(lats, acc.MsgLatencies())
			b, err := json.Marshal(acc)
			if err != nil {
				return nil, err
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
	g, err := pl.Grid()
	if err != nil {
		return nil, err
	}
	return &run.PartialHeader{Format: run.PartialFormat, Version: run.PartialVersion, Command: "sweep", Params: model.Registry.Texts(&pl.Base), Grid: g,
		ResultSum: sum.String(), Latencies: lats,
		Seed: pl.Seed, Trials: pl.Trials, Shard: k, Shards: n, From: from, To: to,
		Digest: run.Digest(points, pl.Scenario), Result: buf.Bytes()}, nil
}
