package conformance

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

var update = flag.Bool("update", false, "rewrite the scenario table of docs/conformance.md")

// modelArgs are the arguments every model run gets before the scenario's.
var modelArgs = []string{"trace", "--profile", "web", "--attempt", "full", "--detail=false"}

const (
	docPath    = "../docs/conformance.md"
	tableBegin = "<!-- table:begin (go test ./conformance -run TestTable -update) -->\n"
	tableEnd   = "<!-- table:end -->\n"
)

// buildSim builds the sim binary into a temporary directory.
func buildSim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sim")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sim")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/sim: %v\n%s", err, out)
	}
	return bin
}

// modelTrace runs the model on a scenario's arguments (from the repository
// root, where they name their files) and returns its records.
func modelTrace(t *testing.T, sim string, args string) []trace.Record {
	t.Helper()
	cmd := exec.Command(sim, append(append([]string{}, modelArgs...), strings.Fields(args)...)...)
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sim %s %s: %v\n%s", strings.Join(modelArgs, " "), args, err, stderr.Bytes())
	}
	recs, err := trace.ReadJSONLProfile(bytes.NewReader(out), fsm.ProfileWeb)
	if err != nil {
		t.Fatalf("sim %s: %v", args, err)
	}
	return recs
}

// TestTable compares the real engine (its golden traces, which
// TestEngineTraces checks against fresh runs) with the model on every
// scenario and checks that docs/conformance.md shows that table; -update
// rewrites it.
func TestTable(t *testing.T) {
	skipShort(t)
	m := manifest(t)
	sim := buildSim(t)
	var b strings.Builder
	b.WriteString(tableBegin)
	b.WriteString("| scenario | real engine: statuses; results | model: statuses; results | verdict |\n| --- | --- | --- | --- |\n")
	for _, sc := range m {
		data, err := os.ReadFile(filepath.Join("web", "golden", sc.Name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := trace.ReadJSONLProfile(bytes.NewReader(data), fsm.ProfileWeb)
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		eng := Summarize(recs)
		cfg := WebConfig()
		if sc.Model != nil {
			cfg = ScenarioConfig(*sc.Model)
		}
		engViol, _ := Violated(cfg, recs)
		cell := func(s Summary) string {
			return fmt.Sprintf("%s; %s", StatusLine(s.Labels), results(s.Results))
		}
		modelCell, verdict := "no model input", "engine only"
		if sc.Model != nil {
			mrecs := modelTrace(t, sim, *sc.Model)
			mod := Summarize(mrecs)
			modelCell = cell(mod)
			modViol, _ := Violated(cfg, mrecs)
			if d := Diff(eng, mod); len(d) == 0 {
				verdict = "match"
			} else {
				verdict = "differs: " + strings.Join(d, "; ")
			}
			if only := minus(engViol, modViol); len(only) > 0 {
				verdict += "; engine trace flagged by " + strings.Join(only, ", ")
			}
		} else if len(engViol) > 0 {
			verdict += "; flagged by " + strings.Join(engViol, ", ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", sc.Name, cell(eng), modelCell, verdict)
	}
	b.WriteString(tableEnd)
	table := b.String()

	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(doc, []byte(tableBegin))
	j := bytes.Index(doc, []byte(tableEnd))
	if i < 0 || j < i {
		t.Fatalf("%s has no table markers %q ... %q", docPath, tableBegin, tableEnd)
	}
	if cur := string(doc[i : j+len(tableEnd)]); cur != table {
		if !*update {
			t.Fatalf("the scenario table of %s is stale (the engine's traces, the model or the checkers changed): regenerate it with\n  go test ./conformance -run TestTable -update\nand review the diff. New table:\n%s", docPath, table)
		}
		out := append(append(append([]byte{}, doc[:i]...), table...), doc[j+len(tableEnd):]...)
		if err := os.WriteFile(docPath, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
