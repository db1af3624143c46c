// Command sim is a deterministic simulator of a mobile IM SDK's connection
// lifecycle: Connect(token, timeLimit, callback) with its callbacks, the
// reconnection schedule, heartbeats, kicks, token errors and disconnect.
//
// Subcommands:
//
//	sim run    run many independent trials and summarise them
//	sim trace  print one trial, event by event (JSON Lines or text)
//
// `sim <command> --help` documents every flag. Exit codes: 0 success, 1 a
// property was violated (or an I/O error), 2 bad input (a trial over its
// work budget included), 3 a bug of the simulator (a panic inside a trial),
// 128+N stopped by signal N: 130 SIGINT (Ctrl-C), 143 SIGTERM, 129 SIGHUP
// (signals.go).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rcsim/connsim/sim"
	"github.com/spf13/cobra"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError marks bad input: exit code 2.
type usageError struct{ error }

// bugError marks a bug of the simulator itself (a panic inside a trial):
// exit code 3, with the command that replays it.
type bugError struct{ error }

// interruptedError marks a command stopped by a signal (SIGINT, SIGTERM
// or SIGHUP, signals.go): exit code 128 + the signal's number, the shell's
// code for that death, with one line saying what was kept.
type interruptedError struct{ error }

// errViolations marks a run that found property violations: exit code 1.
var errViolations = errors.New("property violations found")

// Main runs the CLI with args and returns the exit code. It is the whole
// program: tests call it with buffers.
func Main(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	sig, code, err := executeWithSignals(root, args, stderr)
	if code >= 0 {
		return code
	}
	return exitCode(err, sig, stderr)
}

// exitCode prints err's one line, if any, and returns the exit code; sig
// is the signal that stopped the command, or nil.
func exitCode(err error, sig os.Signal, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errViolations):
		return 1
	}
	var ue usageError
	var be bugError
	var budget *sim.BudgetError
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	var ie interruptedError
	if errors.As(err, &be) {
		fmt.Fprintf(stderr, "sim: %s\n", msg)
		return 3
	}
	if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "sim: %s\n", withSignal(msg, sig))
		return signalCode(sig)
	}
	if errors.As(err, &ue) || errors.As(err, &budget) || isCobraUsage(err) {
		fmt.Fprintf(stderr, "sim: %s\n", msg)
		return 2
	}
	fmt.Fprintf(stderr, "sim: %s\n", msg)
	return 1
}

// isCobraUsage recognises cobra's own usage errors (unknown command,
// wrong number of arguments).
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.Contains(s, "arg(s)") ||
		strings.HasPrefix(s, "unknown flag") || strings.HasPrefix(s, "unknown shorthand")
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "sim",
		Short: "Deterministic simulator of an IM SDK's connection lifecycle",
		Long: `sim simulates the connection contract of a mobile IM SDK: Connect(token,
timeLimit, callback) with onDatabaseOpened/onSuccess/onError, automatic
reconnection on a fixed schedule, heartbeats, kicks by other devices, token
errors and Disconnect/Logout, over a lossy network, in virtual time.

The same seed and parameters always give byte-identical output, whatever the
number of workers.

Examples:
  sim run --loss 0.3                      share of first logins that succeed within 5 s
  sim run --loss 0.3 --time-limit 0       no time limit: how long until connected?
  sim run --loss 0.3 --json               the same summary as one JSON object
  sim trace --loss 0.3 --trial 7 --format text
                                          trial 7 of that run, event by event

Exit codes: 0 success; 1 a property was violated (or an I/O error); 2 bad
input, one line naming the flag, nothing on stdout (a trial over its work
budget, --max-events, too); 3 a bug of the simulator (a panic inside a
trial), one line with the sim trace command that replays it; 128+N
stopped by signal N, every command alike: 130 SIGINT (Ctrl-C), 143
SIGTERM, 129 SIGHUP, with one line saying what was kept.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(stopsOnContext(newRunCmd(stdout, stderr)), stopsOnContext(newTraceCmd(stdout, stderr)), stopsOnContext(newSweepCmd(stdout, stderr)), newExploreCmd(stdout, stderr), newCheckCmd(stdout, stderr), newFSMCmd(stdout, stderr), newMergeCmd(stdout, stderr), newStormCmd(stdout, stderr), newReviewCmd(stdout, stderr))
	root.AddCommand(newPlotCmd(stdout, stderr))
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(flagError)
		onceOnly(c)
	}
	return root
}
