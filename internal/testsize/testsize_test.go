package testsize

import (
	"testing"
)

// Full reads the variable, and a value that is neither 1 nor 0 fails.
func TestFull(t *testing.T) {
	for _, c := range []struct {
		v          string
		full, fail bool
	}{{"", false, false}, {"0", false, false}, {"1", true, false}, {"yes", false, true}, {"true", false, true}} {
		t.Setenv(Env, c.v)
		ft := &fakeTB{TB: t}
		if got := Full(ft); got != c.full || ft.failed != c.fail {
			t.Errorf("%s=%q: Full %v (failed %v), want %v (failed %v)", Env, c.v, got, ft.failed, c.full, c.fail)
		}
		if got := Pick(ft, 1, 2); got != map[bool]int{false: 1, true: 2}[c.full] {
			t.Errorf("%s=%q: Pick %d", Env, c.v, got)
		}
	}
}

// fakeTB records Fatalf instead of ending the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }
