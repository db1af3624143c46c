//go:build zoo

package zoo

import "fmt"

// Enabled reports whether this build has the switch (the `zoo` tag).
const Enabled = true

// active is the mutant switched on.
var active Mutant

// Is reports whether mutant m is switched on.
func Is(m Mutant) bool { return active == m }

// Active returns the mutant switched on (None for the correct model).
func Active() Mutant { return active }

// Switch switches mutant m on (None: the correct model) and returns a
// function that switches it off again. At most one mutant is on at a time.
// It is not safe to call while a simulation runs on another goroutine.
func Switch(m Mutant) (off func()) {
	if m >= numMutants {
		panic(fmt.Sprintf("zoo: unknown mutant %d", uint8(m)))
	}
	active = m
	return func() { active = None }
}
