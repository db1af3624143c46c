package properties

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// manyDevices returns a passing trace of 10 records per device for n
// devices, interleaved round by round (every device's record k, then
// every device's record k+1): each device inits, connects (call dev+1, no
// time limit, so the call stays pending), adds a listener (a first
// connect's database waits for its success) and fails three attempts on
// the schedule. The trace has no end record.
func manyDevices(n int) []trace.Record {
	out := make([]trace.Record, 0, 10*n)
	for k := range 10 {
		for d := range n {
			out = append(out, manyDevicesRecord(int32(d), k))
		}
	}
	return out
}

// manyDevicesRecord returns device dev's record k (0 to 9) of manyDevices.
func manyDevicesRecord(dev int32, k int) trace.Record {
	ms := func(x int) time.Duration { return time.Duration(x) * time.Millisecond }
	call := dev + 1
	switch k {
	case 0:
		return trace.Record{Kind: trace.KCall, Dev: dev, Op: vocab.OpInit}
	case 1:
		return trace.Record{Kind: trace.KCall, Dev: dev, Op: vocab.OpConnect, Call: call}
	case 2:
		return trace.Record{Kind: trace.KStatus, Dev: dev, Status: fsm.Connecting, From: fsm.Unconnected}
	case 3:
		return trace.Record{Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseStart, Reason: vocab.ReasonConnect, N: 1}
	case 4:
		return trace.Record{T: ms(20), Kind: trace.KCall, Dev: dev, Op: vocab.OpAddListener, Listeners: 1}
	case 5:
		return trace.Record{T: ms(5000), Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseFail, Reason: vocab.ReasonAttemptTimeout, N: 1, Streak: 1}
	case 6:
		return trace.Record{T: ms(5050), Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseStart, Reason: vocab.ReasonSchedule, N: 2, Streak: 1}
	case 7:
		return trace.Record{T: ms(10050), Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseFail, Reason: vocab.ReasonAttemptTimeout, N: 2, Streak: 2}
	case 8:
		return trace.Record{T: ms(10300), Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseStart, Reason: vocab.ReasonSchedule, N: 3, Streak: 2}
	}
	return trace.Record{T: ms(15300), Kind: trace.KAttempt, Dev: dev, Phase: vocab.PhaseFail, Reason: vocab.ReasonAttemptTimeout, N: 3, Streak: 3}
}

func TestManyDevicesPasses(t *testing.T) {
	recs := manyDevices(1000)
	if vs := Check(DefaultConfig(), recs); vs != nil {
		t.Fatalf("%d violations, first %v", len(vs), vs[0])
	}
	if vs := refCheck(DefaultConfig(), recs); vs != nil {
		t.Fatalf("reference: %d violations, first %v", len(vs), vs[0])
	}
	// One device late on its schedule is found among them (the last of
	// its round, so that no other record comes after its due time).
	recs[6*1000+999].T += time.Millisecond
	vs := Check(DefaultConfig(), recs)
	if len(vs) != 1 || vs[0].Property != "P6" || vs[0].Index != 6*1000+999 {
		t.Fatalf("late start: %d violations, first %v", len(vs), vs[0])
	}
	if d := sameVerdict(vs, refCheck(DefaultConfig(), recs)); d != "" {
		t.Fatal(d)
	}
}

// BenchmarkMonitorMillion feeds a Monitor 1,000,000 records of 100,000
// devices with 100,000 calls pending (docs/performance.md; issue
// 7's target is 'sim check' under 10 s and 1 GB for such a trace).
func BenchmarkMonitorMillion(b *testing.B) {
	recs := manyDevices(100_000)
	m := NewMonitor(DefaultConfig())
	b.ReportAllocs()
	for b.Loop() {
		m.Reset()
		for i := range recs {
			m.Observe(&recs[i])
		}
		if vs := m.Finish(); vs != nil {
			b.Fatal(vs[0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)), "ns/record")
}

// Many sessions of one user, open at once (each open after the first a P10
// violation), closed in reverse order: the verdict is the batch checker's,
// and each close costs O(1) (the benchmark's 20,000 sessions would take
// 2*10^8 steps with a scan per close).
func TestManySessions(t *testing.T) {
	recs := manySessions(300)
	if d := sameVerdict(CheckP10(DefaultConfig(), recs), refCheckP10(DefaultConfig(), recs)); d != "" {
		t.Fatal(d)
	}
}

func manySessions(n int) []trace.Record {
	var out []trace.Record
	for i := range n {
		out = append(out, trace.Record{T: time.Duration(i), Kind: trace.KSession, Dev: int32(i % 7), Op: vocab.SessOpen, User: 1, Platform: vocab.PlatformMobile, Seq: uint32(i / 7)})
	}
	for i := n - 1; i >= 0; i-- {
		out = append(out, trace.Record{T: time.Duration(n), Kind: trace.KSession, Dev: int32(i % 7), Op: vocab.SessClose, User: 1, Platform: vocab.PlatformMobile, Seq: uint32(i / 7)})
		if i%3 == 0 { // and reopen some: the oldest of the key is named
			out = append(out, trace.Record{T: time.Duration(n), Kind: trace.KSession, Dev: 9, Op: vocab.SessOpen, User: 1, Platform: vocab.PlatformMobile, Seq: uint32(i)})
		}
	}
	return out
}

func BenchmarkManySessions(b *testing.B) {
	recs := manySessions(20_000)
	b.ReportAllocs()
	for b.Loop() {
		CheckP10(DefaultConfig(), recs)
	}
}

// A reserved monitor checks sessions (Reserve sizes both session tables).
func TestReservedMonitorSessions(t *testing.T) {
	m := NewMonitor(DefaultConfig())
	m.Reserve(10, 10)
	for _, r := range manySessions(20) {
		m.Observe(&r)
	}
	if vs := m.Finish(); len(vs) == 0 || vs[0].Property != "P10" {
		t.Fatalf("got %v", vs)
	}
}
