package trace

import (
	"bytes"
	"testing"
	"time"
)

// linesOfEveryKind returns a JSON Lines trace of n records, every kind in
// turn, as 'sim trace' writes them.
func linesOfEveryKind(n int) []byte {
	var data []byte
	for i := range n {
		r := everyKind[i%len(everyKind)]
		r.T = time.Duration(i) * time.Millisecond
		data = AppendJSON(data, &r)
		data = append(data, '\n')
	}
	return data
}

// TestScanAllocatesPerTraceOnly: reading a trace allocates for the
// Scanner and the names it interns, not per record ('sim check' is allowed
// one allocation per record at most).
func TestScanAllocatesPerTraceOnly(t *testing.T) {
	data := linesOfEveryKind(10_000)
	allocs := testing.AllocsPerRun(3, func() {
		sc := NewScanner(bytes.NewReader(data))
		for sc.Scan() {
		}
	})
	if allocs > 100 {
		t.Errorf("%v allocations for 10,000 records", allocs)
	}
}

// BenchmarkScan reads a JSON Lines trace of every kind of record through
// a Scanner: the reading half of 'sim check'.
func BenchmarkScan(b *testing.B) {
	const n = 100_000
	data := linesOfEveryKind(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := NewScanner(bytes.NewReader(data))
		for sc.Scan() {
		}
		if sc.Err() != nil {
			b.Fatal(sc.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}
