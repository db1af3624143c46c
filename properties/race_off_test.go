//go:build !race

package properties

// raceOn: the race detector is on (it slows trials about tenfold).
const raceOn = false
