package main

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/cmd/internal/paramflag"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/run"
)

// flagError turns pflag's errors into one line naming the flag and its
// accepted range. Registry parameters and the knobs fail with a
// *param.FieldError that already reads "--NAME must be ... (got ...)".
func flagError(cmd *cobra.Command, err error) error {
	var fe *param.FieldError
	if errors.As(err, &fe) {
		return usageError{fe}
	}
	var iv *pflag.InvalidValueError
	if errors.As(err, &iv) {
		f := iv.GetFlag()
		// pflag's own types say strconv's words; say what is accepted.
		switch f.Value.Type() {
		case "int", "int32", "int64", "uint", "uint32", "uint64":
			return usageError{fmt.Errorf("--%s must be an integer (got %q); see the limits in '%s --help'", f.Name, iv.GetValue(), cmd.CommandPath())}
		case "float32", "float64":
			return usageError{fmt.Errorf("--%s must be a number (got %q)", f.Name, iv.GetValue())}
		case "bool":
			return usageError{fmt.Errorf("--%s must be true or false (got %q)", f.Name, iv.GetValue())}
		}
		return usageError{fmt.Errorf("--%s: invalid value %q: %v", f.Name, iv.GetValue(), errors.Unwrap(iv))}
	}
	var vr *pflag.ValueRequiredError
	if errors.As(err, &vr) {
		name := vr.GetFlag().Name
		if q := model.Registry.Lookup(name); q != nil {
			return usageError{fmt.Errorf("--%s needs a value: %s", name, q.Accepted)}
		}
		return usageError{fmt.Errorf("--%s needs a value: %s", name, vr.GetFlag().Usage)}
	}
	return usageError{fmt.Errorf("%v (see '%s --help')", err, cmd.CommandPath())}
}

// opts are the flags shared by run, trace and sweep: the model parameters
// of model.Registry, the scenario knobs and --seed.
type opts struct {
	p        model.Params
	k        model.Knobs
	seed     uint64
	scenario string
	// knobs holds the scenario flags (a scenario file replaces them).
	knobs *pflag.FlagSet
	// listQuirks: --quirk list was given; print the quirks and exit.
	listQuirks bool
}

func defaultOpts() *opts {
	return &opts{p: model.DefaultParams(), k: model.NoKnobs(), seed: 1}
}

// register adds the model and scenario flags to fs, except the model
// parameters named in skip (sweep's grid axes).
func (o *opts) register(fs *pflag.FlagSet, skip ...string) {
	fs.SortFlags = false
	paramflag.AddFlags(fs, model.Registry, &o.p, skip...)
	if f := fs.Lookup("quirk"); f != nil {
		f.Value = quirkList{f.Value.(sliceFlag), &o.listQuirks}
	}
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the run; trial K's randomness depends only on (seed, K)")
	o.knobs = pflag.NewFlagSet("knobs", pflag.ContinueOnError)
	registerKnobs(o.knobs, &o.k)
	fs.AddFlagSet(o.knobs)
	fs.StringVar(&o.scenario, "scenario", "", "scenario file (YAML, at most 1 MiB): devices, tokens, app keys and a timed script; flags given on the command line override its params; docs/cli.md \"Limits\" lists its counts and indexes")
}

// build validates the flags and returns the parameters and scenario. The
// parameters are the profile's defaults (--profile, or the file's params),
// then the file's params, then the flags given on the command line.
func (o *opts) build(fs *pflag.FlagSet) (model.Params, model.Scenario, error) {
	var sc model.Scenario
	var file func(*model.Params) error // the scenario file's params
	var fileParams *model.FileParams
	var sf *model.File
	if o.scenario != "" {
		if knobs := o.changedKnobs(fs); len(knobs) > 0 {
			return model.Params{}, sc, usageError{fmt.Errorf("--scenario cannot be combined with scenario flags (%s); put them in the file's script", strings.Join(knobs, ", "))}
		}
		f, s, err := model.LoadFile(o.scenario)
		if err != nil {
			return model.Params{}, sc, usageError{err}
		}
		file, fileParams, sf = f.Params.Apply, &f.Params, f
		sc = s
	} else {
		var err error
		sc, err = o.k.Scenario()
		if err != nil {
			return model.Params{}, sc, usageError{err}
		}
	}
	// The profile's defaults, then the file's params; flags set on the
	// command line win.
	p, err := model.Registry.Resolve(&o.p, fs.Changed, file)
	if err != nil {
		return p, sc, usageError{err}
	}
	if o.scenario == "" {
		sc.ForProfile(p.Client.Profile) // the knobs' devices are the profile's clients
	}
	if err := p.Validate(); err != nil {
		if fileParams != nil && !fs.Changed(flagOf(err)) {
			err = fileParams.Blame(err, fs.Changed) // the value came from the file
		}
		return p, sc, usageError{err}
	}
	if err := sc.FitsProfile(p); err != nil {
		return p, sc, usageError{err}
	}
	if sf != nil {
		if err := sf.FitsRun(p); err != nil {
			return p, sc, usageError{err}
		}
	}
	return p, sc, nil
}

// flagOf returns the flag an error starting "--NAME ..." names, or "".
func flagOf(err error) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "--"), " ")
	return name
}

// registerKnobs adds the scenario knobs to fs.
func registerKnobs(fs *pflag.FlagSet, k *model.Knobs) {
	at := "; times from 0 to " + param.FormatDuration(model.MaxDuration)
	many := fmt.Sprintf(", at most %d values", model.MaxKnobValues)
	fs.BoolVar(&k.NoInit, "no-init", false, "scenario: call Connect without Init (33001)")
	fs.StringVar(&k.AppKey, "app-key", "valid", "scenario: state of the app key: valid, wrong (31002), blocked or deleted (31008)")
	fs.BoolVar(&k.VerificationFails, "verification-fails", false, "scenario: app verification fails (31005)")
	fs.BoolVar(&k.ProxyUnavailable, "proxy-unavailable", false, "scenario: the configured proxy is unavailable (31028)")
	fs.BoolVar(&k.TokenInvalid, "token-invalid", false, "scenario: the token was invalidated (31004)")
	fs.Var(optDur{&k.TokenExpires}, "token-expires", "scenario: the token expires at this virtual time (31020 at the next attempt); 0: already expired"+at)
	fs.BoolVar(&k.UserBlocked, "user-blocked", false, "scenario: the user is blocked (31009)")
	fs.Var(optDur{&k.BlockUserAt}, "block-user-at", "scenario: the user is blocked at this time (a connected device goes CONN_USER_BLOCKED)"+at)
	fs.Var(windowList{"net-off", &k.NetOff}, "net-off", "scenario: no network from FROM to TO, e.g. 10s:40s, or from FROM on (10s:); repeatable, overlapping windows merge into their union"+at+many)
	fs.Var(windowList{"background", &k.Background}, "background", "scenario: the app is in the background from FROM to TO, e.g. 1m:5m (repeatable; FROM: never returns)"+at+many)
	fs.Var(durList{&k.NetChangeAt}, "net-change-at", "scenario: the network type changes at these times (repeatable)"+at+many)
	fs.Var(durList{&k.IPCAt}, "ipc-disconnect-at", "scenario: the SDK's process link breaks at these times (-2, repeatable)"+at+many)
	fs.Var(durList{&k.StatusAt}, "status-at", "scenario: the app queries the status (getCurrentConnectionStatus) at these times; the trace records the answer (repeatable)"+at+many)
	fs.Var(durList{&k.KickAt}, "kick-at", "scenario: another device of the same user and platform logs in at these times (repeatable)"+at+fmt.Sprintf(", at most %d values", model.MaxDevices-1))
	fs.Var(optDur{&k.DisconnectAt}, "disconnect-at", "scenario: the app calls Disconnect() at this time"+at)
	fs.Var(optDur{&k.LogoutAt}, "logout-at", "scenario: the app calls Logout() at this time"+at)
	fs.Var(optDur{&k.SecondConnectAt}, "second-connect-at", "scenario: the app calls Connect again at this time (34001 while one is pending or connected)"+at)
	fs.Var(optDur{&k.Until}, "until", "scenario: keep the trial running at least until this time"+at)
	fs.StringVar(&k.NetTrace, "net-trace", "", "scenario: replay this network trace on every device (CSV: time,state,type,loss,latency; see docs/nettraces)")
}

// changedKnobs returns the scenario flags given on the command line.
func (o *opts) changedKnobs(fs *pflag.FlagSet) []string {
	var out []string
	o.knobs.VisitAll(func(f *pflag.Flag) {
		if fs.Changed(f.Name) {
			out = append(out, "--"+f.Name)
		}
	})
	return out
}

// setFlags lists the flags of fs set on the command line, in definition
// order, without the ones in skip: one entry per value of a repeatable
// flag; bool flags are rendered without their value. A shard's partial
// stores them (run.PartialHeader.Flags), for merge to render.
func setFlags(fs *pflag.FlagSet, skip ...string) []run.Flag {
	var out []run.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Changed || slices.Contains(skip, f.Name) {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, run.Flag{Name: f.Name, Value: v})
			}
			return
		}
		out = append(out, run.Flag{Name: f.Name, Value: f.Value.String(), Bool: f.Value.Type() == "bool"})
	})
	return out
}

// replayArgs returns the flags of fs that were set on the command line, in
// definition order, skipping the ones in skip; used to print `sim trace`
// commands that replay a trial of a run.
func replayArgs(fs *pflag.FlagSet, skip ...string) string {
	return renderFlags(setFlags(fs), skip...)
}

// renderFlags renders flags as arguments of a command line, without the
// ones in skip.
func renderFlags(flags []run.Flag, skip ...string) string {
	var b strings.Builder
	for _, f := range flags {
		if slices.Contains(skip, f.Name) {
			continue
		}
		if f.Bool {
			fmt.Fprintf(&b, " --%s", f.Name)
			continue
		}
		fmt.Fprintf(&b, " --%s %s", f.Name, shellQuote(f.Value))
	}
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
