package conformance

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// Scenario is one entry of the harness's scenario set (node run.js
// --manifest).
type Scenario struct {
	Name      string  `json:"name"`
	Desc      string  `json:"desc"`
	Model     *string `json:"model"` // sim trace arguments; nil: the model has no input for it
	HorizonMS int     `json:"horizon_ms"`
}

// Manifest returns the scenario set.
func (h *Harness) Manifest() ([]Scenario, error) {
	out, err := h.node("--manifest")
	if err != nil {
		return nil, err
	}
	var m []Scenario
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("node run.js --manifest: %v", err)
	}
	return m, nil
}

// AttemptTolerance is how far apart the engine's and the model's attempt
// start times may be (virtual time).
const AttemptTolerance = time.Millisecond

// Result is the terminal callback of one Connect call.
type Result struct {
	Call int32
	Name vocab.Word // onSuccess or onError
	Code fsm.Code
}

func (r Result) String() string {
	if r.Name == vocab.CbSuccess {
		return "#" + strconv.Itoa(int(r.Call)) + " ok"
	}
	return "#" + strconv.Itoa(int(r.Call)) + " " + strconv.Itoa(int(r.Code))
}

// Summary is what the comparison looks at in one trace of device 0: the
// status sequence, the attempts' start and end times and each call's
// terminal callback (by call, in call order).
type Summary struct {
	Statuses []fsm.Status
	Labels   []string   // each status as the web profile publishes it, DISCONNECTED with its code
	Codes    []fsm.Code // the code the listener got with each status (web), 0 for none
	Starts   []time.Duration
	Ends     []time.Duration // when each attempt that ended did (ok or fail), in order
	Steps    []Step          // the attempts' steps (attempt full), in order
	Results  []Result
}

// Step is one step of an attempt: its name (navi, socket, tls, auth) and
// when it began.
type Step struct {
	Name vocab.Word
	T    time.Duration
}

// Summarize extracts the Summary of device 0 from a trace.
func Summarize(recs []trace.Record) Summary {
	var s Summary
	for i := range recs {
		r := &recs[i]
		if r.Dev != 0 {
			continue
		}
		switch r.Kind {
		case trace.KStatus:
			s.Statuses = append(s.Statuses, r.Status)
			l := fsm.ProfileWeb.StatusName(r.Status)
			if l == "DISCONNECTED" {
				l += "(" + strconv.Itoa(int(r.Code)) + ")"
			}
			s.Labels = append(s.Labels, l)
			s.Codes = append(s.Codes, r.Code)
		case trace.KAttempt:
			switch r.Phase {
			case vocab.PhaseStart:
				s.Starts = append(s.Starts, r.T)
			case vocab.PhaseOK, vocab.PhaseFail:
				s.Ends = append(s.Ends, r.T)
			case vocab.PhaseStep:
				s.Steps = append(s.Steps, Step{r.Reason, r.T})
			}
		case trace.KCallback:
			if r.Name == vocab.CbSuccess || r.Name == vocab.CbError {
				if !slices.ContainsFunc(s.Results, func(x Result) bool { return x.Call == r.Call }) {
					s.Results = append(s.Results, Result{r.Call, r.Name, r.Code})
				}
			}
		}
	}
	slices.SortStableFunc(s.Results, func(a, b Result) int { return int(a.Call) - int(b.Call) })
	return s
}

// Diff returns the differences between the engine's and the model's
// summaries, nil when they match: the same status sequence with the same
// codes (the web listener's), as many
// attempts starting and ending within AttemptTolerance of each other (an
// attempt's end is its time to connect or to fail), the same steps at
// times within AttemptTolerance, and the same terminal callback for each
// call.
func Diff(engine, model Summary) []string {
	var d []string
	if !slices.Equal(engine.Statuses, model.Statuses) {
		i := 0
		for i < len(engine.Statuses) && i < len(model.Statuses) && engine.Statuses[i] == model.Statuses[i] {
			i++
		}
		d = append(d, fmt.Sprintf("statuses differ from change %d: engine %s, model %s", i+1, label(engine, i), label(model, i)))
	} else if i := codeDiff(engine.Codes, model.Codes); i >= 0 {
		d = append(d, fmt.Sprintf("codes differ at change %d (%s): engine %d, model %d", i+1, engine.Labels[i], engine.Codes[i], model.Codes[i]))
	}
	if len(engine.Starts) != len(model.Starts) {
		d = append(d, fmt.Sprintf("%d attempts in the engine, %d in the model", len(engine.Starts), len(model.Starts)))
	}
	for i := range min(len(engine.Starts), len(model.Starts)) {
		if dt := engine.Starts[i] - model.Starts[i]; dt > AttemptTolerance || dt < -AttemptTolerance {
			d = append(d, fmt.Sprintf("attempt %d starts at %s in the engine, %s in the model", i+1, secs(engine.Starts[i]), secs(model.Starts[i])))
			break
		}
	}
	for i := range min(len(engine.Ends), len(model.Ends)) {
		if dt := engine.Ends[i] - model.Ends[i]; dt > AttemptTolerance || dt < -AttemptTolerance {
			d = append(d, fmt.Sprintf("attempt %d ends at %s in the engine, %s in the model", i+1, secs(engine.Ends[i]), secs(model.Ends[i])))
			break
		}
	}
	for i := range max(len(engine.Steps), len(model.Steps)) {
		if i >= len(engine.Steps) || i >= len(model.Steps) {
			d = append(d, fmt.Sprintf("%d steps in the engine, %d in the model", len(engine.Steps), len(model.Steps)))
			break
		}
		e, m := engine.Steps[i], model.Steps[i]
		if dt := e.T - m.T; e.Name != m.Name || dt > AttemptTolerance || dt < -AttemptTolerance {
			d = append(d, fmt.Sprintf("step %d: engine %s at %s, model %s at %s", i+1, e.Name, secs(e.T), m.Name, secs(m.T)))
			break
		}
	}
	if !slices.Equal(engine.Results, model.Results) {
		d = append(d, fmt.Sprintf("results: engine %s, model %s", results(engine.Results), results(model.Results)))
	}
	return d
}

// codeDiff returns the first index where two code sequences of the same
// statuses differ, or -1.
func codeDiff(a, b []fsm.Code) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func label(s Summary, i int) string {
	if i < len(s.Labels) {
		return s.Labels[i]
	}
	return "(none)"
}

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s" }

func results(rs []Result) string {
	if len(rs) == 0 {
		return "none"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// StatusLine writes a status sequence compactly: consecutive repeats of a
// pair (a failed round, A B A B ...) become (A B)×k.
func StatusLine(ss []string) string {
	var parts []string
	for i := 0; i < len(ss); {
		if i+3 < len(ss) && ss[i] == ss[i+2] && ss[i+1] == ss[i+3] && ss[i] != ss[i+1] {
			k := 1
			for i+2*k+1 < len(ss) && ss[i+2*k] == ss[i] && ss[i+2*k+1] == ss[i+1] {
				k++
			}
			parts = append(parts, fmt.Sprintf("(%s %s)×%d", ss[i], ss[i+1], k))
			i += 2 * k
			continue
		}
		parts = append(parts, ss[i])
		i++
	}
	return strings.Join(parts, " ")
}
