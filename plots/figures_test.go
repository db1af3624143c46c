package plots

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestColorWraps(t *testing.T) {
	n := len(palette)
	for i := -2 * n; i < 2*n; i++ {
		if Color(i) != Color(((i%n)+n)%n) {
			t.Fatalf("Color(%d) does not wrap", i)
		}
	}
	seen := map[any]bool{}
	for i := range n {
		if seen[Color(i)] {
			t.Fatalf("colour %d repeats an earlier one", i)
		}
		seen[Color(i)] = true
	}
}

func TestCDFPointsMonotoneToSuccessShare(t *testing.T) {
	ms := time.Millisecond
	ttc := []time.Duration{5150 * ms, 100 * ms, 100 * ms, 10450 * ms, 100 * ms, 0}
	const trials = 10
	pts, err := CDFPoints(ttc, trials)
	if err != nil {
		t.Fatal(err)
	}
	if pts[0].X != 0 || pts[0].Y != 0 {
		t.Errorf("CDF starts at %v, want (0,0)", pts[0])
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].X < pts[i-1].X || pts[i].Y < pts[i-1].Y {
			t.Fatalf("CDF not monotone at %d: %v then %v", i, pts[i-1], pts[i])
		}
	}
	last := pts[len(pts)-1]
	if want := float64(len(ttc)) / trials; last.Y != want || last.X != 10.45 {
		t.Errorf("CDF ends at %v, want (10.45, %v)", last, want)
	}
	// At 0.1 s: the zero and the three 100 ms values, 4 of 10.
	for _, p := range pts {
		if p.X == 0.1 && p.Y > 0.4+1e-12 {
			t.Errorf("CDF at 0.1 s reaches %v, want 0.4", p.Y)
		}
	}
	for _, bad := range []struct {
		ttc    []time.Duration
		trials int
	}{{nil, 0}, {ttc, 3}, {[]time.Duration{-1}, 1}} {
		if _, err := CDFPoints(bad.ttc, bad.trials); err == nil {
			t.Errorf("CDFPoints(%v, %d) gave no error", bad.ttc, bad.trials)
		}
	}
}

func TestAttemptCountsSumToTrials(t *testing.T) {
	attempts := []int{1, 1, 2, 1, 5, 0, 2, 1}
	counts, err := AttemptCounts(attempts)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, c := range counts {
		sum += c
	}
	if sum != len(attempts) {
		t.Errorf("counts %v sum to %d, want %d", counts, sum, len(attempts))
	}
	if want := []int{1, 4, 2, 0, 0, 1}; !equalInts(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	if _, err := AttemptCounts([]int{-1}); err == nil {
		t.Error("a negative count gave no error")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func svgOf(t *testing.T, f interface {
	Render(io.Writer, string) error
}) string {
	t.Helper()
	var b bytes.Buffer
	if err := f.Render(&b, "svg"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// svgText returns the text elements of an SVG document, unescaped enough
// for the strings the figures use.
func svgText(svg string) string {
	var b strings.Builder
	for _, part := range strings.Split(svg, "<text")[1:] {
		_, rest, _ := strings.Cut(part, ">")
		txt, _, _ := strings.Cut(rest, "</text>")
		b.WriteString(strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(txt))
		b.WriteString("\n")
	}
	return b.String()
}

func wantTexts(t *testing.T, svg string, want ...string) {
	t.Helper()
	txt := svgText(svg)
	for _, w := range want {
		if !strings.Contains(txt, w) {
			t.Errorf("SVG has no text %q; texts:\n%s", w, txt)
		}
	}
}

func sampleTTC() []TTCSeries {
	ms := time.Millisecond
	return []TTCSeries{
		{Label: "loss 0", TTC: []time.Duration{100 * ms, 100 * ms, 100 * ms, 100 * ms}, Trials: 4, TimeLimit: 10 * time.Second},
		{Label: "loss 0.3", TTC: []time.Duration{100 * ms, 5150 * ms}, Trials: 4, TimeLimit: 10 * time.Second},
	}
}

func TestTTCCDFFigure(t *testing.T) {
	f, err := TTCCDF(sampleTTC(), "seed 7, 4 trials per curve")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, f)
	wantTexts(t, svg, "Time to connect (first Connect call)", "time from Connect to onSuccess (s)",
		"share of trials connected (cumulative)", "loss 0: 100.0% connected", "loss 0.3: 50.0% connected",
		"time limit 10s", "seed 7, 4 trials per curve")
	if _, err := TTCCDF(nil, ""); err == nil {
		t.Error("no series gave no error")
	}
}

func TestAttemptsFigure(t *testing.T) {
	f, err := AttemptsHistogram([]int{1, 1, 1, 2, 4}, "seed 1, 5 trials")
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, f), "Attempts per trial", "attempts started in the trial (count)", "trials (count)", "seed 1, 5 trials")
	if _, err := AttemptsHistogram(nil, ""); err == nil {
		t.Error("no trials gave no error")
	}
}

func TestSuccessVsLossFigure(t *testing.T) {
	mk := func(label string, withOverlay bool) SuccessSeries {
		s := SuccessSeries{Label: label}
		for _, l := range []float64{0.5, 0, 0.3} {
			r := (1 - l) * (1 - l)
			s.Points = append(s.Points, SuccessPoint{Loss: l, Rate: r, Lo: math.Max(0, r-0.02), Hi: math.Min(1, r+0.02)})
			if withOverlay {
				s.Overlay = append(s.Overlay, OverlayPoint{Loss: l, Rate: r})
			}
		}
		return s
	}
	f, err := SuccessVsLoss([]SuccessSeries{mk("time limit 5s", true), mk("no time limit", false)}, "seed 1, 100 trials per point")
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, f), "Success of the first Connect within the time limit",
		"loss (probability that a message is lost, each direction)", "share of first logins connected in time",
		"time limit 5s", "no time limit", OverlayLegend, "shaded: 95% interval", "seed 1, 100 trials per point")

	// Rounding past the rate is forgiven; a real inversion is not.
	ok := SuccessSeries{Label: "x", Points: []SuccessPoint{{Loss: 0, Rate: 1, Lo: 0.99, Hi: 1 - 1e-15}}}
	if _, err := SuccessVsLoss([]SuccessSeries{ok}, ""); err != nil {
		t.Errorf("rounding in Hi: %v", err)
	}
	for _, bad := range []SuccessSeries{
		{Label: "inverted", Points: []SuccessPoint{{Loss: 0.1, Rate: 0.5, Lo: 0.6, Hi: 0.7}}},
		{Label: "loss", Points: []SuccessPoint{{Loss: 1.5, Rate: 0.5, Lo: 0.4, Hi: 0.6}}},
		{Label: "empty"},
	} {
		if _, err := SuccessVsLoss([]SuccessSeries{bad}, ""); err == nil {
			t.Errorf("series %q gave no error", bad.Label)
		}
	}
}

func TestSaveByExtensionAndDeterministic(t *testing.T) {
	dir := t.TempDir()
	f, err := TTCCDF(sampleTTC(), "seed 1")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.svg", "b.svg", "a.png", "b.png"} {
		if err := f.Save(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.HasPrefix(read("a.png"), []byte("\x89PNG")) {
		t.Error("a.png is not a PNG")
	}
	if !bytes.Contains(read("a.svg"), []byte("<svg")) {
		t.Error("a.svg is not an SVG")
	}
	for _, ext := range []string{"svg", "png"} {
		if !bytes.Equal(read("a."+ext), read("b."+ext)) {
			t.Errorf("two saves of one figure differ (%s)", ext)
		}
	}
	if err := f.Save(filepath.Join(dir, "c.pdf")); err == nil || !strings.Contains(err.Error(), ".png, .svg") {
		t.Errorf("Save .pdf: %v, want an error naming the formats", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "c.pdf")); !os.IsNotExist(err) {
		t.Error("a failed save left a file")
	}
}

func TestWriteFileAtomicLeavesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.svg")
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("partial ", 10000))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("a failed write left %v", entries)
	}

	// An existing file keeps its content when a rewrite fails, and gets
	// the new one, whole, when it succeeds.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after a failed rewrite the file holds %q", b)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after a rewrite the file holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the file", len(entries))
	}
	// A directory that does not exist: an error, nothing created.
	if err := WriteFileAtomic(filepath.Join(dir, "no", "such.svg"), func(io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory gave no error")
	}
}

func TestFormatOf(t *testing.T) {
	for in, want := range map[string]string{"x.png": "png", "a/b.SVG": "svg"} {
		if got, err := FormatOf(in); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"x", "x.pdf", "x.jpg"} {
		if _, err := FormatOf(in); err == nil {
			t.Errorf("FormatOf(%q) gave no error", in)
		}
	}
}

func TestTTCCDFLogAxisForLongTails(t *testing.T) {
	s := TTCSeries{Label: "no limit", TTC: []time.Duration{100 * time.Millisecond, 300 * time.Second}, Trials: 3}
	f, err := TTCCDF([]TTCSeries{s}, "")
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, f), "time from Connect to onSuccess (s, log scale)", "0.1", "100", "no limit: 66.7% connected")
	s.TTC = []time.Duration{100 * time.Millisecond, 5150 * time.Millisecond}
	if f, _ = TTCCDF([]TTCSeries{s}, ""); strings.Contains(svgText(svgOf(t, f)), "log scale") {
		t.Error("a short span got a log axis")
	}
}

func TestSharePercent(t *testing.T) {
	for v, want := range map[float64]string{1: "100.0%", 0.9999: ">99.9%", 0.4859: "48.6%", 0: "0.0%", 0.0001: "<0.1%"} {
		if got := sharePercent(v); got != want {
			t.Errorf("sharePercent(%v) = %q, want %q", v, got, want)
		}
	}
}
