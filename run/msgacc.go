package run

import (
	"math"
	"slices"
	"time"

	"github.com/rcsim/connsim/model"
)

// MsgSummary is what `sim run` reports of the messages (docs/messages.md
// "What sim run measures"), summed over every trial; Summary.Msg is nil
// when no trial carried messages (--msg-rate 0 and no message op), so that
// such a run's output is what it was before messages existed. Counts are
// messages (or pushes, or pulls), not per trial; latencies run from the
// message reaching the server to the app of one device showing it, in
// milliseconds, by the path that brought the message.
type MsgSummary struct {
	MsgCounts
	Shown int64 `json:"shown"` // (message, device) pairs shown to an app
	// ShownLive, ShownPull and ShownPush split Shown by path: on the live
	// socket, pulled after a (re)connect or a gap, pulled after a push of
	// the message reached the device.
	ShownLive int64     `json:"shown_live"`
	ShownPull int64     `json:"shown_pull"`
	ShownPush int64     `json:"shown_push"`
	Live      Quantiles `json:"live_ms"`
	Pull      Quantiles `json:"pull_ms"`
	Push      Quantiles `json:"push_ms"`
}

// MsgCounts are the counted message measures, summed over trials (see
// MsgResult for each).
type MsgCounts struct {
	Sent     int64 `json:"sent"`             // messages that reached the server, normal and status
	Stored   int64 `json:"stored"`           // normal messages stored for a device with no live session
	Pushes   int64 `json:"pushes"`           // push notifications that reached a device
	PushedOn int64 `json:"pushes_to_online"` // ... that was in fact CONNECTED
	Ghosts   int64 `json:"ghosts"`           // normal messages written only into sessions no device was CONNECTED on
	Dropped  int64 `json:"dropped"`          // stored messages dropped after the retention
	Dups     int64 `json:"duplicates"`       // duplicates the SDK removed
	Pulls    int64 `json:"pulls"`            // pulls the SDKs sent, retries included
}

// add adds b's counts to c.
func (c *MsgCounts) add(b MsgCounts) {
	c.Sent, c.Stored, c.Pushes, c.PushedOn = c.Sent+b.Sent, c.Stored+b.Stored, c.Pushes+b.Pushes, c.PushedOn+b.PushedOn
	c.Ghosts, c.Dropped, c.Dups, c.Pulls = c.Ghosts+b.Ghosts, c.Dropped+b.Dropped, c.Dups+b.Dups, c.Pulls+b.Pulls
}

// counts returns one trial's counts.
func msgCounts(r *model.MsgResult) MsgCounts {
	return MsgCounts{Sent: int64(r.Sent), Stored: int64(r.Stored), Pushes: int64(r.Pushes), PushedOn: int64(r.PushedOn),
		Ghosts: int64(r.Ghosts), Dropped: int64(r.Dropped), Dups: int64(r.Dups), Pulls: int64(r.Pulls)}
}

// Latency paths, the series of the message latencies (series 0 is the
// time to connect; see selectRanks).
const (
	pathLive = iota
	pathPull
	pathPush
	numPaths
)

// KeepLatencies is the most message latencies a run keeps in memory (8
// bytes each: 32 MiB); a run that shows more finds its latency quantiles
// by selection passes, as it does the times to connect (Accumulate).
const KeepLatencies = 1 << 22

// MaxPartialLatencies is the most message latencies a shard's partial
// result may hold (it holds every one, sorted, for exact quantiles at
// merge time: at most 17 bytes of text each, 128 MiB of memory); a shard
// whose trials show more is refused (more shards make each smaller).
const MaxPartialLatencies = 1 << 24

// keepLatencies is KeepLatencies, lowered by tests to exercise the
// selection.
var keepLatencies = KeepLatencies

// msgAcc folds the trials' MsgResults: sums, and the latencies by path
// while their number stays within keep (complete); beyond it the values
// are dropped and the quantiles come from selection passes. Either way
// the summary is the same.
type msgAcc struct {
	trials   int // trials that carried messages
	c        MsgCounts
	n        [numPaths]int64
	max      [numPaths]int64
	lat      [numPaths][]int64 // every latency (ns) while complete
	kept     int               // len of the lat slices together
	keep     int               // the most latencies kept (math.MaxInt: all)
	dropVals bool              // some latency was not kept
}

// add folds one trial's messages in.
func (m *msgAcc) add(r *model.MsgResult) {
	m.trials++
	m.c.add(msgCounts(r))
	paths := [numPaths][]time.Duration{r.Live, r.Pull, r.Push}
	total := len(r.Live) + len(r.Pull) + len(r.Push)
	if !m.dropVals && m.kept+total > m.keep {
		m.dropVals, m.kept = true, 0
		m.lat = [numPaths][]int64{}
	}
	for k, vs := range paths {
		m.n[k] += int64(len(vs))
		for _, v := range vs {
			m.max[k] = max(m.max[k], int64(v))
			if !m.dropVals {
				m.lat[k] = append(m.lat[k], int64(v))
			}
		}
	}
	if !m.dropVals {
		m.kept += total
	}
}

// merge folds b (other trials) into m. The merged latencies are complete
// when both were.
func (m *msgAcc) merge(b *msgAcc) {
	m.trials += b.trials
	m.c.add(b.c)
	if b.dropVals {
		m.dropVals, m.kept, m.lat = true, 0, [numPaths][]int64{}
	}
	for k := range numPaths {
		m.n[k] += b.n[k]
		m.max[k] = max(m.max[k], b.max[k])
		if !m.dropVals {
			m.lat[k] = append(m.lat[k], b.lat[k]...)
		}
	}
	if !m.dropVals {
		m.kept += b.kept
	}
}

// complete reports whether the latencies are all kept.
func (m *msgAcc) complete() bool { return !m.dropVals }

// total is the number of latencies over every path.
func (m *msgAcc) total() int64 { return m.n[pathLive] + m.n[pathPull] + m.n[pathPush] }

// ranks returns the (series, rank) pairs the latency quantiles need.
func (m *msgAcc) ranks() []selKey {
	var out []selKey
	for k := range numPaths {
		if m.n[k] == 0 {
			continue
		}
		for _, p := range quantileProbs {
			out = append(out, selKey{series: 1 + k, rank: model.EmpiricalRank(p, int(m.n[k]))})
		}
	}
	return out
}

// summary returns the message summary; unless complete, sel holds the
// values at ranks().
func (m *msgAcc) summary(sel map[selKey]int64) *MsgSummary {
	s := &MsgSummary{MsgCounts: m.c, ShownLive: m.n[pathLive], ShownPull: m.n[pathPull], ShownPush: m.n[pathPush]}
	s.Shown = m.total()
	qs := [numPaths]*Quantiles{&s.Live, &s.Pull, &s.Push}
	for k := range numPaths {
		if m.n[k] == 0 {
			continue
		}
		var at [len(quantileProbs)]int64
		if m.complete() {
			slices.Sort(m.lat[k])
		}
		for i, p := range quantileProbs {
			r := model.EmpiricalRank(p, int(m.n[k]))
			if m.complete() {
				at[i] = m.lat[k][r]
			} else {
				at[i] = sel[selKey{series: 1 + k, rank: r}]
			}
		}
		*qs[k] = Quantiles{P50: nsMillis(at[0]), P90: nsMillis(at[1]), P99: nsMillis(at[2]), Max: nsMillis(m.max[k])}
	}
	return s
}

func nsMillis(v int64) float64 { return float64(v) / float64(time.Millisecond) }

// keepAll is the keep of an accumulator that keeps every latency.
const keepAll = math.MaxInt
