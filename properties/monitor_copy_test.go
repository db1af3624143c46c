package properties

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// A copy goes on as the original would: at every point of the tests'
// traces (and of random mutations of them), a monitor copied from one that
// observed the trace so far, into a monitor that had observed another
// trace, reaches Check's verdict on the whole trace; its verdict at the
// copy is Check's on the prefix; and the original, fed other records
// meanwhile, does not disturb it.
func TestMonitorCopy(t *testing.T) {
	cfgs := []Config{{DBOpen: -1}, {Tolerance: 1}}
	rng := rand.New(rand.NewPCG(3, 4))
	bases := baseTraces(t)
	n := 0
	for bi, base := range bases {
		other := bases[(bi+1)%len(bases)]
		for k := range 40 {
			recs := base
			if k > 0 {
				recs = mutate(rng, base, 1+rng.IntN(3))
			}
			for _, cfg := range cfgs {
				want := slices.Clone(Check(cfg, recs))
				at := rng.IntN(len(recs) + 1)
				orig := newMonitor(cfg, allTrace)
				for i := range recs[:at] {
					orig.Observe(&recs[i])
				}
				cp := newMonitor(cfg, allTrace)
				for i := range other {
					cp.Observe(&other[i])
				}
				cp.CopyFrom(orig)
				prefix := slices.Clone(Check(cfg, recs[:at]))
				if got := cp.VerdictInto(nil); !slices.Equal(got, prefix) {
					t.Fatalf("trace %d, copy at %d: verdict %v, Check on the prefix %v", bi, at, got, prefix)
				}
				for i := range other {
					orig.Observe(&other[i])
				}
				for i := range recs[at:] {
					cp.Observe(&recs[at+i])
				}
				if got := cp.Finish(); !slices.Equal(got, want) {
					t.Fatalf("trace %d, copy at %d: %v, Check %v", bi, at, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d copies checked", n)
}

// CopyFrom knows every field of Monitor: a field added to Monitor must be
// copied there (a slice or map into the copy's own memory), then named
// here.
func TestMonitorCopyCoversFields(t *testing.T) {
	known := []string{"cfg", "mask", "n", "over", "lastT", "endIdx", "endReason", "endT", "devIdx", "devs", "callIdx",
		"calls", "cold", "dcold", "rejects", "listeners", "names", "recentNames", "sessions", "msg", "dues", "overdue", "att", "edges", "out", "pre"}
	typ := reflect.TypeFor[Monitor]()
	var got []string
	for i := range typ.NumField() {
		got = append(got, typ.Field(i).Name)
	}
	for _, f := range got {
		if !slices.Contains(known, f) {
			t.Errorf("Monitor.%s: CopyFrom (monitor_copy.go) does not know it", f)
		}
	}
	// The per-device and per-call states are copied as values: they must
	// hold no slice, map or pointer.
	for _, typ := range []reflect.Type{reflect.TypeFor[devState](), reflect.TypeFor[callState](), reflect.TypeFor[callCold](), reflect.TypeFor[devCold](), reflect.TypeFor[rejection](), reflect.TypeFor[sess](), reflect.TypeFor[sessList](), reflect.TypeFor[sessSlot]()} {
		if f, ok := reference(typ); ok {
			t.Errorf("%s.%s holds a reference: CopyFrom's value copy would share it", typ.Name(), f)
		}
	}
}

// reference returns the name of a field of struct type typ (or of a
// struct within it) that is a slice, map, pointer, channel, function or
// interface.
func reference(typ reflect.Type) (string, bool) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Chan, reflect.Func, reflect.Interface, reflect.UnsafePointer:
			return f.Name, true
		case reflect.Struct:
			if n, ok := reference(f.Type); ok {
				return f.Name + "." + n, true
			}
		}
	}
	return "", false
}
