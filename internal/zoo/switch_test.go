//go:build zoo

package zoo

import "testing"

// TestSwitch: Switch turns exactly one mutant on and its function turns it
// off; an unknown mutant panics. Run with `go test -tags zoo ./internal/zoo`.
func TestSwitch(t *testing.T) {
	for _, m := range All {
		off := Switch(m.Mutant)
		if Active() != m.Mutant || !Is(m.Mutant) || Is(None) {
			t.Errorf("after Switch(%s): Active %s", m.Name, Active())
		}
		for _, o := range All {
			if o.Mutant != m.Mutant && Is(o.Mutant) {
				t.Errorf("after Switch(%s): %s is on too", m.Name, o.Name)
			}
		}
		off()
		if Active() != None || Is(m.Mutant) {
			t.Errorf("%s still on after off()", m.Name)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Switch(numMutants) did not panic")
		}
	}()
	Switch(numMutants)
}
