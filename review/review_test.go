package review

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rcsim/connsim/internal/testsize"
)

func loadSpec(t *testing.T, path string) *Spec {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runReview parses a review file's text (at path, named file) and runs
// it with the given workers.
func runReview(t *testing.T, path, file, text string, workers int) (*Spec, *Result) {
	t.Helper()
	s, err := ParseAs(path, file, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), s, Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// writeAll renders every output of a review into dir.
func writeAll(t *testing.T, r *Result, dir string) {
	t.Helper()
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]func(*bytes.Buffer) error{
		"index.html":  func(b *bytes.Buffer) error { return WriteHTML(b, r, figs) },
		"review.json": func(b *bytes.Buffer) error { return WriteJSON(b, r) },
		"review.md":   func(b *bytes.Buffer) error { return WriteMarkdown(b, r, figs) },
	}
	for _, tr := range r.Traces {
		files[tr.File] = func(b *bytes.Buffer) error { return WriteTrace(b, tr) }
	}
	for name, f := range files {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range figs {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.PNG, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeterministicAtAnyWorkers: the same review file gives the same
// bytes with 1 and 3 workers.
func TestDeterministicAtAnyWorkers(t *testing.T) {
	s := loadSpec(t, "testdata/small.yaml")
	var outs [2][]byte
	for i, w := range []int{1, 3} {
		r, err := Run(context.Background(), s, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		figs, err := Figures(r)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&b, r, figs); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&b, r, figs); err != nil {
			t.Fatal(err)
		}
		outs[i] = b.Bytes()
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("the report differs between 1 and 3 workers")
	}
}

// TestParseErrors: a bad review file is named with its line before any
// work.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"title: t\nalternatives:\n  - name: a\n    params: {policy: rc}\n", "r.yaml:2: alternatives: must list 2 to 8 alternatives (got 1)"},
		{"title: t\nalternatives:\n  - name: a\n    params: {policy: rc}\n  - name: b\n    params: {loss: 2}\nexperiments:\n  - name: x\n    kind: run\n    trials: 10\n", "r.yaml:6: params.loss: must be between 0 and 1"},
		{"title: t\nalternatives:\n  - name: a\n    params: {policy: rc}\n  - name: b\n    params: {lossy: 0.1}\nexperiments:\n  - name: x\n    kind: run\n    trials: 10\n", "r.yaml:6: params.lossy: unknown parameter"},
		{"title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {}\nexperiments:\n  - name: x\n    kind: poll\n", `experiments[0].kind: must be ` + kinds + ` (got "poll")`},
		{"title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {}\nexperiments:\n  - name: x\n    kind: run\n    trials: 0\n", "experiments[0].trials: must be between 1 and 1000000 (got 0)"},
		{"title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {}\nexperiments:\n  - name: x\n    kind: run\n    trials: 5\n    measures: [speed]\n", `unknown measure "speed" for kind run`},
		{"title: t\nbogus: 1\n", "field bogus not found"},
	} {
		_, err := Parse("r.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", c.yaml, err, c.want)
		}
	}
}

// TestMeasuresRankAndTest: the ranking puts the best first and the
// two-proportion test marks a small difference as not significant.
func TestMeasuresRankAndTest(t *testing.T) {
	m := runMeasures["success"]
	a := Value{Est: 50, n: 1000, k: 500}
	b := Value{Est: 51, n: 1000, k: 510}
	c := Value{Est: 60, n: 1000, k: 600}
	if differs(m, a, b) {
		t.Error("500/1000 and 510/1000 differ significantly; they should not")
	}
	if !differs(m, a, c) {
		t.Error("500/1000 and 600/1000 do not differ significantly; they should")
	}
	r := compare("success", m, []Value{a, c, b}, []string{"a", "c", "b"})
	if r.Ranking[0] != 1 || r.Ranking[1] != 2 || r.Ranking[2] != 0 {
		t.Errorf("ranking %v; want c, b, a", r.Ranking)
	}
	if !strings.Contains(r.Verdict, "c is best (60.0%)") {
		t.Errorf("verdict %q", r.Verdict)
	}
	q := quantileCI([]int64{1e6, 2e6, 3e6, 4e6, 5e6, 6e6, 7e6, 8e6, 9e6, 10e6}, 0.5)
	if q.Est != 5 || q.Lo > q.Est || q.Hi < q.Est {
		t.Errorf("median of 1..10 ms = %+v; want 5 ms inside its interval", q)
	}
}

// fullSizeReviews are the reviews of docs/reviews that TestReviewsUpToDate
// regenerates only at full size (testsize): each takes more than a few
// seconds of CPU.
var fullSizeReviews = map[string]string{
	"policies.yaml": "27 storms of 10,000 clients: about 20 s of CPU",
}

// TestReviewsUpToDate regenerates every review of docs/reviews and
// compares its report with the one checked in (review.json, review.md and
// index.html); -update rewrites them (every review, whatever the size).
func TestReviewsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the project's reviews take a while")
	}
	specs, _ := filepath.Glob("../docs/reviews/*.yaml")
	if len(specs) == 0 {
		t.Fatal("no review files in docs/reviews")
	}
	for name := range fullSizeReviews {
		if !slices.Contains(specs, "../docs/reviews/"+name) {
			t.Errorf("fullSizeReviews names %s, which docs/reviews does not hold", name)
		}
	}
	for _, path := range specs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if why, ok := fullSizeReviews[filepath.Base(path)]; ok && !*update {
				testsize.SkipUnlessFull(t, why)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := ParseAs(path, strings.TrimPrefix(path, "../"), b)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Run(context.Background(), s, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			dir := strings.TrimSuffix(path, ".yaml")
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				writeAll(t, r, dir)
				return
			}
			got := t.TempDir()
			writeAll(t, r, got)
			for _, name := range []string{"review.json", "review.md", "index.html"} {
				want, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("%v; run go test ./review -run TestReviewsUpToDate -update", err)
				}
				have, _ := os.ReadFile(filepath.Join(got, name))
				if !bytes.Equal(have, want) {
					t.Errorf("%s/%s is stale; run go test ./review -run TestReviewsUpToDate -update", dir, name)
				}
			}
		})
	}
}

// reviewJSON reads a review.json back.
func reviewJSON(t *testing.T, path string) Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
