package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/internal/testsize"
)

// regenScript is the script that regenerates docs/figures; TestFigures runs
// its commands, so the script is the one list of the figures' commands.
const regenScript = "../../docs/figures/regen.sh"

// regenCommand is one command line of regen.sh: its words with $F
// replaced by docs/figures; whether it is a `sim` command (TestFigures
// runs those; another, such as cmd/tcpcheck's, is its own package's test);
// and whether it sits in the script's STORM block (indented: the
// million-client storms, run only on request).
type regenCommand struct {
	line  int
	args  []string
	sim   bool
	storm bool
}

// regenCommands reads the command lines of regen.sh. A line's words are
// split at blanks, single quotes group, and a redirection ends the words.
func regenCommands(t *testing.T) []regenCommand {
	t.Helper()
	b, err := os.ReadFile(regenScript)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []regenCommand
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		sim := strings.HasPrefix(trimmed, "sim ")
		if !sim && !strings.HasPrefix(trimmed, "go run ./cmd/") {
			continue
		}
		words := shellWords(t, trimmed)
		for j, w := range words {
			words[j] = strings.ReplaceAll(w, "$F", "docs/figures")
		}
		cmds = append(cmds, regenCommand{line: i + 1, args: words[1:], sim: sim, storm: trimmed != line})
	}
	if len(cmds) == 0 {
		t.Fatalf("%s has no sim command", regenScript)
	}
	return cmds
}

// shellWords splits one line of regen.sh as sh would for the forms the
// script uses: blanks separate, '...' quotes, '>' or '#' ends the command.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			w.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case r == '>' || r == '#':
			if inWord {
				words = append(words, w.String())
			}
			return words
		case r == '"' || r == '`':
			t.Fatalf("regen.sh: %q: TestFigures reads no double quotes or backquotes", line)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("regen.sh: %q: unclosed quote", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// mirrorModule makes a directory that looks like the module root to a
// command run in it: every entry of the root is a symbolic link to the
// real one, except docs/figures, which is an empty directory. A command of
// regen.sh run there reads its inputs (scenario files, traces) by the
// same relative paths and writes its figures into the copy, with the same
// arguments, so the captions that repeat the command are the same.
func mirrorModule(t *testing.T) (dir string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	link := func(from, to string) {
		entries, err := os.ReadDir(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() == "docs" || e.Name() == "figures" && filepath.Base(from) == "docs" {
				continue
			}
			if err := os.Symlink(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	link(root, dir)
	if err := os.MkdirAll(filepath.Join(dir, "docs", "figures"), 0o755); err != nil {
		t.Fatal(err)
	}
	link(filepath.Join(root, "docs"), filepath.Join(dir, "docs"))
	return dir
}

var figuresUpdate = flag.Bool("figures.update", false, "TestFigures writes the figures it regenerates into docs/figures")

// TestFigures runs every sim command of docs/figures/regen.sh in process,
// with the script's arguments, and fails when a file it writes differs
// from the one in docs/figures, or when docs/figures holds a file that no
// command writes: a figure or CSV of the docs is what the code draws today.
// The million-client storms of the script's STORM block (minutes of CPU
// each) are not run: `STORM=1 docs/figures/regen.sh` redraws them, and
// docs/design-reviews.md says when they and their tables were last
// checked. `-figures.update` (or regen.sh) rewrites the figures.
func TestFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("the figures of docs/figures: not with -short")
	}
	full := testsize.Full(t)
	cmds := regenCommands(t)
	want, err := filepath.Abs("../../docs/figures")
	if err != nil {
		t.Fatal(err)
	}
	dir := mirrorModule(t)
	t.Chdir(dir)
	written := map[string]bool{"regen.sh": true}
	for _, c := range cmds {
		if c.storm {
			// What the STORM block writes: the storm figures' names.
			for _, a := range c.args {
				if strings.HasPrefix(a, "docs/figures") {
					markStormFigures(t, want, strings.TrimPrefix(strings.TrimPrefix(a, "docs/figures"), "/"), written)
				}
			}
			continue
		}
		if !c.sim {
			markNamed(c.args, written)
			continue
		}
		if !full && c.args[0] == "sweep" && !hasFlag(c.args, "--loss") {
			// The default grid (40 points of 20,000 trials): full size only.
			markNamed(c.args, written)
			continue
		}
		if code, _, stderr := runCLI(c.args...); code != 0 {
			t.Errorf("regen.sh:%d: sim %s: exit %d: %s", c.line, strings.Join(c.args, " "), code, stderr)
			continue
		}
	}
	got := filepath.Join(dir, "docs", "figures")
	err = filepath.WalkDir(got, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(got, path)
		written[rel] = true
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		old, _ := os.ReadFile(filepath.Join(want, rel))
		if bytes.Equal(b, old) {
			return nil
		}
		if *figuresUpdate {
			return os.WriteFile(filepath.Join(want, rel), b, 0o644)
		}
		t.Errorf("docs/figures/%s is stale (%d bytes, regenerated %d): run docs/figures/regen.sh and review the figure and the prose that quotes it", rel, len(old), len(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(want, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(want, path); !written[rel] {
			t.Errorf("docs/figures/%s: no command of regen.sh writes it", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// markNamed marks the files that a command not run names under
// docs/figures as written.
func markNamed(args []string, written map[string]bool) {
	for _, a := range args {
		if rel, ok := strings.CutPrefix(a, "docs/figures/"); ok {
			written[rel] = true
		}
	}
}

// markStormFigures marks the storm_*.png files in docs/figures/sub as
// written: `sim storm --plot DIR` names its figures itself.
func markStormFigures(t *testing.T, figures, sub string, written map[string]bool) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(figures, sub, "storm_*.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(figures, f)
		written[rel] = true
	}
}
