package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestSweepNetAxes: --loss-model and --transport are grid axes: rows come
// transport by transport, model by model, then time limit and loss; each
// row's columns name its model and transport; the closed form is filled
// only on message with Bernoulli loss; the figure has a curve per
// combination.
func TestSweepNetAxes(t *testing.T) {
	dir := t.TempDir()
	out, plot := filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.svg")
	code, stdout, stderr := runCLI("sweep", "--quiet", "--trials", "300", "--loss", "0.1,0.3", "--time-limit", "5s",
		"--transport", "message,tcp", "--loss-model", "bernoulli", "--loss-model", "burst:2",
		"--out", out, "--plot", plot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, out)
	h := rows[0]
	tr, lm, loss, an := col(t, h, "transport"), col(t, h, "loss_model"), col(t, h, "loss"), col(t, h, "analytic_success")
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[tr]+" "+r[lm]+" "+r[loss]+" "+map[bool]string{true: "closed", false: "-"}[r[an] != ""])
	}
	want := "message bernoulli 0.1 closed|message bernoulli 0.3 closed|message burst:2 0.1 -|message burst:2 0.3 -|" +
		"tcp bernoulli 0.1 -|tcp bernoulli 0.3 -|tcp burst:2 0.1 -|tcp burst:2 0.3 -"
	if strings.Join(got, "|") != want {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if !strings.Contains(stdout, "transport loss model") || !strings.Contains(stdout, "tcp       burst:2") {
		t.Errorf("table:\n%s", stdout)
	}
	b, err := os.ReadFile(plot)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(b)
	for _, l := range []string{"message, bernoulli, time limit 5s", "tcp, burst:2, time limit 5s"} {
		if !strings.Contains(svgText(svg), l) {
			t.Errorf("figure has no curve %q", l)
		}
	}
}

func TestSweepNetAxesBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--loss-model", "bernoulli;gilbert"}, `sim: --loss-model: invalid grid value "gilbert": want bernoulli, ge:P,R,1-H,1-K or burst:B; repeat the flag or separate values with ';'`},
		{[]string{"--transport", "message,udp"}, `sim: --transport: invalid grid value "udp": want a comma list of message and tcp`},
		{[]string{"--loss", "0.8", "--loss-model", "burst:3"}, "sim: --loss must be at most B/(B+1) = 0.75 with --loss-model burst:3: no chain with bursts that short loses more (got 0.8)"},
		{[]string{"--loss", "0.1", "--loss-model", "ge:0.1,0.3,1,0"}, "sim: --loss must be 0 with --loss-model ge:P,R,1-H,1-K: the chain sets the loss (got 0.1)"},
		{[]string{"--transport", "message,tcp", "--cdf", filepath.Join(dir, "c.png")}, "sim: --cdf needs one --loss-model and one --transport (the CDF's curves are losses)"},
	}
	for _, tt := range tests {
		args := append([]string{"sweep", "--quiet", "--trials", "10", "--out", filepath.Join(dir, "x.csv")}, tt.args...)
		code, stdout, stderr := runCLI(args...)
		if code != 2 || stdout != "" || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("sim %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// TestSweepParamAxes: the message and liveness knobs are grid axes: rows
// come by --msg-rate, then --server-idle-timeout (the order of
// paramAxisNames), then time limit and loss; each row's parameter columns
// hold its values and its message columns its measures; the table and the
// figure name the axes with several values; a single value is the flag's.
func TestSweepParamAxes(t *testing.T) {
	dir := t.TempDir()
	out, plot := filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.svg")
	code, stdout, stderr := runCLI("sweep", "--quiet", "--trials", "40", "--loss", "0,0.2", "--time-limit", "0",
		"--msg-rate", "0.2,1", "--server-idle-timeout", "20s, 0", "--push-latency", "2s", "--net-off", "20s:60s", "--horizon", "90s",
		"--out", out, "--plot", plot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, out)
	h := rows[0]
	rate, idle, push, loss := col(t, h, "msg_rate_per_s"), col(t, h, "server_idle_timeout_s"), col(t, h, "push_latency_ms"), col(t, h, "loss")
	sent, pushes, ghosts, pull := col(t, h, "messages_sent"), col(t, h, "messages_pushes"), col(t, h, "messages_ghosts"), col(t, h, "messages_pull_p50_ms")
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[rate]+" "+r[idle]+" "+r[push]+" "+r[loss])
		if r[sent] == "0" || r[sent] == "" || r[pull] == "" {
			t.Errorf("row %v: no messages measured", r[:5])
		}
	}
	want := "0.2 20 2000 0|0.2 20 2000 0.2|0.2 0 2000 0|0.2 0 2000 0.2|1 20 2000 0|1 20 2000 0.2|1 0 2000 0|1 0 2000 0.2"
	if strings.Join(got, "|") != want {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	// A 20 s idle timeout closes the dead session within the 40 s outage:
	// messages are stored and pushed instead of written into it (ghosts).
	num := func(r []string, i int) float64 { v, _ := strconv.ParseFloat(r[i], 64); return v }
	if r20, r0 := rows[1], rows[3]; num(r20, pushes) <= num(r0, pushes) || num(r20, ghosts) >= num(r0, ghosts) {
		t.Errorf("idle 20s: pushes %s ghosts %s; auto: pushes %s ghosts %s", r20[pushes], r20[ghosts], r0[pushes], r0[ghosts])
	}
	if !strings.Contains(stdout, "msg-rate server-idle-timeout time limit") || strings.Contains(stdout, "push-latency") {
		t.Errorf("table:\n%s", stdout)
	}
	b, err := os.ReadFile(plot)
	if err != nil {
		t.Fatal(err)
	}
	if l := "msg-rate 1, server-idle-timeout 20s, no time limit"; !strings.Contains(svgText(string(b)), l) {
		t.Errorf("figure has no curve %q", l)
	}
	// Without the axes' flags the CSV has no message column.
	if code, _, errs := runCLI("sweep", "--quiet", "--trials", "5", "--loss", "0", "--time-limit", "0", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	if h := readCSV(t, out)[0]; slices.ContainsFunc(h, func(c string) bool { return strings.HasPrefix(c, "messages_") }) {
		t.Errorf("a sweep without messages has message columns: %v", h)
	}
}

func TestSweepParamAxesBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--msg-rate", "0.1,x"}, `sim: --msg-rate: invalid grid value: must be a number between 0 and 1000 (got "x"); the grid is a comma list of such values`},
		{[]string{"--msg-rate", "0.1,0.10"}, `sim: --msg-rate: invalid grid "0.1,0.10": 0.1 is listed twice`},
		{[]string{"--multi-device-sync", "on,maybe"}, `sim: --multi-device-sync: invalid grid value: must be off or on (got "maybe"); the grid is a comma list of such values`},
		{[]string{"--msg-rate", "0.1,1", "--cdf", filepath.Join(dir, "c.png")}, "sim: --cdf needs one value of --msg-rate, --multi-device-sync, --offline-retention, --push-latency, --server-idle-timeout, --attempt, --visit, --tls (the CDF's curves are losses)"},
	}
	for _, tt := range tests {
		args := append([]string{"sweep", "--quiet", "--trials", "10", "--out", filepath.Join(dir, "x.csv")}, tt.args...)
		code, stdout, stderr := runCLI(args...)
		if code != 2 || stdout != "" || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("sim %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}
