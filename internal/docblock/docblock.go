// Package docblock finds the command examples of the Markdown docs: a
// fenced code block whose first line is `$ COMMAND`, followed by the
// command's output as the docs quote it. The tests of each command
// (cmd/sim, cmd/tcpcheck) run the examples and compare, so a number the
// docs quote from a command is the one the command prints today. Only
// tests import this package.
package docblock

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Elision is an output line that stands for any number of lines (none
// included) of the command's real output.
const Elision = "..."

// Block is one command example.
type Block struct {
	File string   // the Markdown file, relative to the root given to Find
	Line int      // the line of the `$ ` prompt, from 1
	Args []string // the command's words after the prompt, continuation lines joined
	Want []string // the quoted output, one line each; empty: the command alone
}

// Where is FILE:LINE, for a test's message.
func (b Block) Where() string { return b.File + ":" + strconv.Itoa(b.Line) }

// Find returns the examples of README.md and every .md file under docs/
// in root whose command begins with prefix (such as "sim "), in file and
// line order.
func Find(root, prefix string) ([]Block, error) {
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, err := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, err
	}
	var blocks []Block
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, parse(f, string(b), prefix)...)
	}
	return blocks, nil
}

// parse returns the examples of one file's text.
func parse(file, text, prefix string) []Block {
	lines := strings.Split(text, "\n")
	var blocks []Block
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
			continue
		}
		// A fence opens here; find where it closes.
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " "))]
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
			end++
		}
		body := lines[i+1 : min(end, len(lines))]
		for j := range body {
			body[j] = strings.TrimPrefix(body[j], indent)
		}
		if len(body) > 0 && strings.HasPrefix(body[0], "$ "+prefix) {
			cmd, k := strings.TrimPrefix(body[0], "$ "), 1
			for strings.HasSuffix(cmd, `\`) && k < len(body) {
				cmd = strings.TrimSuffix(cmd, `\`) + " " + strings.TrimSpace(body[k])
				k++
			}
			blocks = append(blocks, Block{File: file, Line: i + 2, Args: strings.Fields(cmd), Want: body[k:]})
		}
		i = end
	}
	return blocks
}

// Match reports whether got, a command's output, is what want quotes:
// line for line, where an Elision line stands for any run of lines. On a
// mismatch it also returns the quoted line where the best alignment of
// want with got fails.
func Match(want []string, got string) (ok bool, missing string) {
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if got == "" {
		g = nil
	}
	if n := match(want, g); n < len(want) {
		return false, want[n]
	} else if n > len(want) {
		return false, "(the output goes on past the quoted lines)"
	}
	return true, ""
}

// match returns len(want) when got matches want, len(want)+1 when got
// has lines after all of want, and otherwise the index of the line of
// want where the alignment that gets furthest fails.
func match(want, got []string) int {
	for i := 0; i < len(want); i++ {
		if want[i] == Elision {
			if i == len(want)-1 {
				return len(want)
			}
			best := i + 1
			for skip := 0; skip <= len(got); skip++ {
				n := i + 1 + match(want[i+1:], got[skip:])
				if n == len(want) {
					return n
				}
				if n <= len(want) {
					best = max(best, n)
				}
			}
			return best
		}
		if len(got) == 0 || got[0] != want[i] {
			return i
		}
		got = got[1:]
	}
	if len(got) > 0 {
		return len(want) + 1
	}
	return len(want)
}

// Check runs every example of root's docs whose command begins with prefix
// and quotes an output, through run (which returns the command's stdout,
// or reports its own failure and returns false), and fails t where the
// output is not what the docs quote, or when no example quotes an output.
// An example that quotes none (a command above a table) is not run.
func Check(t testing.TB, root, prefix string, run func(b Block) (stdout string, ok bool)) {
	t.Helper()
	blocks, err := Find(root, prefix)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, b := range blocks {
		if len(b.Want) == 0 {
			continue
		}
		ran++
		stdout, ok := run(b)
		if !ok {
			continue
		}
		if ok, missing := Match(b.Want, stdout); !ok {
			t.Errorf("%s: %s: the docs quote %q where the command prints:\n%s", b.Where(), strings.Join(b.Args, " "), missing, stdout)
		}
	}
	if ran == 0 {
		t.Errorf("no example of %q with its output in %s's README.md or docs/", prefix, root)
	}
}
