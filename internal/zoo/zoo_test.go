package zoo

import "testing"

// Every mutant has a name, a package, a property and a doc line. (That
// without the zoo tag none can be on is no test: Is is the constant false
// there. TestSwitch, in the zoo build, tests the switch.)
func TestCatalogue(t *testing.T) {
	if len(All) != int(numMutants)-1 {
		t.Fatalf("All lists %d mutants, want %d", len(All), numMutants-1)
	}
	for i, m := range All {
		if m.Mutant != Mutant(i+1) || m.Name == "" || m.Pkg == "" || len(m.Props) == 0 || m.Doc == "" {
			t.Errorf("All[%d] = %+v", i, m)
		}
		if m.Mutant.String() != m.Name {
			t.Errorf("%d.String() = %q, want %q", m.Mutant, m.Mutant.String(), m.Name)
		}
	}
}
