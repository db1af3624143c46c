package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/trace"
)

func TestTraceActions(t *testing.T) {
	rows, err := netmodel.ParseTrace("t", strings.NewReader("time,state,type,loss,latency\n"+
		"0s,up,wifi,0.1,20ms\n"+ // quality only (first type)
		"10s,up,wifi,,\n"+ // nothing
		"20s,up,cellular,,\n"+ // net_change
		"30s,down,cellular,,\n"+ // net_off
		"40s,up,wifi,0.5,\n")) // quality, then net_on (type change while down is silent)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range model.TraceActions(2, rows) {
		if a.Dev != 2 {
			t.Fatalf("action on dev %d", a.Dev)
		}
		s := a.At.String() + " " + a.Op.String()
		if a.Quality {
			s += " " + a.Model.String()
			if a.Latency >= 0 {
				s += " " + a.Latency.String()
			}
		}
		got = append(got, s)
	}
	want := "0s loss 0.1 20ms|20s net_change|30s net_off|40s loss 0.5|40s net_on"
	if strings.Join(got, "|") != want {
		t.Fatalf("actions %q, want %q", strings.Join(got, "|"), want)
	}
}

// TestNetTraceReplay: the elevator trace of docs/nettraces, given in a
// scenario file by a relative path, takes the network away from 40 s to
// 80 s, the trial follows it, and the latency the trace sets is the one
// messages take.
func TestNetTraceReplay(t *testing.T) {
	dir := t.TempDir()
	tr, err := os.ReadFile("../docs/nettraces/elevator.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "elevator.csv"), tr, 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := "devices: [{user: 0, platform: mobile, net_trace: elevator.csv}]\nparams: {time_limit: 0}\nscript:\n" +
		"  - {at: 0s, dev: 0, do: init}\n  - {at: 0s, dev: 0, do: connect}\n"
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	f, sc, err := model.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := model.DefaultParams()
	if err := f.Params.Apply(&p); err != nil {
		t.Fatal(err)
	}
	p.Detail = true
	w := NewWorld(p, sc)
	res := w.Run(1, 0)
	if res.Outcome != OutcomeSuccess || res.TTC != 240*time.Millisecond {
		t.Fatalf("first login %v after %v, want success after 3 round trips (navigation, socket, auth) of 2 x 40 ms (the trace's latency)", res.Outcome, res.TTC)
	}
	var env []string
	for _, r := range w.Recs {
		if r.Kind == trace.KEnv {
			env = append(env, r.T.String()+" "+r.Op.String())
		}
	}
	want := "0s loss|30s loss|40s net_off|1m20s loss|1m20s net_on|1m30s loss"
	if strings.Join(env, "|") != want {
		t.Fatalf("env records %q, want %q", strings.Join(env, "|"), want)
	}
	// A bad trace is one line naming the trace file and its line.
	if err := os.WriteFile(filepath.Join(dir, "elevator.csv"), []byte("time,state,type,loss,latency\n0s,up,wifi,2,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = model.LoadFile(path)
	if err == nil || !strings.Contains(err.Error(), "devices[0].net_trace: "+filepath.Join(dir, "elevator.csv")+":2: loss: must be") {
		t.Fatalf("bad trace: %v", err)
	}
}
