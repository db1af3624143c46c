// Package smallslice copies short slices, of a few elements, without
// calling memmove.
//
// A trial's state holds slices of one or two elements (a client's
// listeners, a server's devices and tokens, the opening's queued events)
// that a World copies at every trial; for them, calling memmove, as copy
// and append do, costs more than moving the elements one by one.
package smallslice

import "slices"

// CopyInto returns src copied into dst's memory (grown if too small),
// element by element: dst[:len(src)] equals src after it, and dst's
// elements past that are untouched.
func CopyInto[T any](dst, src []T) []T {
	dst = slices.Grow(dst[:0], len(src))[:len(src)]
	for i := range src {
		dst[i] = src[i]
	}
	return dst
}
