package fsm

import "testing"

// TestCodeSlots: the open table answers as the codes map, for every code
// and for codes around them that are not in it.
func TestCodeSlots(t *testing.T) {
	for c := range codes {
		for _, x := range []Code{c - 1, c, c + 1, c + Code(codeMod), -c} {
			want, wok := codes[x]
			got, gok := codeInfoOf(x)
			if got != want || gok != wok {
				t.Errorf("code %d: got %v %v, want %v %v", x, got, gok, want, wok)
			}
		}
	}
}
