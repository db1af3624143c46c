package smallslice

import (
	"slices"
	"testing"
)

// CopyInto gives a copy of src in dst's memory when it is large enough,
// in new memory when not, and never shares src's.
func TestCopyInto(t *testing.T) {
	for _, c := range []struct{ dst, src []int }{
		{nil, nil},
		{nil, []int{1, 2}},
		{make([]int, 1, 1), []int{1, 2, 3}},
		{make([]int, 4, 8), []int{5}},
		{[]int{9, 9}, nil},
	} {
		got := CopyInto(c.dst, c.src)
		if !slices.Equal(got, c.src) && !(len(got) == 0 && len(c.src) == 0) {
			t.Errorf("CopyInto(%v, %v) = %v", c.dst, c.src, got)
		}
		if cap(c.dst) >= len(c.src) && len(c.src) > 0 && &got[0] != &c.dst[:1][0] {
			t.Errorf("CopyInto(%v, %v): not in dst's memory", c.dst, c.src)
		}
		if len(got) > 0 && len(c.src) > 0 && &got[0] == &c.src[0] {
			t.Errorf("CopyInto(%v, %v): shares src's memory", c.dst, c.src)
		}
	}
}
