package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// Shards: `sim run --shard K/N` runs a contiguous slice of the trials and
// writes a partial result; `sim merge` combines the N partials into the
// output of the whole run, byte for byte. A trial is a pure function of
// (seed, trial index, parameters), so the slices are independent.

// partialFormat and partialVersion identify a partial result file.
const (
	partialFormat  = "connsim-partial"
	partialVersion = 2 // 2: result_sha256
	maxShards      = 100000
)

// partialFile is a shard's partial result: the run's arguments (to rebuild
// its parameters and replay commands at merge time), which shard, a digest
// of the parameters and scenario the shard ran, and its accumulator.
type partialFile struct {
	Format  string   `json:"format"`
	Version int      `json:"version"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Seed    uint64   `json:"seed"`
	Trials  int      `json:"trials"`
	Shard   int      `json:"shard"`
	Shards  int      `json:"shards"`
	From    int      `json:"from"`
	To      int      `json:"to"`
	Digest  string   `json:"params_sha256"`
	// Latencies is the most message latencies one accumulator of Result
	// holds (absent when none): it bounds the result's text.
	Latencies int64 `json:"msg_latencies,omitempty"`
	// ResultSum is resultSum's digest of the accumulators in Result: a
	// partial damaged after it was written is refused, not merged.
	ResultSum string          `json:"result_sha256"`
	Result    json.RawMessage `json:"result"`
}

// resultSum is the digest of a partial's result: the SHA-256 of its
// accumulators' JSON texts, each followed by a newline, in file order. A
// sweep partial is read one grid point at a time, so the digest is of the
// accumulators, not of the result's text.
type resultSum struct{ h hash.Hash }

func newResultSum() resultSum { return resultSum{sha256.New()} }

// add adds one accumulator's text.
func (r resultSum) add(acc []byte) {
	r.h.Write(acc)
	r.h.Write([]byte{'\n'})
}

func (r resultSum) String() string { return hex.EncodeToString(r.h.Sum(nil)) }

// shardRange returns the trials [from, to) of shard k of n over trials.
func shardRange(k, n, trials int) (int, int) {
	return int(int64(k) * int64(trials) / int64(n)), int(int64(k+1) * int64(trials) / int64(n))
}

// parseShard parses K/N.
func parseShard(spec string, trials int) (k, n int, err error) {
	ks, ns, ok := strings.Cut(spec, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > min(trials, maxShards) || k < 0 || k >= n {
		return 0, 0, usageError{fmt.Errorf("--shard must be K/N with 0 <= K < N and 1 <= N <= min(--trials, %d) (got %q)", maxShards, spec)}
	}
	return k, n, nil
}

// paramsDigest is the SHA-256 of the parameters and scenario as JSON: the
// shards of one run, and its merge, must agree on it. p is a run's
// model.Params, or a sweep's []model.Params (every grid point, in row order).
func paramsDigest(p any, sc model.Scenario) string {
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

// runArgs lists the flags of fs set on the command line, as arguments, in
// definition order, without the ones in skip.
func runArgs(fs *pflag.FlagSet, skip ...string) []string {
	var out []string
	for _, f := range setFlags(fs, skip...) {
		out = append(out, "--"+f.name+"="+f.value)
	}
	return out
}

// shardRun is what `sim run --shard` needs from the run command.
type shardRun struct {
	spec, out, plot string
	json, quiet     bool
	trials, workers int
	p               model.Params
	sc              model.Scenario
	seed            uint64
}

// runShard runs one shard and writes its partial result.
func runShard(cmd *cobra.Command, stdout, stderr io.Writer, r shardRun) error {
	if r.spec == "" {
		return usageError{errors.New("--out is for --shard runs (the summary goes to stdout)")}
	}
	if r.plot != "" || r.json {
		return usageError{errors.New("--shard writes a partial result: --plot and --json belong to sim merge")}
	}
	k, n, err := parseShard(r.spec, r.trials)
	if err != nil {
		return err
	}
	if r.out == "-" { // the partial to stdout, as without --out
		r.out = ""
	}
	if err := checkOut("--out", r.out); err != nil {
		return err
	}
	from, to := shardRange(k, n, r.trials)
	ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
	defer stop()
	rc := run.Config{Params: r.p, Scenario: r.sc, From: from, Trials: to - from, Seed: r.seed, Workers: r.workers, KeepAll: true}
	bar := newProgress(stderr, r.quiet, to-from)
	if bar != nil {
		rc.Progress = func(n int) { _ = bar.Set(n) }
	}
	acc, err := run.Accumulate(ctx, rc)
	finishProgress(bar, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{fmt.Errorf("interrupted before shard %d/%d finished; nothing written", k, n)}
		}
		return trialFailure(err, r.seed, "sim trace"+replayArgs(cmd.Flags(), "trials", "workers", "json", "quiet", "plot", "seed", "shard", "out"))
	}
	if err := partialLatencies(acc, k, n); err != nil {
		return err
	}
	res, err := json.Marshal(acc)
	if err != nil {
		return err
	}
	sum := newResultSum()
	sum.add(res)
	pf := partialFile{Format: partialFormat, Version: partialVersion, Command: "run", ResultSum: sum.String(), Latencies: acc.MsgLatencies(),
		Args: runArgs(cmd.Flags(), "shard", "out", "workers", "quiet", "json", "plot"),
		Seed: r.seed, Trials: r.trials, Shard: k, Shards: n, From: from, To: to,
		Digest: paramsDigest(r.p, r.sc), Result: res}
	return writePartial(stdout, stderr, &pf, r.out, r.quiet)
}

// partialLatencyCap is sim.MaxPartialLatencies, lowered by tests.
var partialLatencyCap = int64(run.MaxPartialLatencies)

// partialLatencies refuses a shard k/n whose accumulator holds more
// message latencies than a partial may (every one is written, for exact
// quantiles at merge time).
func partialLatencies(acc *run.Acc, k, n int) error {
	if !acc.MsgComplete() || acc.MsgLatencies() > partialLatencyCap {
		return usageError{fmt.Errorf("--shard %d/%d: its trials show %d messages, more than the %d a partial holds (each is kept for exact quantiles); use more shards",
			k, n, acc.MsgLatencies(), partialLatencyCap)}
	}
	return nil
}

// writePartial writes a shard's partial result, one line of JSON, to
// stdout, or atomically to the file out.
func writePartial(stdout, stderr io.Writer, pf *partialFile, out string, quiet bool) error {
	b, err := json.Marshal(pf)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if out == "" {
		_, err = stdout.Write(b)
		return err
	}
	var files outfile.Batch
	files.AddBytes("--out "+out, out, b)
	if err := commitOutputs(&files); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(stderr, "sim: wrote %s: shard %d/%d, trials %d to %d\n", out, pf.Shard, pf.Shards, pf.From, pf.To-1)
	}
	return nil
}

// mergedRun is what `sim merge` hands the run command: the merged
// accumulator and what the shards ran.
type mergedRun struct {
	acc *run.Acc
	mergedHeader
}

// mergedHeader is what the shards of a run or sweep ran.
type mergedHeader struct {
	trials int
	seed   uint64
	digest string
}

// matches checks that the run command rebuilt, from the partials' args,
// the parameters the shards ran (a scenario file may have changed since).
func (m *mergedRun) matches(trials int, seed uint64, p model.Params, sc model.Scenario) error {
	if err := m.check(trials, seed, paramsDigest(p, sc)); err != nil {
		return err
	}
	return withinHorizon(m.acc, p)
}

// withinHorizon checks that no time to connect of a merged accumulator
// is past the horizon its parameters ran to (a forged partial's).
func withinHorizon(acc *run.Acc, p model.Params) error {
	if acc.TTCMax > int64(p.Horizon) {
		return usageError{fmt.Errorf("ttc_max_ns: a partial's time to connect %v is past the horizon %v the shards ran to", time.Duration(acc.TTCMax), p.Horizon)}
	}
	return nil
}

// check checks that a command rebuilt from the partials' args has the
// trials, seed and parameters' digest the shards ran.
func (m *mergedHeader) check(trials int, seed uint64, digest string) error {
	if seed != m.seed {
		return usageError{fmt.Errorf("the partials ran seed %d, their args say %d", m.seed, seed)}
	}
	if trials != m.trials {
		return usageError{fmt.Errorf("the partials are shards of %d trials, their args say %d", m.trials, trials)}
	}
	if digest != m.digest {
		return usageError{errors.New("the parameters and scenario the args give now differ from those the shards ran (a scenario or network-trace file changed?)")}
	}
	return nil
}
