package netmodel

import (
	"strings"
	"testing"
	"time"
)

func TestParseTrace(t *testing.T) {
	const hdr = "time,state,type,loss,latency\n"
	rows, err := ParseTrace("t.csv", strings.NewReader("# comment\n\n"+hdr+
		"0s,up,wifi,0.01,20ms\n"+
		"10s,down,wifi,,\n"+
		"1m,up,cellular,\"ge:0.1,0.3,0.8,0.05\",80ms\n"+
		"1m,up,cellular,,5ms\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []TraceRow{
		{At: 0, Up: true, Type: "wifi", Loss: Bernoulli(0.01), Latency: 20 * time.Millisecond, Line: 4},
		{At: 10 * time.Second, Up: false, Type: "wifi", Latency: -1, Line: 5},
		{At: time.Minute, Up: true, Type: "cellular", Loss: LossModel{Kind: KindGE, GE: GE{0.1, 0.3, 0.8, 0.05}}, Latency: 80 * time.Millisecond, Line: 6},
		{At: time.Minute, Up: true, Type: "cellular", Latency: 5 * time.Millisecond, Line: 7},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	for _, r := range rows {
		back, err := ParseTrace("b", strings.NewReader(hdr+FormatTraceRow(r)+"\n"))
		if r.Line = 2; err != nil || back[0] != r {
			t.Errorf("FormatTraceRow round trip: %v %v", back, err)
		}
	}
}

func TestParseTraceErrors(t *testing.T) {
	const hdr = "time,state,type,loss,latency\n"
	tests := []struct{ in, want string }{
		{"", `t.csv:1: header: must be time,state,type,loss,latency (got an empty file)`},
		{"time,state\n", `t.csv:1: header: must be time,state,type,loss,latency (got "time,state")`},
		{hdr + "0s,up,wifi\n", `t.csv:2: row: must be 5 fields: time,state,type,loss,latency (got "0s,up,wifi")`},
		{hdr + "x,up,wifi,,\n", `t.csv:2: time: must be a Go duration between 0 and 720h (got "x")`},
		{hdr + "-1s,up,wifi,,\n", `t.csv:2: time: must be a Go duration between 0 and 720h (got "-1s")`},
		{hdr + "1000h,up,wifi,,\n", `t.csv:2: time: must be a Go duration between 0 and 720h (got "1000h")`},
		{hdr + "5s,up,wifi,,\n1s,up,wifi,,\n", `t.csv:3: time: must be at least the previous row's 5s (got "1s")`},
		{hdr + "0s,sideways,wifi,,\n", `t.csv:2: state: must be up or down (got "sideways")`},
		{hdr + "0s,up,,,\n", `t.csv:2: type: must be a network type name (letters, digits, - or _, at most 32) (got "")`},
		{hdr + "0s,up,wi fi,,\n", `t.csv:2: type: must be a network type name (letters, digits, - or _, at most 32) (got "wi fi")`},
		{hdr + "0s,up,wifi,1.5,\n", `t.csv:2: loss: must be a probability between 0 and 1 or ge:P,R,1-H,1-K, or empty (got "1.5")`},
		{hdr + "0s,up,wifi,ge:0.1,\n", `t.csv:2: loss: must be a probability between 0 and 1 or ge:P,R,1-H,1-K, or empty (got "ge:0.1")`},
		{hdr + "0s,up,wifi,ge:0.1,0.3,0.8,0.05,20ms\n", `t.csv:2: row: must be 5 fields: time,state,type,loss,latency, with a ge: loss in double quotes (it has commas) (got "0s,up,wifi,ge:0.1,0.3,0.8,0.05,20ms")`},
		{hdr + "0s,up,wifi,\"ge:0.1,0.2\",\n", `t.csv:2: loss: must be a probability between 0 and 1 or ge:P,R,1-H,1-K, or empty (got "ge:0.1,0.2")`},
		{hdr + "0s,up,wifi,,2h\n", `t.csv:2: latency: must be a Go duration between 0 and 1h, or empty (got "2h")`},
		{hdr + "0s,up,wifi,,\"x\n", `t.csv:2: extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		_, err := ParseTrace("t.csv", strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseTrace(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseTraceLimits(t *testing.T) {
	big := "time,state,type,loss,latency\n" + strings.Repeat("0s,up,wifi,,\n", MaxTraceRows+1)
	if _, err := ParseTrace("t.csv", strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "more than 20000 rows") {
		t.Errorf("too many rows: %v", err)
	}
	huge := "time,state,type,loss,latency\n# " + strings.Repeat("x", MaxTraceBytes) + "\n"
	if _, err := ParseTrace("t.csv", strings.NewReader(huge)); err == nil || err.Error() != "t.csv: larger than 1048576 bytes: a trace must be at most 1 MiB" {
		t.Errorf("too large: %v", err)
	}
}

// FuzzParseTrace: no input makes the parser panic, and every trace it
// accepts is in time order with valid models.
func FuzzParseTrace(f *testing.F) {
	f.Add("time,state,type,loss,latency\n0s,up,wifi,0.1,20ms\n")
	f.Add("time,state,type,loss,latency\n1s,down,x,\"ge:1,1,1,1\",\n")
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := ParseTrace("f", strings.NewReader(s))
		if err != nil {
			return
		}
		for i, r := range rows {
			if i > 0 && r.At < rows[i-1].At {
				t.Fatal("out of order")
			}
			if err := r.Loss.validate("loss"); err != nil {
				t.Fatal(err)
			}
		}
	})
}
