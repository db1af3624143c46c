package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/fsm"
	"github.com/spf13/cobra"
)

func newExploreCmd(stdout, stderr io.Writer) *cobra.Command {
	var depth int
	var quiet, listQuirks bool
	var quirks fsm.Quirks
	cmd := &cobra.Command{
		Use:   "explore [flags]",
		Short: "Explore every sequence of abstract inputs up to a depth and check the properties",
		Long: `explore runs an exhaustive bounded search of the client core. Time and
probabilities are abstracted away: from the initial state (one status
listener, network up, nothing called), it tries every sequence of up to
--depth abstract moves, removing duplicate states:

  app calls     Init, Connect with and without a time limit, Disconnect, Logout
  environment   network off/on/change, foreground, IPC disconnect
  network       delivery or loss of each message in flight, in any order
  server        its verdict on each attempt (ok, unavailable, each terminal
                code, the reconnection-kick refusal); a kick or a block of the
                live session
  timers        the firing of any live timer, whichever its duration

After every move it checks P1, P3, P4 (order and count), P5, P7, P9 and P10
on the path's trace, and state invariants I1-I6 in the state reached. Each
violated property is printed with its shortest path, as moves and as a
timeline (t = move number). Exit 1 on a violation. --quirk switches a
documented hazard on in the core (ignore-timeout is an app behaviour the
abstract world does not model).

The summary on stdout is deterministic; the timing line goes to stderr.

Examples:
  sim explore                 the default depth (the one go test uses)
  sim explore --depth 11      deeper: about 5 million states, a minute or two
  sim explore --quirk multi-connect-clears --depth 4
                              the shortest paths to what the hazard breaks`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if listQuirks {
				return writeQuirkList(stdout)
			}
			if depth < 1 || depth > explore.MaxDepth {
				return usageError{fmt.Errorf("--depth must be between 1 and %d (got %d)", explore.MaxDepth, depth)}
			}
			cfg := fsm.DefaultConfig()
			cfg.Quirks = quirks
			r := explore.Run(explore.Config{Depth: depth, Client: cfg})
			bw := bufio.NewWriter(stdout)
			writeExplore(bw, r, quirks)
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
	fs.IntVar(&depth, "depth", explore.DefaultDepth, fmt.Sprintf("the most abstract moves per path (1 to %d; each level costs about 4-5 times the last)", explore.MaxDepth))
	fs.Var(quirkVal{&quirks, &listQuirks}, "quirk", "switch on documented hazards of the core (spec 9; list: list them): the search shows what each breaks")
	fs.BoolVar(&quiet, "quiet", false, "no timing line on stderr")
	return cmd
}

// writeExplore prints the summary and the findings of r.
func writeExplore(w io.Writer, r explore.Result, q fsm.Quirks) {
	fmt.Fprintf(w, "sim explore: depth %d, quirks %s, one client in the abstract world (any live timer may fire next, any message may arrive or be lost, the server's verdict is a choice)\n", r.Depth, q)
	row := func(k, v string) { fmt.Fprintf(w, "  %-22s %s\n", k, v) }
	row("states", fmt.Sprintf("%d (distinct abstract states, duplicates removed)", r.States))
	row("edges", fmt.Sprintf("%d (moves taken, into new or known states)", r.Edges))
	row("expansions", fmt.Sprintf("%d (states expanded; a state is expanded again when reached by a shorter path)", r.Expansions))
	row("status edges taken", fmt.Sprintf("%d of %d (fsm.Edges)", r.StatusEdges, r.AllStatusEdges))
	row("trace properties", strings.Join(explore.Properties, " ")+" after every move")
	for i, inv := range explore.Invariants() {
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
