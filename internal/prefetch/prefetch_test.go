package prefetch

import (
	"testing"
	"unsafe"
)

// TestPrefetchChangesNothing: prefetching valid and nil addresses
// neither faults nor changes memory.
func TestPrefetchChangesNothing(t *testing.T) {
	b := make([]byte, 4096)
	for i := range b {
		b[i] = byte(i)
	}
	Range(unsafe.Pointer(&b[0]), uintptr(len(b)))
	At(nil) // a prefetch never faults
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}

func BenchmarkAt(b *testing.B) {
	x := make([]byte, 64)
	for range b.N {
		At(unsafe.Pointer(&x[0]))
	}
}
