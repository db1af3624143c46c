// The summary as `sim run --json` prints it, which the sweep's CSV
// flattens into its columns.

package run

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// JSONSummary is the object `sim run --json` prints: the parameters, then
// the summary.
type JSONSummary struct {
	Params jsonParams `json:"params"`
	Summary
}

// jsonParams is the "params" object of --json: the seed, then every
// parameter of model.Registry that has a JSON key, in registry order.
type jsonParams struct {
	seed uint64
	p    model.Params
}

func (j jsonParams) MarshalJSON() ([]byte, error) {
	return json.Marshal(append(param.Object{{Key: "seed", Value: j.seed}}, model.Registry.JSON(&j.p)...))
}

// UnmarshalJSON ignores the params: the sweep reads a row's parameters
// from the row itself.
func (j *jsonParams) UnmarshalJSON([]byte) error { return nil }

// WriteJSON prints s as `sim run --json` does: one JSONSummary object
// and a newline.
func WriteJSON(w io.Writer, p model.Params, seed uint64, s Summary) error {
	js := JSONSummary{Summary: s, Params: jsonParams{seed: seed, p: p}}
	b, err := json.Marshal(js)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// LimitText is a time limit as the summaries print it: none for no limit.
func LimitText(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return d.String()
}
