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
	if len(sizes) != len(r.Experiments) {
		t.Errorf("%d figures; want one per experiment (%d)", len(sizes), len(r.Experiments))
	}
	for i, sz := range sizes {
		if sz[0] <= 0 || sz[1] <= 0 {
			t.Errorf("figure %d renders at %v x %v", i, sz[0], sz[1])
		}
	}
	js := reviewJSON(t, filepath.Join(dir, "review.json"))
	cells := 0
	for xi, x := range js.Experiments {
		for _, m := range x.Measures {
			for ai, v := range m.Values {
				if v.Never {
					v.Est = 0
				}
				want := fmtVal(v, m.Unit)
				sel := fmt.Sprintf(`table.measure[data-exp="%d"][data-measure="%s"] td.v[data-alt="%d"]`, xi, m.Name, ai)
				got := browsertest.Eval[string](t, b, fmt.Sprintf(`(e => e ? e.textContent : "missing")(document.querySelector(%q))`, sel))
				if got != want {
					t.Errorf("%s: the page shows %q; review.json says %q", sel, got, want)
				}
				cells++
			}
		}
	}
	if cells == 0 {
		t.Fatal("no table cells compared")
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("li.verdict").length`); n == 0 {
		t.Error("no verdict lines")
	}
	b.Screenshot(t, "connsim-review.png")
	b.CheckQuiet(t, dir)
}
