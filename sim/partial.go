package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/rcsim/connsim/fsm"
)

// accJSON is the serialized form of an Acc (a shard's partial result):
// every count and sum, the first failing trials, the histogram of
// attempts, and every time to connect (ns, sorted), so that merging
// partials gives exact quantiles.
type accJSON struct {
	Trials        int            `json:"trials"`
	Successes     int            `json:"successes"`
	Timeouts      int            `json:"timeouts"`
	Unfinished    int            `json:"unfinished"`
	Stopped       int            `json:"stopped"`
	NoConnect     int            `json:"no_connect"`
	Violations    int            `json:"violations"`
	Offline       int            `json:"offline_at_end"`
	AttemptsSum   int64          `json:"attempts_sum"`
	AttemptsMax   int            `json:"attempts_max"`
	AttemptCounts []int64        `json:"attempt_counts"`
	NetSent       uint64         `json:"net_sent"`
	NetLost       uint64         `json:"net_lost"`
	NetBursts     uint64         `json:"net_bursts"`
	Errors        map[string]int `json:"errors"`
	ViolationsBy  map[string]int `json:"violations_by_property"`
	Failing       []Failing      `json:"failing_trials"`
	TTCMax        int64          `json:"ttc_max_ns"`
	TTC           []int64        `json:"ttc_ns"`
}

// MarshalJSON writes a complete Acc (one that holds every time to
// connect); sorting them makes the partial deterministic.
func (a *Acc) MarshalJSON() ([]byte, error) {
	if !a.Complete() {
		return nil, errors.New("sim: a partial result must keep every time to connect")
	}
	slices.Sort(a.TTC)
	j := accJSON{Trials: a.s.Trials, Successes: a.s.Successes, Timeouts: a.s.Timeouts, Unfinished: a.s.Unfinished,
		Stopped: a.s.Stopped, NoConnect: a.s.NoConnect, Violations: a.s.Violations, Offline: a.s.Offline,
		AttemptsSum: a.attempts, AttemptsMax: a.s.AttemptsMax, AttemptCounts: a.AttemptCounts,
		NetSent: a.sent, NetLost: a.lost, NetBursts: a.bursts,
		Errors: map[string]int{}, ViolationsBy: a.s.ViolationsBy, Failing: a.s.Failing, TTCMax: a.TTCMax, TTC: a.TTC}
	for c, n := range a.s.Errors {
		j.Errors[strconv.Itoa(int(c))] = n
	}
	if j.TTC == nil {
		j.TTC = []int64{}
	}
	if j.AttemptCounts == nil {
		j.AttemptCounts = []int64{}
	}
	return json.Marshal(j)
}

// UnmarshalPartial reads an Acc written by MarshalJSON for trials from to
// to-1 and checks that it is consistent (counts that add up, times sorted
// and non-negative, failing trials in range), so that a damaged or forged
// partial is refused rather than merged.
func UnmarshalPartial(b []byte, from, to int) (*Acc, error) {
	var j accJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, err
	}
	bad := func(format string, a ...any) (*Acc, error) { return nil, fmt.Errorf(format, a...) }
	if j.Trials != to-from {
		return bad("trials is %d; the shard has %d", j.Trials, to-from)
	}
	for _, n := range []int{j.Successes, j.Timeouts, j.Unfinished, j.Stopped, j.NoConnect, j.Violations, j.Offline} {
		if n < 0 || n > j.Trials {
			return bad("a count is out of range (%d for %d trials)", n, j.Trials)
		}
	}
	if j.Successes+j.Unfinished+j.Stopped+j.NoConnect > j.Trials {
		return bad("the outcomes add up to more than the %d trials", j.Trials)
	}
	if len(j.TTC) != j.Successes || !slices.IsSorted(j.TTC) || (len(j.TTC) > 0 && (j.TTC[0] < 0 || j.TTC[len(j.TTC)-1] != j.TTCMax)) {
		return bad("ttc_ns must hold the %d successes' times, sorted, ending at ttc_max_ns", j.Successes)
	}
	total := int64(0)
	for _, n := range j.AttemptCounts {
		if n < 0 {
			return bad("attempt_counts has a negative count")
		}
		total += n
	}
	// The histogram ends at attempts_max, which a trial reached (a
	// trial may start more attempts than the shard has trials).
	if total != int64(j.Trials) || j.AttemptsMax < 0 || len(j.AttemptCounts) != min(j.Trials, 1)*(j.AttemptsMax+1) ||
		len(j.AttemptCounts) > 0 && j.AttemptCounts[j.AttemptsMax] == 0 {
		return bad("attempt_counts must count each of the %d trials once, up to attempts_max", j.Trials)
	}
	if len(j.Failing) > MaxFailingListed {
		return bad("failing_trials lists more than %d trials", MaxFailingListed)
	}
	for _, f := range j.Failing {
		if f.Trial < from || f.Trial >= to {
			return bad("failing trial %d is not in the shard [%d, %d)", f.Trial, from, to)
		}
	}
	a := NewAcc(to)
	a.s.Trials, a.s.Successes, a.s.Timeouts, a.s.Unfinished = j.Trials, j.Successes, j.Timeouts, j.Unfinished
	a.s.Stopped, a.s.NoConnect, a.s.Violations, a.s.Offline = j.Stopped, j.NoConnect, j.Violations, j.Offline
	a.attempts, a.s.AttemptsMax, a.AttemptCounts = j.AttemptsSum, j.AttemptsMax, j.AttemptCounts
	a.sent, a.lost, a.bursts = j.NetSent, j.NetLost, j.NetBursts
	for k, n := range j.Errors {
		c, err := strconv.Atoi(k)
		if err != nil || n < 0 {
			return bad("errors: bad entry %q", k)
		}
		a.s.Errors[fsm.Code(c)] = n
	}
	for k, n := range j.ViolationsBy {
		if n < 0 {
			return bad("violations_by_property: negative count")
		}
		a.s.ViolationsBy[k] = n
	}
	for _, f := range j.Failing {
		a.addFailing(f)
	}
	a.TTC, a.TTCMax = j.TTC, j.TTCMax
	return a, nil
}
