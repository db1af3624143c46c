package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Output paths that are not regular files are refused before any work,
// with nothing on stdout, and left as they were; a symlink is followed.
func TestOutputPaths(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.svg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	plotDir := filepath.Join(dir, "figs")
	os.MkdirAll(filepath.Join(plotDir, "ttc_cdf.png"), 0o755) // a directory where a figure goes
	fifoDir := filepath.Join(dir, "figs2")
	os.MkdirAll(fifoDir, 0o755)
	syscall.Mkfifo(filepath.Join(fifoDir, "attempts.svg"), 0o644)
	fifoCSV := filepath.Join(dir, "fifo.csv")
	syscall.Mkfifo(fifoCSV, 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"storm", "--clients", "10", "--series", fifoCSV}, "sim: --series " + fifoCSV + ": is not a regular file (a FIFO)"},
		{[]string{"plot", "testdata/hostile/budget.yaml", "--out", fifo}, "sim: --out " + fifo + ": is not a regular file (a FIFO)"},
		{[]string{"trace", "--plot", fifo}, "sim: --plot " + fifo + ": is not a regular file (a FIFO); refusing to replace it"},
		{[]string{"fsm", "--format", "svg", "--out", fifo}, "sim: --out " + fifo + ": is not a regular file (a FIFO)"},
		{[]string{"fsm", "--out", "/dev/null"}, "sim: --out /dev/null: is not a regular file (a character device)"},
		{[]string{"run", "--trials", "10", "--plot", plotDir}, "sim: --plot " + filepath.Join(plotDir, "ttc_cdf.png") + ": is a directory; want a file"},
		{[]string{"run", "--trials", "10", "--plot", fifoDir}, "sim: --plot " + filepath.Join(fifoDir, "attempts.svg") + ": is not a regular file (a FIFO)"},
		{[]string{"sweep", "--trials", "10", "--loss", "0.1", "--out", fifo}, "sim: --out " + fifo + ": is not a regular file"},
		{[]string{"sweep", "--trials", "10", "--loss", "0.1", "--out", filepath.Join(dir, "s.csv"), "--plot", fifo}, "sim: --plot " + fifo + ": is not a regular file"},
		{[]string{"fsm", "--out", filepath.Join(dir, "no", "f.dot")}, "sim: --out " + filepath.Join(dir, "no", "f.dot") + ": directory " + filepath.Join(dir, "no") + " does not exist"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit 2, no stdout, %q", c.args, code, len(out), errs, c.want)
		}
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became a %v", fi.Mode())
	}
	if _, err := os.Stat(filepath.Join(dir, "s.csv")); err == nil {
		t.Errorf("sweep wrote its CSV though --plot was refused")
	}

	// A symlinked output: the target is replaced, the link stays.
	target := filepath.Join(dir, "machine.dot")
	os.WriteFile(target, []byte("stale"), 0o644)
	link := filepath.Join(dir, "link.dot")
	os.Symlink("machine.dot", link)
	if code, _, errs := runCLI("fsm", "--out", link); code != 0 {
		t.Fatalf("fsm --out link: exit %d, %s", code, errs)
	}
	if b, _ := os.ReadFile(target); !bytes.HasPrefix(b, []byte("digraph")) {
		t.Errorf("the link's target holds %.20q, want the DOT text", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link became a %v", fi.Mode())
	}
}

// syncBuf is a bytes.Buffer safe for a writer and a poller.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Ctrl-C during trace --realtime: one clean line, exit 130.
func TestRealtimeInterrupt(t *testing.T) {
	var out, errs syncBuf
	done := make(chan int)
	go func() {
		done <- Main([]string{"trace", "--realtime", "--time-limit", "0", "--net-off", "0s:1h", "--format", "text"}, &out, &errs)
	}()
	// The first records (t=0) print at once; by then the handler is set.
	for deadline := time.Now().Add(20 * time.Second); out.String() == ""; {
		if time.Now().After(deadline) {
			t.Fatal("no record printed in 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		e := errs.String()
		if code != 130 || !strings.HasPrefix(e, "sim: interrupted by SIGINT at t=") || strings.Count(e, "\n") != 1 || strings.Contains(e, "context canceled") {
			t.Errorf("exit %d, stderr %q; want 130 and one line \"sim: interrupted by SIGINT at t=...\"", code, e)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("trace --realtime did not stop on SIGINT")
	}
}

// A --plot directory that is a dangling symlink is named as one (it said
// "file exists"), and nothing is made.
func TestPlotDirDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "figs")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Skip(err)
	}
	for _, args := range [][]string{{"run", "--trials", "10", "--plot", link}, {"storm", "--clients", "10", "--plot", link}} {
		code, out, errs := runCLI(args...)
		want := "sim: --plot " + link + ": a symbolic link to " + filepath.Join(dir, "nowhere") + ", which does not exist\n"
		if code != 2 || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", args, code, out, errs, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("the link's target was made")
	}
}

// A --plot directory is made with the figures: a run that fails makes
// none (nor its parents).
func TestPlotDirMadeOnlyOnSuccess(t *testing.T) {
	dir := t.TempDir()
	figs := filepath.Join(dir, "a", "b")
	code, _, errs := runCLI("run", "--trials", "1", "--time-limit", "0", "--horizon", "720h", "--until", "720h", "--max-events", "1000", "--plot", figs)
	if code != 2 {
		t.Fatalf("exit %d, stderr %q; want the budget's exit 2", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
		t.Error("a failed run made its --plot directory's parent")
	}
	if code, _, errs := runCLI("run", "--trials", "10", "--quiet", "--plot", figs); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(figs, "ttc_cdf.png")); err != nil {
		t.Error(err)
	}
}
