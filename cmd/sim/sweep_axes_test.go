package main

import (
	"os"
	"path/filepath"
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
		"--transport", "message,tcp", "--loss-model", "bernoulli", "--loss-model", "burst:2;bernoulli",
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
