// Package testsize says at which size the slow tests run. There are three:
//
//   - `go test -short ./...`: the quick loop; the slowest checks are off.
//   - `go test ./...`: the everyday loop, at most 60 s of wall time on the
//     project's shared 2-core machines (docs/performance.md, "How long the
//     tests take"); the slow suites run at a reduced size.
//   - `CONNSIM_FULL=1 go test ./...`: every test at its full size, what CI
//     runs (.ci/run) and the README's test command.
//
// The full size is asked for by an environment variable, not a flag: `go
// test ./...` passes a custom flag to every package, and a package that
// does not define it fails. `go test` records the variable, so a cached
// result of one size is not reused for the other. Only tests import this
// package.
package testsize

import (
	"os"
	"testing"
)

// Env is the environment variable that asks for the full size: "1" on,
// "" or "0" off; any other value fails the test that reads it.
const Env = "CONNSIM_FULL"

// Full reports whether every test runs at its full size (Env=1).
func Full(t testing.TB) bool {
	t.Helper()
	switch v := os.Getenv(Env); v {
	case "1":
		return true
	case "", "0":
		return false
	default:
		t.Fatalf("%s=%q: want 1 (every test at full size) or 0", Env, v)
		return false
	}
}

// Pick returns full when the tests run at full size and reduced otherwise.
func Pick[T any](t testing.TB, reduced, full T) T {
	t.Helper()
	if Full(t) {
		return full
	}
	return reduced
}

// SkipUnlessFull skips t, which checks what, unless the tests run at full
// size: a check that only CI and `CONNSIM_FULL=1 go test ./...` run.
func SkipUnlessFull(t testing.TB, what string) {
	t.Helper()
	if !Full(t) {
		t.Skipf("%s: only at full size (%s=1 go test ./..., as CI runs)", what, Env)
	}
}
