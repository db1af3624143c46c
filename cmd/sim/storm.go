package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/storm"
	"github.com/rcsim/connsim/trace"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// stormOpts are sim storm's flags.
type stormOpts struct {
	p                  storm.Params
	outage, outageKind string
	jdist, serviceDist string
	asJSON             bool
	series, plotDir    string
	maxEvents          int64
}

func newStormCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &stormOpts{p: storm.DefaultParams(), outage: "30s:150s", outageKind: "server", jdist: "uniform", serviceDist: "exponential"}
	cmd := &cobra.Command{
		Use:   "storm [flags]",
		Short: "Simulate a reconnection storm: many clients, one server of finite capacity, an outage",
		Long: `storm puts --clients clients (1 to 1,000,000) on one IM server, logs them in
over --login-spread, takes the server (a restart) or the clients' network away
during --outage, and measures the reconnection wave: how long until 50, 90, 99
and 100% of clients are connected again after the outage ends, how many are
still down at the horizon, the peak attempt rate, refused attempts, wasted
handshakes (served for an attempt the client had already given up on) and
the server's utilization.

Each client is the same client core as sim run's (one device per user, valid
credentials, --time-limit 0 by default: the reconnection mechanism is what is
measured). The server has finite capacity: --server-workers concurrent
handshakes of --service-time each (exponential by default), an accept queue of
--server-queue beyond which attempts are refused with a transient
"unavailable", and an optional token bucket of --server-rate admissions per
second. The output is a function of the flags and --seed alone.

Examples:
  sim storm                                        10,000 clients through a 2-minute server restart
  sim storm --clients 1000000 --json               the same with a million clients
  sim storm --outage-kind network --outage 60s:90s a regional network outage
  sim storm --server-workers 8 --series storm.csv  a smaller server; the time series as CSV
  sim storm --plot figs/                           connected share and attempt rate figures`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := o.build()
			if err != nil {
				return err
			}
			if err := checkStormOutputs(o); err != nil {
				return err
			}
			r, err := storm.Run(p, o.maxEvents)
			if err != nil {
				return usageError{err}
			}
			if p.TraceClient >= 0 {
				return trace.NewJSONWriter(stdout).WriteAll(r.Trace)
			}
			runs := []storm.Labelled{{Result: r}}
			if o.series != "" {
				if err := plots.WriteFileAtomic(o.series, func(w io.Writer) error { return storm.WriteSeriesCSV(w, runs) }); err != nil {
					return err
				}
			}
			if o.plotDir != "" {
				if err := writeStormFigures(o.plotDir, runs, stormCaption(cmd.Flags())); err != nil {
					return err
				}
			}
			if o.asJSON {
				return storm.WriteJSON(stdout, runs)
			}
			return storm.WriteText(stdout, runs)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	p := &o.p
	fs.IntVar(&p.Clients, "clients", p.Clients, fmt.Sprintf("clients in the storm, one device per user (1 to %d)", storm.MaxClients))
	fs.Var(durVal{&p.LoginSpread}, "login-spread", "clients log in at uniform random times in [0, D)")
	fs.StringVar(&o.outage, "outage", o.outage, "the outage FROM:TO in virtual time, e.g. 30s:150s; none for no outage")
	fs.StringVar(&o.outageKind, "outage-kind", o.outageKind, "server: the server restarts (sessions closed, attempts refused); network: every client loses its network")
	fs.BoolVar(&p.OutageDrop, "outage-drop", false, "server outage: attempts and pings get no answer (the host is gone) instead of being refused at once")
	fs.IntVar(&p.Workers, "server-workers", p.Workers, "concurrent handshakes the server serves")
	fs.IntVar(&p.Queue, "server-queue", p.Queue, "accept queue: handshakes waiting for a worker; beyond it attempts are refused (unavailable)")
	fs.Float64Var(&p.Rate, "server-rate", 0, "admissions per second (token bucket); 0: no rate limit")
	fs.IntVar(&p.Burst, "server-burst", 0, "token bucket depth; 0: one second of --server-rate")
	fs.Var(durVal{&p.Service}, "service-time", "mean auth service time of one handshake")
	fs.StringVar(&o.serviceDist, "service-dist", o.serviceDist, "service time distribution: exponential or constant")
	fs.Var(floatVal{&p.Net.Loss}, "loss", "probability that a message is lost, each message and direction independently (0 to 1)")
	fs.Var(durVal{&p.Net.Latency}, "latency", "one-way network latency")
	fs.Var(durVal{&p.Net.Jitter}, "jitter", "scale of the latency jitter added to --latency (0: fixed latency)")
	fs.StringVar(&o.jdist, "jitter-dist", o.jdist, "jitter distribution: uniform [0,J), normal |N(0,J)|, exponential with mean J")
	fs.Var(durVal{&p.Client.AttemptTimeout}, "attempt-timeout", "an attempt with no answer by then fails transiently")
	fs.Var(durVal{&p.Client.HBInterval}, "hb-interval", "heartbeat: from the last pong to the next ping")
	fs.Var(durVal{&p.Client.HBTimeout}, "hb-timeout", "heartbeat: how long a ping waits for its pong")
	fs.IntVar(&p.Client.HBMisses, "hb-misses", p.Client.HBMisses, "heartbeat: consecutive missed pongs that mean the connection is lost")
	fs.Var(durVal{&p.TimeLimit}, "time-limit", "Connect's timeLimit of every login; 0: no limit")
	fs.Var(durVal{&p.Horizon}, "horizon", "the storm ends at this virtual time")
	fs.Uint64Var(&p.Seed, "seed", p.Seed, "seed of the storm")
	fs.Var(durVal{&p.Bin}, "bin", "width of a time-series bin (--series, --plot, the peak attempt rate)")
	fs.Int64Var(&o.maxEvents, "max-events", storm.DefaultMaxEvents, "event budget: a storm that needs more stops with an error")
	fs.BoolVar(&o.asJSON, "json", false, "print the summary as one JSON object")
	fs.IntVar(&p.TraceClient, "trace-client", -1, "print client K's full trace as JSON Lines (as sim trace does) instead of the summary; -1: none")
	fs.StringVar(&o.series, "series", "", "write the time series to this CSV file, one row per --bin")
	fs.StringVar(&o.plotDir, "plot", "", "write storm_connected.png and storm_attempts.png to this directory")
	return cmd
}

func (o *stormOpts) build() (storm.Params, error) {
	p := o.p
	var err error
	if p.Net.JitterDist, err = netmodel.ParseDist(o.jdist); err != nil {
		return p, usageError{err}
	}
	if p.ServiceDist, err = storm.ParseServiceDist(o.serviceDist); err != nil {
		return p, usageError{err}
	}
	if o.outage == "none" {
		p.OutageKind = storm.OutageNone
	} else {
		if p.OutageKind, err = storm.ParseOutageKind(o.outageKind); err != nil {
			return p, usageError{err}
		}
		w, err := sim.ParseWindow("--outage", o.outage)
		if err != nil {
			return p, usageError{err}
		}
		if w.To <= 0 {
			return p, usageError{fmt.Errorf("--outage must be FROM:TO with an end, e.g. 30s:150s (got %q)", o.outage)}
		}
		p.OutageFrom, p.OutageTo = w.From, w.To
	}
	if o.maxEvents < 1 {
		return p, usageError{fmt.Errorf("--max-events must be >= 1 (got %d)", o.maxEvents)}
	}
	if err := p.Validate(); err != nil {
		return p, usageError{err}
	}
	return p, nil
}

// checkStormOutputs refuses output paths that cannot be written before
// any work is done.
func checkStormOutputs(o *stormOpts) error {
	if o.series != "" && !strings.HasSuffix(o.series, ".csv") {
		return usageError{fmt.Errorf("--series must name a .csv file (got %q)", o.series)}
	}
	if o.plotDir != "" {
		if err := prepareRunPlotDir(o.plotDir); err != nil {
			return err
		}
	}
	return nil
}

// stormCaption gives the flags that made a figure.
func stormCaption(fs *pflag.FlagSet) string {
	return "sim storm" + replayArgs(fs, "json", "series", "plot")
}

func writeStormFigures(dir string, runs []storm.Labelled, caption string) error {
	series := make([]plots.StormSeries, len(runs))
	p := runs[0].Params
	for i, r := range runs {
		s := plots.StormSeries{Label: r.Label, Clients: p.Clients, Bin: p.Bin}
		for _, row := range r.Rows {
			s.T = append(s.T, row.T)
			s.Connected = append(s.Connected, row.Connected)
			s.Attempts = append(s.Attempts, row.Attempts)
		}
		series[i] = s
	}
	out := plots.Outage{}
	if p.OutageKind != storm.OutageNone {
		out = plots.Outage{From: p.OutageFrom, To: p.OutageTo}
	}
	figs := []struct {
		name string
		make func([]plots.StormSeries, plots.Outage, string) (*plots.Figure, error)
	}{{"storm_connected.png", plots.StormConnected}, {"storm_attempts.png", plots.StormAttempts}}
	for _, fg := range figs {
		f, err := fg.make(series, out, caption)
		if err != nil {
			return err
		}
		if err := f.Save(filepath.Join(dir, fg.name)); err != nil {
			return err
		}
	}
	return nil
}
