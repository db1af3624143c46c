package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/sweep"
)

// The CDF's curves are the grid points at the chosen time limit, in the
// order of --cdf-loss: each holds exactly the successes of its point (the
// CSV row's successes, over its trials), at the times the closed form
// allows (attempt 1 at 0.1 s, attempt 2 at 5.15 s within 10 s), and ends at
// the point's success share.
func TestSweepCDFData(t *testing.T) {
	p, sc, err := defaultOpts().build(newSweepCmd(nil, nil).Flags())
	if err != nil {
		t.Fatal(err)
	}
	losses := []float64{0, 0.3, 0.5}
	limits := []time.Duration{5 * time.Second, 10 * time.Second, 0}
	c, err := parseCDFChoice(filepath.Join(t.TempDir(), "c.svg"), "", "0.5,0", losses, limits, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.limit != 10*time.Second {
		t.Fatalf("default --cdf-time-limit %v, want the largest finite limit 10s", c.limit)
	}
	pl := sweep.Plan{Base: p, Scenario: sc, Seed: 1, Trials: 2000, Workers: 2, Losses: losses, Limits: limits, KeepTTC: c.keeps}
	rows, err := pl.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, r := range rows {
		if r.TTCKept != (r.Limit == 10*time.Second && r.Loss != 0.3) {
			t.Errorf("loss %g, limit %v: ttcKept %v", r.Loss, r.Limit, r.TTCKept)
		}
		if r.TTCKept {
			kept++
		}
	}
	if kept != 2 {
		t.Fatalf("%d rows kept their times, want 2", kept)
	}
	series := cdfSeries(rows, &c)
	if len(series) != 2 || series[0].Label != "loss 0.5" || series[1].Label != "loss 0" {
		t.Fatalf("series %v, want loss 0.5 then loss 0", labels(series))
	}
	for _, s := range series {
		loss, _ := strconv.ParseFloat(strings.TrimPrefix(s.Label, "loss "), 64)
		i := slices.IndexFunc(rows, func(r sweep.Row) bool { return r.Loss == loss && r.Limit == 10*time.Second })
		r := rows[i]
		if len(s.TTC) != r.Summary.Successes || s.Trials != r.Summary.Trials || s.Trials != 2000 || s.TimeLimit != 10*time.Second {
			t.Errorf("%s: %d times over %d trials, limit %v; row: %d successes over %d trials",
				s.Label, len(s.TTC), s.Trials, s.TimeLimit, r.Summary.Successes, r.Summary.Trials)
		}
		for _, d := range s.TTC {
			// A first visit (--attempt full): attempt 1 at 0.3 s
			// (navigation, socket, auth); attempt 2 at 5.05 s takes two
			// round trips with the navigation answer cached, three without.
			if d != 300*time.Millisecond && d != 5250*time.Millisecond && d != 5350*time.Millisecond {
				t.Fatalf("%s: time to connect %v is not an atom of the closed form (0.3 s, 5.25 s, 5.35 s)", s.Label, d)
			}
		}
		pts, err := plots.CDFPoints(s.TTC, s.Trials)
		if err != nil {
			t.Fatal(err)
		}
		if end := pts[len(pts)-1].Y; end != r.Summary.SuccessRate {
			t.Errorf("%s: the curve ends at %v, the row's success share is %v", s.Label, end, r.Summary.SuccessRate)
		}
	}
	// An interrupted sweep draws the curves that finished.
	if got := cdfSeries(rows[:len(losses)+1], &c); len(got) != 1 || got[0].Label != "loss 0" {
		t.Errorf("after 4 points: series %v, want loss 0 only", labels(got))
	}
	if got := cdfSeries(rows[:2], &c); len(got) != 0 {
		t.Errorf("after 2 points: series %v, want none", labels(got))
	}
}

func labels(s []plots.TTCSeries) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Label)
	}
	return out
}

// The default time limit of the CDF is the largest finite one of the
// grid, or none when the grid has only 0; --cdf-time-limit 0 picks the
// points with no limit.
func TestCDFTimeLimitChoice(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.png")
	for _, c := range []struct {
		grid, flag string
		want       time.Duration
	}{
		{"2s,5s,10s,0", "", 10 * time.Second},
		{"0,3s", "", 3 * time.Second},
		{"0", "", 0},
		{"2s,5s,10s,0", "0", 0},
		{"2s,5s,10s,0", "none", 0},
		{"2s,5s,10s,0", "5s", 5 * time.Second},
		{"1s:3s:500ms", "1.5s", 1500 * time.Millisecond},
	} {
		limits, err := grid.Limits(c.grid)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseCDFChoice(file, c.flag, "", []float64{0.1}, limits, 1)
		if err != nil || got.limit != c.want {
			t.Errorf("grid %s, --cdf-time-limit %q: %v, %v; want %v", c.grid, c.flag, got.limit, err, c.want)
		}
	}
}

// --cdf writes the figure with the CSV; the same flags give the same
// figure whatever --workers; its legend and caption name the curves, the
// limit and the command.
func TestSweepCDFFile(t *testing.T) {
	dir := t.TempDir()
	var first []byte
	for _, w := range []string{"1", "2"} {
		fig := filepath.Join(dir, "cdf"+w+".svg")
		code, _, errs := runCLI("sweep", "--loss", "0,0.3,0.5", "--time-limit", "5s,10s", "--trials", "300", "--quiet",
			"--workers", w, "--out", filepath.Join(dir, "s.csv"), "--cdf", fig, "--cdf-loss", "0.3,0.5")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(fig)
		if err != nil {
			t.Fatal(err)
		}
		// Only the file name differs between the two commands.
		b = bytes.ReplaceAll(b, []byte("cdf"+w+".svg"), []byte("cdf.svg"))
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Error("--workers 2 draws another figure than --workers 1")
		}
	}
	txt := strings.Join(strings.Fields(svgText(string(first))), " ") // caption lines wrap
	for _, want := range []string{"loss 0.3: ", "loss 0.5: ", "time limit 10s", "300 trials per curve, seed 1",
		"sim sweep --loss 0,0.3,0.5 --time-limit 5s,10s --trials 300 --out " + filepath.Join(dir, "s.csv") + " --cdf " + filepath.Join(dir, "cdf.svg") + " --cdf-loss 0.3,0.5"} {
		if !strings.Contains(txt, want) {
			t.Errorf("no text %q in the figure:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "loss 0: ") {
		t.Error("loss 0 drawn though --cdf-loss leaves it out")
	}
}

// svgText returns the text elements of an SVG document, one a line.
func svgText(svg string) string {
	var b strings.Builder
	for _, part := range strings.Split(svg, "<text")[1:] {
		_, rest, _ := strings.Cut(part, ">")
		txt, _, _ := strings.Cut(rest, "</text>")
		b.WriteString(txt)
		b.WriteString("\n")
	}
	return b.String()
}

// Bad --cdf flags are bad input: exit 2, one line naming the flag, no file
// written.
func TestSweepCDFBadInput(t *testing.T) {
	dir := t.TempDir()
	out, fig := filepath.Join(dir, "s.csv"), filepath.Join(dir, "c.png")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--cdf", fig}, "--cdf: the --loss grid has 10 losses and the figure draws at most 7 curves; pick them with --cdf-loss"},
		{[]string{"--cdf", filepath.Join(dir, "c.gif"), "--loss", "0.1"}, "--cdf " + filepath.Join(dir, "c.gif") + ": want a file name ending in .png or .svg"},
		{[]string{"--cdf", fig, "--loss", "0.1", "--cdf-time-limit", "3s"}, "--cdf-time-limit 3s is not in the --time-limit grid 2s,5s,10s,0"},
		{[]string{"--cdf", fig, "--loss", "0.1", "--cdf-time-limit", "x"}, "--cdf-time-limit: invalid value \"x\""},
		{[]string{"--cdf", fig, "--loss", "0.1", "--cdf-time-limit", "5s,10s"}, "--cdf-time-limit: invalid value \"5s,10s\": want one Go duration"},
		{[]string{"--cdf", fig, "--cdf-loss", "0.15"}, "--cdf-loss 0.15 is not in the --loss grid"},
		{[]string{"--cdf", fig, "--cdf-loss", "0:0.7:0.1"}, "--cdf-loss: 8 losses; the figure draws at most 7 curves"},
		{[]string{"--cdf", fig, "--cdf-loss", "a"}, "--cdf-loss: invalid list \"a\""},
		{[]string{"--cdf-time-limit", "5s"}, "--cdf-time-limit needs --cdf FILE"},
		{[]string{"--cdf-loss", "0.1"}, "--cdf-loss needs --cdf FILE"},
	} {
		args := append([]string{"sweep", "--trials", "10", "--quiet", "--out", out}, c.args...)
		code, stdout, errs := runCLI(args...)
		if code != 2 || stdout != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, stdout, errs, c.want)
		}
	}
	// As for --out, a directory that does not exist fails before the sweep
	// (exit 2: it is the input).
	nodir := filepath.Join(dir, "no", "c.png")
	code, _, errs := runCLI("sweep", "--trials", "10", "--quiet", "--out", out, "--loss", "0.1", "--cdf", nodir)
	if code != 2 || errs != "sim: --cdf "+nodir+": directory "+filepath.Dir(nodir)+" does not exist\n" {
		t.Errorf("--cdf %s: exit %d, stderr %q", nodir, code, errs)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files written: %v", ents)
	}
}
