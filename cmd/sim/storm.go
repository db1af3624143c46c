package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/rcsim/connsim/cmd/internal/paramflag"
	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/storm"
	"github.com/rcsim/connsim/trace"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// stormOpts are sim storm's flags: the parameters of storm.Registry and
// the outputs.
type stormOpts struct {
	p               storm.Params
	asJSON          bool
	series, plotDir string
	workers         int
}

func newStormCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &stormOpts{p: storm.DefaultParams()}
	cmd := &cobra.Command{
		Use:   "storm [flags]",
		Short: "Simulate a reconnection storm: many clients, one server of finite capacity, an outage",
		Long: `storm puts --clients clients (1 to 10,000,000) on one IM server, logs them in
over --login-spread, takes the server (a restart) or the clients' network away
during --outage, and measures the reconnection wave: how long until 50, 90, 99
and 100% of clients are connected again after the outage ends, how many are
still down at the horizon, the peak attempt rate, refused attempts, wasted
handshakes (served for an attempt the client had already given up on) and
the server's utilization.

Each client is the same client core as sim run's (one device per user, valid
credentials, --time-limit 0 by default: the reconnection mechanism is what is
measured), with sim run's network and client flags. The server has finite
capacity: --server-workers concurrent handshakes of --service-time each
(exponential by default), an accept queue of --server-queue beyond which
attempts are refused with a transient "unavailable", and an optional token
bucket of --server-rate admissions per second. The output is a function of the
flags and --seed alone.

Examples:
  sim storm                                        10,000 clients through a 2-minute server restart
  sim storm --clients 1000000 --json               the same with a million clients
  sim storm --outage-kind network --outage 60s:90s a regional network outage
  sim storm --server-workers 8 --series storm.csv  a smaller server; the time series as CSV
  sim storm --plot figs/                           connected share and attempt rate figures
  sim storm --msg-rate 0.01 --plot figs/           with messages: latency, pushes, ghosts; the pull load figure too`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := o.p
			if o.workers < 1 || o.workers > storm.MaxPolicies {
				return usageError{fmt.Errorf("--workers must be between 1 and %d (got %d)", storm.MaxPolicies, o.workers)}
			}
			if err := p.Validate(); err != nil {
				return usageError{err}
			}
			// Storms that run at once each hold all their clients: together
			// they stay within the largest storm measured to fit (docs/storm.md
			// "How large a storm fits").
			if at := min(o.workers, len(p.Policies)); p.Clients*at > storm.MaxClients {
				return usageError{fmt.Errorf("--workers %d: %d storms of %d clients at once hold %d clients in memory; at most %d (about 11 GB): lower --workers or --clients", o.workers, at, p.Clients, p.Clients*at, storm.MaxClients)}
			}
			if p.TraceClient >= 0 && len(p.Policies) > 1 {
				return usageError{fmt.Errorf("--trace-client takes one --policy (got %d)", len(p.Policies))}
			}
			if p.TraceClient >= 0 {
				for _, name := range []string{"series", "plot", "json"} {
					if cmd.Flags().Changed(name) {
						return usageError{fmt.Errorf("--%s: --trace-client prints one client's trace instead of the storm's summary, series and figures; drop one of them", name)}
					}
				}
			}
			if err := checkStormOutputs(o); err != nil {
				return err
			}
			// A storm's heap is mostly live (a million clients' state) and
			// allocates little once running: collecting at 10% growth
			// instead of Go's 100% keeps the resident set near the live
			// heap for a few percent more CPU. GOGC in the environment
			// wins.
			if os.Getenv("GOGC") == "" {
				debug.SetGCPercent(10)
			}
			ps, labels := p.Runs()
			runs, err := storm.RunAll(ps, labels, o.workers)
			if err != nil {
				return usageError{err}
			}
			if p.TraceClient >= 0 {
				return trace.NewJSONWriter(stdout).WriteAll(runs[0].Trace)
			}
			// Every file is rendered and staged before any is renamed into
			// place, and stdout is written last: a failing figure leaves
			// neither files nor half the output.
			var b outfile.Batch
			if o.series != "" {
				b.Add("--series "+o.series, o.series, func(w io.Writer) error { return storm.WriteSeriesCSV(w, runs) })
			}
			if o.plotDir != "" {
				if err := addStormFigures(&b, o.plotDir, runs, stormCaption(cmd.Flags())); err != nil {
					return err
				}
			}
			if err := commitOutputs(&b); err != nil {
				return err
			}
			if o.asJSON {
				return storm.WriteJSON(stdout, runs)
			}
			return storm.WriteText(stdout, runs)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	paramflag.AddFlags(fs, storm.Registry, &o.p)
	fs.Uint64Var(&o.p.Seed, "seed", o.p.Seed, "seed of the storm")
	fs.IntVar(&o.workers, "workers", 1, "storms run at once with --policy a,b,c (each holds all its clients: memory grows with it, and clients x storms at once is at most 10,000,000); the output does not depend on it")
	fs.BoolVar(&o.asJSON, "json", false, "print the summary as one JSON object")
	fs.IntVar(&o.p.TraceClient, "trace-client", -1, "print client K's full trace as JSON Lines (as sim trace does) instead of the summary; -1: none")
	fs.StringVar(&o.series, "series", "", "write the time series to this CSV file, one row per --bin")
	fs.StringVar(&o.plotDir, "plot", "", "write storm_connected.png and storm_attempts.png to this directory")
	return cmd
}

// checkStormOutputs refuses output paths that cannot be written before
// any work is done.
func checkStormOutputs(o *stormOpts) error {
	if o.series != "" && !strings.HasSuffix(o.series, ".csv") {
		return usageError{fmt.Errorf("--series must name a .csv file (got %q)", o.series)}
	}
	if err := checkOut("--series", o.series); err != nil {
		return err
	}
	return checkPlotDir("sim storm", o.plotDir, stormFigureFiles(o.p))
}

// stormCaption gives the flags that made a figure, without those that
// cannot change it (outputs, --workers): a figure's bytes do not depend on
// --workers.
func stormCaption(fs *pflag.FlagSet) string {
	return "sim storm" + replayArgs(fs, "json", "series", "plot", "workers")
}

// stormFigureNames are the files of --plot DIR; stormPullsFigure is one
// more with messages (--msg-rate > 0).
var stormFigureNames = []string{"storm_connected.png", "storm_attempts.png"}

const stormPullsFigure = "storm_pulls.png"

// stormFigureFiles returns the files --plot writes for p.
func stormFigureFiles(p storm.Params) []string {
	if p.Model.Msg.Rate > 0 {
		return append(stormFigureNames[:len(stormFigureNames):len(stormFigureNames)], stormPullsFigure)
	}
	return stormFigureNames
}

// addStormFigures renders the storm figures and queues them, and their
// directory, in b.
func addStormFigures(b *outfile.Batch, dir string, runs []storm.Labelled, caption string) error {
	b.Mkdir("--plot "+dir, dir)
	series := make([]plots.StormSeries, len(runs))
	p := runs[0].Params
	for i, r := range runs {
		s := plots.StormSeries{Label: r.Label, Clients: p.Clients, Bin: p.Bin}
		for _, row := range r.Rows {
			s.T = append(s.T, row.T)
			s.Connected = append(s.Connected, row.Connected)
			s.Attempts = append(s.Attempts, row.Attempts)
		}
		for _, row := range r.MsgRows {
			s.Pulls = append(s.Pulls, row.Pulls)
		}
		series[i] = s
	}
	out := plots.Outage{}
	if p.OutageTo > p.OutageFrom {
		out = plots.Outage{From: p.OutageFrom, To: p.OutageTo}
	}
	makers := []func([]plots.StormSeries, plots.Outage, string) (*plots.Figure, error){plots.StormConnected, plots.StormAttempts}
	if runs[0].Msg != nil {
		makers = append(makers, plots.StormPulls)
	}
	for i, mk := range makers {
		f, err := mk(series, out, caption)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, stormFigureFiles(p)[i])
		if err := addFigure(b, "--plot "+path, path, f); err != nil {
			return err
		}
	}
	return nil
}
