package main

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// writeTemp writes content to a file in t's temp dir and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// simTrace runs sim trace with args and returns its output.
func simTrace(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(append([]string{"trace"}, args...)...)
	if code != 0 {
		t.Fatalf("sim trace %v: exit %d: %s", args, code, errs)
	}
	return out
}

// sim check accepts what sim trace prints, for many trials and scenarios.
func TestCheckAcceptsSimTrace(t *testing.T) {
	scenarios := [][]string{
		{"--loss", "0.3"},
		{"--loss", "0.5", "--time-limit", "0"},
		{"--loss", "0.2", "--time-limit", "0", "--net-off", "1s:20s", "--net-change-at", "30s"},
		{"--time-limit", "0", "--kick-at", "20s", "--until", "60s"},
		{"--loss", "0.3", "--disconnect-at", "2s", "--second-connect-at", "1s"},
		{"--token-expires", "0"},
		{"--no-init"},
		{"--time-limit", "0", "--ipc-disconnect-at", "16s", "--block-user-at", "40s", "--until", "60s"},
		{"--loss", "0.3", "--detail=false"},
	}
	twoDevices := writeTemp(t, "kick.yaml", `devices: [{user: 0, platform: mobile}, {user: 0, platform: mobile}]
params: {time_limit: 0, kick_policy: reconnect-kicked}
script:
  - {at: 0s, dev: 0, do: add_listener, listener: 1}
  - {at: 0s, dev: 0, do: init}
  - {at: 0s, dev: 0, do: connect}
  - {at: 10s, dev: 0, do: net_off}
  - {at: 12s, dev: 1, do: init}
  - {at: 12s, dev: 1, do: connect}
  - {at: 20s, dev: 0, do: net_on}
  - {at: 30s, do: mark}
`)
	scenarios = append(scenarios, []string{"--scenario", twoDevices, "--loss", "0.2"})
	for _, sc := range scenarios {
		for trial := range 4 {
			args := append([]string{"--trial", strconv.Itoa(trial)}, sc...)
			p := writeTemp(t, "trace.jsonl", simTrace(t, args...))
			code, out, errs := runCLI("check", p)
			if code != 0 || errs != "" || !strings.Contains(out, "every property holds") {
				t.Errorf("sim trace %v | sim check: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
			}
		}
	}
	// A non-default db-open: check must be told.
	p := writeTemp(t, "trace.jsonl", simTrace(t, "--db-open", "3s", "--time-limit", "0"))
	if code, out, _ := runCLI("check", p, "--db-open", "3s"); code != 0 {
		t.Errorf("--db-open 3s: exit %d: %s", code, out)
	}
	if code, out, _ := runCLI("check", p); code != 1 || !strings.Contains(out, "P4 ") {
		t.Errorf("--db-open 3s trace checked with the default db-open: exit %d, want 1 naming P4: %s", code, out)
	}
}

// A trace edited by hand to add a callback after 34006 is flagged: exit 1,
// naming P3 and the line of the added record.
func TestCheckFlagsCallbackAfterTimeout(t *testing.T) {
	var lines []string
	for trial := 0; ; trial++ {
		if trial > 50 {
			t.Fatal("no trial with 34006 among the first 50")
		}
		out := simTrace(t, "--loss", "0.3", "--trial", strconv.Itoa(trial))
		if strings.Contains(out, `"code":34006`) {
			lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			break
		}
	}
	at := -1
	for i, l := range lines {
		if strings.Contains(l, `"kind":"callback"`) && strings.Contains(l, `"code":34006`) {
			at = i
		}
	}
	added := `{"t":5,"kind":"callback","dev":0,"name":"onSuccess","code":0,"call":1}`
	lines = append(lines[:at+1], append([]string{added}, lines[at+1:]...)...)
	p := writeTemp(t, "edited.jsonl", strings.Join(lines, "\n")+"\n")
	code, out, errs := runCLI("check", p)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, out, errs)
	}
	want := regexp.MustCompile(`(?m)^P3 silence after timeout: line ` + strconv.Itoa(at+2) + ` \(t=5s dev0\): onSuccess of call 1 after onError\(34006\) of call 1 at line ` + strconv.Itoa(at+1))
	if !want.MatchString(out) {
		t.Errorf("stdout does not match %v:\n%s", want, out)
	}
	if !strings.Contains(out, "    "+added+"\n") {
		t.Errorf("stdout does not show the offending record:\n%s", out)
	}
	t.Logf("sim check edited.jsonl:\n%s", out)
	code, out, _ = runCLI("check", p, "--skip", "p1,P2")
	if code != 1 || strings.Contains(out, "P1 ") || strings.Contains(out, "P2 ") || !strings.Contains(out, "1 property violated (P3)") {
		t.Errorf("--skip p1,P2: exit %d:\n%s", code, out)
	}
}

// Input that is not a trace: exit 2, nothing on stdout, one line on stderr
// naming the line.
func TestCheckRejectsGarbage(t *testing.T) {
	cases := []struct{ content, want string }{
		{"garbage\n", "bad.jsonl:1: bad JSON"},
		{"\x00\x01\x02\xff", "bad.jsonl:1: bad JSON"},
		{`{"t":0,"kind":"call","dev":0,"op":"init"}` + "\n\n" + `{"t":1}` + "\n", `bad.jsonl:3: missing "kind"`},
		{`{"t":2,"kind":"env","dev":0,"op":"net_off"}` + "\n" + `{"t":1,"kind":"env","dev":0,"op":"net_on"}`, "bad.jsonl:2: t=1 is before"},
		{`{"t":0,"kind":"status","dev":0,"status":"ONLINE"}`, `bad.jsonl:1: unknown status "ONLINE"`},
		{`[1,2,3]`, "bad.jsonl:1: bad JSON"},
		{`{"t":9223372036.854775807,"kind":"end"}`, "bad.jsonl:1: t: 9223372036.854775807 is out of range; accepted: a number of seconds from 0 to 2592000 (30 days)"},
		{`{"t":-1,"kind":"end"}`, "bad.jsonl:1: t: -1 is out of range"},
		{`{"t":"0","kind":"end"}`, `bad.jsonl:1: t: "0" is a string`},
		{`{"t":0,"kind":"call","dev":0,"op":"connect!"}`, `bad.jsonl:1: op: unknown call op "connect!"; accepted: init, connect,`},
		{`{"t":0,"kind":"callback","dev":0,"name":"onDone","call":1}`, `bad.jsonl:1: name: unknown callback "onDone"; accepted: onDatabaseOpened, onSuccess, onError`},
		{`{"t":0,"kind":"attempt","dev":0,"phase":"retry"}`, `bad.jsonl:1: phase: unknown attempt phase "retry"; accepted: start, ok, fail`},
		{strings.Repeat("x", 1<<20), "bad.jsonl:1: line longer than 65536 bytes"},
		{"", "no records"},
		{"\n\n  \n", "no records"},
	}
	for _, c := range cases {
		p := writeTemp(t, "bad.jsonl", c.content)
		code, out, errs := runCLI("check", p)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, one line containing %q", c.content, code, out, errs, c.want)
		}
	}
	for _, args := range [][]string{{"check"}, {"check", "/nonexistent/trace.jsonl"}, {"check", "a", "b"}, {"check", "x", "--policy", "5"}, {"check", "x", "--policy-jitter", "half"}, {"check", "x", "--policy", "grpc", "--policy-jitter", "full"}, {"check", "x", "--db-open", "soon"}, {"check", "x", "--skip", "P8"}} {
		if code, out, errs := runCLI(args...); code != 2 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line", args, code, out, errs)
		}
	}
}

// check - reads standard input.
func TestCheckStdin(t *testing.T) {
	p := writeTemp(t, "trace.jsonl", simTrace(t, "--loss", "0.3"))
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	code, out, errs := runCLI("check", "-")
	if code != 0 || !strings.HasPrefix(out, "stdin: ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// FuzzCheckCmd feeds arbitrary input to sim check's core: it must never
// panic, and its verdict is one of the three exits with the output each
// promises.
func FuzzCheckCmd(f *testing.F) {
	f.Add([]byte(`{"t":0,"kind":"call","dev":0,"op":"connect","call":1,"time_limit":5}` + "\n" +
		`{"t":5,"kind":"callback","dev":0,"name":"onError","code":34006,"call":1}` + "\n" +
		`{"t":5,"kind":"attempt","dev":0,"n":2,"phase":"start","reason":"schedule"}`))
	f.Add([]byte("garbage"))
	f.Add([]byte("\n\n"))
	for _, args := range [][]string{{"--loss", "0.3"}, {"--loss", "0.3", "--trial", "1"}, {"--time-limit", "0", "--kick-at", "20s", "--until", "60s"}} {
		code, out, _ := runCLI(append([]string{"trace"}, args...)...)
		if code != 0 {
			f.Fatalf("sim trace %v: exit %d", args, code)
		}
		f.Add([]byte(out))
	}
	cfg := properties.DefaultConfig()
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		err := checkTrace(&out, "in", data, cfg)
		var ue usageError
		switch {
		case err == nil:
			if !strings.Contains(out.String(), "every property holds") {
				t.Fatalf("exit 0 without the verdict: %q", out.String())
			}
		case errors.Is(err, errViolations):
			if !regexp.MustCompile(`(?m)^P\d+ .*: (line \d+|no line)`).Match(out.Bytes()) {
				t.Fatalf("exit 1 without a property and line: %q", out.String())
			}
		case errors.As(err, &ue):
			if out.Len() != 0 || !strings.HasPrefix(err.Error(), "in:") {
				t.Fatalf("exit 2 with output %q, error %q", out.String(), err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// Devices that never end: sim check fails at once, exit 2, one line.
func TestCheckDevices(t *testing.T) {
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err != nil {
			t.Skip(dev, err)
		}
		code, out, errs := runCLI("check", dev)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "sim: "+dev+":1: ") {
			t.Errorf("sim check %s: exit %d, stdout %q, stderr %q; want exit 2 and one line naming line 1", dev, code, out, errs)
		}
	}
}

// jitter returns the JSON Lines trace in with every time moved later by
// up to d (drawn from a fixed stream), kept in order: t' = max(previous
// t', t + u), u in [0, d), so each time moves by less than d.
func jitter(t *testing.T, in string, d time.Duration) string {
	t.Helper()
	recs, err := trace.ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var prev time.Duration
	for i := range recs {
		r := &recs[i]
		r.T = max(prev, r.T+time.Duration(rng.Int64N(int64(d))))
		prev = r.T
	}
	var b bytes.Buffer
	if err := trace.NewJSONWriter(&b).WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// --tolerance: a trace whose timestamps jitter by up to 2 ms fails P2 or
// P6 (the exact times) without it and passes with --tolerance 2ms; a
// real schedule error (10 ms late) still fails with it.
func TestCheckTolerance(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		prop string // the property the jitter breaks without --tolerance
	}{
		{"timeouts (P2)", []string{"--loss", "1", "--time-limit", "5s"}, "P2"},
		{"reconnections (P6)", []string{"--loss", "0.5", "--time-limit", "0", "--trial", "3"}, "P6"},
	} {
		exact := simTrace(t, tc.args...)
		p := writeTemp(t, "jittered.jsonl", jitter(t, exact, 2*time.Millisecond))
		code, out, errs := runCLI("check", p)
		if code != 1 || !strings.Contains(out, tc.prop+" ") {
			t.Errorf("%s: jittered trace without --tolerance: exit %d, want 1 naming %s:\n%s%s", tc.name, code, tc.prop, out, errs)
		}
		code, out, errs = runCLI("check", p, "--tolerance", "2ms")
		if code != 0 {
			t.Errorf("%s: jittered trace with --tolerance 2ms: exit %d, want 0:\n%s%s", tc.name, code, out, errs)
		}
	}
	// A schedule 10 ms off is still a violation within 2 ms.
	exact := simTrace(t, "--attempt", "auth", "--loss", "0.5", "--time-limit", "0", "--trial", "3", "--detail=false")
	late := strings.Replace(exact, `"t":5.05,`, `"t":5.06,`, 1)
	if late == exact {
		t.Fatal("no attempt at t=5.05 to move")
	}
	code, out, _ := runCLI("check", writeTemp(t, "late.jsonl", late), "--tolerance", "2ms")
	if code != 1 || !strings.Contains(out, "P6 ") {
		t.Errorf("attempt 10 ms late with --tolerance 2ms: exit %d, want 1 naming P6:\n%s", code, out)
	}
	for _, bad := range []string{"-1ms", "2m", "soon"} {
		if code, out, errs := runCLI("check", "x", "--tolerance", bad); code != 2 || out != "" || !strings.Contains(errs, "--tolerance") {
			t.Errorf("--tolerance %s: exit %d, stdout %q, stderr %q; want exit 2 naming the flag", bad, code, out, errs)
		}
	}
}

// What sim trace writes, sim check reads: a timer set at the longest
// horizon falls due after it ("at" past 720h), which check refused.
func TestCheckReadsTraceAtLongestHorizon(t *testing.T) {
	code, out, errs := runCLI("trace", "--horizon", "720h", "--until", "720h", "--hb-interval", "720h", "--time-limit", "0")
	if code != 0 || !strings.Contains(out, `"at":2592000.3`) { // connected at 0.3 s (--attempt full)
		t.Fatalf("trace: exit %d, stderr %q; want a timer due after 720h in\n%s", code, errs, out)
	}
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI("check", path); code != 0 {
		t.Errorf("check of trace's own output: exit %d, stderr %q", code, errs)
	}
}

// --returning: a log of a user who connected before it begins opens the
// database at Connect (P4's database rule); sim's trials start fresh.
func TestCheckReturning(t *testing.T) {
	fresh := simTrace(t, "--attempt", "auth", "--detail=false") // one round trip: onDatabaseOpened at 0.12 s
	var lines, moved []string
	for _, l := range strings.SplitAfter(fresh, "\n") {
		if strings.Contains(l, `"onDatabaseOpened"`) {
			moved = append(moved, strings.Replace(l, `"t":0.12,`, `"t":0.02,`, 1))
			continue
		}
		lines = append(lines, l)
		if strings.Contains(l, `"phase":"start"`) {
			lines = append(lines, "\x00") // where the returning user's database opens
		}
	}
	if len(moved) != 1 || !strings.Contains(moved[0], `"t":0.02,`) {
		t.Fatalf("the fresh trace's onDatabaseOpened is not one record at 0.12 s: %q", moved)
	}
	returning := strings.Replace(strings.Join(lines, ""), "\x00", moved[0], 1)
	for _, tc := range []struct {
		name, trace string
		flag        bool
		code        int
	}{
		{"fresh", fresh, false, 0},
		{"fresh --returning", fresh, true, 1},
		{"returning", returning, false, 1},
		{"returning --returning", returning, true, 0},
	} {
		args := []string{"check", writeTemp(t, "t.jsonl", tc.trace), "--attempt", "auth"} // as it was made (P21)
		if tc.flag {
			args = append(args, "--returning")
		}
		code, out, errs := runCLI(args...)
		if code != tc.code || code == 1 && !strings.Contains(out, "P4 ") {
			t.Errorf("%s: exit %d, want %d (1 naming P4):\n%s%s", tc.name, code, tc.code, out, errs)
		}
	}
}
