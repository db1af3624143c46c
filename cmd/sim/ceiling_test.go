package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/internal/testsize"
)

// The memory ceiling of the hostile corpus (issue 19): every row of
// testdata/hostile/cases.txt, run as its own process with GOMEMLIMIT=1GiB,
// keeps its peak resident set under 1 GiB and finishes within 20 s of
// CPU, or is refused within 1 s of CPU. A refusal that comes from the
// work itself (a trial or storm over its work budget) is the work's
// outcome and has the 20 s. CPU time, not wall time, so that a loaded
// machine does not fail the test; RLIMIT_AS is not used because the
// binary's C runtime reserves address space per thread. Each row's
// outcome is checked as TestHostileInputs checks it (checkHostile), so a
// slow row need not run in process too (it does at full size). The slow
// rows of in-limits work (exit 0: a million trials, a 100,000-client
// storm) run only at full size (testsize).
const (
	ceilingRSS     = 1 << 30
	ceilingWork    = 20 * time.Second
	ceilingRefusal = 1 * time.Second
)

func TestHostileMemoryCeiling(t *testing.T) {
	if raceOn {
		t.Skip("runs the built binary: once, without the race detector, is enough")
	}
	cases, err := readHostileCases(filepath.Join("testdata", "hostile", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	bin := buildSim(t)
	full := testsize.Full(t)
	for _, c := range cases {
		t.Run(fmt.Sprintf("line%d", c.line), func(t *testing.T) {
			if c.slow && c.exit == 0 && !full {
				t.Skip("in-limits work of a few seconds of CPU: only at full size")
			}
			t.Parallel()
			scratch := t.TempDir()
			args, fifo := expandHostileArgs(t, c.args, scratch)
			cmd, usage := measured(t, append([]string{bin}, args...)...)
			cmd.Env = append(cmd.Env, "GOMEMLIMIT=1GiB")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(3 * ceilingWork):
				cmd.Process.Kill()
				<-done
				t.Fatalf("sim %s: still running after %v", strings.Join(args, " "), 3*ceilingWork)
			}
			ps := cmd.ProcessState
			checkHostile(t, c, args, scratch, fifo, ps.ExitCode(), stdout.String(), stderr.String())
			u := usage()
			cpu, rss := u.CPU, u.RSS
			line := "sim " + strings.Join(args, " ")
			if len(line) > 200 {
				line = line[:200] + "..."
			}
			if rss > ceilingRSS {
				t.Errorf("%s: peak RSS %d MiB, more than %d MiB", line, rss>>20, ceilingRSS>>20)
			}
			limit := ceilingRefusal
			if ps.ExitCode() == 0 || strings.Contains(stderr.String(), "budget") {
				limit = ceilingWork
			}
			if cpu > limit {
				t.Errorf("%s: exit %d after %v of CPU (%v wall), more than %v", line, ps.ExitCode(), cpu, time.Since(start), limit)
			}
		})
	}
}
