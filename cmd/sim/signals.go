package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/spf13/cobra"
)

// Signals. SIGINT (Ctrl-C), SIGTERM (kill, Kubernetes) and SIGHUP (a
// closed terminal) are handled alike by every command: the command's
// context is cancelled, and
//
//   - a command that stops on its context (stopsOnContext: run, sweep and
//     their shards, trace) keeps what it can (a sweep its finished rows)
//     and says so in one line, "sim: interrupted by SIGTERM ...";
//   - any other command (explore, storm, check, plot, merge, fsm), or one
//     that has not stopped signalGrace after the signal, or any command at
//     a second signal, is stopped at once: every temporary file is
//     removed and no file is renamed into place (outfile.Abort), and the
//     line says nothing was written.
//
// The exit code is 128 + the signal's number, as a shell reports a death
// by that signal: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.

// stopSignals are the signals every command handles.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalGrace is how long a command that stops on its context has, after
// the signal, to stop and keep its work.
const signalGrace = 5 * time.Second

// stopsOnContextKey marks the commands that stop on their context.
const stopsOnContextKey = "stops-on-context"

// stopsOnContext marks c as a command that stops on its context.
func stopsOnContext(c *cobra.Command) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[stopsOnContextKey] = "yes"
	return c
}

// executeWithSignals runs root with a context that the stop signals
// cancel. It returns the signal that stopped the command (nil if none)
// and its error, or, when the command is stopped at once, the exit code
// (>= 0; -1 otherwise) after printing its line.
func executeWithSignals(root *cobra.Command, args []string, stderr io.Writer) (os.Signal, int, error) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	var sig os.Signal
	select {
	case err := <-done:
		return nil, -1, err
	case sig = <-sigs:
	}
	cancel()
	name := "sim"
	if c, _, err := root.Find(args); err == nil && c != root {
		name = "sim " + c.Name()
		if c.Annotations[stopsOnContextKey] != "" {
			select {
			case err := <-done:
				return sig, -1, err
			case sig = <-sigs:
			case <-time.After(signalGrace):
			}
		}
	}
	outfile.Abort()
	fmt.Fprintf(stderr, "sim: interrupted by %s: %s stopped at once; no file was written or replaced, and what it printed is incomplete\n", signalName(sig), name)
	return sig, signalCode(sig), nil
}

// signalCode is the exit code of a command stopped by sig: 128 + its
// number (130 when there is no signal: a cancelled context in a test).
func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// signalName is SIGINT, SIGTERM, SIGHUP.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return "a signal"
}

// withSignal names sig in an interrupted command's line: "interrupted
// before ..." becomes "interrupted by SIGTERM before ...".
func withSignal(msg string, sig os.Signal) string {
	if sig == nil {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, "interrupted"); ok {
		return "interrupted by " + signalName(sig) + rest
	}
	return msg
}
