package run

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"time"

	"github.com/rcsim/connsim/model"
)

// Shards: `sim run --shard K/N` runs a contiguous slice of the trials and
// writes a partial result; `sim merge` combines the N partials into the
// output of the whole run, byte for byte. A trial is a pure function of
// (seed, trial index, parameters), so the slices are independent.

// PartialFormat and PartialVersion identify a partial result file;
// MaxShards and MaxTrials bound a partial's shards and trials.
const (
	PartialFormat  = "connsim-partial"
	PartialVersion = 3 // 2: result_sha256; 3: params, grid and flags instead of the arguments
	MaxShards      = 100000
	MaxTrials      = 100_000_000
)

// PartialHeader is a shard's partial result (format 3): the run's
// resolved parameters (model.Registry's flag texts, after profile,
// scenario file and flags), a sweep's grid, the flags given (only ever
// rendered, in the replay lines and captions merge prints), which shard,
// a digest of the parameters and scenario the shard ran, and its
// accumulator.
type PartialHeader struct {
	Format  string            `json:"format"`
	Version int               `json:"version"`
	Command string            `json:"command"`
	Params  map[string]string `json:"params"`
	// Grid is a sweep's axes (package sweep's encoding); absent for a run.
	Grid   json.RawMessage `json:"grid,omitempty"`
	Flags  []Flag          `json:"flags"`
	Seed   uint64          `json:"seed"`
	Trials int             `json:"trials"`
	Shard  int             `json:"shard"`
	Shards int             `json:"shards"`
	From   int             `json:"from"`
	To     int             `json:"to"`
	Digest string          `json:"params_sha256"`
	// Latencies is the most message latencies one accumulator of Result
	// holds (absent when none): it bounds the result's text.
	Latencies int64 `json:"msg_latencies,omitempty"`
	// ResultSum is the ResultSum digest of the accumulators in Result: a
	// partial damaged after it was written is refused, not merged.
	ResultSum string          `json:"result_sha256"`
	Result    json.RawMessage `json:"result"`
}

// UnstoredFlags are the flags a partial does not store: where and how the
// shard ran, and the outputs, which belong to merge. A partial naming one
// is refused.
var UnstoredFlags = []string{"shard", "out", "workers", "quiet", "json", "plot", "cdf", "cdf-time-limit", "cdf-loss"}

// Flag is a flag given to a shard's command, as replay lines render it.
type Flag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Bool  bool   `json:"bool,omitempty"` // rendered without its value
}

// ModelParams rebuilds the shard's parameters from Params
// (model.Registry.FromTexts); an error names the key, params.NAME.
func (h *PartialHeader) ModelParams() (model.Params, error) {
	p, err := model.Registry.FromTexts(h.Params)
	if err != nil {
		return p, fmt.Errorf("params.%v", err)
	}
	return p, nil
}

// ResultSum is the digest of a partial's result: the SHA-256 of its
// accumulators' JSON texts, each followed by a newline, in file order. A
// sweep partial is read one grid point at a time, so the digest is of the
// accumulators, not of the result's text.
type ResultSum struct{ h hash.Hash }

// NewResultSum starts a digest.
func NewResultSum() ResultSum { return ResultSum{sha256.New()} }

// Add adds one accumulator's text.
func (r ResultSum) Add(acc []byte) {
	r.h.Write(acc)
	r.h.Write([]byte{'\n'})
}

func (r ResultSum) String() string { return hex.EncodeToString(r.h.Sum(nil)) }

// ShardRange returns the trials [from, to) of shard k of n over trials.
func ShardRange(k, n, trials int) (int, int) {
	return int(int64(k) * int64(trials) / int64(n)), int(int64(k+1) * int64(trials) / int64(n))
}

// Digest is the SHA-256 of the parameters and scenario as JSON: the
// shards of one run, and its merge, must agree on it. p is a run's
// model.Params, or a sweep's []model.Params (every grid point, in row order).
func Digest(p any, sc model.Scenario) string {
	b, err := json.Marshal(struct {
		P  any
		SC model.Scenario
	}{p, sc})
	if err != nil {
		b = []byte(fmt.Sprintf("%#v %#v", p, sc))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// PartialLatencyCap is MaxPartialLatencies, lowered by tests.
var PartialLatencyCap = int64(MaxPartialLatencies)

// CheckLatencies refuses a shard k/n whose accumulator holds more
// message latencies than a partial may (every one is written, for exact
// quantiles at merge time).
func CheckLatencies(acc *Acc, k, n int) error {
	if !acc.MsgComplete() || acc.MsgLatencies() > PartialLatencyCap {
		return fmt.Errorf("--shard %d/%d: its trials show %d messages, more than the %d a partial holds (each is kept for exact quantiles); use more shards",
			k, n, acc.MsgLatencies(), PartialLatencyCap)
	}
	return nil
}

// Merged is the merge of a run's partials: the merged accumulator and
// what the shards ran.
type Merged struct {
	Acc *Acc
	MergedHeader
}

// MergedHeader is what the shards of a run or sweep ran.
type MergedHeader struct {
	Trials int
	Seed   uint64
	Digest string
}

// WithinHorizon checks that no time to connect of a merged accumulator
// is past the horizon its parameters ran to (a forged partial's).
func WithinHorizon(acc *Acc, p model.Params) error {
	if acc.TTCMax > int64(p.Horizon) {
		return fmt.Errorf("ttc_max_ns: a partial's time to connect %v is past the horizon %v the shards ran to", time.Duration(acc.TTCMax), p.Horizon)
	}
	return nil
}
