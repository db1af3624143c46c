package storm

import "time"

// Row is one bin of the time series: [T, T+Bin).
type Row struct {
	T time.Duration // the bin's start
	// Clients in each phase at the bin's end.
	Connected, Connecting, Waiting, Offline int
	Attempts                                int     // attempts started in the bin
	Refused                                 int     // Auths refused in the bin (outage, full queue, rate limit)
	Queue                                   int     // accept queue length at the bin's end
	QueueMax                                int     // longest accept queue in the bin
	Utilization                             float64 // busy worker time / (workers * bin)
}

// series cuts the storm into bins of width bin.
//
// Invariant: every event before binEnd has been counted into cur or an
// earlier row; area is the busy worker time of cur up to last.
type series struct {
	bin, horizon time.Duration
	workers      int
	rows         []Row
	cur          Row
	binEnd       time.Duration
	area         float64 // busy worker-nanoseconds of cur so far
	last         time.Duration
	nbusy        int
	queue        int
	busyTotal    float64 // worker-seconds over the whole storm
}

func newSeries(bin, horizon time.Duration, workers int) *series {
	return &series{bin: bin, horizon: horizon, workers: workers, binEnd: bin,
		rows: make([]Row, 0, int(horizon/bin)+1)}
}

// advance closes every bin that ends at or before t.
func (s *series) advance(t time.Duration, w *world) {
	for t >= s.binEnd && s.cur.T < s.horizon {
		s.close(w)
	}
}

func (s *series) close(w *world) {
	end := min(s.binEnd, s.horizon)
	s.area += float64(s.nbusy) * float64(end-s.last)
	s.last = end
	r := s.cur
	r.Connected, r.Connecting = w.count[phConnected], w.count[phConnecting]
	r.Waiting, r.Offline = w.count[phWaiting], w.count[phOffline]
	r.Queue = s.queue
	r.QueueMax = max(r.QueueMax, s.queue)
	if width := end - r.T; width > 0 {
		r.Utilization = s.area / (float64(s.workers) * float64(width))
	}
	s.busyTotal += s.area / 1e9
	s.rows = append(s.rows, r)
	s.cur = Row{T: s.binEnd, QueueMax: s.queue}
	s.area = 0
	s.binEnd += s.bin
}

// finish closes the last, partial bin at the horizon.
func (s *series) finish(w *world) {
	if s.cur.T < s.horizon {
		s.binEnd = s.horizon
		s.close(w)
	}
}

// busy records that n workers are busy from now on.
func (s *series) busy(now time.Duration, n int) {
	s.area += float64(s.nbusy) * float64(now-s.last)
	s.last, s.nbusy = now, n
}

// noteQueue records the accept queue's length.
func (s *series) noteQueue(n int) {
	s.queue = n
	s.cur.QueueMax = max(s.cur.QueueMax, n)
}
