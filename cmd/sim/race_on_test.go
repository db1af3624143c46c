//go:build race

package main

// raceOn: the race detector is on (it slows trials about tenfold).
const raceOn = true
