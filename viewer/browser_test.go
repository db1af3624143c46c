package viewer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rcsim/connsim/internal/browsertest"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/viewer"
	"github.com/rcsim/connsim/vocab"
)

// sampleTrace is a trial with reconnections, messages and pushes, and one
// record doubled so that P1 (never two terminal callbacks) is violated.
func sampleTrace(t *testing.T) ([]trace.Record, []properties.Violation) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	p.TimeLimit = 0
	p.Msg.Rate = 0.1
	p.Horizon = 3 * time.Minute
	p.Detail = true
	w := sim.NewWorld(p, model.DefaultScenario())
	w.Run(1, 2)
	recs := append([]trace.Record(nil), w.Recs...)
	for i, r := range recs {
		if r.Kind == trace.KCallback && r.Name == vocab.CbSuccess {
			dup := r
			recs = append(recs[:i+1], append([]trace.Record{dup}, recs[i+1:]...)...)
			break
		}
	}
	vs := properties.Check(properties.ConfigForParams(p), recs)
	if len(vs) == 0 {
		t.Fatal("the sample trace has no violation to show")
	}
	return recs, vs
}

func writePage(t *testing.T, name string, p viewer.Page) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := viewer.Write(f, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestViewerInBrowser opens a trace page in headless Chromium and checks
// what a user relies on: it loads from file:// with no request and no
// console error, the timeline has a size, every violation is listed and
// highlighted, hovering a record shows its fields, search finds records,
// and a screenshot is kept in $TMPDIR.
func TestViewerInBrowser(t *testing.T) {
	t.Parallel()
	recs, vs := sampleTrace(t)
	path := writePage(t, "trace.html", viewer.Page{Title: "sample trace", Records: recs, Violations: vs})
	b := browsertest.New(t)
	b.Open(t, path, "#timeline")

	if n := browsertest.Eval[int](t, b, `window.connsimViewer.records`); n != len(recs) {
		t.Errorf("the page holds %d records; want %d", n, len(recs))
	}
	size := browsertest.Eval[[]float64](t, b, `(r => [r.width, r.height])(document.getElementById("timeline").getBoundingClientRect())`)
	if size[0] <= 0 || size[1] <= 0 {
		t.Errorf("the timeline renders at %v x %v", size[0], size[1])
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#violations li.violation").length`); n != len(vs) {
		t.Errorf("%d violations listed; want %d", n, len(vs))
	}

	// Hover the attempt record farthest in time from any other (an
	// attempt's start and its steps come within round trips of each
	// other, and the later record is drawn on top): its fields show in
	// the tooltip.
	att, best := -1, time.Duration(-1)
	for i, r := range recs {
		if r.Kind != trace.KAttempt {
			continue
		}
		gap := time.Duration(1<<63 - 1)
		for j, o := range recs {
			if j != i && o.Kind == trace.KAttempt {
				gap = min(gap, max(o.T-r.T, r.T-o.T))
			}
		}
		if gap > best {
			att, best = i, gap
		}
	}
	pos := browsertest.Eval[map[string]float64](t, b, fmt.Sprintf(`window.connsimViewer.posOf(%d)`, att))
	if err := chromedp.Do(b.Ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pos["x"], pos["y"])); err != nil {
		t.Fatal(err)
	}
	tip := browsertest.Eval[string](t, b, `getComputedStyle(document.getElementById("tip")).display + "|" + document.getElementById("tip").textContent`)
	if want := fmt.Sprintf("block|record %d\n", att); !strings.HasPrefix(tip, want) || !strings.Contains(tip, `kind: "attempt"`) {
		t.Errorf("hovering record %d shows %q; want its fields (%q...)", att, tip, want)
	}

	// A violation's link selects and centers its record and says why.
	if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS("#violations li.violation a"))); err != nil {
		t.Fatal(err)
	}
	detail := browsertest.Eval[string](t, b, `document.getElementById("detail").textContent`)
	if !strings.Contains(detail, fmt.Sprintf("record %d\n", vs[0].Index)) || !strings.Contains(detail, "VIOLATION "+vs[0].Property) {
		t.Errorf("after clicking the first violation the record panel shows %q; want record %d and its violation", detail, vs[0].Index)
	}
	view := browsertest.Eval[[]float64](t, b, `window.connsimViewer.view()`)
	if vt := vs[0].T.Seconds(); vt < view[0] || vt > view[1] {
		t.Errorf("the view %v does not show the violation at %v s", view, vt)
	}

	// Search.
	if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#search"), "onSuccess")); err != nil {
		t.Fatal(err)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("matches").textContent`); !strings.HasSuffix(got, "matches") || strings.HasPrefix(got, "0 ") {
		t.Errorf("searching onSuccess says %q; want the matches counted", got)
	}

	b.Screenshot(t, "connsim-viewer.png")
	b.CheckQuiet(t, path)
}

// TestViewerLargeTrace opens a page of 100,000 records and checks that it
// loads without error and that a full redraw stays interactive (the time
// is measured in the page and logged; the bound is loose, for a loaded
// machine).
func TestViewerLargeTrace(t *testing.T) {
	t.Parallel()
	p := model.DefaultParams()
	p.TimeLimit = 0
	p.Msg.Rate = 20
	p.Horizon = 30 * time.Minute
	w := sim.NewWorld(p, model.DefaultScenario())
	w.Run(1, 0)
	// Copies of the trial, each shifted after the one before, up to
	// 100,000 records.
	one := w.Recs
	span := one[len(one)-1].T + time.Second
	recs := make([]trace.Record, 0, 100000)
	for k := time.Duration(0); len(recs) < 100000; k++ {
		for _, r := range one {
			if len(recs) == 100000 {
				break
			}
			r.T += k * span
			recs = append(recs, r)
		}
	}
	path := writePage(t, "large.html", viewer.Page{Title: "large", Records: recs})
	b := browsertest.New(t)
	start := time.Now()
	b.Open(t, path, "#timeline")
	t.Logf("100,000 records: page loaded in %v", time.Since(start))
	ms := browsertest.Eval[float64](t, b, `(() => { const t0 = performance.now(); for (let i = 0; i < 5; i++) window.dispatchEvent(new Event("resize")); return (performance.now() - t0) / 5; })()`)
	t.Logf("100,000 records: a full redraw takes %.1f ms", ms)
	if ms > 2000 {
		t.Errorf("a full redraw of 100,000 records takes %.0f ms; want well under a second on an idle machine", ms)
	}
	b.CheckQuiet(t, path)
}
