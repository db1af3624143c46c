package properties

import (
	"errors"
	"strconv"
)

// rec is the index of a record in its trace as a monitor keeps it: 32
// bits, so that the state of a device or a call holds several in little
// room. noRec: none. A Monitor therefore observes at most MaxRecords
// records of one trace.
type rec uint32

// noRec is the rec of no record.
const noRec = ^rec(0)

// ok reports whether i names a record.
func (i rec) ok() bool { return i != noRec }

// MaxRecords is the most records a Monitor observes in one trace: its
// record indexes are 32 bits. Observe refuses the next (see Monitor.Err).
const MaxRecords = 1<<32 - 1

// ErrTooLong is Monitor.Err's answer for a trace of more than MaxRecords
// records.
var ErrTooLong = errors.New("more than " + strconv.FormatUint(MaxRecords, 10) + " records: a property monitor checks at most that many in one trace")
