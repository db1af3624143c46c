//go:build !zoo

package zoo

// Enabled reports whether this build has the switch (the `zoo` tag).
const Enabled = false

// Is is false: without the `zoo` tag no mutant can be on, and the
// compiler removes the code behind every `if zoo.Is(M)`.
func Is(Mutant) bool { return false }

// Active returns None: without the `zoo` tag the model is always correct.
func Active() Mutant { return None }
