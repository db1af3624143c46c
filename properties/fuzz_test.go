package properties

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// FuzzCheck feeds arbitrary JSON Lines traces (as a hand-converted log
// might be) to every checker: none may panic, and the verdict must not
// depend on anything but the records (nor on a prefix the Monitor
// resumes from: SetPrefix).
func FuzzCheck(f *testing.F) {
	for _, src := range []string{happy, timedOut, reconnects, stopped, rejected, twoDevices, benchTrace, msgTrace, ghost} {
		var buf bytes.Buffer
		if err := trace.NewJSONWriter(&buf).WriteAll(parseTrace(f, src)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.String())
	}
	f.Add(`{"t":0,"kind":"call","dev":32767,"op":"connect","call":-5,"time_limit":9223372036}`)
	f.Add(`{"t":0,"kind":"callback","dev":3,"name":"onError","code":34006,"call":0}` + "\n" +
		`{"t":0,"kind":"attempt","dev":3,"phase":"start","reason":"schedule"}`)
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := trace.ReadJSONL(strings.NewReader(in))
		if err != nil {
			return
		}
		cfg := DefaultConfig()
		a := Check(cfg, recs)
		b := Check(cfg, append([]trace.Record(nil), recs...))
		if len(a) != len(b) {
			t.Fatalf("verdicts differ: %v vs %v", a, b)
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("verdicts differ: %v vs %v", a[i], b[i])
			}
			if a[i].Index < -1 || a[i].Index >= len(recs) {
				t.Fatalf("index out of range: %v", a[i])
			}
			_ = a[i].String()
		}
		m := NewMonitor(cfg)
		for _, k := range []int{len(recs) / 2, len(recs) - 1} {
			if k > 0 {
				m.SetPrefix(recs[:k])
				if got := m.Check(recs); !slices.Equal(got, a) {
					t.Fatalf("with a prefix of %d records: %v, without %v", k, got, a)
				}
			}
		}
		_ = Check(Config{Policy: fsm.Web, DBOpen: -1}, recs)
		_ = Check(Config{MultiDeviceSync: true, Retention: 1, IdleTimeout: 1}, recs)
		if v := Determinism(recs, recs); v != nil {
			t.Fatalf("a trace differs from itself: %v", v)
		}
	})
}
