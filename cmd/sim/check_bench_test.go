package main

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/rcsim/connsim/internal/floor"
	"github.com/rcsim/connsim/properties"
)

// millionRecords returns a passing JSON Lines trace of 10 records for each
// of n devices, round by round: init, connect (no time limit: the call
// stays pending), CONNECTING, attempt start, add_listener (a first
// connect's onDatabaseOpened waits for its success), then three attempts
// failing on the schedule (properties.manyDevices, as JSON).
func millionRecords(n int) []byte {
	var b bytes.Buffer
	rounds := []string{
		`{"t":0,"kind":"call","dev":%d,"op":"init"}`,
		`{"t":0,"kind":"call","dev":%d,"op":"connect","call":%d,"token":0,"time_limit":0}`,
		`{"t":0,"kind":"status","dev":%d,"status":"CONNECTING","value":1,"from":"UNCONNECTED","from_value":2,"listeners":0}`,
		`{"t":0,"kind":"attempt","dev":%d,"n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}`,
		`{"t":0.02,"kind":"call","dev":%d,"op":"add_listener","listener":%d}`,
		`{"t":5,"kind":"attempt","dev":%d,"n":1,"phase":"fail","reason":"attempt-timeout","streak":1,"auto":false,"seq":1}`,
		`{"t":5.05,"kind":"attempt","dev":%d,"n":2,"phase":"start","reason":"schedule","streak":1,"auto":true,"seq":2}`,
		`{"t":10.05,"kind":"attempt","dev":%d,"n":2,"phase":"fail","reason":"attempt-timeout","streak":2,"auto":true,"seq":2}`,
		`{"t":10.3,"kind":"attempt","dev":%d,"n":3,"phase":"start","reason":"schedule","streak":2,"auto":true,"seq":3}`,
		`{"t":15.3,"kind":"attempt","dev":%d,"n":3,"phase":"fail","reason":"attempt-timeout","streak":3,"auto":true,"seq":3}`,
	}
	for _, f := range rounds {
		for d := range n {
			if bytes.Count([]byte(f), []byte("%d")) == 2 {
				fmt.Fprintf(&b, f+"\n", d, d+1)
			} else {
				fmt.Fprintf(&b, f+"\n", d)
			}
		}
	}
	return b.Bytes()
}

func TestMillionRecordsPasses(t *testing.T) {
	data := millionRecords(1000)
	var out bytes.Buffer
	if err := checkTrace(&out, "gen", data, properties.DefaultConfig()); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
}

// BenchmarkCheckMillion is 'sim check' (reader, monitors, verdict) on a
// trace of 1,000,000 records, 100,000 devices and 100,000 pending calls
// (issue 7: under 10 s and 1 GB; issue 18: at least 2M records/s and at
// most one allocation per record). The trace is in memory, so B/op is what
// checking allocates.
func BenchmarkCheckMillion(b *testing.B) {
	data := millionRecords(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkTrace(io.Discard, "gen", data, properties.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkCheckMillionFloor is the floor of BenchmarkCheckMillion
// (internal/floor): the same trace's records decoded by a decoder that
// trusts its input and checks nothing.
func BenchmarkCheckMillionFloor(b *testing.B) {
	data := millionRecords(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var sum int64
	for b.Loop() {
		floor.Decode(data, func(f *floor.Fields) { sum += f.T })
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "records/s")
}
