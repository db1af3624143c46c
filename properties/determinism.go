package properties

import (
	"bytes"
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// Determinism checks P11 (determinism) for two traces of the same seed and
// parameters: nil if their JSON encodings are byte-identical, else a
// violation at the first record that differs (or the first record only one
// of them has), showing both encodings.
func Determinism(a, b []trace.Record) *Violation {
	var ba, bb [512]byte
	for i := range min(len(a), len(b)) {
		ea := trace.AppendJSON(ba[:0], &a[i])
		eb := trace.AppendJSON(bb[:0], &b[i])
		if !bytes.Equal(ea, eb) {
			v := violation("P11", a, i, fmt.Sprintf("record %d differs:\n  a: %s\n  b: %s", i, ea, eb))
			return &v
		}
	}
	if len(a) == len(b) {
		return nil
	}
	i, longer, name := len(b), a, "a"
	if len(b) > len(a) {
		i, longer, name = len(a), b, "b"
	}
	v := violation("P11", longer, i, fmt.Sprintf("trace a has %d records, trace b %d; %s goes on with %s",
		len(a), len(b), name, trace.AppendJSON(nil, &longer[i])))
	return &v
}
