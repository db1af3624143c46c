package plots

import (
	"strconv"
	"strings"

	lfsm "github.com/looplab/fsm"
	"github.com/rcsim/connsim/fsm"
)

// DOT returns the Graphviz DOT form of m from looplab/fsm's Visualize
// (edges sorted by source and event, so the text is deterministic), with
// each status labelled with its name and listener value. The current
// state (UNCONNECTED for a fresh fsm.NewMachine) is red, as Visualize
// draws it.
func DOT(m *lfsm.FSM) string {
	lines := strings.SplitAfter(lfsm.Visualize(m), "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		// State lines: `"NAME";` or `"NAME" [color = "red"];`.
		if !strings.HasPrefix(t, `"`) || strings.Contains(t, "->") {
			continue
		}
		name, rest, ok := strings.Cut(t[1:], `"`)
		s, known := fsm.ParseStatus(name)
		if !ok || !known {
			continue
		}
		label := `label = "` + name + `\nvalue ` + strconv.Itoa(int(s)) + `"`
		rest = strings.TrimSuffix(strings.TrimSpace(rest), ";")
		if attrs, ok := strings.CutPrefix(rest, "["); ok {
			label = strings.TrimSuffix(strings.TrimSpace(attrs), "]") + ", " + label
		}
		lines[i] = `    "` + name + `" [` + label + "];\n"
	}
	return strings.Join(lines, "")
}

// Mermaid returns the Mermaid stateDiagram-v2 form of m from looplab/fsm's
// visualizer (deterministic, like DOT), followed by one description line
// per status giving its listener value, e.g. "CONNECTED : value 0".
func Mermaid(m *lfsm.FSM) (string, error) {
	out, err := lfsm.VisualizeForMermaidWithGraphType(m, lfsm.StateDiagram)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(out)
	for _, s := range fsm.AllStatuses {
		b.WriteString("    " + s.String() + " : value " + strconv.Itoa(int(s)) + "\n")
	}
	return b.String(), nil
}
