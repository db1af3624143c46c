//go:build amd64 || arm64

package prefetch

import "unsafe"

// At prefetches the cache line holding p.
//
//go:noescape
func At(p unsafe.Pointer)
