package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/spf13/cobra"
)

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	dbOpen := 20 * time.Millisecond
	var schedule, skip string
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Check a JSON Lines trace against the property catalogue",
		Long: `check reads a trace in the JSON Lines format of 'sim trace' (or one
converted from a real SDK's logs; the README lists the fields each property
needs), runs every trace property of the catalogue (P1-P7, P9, P10) and
reports each violated property with its first offending record: its line
number in FILE, and the record itself. FILE - reads standard input.

Exit codes: 0 every property holds, 1 a property is violated, 2 the input is
not a valid trace (a one-line error naming the line).

P4's deadline and P6's schedule are the model's defaults; set --db-open and
--schedule to the parameters the trace was made with. P2 and P6 compare
times exactly (34006 exactly at the time limit, each attempt exactly one
interval after its failure): for logs whose timestamps jitter, --skip P2,P6.

Examples:
  sim trace --loss 0.3 --trial 7 | sim check -
  sim check converted-sdk-log.jsonl --db-open never --skip P2,P6`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("internal error checking %s: %v", args[0], p)
				}
			}()
			cfg := properties.Config{DBOpen: dbOpen}
			switch schedule {
			case "none":
			case "":
				cfg.Schedule = slices.Clone(fsm.DefaultSchedule)
			default:
				if cfg.Schedule, err = parseSchedule(schedule); err != nil {
					return usageError{err}
				}
			}
			skipped, err := parseSkip(skip)
			if err != nil {
				return usageError{err}
			}
			name, data, err := readInput(cmd, args[0])
			if err != nil {
				return usageError{err}
			}
			bw := bufio.NewWriter(stdout)
			err = checkTrace(bw, name, data, cfg, skipped...)
			if ferr := bw.Flush(); ferr != nil && err == nil {
				return ferr
			}
			return err
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.Var(optDur{&dbOpen}, "db-open", "P4: onDatabaseOpened is due this long after its Connect (never: check order and count only)")
	fs.StringVar(&schedule, "schedule", "", "P6: the reconnection schedule, comma-separated Go durations (default the model's; none: P6 is not checked)")
	fs.StringVar(&skip, "skip", "", "properties not to check, comma-separated, e.g. P2,P6")
	return cmd
}

// checkTrace checks the JSON Lines trace data (named name in messages) and
// writes the verdict to w. It returns nil when every property holds,
// errViolations when one is violated, and a usageError when data is not a
// valid trace (then w is left untouched).
func checkTrace(w io.Writer, name string, data []byte, cfg properties.Config, skip ...string) error {
	recs, err := trace.ReadJSONL(bytes.NewReader(data))
	if err != nil {
		return usageError{fmt.Errorf("%s: %v", name, err)}
	}
	if len(recs) == 0 {
		return usageError{fmt.Errorf("%s: no records (an empty trace)", name)}
	}
	vs := slices.DeleteFunc(properties.Check(cfg, recs), func(v properties.Violation) bool {
		return slices.Contains(skip, v.Property)
	})
	if !writeCheck(w, name, data, recs, vs, skip) {
		return errViolations
	}
	return nil
}

// parseSkip parses --skip: ids of properties that have a trace checker.
func parseSkip(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, id := range strings.Split(s, ",") {
		id = strings.ToUpper(strings.TrimSpace(id))
		i := slices.IndexFunc(properties.Catalogue, func(p properties.Property) bool { return p.ID == id })
		if i < 0 || properties.Catalogue[i].Check == nil {
			return nil, fmt.Errorf("--skip: invalid value %q: want comma-separated property ids among P1-P7, P9, P10", s)
		}
		out = append(out, id)
	}
	return out, nil
}

// parseSchedule parses "50ms,250ms,...".
func parseSchedule(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, p := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(p))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("--schedule: invalid value %q: want comma-separated Go durations >= 0 such as 50ms,250ms,1s, or none", s)
		}
		out = append(out, d)
	}
	return out, nil
}

// readInput reads FILE, or standard input for "-".
func readInput(cmd *cobra.Command, arg string) (string, []byte, error) {
	if arg == "-" {
		data, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return "stdin", nil, fmt.Errorf("stdin: %v", err)
		}
		return "stdin", data, nil
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return arg, nil, fmt.Errorf("%s: %v", arg, err)
	}
	return arg, data, nil
}

// srcLine is where a record comes from: its 1-based line number, as
// trace.ReadJSONL numbers them (blank lines are skipped but counted), and
// the line itself.
type srcLine struct {
	n    int
	text []byte
}

// recordLines returns the source line of each record of data.
func recordLines(data []byte) []srcLine {
	var out []srcLine
	for line := 1; len(data) > 0; line++ {
		l, rest, _ := bytes.Cut(data, []byte{'\n'})
		if t := bytes.TrimSpace(l); len(t) > 0 {
			out = append(out, srcLine{line, t})
		}
		data = rest
	}
	return out
}

// recordRef matches the checkers' references to other records by index.
var recordRef = regexp.MustCompile(`\brecord (\d+)\b`)

// writeCheck prints the verdict: for each violated property, its first
// violation with the offending record's line and the record; it returns
// whether every property holds.
func writeCheck(w io.Writer, name string, data []byte, recs []trace.Record, vs []properties.Violation, skip []string) bool {
	lines := recordLines(data)
	lineOf := func(i int) string {
		if i >= 0 && i < len(lines) {
			return "line " + strconv.Itoa(lines[i].n)
		}
		return "no line"
	}
	var checked []string
	for _, p := range properties.Catalogue {
		if p.Check != nil && !slices.Contains(skip, p.ID) {
			checked = append(checked, p.ID)
		}
	}
	if len(vs) == 0 {
		fmt.Fprintf(w, "%s: %d records: every property holds (%s)\n", name, len(recs), strings.Join(checked, ", "))
		return true
	}
	count := map[string]int{}
	first := map[string]properties.Violation{}
	for _, v := range vs {
		if count[v.Property]++; count[v.Property] == 1 {
			first[v.Property] = v
		}
	}
	var bad []string
	for _, id := range checked {
		v, ok := first[id]
		if !ok {
			continue
		}
		bad = append(bad, id)
		msg := recordRef.ReplaceAllStringFunc(v.Msg, func(m string) string {
			i, err := strconv.Atoi(m[len("record "):])
			if err != nil {
				return m
			}
			return lineOf(i)
		})
		where := lineOf(v.Index)
		if v.Index >= 0 && v.Index < len(recs) {
			dev := "srv"
			if v.Dev >= 0 {
				dev = "dev" + strconv.Itoa(int(v.Dev))
			}
			where += " (t=" + strconv.FormatFloat(v.T.Seconds(), 'f', -1, 64) + "s " + dev + ")"
		}
		fmt.Fprintf(w, "%s %s: %s: %s\n", id, properties.Name(id), where, msg)
		if v.Index >= 0 && v.Index < len(lines) {
			fmt.Fprintf(w, "    %s\n", clip(lines[v.Index].text, 300))
		}
		if n := count[id] - 1; n > 0 {
			fmt.Fprintf(w, "    (and %d more violation%s of %s)\n", n, plural(n), id)
		}
	}
	fmt.Fprintf(w, "%s: %d records: %d propert%s violated (%s)\n", name, len(recs), len(bad),
		map[bool]string{true: "y", false: "ies"}[len(bad) == 1], strings.Join(bad, ", "))
	return false
}

// clip returns b, cut to at most n bytes with "..." when longer.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
