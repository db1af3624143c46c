package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/internal/infile"
	"github.com/rcsim/connsim/run"
)

// Bounds of a partial's text, checked as it is read, before any of it is
// parsed: the header (every field before "result") holds at most
// maxHeaderBytes, and an accumulator of a shard of T trials that holds L
// message latencies (the header's msg_latencies) at most accBound(T, L)
// bytes (a time to connect or a latency is at most 17 characters, comma
// included). A forged 200 MB partial of a few trials is refused after
// reading a MiB, not after parsing it (1.1 GB, 17 s).
const (
	maxHeaderBytes  = 1 << 20
	accSlack        = 1 << 20 // attempt counts, failing trials' messages, errors
	bytesPerTrial   = 32
	bytesPerLatency = 17
)

// accBound is the most bytes the accumulator of trials trials and
// latencies message latencies may take.
func accBound(trials int, latencies int64) int64 {
	return accSlack + bytesPerTrial*int64(trials) + bytesPerLatency*latencies
}

// sweepOutputFlags are sim sweep's output flags: a sweep shard refuses
// them and `sim merge` of sweep partials takes them.
var sweepOutputFlags = []string{"out", "plot", "cdf", "cdf-time-limit", "cdf-loss"}

func newMergeCmd(stdout, stderr io.Writer) *cobra.Command {
	var asJSON bool
	var sweepOut [5]string // sweepOutputFlags' values
	cmd := &cobra.Command{
		Use:   "merge [--json] [--out CSV] [--plot FILE] [--cdf FILE] FILE...",
		Short: "Combine the partial results of sim run --shard or sim sweep --shard into the whole output",
		Long: `merge reads the partial results of the N shards of one run (sim run --shard
K/N, K from 0 to N-1, each with the same other flags) and prints exactly what
the run on one machine prints, byte for byte: the human summary, or with
--json the JSON object.

Given the partials of a sweep (sim sweep --shard K/N), it writes exactly
what the sweep on one machine writes: the CSV (--out, default sweep.csv),
the figures (--plot FILE, --cdf FILE with --cdf-time-limit and --cdf-loss,
as sim sweep takes them) and the table on stdout, byte for byte. Those
flags go to merge, not to the shards: every shard keeps every time to
connect, so any CDF of the grid can be drawn at merge time.

Every partial must come from the same command, arguments, seed and number
of trials and shards, and every shard must be there once; otherwise merge
refuses with exit 2. A scenario file named in the args is read again and
must still give the parameters the shards ran.

Examples:
  for k in 0 1 2 3; do sim run --loss 0.3 --trials 1000000 --shard $k/4 --out part-$k.json & done; wait
  sim merge part-*.json
  sim merge --json part-*.json | jq .ttc_ms
  seq 0 7 | xargs -P 4 -I{} sim sweep --loss 0:0.9:0.1 --trials 100000 --shard {}/8 --out sweep-{}.json --quiet
  sim merge --out sweep.csv --plot sweep.png --cdf ttc_cdf.png sweep-*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			prs, err := openPartials(files, cmd.InOrStdin())
			defer func() {
				for _, pr := range prs {
					pr.close()
				}
			}()
			if err != nil {
				return err
			}
			var sweepArgs []string
			for i, name := range sweepOutputFlags {
				if cmd.Flags().Changed(name) {
					sweepArgs = append(sweepArgs, "--"+name+"="+sweepOut[i])
				}
			}
			first := &prs[0].pf
			var c *cobra.Command
			args := slices.Clone(first.Args)
			switch first.Command {
			case "run":
				if len(sweepArgs) > 0 {
					return usageError{fmt.Errorf("--%s: %s holds a partial of sim run, which writes no CSV or sweep figure (--out, --plot and --cdf are for sweep partials)", strings.TrimPrefix(strings.SplitN(sweepArgs[0], "=", 2)[0], "--"), files[0])}
				}
				c = newRunCmdWith(stdout, stderr, mergeRuns(prs))
				if asJSON {
					args = append(args, "--json")
				}
			case "sweep":
				if asJSON {
					return usageError{fmt.Errorf("--json: %s holds a partial of sim sweep, which prints a table; its machine-readable output is the CSV (--out)", files[0])}
				}
				c = newSweepCmdWith(stdout, stderr, &mergedSweep{parts: prs, mergedHeader: mergedHeader{trials: first.Trials, seed: first.Seed, digest: first.Digest}})
				args = append(args, sweepArgs...)
			}
			c.SetFlagErrorFunc(flagError)
			onceOnly(c)
			c.SilenceErrors, c.SilenceUsage = true, true
			c.SetArgs(append(args, "--quiet"))
			return c.ExecuteContext(cmd.Context())
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.BoolVar(&asJSON, "json", false, "run partials: print the summary as one JSON object, as sim run --json does")
	fs.StringVar(&sweepOut[0], "out", "sweep.csv", "sweep partials: the CSV file to write, as sim sweep --out")
	fs.StringVar(&sweepOut[1], "plot", "", "sweep partials: also write the sweep figure to this file, as sim sweep --plot")
	fs.StringVar(&sweepOut[2], "cdf", "", "sweep partials: also write the time-to-connect CDF to this file, as sim sweep --cdf")
	fs.StringVar(&sweepOut[3], "cdf-time-limit", "largest finite", "sweep partials: as sim sweep --cdf-time-limit")
	fs.StringVar(&sweepOut[4], "cdf-loss", "every loss", "sweep partials: as sim sweep --cdf-loss")
	return cmd
}

// partialReader is one open partial file: its header, read and checked,
// and a decoder positioned at its result, which is read as it is needed
// (a sweep partial one grid point at a time, so that merging holds one
// point of every shard in memory, not whole files).
type partialReader struct {
	name string
	f    io.Closer
	lr   *io.LimitedReader
	dec  *json.Decoder
	pf   partialFile // without Result
	acc  *run.Acc    // a run partial's result, read at once (the first's: all merged)
	sum  resultSum   // of the accumulators read so far
	// what and limit name the part being read and its bound, for the
	// error when lr runs out.
	what  string
	limit int64
}

// allow lets the decoder read at most n more bytes of the file, for the
// part named what.
func (pr *partialReader) allow(what string, n int64) {
	pr.what, pr.limit = what, n
	pr.lr.N = n + 1
}

// checkSum checks, once the whole result is read, that it is the result
// the shard wrote (pf.ResultSum).
func (pr *partialReader) checkSum() error {
	if got := pr.sum.String(); got != pr.pf.ResultSum {
		return usageError{fmt.Errorf("%s: result_sha256: the result's digest is %s, not %s: the file changed after the shard wrote it", pr.name, got, pr.pf.ResultSum)}
	}
	return nil
}

func (pr *partialReader) close() {
	if pr != nil && pr.f != nil {
		pr.f.Close()
		pr.f = nil
	}
}

// readRun reads a run partial's result and closes the file: run partials
// are read one after the other, so that merging any number of them keeps
// one file open.
func (pr *partialReader) readRun() error {
	defer pr.close()
	var raw json.RawMessage
	pr.allow(fmt.Sprintf("result (shard of %d trials%s)", pr.pf.To-pr.pf.From, pr.latText()), accBound(pr.pf.To-pr.pf.From, pr.pf.Latencies))
	if err := pr.dec.Decode(&raw); err != nil {
		return pr.fail("result", err)
	}
	if err := pr.end(); err != nil {
		return err
	}
	pr.sum.add(raw)
	if err := pr.checkSum(); err != nil {
		return err
	}
	a, err := run.UnmarshalPartial(raw, pr.pf.From, pr.pf.To)
	if err != nil {
		return usageError{fmt.Errorf("%s: result: %v", pr.name, err)}
	}
	if n := a.MsgLatencies(); n != pr.pf.Latencies {
		return usageError{fmt.Errorf("%s: result: %d message latencies; msg_latencies says %d", pr.name, n, pr.pf.Latencies)}
	}
	pr.acc = a
	return nil
}

// latText is ", L message latencies" for a partial that declares some,
// else "".
func (pr *partialReader) latText() string {
	if pr.pf.Latencies == 0 {
		return ""
	}
	return fmt.Sprintf(", at most %d message latencies per accumulator", pr.pf.Latencies)
}

// fail words a decoding error of the partial's part what.
func (pr *partialReader) fail(what string, err error) error {
	if pr.lr.N <= 0 {
		return usageError{fmt.Errorf("%s: %s: longer than %d bytes, the most it may take", pr.name, pr.what, pr.limit)}
	}
	return usageError{fmt.Errorf("%s: %s: %s", pr.name, what, jsonErrText(err))}
}

// end reads the end of the partial: the object's closing brace, then
// nothing but blanks.
func (pr *partialReader) end() error {
	if t, err := pr.dec.Token(); err != nil || t != json.Delim('}') {
		return pr.fail("result", fmt.Errorf("want the end of the partial after the result (got %s)", tokenText(t, err)))
	}
	if t, err := pr.dec.Token(); err != io.EOF {
		return pr.fail("result", fmt.Errorf("data after the partial (%s)", tokenText(t, err)))
	}
	return nil
}

// tokenText words what a JSON decoder found where it wanted something
// else: a token, the end of the file, or a syntax error, without Go's
// internals ("<nil>", type names).
func tokenText(t json.Token, err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the end of the file"
	case err != nil:
		return jsonErrText(err)
	}
	switch v := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// jsonErrText is run.JSONErrorText.
func jsonErrText(err error) string { return run.JSONErrorText(err) }

// openPartials opens every file, reads and checks its header, and checks
// that the partials are the shards of one run or sweep, each once; a run
// partial's result is read too. On an error it returns the readers opened
// so far, for the caller to close. The files of a sweep's partials stay
// open, to be read side by side one grid point at a time.
func openPartials(files []string, stdin io.Reader) ([]*partialReader, error) {
	var prs []*partialReader
	seen := map[int]string{}
	if n := len(slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f != "-" })); n > 1 {
		return nil, usageError{errors.New("-: standard input is given twice; it holds one partial")}
	}
	for _, name := range files {
		pr, err := openPartial(name, stdin)
		if errors.Is(err, syscall.EMFILE) { // not the input's fault: exit 1
			return prs, fmt.Errorf("%s: %v (sim merge keeps a sweep's partials open together: raise ulimit -n above the number of shards)", name, err)
		}
		if err != nil {
			return prs, usageError{fmt.Errorf("%s: %v", name, err)}
		}
		prs = append(prs, pr)
		pf, first := &pr.pf, &prs[0].pf
		switch {
		case pf.Command != first.Command:
			return prs, usageError{fmt.Errorf("%s: a partial of sim %s; %s is one of sim %s (merge the shards of one command)", name, pf.Command, files[0], first.Command)}
		case !slices.Equal(pf.Args, first.Args):
			return prs, usageError{fmt.Errorf("%s: args %q differ from %s's %q", name, pf.Args, files[0], first.Args)}
		case pf.Seed != first.Seed || pf.Trials != first.Trials || pf.Shards != first.Shards:
			return prs, usageError{fmt.Errorf("%s: seed %d, %d trials in %d shards; %s has seed %d, %d trials in %d shards",
				name, pf.Seed, pf.Trials, pf.Shards, files[0], first.Seed, first.Trials, first.Shards)}
		case pf.Digest != first.Digest:
			return prs, usageError{fmt.Errorf("%s: ran other parameters or another scenario than %s", name, files[0])}
		}
		if prev, ok := seen[pf.Shard]; ok {
			return prs, usageError{fmt.Errorf("%s: shard %d/%d again (also in %s)", name, pf.Shard, pf.Shards, prev)}
		}
		seen[pf.Shard] = name
		if pf.Command == "run" {
			if err := pr.readRun(); err != nil {
				return prs, err
			}
			if len(prs) > 1 { // merged as read: one partial's times at a time beside the merged ones
				prs[0].acc.Merge(pr.acc)
				pr.acc = nil
			}
		}
	}
	if n := prs[0].pf.Shards; len(seen) != n {
		missing := 0
		for seen[missing] != "" {
			missing++
		}
		return prs, usageError{fmt.Errorf("%d of %d shards given; missing shard %d", len(seen), n, missing)}
	}
	return prs, nil
}

// mergeRuns is the merge of run partials (openPartials merged their
// results into the first's).
func mergeRuns(prs []*partialReader) *mergedRun {
	first := &prs[0].pf
	return &mergedRun{acc: prs[0].acc, mergedHeader: mergedHeader{trials: first.Trials, seed: first.Seed, digest: first.Digest}}
}

// openPartial opens one partial result file and reads and checks its
// header: every field before "result", which must come last (as sim
// writes it).
func openPartial(name string, stdin io.Reader) (*partialReader, error) {
	var f io.ReadCloser
	if name == "-" {
		f = io.NopCloser(stdin)
	} else {
		g, err := infile.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, pe.Err
			}
			return nil, err
		}
		f = g
	}
	// Decoded as it is read: a file that is not JSON (/dev/zero) fails at
	// its first byte, and no part is read past its bound (allow).
	lr := &io.LimitedReader{R: f}
	pr := &partialReader{name: name, f: f, lr: lr, dec: json.NewDecoder(lr), sum: newResultSum()}
	pr.dec.DisallowUnknownFields() // a sweep point holds point_sha256 and accs, nothing else
	pr.allow("the fields before result", maxHeaderBytes)
	if err := pr.readHeader(); err != nil {
		f.Close()
		if lr.N <= 0 {
			return nil, fmt.Errorf("%s: longer than %d bytes, the most they may take", pr.what, pr.limit)
		}
		return nil, err
	}
	return pr, nil
}

// readHeader reads the partial's fields up to "result" and checks them.
func (pr *partialReader) readHeader() error {
	notPartial := func(err error) error {
		return fmt.Errorf("not a partial result of sim run --shard or sim sweep --shard: %s", jsonErrText(err))
	}
	if t, err := pr.dec.Token(); err != nil || t != json.Delim('{') {
		return notPartial(fmt.Errorf("want a JSON object, got %s", tokenText(t, err)))
	}
	// The fields before "result", copied into one object and decoded
	// strictly (an unknown field is refused).
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	result := false
	for pr.dec.More() {
		t, err := pr.dec.Token()
		if err != nil {
			return notPartial(err)
		}
		key, _ := t.(string)
		if key == "result" {
			result = true
			break
		}
		var v json.RawMessage
		if err := pr.dec.Decode(&v); err != nil {
			return notPartial(err)
		}
		if hdr.Len() > 1 {
			hdr.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		hdr.Write(k)
		hdr.WriteByte(':')
		hdr.Write(v)
	}
	hdr.WriteByte('}')
	dec := json.NewDecoder(&hdr)
	dec.DisallowUnknownFields()
	pf := &pr.pf
	if err := dec.Decode(pf); err != nil {
		return notPartial(err)
	}
	if pf.Format != partialFormat || pf.Version != partialVersion || (pf.Command != "run" && pf.Command != "sweep") {
		return fmt.Errorf("format %q version %d command %q; want %s version %d of sim run or sim sweep", pf.Format, pf.Version, pf.Command, partialFormat, partialVersion)
	}
	if !result {
		return notPartial(errors.New("no result"))
	}
	if pf.Latencies < 0 || pf.Latencies > partialLatencyCap {
		return fmt.Errorf("msg_latencies is %d; it must be between 0 and %d", pf.Latencies, partialLatencyCap)
	}
	if _, err := hex.DecodeString(pf.ResultSum); err != nil || len(pf.ResultSum) != 64 {
		return fmt.Errorf("result_sha256: want 64 hex digits (got %q)", pf.ResultSum)
	}
	for _, a := range pf.Args {
		name, _, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !ok || !strings.HasPrefix(a, "--") || slices.Contains([]string{"shard", "out", "plot", "workers", "json", "quiet", "cdf", "cdf-time-limit", "cdf-loss"}, name) {
			return fmt.Errorf("args: %q is not a flag of the %s's parameters", a, pf.Command)
		}
	}
	if pf.Trials < 1 || pf.Trials > maxTrials || pf.Shards < 1 || pf.Shards > min(pf.Trials, maxShards) || pf.Shard < 0 || pf.Shard >= pf.Shards {
		return fmt.Errorf("shard %d/%d of %d trials is out of range", pf.Shard, pf.Shards, pf.Trials)
	}
	if from, to := shardRange(pf.Shard, pf.Shards, pf.Trials); pf.From != from || pf.To != to {
		return fmt.Errorf("shard %d/%d of %d trials covers trials %d to %d, not %d to %d", pf.Shard, pf.Shards, pf.Trials, from, to-1, pf.From, pf.To-1)
	}
	return nil
}
