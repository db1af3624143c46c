package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/rcsim/connsim/sim"
	"github.com/spf13/cobra"
)

// maxPartialBytes bounds a partial result file (about 100 M successes).
const maxPartialBytes = 2 << 30

func newMergeCmd(stdout, stderr io.Writer) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "merge [--json] FILE...",
		Short: "Combine the partial results of sim run --shard into the run's summary",
		Long: `merge reads the partial results of the N shards of one run (sim run --shard
K/N, K from 0 to N-1, each with the same other flags) and prints exactly what
the run on one machine prints, byte for byte: the human summary, or with
--json the JSON object. Every partial must come from the same arguments,
seed and number of trials and shards, and every shard must be there once;
otherwise merge refuses with exit 2. A scenario file named in the args is
read again and must still give the parameters the shards ran.

Examples:
  for k in 0 1 2 3; do sim run --loss 0.3 --trials 1000000 --shard $k/4 --out part-$k.json & done; wait
  sim merge part-*.json
  sim merge --json part-*.json | jq .ttc_ms`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			m, args, err := mergePartials(files)
			if err != nil {
				return err
			}
			run := newRunCmdWith(stdout, stderr, m)
			run.SetFlagErrorFunc(flagError)
			run.SilenceErrors, run.SilenceUsage = true, true
			args = append(slices.Clone(args), "--quiet")
			if asJSON {
				args = append(args, "--json")
			}
			run.SetArgs(args)
			return run.Execute()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object, as sim run --json does")
	return cmd
}

// mergePartials reads and checks the partial files and merges their
// accumulators; it returns the run's arguments.
func mergePartials(files []string) (*mergedRun, []string, error) {
	var first *partialFile
	var acc *sim.Acc
	seen := map[int]string{}
	for _, name := range files {
		pf, err := readPartial(name)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("%s: %v", name, err)}
		}
		if first == nil {
			first = pf
		} else {
			switch {
			case !slices.Equal(pf.Args, first.Args):
				return nil, nil, usageError{fmt.Errorf("%s: args %q differ from %s's %q", name, pf.Args, files[0], first.Args)}
			case pf.Seed != first.Seed || pf.Trials != first.Trials || pf.Shards != first.Shards:
				return nil, nil, usageError{fmt.Errorf("%s: seed %d, %d trials in %d shards; %s has seed %d, %d trials in %d shards",
					name, pf.Seed, pf.Trials, pf.Shards, files[0], first.Seed, first.Trials, first.Shards)}
			case pf.Digest != first.Digest:
				return nil, nil, usageError{fmt.Errorf("%s: ran other parameters or another scenario than %s", name, files[0])}
			}
		}
		if prev, ok := seen[pf.Shard]; ok {
			return nil, nil, usageError{fmt.Errorf("%s: shard %d/%d again (also in %s)", name, pf.Shard, pf.Shards, prev)}
		}
		seen[pf.Shard] = name
		a, err := sim.UnmarshalPartial(pf.Result, pf.From, pf.To)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("%s: result: %v", name, err)}
		}
		if acc == nil {
			acc = a
		} else {
			acc.Merge(a)
		}
	}
	if len(seen) != first.Shards {
		var missing []int
		for k := range first.Shards {
			if _, ok := seen[k]; !ok {
				missing = append(missing, k)
			}
		}
		return nil, nil, usageError{fmt.Errorf("%d of %d shards given; missing shard %d", len(seen), first.Shards, missing[0])}
	}
	return &mergedRun{acc: acc, trials: first.Trials, seed: first.Seed, digest: first.Digest}, first.Args, nil
}

// readPartial reads one partial result file and checks its header.
func readPartial(name string) (*partialFile, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	defer f.Close()
	// Decoded as it is read: a file that is not JSON (/dev/zero) fails at
	// its first byte, and no file is read past maxPartialBytes.
	lr := &io.LimitedReader{R: f, N: maxPartialBytes + 1}
	var pf partialFile
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pf); err != nil {
		if lr.N <= 0 {
			return nil, fmt.Errorf("larger than %d bytes", maxPartialBytes)
		}
		return nil, fmt.Errorf("not a partial result of sim run --shard: %v", err)
	}
	if pf.Format != partialFormat || pf.Version != partialVersion || pf.Command != "run" {
		return nil, fmt.Errorf("format %q version %d command %q; want %s version %d of sim run", pf.Format, pf.Version, pf.Command, partialFormat, partialVersion)
	}
	for _, a := range pf.Args {
		name, _, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !ok || !strings.HasPrefix(a, "--") || slices.Contains([]string{"shard", "out", "plot", "workers", "json", "quiet"}, name) {
			return nil, fmt.Errorf("args: %q is not a flag of the run's parameters", a)
		}
	}
	if pf.Trials < 1 || pf.Trials > maxTrials || pf.Shards < 1 || pf.Shards > min(pf.Trials, maxShards) || pf.Shard < 0 || pf.Shard >= pf.Shards {
		return nil, fmt.Errorf("shard %d/%d of %d trials is out of range", pf.Shard, pf.Shards, pf.Trials)
	}
	if from, to := shardRange(pf.Shard, pf.Shards, pf.Trials); pf.From != from || pf.To != to {
		return nil, fmt.Errorf("shard %d/%d of %d trials covers trials %d to %d, not %d to %d", pf.Shard, pf.Shards, pf.Trials, from, to-1, pf.From, pf.To-1)
	}
	return &pf, nil
}
