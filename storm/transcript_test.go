package storm

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
	"gopkg.in/yaml.v3"
)

// TestTranscripts runs the transcripts in testdata/storms: small storms
// (a few clients) whose whole behaviour can be read, one per outage kind
// and server limit.
//
// Command:
//
//	storm [trace=K,...]
//	<a YAML mapping of storm parameters, the keys of sim storm's table
//	 (storm.Registry), applied onto DefaultParams>
//	----
//	<the summary (WriteText), the time series (WriteSeriesCSV), and the
//	 text timeline of each client named by trace (default: every client)>
//
// Each traced client is a storm of its own with Params.TraceClient set;
// the test also checks that tracing a client changes neither the summary
// nor the series, since a storm must not depend on what it records.
// Regenerate the expected output with
//
//	go test ./storm -run TestTranscripts -rewrite
//
// and read the diff: every line is a claim about the storm.
func TestTranscripts(t *testing.T) {
	datadriven.Walk(t, "testdata/storms", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "storm" {
				d.Fatalf(t, "unknown command %q (want storm)", d.Cmd)
			}
			return runTranscript(t, d)
		})
	})
}

func runTranscript(t *testing.T, d *datadriven.TestData) string {
	p := DefaultParams()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(d.Input), &doc); err != nil {
		d.Fatalf(t, "%v", err)
	}
	if len(doc.Content) == 1 {
		if err := model.ApplyYAML(Registry, &p, d.Pos, doc.Content[0]); err != nil {
			d.Fatalf(t, "%v", err)
		}
	}
	if err := p.Validate(); err != nil {
		d.Fatalf(t, "%v", err)
	}
	clients := make([]int, p.Clients)
	for i := range clients {
		clients[i] = i
	}
	for _, a := range d.CmdArgs {
		if a.Key != "trace" {
			d.Fatalf(t, "unknown argument %q (want trace)", a.Key)
		}
		clients = clients[:0]
		for _, v := range a.Vals {
			k, err := strconv.Atoi(v)
			if err != nil || k < 0 || k >= p.Clients {
				d.Fatalf(t, "trace=%s: want client indexes from 0 to %d", v, p.Clients-1)
			}
			clients = append(clients, k)
		}
	}

	summary := func(p Params) (string, *Result) {
		r, err := Run(p)
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		var b strings.Builder
		runs := []Labelled{{Result: r}}
		if err := WriteText(&b, runs); err != nil {
			t.Fatal(err)
		}
		b.WriteString("series:\n")
		if err := WriteSeriesCSV(&b, runs); err != nil {
			t.Fatal(err)
		}
		return b.String(), r
	}
	out, _ := summary(p)
	var b strings.Builder
	b.WriteString(out)
	for _, k := range clients {
		q := p
		q.TraceClient = k
		got, r := summary(q)
		if got != out {
			t.Errorf("%s: tracing client %d changed the storm:\n%s\nwant:\n%s", d.Pos, k, got, out)
		}
		fmt.Fprintf(&b, "client %d:\n", k)
		for i := range r.Trace {
			b.Write(trace.AppendText(nil, &r.Trace[i]))
			b.WriteByte('\n')
		}
	}
	return b.String()
}
