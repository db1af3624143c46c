package properties

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

func TestViolationString(t *testing.T) {
	v := Violation{Property: "P3", Index: 17, T: 5050 * time.Millisecond, Dev: 0,
		Msg: "attempt start after onError(34006) of call 1"}
	if got, want := v.String(), "P3 silence after timeout: record 17 (t=5.05s dev0): attempt start after onError(34006) of call 1"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	v = Violation{Property: "P11", Index: -1, Dev: -1, Msg: "traces differ"}
	if got, want := v.String(), "P11 determinism: traces differ"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCatalogue(t *testing.T) {
	if len(Catalogue) != 22 {
		t.Fatalf("%d properties", len(Catalogue))
	}
	for i, p := range Catalogue {
		if want := "P" + string(rune('1'+i)); i < 9 && p.ID != want {
			t.Errorf("entry %d is %s", i, p.ID)
		}
		if Name(p.ID) != p.Name || p.Name == "" {
			t.Errorf("%s: Name %q, catalogue %q", p.ID, Name(p.ID), p.Name)
		}
		if (p.Check == nil) != (p.ID == "P8" || p.ID == "P11") {
			t.Errorf("%s: checker presence wrong", p.ID)
		}
	}
	for _, bad := range []string{"", "P", "P0", "P23", "Q1", "P1x", "p1"} {
		if Name(bad) != "" {
			t.Errorf("Name(%q) = %q", bad, Name(bad))
		}
	}
}

func TestTraceRange(t *testing.T) {
	if got, want := TraceRange(), "P1-P7, P9, P10, P12-P22"; got != want {
		t.Errorf("TraceRange() = %q, want %q", got, want)
	}
}

func TestConfig(t *testing.T) {
	cfg := fixtureConfig()
	for k, want := range map[int]time.Duration{1: 50 * time.Millisecond, 2: 250 * time.Millisecond, 9: 32 * time.Second, 10: 64 * time.Second, 25: 64 * time.Second} {
		if lo, hi := cfg.gap(k); lo != want || hi != want {
			t.Errorf("gap(%d) = %v, %v, want %v", k, lo, hi, want)
		}
	}
	if cfg.DBOpen != 20*time.Millisecond {
		t.Errorf("DBOpen %v", cfg.DBOpen)
	}
	// An empty schedule turns P6 off; a negative DBOpen turns P4's timing off.
	recs := parseTrace(t, reconnects)
	recs[6].T += time.Millisecond
	if CheckP6(Config{}, recs) != nil {
		t.Error("P6 checked with no schedule")
	}
	late := parseTrace(t, happy)
	late[6].T = 90 * time.Millisecond
	if CheckP4(Config{DBOpen: -1, Returning: true}, late) != nil || CheckP4(fixtureConfig(), late) == nil {
		t.Error("DBOpen < 0 should turn the timing check off, and only it")
	}
}

func TestDeterminism(t *testing.T) {
	a := parseTrace(t, reconnects)
	b := append([]trace.Record(nil), a...)
	if v := Determinism(a, b); v != nil {
		t.Fatalf("identical traces: %v", v)
	}
	b[7].T++
	if v := Determinism(a, b); v == nil || v.Index != 7 || v.Property != "P11" {
		t.Fatalf("one-nanosecond change: %v", v)
	} else {
		t.Log(v)
	}
	if v := Determinism(a, a[:10]); v == nil || v.Index != 10 {
		t.Fatalf("shorter b: %v", v)
	} else {
		t.Log(v)
	}
	if v := Determinism(a[:3], a); v == nil || v.Index != 3 {
		t.Fatalf("shorter a: %v", v)
	}
	if v := Determinism(nil, nil); v != nil {
		t.Fatalf("empty traces: %v", v)
	}
}

// TestDetailIgnored checks detail records change no verdict, even where
// they would break a rule if they counted.
func TestDetailIgnored(t *testing.T) {
	src := rejected
	recs := parseTrace(t, src)
	var withDetail []trace.Record
	for _, r := range recs {
		withDetail = append(withDetail, r,
			trace.Record{T: r.T, Kind: trace.KMsg, Dev: r.Dev, Op: vocab.MsgSend, Msg: vocab.MsgAuth, Call: 2},
			trace.Record{T: r.T, Kind: trace.KTimer, Dev: r.Dev, Op: vocab.TimerSet, Timer: vocab.TimerRetry, At: r.T})
	}
	if vs := Check(fixtureConfig(), withDetail); vs != nil {
		t.Errorf("detail records changed the verdict: %v", vs)
	}
}

func TestCheckDoesNotAllocate(t *testing.T) {
	recs := parseTrace(t, benchTrace)
	cfg := fixtureConfig()
	if vs := Check(cfg, recs); vs != nil {
		t.Fatalf("bench trace breaks properties: %v", vs)
	}
	if n := testing.AllocsPerRun(100, func() { Check(cfg, recs) }); n != 0 {
		t.Errorf("Check allocates %v times on a passing trace", n)
	}
}

// benchTrace is a typical 30-record trial: two devices of one user, a
// lossy first attempt, a kick, a Disconnect.
const benchTrace = `
0      d0  call init
0      d0  call add_listener 1
0      d0  call connect 1 limit=30
0      d0  status CONNECTING
0      d0  attempt start connect
0.02   d0  cb db 1
5      d0  attempt fail attempt-timeout
5.05   d0  attempt start schedule
5.1    d0  session open 0 mobile 2
5.15   d0  attempt ok
5.15   d0  status CONNECTED
5.15   d0  cb ok 1
20.15  d0  heartbeat ping 2
20.2   d0  heartbeat pong 2
30     d1  call init
30     d1  call connect 2 limit=30
30     d1  status CONNECTING
30     d1  attempt start connect
30.02  d1  cb db 2
30.05  d0  session close 0 mobile 2 kicked
30.05  d1  session open 0 mobile 1
30.1   d1  attempt ok
30.1   d1  status CONNECTED
30.1   d1  cb ok 2
30.1   d0  status KICKED_OFFLINE_BY_OTHER_CLIENT
40     d1  call disconnect push
40     d1  status SIGN_OUT
40.05  d1  session close 0 mobile 1 logout
40.05  d2  call connect 3
40.05  d2  cb err 3 33001
40.05  srv end settled
`

func BenchmarkCheck(b *testing.B) {
	recs := parseTrace(b, benchTrace)
	cfg := fixtureConfig()
	b.ReportAllocs()
	for b.Loop() {
		if Check(cfg, recs) != nil {
			b.Fatal("violations")
		}
	}
}

func BenchmarkCheckViolating(b *testing.B) {
	recs := parseTrace(b, timedOut+`5.05 d0 attempt start schedule`)
	cfg := fixtureConfig()
	b.ReportAllocs()
	for b.Loop() {
		Check(cfg, recs)
	}
}
