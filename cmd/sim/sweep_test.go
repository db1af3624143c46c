package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/sweep"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func col(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

// The same sweep with 1 and 2 workers writes byte-identical CSVs, and each
// row is what `sim run --json` reports for that point.
func TestSweepDeterministicAcrossWorkers(t *testing.T) {
	dir := t.TempDir()
	var first []byte
	for _, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "w"+w+".csv")
		code, stdout, errs := runCLI("sweep", "--loss", "0.1,0.5", "--time-limit", "5s,0", "--trials", "600",
			"--workers", w, "--quiet", "--out", out)
		if code != 0 {
			t.Fatalf("--workers %s: exit %d: %s", w, code, errs)
		}
		if !strings.Contains(stdout, "closed form") {
			t.Errorf("stdout %q has no table", stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("--workers %s: CSV differs from --workers 1:\n%s\nvs\n%s", w, b, first)
		}
	}
	recs := readCSV(t, filepath.Join(dir, "w1.csv"))
	if len(recs) != 5 {
		t.Fatalf("%d records, want a header and 4 rows", len(recs))
	}
	h := recs[0]
	// Rows: time limit by time limit, loss by loss.
	var order []string
	for _, r := range recs[1:] {
		order = append(order, r[col(t, h, "time_limit_s")]+"/"+r[col(t, h, "loss")])
	}
	if got := strings.Join(order, " "); got != "5/0.1 5/0.5 0/0.1 0/0.5" {
		t.Errorf("row order %s", got)
	}
	// Row 2 (loss 0.5, 5 s) against `sim run --json` with the same flags.
	code, js, errs := runCLI("run", "--loss", "0.5", "--time-limit", "5s", "--trials", "600", "--quiet", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	row := recs[2]
	for _, k := range []string{"successes", "timeouts", "success_rate", "ci_low", "ci_high", "attempts_mean"} {
		want := strconv.FormatFloat(m[k].(float64), 'f', -1, 64)
		if got := row[col(t, h, k)]; got != want {
			t.Errorf("%s: CSV %s, sim run --json %s", k, got, want)
		}
	}
	if got, want := row[col(t, h, "ttc_p90_ms")], strconv.FormatFloat(m["ttc_ms"].(map[string]any)["p90"].(float64), 'f', -1, 64); got != want {
		t.Errorf("ttc_p90_ms: CSV %s, sim run --json %s", got, want)
	}
	if got := row[col(t, h, "errors")]; got != "34006:"+row[col(t, h, "timeouts")] {
		t.Errorf("errors %q", got)
	}
	if got := row[col(t, h, "analytic_success")]; got != "0.015625" { // (1-0.5)^6: navigation, socket and auth (--attempt full)
		t.Errorf("analytic_success %q, want 0.015625", got)
	}
}

// Every field of `sim run --json` is a column.
func TestSweepColumnsCoverRunJSON(t *testing.T) {
	code, js, errs := runCLI("run", "--trials", "10", "--quiet", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	names := sweep.ColumnNames()
	for k, v := range m {
		var sub map[string]json.RawMessage
		switch {
		case k == "params":
			json.Unmarshal(v, &sub)
			for pk := range sub {
				if !slices.Contains(names, pk) {
					t.Errorf("params.%s is not a column", pk)
				}
			}
		case k == "ttc_ms":
			for _, q := range []string{"p50", "p90", "p99", "max"} {
				if !slices.Contains(names, "ttc_"+q+"_ms") {
					t.Errorf("ttc_%s_ms is not a column", q)
				}
			}
		default:
			if !slices.Contains(names, k) {
				t.Errorf("%s is not a column", k)
			}
		}
	}
}

// Every field of the "messages" object of `sim run --json` is a message
// column.
func TestSweepColumnsCoverRunJSONMessages(t *testing.T) {
	code, js, errs := runCLI("run", "--trials", "10", "--quiet", "--json", "--msg-rate", "0.5", "--horizon", "30s")
	if code != 0 {
		t.Fatal(errs)
	}
	var m struct{ Messages map[string]json.RawMessage }
	if err := json.Unmarshal([]byte(js), &m); err != nil || len(m.Messages) == 0 {
		t.Fatalf("no messages in %s (%v)", js, err)
	}
	names := sweep.MsgColumnNames()
	for k := range m.Messages {
		if base, ok := strings.CutSuffix(k, "_ms"); ok {
			for _, q := range []string{"p50", "p90", "p99", "max"} {
				if !slices.Contains(names, "messages_"+base+"_"+q+"_ms") {
					t.Errorf("messages.%s.%s is not a column", k, q)
				}
			}
		} else if !slices.Contains(names, "messages_"+k) {
			t.Errorf("messages.%s is not a column", k)
		}
	}
}

// The closed form is left out where it does not apply.
func TestSweepAnalyticOnlyWhereItApplies(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		extra []string
		want  bool
	}{
		{nil, true},
		{[]string{"--latency", "20ms", "--attempt-timeout", "2s", "--horizon", "1m", "--db-open", "0"}, true},
		{[]string{"--jitter", "5ms"}, false},
		{[]string{"--server-unavailable", "0.1"}, false},
		{[]string{"--kick-at", "1s"}, false},
	} {
		out := filepath.Join(dir, "a.csv")
		args := append([]string{"sweep", "--loss", "0.3", "--time-limit", "5s", "--trials", "50", "--quiet", "--out", out}, c.extra...)
		if code, _, errs := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		recs := readCSV(t, out)
		got := recs[1][col(t, recs[0], "analytic_success")]
		if (got != "") != c.want {
			t.Errorf("%v: analytic_success %q", c.extra, got)
		}
	}
}

func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "bad.csv")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--loss", "0:1"}, "--loss: invalid grid \"0:1\": a range has three parts; want START:STOP:STEP"},
		{[]string{"--loss", "0:1:0"}, "--loss: invalid grid \"0:1:0\": STEP must be > 0"},
		{[]string{"--loss", "0.5:0.1:0.1"}, "STOP is below START"},
		{[]string{"--loss", "0:1.5:0.5"}, "1.5 is not between 0 and 1"},
		{[]string{"--loss", "0.1,x"}, "--loss: invalid grid \"0.1,x\": \"x\" is not a number"},
		{[]string{"--loss", "0.1,,0.2"}, "--loss: invalid grid"},
		{[]string{"--loss", "0.1,0.1"}, "0.1 appears twice"},
		{[]string{"--loss", "NaN"}, "is not a number"},
		{[]string{"--loss", "0:1:0.00001"}, "at most 10000"},
		{[]string{"--time-limit", "5s,abc"}, "--time-limit: invalid grid \"5s,abc\": \"abc\" is not a Go duration; want a comma list of Go durations"},
		{[]string{"--time-limit", "-721h"}, "-721h0m0s is not between -720h and 720h"},
		{[]string{"--time-limit", "0,-1s"}, "none appears twice (0 or less means no limit)"},
		{[]string{"--time-limit", "1s:5s:0"}, "STEP must be > 0"},
		{[]string{"--time-limit", "0,none"}, "none appears twice (0 or less means no limit)"},
		{[]string{"--trials", "0"}, "--trials must be between 1"},
		{[]string{"--workers", "0"}, "--workers must be between 1 and 1024"},
		{[]string{"--latency", "-1s"}, "--latency must be between 0 and 720h (got -1s)"},
		{[]string{"--out", ""}, "--out needs a file name (got an empty one)"},
		{[]string{"--out", dir}, "is a directory"},
		{[]string{"--policy", "rc,bogus"}, "--policy: invalid grid \"rc,bogus\""},
		{[]string{"--policy", "rc,rc"}, "rc is listed twice"},
		{[]string{"--policy", "grpc/full"}, "has its own jitter"},
		{[]string{"--policy", "rc,web", "--cdf", filepath.Join(dir, "c.png")}, "one curve per policy at one loss"},
	}
	for _, c := range cases {
		args := append([]string{"sweep"}, c.args...)
		if !slices.Contains(c.args, "--trials") { // a flag given twice is refused
			args = append(args, "--trials", "10")
		}
		if !slices.Contains(c.args, "--out") {
			args = append(args, "--out", out)
		}
		code, stdout, errs := runCLI(args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, code, errs)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q", c.args, stdout)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "sim: ") || !strings.Contains(errs, c.want) {
			t.Errorf("%v: stderr %q, want one line with %q", c.args, errs, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v: %s was written", c.args, out)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left in the output directory: %v", ents)
	}
}

// A sweep cancelled after two grid points keeps exactly those two rows,
// written atomically, and says so.
func TestSweepInterruptedKeepsFinishedRows(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	args := []string{"sweep", "--loss", "0.2,0.4,0.6", "--time-limit", "5s,0", "--trials", "300", "--quiet"}
	if code, _, errs := runCLI(append(args, "--out", full)...); code != 0 {
		t.Fatal(errs)
	}
	part := filepath.Join(dir, "part.csv")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sweepAfterPoint = func(done int) {
		if done == 2 {
			cancel()
		}
	}
	defer func() { sweepAfterPoint = nil }()
	var stdout, stderr bytes.Buffer
	root := newRoot(&stdout, &stderr)
	root.SetArgs(append(args, "--out", part))
	err := root.ExecuteContext(ctx)
	if err == nil || errors.As(err, new(usageError)) {
		t.Fatalf("err = %v, want a non-usage error", err)
	}
	if !strings.Contains(err.Error(), "interrupted after 2 of 6 grid points") || !strings.Contains(err.Error(), part+" keeps the 2 finished rows") {
		t.Errorf("err = %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout.String())
	}
	got, want := readCSV(t, part), readCSV(t, full)
	if len(got) != 3 || !slices.EqualFunc(got, want[:3], slices.Equal) {
		t.Errorf("interrupted CSV:\n%v\nwant the first rows of\n%v", got, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("files in the output directory: %v (a temporary file left?)", ents)
	}
	// Cancelled before any point finished: nothing is written.
	none := filepath.Join(dir, "none.csv")
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	root = newRoot(&stdout, &stderr)
	root.SetArgs(append(args, "--out", none))
	if err := root.ExecuteContext(ctx2); err == nil || !strings.Contains(err.Error(), "nothing written") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("a CSV was written with no finished point")
	}
}

func benchSweep(b *testing.B, losses []float64, limits []time.Duration) {
	p, sc, err := defaultOpts().build(newSweepCmd(nil, nil).Flags())
	if err != nil {
		b.Fatal(err)
	}
	pl := sweep.Plan{Base: p, Scenario: sc, Seed: 1, Trials: 20000, Workers: defaultWorkers(),
		Losses: losses, Limits: limits, Analytic: true}
	for b.Loop() {
		if _, err := pl.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(losses)*len(limits)*pl.Trials), "ns/trial")
}

// BenchmarkSweepPoint is one grid point of `sim sweep`: 20,000 trials at
// loss 0.5, every property checked, on every CPU; with the 5 s limit and
// with no limit (trials then run the schedule until success).
func BenchmarkSweepPoint(b *testing.B) {
	b.Run("limit=5s", func(b *testing.B) { benchSweep(b, []float64{0.5}, []time.Duration{5 * time.Second}) })
	b.Run("limit=none", func(b *testing.B) { benchSweep(b, []float64{0.5}, []time.Duration{0}) })
}

// BenchmarkSweep10x4 is `sim sweep --loss 0:0.9:0.1 --time-limit
// 2s,5s,10s,0` without the CLI: 40 points of 20,000 trials.
func BenchmarkSweep10x4(b *testing.B) {
	l, _ := grid.Losses("0:0.9:0.1")
	d, _ := grid.Limits("2s,5s,10s,0")
	benchSweep(b, l, d)
}

// --plot writes the figure next to the CSV; a format plots does not know is
// bad input.
func TestSweepPlot(t *testing.T) {
	dir := t.TempDir()
	out, fig := filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.svg")
	code, _, errs := runCLI("sweep", "--loss", "0,0.5", "--time-limit", "5s,0", "--trials", "100", "--quiet",
		"--out", out, "--plot", fig)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(fig)
	if err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Fatalf("%s: %v, %.80q", fig, err, b)
	}
	code, _, errs = runCLI("sweep", "--trials", "10", "--out", filepath.Join(dir, "x.csv"), "--plot", filepath.Join(dir, "x.gif"))
	if code != 2 || !strings.HasPrefix(errs, "sim: --plot") {
		t.Errorf("--plot x.gif: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("x.csv written despite a bad --plot")
	}
}

// The --policy grid: items split at policy names and KIND:, jitter suffixes.
func TestParsePolicyGrid(t *testing.T) {
	got, err := parsePolicyGrid("rc, list:0,1s,3s,web/equal", fsm.JitterFull)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range got {
		names = append(names, b.String())
	}
	if want := []string{"rc/full", "list:0s,1s,3s/full", "web/equal"}; !slices.Equal(names, want) {
		t.Errorf("parsed %v, want %v", names, want)
	}
	if _, err := parsePolicyGrid("grpc", fsm.JitterEqual); err == nil {
		t.Error("grpc with --policy-jitter equal accepted")
	}
	got, err = parsePolicyGrid("rc,list:0,1s,3s,web,expo:1s,2,60s/full,grpc,fixed:2s", fsm.JitterNone)
	if err != nil {
		t.Fatal(err)
	}
	names = names[:0]
	for _, b := range got {
		names = append(names, b.String())
	}
	want := []string{"rc", "list:0s,1s,3s", "web", "expo:1s,2,1m/full", "grpc", "fixed:2s"}
	if !slices.Equal(names, want) {
		t.Errorf("parsed %v, want %v", names, want)
	}
}

// A sweep over policies: one row per policy (outermost), each the row of
// sim run with that policy; the table gains a policy column; --cdf draws
// one curve per policy at the one loss.
func TestSweepPolicies(t *testing.T) {
	dir := t.TempDir()
	out, cdf := filepath.Join(dir, "p.csv"), filepath.Join(dir, "p.svg")
	code, stdout, errs := runCLI("sweep", "--loss", "0.5", "--time-limit", "0,10s", "--policy", "rc,expo:1s,2,60s/full",
		"--trials", "300", "--quiet", "--out", out, "--cdf", cdf, "--cdf-time-limit", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(stdout, "policy ") || !strings.Contains(stdout, "expo:1s,2,1m/full") {
		t.Errorf("table %q has no policy column", stdout)
	}
	recs := readCSV(t, out)
	if len(recs) != 5 {
		t.Fatalf("%d CSV lines, want a header and 4 rows", len(recs))
	}
	pc, jc := col(t, recs[0], "policy"), col(t, recs[0], "policy_jitter")
	var got []string
	for _, r := range recs[1:] {
		got = append(got, r[pc]+"/"+r[jc])
	}
	if want := []string{"rc/none", "rc/none", "expo:1s,2,1m/full", "expo:1s,2,1m/full"}; !slices.Equal(got, want) {
		t.Errorf("rows' policies %v, want %v", got, want)
	}
	// Each row is sim run's row for its point.
	code, runOut, errs := runCLI("run", "--loss", "0.5", "--time-limit", "0", "--policy", "expo:1s,2,60s", "--policy-jitter", "full",
		"--trials", "300", "--json", "--quiet")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var j struct {
		Successes int `json:"successes"`
	}
	if err := json.Unmarshal([]byte(runOut), &j); err != nil {
		t.Fatal(err)
	}
	if sc := col(t, recs[0], "successes"); recs[3][sc] != strconv.Itoa(j.Successes) {
		t.Errorf("sweep row successes %s, sim run %d", recs[3][sc], j.Successes)
	}
	if b, err := os.ReadFile(cdf); err != nil || !bytes.Contains(b, []byte("expo:1s,2,1m/full")) || !bytes.Contains(b, []byte("reconnection policy")) {
		t.Errorf("CDF figure: %v, legend or title missing", err)
	}
}
