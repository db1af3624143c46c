package properties_test

import (
	"flag"
	"os"
	"testing"

	"pgregory.net/rapid"
)

// TestRapid's defaults, used unless the command line (-rapid.checks,
// -rapid.steps) or the environment (RAPID_CHECKS, RAPID_STEPS) says
// otherwise: 1000 checks of about 50 actions each, about 2 s on the
// project's 2-core machines (rapid's own defaults are 100 checks of 30).
// In -short mode rapid runs a fifth of the checks.
const (
	rapidChecks = "1000"
	rapidSteps  = "50"
)

// TestRapid is the stateful property-based suite (issue 3): rapid draws
// random interleavings of app calls, environment and server changes and
// virtual time on one to three devices of one user; every safety property
// is checked after every action, P8 after healing, P11 by running the
// script again. A failure is shrunk and printed as a scenario file, the
// `sim trace` command that replays it, and its text timeline; rapid saves
// it under testdata/rapid/TestRapid/ and replays it first on every run.
//
// Deeper runs: go test ./properties -run 'TestRapid$' -rapid.checks=20000 -rapid.steps=200
func TestRapid(t *testing.T) {
	defer setRapidFlags(t, unlessSet(map[string]string{
		"rapid.checks": rapidChecks,
		"rapid.steps":  rapidSteps,
	}))()
	rapid.Check(t, func(t *rapid.T) { runCheck(t, nil) })
}

// unlessSet drops from flags the rapid flags that the command line or the
// environment sets.
func unlessSet(flags map[string]string) map[string]string {
	flag.Visit(func(f *flag.Flag) { delete(flags, f.Name) })
	env := map[string]string{"rapid.checks": "RAPID_CHECKS", "rapid.steps": "RAPID_STEPS"}
	for name, v := range env {
		if _, ok := os.LookupEnv(v); ok {
			delete(flags, name)
		}
	}
	return flags
}
