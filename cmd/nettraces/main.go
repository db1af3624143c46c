// Command nettraces writes the synthetic network traces of docs/nettraces
// (subway.csv, elevator.csv, handover.csv) for `sim run --net-trace FILE`.
// They are patterns written down, not recordings: no randomness, so the
// same command writes the same bytes.
//
//	go run ./cmd/nettraces -out docs/nettraces
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rcsim/connsim/netmodel"
)

// A trace: its file name, a comment saying how it was made, and its rows.
type traceDef struct {
	name, comment string
	rows          []netmodel.TraceRow
}

// row builds a trace row; loss "" leaves the loss unchanged, latency < 0
// the latency.
func row(at time.Duration, up bool, typ, loss string, latency time.Duration) netmodel.TraceRow {
	r := netmodel.TraceRow{At: at, Up: up, Type: typ, Latency: latency}
	if loss != "" {
		m, err := netmodel.ParseLossSpec("loss", loss)
		if err != nil {
			panic(err)
		}
		r.Loss = m
	}
	return r
}

const (
	s  = time.Second
	ms = time.Millisecond
)

// Traces returns the three synthetic traces.
func Traces() []traceDef {
	var subway []netmodel.TraceRow
	// Five stations, two minutes apart: 40 s in a station (good cellular),
	// 50 s of tunnel with bursty loss and a long latency, then a 30 s dead
	// zone before the next station.
	for i := range 5 {
		t := time.Duration(i) * 120 * s
		subway = append(subway,
			row(t, true, "cellular", "0.01", 40*ms),
			row(t+40*s, true, "cellular", "ge:0.05,0.25,0.8,0.02", 150*ms),
			row(t+90*s, false, "cellular", "", -1))
	}
	subway = append(subway, row(600*s, true, "cellular", "0.01", 40*ms))
	elevator := []netmodel.TraceRow{
		row(0, true, "cellular", "0.005", 40*ms),
		// The doors close: the signal fades in bursts.
		row(30*s, true, "cellular", "ge:0.2,0.2,0.9,0.05", 200*ms),
		// 40 s with no network at all.
		row(40*s, false, "cellular", "", -1),
		// The doors open: the signal comes back in bursts, then settles.
		row(80*s, true, "cellular", "ge:0.2,0.2,0.9,0.05", 200*ms),
		row(90*s, true, "cellular", "0.005", 40*ms),
	}
	handover := []netmodel.TraceRow{
		row(0, true, "wifi", "0.002", 15*ms),
		// Walking away from the access point: wifi degrades, then fades in bursts.
		row(50*s, true, "wifi", "0.05", 30*ms),
		row(60*s, true, "wifi", "ge:0.1,0.3,0.8,0.05", 80*ms),
		// The phone switches to cellular: a network change (sockets die).
		row(70*s, true, "cellular", "0.01", 60*ms),
		row(120*s, true, "cellular", "0.01", 60*ms),
	}
	return []traceDef{
		{"subway.csv", "subway ride: 5 stations 2 min apart; 40 s of good cellular in each, 50 s of tunnel with Gilbert-Elliott burst loss (15% loss, mean burst 2.2 packets) and 150 ms latency, then a 30 s dead zone", subway},
		{"elevator.csv", "elevator: good cellular, burst loss (47.5%, mean burst 3.4) for 10 s as the doors close, a 40 s outage, burst loss for 10 s as they open, good again", elevator},
		{"handover.csv", "wifi-to-cellular handover: good wifi, degrading wifi from 50 s, burst loss from 60 s, cellular from 70 s (a network change)", handover},
	}
}

// write writes one trace file's content.
func write(w io.Writer, t traceDef) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# made by: go run ./cmd/nettraces -out docs/nettraces\n%s\n", t.comment, netmodel.TraceHeader)
	for _, r := range t.rows {
		b.WriteString(netmodel.FormatTraceRow(r))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func main() {
	out := flag.String("out", "docs/nettraces", "directory to write the traces into")
	flag.Parse()
	for _, t := range Traces() {
		var b strings.Builder
		if err := write(&b, t); err != nil {
			fmt.Fprintln(os.Stderr, "nettraces:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(*out, t.name), []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "nettraces:", err)
			os.Exit(1)
		}
	}
}
