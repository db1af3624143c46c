package plots

import (
	"strconv"
	"strings"

	lfsm "github.com/looplab/fsm"
	"github.com/rcsim/connsim/fsm"
)

// machine is a looplab/fsm machine over edges, in the status UNCONNECTED
// as profile p names it (nil: android), for looplab's visualizers.
func machine(edges []fsm.Edge, p *fsm.Profile) *lfsm.FSM {
	events := make(lfsm.Events, len(edges))
	for i, e := range edges {
		events[i] = lfsm.EventDesc{Name: e.Event, Src: e.From, Dst: e.To}
	}
	return lfsm.NewFSM(p.StatusName(fsm.Unconnected), events, nil)
}

// DOT returns the Graphviz DOT form of the machine over edges (normally
// fsm.Edges) from looplab/fsm's Visualize (edges sorted by source and
// event, so the text is deterministic), with each status labelled with its
// name and listener value. The initial state, UNCONNECTED, is red, as
// Visualize draws the current state.
func DOT(edges []fsm.Edge) string { return DOTProfile(edges, nil) }

// DOTProfile is DOT for a machine whose states are named as profile p
// publishes them (fsm.Profile.PublishedEdges; nil: android).
func DOTProfile(edges []fsm.Edge, p *fsm.Profile) string {
	lines := strings.SplitAfter(lfsm.Visualize(machine(edges, p)), "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		// State lines: `"NAME";` or `"NAME" [color = "red"];`.
		if !strings.HasPrefix(t, `"`) || strings.Contains(t, "->") {
			continue
		}
		name, rest, ok := strings.Cut(t[1:], `"`)
		s, known := p.ParseStatus(name, 0)
		if !ok || !known {
			continue
		}
		label := `label = "` + name + `\nvalue ` + strconv.Itoa(p.StatusValue(s)) + `"`
		rest = strings.TrimSuffix(strings.TrimSpace(rest), ";")
		if attrs, ok := strings.CutPrefix(rest, "["); ok {
			label = strings.TrimSuffix(strings.TrimSpace(attrs), "]") + ", " + label
		}
		lines[i] = `    "` + name + `" [` + label + "];\n"
	}
	return strings.Join(lines, "")
}

// Mermaid returns the Mermaid stateDiagram-v2 form of the machine over
// edges from looplab/fsm's visualizer (deterministic, like DOT), followed
// by one description line per status giving its listener value, e.g.
// "CONNECTED : value 0".
func Mermaid(edges []fsm.Edge) (string, error) { return MermaidProfile(edges, nil) }

// MermaidProfile is Mermaid for a machine whose states are named as
// profile p publishes them (nil: android); one value line per published
// status of the profile.
func MermaidProfile(edges []fsm.Edge, p *fsm.Profile) (string, error) {
	out, err := lfsm.VisualizeForMermaidWithGraphType(machine(edges, p), lfsm.StateDiagram)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(out)
	seen := map[string]bool{}
	for _, s := range p.Or().Statuses() {
		if n := p.StatusName(s); !seen[n] {
			seen[n] = true
			b.WriteString("    " + n + " : value " + strconv.Itoa(p.StatusValue(s)) + "\n")
		}
	}
	return b.String(), nil
}
