package sim

import (
	"math"
	"time"
)

// maxTime is the latest virtual time: where a saturated sum ends.
const maxTime = time.Duration(math.MaxInt64)

// addTime returns t+d, saturated at maxTime. Every user-given duration is
// at most MaxDuration, so the sums the kernel forms cannot wrap; this is
// the second line of defence.
func addTime(t, d time.Duration) time.Duration {
	if d > 0 && t > maxTime-d {
		return maxTime
	}
	return t + d
}
