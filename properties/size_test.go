package properties

import (
	"testing"
	"unsafe"
)

// TestStateBytes keeps the monitor's state per device and per call small:
// a storm checks a million clients with it (docs/performance.md).
func TestStateBytes(t *testing.T) {
	d, c := unsafe.Sizeof(devState{}), unsafe.Sizeof(callState{})
	t.Logf("per device %d B, per call %d B", d, c)
	if d > 192 || c > 256 {
		t.Errorf("devState %d B (want <= 192), callState %d B (want <= 256)", d, c)
	}
}
