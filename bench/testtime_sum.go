//go:build ignore

// testtime_sum reads `go test -json` on stdin and prints each package's
// wall time (slowest first) and the slowest tests and subtests (their
// elapsed time includes the time a parallel test waits). It exits 1 if a
// test or package failed. Run by bench/testtime.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
}

type timed struct {
	name    string
	elapsed float64
}

func main() {
	var pkgs, tests []timed
	failed := 0
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		switch e.Action {
		case "fail":
			failed++
			fallthrough
		case "pass", "skip":
			name := strings.TrimPrefix(e.Package, "github.com/rcsim/connsim/")
			if e.Test == "" {
				pkgs = append(pkgs, timed{name, e.Elapsed})
			} else {
				tests = append(tests, timed{name + " " + e.Test + " (" + e.Action + ")", e.Elapsed})
			}
		}
	}
	slowest := func(a, b timed) int { return cmp.Compare(b.elapsed, a.elapsed) }
	slices.SortStableFunc(pkgs, slowest)
	slices.SortStableFunc(tests, slowest)
	fmt.Println("packages (wall time, at least 0.5 s):")
	for _, p := range pkgs {
		if p.elapsed >= 0.5 {
			fmt.Printf("  %6.1f s  %s\n", p.elapsed, p.name)
		}
	}
	fmt.Println("slowest tests:")
	for _, t := range tests[:min(15, len(tests))] {
		fmt.Printf("  %6.1f s  %s\n", t.elapsed, t.name)
	}
	if failed > 0 {
		fmt.Printf("%d tests or packages failed\n", failed)
		os.Exit(1)
	}
}
