// Merging a sweep's shards: `sim merge` reads the partials of the N
// shards side by side, one grid point at a time, and Plan.Merge makes the
// rows from each point's merged accumulator.

package sweep

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rcsim/connsim/run"
)

// Merged is the open partials of a sweep's shards (run.OpenPartials
// checked that they are the shards of one sweep), whose results
// Plan.Merge reads one grid point at a time.
type Merged struct {
	Parts   []*run.PartialReader
	started bool
}

// sweepPoint is one grid point of a sweep partial's result: the digest of
// its parameters (run.Digest of the point's model.Params), so that points
// out of the grid's order are refused, and its accumulators.
type sweepPoint struct {
	Digest string            `json:"point_sha256"`
	Accs   []json.RawMessage `json:"accs"`
}

// point reads grid point i (0, 1, ... in turn) from every partial, each
// with the point digest of the first partial's point i, and returns its merged accumulator
// and the times to connect of its first min(trials, CDFKeep) trials (a
// copy, in no particular order).
func (m *Merged) point(i int) (*run.Acc, []int64, error) {
	var head, tail *run.Acc
	digest := ""
	for _, pr := range m.Parts {
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
		if digest == "" {
			digest = pt.Digest
		} else if pt.Digest != digest {
			return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d: point_sha256", i), fmt.Errorf("the point ran other parameters than %s's point %d (points out of order, or from another sweep)", m.Parts[0].Name, i))
		}
		raw := pt.Accs
		parts := shardParts(pr.Header.From, pr.Header.To)
		if len(raw) != len(parts) {
			return nil, nil, pr.Fail(fmt.Sprintf("result: grid point %d", i), fmt.Errorf("%d accumulators; trials %d to %d cut at trial %d make %d", len(raw), pr.Header.From, pr.Header.To-1, CDFKeep, len(parts)))
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
			if part[1] <= CDFKeep {
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
func (m *Merged) finish() error {
	for _, pr := range m.Parts {
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
