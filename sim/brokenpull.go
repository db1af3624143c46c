package sim

import "time"

// pullLag, when positive, delays every pull on its way to the server by
// that much beyond the network's latency: a deliberately broken world (a
// pull that waits for the next heartbeat) that the validity test of the
// message latency (analytic's TestOutageClosedForm) must catch.
var pullLag time.Duration

// LagPullsForTest breaks the world for tests: every later pull reaches the
// server d after the network would carry it, until the returned function
// restores the model. Only tests call it (the CLI never does). Not safe
// to call while trials run.
func LagPullsForTest(d time.Duration) (restore func()) {
	pullLag = d
	return func() { pullLag = 0 }
}
