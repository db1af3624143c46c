package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/rcsim/connsim/cmd/internal/paramflag"
	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/spf13/cobra"
)

func newExploreCmd(stdout, stderr io.Writer) *cobra.Command {
	var depth int
	var quiet, listQuirks bool
	var quirks fsm.Quirks
	// The anatomy's knobs that shape an attempt's steps, bound to sim
	// run's parameters (model.Registry): the same flags, defaults and
	// ranges.
	p := model.DefaultParams()
	cmd := &cobra.Command{
		Use:   "explore [flags]",
		Short: "Explore every sequence of abstract inputs up to a depth and check the properties",
		Long: `explore runs an exhaustive bounded search of the client core. Time and
probabilities are abstracted away: from the initial state (one status
listener, network up, nothing called), it tries every sequence of up to
--depth abstract moves, removing duplicate states:

  app calls     Init, Connect with and without a time limit, Disconnect, Logout
  environment   network off/on/change, foreground, IPC disconnect; under
                --profile ios, background; under --attempt full, time
                passing until the cached navigation answer expires
  network       delivery or loss of each message in flight, in any order
  server        its verdict on each attempt (ok, unavailable, each terminal
                code, the reconnection-kick refusal); a kick or a block of the
                live session; under --attempt full, the navigation service's
                answer to each request (ok, down, or the token refused) and
                each listed server's to each socket round (ok, or down:
                refused), and the live session's server going down
  timers        the firing of any live timer, whichever its duration

An attempt is what sim run's is: by default the anatomy (--attempt full:
the navigation request unless a fresh answer is cached, a socket to each
listed server in turn, --tls rounds, auth), explored to depth 11; with
--attempt auth one auth round trip, to depth 9 (3.5 and 1.4 s of CPU).
--servers, --tls, --visit and --navi-ttl (0: no cache) shape the steps as
in sim run.

--profile android|ios|web explores that SDK's core (docs/profiles.md): its
status machine, switches and default policy, as sim run models it; the
checks judge against its contract. Web's Connect takes no time limit;
under ios the app may also go to the background, where the SDK
disconnects when its timer fires (any time: time is abstract). At the
default depth web takes 0.6 s of CPU, ios 7 s (twice android's states).

After every move it checks P1, P3, P4 (order and count), P5, P7, P9, P10,
P21 and P22 on the path's trace, and state invariants I1-I8 in the state
reached. Each
violated property is printed with its shortest path, as moves and as a
timeline (t = move number). Exit 1 on a violation. --quirk switches a
documented hazard on in the core (ignore-timeout is an app behaviour the
abstract world does not model).

The summary on stdout is deterministic; the timing line goes to stderr.

Examples:
  sim explore                 the default depth (the one go test uses)
  sim explore --servers 2     failover to the second listed server too
  sim explore --profile web   the web engine's core and contract
  sim explore --attempt auth --depth 11
                              one auth round trip per attempt, deeper
  sim explore --quirk multi-connect-clears --depth 4
                              the shortest paths to what the hazard breaks`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if listQuirks {
				return writeQuirkList(stdout)
			}
			if !cmd.Flags().Changed("depth") {
				depth = explore.DefaultDepthFor(p.Client.Attempt)
			}
			if depth < 1 || depth > explore.MaxDepth {
				return usageError{fmt.Errorf("--depth must be between 1 and %d (got %d)", explore.MaxDepth, depth)}
			}
			// The profile's defaults (its policy), then the flags
			// given, as sim run resolves them.
			p, err := model.Registry.Resolve(&p, cmd.Flags().Changed, nil)
			if err != nil {
				return usageError{err}
			}
			cfg := fsm.DefaultConfig()
			cfg.Quirks = quirks
			cfg.Profile, cfg.Policy, cfg.BgDisconnectAfter = p.Client.Profile, p.Client.Policy, p.Client.BgDisconnectAfter
			cfg.Attempt, cfg.Servers, cfg.TLS, cfg.Returning, cfg.NaviTTL = p.Client.Attempt, p.Client.Servers, p.Client.TLS, p.Client.Returning, p.Client.NaviTTL
			r := explore.Run(explore.Config{Depth: depth, Client: cfg})
			bw := bufio.NewWriter(stdout)
			writeExplore(bw, r, cfg)
			if err := bw.Flush(); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(stderr, "sim: explored depth %d in %.2fs wall (%.2f µs per edge)\n",
					r.Depth, r.Elapsed.Seconds(), float64(r.Elapsed.Microseconds())/float64(max(r.Edges, 1)))
			}
			if r.Violations > 0 {
				return errViolations
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.IntVar(&depth, "depth", 0, fmt.Sprintf("the most abstract moves per path (1 to %d; each level costs about 3-5 times the last); default %d under --attempt full, %d under auth", explore.MaxDepth, explore.DefaultDepthFull, explore.DefaultDepth))
	paramflag.AddNamed(fs, model.Registry, &p, exploreParams...)
	fs.Var(quirkVal{&quirks, &listQuirks}, "quirk", "switch on documented hazards of the core (spec 9; list: list them): the search shows what each breaks")
	fs.BoolVar(&quiet, "quiet", false, "no timing line on stderr")
	return cmd
}

// exploreParams are the parameters of sim run that sim explore takes:
// those that shape an attempt's steps (the others are durations or
// probabilities, which the abstract world has none of).
// --navi-ttl counts only as 0 (no cache: every attempt asks) or not (the
// move that expires the cached answer advances the time by it).
// --profile selects the core's profile: its status machine, switches,
// API (no time limit on web) and default policy.
var exploreParams = []string{"profile", "attempt", "servers", "tls", "visit", "navi-ttl"}

// writeExplore prints the summary and the findings of r, explored with
// client configuration c.
func writeExplore(w io.Writer, r explore.Result, c fsm.Config) {
	attempt := c.Attempt.String()
	if c.Attempt == fsm.AttemptFull {
		visit := "first"
		if c.Returning {
			visit = "returning"
		}
		cache := "on"
		if c.NaviTTL == 0 {
			cache = "off"
		}
		attempt += fmt.Sprintf(" (servers %d, tls %d, visit %s, navigation cache %s)", c.Servers, c.TLS, visit, cache)
	}
	profile := ""
	if c.Profile.Or() != fsm.ProfileAndroid {
		profile = "profile " + c.Profile.Name + ", " // the default profile is not named: the output is as before profiles
	}
	fmt.Fprintf(w, "sim explore: %sdepth %d, attempt %s, quirks %s, one client in the abstract world (any live timer may fire next, any message may arrive or be lost, the server's verdict is a choice)\n", profile, r.Depth, attempt, c.Quirks)
	row := func(k, v string) { fmt.Fprintf(w, "  %-22s %s\n", k, v) }
	row("states", fmt.Sprintf("%d (distinct abstract states, duplicates removed)", r.States))
	row("edges", fmt.Sprintf("%d (moves taken, into new or known states)", r.Edges))
	row("expansions", fmt.Sprintf("%d (states expanded; a state is expanded again when reached by a shorter path)", r.Expansions))
	row("status edges taken", fmt.Sprintf("%d of %d (%s)", r.StatusEdges, r.AllStatusEdges, machineName(c.Profile)))
	row("trace properties", strings.Join(explore.Properties, " ")+" after every move")
	for i, inv := range explore.InvariantsOf(c.Profile) {
		k := ""
		if i == 0 {
			k = "state invariants"
		}
		row(k, inv)
	}
	if r.Violations == 0 {
		row("violations", "0")
		return
	}
	var props []string
	for _, f := range r.Findings {
		props = append(props, f.Property)
	}
	row("violations", fmt.Sprintf("%d (%s)", r.Violations, strings.Join(props, ", ")))
	for _, f := range r.Findings {
		fmt.Fprintf(w, "\n%s", f)
	}
}

// machineName names the Go variable holding profile prof's status
// machine, as the summary cites it.
func machineName(prof *fsm.Profile) string {
	switch prof.Or() {
	case fsm.ProfileIOS:
		return "fsm.IOSEdges"
	case fsm.ProfileWeb:
		return "fsm.WebEdges"
	}
	return "fsm.Edges"
}
