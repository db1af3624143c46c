//go:build !amd64 && !arm64

package prefetch

import "unsafe"

// At prefetches the cache line holding p (a no-op on this architecture).
func At(p unsafe.Pointer) {}
