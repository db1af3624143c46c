package review

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rcsim/connsim/internal/browsertest"
)

// TestReportInBrowser opens a review's index.html in headless Chromium:
// it loads from file:// with no request outside its directory and no
// console error, every figure renders with a size, and every value in the
// tables is the one in review.json, formatted as the report formats it.
func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, "testdata/small.yaml")
	r, err := Run(context.Background(), s, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeAll(t, r, dir)
	b := browsertest.New(t)
	b.Open(t, filepath.Join(dir, "index.html"), "#reproduce")

	sizes := browsertest.Eval[[][]float64](t, b, `[...document.querySelectorAll("figure svg")].map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })`)
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	inline, timelines := 0, 0 // figures drawn inline; trace timelines
	for _, f := range figs {
		if f.SVG != "" {
			inline++
		}
	}
	for _, x := range r.Experiments {
		timelines += len(tracesOf(r, x.Name))
	}
	if timelines == 0 {
		t.Fatal("the sample review has no trace experiment")
	}
	if len(sizes) != inline {
		t.Errorf("%d figures; want every inline figure (%d)", len(sizes), inline)
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("iframe.timeline").length`); n != timelines {
		t.Errorf("%d embedded timelines; want one per alternative of each trace experiment (%d)", n, timelines)
	}
	for i, sz := range sizes {
		if sz[0] <= 0 || sz[1] <= 0 {
			t.Errorf("figure %d renders at %v x %v", i, sz[0], sz[1])
		}
	}
	js := reviewJSON(t, filepath.Join(dir, "review.json"))
	// cell checks that the cell sel shows m's value v as review.json has it.
	cell := func(sel string, m MeasureResult, v Value) {
		if v.Never {
			v.Est = 0
		}
		want := fmtVal(v, m.Unit)
		got := browsertest.Eval[string](t, b, fmt.Sprintf(`(e => e ? e.textContent : "missing")(document.querySelector(%q))`, sel))
		if got != want {
			t.Errorf("%s: the page shows %q; review.json says %q", sel, got, want)
		}
	}
	cells, sweeps := 0, 0
	for xi, x := range js.Experiments {
		for _, m := range x.Measures {
			for ai, v := range m.Values {
				cell(fmt.Sprintf(`table.measure[data-exp="%d"][data-measure="%s"] td.v[data-alt="%d"]`, xi, m.Name, ai), m, v)
				cells++
			}
		}
		for pi, p := range x.Points {
			for _, m := range p.Measures {
				for ai, v := range m.Values {
					cell(fmt.Sprintf(`table.sweep[data-exp="%d"][data-measure="%s"] td.v[data-point="%d"][data-alt="%d"]`, xi, m.Name, pi, ai), m, v)
					sweeps++
				}
			}
		}
	}
	if sweeps == 0 {
		t.Error("no sweep table cells compared: the sample review has no sweep")
	}
	if cells == 0 {
		t.Fatal("no table cells compared")
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll(".property-verdict").length`); n == 0 {
		t.Error("no property verdicts")
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("li.verdict").length`); n == 0 {
		t.Error("no verdict lines")
	}
	b.Screenshot(t, "connsim-review.png")

	// Each trace experiment's timeline is the viewer's page, with the
	// shown trial's records.
	for _, x := range r.Experiments {
		for _, tr := range tracesOf(r, x.Name) {
			checkTracePage(t, b, dir, tr)
		}
	}
	b.Screenshot(t, "connsim-review-trace.png")
	b.CheckQuiet(t, dir)
}

// TestExploreFindingInBrowser: the shortest path to an explore
// experiment's violation opens as the viewer's page, with the path's
// records, and the report links it.
func TestExploreFindingInBrowser(t *testing.T) {
	t.Parallel()
	_, r := runReview(t, "r.yaml", "r.yaml", "title: t\nalternatives:\n  - name: plain\n    params: {}\n  - name: clears\n    params: {quirk: multi-connect-clears}\n"+
		"experiments:\n  - name: core\n    kind: explore\n    depth: 5\n", 1)
	pages := looks(r)
	if len(pages) == 0 {
		t.Fatal("no finding to show: the quirk should violate a property")
	}
	dir := t.TempDir()
	writeAll(t, r, dir)
	b := browsertest.New(t)
	b.Open(t, filepath.Join(dir, "index.html"), "#reproduce")
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("iframe.trace").length`); n != len(pages) {
		t.Errorf("%d pages embedded; want the %d findings", n, len(pages))
	}
	for _, p := range pages {
		checkTracePage(t, b, dir, p)
	}
	b.CheckQuiet(t, dir)
}

// checkTracePage opens trace page tr of the report in dir: it holds the
// trace's records and its timeline has a size.
func checkTracePage(t *testing.T, b *browsertest.Browser, dir string, tr Trace) {
	t.Helper()
	b.Open(t, filepath.Join(dir, tr.File), "#timeline")
	if n := browsertest.Eval[int](t, b, `window.connsimViewer.records`); n != len(tr.recs) {
		t.Errorf("%s holds %d records; want the trace's %d", tr.File, n, len(tr.recs))
	}
	size := browsertest.Eval[[]float64](t, b, `(r => [r.width, r.height])(document.getElementById("timeline").getBoundingClientRect())`)
	if size[0] <= 0 || size[1] <= 0 {
		t.Errorf("%s: the timeline renders at %v x %v", tr.File, size[0], size[1])
	}
}
