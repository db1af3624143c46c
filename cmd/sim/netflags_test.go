package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNetFlagsBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("time,state,type,loss,latency\n0s,up,wifi,,\n5s,up,wifi,,1d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--net-trace", bad}, "sim: " + bad + ":3: latency: must be a Go duration between 0 and 1h, or empty (got \"1d\")"},
		{[]string{"run", "--net-trace", filepath.Join(dir, "missing.csv")}, "sim: " + filepath.Join(dir, "missing.csv") + ": no such file or directory"},
		{[]string{"run", "--loss-model", "ge:1,2,3,4"}, `sim: --loss-model must be bernoulli, ge:P,R,1-H,1-K (four probabilities, P+R > 0) or burst:B (B between 1 and 1000) (got "ge:1,2,3,4")`},
		{[]string{"run", "--loss-down", "-0.5"}, `sim: --loss-down must be same, a probability between 0 and 1, or ge:P,R,1-H,1-K (got "-0.5")`},
		{[]string{"run", "--loss", "0.1", "--loss-model", "ge:0.1,0.3,1,0"}, "sim: --loss must be 0 with --loss-model ge:P,R,1-H,1-K: the chain sets the loss (got 0.1)"},
		{[]string{"trace", "--transport", "quic"}, `sim: --transport must be message or tcp (got "quic")`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(tt.args...)
		if code != 2 || stdout != "" || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("sim %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

func TestNetFlagsJSON(t *testing.T) {
	code, stdout, stderr := runCLI("run", "--json", "--quiet", "--trials", "2000", "--transport", "tcp",
		"--loss-model", "ge:0.05,0.2,0.9,0.01", "--loss-up", "0.1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Params   map[string]any `json:"params"`
		Observed *float64       `json:"observed_loss_rate"`
		Burst    *float64       `json:"mean_burst_length"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Params["transport"] != "tcp" || out.Params["loss_model"] != "ge:0.05,0.2,0.9,0.01" || out.Params["loss_up"] != "0.1" || out.Params["loss_down"] != "same" {
		t.Errorf("params %v", out.Params)
	}
	if out.Observed == nil || *out.Observed <= 0.05 || *out.Observed >= 0.3 || out.Burst == nil || *out.Burst < 1 {
		t.Errorf("observed loss %v, burst %v", out.Observed, out.Burst)
	}
}
