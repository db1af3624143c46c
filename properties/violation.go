package properties

import (
	"strconv"
	"time"

	"github.com/rcsim/connsim/trace"
)

// Violation is one breach of a property.
type Violation struct {
	Property string // "P1" .. "P18"
	// Index is the index in the trace of the first offending record, -1
	// if no record is to blame (e.g. traces of different lengths).
	Index int
	Msg   string        // what is wrong, in the trace's terms
	T     time.Duration // the offending record's time (when Index >= 0)
	Dev   int32         // the offending record's device, -1 for the server
}

// String renders v for a report, e.g.
//
//	P3 silence after timeout: record 17 (t=5.05s dev0): attempt start after onError(34006) of call 1
func (v Violation) String() string {
	b := append([]byte(v.Property), ' ')
	b = append(b, Name(v.Property)...)
	b = append(b, ": "...)
	if v.Index >= 0 {
		b = append(b, "record "...)
		b = strconv.AppendInt(b, int64(v.Index), 10)
		b = append(b, " (t="...)
		b = append(b, seconds(v.T)...)
		if v.Dev >= 0 {
			b = append(b, " dev"...)
			b = strconv.AppendInt(b, int64(v.Dev), 10)
		} else {
			b = append(b, " srv"...)
		}
		b = append(b, "): "...)
	}
	return string(append(b, v.Msg...))
}

// violation returns a violation of property id blamed on record i.
func violation(id string, recs []trace.Record, i int, msg string) Violation {
	v := Violation{Property: id, Index: i, Msg: msg, Dev: -1}
	if i >= 0 && i < len(recs) {
		v.T, v.Dev = recs[i].T, recs[i].Dev
	}
	return v
}

// seconds formats d as in traces: "5.05s", "0s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}
