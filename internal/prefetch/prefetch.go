// Package prefetch hints the processor to bring memory into its caches
// before it is read.
//
// A storm of a million clients reads each event's client, link and
// monitor state at random in 1.5 GB: each is a miss to main memory, and
// the event waits for them one after the other. The storm knows its next
// events (its calendar holds them sorted), so it asks for their memory a
// few events ahead, and the misses overlap with the work in between. Go
// has no prefetch built in for user code; this is the one instruction on
// amd64 (PREFETCHT0) and arm64 (PRFM PLDL1KEEP), a no-op elsewhere. A
// prefetch changes no value and never faults, whatever the address.
package prefetch

import "unsafe"

// Line is the cache line size assumed when prefetching a struct that spans
// several lines.
const Line = 64

// Range prefetches the cache lines of [p, p+n).
func Range(p unsafe.Pointer, n uintptr) {
	for off := uintptr(0); off < n; off += Line {
		At(unsafe.Add(p, off))
	}
}
