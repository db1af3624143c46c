package properties

import "time"

// devCold is what the monitor knows of a device that few devices need: a
// storm's million devices never stop, fall silent, reset their schedule
// or register a listener, so they keep none (devState.cold is 0). A
// flag of the device says which fields hold something; the others are
// stale, not zero.
type devCold struct {
	resetT time.Duration // P6 (dReset): the time of the last reset that may start an attempt at once
	stop   stopState     // P5 (dStopped): what stopped the device
	sil    silence       // P3 (dSilent): the 34006 that silenced it
	nl     int32         // P7: listeners registered (0 with no devCold)
}

// coldDev returns device d's devCold, making it.
func (m *Monitor) coldDev(d *devState) *devCold { return m.dcold.side(&d.cold) }

// listenersOf returns the number of listeners device d has registered (P7).
func (m *Monitor) listenersOf(d *devState) int32 {
	if d.cold == 0 {
		return 0
	}
	return m.dcold.at(d.cold - 1).nl
}
