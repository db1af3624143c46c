package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child's peak resident set, as wait4 reports it, starts at the
// resident set of the process that started it: Go starts a child with
// vfork, and exec keeps the parent's high-water mark. A test binary that
// has run other tests is hundreds of MB, so children are started from a
// fresh copy of the test binary (a few MB), the rusage helper, which runs
// the command, passes its exit code on and writes its peak RSS and CPU
// time to a file.

// rusageHelperEnv runs the test binary as the rusage helper.
const rusageHelperEnv = "SIM_RUSAGE_HELPER"

func init() {
	spec := os.Getenv(rusageHelperEnv)
	if spec == "" {
		return
	}
	var h struct {
		Out  string
		Argv []string
	}
	if err := json.Unmarshal([]byte(spec), &h); err != nil {
		fmt.Fprintln(os.Stderr, "rusage helper:", err)
		os.Exit(125)
	}
	cmd := exec.Command(h.Argv[0], h.Argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rusage helper:", err)
		os.Exit(125)
	}
	cmd.Wait()
	ps := cmd.ProcessState
	ru := ps.SysUsage().(*syscall.Rusage)
	b, _ := json.Marshal(usage{RSS: int64(ru.Maxrss) << 10, CPU: ps.UserTime() + ps.SystemTime()})
	os.WriteFile(h.Out, b, 0o644)
	os.Exit(ps.ExitCode())
}

// usage is what the rusage helper reports of a command.
type usage struct {
	RSS int64         // peak resident set, bytes
	CPU time.Duration // user and system time
}

// measured returns an exec.Cmd that runs argv through the rusage helper,
// and a function that reads its usage once it has exited.
func measured(t *testing.T, argv ...string) (*exec.Cmd, func() usage) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "usage.json")
	spec, _ := json.Marshal(struct {
		Out  string
		Argv []string
	}{out, argv})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), rusageHelperEnv+"="+string(spec))
	return cmd, func() usage {
		var u usage
		b, err := os.ReadFile(out)
		if err == nil {
			err = json.Unmarshal(b, &u)
		}
		if err != nil {
			t.Fatalf("%s: no usage: %v", strings.Join(argv, " "), err)
		}
		return u
	}
}
