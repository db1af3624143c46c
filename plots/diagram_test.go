package plots

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

// edgeSet returns every (event, src, dst) of edges.
func edgeSet(edges []fsm.Edge) map[string]bool {
	m := map[string]bool{}
	for _, e := range edges {
		for _, s := range e.From {
			m[e.Event+" "+s+" "+e.To] = true
		}
	}
	return m
}

func TestDiagramArrowsCoverEveryEdge(t *testing.T) {
	arrows, err := DiagramArrows(fsm.Edges)
	if err != nil {
		t.Fatal(err)
	}
	want := edgeSet(fsm.Edges)
	got := map[string]bool{}
	groups := 0
	for _, a := range arrows {
		if a.Src == groupActive || a.Src == groupStopped {
			groups++
		}
		for _, s := range a.Srcs {
			k := a.Event + " " + s.String() + " " + a.Dst.String()
			if got[k] {
				t.Errorf("edge %s drawn twice", k)
			}
			got[k] = true
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("edge %s not drawn", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("arrow %s is no edge of fsm.Edges", k)
		}
	}
	// connect, connect_offline (from every stopped status), disconnect
	// (from every active one).
	if groups != 3 {
		t.Errorf("%d group arrows, want 3", groups)
	}
}

// The hand layout covers the current table: every arrow has its route,
// and no route is stale.
func TestDiagramLayoutComplete(t *testing.T) {
	arrows, _ := DiagramArrows(fsm.Edges)
	used := map[string]bool{}
	for _, a := range arrows {
		k := a.Src + ">" + a.Dst.String()
		if _, ok := routes[k]; !ok {
			t.Errorf("no route for %s (%s)", k, a.Event)
		}
		used[k] = true
	}
	for k := range routes {
		if !used[k] {
			t.Errorf("route %s is for no arrow", k)
		}
	}
	// Nodes inside the canvas and apart from each other.
	for _, s := range fsm.AllStatuses {
		c, ok := nodeAt[s]
		if !ok {
			t.Fatalf("no place for %v", s)
		}
		hw, hh := halfSize(s)
		if c.X-hw < 0 || c.X+hw > diagramW || c.Y-hh < 0 || c.Y+hh > diagramH {
			t.Errorf("%v outside the canvas", s)
		}
		for _, o := range fsm.AllStatuses {
			d := nodeAt[o]
			ow, oh := halfSize(o)
			if o != s && abs64(c.X-d.X) < hw+ow+0.1 && abs64(c.Y-d.Y) < hh+oh+0.1 {
				t.Errorf("%v and %v overlap", s, o)
			}
		}
	}
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestStateDiagramSVG(t *testing.T) {
	d, err := StateDiagram(fsm.Edges, "caption of the diagram")
	if err != nil {
		t.Fatal(err)
	}
	txt := svgText(svgOf(t, d))
	joined := strings.ReplaceAll(txt, "_\n", "_") // names split over two lines
	for _, s := range fsm.AllStatuses {
		if !strings.Contains(joined, s.String()+"\n") {
			t.Errorf("no node %s", s)
		}
		if !strings.Contains(txt, "value "+strconv.Itoa(int(s))+"\n") {
			t.Errorf("no value of %s", s)
		}
	}
	for _, e := range fsm.Edges {
		if !strings.Contains(txt, e.Event) {
			t.Errorf("no label %s", e.Event)
		}
	}
	for _, w := range []string{"Connection status machine (fsm.Edges)", "caption of the diagram", activeNote, stoppedNote} {
		if !strings.Contains(txt, w) {
			t.Errorf("no text %q", w)
		}
	}
}

// A changed table still draws: unknown arrows go straight.
func TestStateDiagramOtherTable(t *testing.T) {
	edges := append([]fsm.Edge{}, fsm.Edges[2:]...)
	edges = append(edges, fsm.Edge{Event: "odd", From: []string{fsm.Timeout.String()}, To: fsm.Suspend.String()})
	d, err := StateDiagram(edges, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svgText(svgOf(t, d)), "odd") {
		t.Error("the unknown arrow has no label")
	}
	if _, err := StateDiagram([]fsm.Edge{{Event: "x", From: []string{"NOPE"}, To: "CONNECTED"}}, ""); err == nil {
		t.Error("an unknown status gave no error")
	}
}

func TestDOTAndMermaidHaveEveryEdgeAndValue(t *testing.T) {
	dot := DOT(fsm.Edges)
	mer, err := Mermaid(fsm.Edges)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fsm.Edges {
		for _, s := range e.From {
			if l := fmt.Sprintf(`"%s" -> "%s" [ label = "%s" ];`, s, e.To, e.Event); !strings.Contains(dot, l) {
				t.Errorf("DOT lacks %s", l)
			}
			if l := fmt.Sprintf("%s --> %s: %s\n", s, e.To, e.Event); !strings.Contains(mer, l) {
				t.Errorf("Mermaid lacks %s", l)
			}
		}
	}
	for _, s := range fsm.AllStatuses {
		if l := fmt.Sprintf(`label = "%s\nvalue %d"];`, s, s); !strings.Contains(dot, l) {
			t.Errorf("DOT lacks %s", l)
		}
		if l := fmt.Sprintf("%s : value %d\n", s, s); !strings.Contains(mer, l) {
			t.Errorf("Mermaid lacks %s", l)
		}
	}
	if DOT(fsm.Edges) != dot {
		t.Error("DOT is not deterministic")
	}
	if !strings.HasPrefix(dot, "digraph fsm {") || !strings.HasPrefix(mer, "stateDiagram-v2\n") {
		t.Error("unexpected headers")
	}
}
