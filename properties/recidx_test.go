package properties

import (
	"errors"
	"testing"

	"github.com/rcsim/connsim/trace"
)

// TestMaxRecords: a monitor observes MaxRecords records and refuses the
// next (Err), rather than keep an index that does not fit; Finish then
// panics rather than give the verdict of a trace cut short.
func TestMaxRecords(t *testing.T) {
	m := NewMonitor(DefaultConfig())
	m.n = MaxRecords - 1 // as if it had observed that many
	r := trace.Record{Kind: trace.KHeartbeat, Dev: 0}
	m.Observe(&r)
	if err := m.Err(); err != nil || m.n != MaxRecords || m.at() == noRec {
		t.Fatalf("record %d: Err %v, %d records, index %d", MaxRecords-1, err, m.n, m.at())
	}
	m.Observe(&r)
	if err := m.Err(); !errors.Is(err, ErrTooLong) || m.n != MaxRecords {
		t.Fatalf("record %d: Err %v, %d records; want ErrTooLong", MaxRecords, err, m.n)
	}
	defer func() {
		if recover() == nil {
			t.Error("Finish of a trace past MaxRecords did not panic")
		}
	}()
	m.Finish()
}
