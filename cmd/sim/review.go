package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/internal/infile"
	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/review"
)

func newReviewCmd(stdout, stderr io.Writer) *cobra.Command {
	var outDir string
	var workers int
	cmd := &cobra.Command{
		Use:   "review FILE --out DIR",
		Short: "Run a design review from a review file and write its report",
		Long: `review runs the experiments of a review file for each of its alternatives
and writes the report to DIR: index.html (one file, no network: tables with
95% intervals, a verdict per measure, inline figures, the sensitivity of
the headline to the assumptions named, and the commands that reproduce
every number), review.json (every number), and review.md with its PNG
figures (for repositories that render Markdown).

A review file (YAML) names a title and question, two or more alternatives
(each a set of parameters, named as in a scenario file's params: policy,
policy_jitter, loss, msg_rate, ...), the experiments (kind run with trials,
kind storm, kind sweep over a grid of one or two parameters, kind trace
of a scenario file's trial, shown as an interactive timeline, or kind
explore, sim explore's search for each alternative's quirks; each with
params and the measures to compare) and the
sensitivity runs (an experiment, a parameter and its values). It is checked
whole before any work: an unknown parameter or a value out of range is
named as FILE:LINE: field. The report is the same bytes at any --workers.
See docs/reviews/ for the project's own reviews.

Examples:
  sim review docs/reviews/policies.yaml --out /tmp/policies
  sim review my-review.yaml --out review-out --workers 2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" {
				return usageError{fmt.Errorf("--out DIR is required: the directory the report is written to")}
			}
			if workers < 1 || workers > 1024 {
				return usageError{fmt.Errorf("--workers must be between 1 and 1024 (got %d)", workers)}
			}
			data, err := readReviewFile(args[0])
			if err != nil {
				return usageError{err}
			}
			spec, err := review.Parse(args[0], data)
			if err != nil {
				return usageError{err}
			}
			if err := checkOutDir("--out", outDir, review.OutputNames(spec)); err != nil {
				return err
			}
			var b outfile.Batch
			b.Mkdir("--out "+outDir, outDir)
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			bar := newProgress(stderr, false, review.Units(spec)*20000)
			r, err := review.Run(ctx, spec, review.Options{Workers: workers, Progress: func(done, _ int) {
				if bar != nil {
					_ = bar.Set(done * 20000)
				}
			}})
			finishProgress(bar, stderr)
			if ctx.Err() != nil {
				return interruptedError{fmt.Errorf("interrupted; nothing was written")}
			}
			if err != nil {
				return err
			}
			figs, err := review.Figures(r)
			if err != nil {
				return err
			}
			b.Add("--out "+outDir, filepath.Join(outDir, "index.html"), func(w io.Writer) error { return review.WriteHTML(w, r, figs) })
			b.Add("--out "+outDir, filepath.Join(outDir, "review.json"), func(w io.Writer) error { return review.WriteJSON(w, r) })
			b.Add("--out "+outDir, filepath.Join(outDir, "review.md"), func(w io.Writer) error { return review.WriteMarkdown(w, r, figs) })
			for _, f := range figs {
				b.AddBytes("--out "+outDir, filepath.Join(outDir, f.Name), f.PNG)
			}
			for _, t := range r.Traces {
				b.Add("--out "+outDir, filepath.Join(outDir, t.File), func(w io.Writer) error { return review.WriteTrace(w, t) })
			}
			if err := commitOutputs(&b); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "sim review: %s: %d experiments x %d alternatives, %d sensitivity runs; report in %s\n",
				spec.Title, len(spec.Experiments), len(spec.Alternatives), len(spec.Sensitivity), filepath.Join(outDir, "index.html"))
			for _, x := range r.Experiments {
				for _, m := range x.Measures {
					fmt.Fprintf(stdout, "  %s\n", m.Verdict)
				}
			}
			for _, s := range r.Sensitivity {
				fmt.Fprintf(stdout, "  sensitivity: %s\n", s.Verdict)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&outDir, "out", "", "the directory to write index.html, review.json, review.md and the figures to (made if missing)")
	fs.IntVar(&workers, "workers", defaultWorkers(), "parallel workers for the runs (the report does not depend on it)")
	return cmd
}

// readReviewFile reads a review file: at most review.MaxReviewBytes, a
// FIFO without a writer reads empty (infile.Open).
func readReviewFile(path string) ([]byte, error) {
	fh, err := infile.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory; want a review file (YAML)", path)
	}
	b, err := io.ReadAll(io.LimitReader(fh, review.MaxReviewBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(b) > review.MaxReviewBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes, the most a review file may hold", path, review.MaxReviewBytes)
	}
	return b, nil
}
