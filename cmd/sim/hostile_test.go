package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rcsim/connsim/internal/testsize"
)

// hostileCase is one row of testdata/hostile/cases.txt.
type hostileCase struct {
	line   int
	exit   int
	prefix string   // stderr must start with it
	args   []string // after $H and $T expansion
	slow   bool     // skipped under the race detector
}

// TestHostileInputs runs every row of testdata/hostile/cases.txt (the
// hostile-input corpus of issue 7; its header documents the format) in
// this process: the command must exit with the row's code and print one
// line on stderr that starts with the row's prefix; a failing command
// prints nothing on stdout and leaves no file in its scratch directory $T
// (checkHostile). A slow row runs here only at full size (testsize) or
// under the race detector, where it is skipped: otherwise
// TestHostileMemoryCeiling runs it as a process and checks the same.
func TestHostileInputs(t *testing.T) {
	cases, err := readHostileCases(filepath.Join("testdata", "hostile", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	full := testsize.Full(t)
	for _, c := range cases {
		name := fmt.Sprintf("line%d", c.line)
		t.Run(name, func(t *testing.T) {
			if c.slow && raceOn {
				t.Skip("slow under the race detector")
			}
			if c.slow && !full {
				t.Skip("slow: TestHostileMemoryCeiling runs it as a process and checks the same; in this process at full size")
			}
			scratch := t.TempDir()
			args, fifo := expandHostileArgs(t, c.args, scratch)
			code, stdout, stderr := runCLIWithin(t, 120*time.Second, args...)
			checkHostile(t, c, args, scratch, fifo, code, stdout, stderr)
		})
	}
}

// checkHostile fails t unless the command args of row c, run with the
// scratch directory and FIFO given, ended as the row says: exit code,
// one line on stderr with the row's prefix, and when it failed nothing on
// stdout and no file in scratch.
func checkHostile(t *testing.T, c hostileCase, args []string, scratch, fifo string, code int, stdout, stderr string) {
	t.Helper()
	cmd := "sim " + strings.Join(args, " ")
	if len(cmd) > 200 {
		cmd = cmd[:200] + "..."
	}
	prefix := strings.ReplaceAll(strings.ReplaceAll(c.prefix, "$T", scratch), "$P", fifo)
	if code != c.exit {
		t.Errorf("%s: exit %d, want %d (stderr %q)", cmd, code, c.exit, stderr)
	}
	if !strings.HasPrefix(stderr, prefix) {
		t.Errorf("%s: stderr %q, want it to start with %q", cmd, stderr, prefix)
	}
	if c.exit != 0 {
		if strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: stderr %q is not one line", cmd, stderr)
		}
		if stdout != "" {
			t.Errorf("%s: printed %q on stdout (%d bytes), want nothing", cmd, stdout[:min(len(stdout), 200)], len(stdout))
		}
		if left, _ := os.ReadDir(scratch); len(left) > 0 {
			t.Errorf("%s: left %d files in its output directory, want none (first %s)", cmd, len(left), left[0].Name())
		}
	}
}

// runCLIWithin is runCLI that fails the test when the command is still
// running after d (a hang).
func runCLIWithin(t *testing.T, d time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, stdout, stderr = runCLI(args...)
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("sim %s: still running after %v", strings.Join(args, " "), d)
	}
	return code, stdout, stderr
}

// expandHostileArgs replaces $H (the corpus directory), $T (the scratch
// directory) and $P (a FIFO that no process writes to, outside $T) in
// args, and returns the FIFO's path ("" if none).
func expandHostileArgs(t *testing.T, args []string, scratch string) ([]string, string) {
	out := make([]string, len(args))
	fifo := ""
	for i, a := range args {
		if strings.Contains(a, "$P") && fifo == "" {
			fifo = filepath.Join(t.TempDir(), "fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}
		a = strings.ReplaceAll(a, "$H", filepath.Join("testdata", "hostile"))
		a = strings.ReplaceAll(a, "$P", fifo)
		out[i] = strings.ReplaceAll(a, "$T", scratch)
	}
	return out, fifo
}

// readHostileCases parses the corpus: one case a line,
//
//	EXIT | STDERR PREFIX | ARGS
//
// with ARGS split on blanks ('single quotes' keep blanks, as in a shell);
// a line starting with "slow " is skipped under the race detector. Blank
// lines and lines starting with # are comments.
func readHostileCases(path string) ([]hostileCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []hostileCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := hostileCase{line: n}
		if rest, ok := strings.CutPrefix(line, "slow "); ok {
			c.slow, line = true, rest
		}
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s:%d: want EXIT | STDERR PREFIX | ARGS", path, n)
		}
		if c.exit, err = strconv.Atoi(strings.TrimSpace(parts[0])); err != nil {
			return nil, fmt.Errorf("%s:%d: exit code: %v", path, n, err)
		}
		c.prefix = strings.TrimSpace(parts[1])
		if c.args, err = splitWords(parts[2]); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// splitWords splits s on blanks; 'single quotes' keep blanks and can
// make an empty word (”).
func splitWords(s string) ([]string, error) {
	var out []string
	var w strings.Builder
	in, quoted := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, in = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unclosed quote in %q", s)
	}
	if in {
		out = append(out, w.String())
	}
	return out, nil
}
