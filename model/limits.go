package model

// Limits of a scenario, whether it comes from a file or from the knobs.
// Each is far above what a study of one user's devices needs, and low
// enough that nothing a scenario names can make a trial allocate much
// (users and tokens are indexes into slices) or overflow an int32 of the
// trace. cmd/sim's limits table (docs/cli.md "Limits") lists them with the
// CLI's own.
const (
	MaxDevices       = 1000    // devices per scenario
	MaxUsers         = 10000   // user indexes are 0 to MaxUsers-1
	MaxTokens        = 10000   // tokens per scenario
	MaxAppKeys       = 100     // app keys per scenario
	MaxListeners     = 10000   // listener ids are 0 to MaxListeners-1
	MaxScriptActions = 100000  // script actions, the knobs' included
	MaxScenarioBytes = 1 << 20 // a scenario file's size
	MaxKnobValues    = 1000    // values of one repeatable knob flag (--net-off, --kick-at, ...)
	MaxConv          = 10000   // a message op's conversation is 0 to MaxConv
)
