package storm

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// The message part of the reports: present only when the storm carries
// messages (--msg-rate > 0), so that a storm without them reports what it
// did before messages existed.

// msgParamKeys are the JSON keys of the message parameters, left out of
// --json's params without messages.
var msgParamKeys = map[string]bool{}

func init() {
	for _, name := range []string{"msg-rate", "offline-retention", "push-latency", "push-latency-dist"} {
		msgParamKeys[Registry.Lookup(name).JSONKey()] = true
	}
}

// withoutMsgParams drops the message parameters from obj when p sends no
// message.
func withoutMsgParams(obj param.Object, p *Params) param.Object {
	if p.Model.Msg.Rate > 0 {
		return obj
	}
	return slices.DeleteFunc(obj, func(kv param.KV) bool { return msgParamKeys[kv.Key] })
}

// MsgPaths names the latency paths in the reports, in order: on the live
// socket, pulled after a (re)connect or a gap, pulled after a push.
var MsgPaths = []string{"live", "pull", "push"}

// msgLatencies returns r's latencies by path, in MsgPaths' order.
func msgLatencies(r *model.MsgResult) [][]time.Duration {
	return [][]time.Duration{r.Live, r.Pull, r.Push}
}

// LatencyQuantiles are the message latency quantiles the summary reports
// (the last is the maximum).
var LatencyQuantiles = []float64{0.5, 0.9, 0.99, 1}

// quantiles returns the empirical quantiles LatencyQuantiles of ds
// (model.EmpiricalRank's), sorting ds; nil if ds is empty.
func quantiles(ds []time.Duration) []time.Duration {
	if len(ds) == 0 {
		return nil
	}
	slices.Sort(ds)
	out := make([]time.Duration, len(LatencyQuantiles))
	for i, q := range LatencyQuantiles {
		out[i] = ds[model.EmpiricalRank(q, len(ds))]
	}
	return out
}

// PeakPulls returns the highest rate of pulls reaching the server over
// the bins that start at or after from, in pulls per second, and the
// start of that bin.
func (r *Result) PeakPulls(from time.Duration) (float64, time.Duration) {
	best, at := 0, time.Duration(0)
	for i, row := range r.MsgRows {
		if t := r.Rows[i].T; t >= from && row.Pulls > best {
			best, at = row.Pulls, t
		}
	}
	return float64(best) / r.Params.Bin.Seconds(), at
}

// PullsServed returns the pulls that reached the running server.
func (r *Result) PullsServed() int {
	n := 0
	for _, row := range r.MsgRows {
		n += row.Pulls
	}
	return n
}

// writeMsgText writes the message lines of one storm's human summary.
func writeMsgText(row func(k, v string, args ...any), r *Result) {
	m := r.Msg
	row("messages", "%d sent, %d shown, %d stored, %d dropped after retention, %d duplicates removed", m.Sent, m.Shown, m.Stored, m.Dropped, m.Dups)
	for i, ds := range msgLatencies(m) {
		qs := quantiles(ds)
		if qs == nil {
			row("message latency, "+MsgPaths[i], "none")
			continue
		}
		var s string
		for k, q := range LatencyQuantiles {
			s += fmt.Sprintf("  %s %s", latName(q), secs(qs[k]))
		}
		row("message latency, "+MsgPaths[i], "%d:%s", len(ds), s)
	}
	row("pushes", "%d, %d to clients back online; %d ghosts (delivered into a dead session)", m.Pushes, m.PushedOn, m.Ghosts)
	peak, at := r.PeakPulls(0)
	row("pulls", "%d sent, %d reaching the server, peak %.0f/s at t=%s", m.Pulls, r.PullsServed(), peak, secs(at))
	if r.Params.outage() {
		peak, at := r.PeakPulls(r.Since)
		row("pulls after the outage's end", "peak %.0f/s at t=%s", peak, secs(at))
	}
}

// latName names a latency quantile: p50, ..., max.
func latName(q float64) string {
	if q == 1 {
		return "max"
	}
	return "p" + strconv.FormatFloat(100*q, 'g', -1, 64)
}

// jsonMsg is the message part of one storm in --json output. Times are in
// seconds.
type jsonMsg struct {
	Sent         int                            `json:"sent"`
	Shown        int                            `json:"shown"`
	Stored       int                            `json:"stored"`
	Dropped      int                            `json:"dropped_retention"`
	Dups         int                            `json:"duplicates"`
	Pushes       int                            `json:"pushes"`
	PushedOn     int                            `json:"pushes_to_online"`
	Ghosts       int                            `json:"ghosts"`
	Pulls        int                            `json:"pulls"`
	PullsServer  int                            `json:"pulls_reaching_server"`
	PeakPullsPS  float64                        `json:"peak_pulls_per_s"`
	PeakPullsAtS float64                        `json:"peak_pulls_at_s"`
	PeakAfterPS  float64                        `json:"peak_pulls_after_outage_per_s"`
	PeakAfterAtS float64                        `json:"peak_pulls_after_outage_at_s"`
	LatencyS     map[string]map[string]*float64 `json:"latency_s"`
	LatencyCount map[string]int                 `json:"latency_count"`
}

// msgJSON returns the message part of r's --json output, nil without
// messages.
func msgJSON(r *Result) *jsonMsg {
	m := r.Msg
	if m == nil {
		return nil
	}
	j := &jsonMsg{Sent: m.Sent, Shown: m.Shown, Stored: m.Stored, Dropped: m.Dropped, Dups: m.Dups, Pushes: m.Pushes,
		PushedOn: m.PushedOn, Ghosts: m.Ghosts, Pulls: m.Pulls, PullsServer: r.PullsServed(), LatencyS: map[string]map[string]*float64{}, LatencyCount: map[string]int{}}
	peak, at := r.PeakPulls(0)
	j.PeakPullsPS, j.PeakPullsAtS = peak, at.Seconds()
	peak, at = r.PeakPulls(r.Since)
	j.PeakAfterPS, j.PeakAfterAtS = peak, at.Seconds()
	for i, ds := range msgLatencies(m) {
		qs := quantiles(ds)
		byQ := map[string]*float64{}
		for k, q := range LatencyQuantiles {
			var v *float64
			if qs != nil {
				s := qs[k].Seconds()
				v = &s
			}
			byQ[latName(q)] = v
		}
		j.LatencyS[MsgPaths[i]] = byQ
		j.LatencyCount[MsgPaths[i]] = len(ds)
	}
	return j
}

// msgSeriesHeader are the series CSV's message columns, present only with
// messages: per bin, sessions the server opened, pulls reaching the
// server and pushes reaching a device.
var msgSeriesHeader = []string{"opens", "pulls", "pushes"}

// msgSeriesCells returns row i's message cells, or nil without messages.
func msgSeriesCells(r *Result, i int) []string {
	if r.Msg == nil {
		return nil
	}
	m := r.MsgRows[i]
	return []string{strconv.Itoa(m.Opens), strconv.Itoa(m.Pulls), strconv.Itoa(m.Pushes)}
}

// seriesHeader is WriteSeriesCSV's header with the message
// columns when runs carry messages.
func seriesHeader(runs []Labelled) []string {
	if runs[0].Msg == nil {
		return SeriesHeader
	}
	return append(slices.Clone(SeriesHeader), msgSeriesHeader...)
}
