package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignals: each long-running command, given SIGINT, SIGTERM or
// SIGHUP, exits with 128 + the signal's number and one line on stderr
// naming the signal and what was kept, and leaves no stray file: no
// temporary file, no empty --plot directory, only what the line says was
// kept. It runs the built binary, since a signal is the process's.
func TestSignals(t *testing.T) {
	if raceOn {
		t.Skip("builds and runs the binary: once, without the race detector, is enough")
	}
	bin := buildSim(t)
	type command struct {
		name string
		args []string
		keep string // the one file the line may say was kept, "" for none
	}
	commands := []command{
		{"run", []string{"run", "--trials", "100000000", "--plot", "figs"}, ""},
		{"run-shard", []string{"run", "--trials", "100000000", "--shard", "0/2", "--out", "p.json"}, ""},
		{"sweep", []string{"sweep", "--loss", "0:0.9:0.1", "--trials", "200000", "--out", "s.csv", "--plot", "s.png"}, "s.csv"},
		{"trace", []string{"trace", "--realtime", "--time-limit", "0", "--net-off", "0s:1h", "--plot", "t.png"}, "t.png"},
		{"storm", []string{"storm", "--clients", "1000000", "--plot", "figs", "--series", "s.csv"}, ""},
		{"explore", []string{"explore", "--depth", "12"}, ""},
		{"check", []string{"check", "-"}, ""}, // stdin stays open: check waits for it
		{"plot", []string{"plot", "-", "--out", "p.png"}, ""},
	}
	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}
	names := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}
	// Every command is started at once and given its signal once it has
	// set its handler, which takes milliseconds of CPU but, with 24
	// processes starting on a loaded 2-core machine, up to about a second
	// of wall time (700 ms was seen to be too short): once it has used
	// 50 ms of CPU (it is busy: past main's first lines), or after 2 s
	// (it waits on its input or the clock), whichever comes first.
	type started struct {
		c              command
		sig            syscall.Signal
		dir            string
		cmd            *exec.Cmd
		stdin          io.Closer
		stdout, stderr bytes.Buffer
	}
	var runs []*started
	defer func() {
		for _, r := range runs {
			r.stdin.Close()
			if r.cmd.ProcessState == nil {
				r.cmd.Process.Kill()
				r.cmd.Wait()
			}
		}
	}()
	for _, c := range commands {
		for _, sig := range sigs {
			r := &started{c: c, sig: sig, dir: t.TempDir()}
			r.cmd = exec.Command(bin, c.args...)
			r.cmd.Dir = r.dir
			r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
			stdin, err := r.cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			r.stdin = stdin
			if err := r.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, r)
		}
	}
	start, signalled := time.Now(), make([]bool, len(runs))
	for left := len(runs); left > 0; time.Sleep(10 * time.Millisecond) {
		for i, r := range runs {
			if !signalled[i] && (cpuTime(r.cmd.Process.Pid) >= 50*time.Millisecond || time.Since(start) >= 2*time.Second) {
				r.cmd.Process.Signal(r.sig)
				signalled[i] = true
				left--
			}
		}
	}
	for _, r := range runs {
		c, sig, cmd, dir, stderr := r.c, r.sig, r.cmd, r.dir, &r.stderr
		t.Run(c.name+"/"+names[sig], func(t *testing.T) {
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still running 30 s after %s", names[sig])
			}
			code := cmd.ProcessState.ExitCode()
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			last := lines[len(lines)-1]
			if code != 128+int(sig) {
				t.Errorf("exit %d, want %d (stderr %q)", code, 128+int(sig), stderr.String())
			}
			if !strings.HasPrefix(last, "sim: interrupted by "+names[sig]) {
				t.Errorf("last line %q, want \"sim: interrupted by %s ...\"", last, names[sig])
			}
			left, _ := os.ReadDir(dir)
			// The files the line says were kept (a sweep keeps its CSV
			// and its figure once a grid point has finished).
			said := ""
			if i := strings.Index(last, " keeps "); i >= 0 {
				said = last[:i]
			}
			for _, e := range left {
				if c.keep != "" && strings.Contains(said, e.Name()) || e.Name() == c.keep && c.name == "trace" {
					continue
				}
				t.Errorf("left %s (stderr %q)", e.Name(), stderr.String())
			}
		})
	}
}

// cpuTime is the CPU time process pid has used (user and system, from
// /proc/PID/stat at 100 ticks a second), or 0 if that cannot be read.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (in parentheses, which may hold
	// blanks): state is field 3, utime and stime fields 14 and 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
