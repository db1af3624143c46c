package storm

import (
	"slices"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// Stats are the storm's counters.
type Stats struct {
	Events        int64 // events run
	Attempts      int64 // attempts started
	Errors        int64 // onError callbacks
	Served        int64 // handshakes the server completed
	Wasted        int64 // of those, for attempts the client had given up on
	RefusedQueue  int64 // Auths refused: every worker busy and the accept queue full
	RefusedRate   int64 // Auths refused by the token bucket
	RefusedOutage int64 // Auths refused at once during a server outage
	DroppedOutage int64 // Auths unanswered during a server-silent outage
}

// Refused is every refused Auth.
func (s Stats) Refused() int64 { return s.RefusedQueue + s.RefusedRate + s.RefusedOutage }

// Result is what one storm measured.
type Result struct {
	Params Params
	Stats  Stats
	// Since is the instant reconnection is measured from: the outage's
	// end, or 0 without an outage.
	Since time.Duration
	// Up holds, sorted, each client's delay from Since to its first
	// CONNECTED at or after Since, for the clients that got there.
	Up []time.Duration
	// DownAtHorizon counts clients not CONNECTED at the horizon.
	DownAtHorizon int
	// ConnectTimes holds, in client order, each client's delay from its
	// Connect to its first onSuccess, or -1.
	ConnectTimes []time.Duration
	Rows         []Row
	// BusyWorkerSeconds is the server's busy worker time over the storm.
	BusyWorkerSeconds float64
	// Trace is the full trace of client Params.TraceClient (its Dev is 0).
	Trace []trace.Record
	// Violations counts the property violations over every client's
	// records (every trace property; the client is the device); Violated keeps
	// the first MaxViolationsKept of them.
	Violations int
	Violated   []properties.Violation
	// Msg is what the storm measured of its messages, and MsgRows their
	// time series (a row per bin of Rows); nil without messages
	// (--msg-rate 0).
	Msg     *model.MsgResult
	MsgRows []MsgRow
}

// MaxViolationsKept bounds the violations a storm keeps for its report.
const MaxViolationsKept = 5

// TimeTo returns the delay from Since until a share q of all clients had
// reconnected (the ceil(q*N)-th reconnection), and false if that many never
// did before the horizon.
func (r *Result) TimeTo(q float64) (time.Duration, bool) {
	k := int(q*float64(r.Params.Clients) + 1 - 1e-9) // ceil without float surprises at exact multiples
	k = max(k, 1)
	if k > len(r.Up) {
		return 0, false
	}
	return r.Up[k-1], true
}

// PeakAttempts returns the highest attempt rate over the bins, in attempts
// per second, and the start of the bin where it happened.
func (r *Result) PeakAttempts() (float64, time.Duration) { return r.PeakAttemptsFrom(0) }

// PeakAttemptsFrom is PeakAttempts over the bins that start at or after
// from (PeakAttemptsFrom(r.Since): the wave after the outage).
func (r *Result) PeakAttemptsFrom(from time.Duration) (float64, time.Duration) {
	best, at := 0, time.Duration(0)
	for _, row := range r.Rows {
		if row.T >= from && row.Attempts > best {
			best, at = row.Attempts, row.T
		}
	}
	return float64(best) / r.Params.Bin.Seconds(), at
}

// Utilization is the server's busy worker time over its capacity, over the
// whole storm.
func (r *Result) Utilization() float64 {
	return r.BusyWorkerSeconds / (float64(r.Params.Workers) * r.Params.Model.Horizon.Seconds())
}

func (w *world) result() *Result {
	r := &Result{Params: w.p, Stats: w.st, Since: w.since, Rows: w.series.rows,
		BusyWorkerSeconds: w.series.busyTotal, Trace: w.recs, Violations: len(w.violations),
		Violated: w.violations[:min(len(w.violations), MaxViolationsKept)], DownAtHorizon: w.p.Clients - w.count[phConnected]}
	r.Up = make([]time.Duration, 0, len(w.cl))
	for i := range w.cl {
		if t := w.cl[i].upAt; t != never {
			r.Up = append(r.Up, t-w.since)
		}
	}
	slices.Sort(r.Up)
	if w.msg != nil {
		r.Msg, r.MsgRows = w.msg.result(len(r.Rows))
	}
	r.ConnectTimes = make([]time.Duration, len(w.cl))
	for i := range w.cl {
		r.ConnectTimes[i] = max(w.cl[i].conn, -1)
	}
	return r
}
