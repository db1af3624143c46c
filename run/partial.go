package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/properties"
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
	// Msg, when some trial carried messages: the message measures' sums
	// and every latency (ns, sorted) by path.
	Msg *msgJSON `json:"messages,omitempty"`
}

// msgJSON is the serialized form of a msgAcc.
type msgJSON struct {
	Trials int `json:"trials"`
	MsgCounts
	Live []int64 `json:"live_ns"`
	Pull []int64 `json:"pull_ns"`
	Push []int64 `json:"push_ns"`
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
	if m := &a.msg; m.trials > 0 {
		if !m.complete() {
			return nil, errors.New("sim: a partial result must keep every message latency")
		}
		j.Msg = &msgJSON{Trials: m.trials, MsgCounts: m.c}
		for k, dst := range [numPaths]*[]int64{&j.Msg.Live, &j.Msg.Pull, &j.Msg.Push} {
			slices.Sort(m.lat[k])
			*dst = m.lat[k]
			if *dst == nil {
				*dst = []int64{}
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalPartial reads an Acc written by MarshalJSON for trials from to
// to-1 and checks that it is consistent, so that a damaged or forged
// partial is refused rather than merged: every count within the trials,
// each trial's one outcome counted once (successes, errors by code,
// stopped, unfinished, no connect), timeouts the errors of code 34006,
// the attempts' sum that of the histogram, losses within sends and bursts
// within losses, known error codes and property ids, as many failing
// trials listed as violations (up to MaxFailingListed), in the shard and
// in order, and times to connect sorted, within 0 to MaxDuration. Errors
// name the field.
func UnmarshalPartial(b []byte, from, to int) (*Acc, error) {
	var j accJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, errors.New(JSONErrorText(err))
	}
	bad := func(format string, a ...any) (*Acc, error) { return nil, fmt.Errorf(format, a...) }
	if j.Trials != to-from {
		return bad("trials is %d; the shard has %d", j.Trials, to-from)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"successes", j.Successes}, {"timeouts", j.Timeouts}, {"unfinished", j.Unfinished}, {"stopped", j.Stopped},
		{"no_connect", j.NoConnect}, {"violations", j.Violations}, {"offline_at_end", j.Offline}} {
		if c.n < 0 || c.n > j.Trials {
			return bad("%s is %d; it must be between 0 and the %d trials", c.name, c.n, j.Trials)
		}
	}
	codes := map[fsm.Code]int{}
	errSum := 0
	for _, k := range slices.Sorted(mapsKeys(j.Errors)) {
		n := j.Errors[k]
		c, err := strconv.Atoi(k)
		if err != nil || !slices.Contains(fsm.AllCodes, fsm.Code(c)) || fsm.Code(c) == fsm.OK {
			return bad("errors: %q is not an error code of onError (spec section 4)", k)
		}
		if n < 1 || n > j.Trials {
			return bad("errors: %q counts %d trials; it must be between 1 and the %d trials", k, n, j.Trials)
		}
		codes[fsm.Code(c)] = n
		errSum += n
	}
	if sum := j.Successes + errSum + j.Unfinished + j.Stopped + j.NoConnect; sum != j.Trials {
		return bad("successes, errors, unfinished, stopped and no_connect add up to %d; each of the %d trials has one outcome", sum, j.Trials)
	}
	if j.Timeouts != codes[fsm.ConnectTimeout] {
		return bad("timeouts is %d; errors count %d of code %d", j.Timeouts, codes[fsm.ConnectTimeout], fsm.ConnectTimeout)
	}
	if len(j.TTC) != j.Successes || !slices.IsSorted(j.TTC) || (len(j.TTC) > 0 && (j.TTC[0] < 0 || j.TTC[len(j.TTC)-1] != j.TTCMax)) ||
		(len(j.TTC) == 0 && j.TTCMax != 0) || j.TTCMax > int64(model.MaxDuration) {
		return bad("ttc_ns must hold the %d successes' times, sorted, between 0 and %s, ending at ttc_max_ns", j.Successes, param.FormatDuration(model.MaxDuration))
	}
	total, weighted := int64(0), int64(0)
	for k, n := range j.AttemptCounts {
		if n < 0 || n > int64(j.Trials) {
			return bad("attempt_counts[%d] is %d; it must be between 0 and the %d trials", k, n, j.Trials)
		}
		total += n
		weighted += int64(k) * n // at most 1e8 trials times 1e8 attempts: no overflow
	}
	// The histogram ends at attempts_max, which a trial reached (a
	// trial may start more attempts than the shard has trials).
	if total != int64(j.Trials) || j.AttemptsMax < 0 || len(j.AttemptCounts) != min(j.Trials, 1)*(j.AttemptsMax+1) ||
		len(j.AttemptCounts) > 0 && j.AttemptCounts[j.AttemptsMax] == 0 {
		return bad("attempt_counts must count each of the %d trials once, up to attempts_max", j.Trials)
	}
	if j.AttemptsSum != weighted {
		return bad("attempts_sum is %d; attempt_counts add up to %d attempts", j.AttemptsSum, weighted)
	}
	if j.NetLost > j.NetSent {
		return bad("net_lost is %d, more than the %d messages sent (net_sent)", j.NetLost, j.NetSent)
	}
	if j.NetBursts > j.NetLost {
		return bad("net_bursts is %d, more than the %d messages lost (net_lost)", j.NetBursts, j.NetLost)
	}
	bySum := 0
	for _, k := range slices.Sorted(mapsKeys(j.ViolationsBy)) {
		n := j.ViolationsBy[k]
		if !knownProperty(k) {
			return bad("violations_by_property: %q is not a property of the catalogue (P1 to P%d)", k, len(properties.Catalogue))
		}
		if n < 1 || n > j.Violations {
			return bad("violations_by_property: %s counts %d trials; it must be between 1 and violations (%d)", k, n, j.Violations)
		}
		bySum += n
	}
	if bySum < j.Violations {
		return bad("violations_by_property adds up to %d; each of the %d violating trials violates a property", bySum, j.Violations)
	}
	if len(j.Failing) != min(j.Violations, MaxFailingListed) {
		return bad("failing_trials lists %d trials; violations (%d) make it list %d", len(j.Failing), j.Violations, min(j.Violations, MaxFailingListed))
	}
	for i, f := range j.Failing {
		switch {
		case f.Trial < from || f.Trial >= to:
			return bad("failing_trials: trial %d is not in the shard [%d, %d)", f.Trial, from, to)
		case i > 0 && f.Trial <= j.Failing[i-1].Trial:
			return bad("failing_trials: trial %d after trial %d; they must be in increasing order", f.Trial, j.Failing[i-1].Trial)
		case j.ViolationsBy[f.Property] == 0:
			return bad("failing_trials: trial %d violates %q, which violations_by_property does not count", f.Trial, f.Property)
		}
	}
	a := NewAcc(to)
	a.s.Trials, a.s.Successes, a.s.Timeouts, a.s.Unfinished = j.Trials, j.Successes, j.Timeouts, j.Unfinished
	a.s.Stopped, a.s.NoConnect, a.s.Violations, a.s.Offline = j.Stopped, j.NoConnect, j.Violations, j.Offline
	a.attempts, a.s.AttemptsMax, a.AttemptCounts = j.AttemptsSum, j.AttemptsMax, j.AttemptCounts
	a.sent, a.lost, a.bursts = j.NetSent, j.NetLost, j.NetBursts
	a.s.Errors = codes
	for k, n := range j.ViolationsBy {
		a.s.ViolationsBy[k] = n
	}
	for _, f := range j.Failing {
		a.addFailing(f)
	}
	a.TTC, a.TTCMax = j.TTC, j.TTCMax
	if j.Msg != nil {
		m, err := j.Msg.acc(j.Trials)
		if err != nil {
			return nil, fmt.Errorf("messages: %v", err)
		}
		a.msg = m
	}
	return a, nil
}

// acc checks a partial's message measures (of a shard of trials trials)
// and returns them: messages in at most the trials, every count within 0
// and the messages sent (pushes, ghosts and drops each concern one sent
// message), no more than MaxPartialLatencies latencies, each path's
// sorted, within 0 to MaxDuration.
func (j *msgJSON) acc(trials int) (msgAcc, error) {
	m := msgAcc{keep: keepAll}
	if j.Trials < 1 || j.Trials > trials {
		return m, fmt.Errorf("trials is %d; it must be between 1 and the %d trials", j.Trials, trials)
	}
	if j.Sent < 0 || j.Sent > int64(model.MaxDuration) {
		return m, fmt.Errorf("sent is %d; it must be between 0 and %d", j.Sent, int64(model.MaxDuration))
	}
	for _, c := range []struct {
		name string
		n    int64
	}{{"stored", j.Stored}, {"pushes", j.Pushes}, {"ghosts", j.Ghosts}, {"dropped", j.Dropped}} {
		if c.n < 0 || c.n > j.Sent {
			return m, fmt.Errorf("%s is %d; it must be between 0 and the %d messages sent", c.name, c.n, j.Sent)
		}
	}
	if j.PushedOn < 0 || j.PushedOn > j.Pushes {
		return m, fmt.Errorf("pushes_to_online is %d; it must be between 0 and the %d pushes", j.PushedOn, j.Pushes)
	}
	for _, c := range []struct {
		name string
		n    int64
	}{{"duplicates", j.Dups}, {"pulls", j.Pulls}} {
		if c.n < 0 || c.n > int64(model.MaxDuration) {
			return m, fmt.Errorf("%s is %d; it must be between 0 and %d", c.name, c.n, int64(model.MaxDuration))
		}
	}
	if n := len(j.Live) + len(j.Pull) + len(j.Push); n > MaxPartialLatencies {
		return m, fmt.Errorf("%d latencies; a partial holds at most %d", n, MaxPartialLatencies)
	}
	m.trials, m.c = j.Trials, j.MsgCounts
	for k, c := range []struct {
		name string
		v    []int64
	}{{"live_ns", j.Live}, {"pull_ns", j.Pull}, {"push_ns", j.Push}} {
		if !slices.IsSorted(c.v) || len(c.v) > 0 && (c.v[0] < 0 || c.v[len(c.v)-1] > int64(model.MaxDuration)) {
			return m, fmt.Errorf("%s must hold latencies sorted, between 0 and %s", c.name, param.FormatDuration(model.MaxDuration))
		}
		m.lat[k], m.n[k], m.kept = c.v, int64(len(c.v)), m.kept+len(c.v)
		if len(c.v) > 0 {
			m.max[k] = c.v[len(c.v)-1]
		}
	}
	return m, nil
}

// knownProperty reports whether id is a property of the catalogue.
func knownProperty(id string) bool {
	for _, p := range properties.Catalogue {
		if p.ID == id {
			return true
		}
	}
	return false
}

// mapsKeys returns m's keys (sorted by the caller: errors name the first
// bad key, whatever the map's order).
func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// JSONErrorText words a JSON decoding error of a partial without Go's
// internals ("<nil>", type names): a syntax error with its byte offset, a
// value of the wrong type with its field, an early end.
func JSONErrorText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		return fmt.Sprintf("%s: a JSON %s does not fit there", te.Field, te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
