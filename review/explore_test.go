package review

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/fsm"
)

// TestExploreExperiment: an explore experiment's numbers are sim
// explore's for each alternative's quirks, its command reproduces them,
// and the shortest path to a violation is kept as a page.
func TestExploreExperiment(t *testing.T) {
	_, r := runReview(t, "r.yaml", "r.yaml", "title: t\nalternatives:\n  - name: plain\n    params: {}\n  - name: clears\n    params: {quirk: multi-connect-clears}\n"+
		"experiments:\n  - name: core\n    kind: explore\n    depth: 5\n    measures: [violations, states, status_edges]\n", 1)
	x := r.Experiments[0]
	for ai, q := range []fsm.Quirks{0, fsm.QuirkMultiConnectClears} {
		cfg := fsm.DefaultConfig()
		cfg.Quirks = q
		want := explore.Run(explore.Config{Depth: 5, Client: cfg})
		if got := x.Measures[0].Values[ai].Est; got != float64(want.Violations) {
			t.Errorf("alternative %d: %v violations; sim explore finds %d", ai, got, want.Violations)
		}
		if got := x.Measures[1].Values[ai].Est; got != float64(want.States) {
			t.Errorf("alternative %d: %v states; sim explore finds %d", ai, got, want.States)
		}
	}
	if x.Measures[0].Values[1].Est == 0 || x.Measures[0].Ranking[0] != 0 {
		t.Errorf("violations %+v: the quirk should violate and rank last", x.Measures[0])
	}
	if x.Commands[0] != "sim explore --attempt auth --depth 5" || x.Commands[1] != "sim explore --attempt auth --depth 5 --quirk multi-connect-clears" {
		t.Errorf("commands %q", x.Commands)
	}
	pages := looks(r)
	if len(pages) != 1 || pages[0].Alternative != "clears" || len(pages[0].recs) == 0 || !strings.Contains(pages[0].Note, "moves") {
		t.Errorf("pages %+v; want the shortest violation of the quirk's alternative", pages)
	}
}

// TestExploreParseErrors: an explore experiment's mistakes, named with
// their line.
func TestExploreParseErrors(t *testing.T) {
	head := "title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {}\nexperiments:\n"
	for _, c := range []struct{ yaml, want string }{
		{"  - name: x\n    kind: explore\n    depth: 10\n", "r.yaml:8: experiments[0].depth: must be between 1 and 9 (got 10)"},
		{"  - name: x\n    kind: explore\n    trials: 10\n", "r.yaml:8: experiments[0]: an explore experiment takes depth and the quirk parameter"},
		{"  - name: x\n    kind: run\n    trials: 10\n    depth: 3\n", "r.yaml:8: experiments[0].depth: is for kind explore"},
		{"  - name: x\n    kind: explore\n    measures: [success]\n", `unknown measure "success" for kind explore; known: edges, states, status_edges, violations`},
	} {
		_, err := Parse("r.yaml", []byte(head+c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", c.yaml, err, c.want)
		}
	}
}
