package properties

import (
	"reflect"
	"slices"
	"unsafe"

	"github.com/rcsim/connsim/fsm"
)

// A Monitor keeps its own copy of its Config's Policy (ownPolicy), so
// that a caller who changes a Policy's gaps in place (an fsm.List shares
// its Gaps' array with every copy of it) and passes it again is seen to
// pass other parameters (samePolicy), never judged by gaps that changed
// under the Monitor's memo and prefix state.

// ownPolicy returns p with the slices of the module's own policies
// (fsm.List, and an fsm.Backoff's base) copied. Any other Policy is
// returned as it is: it must not change once given to a Monitor.
func ownPolicy(p fsm.Policy) fsm.Policy {
	switch v := p.(type) {
	case fsm.List:
		v.Gaps = slices.Clone(v.Gaps)
		return v
	case fsm.Backoff:
		v.Base = ownPolicy(v.Base)
		return v
	}
	return p
}

// samePolicy reports whether Policies a and b give the same gaps: the
// module's own by their fields (a List's gaps element by element, in a
// few instructions for a driver that sets one Config per batch of
// trials), any other by one interface value (the same dynamic type and
// data word) or deeply equal values (reflect.DeepEqual).
func samePolicy(a, b fsm.Policy) bool {
	switch x := a.(type) {
	case fsm.List:
		y, ok := b.(fsm.List)
		return ok && x.Name == y.Name && slices.Equal(x.Gaps, y.Gaps)
	case fsm.Expo:
		y, ok := b.(fsm.Expo)
		return ok && x == y
	case fsm.Backoff:
		y, ok := b.(fsm.Backoff)
		return ok && x.Jitter == y.Jitter && samePolicy(x.Base, y.Base)
	}
	return *(*[2]unsafe.Pointer)(unsafe.Pointer(&a)) == *(*[2]unsafe.Pointer)(unsafe.Pointer(&b)) ||
		reflect.DeepEqual(a, b)
}
