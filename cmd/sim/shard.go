// Shards on the command line: --shard K/N, `sim run --shard` and the
// writing of a partial (package run holds the format and its reader).

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// parseShard parses K/N.
func parseShard(spec string, trials int) (k, n int, err error) {
	ks, ns, ok := strings.Cut(spec, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > min(trials, run.MaxShards) || k < 0 || k >= n {
		return 0, 0, usageError{fmt.Errorf("--shard must be K/N with 0 <= K < N and 1 <= N <= min(--trials, %d) (got %q)", run.MaxShards, spec)}
	}
	return k, n, nil
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
	from, to := run.ShardRange(k, n, r.trials)
	ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
	defer stop()
	rc := run.Config{Params: r.p, Scenario: r.sc, From: from, Trials: to - from, Seed: r.seed, Workers: r.workers, KeepAll: true}
	acc, err := accumulate(ctx, rc, stderr, r.quiet)
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{fmt.Errorf("interrupted before shard %d/%d finished; nothing written", k, n)}
		}
		return trialFailure(err, r.seed, "sim trace"+replayArgs(cmd.Flags(), "trials", "workers", "json", "quiet", "plot", "seed", "shard", "out"))
	}
	if err := checkLatencies(acc, k, n); err != nil {
		return err
	}
	res, err := json.Marshal(acc)
	if err != nil {
		return err
	}
	sum := run.NewResultSum()
	sum.Add(res)
	pf := run.PartialHeader{Format: run.PartialFormat, Version: run.PartialVersion, Command: "run", ResultSum: sum.String(), Latencies: acc.MsgLatencies(),
		Params: model.Registry.Texts(&r.p), Flags: setFlags(cmd.Flags(), run.UnstoredFlags...),
		Seed: r.seed, Trials: r.trials, Shard: k, Shards: n, From: from, To: to,
		Digest: run.Digest(r.p, r.sc), Result: res}
	return writePartial(stdout, stderr, &pf, r.out, r.quiet)
}

// writePartial writes a shard's partial result, one line of JSON, to
// stdout, or atomically to the file out.
func writePartial(stdout, stderr io.Writer, pf *run.PartialHeader, out string, quiet bool) error {
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

// checkLatencies is run.CheckLatencies, its refusal bad input.
func checkLatencies(acc *run.Acc, k, n int) error {
	if err := run.CheckLatencies(acc, k, n); err != nil {
		return usageError{err}
	}
	return nil
}
