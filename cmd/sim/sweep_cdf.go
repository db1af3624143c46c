package main

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/sweep"
)

// cdfChoice is what `sim sweep --cdf FILE` draws: the time-to-connect CDF
// of the grid points at one time limit of the grid, one curve per loss.
type cdfChoice struct {
	file string // "" : no CDF
	// byPolicy: the grid has several policies; the curves are one per
	// policy at the one loss in losses.
	byPolicy bool
	limit    time.Duration // a time limit of the grid (0: no limit)
	losses   []float64     // losses of the grid, in curve order
}

// keeps reports whether the grid point (limit, loss) is one of the CDF's
// curves, whose per-trial times to connect the sweep must keep.
func (c *cdfChoice) keeps(limit time.Duration, loss float64) bool {
	return c.file != "" && limit == c.limit && slices.Contains(c.losses, loss)
}

// parseCDFChoice checks --cdf, --cdf-time-limit and --cdf-loss against the
// grid before the sweep runs. limitFlag and lossFlag are "" when not set.
// The time limit defaults to the largest finite one of the grid (none when
// the grid has only 0), so that the figure marks a limit; the losses to
// every loss of the grid, which must then be at most plots.PaletteSize.
//
// With npolicies > 1 policies in the grid, the curves are one per policy
// (at most plots.PaletteSize) at one loss: the grid's only loss, or the
// one --cdf-loss names.
func parseCDFChoice(file, limitFlag, lossFlag string, losses []float64, limits []time.Duration, npolicies int) (cdfChoice, error) {
	c := cdfChoice{file: file, byPolicy: npolicies > 1}
	if file == "" {
		for _, f := range []struct{ name, val string }{{"--cdf-time-limit", limitFlag}, {"--cdf-loss", lossFlag}} {
			if f.val != "" {
				return c, usageError{fmt.Errorf("%s needs --cdf FILE", f.name)}
			}
		}
		return c, nil
	}
	if _, err := plots.FormatOf(file); err != nil {
		return c, usageError{fmt.Errorf("--cdf %s: want a file name ending in .png or .svg", file)}
	}
	if err := checkWritableDir("--cdf", file); err != nil {
		return c, err
	}
	if limitFlag == "" {
		c.limit = slices.Max(limits)
	} else {
		d, err := grid.Limits(limitFlag)
		if err != nil || len(d) != 1 {
			return c, usageError{fmt.Errorf("--cdf-time-limit: invalid value %q: want one Go duration (0 or none: no limit)", limitFlag)}
		}
		if !slices.Contains(limits, d[0]) {
			return c, usageError{fmt.Errorf("--cdf-time-limit %s is not in the --time-limit grid %s", run.LimitText(d[0]), limitList(limits))}
		}
		c.limit = d[0]
	}
	if c.byPolicy {
		if npolicies > plots.PaletteSize {
			return c, usageError{fmt.Errorf("--cdf: the --policy grid has %d policies and the figure draws at most %d curves", npolicies, plots.PaletteSize)}
		}
		l := losses
		if lossFlag != "" {
			var err error
			if l, err = grid.Losses(lossFlag); err != nil {
				return c, usageError{fmt.Errorf("--cdf-loss: invalid list %q: %v; want %s", lossFlag, err, grid.LossForm)}
			}
		}
		if len(l) != 1 {
			return c, usageError{fmt.Errorf("--cdf with several policies draws one curve per policy at one loss: give a --loss grid of one loss or --cdf-loss L")}
		}
		if !slices.Contains(losses, l[0]) {
			return c, usageError{fmt.Errorf("--cdf-loss %g is not in the --loss grid", l[0])}
		}
		c.losses = l
		return c, nil
	}
	if lossFlag == "" {
		c.losses = losses
		if len(losses) > plots.PaletteSize {
			return c, usageError{fmt.Errorf("--cdf: the --loss grid has %d losses and the figure draws at most %d curves; pick them with --cdf-loss, such as --cdf-loss 0,0.1,0.3,0.5",
				len(losses), plots.PaletteSize)}
		}
		return c, nil
	}
	l, err := grid.Losses(lossFlag)
	if err != nil {
		return c, usageError{fmt.Errorf("--cdf-loss: invalid list %q: %v; want %s", lossFlag, err, grid.LossForm)}
	}
	if len(l) > plots.PaletteSize {
		return c, usageError{fmt.Errorf("--cdf-loss: %d losses; the figure draws at most %d curves", len(l), plots.PaletteSize)}
	}
	for _, v := range l {
		if !slices.Contains(losses, v) {
			return c, usageError{fmt.Errorf("--cdf-loss %g is not in the --loss grid", v)}
		}
	}
	c.losses = l
	return c, nil
}

// limitList prints a grid of time limits, such as "2s,5s,10s,0".
func limitList(limits []time.Duration) string {
	s := ""
	for i, d := range limits {
		if i > 0 {
			s += ","
		}
		if d <= 0 {
			s += "0"
		} else {
			s += d.String()
		}
	}
	return s
}

// cdfSeries returns the curves of the CDF from the finished rows, in the
// order of c.losses; a curve whose grid point did not finish (an
// interrupted sweep) is left out.
func cdfSeries(rows []sweep.Row, c *cdfChoice) []plots.TTCSeries {
	var out []plots.TTCSeries
	if c.byPolicy {
		for _, r := range rows {
			if r.TTCKept && r.Limit == c.limit && r.Loss == c.losses[0] {
				out = append(out, plots.TTCSeries{Label: r.Policy, TTC: r.TTC, Trials: r.TTCTrials, TimeLimit: r.Limit})
			}
		}
		return out
	}
	for _, loss := range c.losses {
		for _, r := range rows {
			if r.TTCKept && r.Limit == c.limit && r.Loss == loss {
				out = append(out, plots.TTCSeries{Label: "loss " + strconv.FormatFloat(loss, 'f', -1, 64),
					TTC: r.TTC, Trials: r.TTCTrials, TimeLimit: r.Limit})
			}
		}
	}
	return out
}

// sweepCDFFigure is the time-to-connect CDF of the sweep: one curve per
// loss of c, at c's time limit (marked by a dashed line), each ending at
// its success share. cmdline goes into the caption. It is nil when no
// curve's point finished (no file is written then).
func sweepCDFFigure(rows []sweep.Row, c *cdfChoice, base model.Params, seed uint64, trials int, cmdline string) (*plots.Figure, error) {
	series := cdfSeries(rows, c)
	if len(series) == 0 {
		return nil, nil
	}
	limit := "time limit " + run.LimitText(c.limit) + " (dashed)"
	if c.limit <= 0 {
		limit = "no time limit"
	}
	caption := fmt.Sprintf("%d trials per curve, seed %d; %s, latency %s (jitter %s %s), attempt timeout %s, horizon %s",
		trials, seed, limit, base.Net.Latency, base.Net.Jitter, base.Net.JitterDist, base.Client.AttemptTimeout, base.Horizon)
	if c.byPolicy {
		caption = fmt.Sprintf("%d trials per curve, seed %d; loss %g, %s, latency %s (jitter %s %s), attempt timeout %s (grpc: at least 20s), horizon %s",
			trials, seed, c.losses[0], limit, base.Net.Latency, base.Net.Jitter, base.Net.JitterDist, base.Client.AttemptTimeout, base.Horizon)
	} else if t := policyText(base); t != "" {
		caption += t
	}
	if u := base.Net.ServerUnavailable; u > 0 {
		caption += fmt.Sprintf(", server unavailable %g", u)
	}
	caption += ".\n" + cmdline
	if c.byPolicy {
		return plots.TTCCDFTitled(fmt.Sprintf("Time to connect by reconnection policy, loss %g", c.losses[0]), series, caption)
	}
	return plots.TTCCDF(series, caption)
}
