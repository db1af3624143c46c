package trace

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

func TestReadJSONLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		msg      string // substring of the error
	}{
		{"bad JSON", `{"t":0,"kind":"end"` + "\n", 1, "bad JSON"},
		{"not an object", "[1,2]\n", 1, "bad JSON"},
		{"missing t", `{"kind":"end"}`, 1, `missing "t"`},
		{"missing kind", `{"t":1}`, 1, `missing "kind"`},
		{"null", `null`, 1, `missing "t"`},
		{"unknown kind", `{"t":1,"kind":"bogus"}`, 1, `unknown kind "bogus"`},
		{"t not a number", `{"t":"soon","kind":"end"}`, 1, `t: "soon" is a string; accepted: a number of seconds from 0 to 2592000 (30 days)`},
		{"t a quoted number", `{"t":"0","kind":"end"}`, 1, `t: "0" is a string; accepted`},
		{"t out of range", `{"t":1e300,"kind":"end"}`, 1, `t: 1e300 is out of range; accepted: a number of seconds from 0 to 2592000`},
		{"t past the longest horizon", `{"t":9223372036.854775807,"kind":"end"}`, 1, `t: 9223372036.854775807 is out of range`},
		{"t just past 30 days", `{"t":2592000.000000001,"kind":"end"}`, 1, `t: 2592000.000000001 is out of range`},
		{"t negative", `{"t":-1,"kind":"end"}`, 1, `t: -1 is out of range`},
		{"time_limit a string", `{"t":0,"kind":"call","dev":0,"op":"connect","time_limit":"5"}`, 1, `time_limit: "5" is a string; accepted: a number of seconds from -2592000 to 2592000`},
		{"at out of range", `{"t":0,"kind":"timer","dev":0,"op":"set","timer":"x","at":-1}`, 1, `at: -1 is out of range`},
		{"unknown call op", `{"t":0,"kind":"call","dev":0,"op":"connnect"}`, 1, `op: unknown call op "connnect"; accepted: init, connect, disconnect, logout, add_listener, remove_listener`},
		{"unknown env op", `{"t":0,"kind":"env","dev":0,"op":"wifi"}`, 1, `op: unknown env op "wifi"; accepted: net_off,`},
		{"unknown session op", `{"t":0,"kind":"session","dev":0,"op":"opened"}`, 1, `op: unknown session op "opened"; accepted: open, close`},
		{"unknown server op", `{"t":0,"kind":"server","op":"reboot"}`, 1, `op: unknown server op "reboot"`},
		{"empty app_key state", `{"t":0,"kind":"server","op":"app_key:"}`, 1, `op: unknown server op "app_key:"`},
		{"unknown callback", `{"t":0,"kind":"callback","dev":0,"name":"onTimeout","call":1}`, 1, `name: unknown callback "onTimeout"; accepted: onDatabaseOpened, onSuccess, onError`},
		{"unknown phase", `{"t":0,"kind":"attempt","dev":0,"phase":"begin"}`, 1, `phase: unknown attempt phase "begin"; accepted: start, ok, fail`},
		{"device record without dev", `{"t":0,"kind":"status","status":"CONNECTING","from":"UNCONNECTED"}`, 1, `dev: missing or negative; accepted: a status record names its device`},
		{"negative dev", `{"t":0,"kind":"call","dev":-1,"op":"init"}`, 1, `dev: missing or negative`},
		{"line too long", strings.Repeat(" ", MaxLineBytes+1) + "\n", 1, "line longer than 65536 bytes"},
		{"no newline at all", strings.Repeat("\x00", 1<<20), 1, "line longer than 65536 bytes"},
		{"long line after good ones", "{\"t\":0,\"kind\":\"end\"}\n\n" + strings.Repeat("x", 70000), 3, "line longer than"},
		{"non-monotonic", "{\"t\":2,\"kind\":\"end\"}\n\n{\"t\":1.5,\"kind\":\"end\"}\n", 3, "t=1.5 is before the previous record's t=2"},
		{"unknown status", `{"t":0,"kind":"status","dev":0,"status":"ONLINE","from":"UNCONNECTED"}`, 1, `unknown status "ONLINE"`},
		{"unknown status value", `{"t":0,"kind":"status","dev":0,"value":5,"from":"UNCONNECTED"}`, 1, "unknown value 5"},
		{"status disagrees", `{"t":0,"kind":"status","dev":0,"status":"CONNECTED","value":1,"from_value":2}`, 1, "disagrees"},
		{"no status", `{"t":0,"kind":"status","dev":0,"from":"UNCONNECTED"}`, 1, "without"},
		{"no from", `{"t":0,"kind":"status","dev":0,"status":"CONNECTING"}`, 1, "without"},
		{"callback without name", `{"t":0,"kind":"callback","dev":0,"code":0,"call":1}`, 1, `name: unknown callback ""`},
		{"bad dev", `{"t":0,"kind":"end","dev":1.5}`, 1, "bad JSON"},
		{"bad time_limit", `{"t":0,"kind":"call","dev":0,"op":"connect","time_limit":1e99}`, 1, "time_limit"},
	} {
		_, err := ReadJSONL(strings.NewReader(tc.in))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: got %v, want a *ParseError", tc.name, err)
			continue
		}
		if pe.Line != tc.line || !strings.Contains(pe.Error(), tc.msg) || !strings.HasPrefix(pe.Error(), "line ") {
			t.Errorf("%s: got %q (line %d), want line %d containing %q", tc.name, pe.Error(), pe.Line, tc.line, tc.msg)
		}
	}
}

func TestReadJSONLLenient(t *testing.T) {
	in := "\n" +
		`{"t":0,"kind":"call","dev":0,"op":"init","extra":{"nested":[1,2]}}` + "\r\n" +
		"   \n" +
		`{"t":0.02,"kind":"status","dev":0,"value":1,"from_value":2,"listeners":1}` + "\n" +
		`{"kind":"callback","t":5e-2,"name":"onSuccess","call":1,"dev":0}` + "\n" +
		`{"t":0.05,"kind":"end","reason":"settled","dev":-3}` // no final newline
	got, err := ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Kind: KCall, Dev: 0, Op: vocab.OpInit},
		{T: 20 * time.Millisecond, Kind: KStatus, Dev: 0, Status: fsm.Connecting, From: fsm.Unconnected, Listeners: 1},
		{T: 50 * time.Millisecond, Kind: KCallback, Dev: 0, Name: vocab.CbSuccess, Call: 1},
		{T: 50 * time.Millisecond, Kind: KEnd, Dev: -1, Reason: vocab.EndSettled},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestReadJSONLIgnoresOtherKindsFields checks only a kind's own fields are
// read, so re-encoding a hand-written line is canonical.
func TestReadJSONLIgnoresOtherKindsFields(t *testing.T) {
	got, err := ReadJSONL(strings.NewReader(`{"t":1,"kind":"lost","dev":0,"reason":"gone","call":9,"op":"x","seq":4}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Record{T: time.Second, Kind: KLost, Dev: 0, Reason: vocab.ReasonGone}); got[0] != want {
		t.Errorf("got %+v, want %+v", got[0], want)
	}
}

// TestReadJSONLLongLine: a line of MaxLineBytes is read, with or without
// its newline; one byte more is refused.
func TestReadJSONLLongLine(t *testing.T) {
	pad := MaxLineBytes - len(`{"t":0,"kind":"end","reason":""}`)
	in := `{"t":0,"kind":"end","reason":"` + strings.Repeat("x", pad) + `"}`
	for _, tail := range []string{"", "\n", "\r\n"} {
		got, err := ReadJSONL(strings.NewReader(in + tail))
		if err != nil || len(got) != 1 || len(got[0].Reason.String()) != pad {
			t.Fatalf("tail %q: got %d records, %v", tail, len(got), err)
		}
	}
	in = `{"t":0,"kind":"end","reason":"` + strings.Repeat("x", pad+1) + `"}`
	if _, err := ReadJSONL(strings.NewReader(in)); err == nil {
		t.Fatal("a line one byte too long was read")
	}
}

func FuzzReadJSONL(f *testing.F) {
	var buf bytes.Buffer
	_ = NewJSONWriter(&buf).WriteAll(everyKind)
	f.Add(buf.String())
	f.Add("")
	f.Add("\n\n")
	f.Add(`{"t":0,"kind":"status","dev":0,"value":1,"from":"UNCONNECTED"}`)
	f.Add(`{"t":-0.5e1,"kind":"call","dev":0,"op":"connect","time_limit":"3"}`)
	f.Add(`{"t":1,"kind":"end"}` + "\n" + `{"t":0.999999999,"kind":"end"}`)
	f.Add(`{"t":1,"kind":"env","op":"loss","value":null}`)
	f.Add("{\"t\":0,\"kind\":\"lost\",\"reason\":\"\xff\\ud800\"}")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ReadJSONL(strings.NewReader(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a *ParseError with a line", err)
			}
			return
		}
		// What was read re-encodes to JSON Lines that read back the same.
		var out bytes.Buffer
		if err := NewJSONWriter(&out).WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		again, err := ReadJSONL(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, out.Bytes())
		}
		if len(again) != len(recs) {
			t.Fatalf("re-read %d records, want %d", len(again), len(recs))
		}
		for i := range recs {
			if again[i] != recs[i] && !(again[i].Value != again[i].Value) {
				t.Fatalf("record %d: re-read %+v, want %+v", i, again[i], recs[i])
			}
		}
		if Digest(again) != Digest(recs) {
			t.Fatal("digest changed on re-read")
		}
		for i := range recs {
			_ = FormatText(&recs[i])
		}
	})
}
