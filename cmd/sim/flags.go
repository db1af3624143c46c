package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/sim"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// accepted names each flag's accepted values; bad input errors quote it.
var accepted = map[string]string{
	"loss":               "a number between 0 and 1",
	"time-limit":         "a Go duration >= 0 such as 5s (0 means no limit)",
	"trials":             "an integer between 1 and 100000000",
	"seed":               "an integer between 0 and 18446744073709551615",
	"workers":            "an integer between 1 and 1024",
	"latency":            "a Go duration >= 0 such as 50ms",
	"jitter":             "a Go duration >= 0 such as 10ms",
	"jitter-dist":        "uniform, normal or exponential",
	"attempt-timeout":    "a Go duration > 0 such as 5s",
	"horizon":            "a Go duration > 0 such as 10m",
	"db-open":            "a Go duration >= 0 such as 20ms",
	"hb-interval":        "a Go duration > 0 such as 15s",
	"hb-timeout":         "a Go duration > 0 such as 15s",
	"hb-misses":          "an integer between 1 and 100",
	"server-unavailable": "a number between 0 and 1",
	"kick-policy":        "default or reconnect-kicked",
	"app-key":            "valid, wrong, blocked or deleted",
	"trial":              "an integer between 0 and trials-1",
	"format":             "json or text",
	"speed":              "a number > 0",
	"token-expires":      "a Go duration >= 0 such as 30s, or never",
	"net-off":            "FROM:TO Go durations such as 10s:40s (TO may be empty)",
	"quirk":              quirkAccepted(),
}

// flagError turns pflag's errors into one line naming the flag and its
// accepted range.
func flagError(cmd *cobra.Command, err error) error {
	var iv *pflag.InvalidValueError
	if errors.As(err, &iv) {
		name := iv.GetFlag().Name
		if a, ok := accepted[name]; ok {
			return usageError{fmt.Errorf("--%s: invalid value %q: want %s", name, iv.GetValue(), a)}
		}
		return usageError{fmt.Errorf("--%s: invalid value %q: %v", name, iv.GetValue(), errors.Unwrap(iv))}
	}
	var vr *pflag.ValueRequiredError
	if errors.As(err, &vr) {
		name := vr.GetFlag().Name
		return usageError{fmt.Errorf("--%s needs a value: %s", name, accepted[name])}
	}
	return usageError{fmt.Errorf("%v (see '%s --help')", err, cmd.CommandPath())}
}

// opts are the flags shared by run and trace.
type opts struct {
	p        sim.Params
	k        sim.Knobs
	jdist    string
	seed     uint64
	scenario string
	// listQuirks: --quirk list was given; print the quirks and exit.
	listQuirks bool
}

func defaultOpts() *opts {
	return &opts{p: sim.DefaultParams(), k: sim.NoKnobs(), jdist: "uniform", seed: 1}
}

// register adds the model and scenario flags to fs.
func (o *opts) register(fs *pflag.FlagSet) {
	p, k := &o.p, &o.k
	fs.SortFlags = false
	fs.Var(floatVal{&p.Net.Loss}, "loss", "probability that a message is lost, each message and direction independently (0 to 1)")
	fs.Var(durVal{&p.TimeLimit}, "time-limit", "Connect's timeLimit; 0 means no limit (attempts go on until success or a terminal error)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the run; trial K's randomness depends only on (seed, K)")
	fs.Var(durVal{&p.Net.Latency}, "latency", "one-way network latency")
	fs.Var(durVal{&p.Net.Jitter}, "jitter", "scale of the latency jitter added to --latency (0: fixed latency)")
	fs.StringVar(&o.jdist, "jitter-dist", "uniform", "jitter distribution: uniform [0,J), normal |N(0,J)|, exponential with mean J")
	fs.Var(durVal{&p.Client.AttemptTimeout}, "attempt-timeout", "an attempt with no answer by then fails transiently")
	fs.Var(durVal{&p.Horizon}, "horizon", "the most virtual time a trial may run")
	fs.Var(durVal{&p.Client.DBOpen}, "db-open", "time to open the local database (onDatabaseOpened)")
	fs.Var(durVal{&p.Client.HBInterval}, "hb-interval", "heartbeat: from the last pong to the next ping")
	fs.Var(durVal{&p.Client.HBTimeout}, "hb-timeout", "heartbeat: how long a ping waits for its pong")
	fs.IntVar(&p.Client.HBMisses, "hb-misses", p.Client.HBMisses, "heartbeat: consecutive missed pongs that mean the connection is lost")
	fs.Var(floatVal{&p.Net.ServerUnavailable}, "server-unavailable", "probability that the server answers an attempt \"unavailable\" (a transient failure)")
	fs.StringVar(&p.Policy, "kick-policy", "default", "reconnection-kick policy: default (a reconnecting device kicks whoever is online) or reconnect-kicked (it is kicked instead)")
	fs.Var(quirkVal{&p.Client.Quirks, &o.listQuirks}, "quirk", "switch on a documented hazard of spec section 9 (repeatable or comma-separated); 'list' lists them")

	fs.BoolVar(&k.NoInit, "no-init", false, "scenario: call Connect without Init (33001)")
	fs.StringVar(&k.AppKey, "app-key", "valid", "scenario: state of the app key: valid, wrong (31002), blocked or deleted (31008)")
	fs.BoolVar(&k.VerificationFails, "verification-fails", false, "scenario: app verification fails (31005)")
	fs.BoolVar(&k.ProxyUnavailable, "proxy-unavailable", false, "scenario: the configured proxy is unavailable (31028)")
	fs.BoolVar(&k.TokenInvalid, "token-invalid", false, "scenario: the token was invalidated (31004)")
	fs.Var(optDur{&k.TokenExpires}, "token-expires", "scenario: the token expires at this virtual time (31020 at the next attempt); 0: already expired")
	fs.BoolVar(&k.UserBlocked, "user-blocked", false, "scenario: the user is blocked (31009)")
	fs.Var(optDur{&k.BlockUserAt}, "block-user-at", "scenario: the user is blocked at this time (a connected device goes CONN_USER_BLOCKED)")
	fs.Var(windowList{"net-off", &k.NetOff}, "net-off", "scenario: no network from FROM to TO, e.g. 10s:40s (repeatable)")
	fs.Var(durList{&k.NetChangeAt}, "net-change-at", "scenario: the network type changes at these times (repeatable)")
	fs.Var(durList{&k.IPCAt}, "ipc-disconnect-at", "scenario: the SDK's process link breaks at these times (-2, repeatable)")
	fs.Var(durList{&k.KickAt}, "kick-at", "scenario: another device of the same user and platform logs in at these times (repeatable)")
	fs.Var(optDur{&k.DisconnectAt}, "disconnect-at", "scenario: the app calls Disconnect() at this time")
	fs.Var(optDur{&k.LogoutAt}, "logout-at", "scenario: the app calls Logout() at this time")
	fs.Var(optDur{&k.SecondConnectAt}, "second-connect-at", "scenario: the app calls Connect again at this time (34001 while one is pending or connected)")
	fs.Var(optDur{&k.Until}, "until", "scenario: keep the trial running at least until this time")
	fs.StringVar(&o.scenario, "scenario", "", "scenario file (YAML): devices, tokens, app keys and a timed script; flags given on the command line override its params")
}

// build validates the flags and returns the parameters and scenario.
func (o *opts) build(fs *pflag.FlagSet) (sim.Params, sim.Scenario, error) {
	p := o.p
	d, err := netmodel.ParseDist(o.jdist)
	if err != nil {
		return p, sim.Scenario{}, usageError{err}
	}
	p.Net.JitterDist = d
	var sc sim.Scenario
	if o.scenario != "" {
		if knobsChanged(fs) {
			return p, sc, usageError{fmt.Errorf("--scenario cannot be combined with scenario flags (%s); put them in the file's script", strings.Join(changedKnobs(fs), ", "))}
		}
		f, s, err := sim.LoadFile(o.scenario)
		if err != nil {
			return p, sc, usageError{err}
		}
		// File params apply first; flags set on the command line win.
		fp := sim.DefaultParams()
		if err := f.Params.Apply(&fp); err != nil {
			return p, sc, usageError{fmt.Errorf("%s: %v", o.scenario, err)}
		}
		p = mergeParams(fs, p, fp)
		sc = s
	} else {
		sc, err = o.k.Scenario()
		if err != nil {
			return p, sc, usageError{err}
		}
	}
	if err := p.Validate(); err != nil {
		return p, sc, usageError{err}
	}
	return p, sc, nil
}

// knobFlags are the scenario flags.
var knobFlags = []string{"no-init", "app-key", "verification-fails", "proxy-unavailable", "token-invalid",
	"token-expires", "user-blocked", "block-user-at", "net-off", "net-change-at", "ipc-disconnect-at",
	"kick-at", "disconnect-at", "logout-at", "second-connect-at", "until"}

func changedKnobs(fs *pflag.FlagSet) []string {
	var out []string
	for _, n := range knobFlags {
		if fs.Changed(n) {
			out = append(out, "--"+n)
		}
	}
	return out
}

func knobsChanged(fs *pflag.FlagSet) bool { return len(changedKnobs(fs)) > 0 }

// mergeParams returns the file's params fp with every flag set on the
// command line taken from the flag values p.
func mergeParams(fs *pflag.FlagSet, p, fp sim.Params) sim.Params {
	pick := func(name string, dst *time.Duration, src time.Duration) {
		if fs.Changed(name) {
			*dst = src
		}
	}
	out := fp
	if fs.Changed("loss") {
		out.Net.Loss = p.Net.Loss
	}
	pick("latency", &out.Net.Latency, p.Net.Latency)
	pick("jitter", &out.Net.Jitter, p.Net.Jitter)
	if fs.Changed("jitter-dist") {
		out.Net.JitterDist = p.Net.JitterDist
	}
	pick("time-limit", &out.TimeLimit, p.TimeLimit)
	pick("attempt-timeout", &out.Client.AttemptTimeout, p.Client.AttemptTimeout)
	pick("horizon", &out.Horizon, p.Horizon)
	pick("db-open", &out.Client.DBOpen, p.Client.DBOpen)
	pick("hb-interval", &out.Client.HBInterval, p.Client.HBInterval)
	pick("hb-timeout", &out.Client.HBTimeout, p.Client.HBTimeout)
	if fs.Changed("hb-misses") {
		out.Client.HBMisses = p.Client.HBMisses
	}
	if fs.Changed("server-unavailable") {
		out.Net.ServerUnavailable = p.Net.ServerUnavailable
	}
	if fs.Changed("kick-policy") {
		out.Policy = p.Policy
	}
	if fs.Changed("quirk") {
		out.Client.Quirks = p.Client.Quirks
	}
	return out
}

// replayArgs returns the flags of fs that were set on the command line, in
// definition order, skipping the ones in skip; used to print `sim trace`
// commands that replay a trial of a run.
func replayArgs(fs *pflag.FlagSet, skip ...string) string {
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Changed {
			return
		}
		for _, s := range skip {
			if s == f.Name {
				return
			}
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				fmt.Fprintf(&b, " --%s %s", f.Name, shellQuote(v))
			}
			return
		}
		if f.Value.Type() == "bool" {
			fmt.Fprintf(&b, " --%s", f.Name)
			return
		}
		fmt.Fprintf(&b, " --%s %s", f.Name, shellQuote(f.Value.String()))
	})
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:/,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func defaultWorkers() int { return max(1, min(runtime.NumCPU(), 1024)) }
